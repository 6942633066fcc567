/**
 * Reading what the user points the CLI at: a file or stdin, as bytes, with
 * one-line errors instead of Node's stack traces.
 */
import { open, readFile } from 'node:fs/promises';
import { UsageError } from './command';

/** Human wording for the errors a user can cause by naming a file. */
const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'name too long',
  EMFILE: 'too many open files',
};

export function describeFsError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return FS_ERRORS[code] ?? code;
  return err instanceof Error ? err.message : String(err);
}

export async function readFileBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new UsageError(`cannot read '${path}': ${describeFsError(err)}`);
  }
}

export async function readStreamBytes(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/**
 * Refuses to wait on a terminal: `secure-envelope scan` with no file and no
 * pipe would otherwise sit silently until Ctrl-D.
 */
export function assertPipedStdin(stdin: NodeJS.ReadableStream): void {
  if ((stdin as { isTTY?: boolean }).isTTY === true) {
    throw new UsageError("no input: give a FILE, or pipe a message into 'secure-envelope scan -'");
  }
}

/**
 * Opens the file first so a missing or unreadable one is a clean usage error
 * before any output, rather than a stream error halfway through.
 */
export async function openForStreaming(file: string): Promise<NodeJS.ReadableStream> {
  try {
    const handle = await open(file, 'r');
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      await handle.close();
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
    return handle.createReadStream();
  } catch (err) {
    throw new UsageError(`cannot read '${file}': ${describeFsError(err)}`);
  }
}
