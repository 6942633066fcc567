import { z } from 'zod';
import { DEFAULT_RECIPIENT_FILE_TYPES } from './recipient-files';

const minutes = (n: number) => z.number().int().positive().default(n);

/**
 * Settings of the recipient portal (`portal` in the config file). The defaults
 * are the rules the portal is held to: HIPAA automatic logoff after 15 idle
 * minutes, an 8-hour absolute session, 30-minute single-use reset links, and
 * argon2id at OWASP's recommended cost.
 */
export const portalConfig = z
  .object({
    /** A session ends after this many minutes without a request. */
    idleMinutes: minutes(15),
    /** ...and at the latest this many minutes after sign-in. */
    absoluteMinutes: minutes(8 * 60),
    /** A password-reset link works once, for this many minutes. */
    resetMinutes: minutes(30),
    /** How long the cookie that carries a secure link or reset link lives. */
    linkCookieMinutes: minutes(30),
    /**
     * An e-mailed sign-in link works once, for this many minutes. It is how a
     * recipient gets in while their address is locked against password guessing.
     */
    signInLinkMinutes: minutes(15),
    /** argon2id cost (OWASP: 19 MiB, 2 passes, 1 lane). */
    argon2: z
      .object({
        memoryKiB: z.number().int().min(8192).default(19_456),
        passes: z.number().int().min(1).max(10).default(2),
        lanes: z.number().int().min(1).max(8).default(1),
        /**
         * Passwords hashed or verified at once, server-wide. Unset: half the
         * cores, leaving a thread of libuv's pool for files and DNS. More
         * would let a sign-in flood take every core from everything else.
         */
        maxConcurrent: z.number().int().min(1).max(64).optional(),
        /** Password checks that may wait for a turn; past this, sign-in answers 503 SIGN_IN_BUSY. */
        maxQueued: z.number().int().min(0).max(10_000).default(32),
      })
      .strict()
      .prefault({}),
    throttle: z
      .object({
        /**
         * Failed sign-ins for one address from one client before that client
         * waits for that address; each further failure doubles the wait.
         */
        addressClientFailures: z.number().int().positive().default(5),
        /**
         * Failed sign-ins for one address from all clients together before
         * password sign-in to it waits. Set higher than the per-client count,
         * so a few strangers' guesses do not lock the owner out; past it, the
         * owner signs in with an e-mailed link.
         */
        addressFailures: z.number().int().positive().default(20),
        /** Failures from one client address (all accounts together) before it waits. */
        clientFailures: z.number().int().positive().default(30),
        /** The first wait, in seconds; doubled per further failure. */
        baseDelaySeconds: z.number().int().positive().default(30),
        /** The longest wait, in seconds. */
        maxDelaySeconds: z
          .number()
          .int()
          .positive()
          .default(15 * 60),
        /** Failures older than this are forgotten. */
        windowMinutes: minutes(60),
        /** Reset e-mails one address may receive per window. */
        resetMailsPerAddress: z.number().int().positive().default(3),
        /**
         * Sign-in-link e-mails one address may receive per `signInLinkMinutes`.
         * Counted over the links' own lifetime, so whenever a request is
         * refused, a link mailed earlier in that time still works.
         */
        signInLinkMailsPerAddress: z.number().int().positive().default(3),
        /** Requests a minute one client may make to the routes a stranger reaches (sign-in, register, forgot, reset, /r/). */
        strangerRequestsPerMinute: z.number().int().positive().default(30),
      })
      .strict()
      .prefault({}),
    /**
     * What one recipient may send to representatives through the portal:
     * their mail arrives from the organisation's own address, so a signed-in
     * stranger must not be able to flood inboxes or pass programs through it.
     */
    recipientMessages: z
      .object({
        /** Replies and new messages one account may send in an hour. */
        perHour: z.number().int().positive().default(20),
        /** Attachment bytes one account may send in 24 hours, in MB. */
        attachmentMegabytesPerDay: z.number().int().positive().default(100),
        /** File extensions recipients may attach; programs and web pages are refused by content too. */
        fileTypes: z
          .array(z.string().regex(/^[a-z0-9]{1,10}$/i, 'an extension without its dot, such as pdf'))
          .default([...DEFAULT_RECIPIENT_FILE_TYPES]),
      })
      .strict()
      .prefault({}),
    /** Attachments of one reply or new message, in all. */
    messageAttachmentBytes: z
      .number()
      .int()
      .positive()
      .default(10 * 1024 * 1024),
  })
  .strict()
  .prefault({});

export type PortalConfig = z.infer<typeof portalConfig>;
