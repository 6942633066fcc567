import { z } from 'zod';
import { FINDING_TYPES } from './entities';
import { fieldErrorCodes } from './field-errors';
import { TLS_LEVELS } from './org-policy';

/**
 * The API contract between the add-in, the portal and the server. Schemas
 * validate at the edge; the inferred types are what both sides compile against.
 */

/**
 * Control, format and direction characters (NUL, ESC, zero-width spaces,
 * U+202E and the other bidi controls): invisible in an address, and mail
 * libraries have delivered such an address to a different mailbox.
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** An address as mail systems accept it: local@domain, at most 254 characters. */
export const emailAddress = z
  .string()
  .max(254)
  .refine((a) => !INVISIBLE.test(a), {
    error: 'contains an invisible or control character; retype the address',
  })
  .trim()
  // The local part as RFC 5321 writes it unquoted: ASCII letters, digits and
  // the usual signs, dots only between them.
  .regex(
    /^[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*@(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i,
    'must be an e-mail address such as name@example.org',
  )
  .refine((a) => a.indexOf('@') <= 64, { error: 'the part before @ is longer than 64 characters' })
  .transform((a) => a.toLowerCase())
  .register(fieldErrorCodes, { '*': 'INVALID_ADDRESS' });

/** A list of recipients: a wrong entry, or none where one is needed, is an address problem; too many is not. */
const recipientList = z
  .array(emailAddress)
  .max(500)
  .register(fieldErrorCodes, { '*': 'INVALID_ADDRESS', too_big: 'VALIDATION_FAILED' });

export const attachmentInput = z.object({
  name: z.string().trim().min(1).max(255),
  contentType: z.string().trim().min(1).max(255),
  contentBase64: z.string().regex(/^[\d+/a-z]*={0,2}$/i, 'must be base64'),
});

export const createEnvelopeRequest = z
  .object({
    from: emailAddress,
    to: recipientList.default([]),
    cc: recipientList.default([]),
    bcc: recipientList.default([]),
    subject: z.string().max(998).default(''),
    html: z.string().optional(),
    text: z.string().optional(),
    attachments: z.array(attachmentInput).max(100).default([]),
  })
  .strict()
  .refine((r) => r.to.length + r.cc.length + r.bcc.length > 0, {
    error: 'needs at least one recipient in to, cc or bcc',
    path: ['to'],
  });

export type CreateEnvelopeRequest = z.infer<typeof createEnvelopeRequest>;

/** Some of a message's recipients, named; absent means all of them. */
export const someRecipients = z
  .array(emailAddress)
  .min(1)
  .max(500)
  .register(fieldErrorCodes, { '*': 'INVALID_ADDRESS' })
  .optional();

/** `POST /v1/envelopes/:id/resend`: new links for all recipients, or for those listed. */
export const resendLinksRequest = z.object({ recipients: someRecipients }).strict();

/** An envelope's id in a path. */
export const envelopeParams = z.object({ id: z.string().min(1).max(64) });

/** The header that makes `POST /v1/envelopes` safe to retry. */
export const IDEMPOTENCY_KEY_HINT =
  'send an Idempotency-Key header (8-200 letters, digits, ".", ":", "_" or "-") so a retry cannot send twice';
// Loose: Fastify puts the validated headers in place of the request's, and the others must stay.
export const idempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string({ error: IDEMPOTENCY_KEY_HINT })
    .regex(/^[\w.:-]{8,200}$/, IDEMPOTENCY_KEY_HINT)
    .register(fieldErrorCodes, { '*': 'IDEMPOTENCY_KEY_REQUIRED' }),
});

/** An address as the server answers it (already checked and lower-cased). */
const addressOut = z.object({ address: z.string() });

export const notice = z.object({ subject: z.string(), html: z.string(), text: z.string() });
export type Notice = z.infer<typeof notice>;

export const createEnvelopeResponse = z.object({
  id: z.string(),
  /** What the add-in puts in place of the message before Outlook sends it. */
  notice,
  recipients: z.array(addressOut),
});
export type CreateEnvelopeResponse = z.infer<typeof createEnvelopeResponse>;

/** The longest reason a sender may give for sending flagged mail as is. */
export const OVERRIDE_REASON_MAX = 200;

/**
 * `POST /v1/overrides`: a sender sends flagged mail as is (the `prompt`
 * action) and says why. What was found is sent as types and counts only,
 * never values; the draft by a digest of what it holds.
 */
