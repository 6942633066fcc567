// `npm run build`: the server and CLI compiled to JavaScript in dist/node/,
// and the browser bundles (add-in, harness, portal) in dist/, each rebuilt
// only when its sources changed since the last build.
//
// The server and CLI are one esbuild bundle of src/ with node_modules left
// external, split at the CLI's dynamic imports so `scan` never loads the
// server. A few modules find files next to their source (package.json,
// manifest.xml, assets/, dist/, the common-password list) through
// import.meta; in the bundle those expressions are rewritten to the source
// file's own location, so they find the same files as under src/.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const NODE_OUT = join(DIST, 'node');
const STAMP = join(DIST, '.bundles-stamp');
/** What webpack.config.js writes; a missing one means the browser bundles must be built. */
const BUNDLES = ['commands', 'taskpane', 'naa', 'harness', 'harness-frame', 'portal'];

const posix = (p) => p.split(sep).join('/');

/** Every file import.meta.url in the bundle is relative to: dist/node/ is two levels below the root. */
const BANNER = [
  "import { fileURLToPath as __seFileURLToPath, pathToFileURL as __sePathToFileURL } from 'node:url';",
  "import { join as __seJoin } from 'node:path';",
  "const __seRoot = __seFileURLToPath(new URL('../../', import.meta.url));",
  'const __seDir = (d) => __seJoin(__seRoot, d);',
  'const __seUrl = (f) => __sePathToFileURL(__seJoin(__seRoot, f)).href;',
].join('\n');

/** Rewrites import.meta.dirname / import.meta.url to the source file's location under the root. */
const sourceLocation = {
  name: 'source-location',
  setup(build) {
    build.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const loader = args.path.endsWith('.tsx') ? 'tsx' : 'ts';
      if (!text.includes('import.meta')) return { contents: text, loader };
      const file = posix(relative(ROOT, args.path));
      const contents = text
        .replaceAll('import.meta.dirname', `__seDir(${JSON.stringify(posix(dirname(file)))})`)
        .replaceAll('import.meta.url', `__seUrl(${JSON.stringify(file)})`);
      return { contents, loader };
    });
  },
};

/** Compiles src/cli/main.ts (and the server it loads) to dist/node/cli.js; about a second. */
export async function buildServer({ prune = false } = {}) {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { cli: 'src/cli/main.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir: NODE_OUT,
    // Chunks beside cli.js: the banner finds the root two levels above every output file.
    chunkNames: '[name]-[hash]',
    sourcemap: 'linked',
    banner: { js: BANNER },
    plugins: [sourceLocation],
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  // Written file by file through a rename, cli.js last: a CLI started while
  // this runs (tests start many) sees the old bundle or the new, never half.
  const entry = join(NODE_OUT, 'cli.js');
  const files = [...result.outputFiles].sort((a, b) => Number(a.path === entry) - Number(b.path === entry));
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
  writeAtomically(join(NODE_OUT, 'inputs.json'), `${JSON.stringify(inputs)}\n`);
  for (const f of files) writeAtomically(f.path, f.contents);
  if (prune) {
    // Chunks of earlier builds (their names carry a content hash).
    const keep = new Set([...files.map((f) => f.path), join(NODE_OUT, 'inputs.json')]);
    for (const name of readdirSync(NODE_OUT)) {
      if (!keep.has(join(NODE_OUT, name))) rmSync(join(NODE_OUT, name), { recursive: true, force: true });
    }
  }
}

function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}

/** A hash of everything the browser bundles are built from (src/ without the server and CLI). */
function browserSourcesHash() {
  const hash = createHash('sha256');
  const add = (file) => {
    hash.update(posix(relative(ROOT, file)));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  };
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) add(path);
    }
  };
  for (const entry of readdirSync(join(ROOT, 'src')).sort()) {
    if (entry === 'server' || entry === 'cli') continue; // lint keeps the browser code out of both
    const path = join(ROOT, 'src', entry);
    if (existsSync(path)) walk(path);
  }
  for (const file of ['webpack.config.js', 'tsconfig.json', 'package-lock.json']) {
    if (existsSync(join(ROOT, file))) add(join(ROOT, file));
  }
  return hash.digest('hex');
}

/** Runs webpack.config.js in production mode unless dist/ already holds bundles of these sources. */
export async function buildBrowser({ force = false } = {}) {
  const hash = browserSourcesHash();
  const present = BUNDLES.every((name) => existsSync(join(DIST, `${name}.js`)));
  const built = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : '';
  if (!force && present && built === hash) {
    console.log('add-in and portal bundles are up to date');
    return;
  }
  console.log(
    present
      ? 'rebuilding the add-in and portal bundles (their sources changed; about a minute)…'
      : 'building the add-in and portal bundles (first start, about a minute)…',
  );
  const started = Date.now();
  const { default: webpack } = await import('webpack');
  const { default: config } = await import(pathToFileURL(join(ROOT, 'webpack.config.js')).href);
  const stats = await new Promise((resolve, reject) => {
    webpack(config({ production: true }), (err, s) => (err ? reject(err) : resolve(s)));
  });
  if (stats.hasErrors()) {
    console.error(stats.toString({ all: false, errors: true, colors: false }));
    throw new Error('the browser bundles did not build');
  }
  writeFileSync(STAMP, `${hash}\n`);
  console.log(`add-in and portal bundles built in ${Math.round((Date.now() - started) / 1000)} s`);
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const force = process.argv.includes('--force');
  try {
    const started = Date.now();
    console.log('compiling the server and CLI to dist/node…');
    await buildServer({ prune: true });
    console.log(`server and CLI compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await buildBrowser({ force });
  } catch (err) {
    console.error(`build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
