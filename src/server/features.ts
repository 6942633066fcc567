/**
 * The server's features, listed in one place: each one's migrations, tables
 * and config section. The store and the config loader take what they need from
 * here, so neither imports a feature folder, and a new feature is added by one
 * line in each list below, not by editing the store.
 */
import type { Migration } from 'kysely';
import { portalConfig } from './portal/config';
import { PORTAL_MIGRATIONS } from './portal/migrations';
import type { PortalTables } from './portal/schema';
import { CORE_MIGRATIONS } from './store/migrations';
import { tlsCheckConfig } from './tls-check/config';
import { TLS_CHECK_MIGRATIONS } from './tls-check/migrations';
import type { TlsCheckTables } from './tls-check/schema';

/**
 * Every feature's tables join the store's Database type. Declaration merging
 * rather than an import in store/schema.ts: the store stays below the
 * features, and modules keep importing `Database` from store/schema.
 */
declare module './store/schema' {
  interface Database extends TlsCheckTables, PortalTables {}
}

/** Each group's migrations, as released. */
const MIGRATION_GROUPS: readonly Readonly<Record<string, Migration>>[] = [
  CORE_MIGRATIONS,
  TLS_CHECK_MIGRATIONS,
  PORTAL_MIGRATIONS,
];

/**
 * All migrations. Kysely runs them in name order (0001_initial,
 * 0002_tls_check, 0003_portal, 0004_sender_name, ...), whichever group a name
 * sits in, so names, not this list's order, fix the order on existing databases.
 */
export const MIGRATIONS: Record<string, Migration> = mergeMigrations(MIGRATION_GROUPS);

function mergeMigrations(groups: readonly Readonly<Record<string, Migration>>[]): Record<string, Migration> {
  const all: Record<string, Migration> = {};
  for (const group of groups) {
    for (const [name, migration] of Object.entries(group)) {
      // Two features choosing one name would silently drop a migration: fail at load instead.
      if (name in all) throw new Error(`migration ${name} is defined twice`);
      all[name] = migration;
    }
  }
  return all;
}

/** The config file's feature sections, by key (`tlsCheck`, `portal`). */
export const FEATURE_CONFIG = {
  tlsCheck: tlsCheckConfig,
  portal: portalConfig,
} as const;
