/** The embedded store's file in the data folder (its own module, so the CLI can name it without loading drivers). */
export const SQLITE_FILE_NAME = 'secure-envelope.db';
