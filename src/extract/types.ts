/**
 * The public shapes of attachment extraction, and the one error type the
 * readers use internally to stop early (always turned into a result, never
 * thrown to callers).
 */

export interface ExtractLimits {
  /** How many containers deep (zip in zip in e-mail...) extraction may go. */
  maxDepth: number;
  /** Decompressed bytes in all, across every nested container. */
  maxBytes: number;
  /** Largest expansion (decompressed / compressed) accepted for archives past a small size. */
  maxRatio: number;
  /** Wall time for one attachment. */
  maxMillis: number;
  /** Files in all archives together. */
  maxEntries: number;
}

export type FailureReason =
  'too-large' | 'too-deep' | 'encrypted' | 'corrupt' | 'unsupported' | 'image' | 'timeout';

export type TextKind = 'text' | 'html' | 'csv';

export type ExtractResult =
  | { ok: true; format: string; textKind: TextKind; text: string }
  | { ok: false; format: string; reason: FailureReason; message: string };

export interface AttachmentFile {
  name: string;
  contentType?: string;
  bytes: Uint8Array;
}

/** Thrown by readers to end extraction with a reason; `message` is for a representative to read. */
export class ExtractError extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'ExtractError';
  }
}

export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`;
}
