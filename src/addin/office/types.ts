/**
 * What the add-in needs from Outlook, as plain promises. `index.ts` implements
 * it over Office.js; nothing else in the add-in knows Office exists, so the
 * handler and the task pane run the same against Outlook, the development
 * harness and the unit tests' fake mailbox.
 */

export interface Recipients {
  to: string[];
  cc: string[];
  bcc: string[];
}

export interface AttachmentInfo {
  id: string;
  name: string;
  contentType: string;
  /** Bytes, as Outlook reports them. */
  size: number;
  /** An image shown inside the body rather than a file. */
  isInline: boolean;
  /** Files can be read; cloud links and attached items cannot. */
  kind: 'file' | 'item' | 'cloud';
}

/** The message being composed. */
export interface ComposeItem {
  getRecipients(): Promise<Recipients>;
  getSubject(): Promise<string>;
  getBodyHtml(): Promise<string>;
  getAttachments(): Promise<AttachmentInfo[]>;
  /** A file attachment's bytes in base64; null for what cannot be read (items, cloud links). */
  getAttachmentBase64(id: string): Promise<string | null>;
  /** Replaces the recipients of every field. */
  setRecipients(recipients: Recipients): Promise<void>;
  /** Puts HTML before the body's content. */
  prependBodyHtml(html: string): Promise<void>;
  setBodyHtml(html: string): Promise<void>;
  setSubject(subject: string): Promise<void>;
  removeAttachment(id: string): Promise<void>;
  /** Internet headers stamped on the message as sent. */
  setInternetHeaders(headers: Record<string, string>): Promise<void>;
  getInternetHeader(name: string): Promise<string | null>;
  /**
   * Per-draft data shared by the task pane and the on-send handler for the
   * compose session (Outlook's sessionData); gone when the draft is closed.
   */
  getSessionValue(key: string): Promise<string | null>;
  setSessionValue(key: string, value: string): Promise<void>;
  /** Custom properties saved with the draft: they survive closing and reopening it. */
  getDraftProperty(key: string): Promise<string | null>;
  setDraftProperty(key: string, value: string | null): Promise<void>;
}

/** What the on-send handler tells Outlook, before degrading to what the client supports. */
export interface SendCompletion {
  allowEvent: boolean;
  /** Plain text for the Smart Alert (every client). */
  errorMessage?: string;
  /** The same with Markdown (Mailbox 1.15). */
  errorMessageMarkdown?: string;
  /** Lets the sender choose "Send anyway" (Mailbox 1.14); otherwise the send is blocked. */
  promptUser?: boolean;
  /** The ribbon button the alert offers, e.g. the one opening the task pane (Mailbox 1.14). */
  commandId?: string;
  /** The label of that button (Mailbox 1.14). */
  cancelLabel?: string;
  /**
   * A function command that secures the message, offered instead of the task
   * pane where the alert can run a function (Mailbox 1.15).
   */
  secureCommandId?: string;
}

export interface SendEvent {
  completed(result: SendCompletion): void;
}

/** The host around the item: who is sending and what this client supports. */
export interface MailHost {
  item(): ComposeItem;
  /** The signed-in mailbox's address. */
  userAddress(): string;
  /** Whether the client supports the Mailbox requirement set 1.<minor>. */
  supportsMailbox(minor: number): boolean;
  /** A short label of the client ("Outlook on the web", "classic Outlook", ...), for diagnostics. */
  platform(): string;
  /** Calls `listener` when recipients or attachments change (where Outlook reports it); returns an unsubscribe. */
  onItemChanged(listener: () => void): Promise<() => void>;
  /** A token from Office single sign-on, where the manifest declares it; null when unavailable. */
  ssoToken(): Promise<string | null>;
}
