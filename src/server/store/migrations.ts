import type { Kysely, Migration } from 'kysely';

/**
 * The core tables' migrations (envelopes, links, outbox, audit). Each runs on
 * SQLite and PostgreSQL alike: plain text, integer and boolean-free columns,
 * so one definition serves both.
 *
 * Features (the TLS checker, the portal) keep their own migrations beside
 * their code; src/server/features.ts lists them all. Names are global and
 * fixed once released: Kysely runs migrations in name order and refuses a
 * database that has run a name this list lacks.
 */
export const CORE_MIGRATIONS: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('envelopes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('sender', 'text', (c) => c.notNull())
        .addColumn('sender_subject', 'text', (c) => c.notNull())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('content_jwe', 'text', (c) => c.notNull())
        .addColumn('content_kid', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createTable('envelope_recipients')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('envelope_id', 'text', (c) => c.notNull().references('envelopes.id'))
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('envelope_recipients_envelope')
        .on('envelope_recipients')
        .column('envelope_id')
        .execute();
      await db.schema
        .createIndex('envelope_recipients_address')
        .on('envelope_recipients')
        .column('address')
        .execute();
      await db.schema
        .createTable('attachments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('envelope_id', 'text', (c) => c.notNull().references('envelopes.id'))
        .addColumn('meta_jwe', 'text', (c) => c.notNull())
        .addColumn('wrapped_key', 'text', (c) => c.notNull())
        .addColumn('wrapped_kid', 'text', (c) => c.notNull())
        .addColumn('blob_key', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('attachments_envelope').on('attachments').column('envelope_id').execute();
      await db.schema
        .createTable('secure_links')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('envelope_id', 'text', (c) => c.notNull().references('envelopes.id'))
        .addColumn('recipient_id', 'text', (c) => c.notNull().references('envelope_recipients.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .execute();
      await db.schema
        .createTable('recipients')
        .addColumn('address', 'text', (c) => c.primaryKey())
        .addColumn('registered_at', 'text')
        .execute();
      await db.schema
        .createTable('idempotency_keys')
        .addColumn('sender_subject', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('envelope_id', 'text', (c) => c.notNull())
        .addColumn('response_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['sender_subject', 'key'])
        .execute();
      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('envelope_id', 'text', (c) => c.notNull())
        .addColumn('recipient_id', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull().unique())
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('notice_json', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .execute();
      await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('source_ip', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
    },
  },
  /**
   * Keys kept in the database, wrapped by the operator's key-encryption key
   * (crypto/store-keyring.ts): one table every instance of a fleet reads.
   */
  '0006_data_keys': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('data_keys')
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('wrapped', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  /**
   * Audit records on their way into the chain (audit/sealer.ts): written in
   * the action's own transaction without the chain's lock, then moved into
   * audit_log, chained, by a sealer. `id` orders them: time first, then the
   * writing process's counter.
   */
  '0007_audit_pending': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('audit_pending')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('source_ip', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
    },
  },
  /** A sender may withdraw a message from one recipient and leave it readable for the others. */
  '0008_recipient_revocation': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('envelope_recipients').addColumn('revoked_at', 'text').execute();
    },
  },
  /** Recipients see who wrote to them by name, not only by address. */
  '0004_sender_name': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('envelopes').addColumn('sender_name', 'text').execute();
    },
  },
};
