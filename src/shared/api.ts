import { z } from 'zod';

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
  .transform((a) => a.toLowerCase());

export const attachmentInput = z.object({
  name: z.string().trim().min(1).max(255),
  contentType: z.string().trim().min(1).max(255),
  contentBase64: z.string().regex(/^[\d+/a-z]*={0,2}$/i, 'must be base64'),
});

export const createEnvelopeRequest = z
  .object({
    from: emailAddress,
    to: z.array(emailAddress).max(500).default([]),
    cc: z.array(emailAddress).max(500).default([]),
    bcc: z.array(emailAddress).max(500).default([]),
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

/** `POST /v1/envelopes/:id/resend`: new links for all recipients, or for those listed. */
export const resendLinksRequest = z
  .object({ recipients: z.array(emailAddress).min(1).max(500).optional() })
  .strict();

export interface Notice {
  subject: string;
  html: string;
  text: string;
}

export interface CreateEnvelopeResponse {
  id: string;
  /** What the add-in puts in place of the message before Outlook sends it. */
  notice: Notice;
  recipients: { address: string }[];
}
