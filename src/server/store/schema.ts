import type { ColumnType, Generated } from 'kysely';

/**
 * The database as Kysely sees it. The same schema runs on SQLite (embedded)
 * and PostgreSQL; times are ISO-8601 strings in UTC and binary data is
 * base64url text, so both engines store and compare them the same way.
 *
 * No column holds message content in the clear: bodies are JWE documents,
 * attachments live encrypted in the blob store, and secure-link tokens are
 * stored only as hashes.
 *
 * Declared here are the core tables; each feature's tables (TLS verdicts, the
 * portal) are merged into this interface by src/server/features.ts, so the
 * store names no feature while every module still sees one Database type.
 */
export interface Database {
  envelopes: EnvelopeTable;
  envelope_recipients: EnvelopeRecipientTable;
  attachments: AttachmentTable;
  secure_links: SecureLinkTable;
  recipients: RecipientTable;
  idempotency_keys: IdempotencyKeyTable;
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  audit_pending: AuditPendingTable;
  data_keys: DataKeyTable;
}

/** A key wrapped by the key-encryption key: 'audit' (kid "audit") or 'content' (the newest is current). */
export interface DataKeyTable {
  kid: string;
  purpose: string;
  wrapped: string;
  created_at: string;
}

export interface EnvelopeTable {
  id: string;
  /** The sender's address, from the validated token. */
  sender: string;
  /** The sender's display name from their token, shown to recipients; null when the token had none. */
  sender_name: string | null;
  /** Entra ID object id (oid) or the development subject. */
  sender_subject: string;
  tenant_id: string;
  /** JWE (flattened JSON) of {subject, html, text}: never plaintext. */
  content_jwe: string;
  /** Key id that wraps the content key; rotation rewrites it. */
  content_kid: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface EnvelopeRecipientTable {
  id: string;
  envelope_id: string;
  /** Lower-cased address. */
  address: string;
  kind: 'to' | 'cc' | 'bcc';
  /** Set when the sender withdrew the message from this recipient alone; unset on insert. */
  revoked_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AttachmentTable {
  id: string;
  envelope_id: string;
  /** JWE of {name, contentType}: file names can be sensitive too. */
  meta_jwe: string;
  /** The data key, wrapped (JWE) under the current key. */
  wrapped_key: string;
  wrapped_kid: string;
  /** Blob-store key of the chunked AES-GCM ciphertext. */
  blob_key: string;
  size: number;
  position: number;
}

export interface SecureLinkTable {
  /** SHA-256 of the token, base64url: the token itself is never stored. */
  token_hash: string;
  envelope_id: string;
  recipient_id: string;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
}

export interface RecipientTable {
  /** Lower-cased address. */
  address: string;
  registered_at: string | null;
}

export interface IdempotencyKeyTable {
  sender_subject: string;
  key: string;
  /** SHA-256 of the canonical request body. */
  request_hash: string;
  envelope_id: string;
  /** The JSON of the 201 answer, replayed for a retry (holds no message content). */
  response_json: string;
  created_at: string;
}

export type OutboxStatus = 'pending' | 'sent' | 'dead';

export interface OutboxTable {
  id: string;
  envelope_id: string;
  recipient_id: string;
  /** Stable Message-ID: a retry re-sends the same message, never a second one. */
  message_id: string;
  to_address: string;
  /** The rendered notice (no message content, only the secure link's text). JSON {subject, text, html}. */
  notice_json: string;
  status: OutboxStatus;
  attempts: Generated<number>;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** What every audit record holds, chained or not. */
interface AuditFields {
  at: string;
  /** Who: "sender:<subject>", "recipient:<address>", "system". */
  actor: string;
  action: string;
  /** What it was done to: "envelope:<id>", "outbox:<id>". */
  target: string;
  outcome: 'ok' | 'denied' | 'failed';
  source_ip: string | null;
  /** JSON of extra facts; never content, passwords or tokens. */
  detail: string;
}

/** An audit record not yet in the chain (see audit/sealer.ts). */
export interface AuditPendingTable extends AuditFields {
  /** Orders records: a sortable time, then the writing process's counter and a random part. */
  id: string;
}

export interface AuditLogTable extends AuditFields {
  seq: ColumnType<number, number, never>;
  prev_hash: string;
  /** HMAC-SHA256 over prev_hash and this record's fields. */
  hash: string;
}
