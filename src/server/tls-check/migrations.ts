import type { Migration } from 'kysely';

/** The TLS checker's migrations, named to run after the initial schema. */
export const TLS_CHECK_MIGRATIONS: Record<string, Migration> = {};
