/**
 * Synthetic identifiers with their real validity rules: valid values for the
 * labelled entities, invalid ones for decoys, and ordinary look-alikes (claim,
 * trace and tracking numbers) that pass no checksum they could be mistaken for.
 */
import type { Rng } from './rng';

// ---------- checksums ----------

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The digit that makes `body + digit` pass Luhn. */
export function luhnDigit(body: string): string {
  for (let d = 0; d < 10; d++) if (luhnValid(body + String(d))) return String(d);
  throw new Error('unreachable');
}

export function npiValid(npi: string): boolean {
  return /^[12]\d{9}$/.test(npi) && luhnValid('80840' + npi);
}

export function abaValid(aba: string): boolean {
  if (!/^\d{9}$/.test(aba)) return false;
  const d = aba.split('').map(Number);
  const sum = 3 * (d[0]! + d[3]! + d[6]!) + 7 * (d[1]! + d[4]! + d[7]!) + (d[2]! + d[5]! + d[8]!);
  return sum % 10 === 0 && ABA_PREFIXES.includes(aba.slice(0, 2));
}

export function deaValid(dea: string): boolean {
  const m = /^[A-Z][A-Z9](\d{7})$/.exec(dea);
  if (!m) return false;
  const d = m[1]!.split('').map(Number);
  const sum = d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!);
  return sum % 10 === d[6];
}

export function ssnValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const area = digits.slice(0, 3);
  return (
    area !== '000' &&
    area !== '666' &&
    area[0] !== '9' &&
    digits.slice(3, 5) !== '00' &&
    digits.slice(5) !== '0000'
  );
}

export function itinValid(digits: string): boolean {
  if (!/^9\d{8}$/.test(digits)) return false;
  const g = Number(digits.slice(3, 5));
  return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || g >= 94;
}

export function ibanValid(iban: string): boolean {
  const s = iban.replace(/\s/g, '').toUpperCase();
  const spec = IBAN_COUNTRIES.find((c) => c.code === s.slice(0, 2));
  if (!spec || s.length !== spec.length) return false;
  return mod97(s.slice(4) + s.slice(0, 4)) === 1;
}

function mod97(s: string): number {
  let rem = 0;
  for (const ch of s) {
    const v = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const digit of v) rem = (rem * 10 + Number(digit)) % 97;
  }
  return rem;
}

// ---------- reference tables ----------

/** Federal Reserve routing symbol prefixes in use (00 is the US government). */
const ABA_PREFIXES = [
  ...['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'],
  ...['21', '22', '23', '24', '25', '26', '27', '28', '29', '30', '31', '32'],
  ...['61', '62', '63', '64', '65', '66', '67', '68', '69', '70', '71', '72', '80'],
];

/** EIN prefixes the IRS assigns (campus and online prefixes). */
export const EIN_PREFIXES = [
  ...['01', '02', '03', '04', '05', '06', '10', '11', '12', '13', '14', '15', '16'],
  ...['20', '21', '22', '23', '24', '25', '26', '27', '30', '31', '32', '33', '34', '35', '36', '37', '38'],
  ...['39', '40', '41', '42', '43', '44', '45', '46', '47', '48', '50', '51', '52', '53', '54', '55', '56'],
  ...['57', '58', '59', '60', '61', '62', '63', '64', '65', '66', '67', '68', '71', '72', '73', '74', '75'],
  ...['76', '77', '80', '81', '82', '83', '84', '85', '86', '87', '88', '90', '91', '92', '93', '94', '95'],
  ...['98', '99'],
];
export const EIN_BAD_PREFIXES = [
  '00',
  '07',
  '08',
  '09',
  '17',
  '18',
  '19',
  '28',
  '29',
  '49',
  '69',
  '70',
  '78',
  '79',
  '89',
  '96',
  '97',
];

interface IbanCountry {
  code: string;
  length: number;
  /** BBAN layout: runs of n (digits), a (upper-case letters), c (letters or digits). */
  bban: string;
  /** How people group it when written: 4 characters a group for all but a few. */
}

