import { z } from 'zod';

/**
 * What an outbox row's stored JSON holds once opened: a notice
 * `{subject, text, html}`, or portal mail that adds threading headers, a
 * Reply-To and attachments. Validated when read, so a row that does not parse
 * is dead at once rather than retried forever.
 */
const messageId = z.string().regex(/^<[^<>\s]{3,250}>$/, 'must be a Message-ID in angle brackets');

const outboundMail = z.object({
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  replyTo: z.string().min(3).max(320).optional(),
  inReplyTo: messageId.optional(),
  references: z.array(messageId).max(50).optional(),
  attachments: z
    .array(
      z.object({
        filename: z.string().min(1).max(255),
        contentType: z.string().min(1).max(255),
        contentBase64: z.string(),
      }),
    )
    .max(20)
    .optional(),
  /** false: a person's message relayed (no Auto-Submitted header); default: machine-made. */
  auto: z.boolean().optional(),
});

export type OutboundMail = z.infer<typeof outboundMail>;

export function parseOutboundMail(json: string): OutboundMail {
  return outboundMail.parse(JSON.parse(json));
}
