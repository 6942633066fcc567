/**
 * The portal's tables, merged into the store's `Database`. Like the rest of
 * the store: times are ISO-8601 UTC strings, secrets are stored only as
 * hashes, and content only as JWE.
 */
export interface PortalTables {
  portal_accounts: PortalAccountTable;
  portal_sessions: PortalSessionTable;
  portal_reset_tokens: PortalResetTokenTable;
  portal_sign_in_links: PortalSignInLinkTable;
  portal_throttle: PortalThrottleTable;
  portal_threads: PortalThreadTable;
  portal_reads: PortalReadTable;
  portal_messages: PortalMessageTable;
  portal_attachments: PortalAttachmentTable;
}

export interface PortalAccountTable {
  /** Lower-cased address: the username. */
  address: string;
  /** argon2id PHC string. */
  password_hash: string;
  created_at: string;
  password_changed_at: string;
}

export interface PortalSessionTable {
  /** SHA-256 of the session id: the id itself lives only in the browser's cookie. */
  id_hash: string;
  address: string;
  created_at: string;
  last_seen_at: string;
  absolute_expires_at: string;
}

export interface PortalResetTokenTable {
  /** SHA-256 of the token. */
  token_hash: string;
  address: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** A one-time sign-in link mailed to an address: single use, short-lived. */
export interface PortalSignInLinkTable {
  /** SHA-256 of the token. */
  token_hash: string;
  address: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface PortalThrottleTable {
  /** "signin:address:<hash>", "signin:client:<hash>", ...: what is being counted. */
  key: string;
  /** Attempts in the window (for sign-in, taken before the password is checked). */
  failures: number;
  first_failure_at: string;
  /** Until when attempts are refused. */
  blocked_until: string | null;
}

/** A conversation the recipient started with a representative (envelope threads need no row). */
export interface PortalThreadTable {
  id: string;
  address: string;
  correspondent: string;
  created_at: string;
}

/** When the recipient last opened a thread: what is unread. */
export interface PortalReadTable {
  thread_id: string;
  address: string;
  read_at: string;
}

/** A reply or new message from a recipient to a representative. */
export interface PortalMessageTable {
  id: string;
  thread_id: string;
  /** The envelope the thread started with; null for a thread the recipient started. */
  envelope_id: string | null;
  /** The recipient who wrote it. */
  address: string;
  /** The representative it went to. */
  to_address: string;
  /** JWE of {subject, text}: never plaintext. */
  content_jwe: string;
  content_kid: string;
  /** Message-ID of the e-mail the representative received, for threading the next one. */
  mail_message_id: string;
  created_at: string;
  expires_at: string;
}

export interface PortalAttachmentTable {
  id: string;
  message_id: string;
  /** JWE of {name, contentType}. */
  meta_jwe: string;
  wrapped_key: string;
  wrapped_kid: string;
  blob_key: string;
  size: number;
  position: number;
}
