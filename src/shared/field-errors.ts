import { z } from 'zod';
import type { ErrorCode } from './errors';

/**
 * Which error code of the API a field's failed validation answers, by zod
 * issue code ("too_big", "invalid_format", …) or "*" for any: an address that
 * is not one is INVALID_ADDRESS wherever it appears, a password too short is
 * PASSWORD_REJECTED. Fields with no entry answer VALIDATION_FAILED. The server
 * reads it from the route's schema, so one formatter serves every route.
 */
export type FieldErrorCodes = Readonly<Partial<Record<string, ErrorCode>>>;

export const fieldErrorCodes = z.registry<FieldErrorCodes>();
