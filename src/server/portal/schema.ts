/** The portal's tables, merged into the store's `Database`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PortalTables {}
