import { z } from 'zod';
import { emailAddress } from './api';
import { PASSWORD_MAX, PASSWORD_MIN } from './password-rules';

/**
 * The contract between the recipient portal (browser) and the server. Every
 * route lives under `/portal/api/`, on the portal's own origin. State-changing
 * requests carry the session's CSRF token in the `x-csrf-token` header and are
 * refused when their Origin is not the server's own.
 *
 * A secure link `/r/<token>` is answered by the server, not the app: it checks
 * the token, keeps it in a short-lived HttpOnly cookie and redirects to
 * `/portal/#/link`, so the token leaves the address bar and history at once.
 * A reset link `/portal/reset/<token>` works the same way (→ `/portal/#/reset`).
 */

export { PASSWORD_MAX, PASSWORD_MIN, PASSWORD_RECOMMENDED } from './password-rules';

export const password = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);

/** `GET /portal/api/session` */
export interface SessionInfo {
  signedIn: boolean;
  /** The signed-in recipient's address. */
  address?: string;
  /** Send in `x-csrf-token` on every POST. Present even before sign-in (bound to a pre-session cookie). */
  csrfToken: string;
  /** When the session ends if idle, and at the latest (ISO 8601). */
  idleExpiresAt?: string;
  absoluteExpiresAt?: string;
  /** Not signed in because the session just ended: after idle minutes, or at the absolute limit. */
  endedReason?: 'idle' | 'absolute';
}

/**
 * `GET /portal/api/link` — what the secure link held in the link cookie leads to.
 * `register`: the recipient has no account yet; the address is fixed to the one the link was sent to.
 * `sign-in`: the recipient has an account; after sign-in open `threadId`.
 * `open`: already signed in as this recipient; open `threadId`.
 */
export type LinkState =
  | { state: 'register'; address: string; senderName: string }
  | { state: 'sign-in'; address: string; threadId: string }
  | { state: 'open'; threadId: string }
  | { state: 'expired' | 'revoked'; senderName: string; senderAddress: string; supportContact: string }
  | { state: 'invalid' };

/** `POST /portal/api/register` (uses the link cookie) → `SignInResult`. */
export const registerRequest = z
  .object({ password, passwordConfirm: z.string() })
  .strict()
  .refine((r) => r.password === r.passwordConfirm, {
    error: 'the two passwords differ',
    path: ['passwordConfirm'],
  });
export type RegisterRequest = z.infer<typeof registerRequest>;

/** `POST /portal/api/sign-in` → `SignInResult`; a new session id is issued. */
export const signInRequest = z
  .object({ address: emailAddress, password: z.string().min(1).max(PASSWORD_MAX) })
  .strict();
export type SignInRequest = z.infer<typeof signInRequest>;

export interface SignInResult {
  address: string;
  csrfToken: string;
  /** The thread the secure link pointed to, when there was one. */
  threadId?: string;
  /** When the new session ends if idle, and at the latest (ISO 8601). */
  idleExpiresAt?: string;
  absoluteExpiresAt?: string;
}

/** `POST /portal/api/sign-out` → 204. */

/** `POST /portal/api/password/forgot` → 202 `{message}` whether or not the address has an account. */
export const forgotPasswordRequest = z.object({ address: emailAddress }).strict();

/** `POST /portal/api/password/reset` (uses the reset cookie) → 204; every session of the account ends. */
export const resetPasswordRequest = z
  .object({ password, passwordConfirm: z.string() })
  .strict()
  .refine((r) => r.password === r.passwordConfirm, {
    error: 'the two passwords differ',
    path: ['passwordConfirm'],
  });

/** `GET /portal/api/threads` → `{threads: ThreadSummary[]}`, newest first. */
export interface ThreadSummary {
  id: string;
  subject: string;
  /** The representative this recipient corresponds with in the thread. */
  correspondent: { address: string; name?: string };
  lastMessageAt: string;
  messageCount: number;
  unread: boolean;
  /** When the thread's newest message stops being readable. */
  expiresAt: string;
  /** The sender withdrew the message: opening the thread answers 410 REVOKED. */
  revoked?: boolean;
}

export interface AttachmentInfo {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

export interface PortalMessage {
  id: string;
  /** `in`: from the representative to this recipient; `out`: this recipient's reply or new message. */
  direction: 'in' | 'out';
  from: string;
  to: string[];
  cc: string[];
  sentAt: string;
  subject: string;
  /** Raw HTML as the sender wrote it: the portal sanitises it before display. */
  html?: string;
  text?: string;
  attachments: AttachmentInfo[];
  expiresAt: string;
}

/** `GET /portal/api/threads/:id` → `Thread` (marks it read); expired → 410 EXPIRED, revoked → 410 REVOKED. */
export interface Thread {
  id: string;
  subject: string;
  correspondent: { address: string; name?: string };
  messages: PortalMessage[];
}

/**
 * `GET /portal/api/messages/:messageId/attachments/:attachmentId` → the file,
 * decrypted on the fly, `Content-Disposition: attachment`.
 */

export const portalAttachment = z
  .object({
    name: z.string().trim().min(1).max(255),
    contentType: z.string().trim().min(1).max(255),
    contentBase64: z.string().regex(/^[\d+/a-z]*={0,2}$/i, 'must be base64'),
  })
  .strict();

/** `POST /portal/api/threads/:id/reply` → `{message: PortalMessage}` (201). */
export const replyRequest = z
  .object({
    text: z.string().trim().min(1).max(100_000),
    attachments: z.array(portalAttachment).max(10).default([]),
  })
  .strict();
export type ReplyRequest = z.infer<typeof replyRequest>;

/** `GET /portal/api/correspondents` → `{correspondents: {address, name?}[]}`: whom a new message may go to. */

/** `POST /portal/api/messages` → `{threadId, message: PortalMessage}` (201). */
export const newMessageRequest = z
  .object({
    to: emailAddress,
    subject: z.string().trim().min(1).max(200),
    text: z.string().trim().min(1).max(100_000),
    attachments: z.array(portalAttachment).max(10).default([]),
  })
  .strict();
export type NewMessageRequest = z.infer<typeof newMessageRequest>;

/**
 * Server side, not called by the portal: `POST /v1/envelopes/:id/revoke`
 * (the sender's bearer token) → `{id, revokedAt}`; another sender's envelope
 * is 404 like one that does not exist.
 */
export interface RevokeResult {
  id: string;
  revokedAt: string;
}

/**
 * `POST /portal/api/sign-in-link` `{address}` → 202 `{message}`, the same
 * whether or not the address has an account: a one-time link to sign in
 * without the password is mailed to it. It is the way in while password
 * sign-in to the address waits after many failed guesses.
 *
 * The link `/portal/sign-in-link?token=<token>` keeps the token in a
 * short-lived HttpOnly cookie and redirects to `/portal/#/email-link-sign-in`,
 * where the page asks for a click before it signs in (a mail scanner that
 * follows links must not spend it):
 * `POST /portal/api/sign-in-link/use` → `SignInResult`; a used or expired
 * link → 400 TOKEN_NOT_VALID.
 */
export const signInLinkRequest = z.object({ address: emailAddress }).strict();
