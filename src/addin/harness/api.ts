import type { CompletedOptions, FakeMailbox, FakeOffice } from '../office/fake-office';

/** The message as Outlook would hand it to the transport. */
export interface SentMessage {
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  bodyHtml: string;
  headers: Record<string, string>;
  attachments: { name: string; size: number }[];
}

export interface SendRecord {
  completion: CompletedOptions;
  /** From pressing Send to the handler's `event.completed`. */
  elapsedMs: number;
  /** Set when the send went out (allowed, or "Send anyway" after a prompt). */
  sent: SentMessage | null;
}

/**
 * What the harness page offers its frames (the fake `Office` of each) and
 * scripts driving it (the end-to-end tests and the benchmark), on
 * `window.__secureEnvelopeHarness`.
 */
export interface HarnessApi {
  mailbox: FakeMailbox;
  /** Called by each frame before the add-in's bundle runs: its own `Office` over the shared mailbox. */
  register(frame: Window): FakeOffice;
  /** Resolves once the commands bundle has associated the manifest's on-send function. */
  ready(): Promise<void>;
  /** Presses Send and resolves with what happened. */
  send(): Promise<SendRecord>;
  lastSend: SendRecord | null;
  setBodyHtml(html: string): void;
  /** A new, empty compose window (new compose session). */
  newMessage(): void;
  /** The next POST /v1/envelopes from the event runtime reaches the server, but its answer is lost. */
  loseNextEnvelopeAnswer(): void;
}

export const HARNESS_GLOBAL = '__secureEnvelopeHarness';
