import type { Migration } from 'kysely';

/** The portal's migrations, named to run after the TLS checker's. */
export const PORTAL_MIGRATIONS: Record<string, Migration> = {};