const IBAN_LAYOUTS: [string, number, string][] = [
  ['AD', 24, '8n12c'],
  ['AE', 23, '19n'],
  ['AL', 28, '8n16c'],
  ['AT', 20, '16n'],
  ['AZ', 28, '4a20c'],
  ['BA', 20, '16n'],
  ['BE', 16, '12n'],
  ['BG', 22, '4a6n8c'],
  ['BH', 22, '4a14c'],
  ['BR', 29, '23n1a1c'],
  ['CH', 21, '5n12c'],
  ['CR', 22, '18n'],
  ['CY', 28, '8n16c'],
  ['CZ', 24, '20n'],
  ['DE', 22, '18n'],
  ['DK', 18, '14n'],
  ['DO', 28, '4c20n'],
  ['EE', 20, '16n'],
  ['EG', 29, '25n'],
  ['ES', 24, '20n'],
  ['FI', 18, '14n'],
  ['FO', 18, '14n'],
  ['FR', 27, '10n11c2n'],
  ['GB', 22, '4a14n'],
  ['GE', 22, '2a16n'],
  ['GI', 23, '4a15c'],
  ['GL', 18, '14n'],
  ['GR', 27, '7n16c'],
  ['GT', 28, '4c20c'],
  ['HR', 21, '17n'],
  ['HU', 28, '24n'],
  ['IE', 22, '4a14n'],
  ['IL', 23, '19n'],
  ['IS', 26, '22n'],
  ['IT', 27, '1a10n12c'],
  ['JO', 30, '4a4n18c'],
  ['KW', 30, '4a22c'],
  ['KZ', 20, '3n13c'],
  ['LB', 28, '4n20c'],
  ['LI', 21, '5n12c'],
  ['LT', 20, '16n'],
  ['LU', 20, '3n13c'],
  ['LV', 21, '4a13c'],
  ['MC', 27, '10n11c2n'],
  ['MD', 24, '20c'],
  ['ME', 22, '18n'],
  ['MK', 19, '3n10c2n'],
  ['MR', 27, '23n'],
  ['MT', 31, '4a5n18c'],
  ['MU', 30, '4a19n3a'],
  ['NL', 18, '4a10n'],
  ['NO', 15, '11n'],
  ['PK', 24, '4a16c'],
  ['PL', 28, '24n'],
  ['PS', 29, '4a21c'],
  ['PT', 25, '21n'],
  ['QA', 29, '4a21c'],
  ['RO', 24, '4a16c'],
  ['RS', 22, '18n'],
  ['SA', 24, '2n18c'],
  ['SC', 31, '4a20n3a'],
  ['SE', 24, '20n'],
  ['SI', 19, '15n'],
  ['SK', 24, '20n'],
  ['SM', 27, '1a10n12c'],
  ['TL', 23, '19n'],
  ['TN', 24, '20n'],
  ['TR', 26, '6n16c'],
  ['UA', 29, '6n19c'],
  ['VA', 22, '18n'],
  ['VG', 24, '4a16n'],
  ['XK', 20, '16n'],
];

/** `8n12c` → [[8, 'n'], [12, 'c']]. */
function runs(layout: string): [number, string][] {
  const out: [number, string][] = [];
  let n = '';
  for (const ch of layout) {
    if (ch >= '0' && ch <= '9') n += ch;
    else {
      out.push([Number(n), ch]);
      n = '';
    }
  }
  return out;
}

export const IBAN_COUNTRIES: IbanCountry[] = IBAN_LAYOUTS.map(([code, length, bban]) => {
  const total = runs(bban).reduce((a, [n]) => a + n, 0);
  if (total + 4 !== length) throw new Error(`IBAN layout for ${code} does not add up`);
  return { code, length, bban };
});

