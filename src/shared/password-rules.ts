/**
 * Recipient password rules (NIST SP 800-63B: length is what counts, no
 * composition rules). Kept apart from the zod contract so the portal's bundle
 * need not carry a schema library to know three numbers.
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_RECOMMENDED = 15;
export const PASSWORD_MAX = 128;
