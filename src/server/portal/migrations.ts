import type { Kysely, Migration } from 'kysely';

/** The portal's migrations, named to run after the TLS checker's (and the later ones after the store's own). */
export const PORTAL_MIGRATIONS: Record<string, Migration> = {
  '0003_portal': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('portal_accounts')
        .addColumn('address', 'text', (c) => c.primaryKey())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('password_changed_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('portal_sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('absolute_expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('portal_sessions_address')
        .on('portal_sessions')
        .column('address')
        .execute();
      await db.schema
        .createTable('portal_reset_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await db.schema
        .createIndex('portal_reset_tokens_address')
        .on('portal_reset_tokens')
        .column('address')
        .execute();
      await db.schema
        .createTable('portal_throttle')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('first_failure_at', 'text', (c) => c.notNull())
        .addColumn('blocked_until', 'text')
        .execute();
      await db.schema
        .createTable('portal_threads')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('correspondent', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('portal_threads_address').on('portal_threads').column('address').execute();
      await db.schema
        .createTable('portal_reads')
        .addColumn('thread_id', 'text', (c) => c.primaryKey())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('read_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('portal_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('thread_id', 'text', (c) => c.notNull())
        .addColumn('envelope_id', 'text')
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('content_jwe', 'text', (c) => c.notNull())
        .addColumn('content_kid', 'text', (c) => c.notNull())
        .addColumn('mail_message_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('portal_messages_thread')
        .on('portal_messages')
        .column('thread_id')
        .execute();
      await db.schema
        .createIndex('portal_messages_address')
        .on('portal_messages')
        .column('address')
        .execute();
      await db.schema
        .createTable('portal_attachments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('message_id', 'text', (c) => c.notNull().references('portal_messages.id'))
        .addColumn('meta_jwe', 'text', (c) => c.notNull())
        .addColumn('wrapped_key', 'text', (c) => c.notNull())
        .addColumn('wrapped_kid', 'text', (c) => c.notNull())
        .addColumn('blob_key', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('portal_attachments_message')
        .on('portal_attachments')
        .column('message_id')
        .execute();
    },
  },
  /** One-time sign-in links, the way in while an address is locked against password guessing. */
  '0005_portal_sign_in_links': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('portal_sign_in_links')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await db.schema
        .createIndex('portal_sign_in_links_address')
        .on('portal_sign_in_links')
        .column('address')
        .execute();
    },
  },
};
