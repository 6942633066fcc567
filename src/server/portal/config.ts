import { z } from 'zod';

/** Settings of the recipient portal (`portal` in the config file). */
export const portalConfig = z.object({}).strict().prefault({});
