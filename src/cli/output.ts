/**
 * Writing to stdout and stderr with backpressure, so a batch scan of a large
 * file streams instead of buffering every result in memory, and a closed pipe
 * (`secure-envelope scan --jsonl big.jsonl | head`) ends quietly.
 */
import { once } from 'node:events';

export interface Output {
  /** Writes one line (a newline is added); resolves when it is safe to write more. */
  line(text: string): Promise<void>;
}

export function streamOutput(stream: NodeJS.WritableStream): Output {
  return {
    async line(text: string): Promise<void> {
      if (!stream.write(text + '\n')) await once(stream, 'drain');
    },
  };
}
