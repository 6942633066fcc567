import { z } from 'zod';

/**
 * The API contract between the add-in, the portal and the server. Schemas
 * validate at the edge; the inferred types are what both sides compile against.
 */

/** An address as mail systems accept it: local@domain, at most 254 characters. */
export const emailAddress = z
  .string()
  .trim()
  .max(254)
  .regex(
    /^[^\s@<>()[\]\\,;:"]{1,64}@(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i,
    'must be an e-mail address such as name@example.org',
  )
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
