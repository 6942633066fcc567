import { english } from './en';
import type { HealthLexicon } from './health';
import { healthEn } from './health-en';
import { healthEs } from './health-es';
import type { LanguageData } from './language';
import { spanish } from './es';

export type { LanguageData } from './language';

/** Every language the engine reads. English first: where both use a word, English's reading is the default. */
export const LANGUAGES: readonly LanguageData[] = [english, spanish];

/** What each language says about health, for PHI written in prose. */
export const HEALTH_LEXICONS: readonly HealthLexicon[] = [healthEn, healthEs];
