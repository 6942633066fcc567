import { z } from 'zod';
import { ENTITY_TYPES, HEALTH_CATEGORIES } from './entities';
import { DEFAULT_DETECTION_POLICY, type DetectionPolicy } from './detection-policy';
import { TLS_LEVELS, type OrgPolicy } from './org-policy';

const score = z.number().min(0).max(1);

/** How PHI written in prose is judged: see `PhiPolicy`. */
export const phiPolicySchema = z
  .object({
    enabled: z.boolean().optional(),
    aloneCategories: z.array(z.enum(HEALTH_CATEGORIES)).optional(),
    disabledCategories: z.array(z.enum(HEALTH_CATEGORIES)).optional(),
    terms: z
      .array(
        z.object({ term: z.string().trim().min(2).max(80), category: z.enum(HEALTH_CATEGORIES) }).strict(),
      )
      .max(500)
      .optional(),
  })
  .strict();

/** Validates a detection policy from a file, the API or the CLI, filling defaults. */
export const detectionPolicySchema = z
  .object({
    enabledTypes: z.array(z.enum(ENTITY_TYPES)).default([...DEFAULT_DETECTION_POLICY.enabledTypes]),
    minScore: score.default(DEFAULT_DETECTION_POLICY.minScore),
    typeThresholds: z.partialRecord(z.enum(ENTITY_TYPES), score).default({}),
    keywords: z
      .array(z.string().trim().min(2).max(100))
      .max(200)
      .default([...DEFAULT_DETECTION_POLICY.keywords]),
    phi: phiPolicySchema.optional(),
  })
  .strict() satisfies z.ZodType<DetectionPolicy>;

/** `GET /v1/policy`: the policy the add-in applies, as the server answers it. */
export const orgPolicyResponse = z.object({
  orgDomains: z.array(z.string()),
  detection: detectionPolicySchema,
  tls: z.object({
    minimumLevel: z.enum(TLS_LEVELS),
    alwaysSecure: z.array(z.string()),
    knownGood: z.array(z.string()),
  }),
  action: z.enum(['secure', 'block', 'prompt']),
  unscannedAttachments: z.enum(['secure', 'prompt', 'allow']).optional(),
  overrideReason: z.enum(['required', 'optional']).optional(),
  version: z.string(),
}) satisfies z.ZodType<OrgPolicy>;
