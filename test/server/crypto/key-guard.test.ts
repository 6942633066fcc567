/**
 * A data folder whose key file went missing, or an instance given keys of
 * its own, must not start: a fresh key would leave everything stored
 * unreadable and the audit chain broken. The refusal names what is missing.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KEY_FILE_NAME, newKeyFile } from '../../../src/server/crypto/keyring';
import { devToken, postEnvelope, signal, spawnServer, startSmtpSink } from '../helpers/process';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function startRefused(env: Record<string, string>): Promise<string> {
  try {
    const server = await spawnServer(env);
    signal(server, 'SIGKILL');
    await server.exited;
    return 'it started';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

describe('keys that cannot read the store', () => {
  it('refuses to start without the key file, or with keys that did not seal the data, naming what is missing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'se-keyguard-'));
    dirs.push(dataDir);
    const sink = await startSmtpSink();
    const env = { DATA_DIR: dataDir, SMTP_URL: sink.url };
    try {
      // A server that sealed one envelope.
      const first = await spawnServer(env);
      const sent = await postEnvelope(first, await devToken(first), {
        to: ['desk@clinic.example'],
        text: 'SSN 536-22-1874',
      });
      expect(sent.status).toBe(201);
      signal(first, 'SIGTERM');
      await first.exited;
      const keyFile = join(dataDir, KEY_FILE_NAME);
      const kid = (JSON.parse(readFileSync(keyFile, 'utf8')) as { current: string }).current;
      copyFileSync(keyFile, join(dataDir, 'keys.backup'));

      // The key file is gone.
      unlinkSync(keyFile);
      const missing = await startRefused(env);
      expect(missing).toContain('it exited');
      expect(missing).toContain(`the key file ${keyFile} is missing`);
      expect(missing).toContain('1 envelope(s)');
      expect(missing).toContain(kid);
      expect(missing).not.toContain('internal error');
      // Nothing was made in its place.
      expect(() => readFileSync(keyFile)).toThrow();

      // Another instance's keys.
      writeFileSync(keyFile, JSON.stringify(newKeyFile()), { mode: 0o600 });
      const foreign = await startRefused(env);
      expect(foreign).toContain(`sealed with key(s) ${kid}`);
      expect(foreign).toContain('every instance of a deployment needs the same keys');

      // The right keys back: it starts.
      copyFileSync(join(dataDir, 'keys.backup'), keyFile);
      const again = await spawnServer(env);
      expect((await fetch(`${again.base}/healthz`)).status).toBe(200);
      signal(again, 'SIGTERM');
      await again.exited;
    } finally {
      await sink.close();
    }
  }, 60_000);
});
