import { z } from 'zod';
import { emailAddress, someRecipients } from './api';
import { fieldErrorCodes } from './field-errors';
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
 *
 * Answers are schemas too, which the server writes them with: a field an
 * answer's schema does not list never leaves the server. What they carry was
 * checked on the way in (addresses lower-cased), so they hold plain strings.
 */

export { PASSWORD_MAX, PASSWORD_MIN, PASSWORD_RECOMMENDED } from './password-rules';

/** A new password: too short or too long is PASSWORD_REJECTED, with the rule it broke. */
export const password = z
  .string()
  .min(PASSWORD_MIN, `use at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `use at most ${PASSWORD_MAX} characters`)
  .register(fieldErrorCodes, { too_small: 'PASSWORD_REJECTED', too_big: 'PASSWORD_REJECTED' });

/** `GET /portal/api/session` */
export const sessionInfo = z.object({
  signedIn: z.boolean(),
  /** The signed-in recipient's address. */
  address: z.string().optional(),
  /** Send in `x-csrf-token` on every POST. Present even before sign-in (bound to a pre-session cookie). */
  csrfToken: z.string(),
  /** When the session ends if idle, and at the latest (ISO 8601). */
  idleExpiresAt: z.string().optional(),
  absoluteExpiresAt: z.string().optional(),
  /** Not signed in because the session just ended: after idle minutes, or at the absolute limit. */
  endedReason: z.enum(['idle', 'absolute']).optional(),
});
export type SessionInfo = z.infer<typeof sessionInfo>;

/**
 * `GET /portal/api/link` — what the secure link held in the link cookie leads to.
 * `register`: the recipient has no account yet; the address is fixed to the one the link was sent to.
 * `sign-in`: the recipient has an account; after sign-in open `threadId`.
 * `open`: already signed in as this recipient; open `threadId`.
 */
export const linkState = z.discriminatedUnion('state', [
  z.object({ state: z.literal('register'), address: z.string(), senderName: z.string() }),
  z.object({ state: z.literal('sign-in'), address: z.string(), threadId: z.string() }),
  z.object({ state: z.literal('open'), threadId: z.string() }),
  z.object({
    state: z.enum(['expired', 'revoked']),
    senderName: z.string(),
    senderAddress: z.string(),
    supportContact: z.string(),
  }),
  z.object({ state: z.literal('invalid') }),
]);
export type LinkState = z.infer<typeof linkState>;

/**
 * `GET /r/<token>` and `GET /portal/reset/<token>`: the token as the link
 * carries it (the server checks it, not its shape).
 */
export const linkTokenParams = z.object({ token: z.string() });

/** `POST /portal/api/register` (uses the link cookie) → `SignInResult`. */
export const registerRequest = z
  .object({ password, passwordConfirm: z.string() })
  .strict()
  .refine((r) => r.password === r.passwordConfirm, {
    error: 'the two passwords differ',
    path: ['passwordConfirm'],
  });
export type RegisterRequest = z.infer<typeof registerRequest>;

/**
 * The password given at sign-in, checked against the account's rather than
 * against the rules for a new one (one too short for those is simply wrong);
 * empty or longer than any password can be is PASSWORD_REJECTED all the same.
 */
const signInPassword = z
  .string()
  .min(1, 'enter the password')
  .max(PASSWORD_MAX, `use at most ${PASSWORD_MAX} characters`)
  .register(fieldErrorCodes, { too_small: 'PASSWORD_REJECTED', too_big: 'PASSWORD_REJECTED' });

/** `POST /portal/api/sign-in` → `SignInResult`; a new session id is issued. */
export const signInRequest = z.object({ address: emailAddress, password: signInPassword }).strict();
export type SignInRequest = z.infer<typeof signInRequest>;

export const signInResult = z.object({
  address: z.string(),
  csrfToken: z.string(),
  /** The thread the secure link pointed to, when there was one. */
  threadId: z.string().optional(),
  /** When the new session ends if idle, and at the latest (ISO 8601). */
  idleExpiresAt: z.string().optional(),
  absoluteExpiresAt: z.string().optional(),
});
export type SignInResult = z.infer<typeof signInResult>;

/** `POST /portal/api/sign-out` → 204. */

/** `POST /portal/api/password/forgot` → 202 `{message}` whether or not the address has an account. */
export const forgotPasswordRequest = z.object({ address: emailAddress }).strict();

/** The 202 of forgot-password and sign-in-link: a sentence for the person, the same for every address. */
export const acceptedNote = z.object({ message: z.string() });

/** `POST /portal/api/password/reset` (uses the reset cookie) → 204; every session of the account ends. */
export const resetPasswordRequest = z
  .object({ password, passwordConfirm: z.string() })
  .strict()
  .refine((r) => r.password === r.passwordConfirm, {
    error: 'the two passwords differ',
    path: ['passwordConfirm'],
  });

/** A representative as the recipient sees them: by name when their sign-in token carried one. */
export const correspondent = z.object({ address: z.string(), name: z.string().optional() });

export const threadSummary = z.object({
  id: z.string(),
  subject: z.string(),
  /** The representative this recipient corresponds with in the thread. */
  correspondent,
  lastMessageAt: z.string(),
  messageCount: z.number(),
  unread: z.boolean(),
  /** When the thread's newest message stops being readable. */
  expiresAt: z.string(),
  /** The sender withdrew the message: opening the thread answers 410 REVOKED. */
  revoked: z.boolean().optional(),
});
export type ThreadSummary = z.infer<typeof threadSummary>;

/** `GET /portal/api/threads` → `{threads: ThreadSummary[]}`, newest first. */
export const threadList = z.object({ threads: z.array(threadSummary) });

export const attachmentInfo = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number(),
});
export type AttachmentInfo = z.infer<typeof attachmentInfo>;

export const portalMessage = z.object({
  id: z.string(),
  /** `in`: from the representative to this recipient; `out`: this recipient's reply or new message. */
  direction: z.enum(['in', 'out']),
  from: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  sentAt: z.string(),
  subject: z.string(),
  /** Raw HTML as the sender wrote it: the portal sanitises it before display. */
  html: z.string().optional(),
  text: z.string().optional(),
  attachments: z.array(attachmentInfo),
  expiresAt: z.string(),
});
export type PortalMessage = z.infer<typeof portalMessage>;

/** A thread in a path: `/portal/api/threads/:id`, `…/:id/reply`. */
export const threadParams = z.object({ id: z.string() });

/** `GET /portal/api/threads/:id` → `Thread` (marks it read); expired → 410 EXPIRED, revoked → 410 REVOKED. */
export const thread = z.object({
  id: z.string(),
  subject: z.string(),
  correspondent,
  messages: z.array(portalMessage),
});
export type Thread = z.infer<typeof thread>;

/**
 * `GET /portal/api/messages/:messageId/attachments/:attachmentId` → the file,
 * decrypted on the fly, `Content-Disposition: attachment`.
 */
export const attachmentParams = z.object({ messageId: z.string(), attachmentId: z.string() });

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
export const replyResult = z.object({ message: portalMessage });

/** `GET /portal/api/correspondents` → `{correspondents: {address, name?}[]}`: whom a new message may go to. */
export const correspondentList = z.object({ correspondents: z.array(correspondent) });

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
export const newMessageResult = z.object({ threadId: z.string(), message: portalMessage });

/**
 * Server side, not called by the portal: `POST /v1/envelopes/:id/revoke`
 * (the sender's bearer token) → `{id, revokedAt}`; another sender's envelope
 * is 404 like one that does not exist.
 */
export const revokeParams = z.object({ id: z.string() });
/**
 * The envelope is in the path and the sender in the token. With `recipients`,
 * the message is withdrawn from those recipients alone; without, from all.
 */
export const revokeRequest = z.object({ recipients: someRecipients }).strict();
/** `revokedAt`: when the whole message was withdrawn; `recipients`: those it was withdrawn from alone. */
export const revokeResult = z.object({
  id: z.string(),
  revokedAt: z.string().nullable(),
  recipients: z.array(z.object({ address: z.string(), revokedAt: z.string() })).optional(),
});
export type RevokeResult = z.infer<typeof revokeResult>;

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
export const signInLinkRequest = z
  .object({ address: emailAddress })
  .strict()
  // The address is all it reads: whatever is wrong with the request, it is an address problem.
  .register(fieldErrorCodes, { '*': 'INVALID_ADDRESS' });

/** `POST /portal/api/sign-in-link/use` takes nothing: the token is in the cookie. */
export const signInWithLinkRequest = z.object({});

/**
 * The sign-in link's query. A token that is not one string (a link a mail
 * client mangled) still leads to the page, which says the link did not work.
 */
export const signInLinkQuery = z.object({ token: z.string().optional().catch(undefined) });
