/**
 * The server as its own process, as in production, for tests that crash it or
 * stop it: spawning `secure-envelope serve`, waiting for it to answer, and an
 * SMTP sink that records every notice it is handed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = join(ROOT, 'bin/secure-envelope.js');

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => {
        done(port);
      });
    });
  });
}

/** The environment of a child: this one's, without anything that would pick another store or key ring. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'SMTP_URL',
    'PUBLIC_URL',
    'REDIS_URL',
    'SECURE_ENVELOPE_CONFIG',
    'SECURE_ENVELOPE_KEYS',
    'SECURE_ENVELOPE_MODE',
    'NODE_ENV',
    'HOST',
  ]) {
    base[name] = undefined;
  }
  return { ...base, ...env };
}

export interface ReceivedMail {
  messageId: string | undefined;
  /** RCPT TO addresses, lower-cased. */
  to: string[];
}

export interface SmtpSink {
  url: string;
  /** Every message accepted, in order. */
  received: ReceivedMail[];
  close(): Promise<void>;
}

/** An SMTP server on 127.0.0.1 that accepts everything and records Message-ID and recipients. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    disableReverseLookup: true,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const headerEnd = raw.indexOf('\r\n\r\n');
        // Unfold continuation lines, then find the header.
        const headers = (headerEnd === -1 ? raw : raw.slice(0, headerEnd)).replace(/\r\n[ \t]+/g, ' ');
        const match = /^message-id:\s*(\S+)/im.exec(headers);
        received.push({
          messageId: match?.[1],
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
        });
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  const port = await freePort();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise((done) => {
        server.close(() => {
          done();
        });
      }),
  };
}

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  port: number;
  /** Everything the process wrote to stderr (and stdout) so far. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
}

/**
 * Spawns `secure-envelope serve` over plain http on a free port and waits for
 * /healthz. Fails with the process's output when it does not come up.
 */
export async function spawnServer(
  env: Record<string, string>,
  options: { timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  // These tests load one server from one address on purpose: lift the per-client rate limit.
  const config = join(mkdtempSync(join(tmpdir(), 'se-config-')), 'config.json');
  writeFileSync(config, JSON.stringify({ limits: { requestsPerMinute: 1_000_000 } }));
  const child = spawn(process.execPath, [CLI, 'serve'], {
    cwd: ROOT,
    env: childEnv({
      SECURE_ENVELOPE_CONFIG: config,
      ...env,
      PORT: String(port),
      SECURE_ENVELOPE_TLS: 'off',
      SECURE_ENVELOPE_LOG: 'off',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exited = new Promise<number | string>((done) => {
    child.once('exit', (code, signal) => {
      done(code ?? signal ?? 'unknown');
    });
  });
  const ended = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (Date.now() < deadline && !ended()) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { child, base, port, output: () => out, exited };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  await exited;
  throw new Error(
    `the server did not start on port ${port} (${ended() ? 'it exited' : 'timed out'}); its output:\n${out}`,
  );
}

/** Sends `signal` unless the process has already ended. */
export function signal(server: ServerProcess, name: NodeJS.Signals): void {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(name);
}

/** Runs the CLI to completion: exit code and output. */
export async function runCli(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  return { code, stdout, stderr };
}

/** A sender token from a development server's built-in issuer. */
export async function devToken(server: ServerProcess, address = 'rep@plan.example'): Promise<string> {
  const res = await fetch(`${server.base}/dev/token?address=${encodeURIComponent(address)}`);
  if (!res.ok) throw new Error(`no development token from ${server.base}: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** POST /v1/envelopes from rep@plan.example with a fresh Idempotency-Key. */
export function postEnvelope(
  server: ServerProcess,
  token: string,
  body: { to: string[]; subject?: string; text: string },
): Promise<Response> {
  return fetch(`${server.base}/v1/envelopes`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify({ from: 'rep@plan.example', ...body }),
  });
}
