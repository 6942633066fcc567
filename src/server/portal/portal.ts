import type { Kysely, Transaction } from 'kysely';
import { appendAudit, type AuditEntry } from '../audit/audit-log';
import type { ServerContext } from '../context';
import type { Database } from '../store/schema';
import type { PortalConfig } from './config';
import { PasswordHasher } from './passwords';
import { SessionManager } from './sessions';
import { Throttle } from './throttle';

/** What every portal handler works with, built once per server. */
export interface Portal {
  ctx: ServerContext;
  config: PortalConfig;
  sessions: SessionManager;
  throttle: Throttle;
  hasher: PasswordHasher;
  /** Appends audit records in the caller's transaction (or one of their own). */
  audit(trx: Transaction<Database> | Kysely<Database>, entries: AuditEntry | AuditEntry[]): Promise<void>;
}

export function createPortal(ctx: ServerContext): Portal {
  const config = ctx.config.portal;
  return {
    ctx,
    config,
    sessions: new SessionManager(ctx.store.db, config, ctx.keyring.auditKey),
    throttle: new Throttle(ctx.store.db, config.throttle),
    hasher: new PasswordHasher(config.argon2),
    async audit(trx, entries) {
      await appendAudit(trx, ctx.keyring.auditKey, ctx.store.dialect, entries);
    },
  };
}

/** How a recipient appears in the audit log. */
export function recipientActor(address: string): string {
  return `recipient:${address}`;
}