export const ICD10 = [
  ['E11.9', 'Type 2 diabetes mellitus without complications'],
  ['E11.65', 'Type 2 diabetes mellitus with hyperglycemia'],
  ['I10', 'Essential (primary) hypertension'],
  ['J45.909', 'Unspecified asthma, uncomplicated'],
  ['M54.50', 'Low back pain, unspecified'],
  ['F32.9', 'Major depressive disorder, single episode, unspecified'],
  ['F41.1', 'Generalized anxiety disorder'],
  ['N18.30', 'Chronic kidney disease, stage 3 unspecified'],
  ['K21.9', 'Gastro-esophageal reflux disease without esophagitis'],
  ['E78.5', 'Hyperlipidemia, unspecified'],
  ['I25.10', 'Atherosclerotic heart disease of native coronary artery'],
  ['J44.9', 'Chronic obstructive pulmonary disease, unspecified'],
  ['G47.33', 'Obstructive sleep apnea'],
  ['Z79.4', 'Long term (current) use of insulin'],
  ['O24.419', 'Gestational diabetes mellitus in pregnancy, unspecified control'],
  ['S72.001A', 'Fracture of unspecified part of neck of right femur, initial encounter'],
  ['M17.11', 'Unilateral primary osteoarthritis, right knee'],
  ['C50.911', 'Malignant neoplasm of unspecified site of right female breast'],
  ['E66.9', 'Obesity, unspecified'],
  ['I48.91', 'Unspecified atrial fibrillation'],
  ['N39.0', 'Urinary tract infection, site not specified'],
  ['J06.9', 'Acute upper respiratory infection, unspecified'],
  ['G43.909', 'Migraine, unspecified, not intractable'],
  ['L40.0', 'Psoriasis vulgaris'],
  ['F20.9', 'Schizophrenia, unspecified'],
  ['B20', 'Human immunodeficiency virus disease'],
  ['F10.20', 'Alcohol dependence, uncomplicated'],
  ['Z34.90', 'Encounter for supervision of normal pregnancy, unspecified'],
  ['I50.9', 'Heart failure, unspecified'],
  ['R07.9', 'Chest pain, unspecified'],
] as const;

export const ICD10_ES: Record<string, string> = {
  'E11.9': 'diabetes mellitus tipo 2 sin complicaciones',
  I10: 'hipertensión esencial (primaria)',
  'J45.909': 'asma no especificada, sin complicaciones',
  'F32.9': 'trastorno depresivo mayor, episodio único',
  'M54.50': 'dolor lumbar, no especificado',
  'N18.30': 'enfermedad renal crónica, etapa 3',
  'E78.5': 'hiperlipidemia, no especificada',
  'I50.9': 'insuficiencia cardíaca, no especificada',
};

