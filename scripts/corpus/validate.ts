/**
 * Re-checks every labelled value from the text a reader sees: checksummed
 * types must be valid, so that a mistake in a template cannot put a wrong
 * label into the corpus.
 */
import type { EntityType } from '../../src/shared/entities';
import {
  abaValid,
  deaValid,
  EIN_PREFIXES,
  ibanValid,
  itinValid,
  luhnValid,
  npiValid,
  ssnValid,
} from './values';

const WORD_DIGITS: Record<string, string> = {
  zero: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
};

/** What a reader sees of a stretch of HTML source: no tags, entities decoded. */
export function visible(raw: string): string {
  return raw
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^<>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const MBI =
  /^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y]{2}\d{2}$/;

/** Why `shown` is not a valid value of `type`, or undefined when it is. */
export function invalidReason(type: EntityType, shown: string): string | undefined {
  const words = shown.toLowerCase().replace(/[a-z]+/g, (w) => WORD_DIGITS[w] ?? w);
  const digits = words.replace(/\D/g, '');
  const alnum = shown.replace(/[^0-9a-z]/gi, '').toUpperCase();
  switch (type) {
    case 'US_SSN':
      return ssnValid(digits) ? undefined : 'SSN rules';
    case 'US_ITIN':
      return itinValid(digits) ? undefined : 'ITIN rules';
    case 'CREDIT_CARD':
      return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? undefined : 'Luhn';
    case 'NPI':
      return npiValid(digits) ? undefined : 'NPI check digit';
    case 'DEA':
      return deaValid(alnum) ? undefined : 'DEA check digit';
    case 'ABA_ROUTING':
      return abaValid(digits) ? undefined : 'ABA checksum';
    case 'IBAN':
      return ibanValid(alnum) ? undefined : 'IBAN mod 97';
    case 'MEDICARE_MBI':
      return MBI.test(alnum) ? undefined : 'MBI character rules';
    case 'US_EIN':
      return digits.length === 9 && EIN_PREFIXES.includes(digits.slice(0, 2)) ? undefined : 'EIN prefix';
    default:
      return alnum.length > 0 ? undefined : 'empty';
  }
}
