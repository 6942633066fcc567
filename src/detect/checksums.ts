/**
 * Check-digit and format rules of the identifiers the engine recognises. Each
 * takes the identifier's characters with separators already removed.
 */

/** Luhn (mod 10) over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** NPI: Luhn over the prefix 80840 followed by the ten digits (CMS NPI standard). */
export function npiValid(digits: string): boolean {
  return digits.length === 10 && (digits[0] === '1' || digits[0] === '2') && luhnValid('80840' + digits);
}

/** ABA routing number: weights 3-7-1, and a Federal Reserve prefix (00-12, 21-32, 61-72, 80). */
export function abaValid(digits: string): boolean {
  if (digits.length !== 9) return false;
  const prefix = Number(digits.slice(0, 2));
  const prefixOk =
    prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
  if (!prefixOk || digits === '000000000') return false;
  const d = (i: number): number => digits.charCodeAt(i) - 48;
  const sum = 3 * (d(0) + d(3) + d(6)) + 7 * (d(1) + d(4) + d(7)) + (d(2) + d(5) + d(8));
  return sum % 10 === 0;
}

/**
 * DEA registration number: registrant-type letter, a second letter (surname
 * initial, or 9 for some business types), seven digits whose last is
 * (d1 + d3 + d5 + 2 × (d2 + d4 + d6)) mod 10.
 */
export function deaValid(value: string): boolean {
  if (!/^[A-HJ-MPR-UX][A-Z9]\d{7}$/.test(value)) return false;
  const d = (i: number): number => value.charCodeAt(i + 2) - 48;
  const check = (d(0) + d(2) + d(4) + 2 * (d(1) + d(3) + d(5))) % 10;
  return check === d(6);
}

// Letters an MBI never uses (S, L, O, I, B, Z), to avoid confusion with digits.
const MBI_LETTER = '[AC-HJKMNP-RT-Y]';
const MBI_ALNUM = '[AC-HJKMNP-RT-Y0-9]';
const MBI_FORMAT = new RegExp(
  '^[1-9]' +
    MBI_LETTER +
    MBI_ALNUM +
    '\\d' +
    MBI_LETTER +
    MBI_ALNUM +
    '\\d' +
    MBI_LETTER +
    MBI_LETTER +
    '\\d\\d$',
);

/** Medicare Beneficiary Identifier: CMS's position rules for its eleven characters. */
export function mbiValid(value: string): boolean {
  return MBI_FORMAT.test(value);
}

/** SSN advertising and example numbers that the SSA says were never issued to anyone. */
const NEVER_ISSUED = new Set(['078051120', '219099999', '457555462', '123456789']);

/** SSN: area not 000, 666 or 9xx; group not 00; serial not 0000; not a known advertising number. */
export function ssnValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const area = digits.slice(0, 3);
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (digits.slice(3, 5) === '00' || digits.slice(5) === '0000') return false;
  if (/^(\d)\1{8}$/.test(digits)) return false;
  return !NEVER_ISSUED.has(digits);
}

/** ITIN: 9xx, with group 50-65, 70-88, 90-92 or 94-99 (IRS). */
export function itinValid(digits: string): boolean {
  if (!/^9\d{8}$/.test(digits)) return false;
  const group = Number(digits.slice(3, 5));
  return (
    (group >= 50 && group <= 65) ||
    (group >= 70 && group <= 88) ||
    (group >= 90 && group <= 92) ||
    group >= 94
  );
}

/** EIN prefixes the IRS has assigned to its campuses; others (00, 07-09, 17-19, …) are never issued. */
const EIN_PREFIXES = new Set(
  (
    '01 02 03 04 05 06 10 11 12 13 14 15 16 20 21 22 23 24 25 26 27 30 31 32 33 34 35 36 37 38 39 40 41 42 ' +
    '43 44 45 46 47 48 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 71 72 73 74 75 76 77 80 81 ' +
    '82 83 84 85 86 87 88 90 91 92 93 94 95 98 99'
  ).split(' '),
);

export function einValid(digits: string): boolean {
  return /^\d{9}$/.test(digits) && EIN_PREFIXES.has(digits.slice(0, 2));
}

/** IBAN lengths per country (ISO 13616 registry). */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21,
  CR: 22, CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27,
  GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26,
  IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24,
  ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29,
  RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24,
  TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, BI: 27, DJ: 27, FK: 18, HN: 28, LY: 25, MN: 20, NI: 28,
  OM: 23, RU: 33, SD: 18, SO: 23, YE: 30,
}; // prettier-ignore

/** IBAN: known country, that country's length, and ISO 7064 mod 97-10 equal to 1. */
export function ibanValid(compact: string): boolean {
  const value = compact.toUpperCase();
  if (IBAN_LENGTHS[value.slice(0, 2)] !== value.length) return false;
  const rearranged = value.slice(4) + value.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem === 1;
}

export type CardNetwork =
  | 'Visa'
  | 'Mastercard'
  | 'American Express'
  | 'Discover'
  | 'Diners Club'
  | 'JCB'
  | 'UnionPay'
  | 'Maestro'
  | 'UATP';

/** The card network an issuer identification number belongs to, if the length fits it. */
export function cardNetwork(digits: string): CardNetwork | undefined {
  const len = digits.length;
  const p = (n: number): number => Number(digits.slice(0, n));
  // UATP (airline travel cards): 15 digits starting with 1.
  if (digits[0] === '1') return len === 15 ? 'UATP' : undefined;
  if (digits[0] === '4') return len === 13 || len === 16 || len === 19 ? 'Visa' : undefined;
  if ((p(2) >= 51 && p(2) <= 55) || (p(4) >= 2221 && p(4) <= 2720))
    return len === 16 ? 'Mastercard' : undefined;
  if (p(2) === 34 || p(2) === 37) return len === 15 ? 'American Express' : undefined;
  if (p(4) === 6011 || (p(3) >= 644 && p(3) <= 649) || p(2) === 65) return len >= 16 ? 'Discover' : undefined;
  if (p(4) >= 3528 && p(4) <= 3589) return len >= 16 ? 'JCB' : undefined;
  if ((p(3) >= 300 && p(3) <= 305) || p(2) === 36 || p(2) === 38 || p(2) === 39)
    return len >= 14 ? 'Diners Club' : undefined;
  if (p(2) === 62) return len >= 16 ? 'UnionPay' : undefined;
  // Maestro also issues 12-15 digit numbers, but at those lengths too many phone and account
  // numbers pass Luhn by chance.
  if (p(2) === 50 || (p(2) >= 56 && p(2) <= 69)) return len >= 16 ? 'Maestro' : undefined;
  return undefined;
}
