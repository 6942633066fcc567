import { english } from './en';
import type { LanguageData } from './language';
import { spanish } from './es';

export type { LanguageData } from './language';

/** Every language the engine reads. English first: where both use a word, English's reading is the default. */
export const LANGUAGES: readonly LanguageData[] = [english, spanish];
