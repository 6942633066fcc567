#!/usr/bin/env node
// Runs the CLI compiled to dist/node/ by `npm run build` (`npm start` and
// `npm test` build first). In a checkout with the development tools, a
// compiled CLI older than any of its sources is recompiled first (about a
// second), so `npx secure-envelope` never runs stale code.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const cli = new URL('dist/node/cli.js', root);

/** True when dist/node/cli.js is missing or older than a source it was built from. */
function stale() {
  try {
    const built = statSync(cli).mtimeMs;
    const inputs = JSON.parse(readFileSync(new URL('dist/node/inputs.json', root), 'utf8'));
    return inputs.some((file) => statSync(new URL(file, root)).mtimeMs > built);
  } catch {
    return true;
  }
}

if (stale()) {
  let buildServer;
  try {
    ({ buildServer } = await import('../scripts/build.mjs'));
    await import('esbuild');
  } catch {
    buildServer = undefined;
  }
  if (buildServer !== undefined) {
    await buildServer();
  } else {
    let present = true;
    try {
      statSync(cli);
    } catch {
      present = false;
    }
    if (!present) {
      process.stderr.write("secure-envelope: the compiled CLI is missing: run 'npm run build' first\n");
      process.exit(1);
    }
    process.stderr.write("secure-envelope: dist/node is older than src/: run 'npm run build' to update it\n");
  }
}

process.setSourceMapsEnabled(true);
await import(cli.href);