export const FIRST = [
  'JAMES',
  'MARY',
  'ROBERT',
  'PATRICIA',
  'JOHN',
  'JENNIFER',
  'MICHAEL',
  'LINDA',
  'DAVID',
  'ELIZABETH',
  'WILLIAM',
  'BARBARA',
  'RICHARD',
  'SUSAN',
  'JOSEPH',
  'JESSICA',
  'THOMAS',
  'KAREN',
  'CHARLES',
  'NANCY',
  'MARIA',
  'JOSE',
  'LUIS',
  'ANA',
  'CARMEN',
  'JUAN',
  'ROSA',
  'MIGUEL',
  'WEI',
  'MINH',
  'AISHA',
  'OMAR',
  'PRIYA',
  'RAJ',
  'KEISHA',
  'DESHAWN',
  'HANNAH',
  'NOAH',
  'OLIVIA',
  'ETHAN',
  'SOFIA',
  'MATEO',
  'GRACE',
];
export const LAST = [
  'SMITH',
  'JOHNSON',
  'WILLIAMS',
  'BROWN',
  'JONES',
  'GARCIA',
  'MILLER',
  'DAVIS',
  'RODRIGUEZ',
  'MARTINEZ',
  'HERNANDEZ',
  'LOPEZ',
  'GONZALEZ',
  'WILSON',
  'ANDERSON',
  'THOMAS',
  'TAYLOR',
  'MOORE',
  'JACKSON',
  'MARTIN',
  'LEE',
  'PEREZ',
  'THOMPSON',
  'WHITE',
  'HARRIS',
  'NGUYEN',
  'CLARK',
  'RAMIREZ',
  'LEWIS',
  'ROBINSON',
  "O'BRIEN",
  'KOWALSKI',
  'PATEL',
  'KIM',
  'CHEN',
  'OKAFOR',
  'WASHINGTON',
  'REYES',
  'MORALES',
  'FLORES',
];
export const CITIES = [
  ['PHOENIX', 'AZ', '85004'],
  ['MESA', 'AZ', '85201'],
  ['TUCSON', 'AZ', '85701'],
  ['LOS ANGELES', 'CA', '90012'],
  ['FRESNO', 'CA', '93721'],
  ['DALLAS', 'TX', '75201'],
  ['EL PASO', 'TX', '79901'],
  ['MIAMI', 'FL', '33130'],
  ['ORLANDO', 'FL', '32801'],
  ['ATLANTA', 'GA', '30303'],
  ['CHICAGO', 'IL', '60601'],
  ['DENVER', 'CO', '80202'],
] as const;
export const STREETS = [
  'MAIN ST',
  'OAK AVE',
  'CENTRAL AVE',
  'MAPLE DR',
  'W INDIAN SCHOOL RD',
  'E CAMELBACK RD',
  'N 7TH ST',
  'ELM ST',
  'PARK BLVD',
  'MISSION RD',
];
export const PRACTICES = [
  'DESERT VALLEY FAMILY MEDICINE',
  'SUNRISE PEDIATRICS',
  'CAMELBACK CARDIOLOGY',
  'MESA ORTHOPEDIC GROUP',
  'VALLEY KIDNEY SPECIALISTS',
  'CANYON BEHAVIORAL HEALTH',
  'ST LUKE MEDICAL CENTER',
  'PALO VERDE INTERNAL MEDICINE',
  'SONORAN WOMENS HEALTH',
  'MOUNTAIN VIEW DIALYSIS',
  'RIVERSIDE ENDOCRINOLOGY',
  'CACTUS CITY URGENT CARE',
];
export const PAYERS = [
  'PHCPN HEALTH PLAN',
  'SUNSTATE HEALTH',
  'DESERT CARE ADVANTAGE',
  'BLUE MESA HMO',
  'CANYON COMMUNITY PLAN',
];
export const CPT = [
  '99213',
  '99214',
  '99215',
  '99203',
  '99204',
  '93000',
  '80053',
  '85025',
  '36415',
  '71046',
  '97110',
  '90834',
  '90837',
  '99396',
  '81002',
  'G0439',
  'J3420',
  'A0428',
  'E0601',
  'J1885',
  'G0008',
  'Q0091',
  'J0696',
  'E1390',
];
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const MESES = [
  'enero',
  'febrero',
  'marzo',
  'abril',
  'mayo',
  'junio',
  'julio',
  'agosto',
  'septiembre',
  'octubre',
  'noviembre',
  'diciembre',
];

// ---------- generators ----------

export interface Person {
  first: string;
  last: string;
  /** Year, month (1-12), day. */
  dob: [number, number, number];
  sex: 'M' | 'F';
}

export function person(r: Rng): Person {
  const y = r.int(1932, 2019);
  return {
    first: r.pick(FIRST),
    last: r.pick(LAST),
    dob: [y, r.int(1, 12), r.int(1, 28)],
    sex: r.chance(0.5) ? 'M' : 'F',
  };
}

