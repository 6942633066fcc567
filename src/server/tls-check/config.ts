import { z } from 'zod';

/** Settings of the recipient-domain TLS checker (`tlsCheck` in the config file). */
export const tlsCheckConfig = z.object({}).strict().prefault({});
