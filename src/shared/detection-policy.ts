import { ENTITY_TYPES, type EntityType, type HealthCategory } from './entities';

/**
 * The part of the admin's policy that the detection engine applies. The same
 * object is served by `GET /v1/policy` and applied by the add-in, so the task
 * pane, the on-send handler and the CLI reach the same verdict.
 *
 * Plain data with no schema library, so the engine can use it in Outlook's
 * JavaScript-only runtime; `policy.ts` validates it where input arrives.
 */
export interface DetectionPolicy {
  /** Entity types that make a message sensitive. */
  enabledTypes: EntityType[];
  /** Findings below this score are dropped. */
  minScore: number;
  /** Per-type overrides of `minScore`. */
  typeThresholds: Partial<Record<EntityType, number>>;
  /**
   * Words or markers that make a message sensitive on their own, such as
   * "[secure]" typed by the sender, or "confidential" where the admin wants it.
   * Matched case-insensitively, not inside longer words.
   */
  keywords: string[];
  /** PHI written in prose (a person with health information); unset: on, with the defaults. */
  phi?: PhiPolicy;
}

/** How the engine judges PHI in prose. */
export interface PhiPolicy {
  /** Off: only identifiers count. Default on. */
  enabled?: boolean;
  /** Categories whose words count on their own, with no person named (e.g. `hiv-sti`). Default none. */
  aloneCategories?: HealthCategory[];
  /** Categories that never count. */
  disabledCategories?: HealthCategory[];
  /** The organisation's own health words ("Program X enrollee" as `care`). */
  terms?: { term: string; category: HealthCategory }[];
}

export const DEFAULT_DETECTION_POLICY: Readonly<DetectionPolicy> = Object.freeze({
  enabledTypes: [...ENTITY_TYPES],
  minScore: 0.5,
  typeThresholds: {},
  keywords: ['[secure]', '#secure'],
});