export function cap(s: string): string {
  return s.toLowerCase().replace(/(^|[\s'-])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** A date written the way US mail writes it, in one of many shapes. */
export function usDate(r: Rng, [y, m, d]: [number, number, number], style?: number): string {
  const s = style ?? r.int(0, 8);
  switch (s) {
    case 0:
      return `${pad(m)}/${pad(d)}/${y}`;
    case 1:
      return `${m}/${d}/${y}`;
    case 2:
      return `${pad(m)}/${pad(d)}/${String(y).slice(2)}`;
    case 3:
      return `${y}-${pad(m)}-${pad(d)}`;
    case 4:
      return `${MONTHS[m - 1]!} ${d}, ${y}`;
    case 5:
      return `${pad(d)}-${MONTHS[m - 1]!.slice(0, 3)}-${y}`;
    case 6:
      return `${pad(m)}-${pad(d)}-${y}`;
    case 7:
      return `${MONTHS[m - 1]!.slice(0, 3)} ${d} ${y}`;
    default:
      return `${pad(m)}.${pad(d)}.${y}`;
  }
}

export function d8([y, m, d]: [number, number, number]): string {
  return `${y}${pad(m)}${pad(d)}`;
}

export function isoDate([y, m, d]: [number, number, number]): string {
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** A recent date (service, received, paid). */
export function recentDate(r: Rng): [number, number, number] {
  return [r.int(2023, 2025), r.int(1, 12), r.int(1, 28)];
}

export function ssnDigits(r: Rng): string {
  for (;;) {
    const s = pad(r.int(1, 899), 3) + pad(r.int(1, 99)) + pad(r.int(1, 9999), 4);
    if (ssnValid(s)) return s;
  }
}

/** A 9-digit number that is neither a valid SSN nor ITIN: 000, 666 or 9xx area with a non-ITIN group. */
export function badSsnDigits(r: Rng): string {
  const kind = r.int(0, 3);
  if (kind === 0) return '000' + pad(r.int(1, 99)) + pad(r.int(1, 9999), 4);
  if (kind === 1) return '666' + pad(r.int(1, 99)) + pad(r.int(1, 9999), 4);
  if (kind === 2) return pad(r.int(1, 665), 3) + '00' + pad(r.int(1, 9999), 4);
  const group = r.pick(['10', '23', '31', '45', '49', '66', '67', '68', '69', '89', '93']);
  return '9' + r.digits(2) + group + pad(r.int(1, 9999), 4);
}

export function itinDigits(r: Rng): string {
  const g = r.pick([50, 52, 57, 63, 65, 70, 73, 78, 81, 84, 88, 90, 91, 92, 94, 96, 99]);
  return '9' + r.digits(2) + pad(g) + pad(r.int(1, 9999), 4);
}

export const dashed9 = (s: string): string => `${s.slice(0, 3)}-${s.slice(3, 5)}-${s.slice(5)}`;

export function npi(r: Rng): string {
  const body = r.pick(['1', '2']) + r.digits(8);
  return body + luhnDigit('80840' + body);
}

export function badNpi(r: Rng): string {
  const good = npi(r);
  const last = Number(good[9]);
  return good.slice(0, 9) + String((last + r.int(1, 9)) % 10);
}

export function dea(r: Rng, last?: string): string {
  const first = r.pick(['A', 'B', 'F', 'G', 'M', 'P', 'R']);
  const second = last ? last[0]! : r.letters(1);
  const d = r.digits(6).split('').map(Number);
  const check = (d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!)) % 10;
  return first + second + d.join('') + String(check);
}

export function badDea(r: Rng): string {
  const good = dea(r);
  return good.slice(0, 8) + String((Number(good[8]) + r.int(1, 9)) % 10);
}

export function aba(r: Rng): string {
  for (;;) {
    const prefix = r.pick(ABA_PREFIXES.filter((p) => p !== '00'));
    const body = prefix + r.digits(6);
    for (let c = 0; c < 10; c++) if (abaValid(body + String(c))) return body + String(c);
  }
}

export function badAba(r: Rng): string {
  const good = aba(r);
  return good.slice(0, 8) + String((Number(good[8]) + r.int(1, 9)) % 10);
}

export function bankAccount(r: Rng): string {
  return String(r.int(1, 9)) + r.digits(r.int(7, 13));
}

/** An EIN that could not also be read as an ITIN (9xx with an ITIN group). */
export function ein(r: Rng): string {
  for (;;) {
    const e = r.pick(EIN_PREFIXES) + r.digits(7);
    if (!itinValid(e)) return e;
  }
}

export function badEin(r: Rng): string {
  for (;;) {
    const e = r.pick(EIN_BAD_PREFIXES) + r.digits(7);
    if (!itinValid(e) && !ssnValid(e)) return e;
  }
}

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'diners' | 'uatp';
export const CARD_BRANDS: CardBrand[] = ['visa', 'mastercard', 'amex', 'discover', 'jcb', 'diners', 'uatp'];

export function card(r: Rng, brand: CardBrand = r.pick(CARD_BRANDS)): string {
  let prefix: string;
  let len: number;
  switch (brand) {
    case 'visa':
      prefix = '4';
      len = r.chance(0.1) ? 19 : 16;
      break;
    case 'mastercard':
      prefix = r.chance(0.7) ? String(r.int(51, 55)) : String(r.int(2221, 2720));
      len = 16;
      break;
    case 'amex':
      prefix = r.pick(['34', '37']);
      len = 15;
      break;
    case 'discover':
      prefix = r.pick(['6011', '65', String(r.int(644, 649))]);
      len = 16;
      break;
    case 'jcb':
      prefix = String(r.int(3528, 3589));
      len = 16;
      break;
    case 'diners':
      prefix = r.pick(['36', '38', '30' + String(r.int(0, 5))]);
      len = 14;
      break;
    case 'uatp':
      prefix = '1';
      len = 15;
      break;
  }
  const body = prefix + r.digits(len - 1 - prefix.length);
  return body + luhnDigit(body);
}

export function badCard(r: Rng, brand?: CardBrand): string {
  const good = card(r, brand);
  return good.slice(0, -1) + String((Number(good[good.length - 1]) + r.int(1, 9)) % 10);
}

/** How a card is grouped when written: Amex 4-6-5, Diners 4-6-4, UATP 4-5-6, others by four. */
export function groupCard(n: string, sep = ' '): string {
  let sizes: number[];
  if (n.length === 15 && n.startsWith('1')) sizes = [4, 5, 6];
  else if (n.length === 15) sizes = [4, 6, 5];
  else if (n.length === 14) sizes = [4, 6, 4];
  else sizes = n.length === 19 ? [4, 4, 4, 4, 3] : [4, 4, 4, 4];
  const out: string[] = [];
  let i = 0;
  for (const s of sizes) {
    out.push(n.slice(i, i + s));
    i += s;
  }
  return out.join(sep);
}

const MBI_LETTERS = 'ACDEFGHJKMNPQRTUVWXY';

export function mbi(r: Rng): string {
  const an = (): string => (r.chance(0.5) ? r.digits(1) : r.letters(1, MBI_LETTERS));
  return (
    String(r.int(1, 9)) +
    r.letters(1, MBI_LETTERS) +
    an() +
    r.digits(1) +
    r.letters(1, MBI_LETTERS) +
    an() +
    r.digits(1) +
    r.letters(2, MBI_LETTERS) +
    r.digits(2)
  );
}

/** An MBI-shaped value that breaks a rule: a leading zero or a letter CMS never uses. */
export function badMbi(r: Rng): string {
  const good = mbi(r);
  if (r.chance(0.4)) return '0' + good.slice(1);
  const pos = r.pick([1, 4, 7, 8]);
  return good.slice(0, pos) + r.pick(['S', 'L', 'O', 'I', 'B', 'Z']) + good.slice(pos + 1);
}

export const mbiDashed = (m: string): string => `${m.slice(0, 4)}-${m.slice(4, 7)}-${m.slice(7)}`;

export function iban(r: Rng, code?: string): string {
  const spec = code ? IBAN_COUNTRIES.find((c) => c.code === code)! : r.pick(IBAN_COUNTRIES);
  let bban = '';
  for (const [n, what] of runs(spec.bban)) {
    if (what === 'n') bban += r.digits(n);
    else if (what === 'a') bban += r.letters(n);
    else for (let i = 0; i < n; i++) bban += r.chance(0.6) ? r.digits(1) : r.letters(1);
  }
  const check = 98 - mod97(bban + spec.code + '00');
  return spec.code + pad(check) + bban;
}

export function badIban(r: Rng): string {
  const good = iban(r);
  const check = Number(good.slice(2, 4));
  return good.slice(0, 2) + pad(((check + r.int(1, 40)) % 97) + 2) + good.slice(4);
}

export const groupIban = (s: string, sep = ' '): string => s.replace(/(.{4})(?=.)/g, `$1${sep}`);

/** A plan member ID in one of the shapes plans print on cards. */
export function memberId(r: Rng): string {
  for (;;) {
    const m = memberIdShape(r);
    if (!deaValid(m)) return m;
  }
}

function memberIdShape(r: Rng): string {
  switch (r.int(0, 6)) {
    case 0:
      return r.letters(3) + r.digits(9);
    case 1:
      return r.pick(['W', 'M', 'U', 'H']) + r.digits(9);
    case 2:
      return r.digits(9) + r.pick(['01', '02', '00']);
    case 3:
      return r.letters(1) + r.digits(8);
    case 4:
      return 'PH' + r.digits(10);
    case 5:
      return r.letters(3) + 'W' + r.digits(8);
    default:
      return r.digits(11);
  }
}

/** A medical record number; never one that happens to pass the DEA check (MR1234563). */
export function mrn(r: Rng): string {
  for (;;) {
    const m = mrnShape(r);
    if (!deaValid(m)) return m;
  }
}

function mrnShape(r: Rng): string {
  switch (r.int(0, 4)) {
    case 0:
      return r.digits(1).replace('0', '4') + r.digits(7);
    case 1:
      return 'MR' + r.digits(7);
    case 2:
      return 'E' + r.digits(8);
    case 3:
      return r.digits(1).replace('0', '2') + r.digits(6);
    default:
      return 'H' + r.digits(6);
  }
}

export function icd(r: Rng): (typeof ICD10)[number] {
  return r.pick(ICD10);
}

// ---------- look-alikes (never valid for any checksummed type of their length) ----------

/** Digits that pass none of the checks a number of this length could be mistaken for. */
export function safeDigits(r: Rng, n: number, first?: string): string {
  for (;;) {
    const s = (first ?? String(r.int(1, 9))) + r.digits(n - 1 - (first ? first.length - 1 : 0));
    if (n >= 12 && n <= 19 && luhnValid(s)) continue;
    if (n === 10 && npiValid(s)) continue;
    if (n === 9 && (ssnValid(s) || itinValid(s) || abaValid(s))) continue;
    return s;
  }
}

export function phone(r: Rng): string {
  const area = r.pick([
    '602',
    '480',
    '520',
    '623',
    '928',
    '213',
    '818',
    '305',
    '214',
    '312',
    '800',
    '866',
    '888',
  ]);
  const ex = String(r.int(2, 9)) + r.digits(2);
  const line = r.digits(4);
  switch (r.int(0, 4)) {
    case 0:
      return `(${area}) ${ex}-${line}`;
    case 1:
      return `${area}-${ex}-${line}`;
    case 2:
      return `${area}.${ex}.${line}`;
    case 3:
      return `1-${area}-${ex}-${line}`;
    default:
      return `${area} ${ex} ${line}`;
  }
}

export function money(r: Rng, lo = 5, hi = 4800): string {
  const cents = r.int(lo * 100, hi * 100);
  const whole = Math.floor(cents / 100);
  return `${whole.toLocaleString('en-US')}.${pad(cents % 100)}`;
}

export function claimNo(r: Rng): string {
  switch (r.int(0, 4)) {
    case 0:
      return safeDigits(r, 13);
    case 1:
      return r.letters(1) + safeDigits(r, 11);
    case 2:
      return String(r.int(20, 25)) + r.digits(3) + 'E' + r.digits(8);
    case 3:
      return 'CLM-' + r.digits(8);
    default:
      return safeDigits(r, 17);
  }
}

export function authNo(r: Rng): string {
  for (;;) {
    const a = r.pick(['A', 'PA', 'AUTH', 'UM']) + r.digits(r.int(6, 9));
    if (!deaValid(a)) return a;
  }
}

export function ndc(r: Rng): string {
  const s = r.int(0, 2);
  if (s === 0) return `${r.digits(5)}-${r.digits(4)}-${r.digits(1)}`;
  if (s === 1) return `${r.digits(5)}-${r.digits(3)}-${r.digits(2)}`;
  return `${r.digits(4)}-${r.digits(4)}-${r.digits(2)}`;
}

export function cmsContract(r: Rng): string {
  return `${r.pick(['H', 'R', 'S', 'E'])}${r.digits(4)}-${r.digits(3)}`;
}

export function tracking(r: Rng): string {
  const s = r.int(0, 2);
  if (s === 0) return '1Z' + r.letters(3) + r.digits(3) + safeDigits(r, 10);
  if (s === 1) return safeDigits(r, 12, '7');
  return '9400' + safeDigits(r, 18);
}