export const recordOverrideRequest = z
  .object({
    /** A digest of the draft (recipients, subject, body, attachment names): the override is for it alone. */
    draft: z.string().regex(/^[0-9a-f]{16}$/, 'a 16-digit hex digest of the draft'),
    reason: z.string().trim().max(OVERRIDE_REASON_MAX),
    /** Findings by type, as counts. */
    findings: z.partialRecord(z.enum(FINDING_TYPES), z.number().int().min(1).max(100_000)),
    /** Attachments that could not be read, counted. */
    unscanned: z.number().int().min(0).max(500).default(0),
    /** The external domains that made the message unsafe to send as is, with why. */
    domains: z
      .array(
        z
          .object({
            domain: z.string().min(1).max(253),
            level: z.enum([...TLS_LEVELS, 'unchecked']),
            why: z.enum(['unprotected', 'consumer', 'no-mail']),
          })
          .strict(),
      )
      .min(1)
      .max(100),
    recipients: z.array(emailAddress).min(1).max(500).register(fieldErrorCodes, { '*': 'INVALID_ADDRESS' }),
  })
  .strict();
export type RecordOverrideRequest = z.infer<typeof recordOverrideRequest>;

export const recordOverrideResponse = z.object({ id: z.string(), recordedAt: z.string() });
export type RecordOverrideResponse = z.infer<typeof recordOverrideResponse>;

/**
 * `POST /v1/envelopes/outcome`: what became of the send an Idempotency-Key
 * names, asked when its answer was lost. `sent`: the envelope exists (its
 * notices are queued), with the answer the send would have had. `not-sent`:
 * nothing was made, and from now on nothing will be under this key: a
 * request still on its way is refused, so the answer stays true.
 */
/** The question carries nothing but its Idempotency-Key header: an empty object, or no body at all. */
export const envelopeOutcomeRequest = z.object({}).strict().optional();

export const envelopeOutcomeResponse = z.discriminatedUnion('status', [
  z.object({ status: z.literal('sent'), envelope: createEnvelopeResponse }),
  z.object({ status: z.literal('not-sent') }),
]);
export type EnvelopeOutcomeResponse = z.infer<typeof envelopeOutcomeResponse>;

export const resendLinksResponse = z.object({
  id: z.string(),
  recipients: z.array(addressOut),
  expiresAt: z.string(),
  /** How many earlier links of these recipients stopped working: each has only its newest link. */
  earlierLinksRetired: z.number().int(),
});
export type ResendLinksResponse = z.infer<typeof resendLinksResponse>;

/** Every error answer of the API. */
export const apiErrorResponse = z.object({ code: z.string(), message: z.string() });

/** The furthest a sender may move a message's expiry: a year from now. */
export const MAX_EXPIRY_DAYS = 365;

/** `POST /v1/envelopes/:id/expiry`: a new expiry, later or sooner (to end it now, withdraw it). */
export const changeExpiryRequest = z
  .object({
    expiresAt: z.iso.datetime({ offset: true, error: 'an ISO 8601 time, e.g. 2027-01-31T17:00:00Z' }),
  })
  .strict();
export const changeExpiryResponse = z.object({ id: z.string(), expiresAt: z.string() });
export type ChangeExpiryResponse = z.infer<typeof changeExpiryResponse>;

/** `GET /v1/sent`: the signed-in sender's own secure messages, newest first. */
export const sentItemsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** Where one recipient's notice is: waiting, being retried, handed to their mail server, or given up on. */
export const NOTICE_STATES = ['queued', 'retrying', 'delivered', 'dead-lettered'] as const;

export const sentRecipient = z.object({
  address: z.string(),
  kind: z.enum(['to', 'cc', 'bcc']),
  notice: z.enum(NOTICE_STATES),
  /** When the recipient's mail server took the newest notice. */
  deliveredAt: z.string().nullable(),
  /** When the recipient first and last opened the message (link or portal). */
  firstOpenedAt: z.string().nullable(),
  lastOpenedAt: z.string().nullable(),
  /** When the recipient last replied through the portal. */
  repliedAt: z.string().nullable(),
  /** When the sender withdrew the message from this recipient alone. */
  revokedAt: z.string().nullable(),
});
export type SentRecipient = z.infer<typeof sentRecipient>;

export const sentItem = z.object({
  id: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  recipients: z.array(sentRecipient),
});
export type SentItem = z.infer<typeof sentItem>;

export const sentItemsResponse = z.object({ envelopes: z.array(sentItem) });
export type SentItemsResponse = z.infer<typeof sentItemsResponse>;
