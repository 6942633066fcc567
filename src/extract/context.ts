/**
 * The budget one attachment's extraction shares across every level of
 * nesting: a zip inside an e-mail inside a zip spends from the same bytes,
 * entries and clock, so splitting a bomb over many containers gains nothing.
 */
import { htmlToText } from './markup';
import { ExtractError, megabytes, type AttachmentFile, type ExtractLimits, type TextKind } from './types';

export interface Extracted {
  format: string;
  textKind: TextKind;
  text: string;
}

export class Budget {
  private bytes = 0;
  private entries = 0;
  private readonly deadline: number;

  constructor(
    readonly limits: Readonly<ExtractLimits>,
    private readonly now: () => number,
  ) {
    this.deadline = now() + limits.maxMillis;
  }

  /** Throws once the wall-time budget is spent; called between units of work. */
  checkTime(): void {
    if (this.now() > this.deadline) {
      throw new ExtractError(
        'timeout',
        `not scanned: reading it took longer than ${this.limits.maxMillis / 1000} s`,
      );
    }
  }

  msLeft(): number {
    return Math.max(0, this.deadline - this.now());
  }

  /** Bytes still allowed to be decompressed. */
  bytesLeft(): number {
    return Math.max(0, this.limits.maxBytes - this.bytes);
  }

  /** Charges decompressed bytes; throws before the total passes the limit. */
  spend(bytes: number): void {
    if (this.bytes + bytes > this.limits.maxBytes) throw this.tooLarge();
    this.bytes += bytes;
  }

  tooLarge(): ExtractError {
    return new ExtractError(
      'too-large',
      `not scanned: its content expands past ${megabytes(this.limits.maxBytes)}`,
    );
  }

  /** Counts archive entries across all archives. */
  countEntries(n: number): void {
    this.entries += n;
    if (this.entries > this.limits.maxEntries) {
      throw new ExtractError('too-large', `not scanned: it holds more than ${this.limits.maxEntries} files`);
    }
  }
}

/** What a format reader gets: the shared budget, its depth, and a way to read what it contains. */
export interface Context {
  budget: Budget;
  depth: number;
  /** Reads a file found inside this one (an archive entry, an attached message) one level deeper. */
  nested(file: AttachmentFile): Promise<Extracted>;
}

export type Reader = (file: AttachmentFile, ctx: Context) => Extracted | Promise<Extracted>;

/** The text of a file inside a container; images and unknown types leave a note instead of failing it. */
export async function nestedText(ctx: Context, file: AttachmentFile): Promise<string> {
  try {
    const inner = await ctx.nested(file);
    return inner.textKind === 'html' ? htmlToText(inner.text) : inner.text;
  } catch (e) {
    if (e instanceof ExtractError && (e.reason === 'image' || e.reason === 'unsupported')) {
      return `[${file.name}: not scanned (${e.reason === 'image' ? 'image' : 'unsupported type'})]`;
    }
    throw e;
  }
}
