/**
 * People named in prose: "Mr. Thomas Reed", "Jane Doe's", "GARCIA-LOPEZ,
 * MARIA", "your son Kevin", "María José Pérez Gómez". Each mention says how
 * sure it is a person and whether the message shows them as a provider or
 * staff (a doctor, the addressee, the sender's signature), whose name next
 * to health words is not protected information.
 */
import { nameSet, AMBIGUOUS_NAMES, GIVEN_NAMES, SURNAMES } from '../lang/names';
import { sentenceSpans } from './units';

/**
 * `addressee`: named in the greeting without a provider's title; the person
 * the message is about only where it speaks to them of their health ("Dear
 * Ana Ruiz, your biopsy…").
 */
export type Role = 'person' | 'provider' | 'staff' | 'addressee';

export interface PersonMention {
  readonly start: number;
  readonly end: number;
  readonly role: Role;
  /** A title, a possessive, a patient cue or both halves of a known name: surely a person. */
  readonly strong: boolean;
  /** No word of it is a known name: a person only where the sentence says so (a patient cue). */
  readonly unknown?: boolean;
}

const GIVEN = nameSet(GIVEN_NAMES);
const SURNAME = nameSet(SURNAMES);
const AMBIGUOUS = nameSet(AMBIGUOUS_NAMES);

// Latin-1 and Latin Extended-A letters ("Wiśniewski", "Dvořák"); Extended-A mixes cases, so it is in both.
const UPPER = 'A-Z\\u00c0-\\u00de\\u0100-\\u017f';
const LOWER = 'a-z\\u00df-\\u00ff\\u0100-\\u017f';
// A capitalised word, hyphenated parts included ("García-López"), an initial ("J."), or a word in capitals.
// An apostrophe joins only a capital ("O'Brien"): "Doe's" ends the name at "Doe".
// A capital inside ("McCarthy", "DeShawn", "LaToya") continues the word.
// An Irish or Italian prefix joins by an apostrophe ("O'Neal", "D'ANGELO").
const WORD = `(?:(?:[${UPPER}]['\\u2019])?[${UPPER}][${LOWER}]+(?:[A-Z][${LOWER}]+)?(?:(?:['\\u2019][${UPPER}]|-[${UPPER}]?)[${LOWER}]+)*|[${UPPER}]\\.|(?:[${UPPER}]['\\u2019])?[${UPPER}]{2,}(?:-[${UPPER}]{2,})?)`;
// Up to four words, with the particles of Hispanic names between them ("María de la Cruz").
const NAME_RUN = new RegExp(`${WORD}(?:(?: (?:de la|de los|de las|del|de|y))? ${WORD}){0,3}`, 'g');
// "LAST, FIRST" as rosters write it.
const LAST_FIRST = new RegExp(`^(${WORD}(?:[ -]${WORD})?), (${WORD}(?: ${WORD})?)`);

/** Titles of patients and members, and of providers. */
const PERSON_TITLES = [
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'sr',
  'sra',
  'srta',
  'señor',
  'señora',
  'señorita',
  'don',
  'doña',
];
const PROVIDER_TITLES = [
  'dr',
  'dra',
  'doctor',
  'doctora',
  'nurse',
  'enfermera',
  'enfermero',
  'prof',
  'professor',
];
/** Words after a name that make it an organisation or a place. */
const ORG_WORDS = [
  'hospital', 'medical', 'center', 'centre', 'clinic', 'health', 'healthcare', 'plan', 'hmo', 'group', 'street',
  'st', 'avenue', 'ave', 'road', 'rd', 'blvd', 'pharmacy', 'services', 'department', 'associates', 'inc', 'llc',
  'university', 'county', 'foundation', 'institute', 'network', 'partners', 'insurance', 'company', 'care',
  'advantage', 'community', 'family', 'pediatrics', 'cardiology', 'orthopedics', 'urgent', 'labs', 'laboratory',
  'hospice', 'home', 'center', 'centro', 'clínica', 'farmacia', 'salud', 'calle', 'avenida', 'team', 'office',
  'unit', 'ward', 'floor', 'building', 'campus', 'mall', 'park', 'church', 'school', 'hall', 'program',
  'programa', 'programme', 'initiative', 'campaign', 'month', 'project', 'series', 'webinar', 'award', 'fund',
  'way', 'lane', 'drive', 'court', 'boulevard', 'place', 'circle', 'parkway', 'highway', 'terrace', 'plaza',
  'mes', 'semana', 'campaña', 'jornada', 'feria', 'concientización', 'día',
]; // prettier-ignore
/** Words before a capitalised run that make it a place or a programme: "St. Luke's", "the programa Corazones Sanos". */
const PLACE_BEFORE = /(?:^|[^a-z])(?:st|saint|san|santa|mount|mt|programa|program|programme|proyecto)\.? $/i;
/**
 * What follows a staff member's name in the message that introduces them:
 * "Courtney Spencer, CHW, will be your contact", "Ana replaces Bryan".
 */
const STAFF_AFTER =
  /^,?[^.;]{0,48}?\b(?:will be your|is your new|is our|is the new|as the new|joined our|joins our|has joined|replaces|will cover|moved to|can be reached|is out of the office|será su|es su nuevo|es su nueva|se une)\b/i;
/** Credentials after a name: a provider or staff member. */
const CREDENTIAL =
  /^,? ?(?:MD|M\.D\.|DO|D\.O\.|NP|FNP|PA-C|PA|RN|LPN|LVN|LCSW|LMFT|LPC|PhD|PsyD|DDS|DMD|PharmD|RPh|CNM|CRNA|MSW|BSN|MSN|DNP|OD|DPM|DC|CMA|CPC|CCS|RHIA|RHIT|CHW|CCM|CM|CHES|CDCES|CDE|IBCLC|MPH|MHA|RDN|RD|CNA|CADC|LADC|CASAC)\b/;

// "Thanks so much,", "Best,", "Saludos cordiales,": a short closing line before the signature.
const CLOSINGS =
  /^(?:best |kind |warm |many |with )?(?:regards|thanks|thank you|sincerely|best|cheers|respectfully|cordially|warmly|take care|all the best|saludos|atentamente|cordialmente|gracias|muchas gracias|un saludo|un cordial saludo)\b[^.?]{0,24}$/i;
const GREETING =
  /^(?:hi|hello|hey|dear|good morning|good afternoon|good evening|greetings|hola|estimado|estimada|estimados|buenos días|buenas tardes|buen día)\b/i;

/** Words that are capitalised at a sentence's start or as headings, never names. */
const COMMON_CAPITALISED = wordSet(
  'please thank thanks hi hello hey dear good morning afternoon evening greetings the this that these those we our your you he she they it if when as ' +
    'for from to on in at by with and or but re fw fwd subject attached see per note also monday tuesday ' +
    'wednesday thursday friday saturday sunday january february march april may june july august ' +
    'september october november december today tomorrow yesterday member patient provider claim claims ' +
    'prior auth authorization plan medicare medicaid hola estimado estimada gracias por favor el la los las ' +
    'su sus usted paciente afiliado lunes martes miércoles jueves viernes sábado domingo enero febrero ' +
    'marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre',
);

/** Every person mention in one prepared field. */
export function findPeople(text: string): PersonMention[] {
  const out: PersonMention[] = [];
  if (!/[A-Z\u00c0-\u00de]/.test(text)) return out;
  const staffFrom = signatureStart(text);
  const greetingEnd = greetingLineEnd(text);
  NAME_RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = NAME_RUN.exec(text)) !== null) {
    // Most runs are one capitalised word that nothing makes a name: passed at once.
    if (m[0].indexOf(' ') < 0 && plainWord(text, m.index, m[0])) continue;
    const mention = judge(text, m.index, m[0], staffFrom, greetingEnd);
    if (mention !== undefined) out.push(mention);
  }
  return out;
}

/**
 * Whether a run of one word is no name by `judge`'s first test: no title
 * before it or in it, no possessive or roster comma after it, and no known
 * given name or surname.
 */
function plainWord(text: string, at: number, word: string): boolean {
  const next = text.charAt(at + word.length);
  if (next === "'" || next === '\u2019' || next === ',') return false;
  const w = word.toLowerCase();
  return !SURNAME.has(w) && !GIVEN.has(w) && !isTitle(word) && titleBefore(text, at) === undefined;
}

function judge(
  text: string,
  at: number,
  run: string,
  staffFrom: number,
  greetingEnd: number,
): PersonMention | undefined {
  let words = sameStyle(run.split(/ (?:(?:de la|de los|de las|del|de|y) )?/));
  let start = at;
  // "Dear Ana Ruiz", "Please Ask": leading words that are never names.
  // "April Payne", "Julio Escobar": a month that is also a given name stays before a known surname.
  while (
    words.length > 1 &&
    COMMON_CAPITALISED.has(words[0]!.toLowerCase()) &&
    !(
      (AMBIGUOUS.has(words[0]!.toLowerCase()) || GIVEN.has(words[0]!.toLowerCase())) &&
      bare(words[1]!)
        .split('-')
        .some((p) => SURNAME.has(p))
    )
  ) {
    start += words[0]!.length + 1;
    words = words.slice(1);
  }
  // A title may stand inside the run ("Sra Pérez") or just before it ("Mr. Reed").
  let title = titleBefore(text, at);
  while (words.length > 0 && isTitle(words[0]!)) {
    title = PROVIDER_TITLES.indexOf(bare(words[0]!)) >= 0 ? 'provider' : 'person';
    start += words[0]!.length + 1;
    words = words.slice(1);
  }
  if (words.length === 0) return undefined;
  // One word with nothing that makes it a name (a title, a possessive, a
  // roster's comma, a relation): the common case, dismissed before any more work.
  if (words.length === 1 && title === undefined) {
    const next = text.charAt(at + run.length);
    const w = words[0]!.toLowerCase();
    if (next !== "'" && next !== '\u2019' && next !== ',' && !SURNAME.has(w) && !GIVEN.has(w))
      return undefined;
  }
  const end = endOfWords(text, start, words);
  const after = text.slice(end, end + 24);
  // "Mercy Medical Center", "Lincoln Street Clinic": a place, not a person.
  const lowered = words.map(bare);
  // An organisation's word ends the run ("Mercy Medical Center"), unless the
  // run is surely a person's: a title before it, or a given name and a surname
  // that is also such a word ("Lisa Park", "Ana Hall").
  const personShaped =
    title === 'person' || (words.length === 2 && GIVEN.has(lowered[0]!) && SURNAME.has(lowered[1]!));
  if (!personShaped && lowered.some((w) => ORG_WORDS.indexOf(w) >= 0)) return undefined;
  const nextWord = /^ ([A-Za-z\u00c0-\u00ff]+)/.exec(after);
  if (nextWord !== null && ORG_WORDS.indexOf(nextWord[1]!.toLowerCase()) >= 0) return undefined;
  if (/^'s (?:office|practice|clinic|team|staff|group|nurse)/i.test(after)) title = 'provider';
  if (CREDENTIAL.test(after)) title = 'provider';
  if (PLACE_BEFORE.test(text.slice(Math.max(0, start - 12), start))) return undefined;
  const staffIntro = STAFF_AFTER.test(text.slice(end, end + 80));

  const rosterMatch = LAST_FIRST.exec(text.slice(start, start + 80));
  const roster =
    rosterMatch !== null &&
    rosterMatch[0].length > end - start &&
    !rosterMatch[0].split(/[ ,-]+/).some((w) => COMMON_CAPITALISED.has(w.toLowerCase())) &&
    rosterShaped(rosterMatch[1]!, rosterMatch[2]!)
      ? rosterMatch
      : null;
  const known =
    roster !== null
      ? knownName(
          [...roster[1]!.split(/[ -]/), ...roster[2]!.split(' ')].map(bare),
          true,
          roster[1]!.split(/[ -]/).length,
        )
      : knownName(lowered, false, 0);
  const possessive = /^['\u2019]s\b/.test(after) || /['\u2019]s$/.test(run);
  const relational =
    /\b(?:your|his|her|their|our|su|tu) (?:son|daughter|child|wife|husband|mother|father|mom|dad|spouse|partner|baby|sister|brother|grandmother|grandfather|grandson|granddaughter|niece|nephew|hijo|hija|esposa|esposo|madre|padre|bebé|hermana|hermano|abuela|abuelo|nieta|nieto),? $/i.test(
      text.slice(Math.max(0, start - 40), start),
    );
  const sentenceStart = atSentenceStart(text, start);
  // "HUNT, KYLE", "Pierce, Will": a roster's "LAST, FIRST" is a name's shape, common words or not.
  const rosterName = roster !== null && rosterWordsKnown(roster[1]!, roster[2]!);
  let strong = title === 'person' || relational || (known.given && known.surname) || rosterName;
  let person = strong || title === 'provider';
  // "J. Doe", "E. Luna-Castillo": an initial and a surname are a name's shape.
  const initial = (w: string | undefined): boolean => w !== undefined && /^[A-Z\u00c0-\u00de]\.$/.test(w);
  // "J. Doe", "E. Luna-Castillo", "Miles V. White": initials among names are a name's shape.
  const initialAndName =
    (words.length >= 2 && initial(words[0]) && !initial(words[1])) ||
    (words.length === 3 && initial(words[1]) && !initial(words[0]) && !initial(words[2]));
  let unknown = false;
  if (!person) {
    if (known.any && (words.length >= 2 || possessive || !sentenceStart)) person = true;
    if (words.length === 1 && !possessive && !known.surname) person = false;
    if (possessive && known.any) strong = true;
    if (initialAndName) person = true;
    // A roster's "LAST, FIRST" with one half a known name.
    if (roster !== null) person = true;
    // Two or three capitalised words of no known name, mid-sentence: a name
    // from elsewhere ("Chinedu Zielinski"), if the sentence shows a patient.
    if (!person && words.length >= 2 && words.length <= 3 && words.every(isTitleCase)) {
      person = true;
      unknown = !possessive;
    }
  }
  if (!person) return undefined;
  if (words.length === 1 && COMMON_CAPITALISED.has(lowered[0]!)) return undefined;
  let role: Role = title === 'provider' ? 'provider' : staffIntro ? 'staff' : 'person';
  if (role === 'person' && start >= staffFrom) role = 'staff';
  // The addressee of the greeting is the reader, a provider's office: unless
  // addressed as a member ("Dear Mr. Reed"), not a patient.
  if (role === 'person' && start < greetingEnd) role = 'addressee';
  return { start, end: roster !== null ? start + roster[0].length : end, role, strong, unknown };
}

/**
 * Whether the words hold a known given name and a known surname. In a roster
 * ("GARCIA-LOPEZ, MARIA") the first `lastCount` words are the surname.
 */
function rosterWordsKnown(last: string, first: string): boolean {
  const l = last.toLowerCase().split(/[ -]/);
  const f = first.toLowerCase().split(' ');
  return l.some((w) => SURNAME.has(w) || AMBIGUOUS.has(w)) && f.some((w) => GIVEN.has(w) || AMBIGUOUS.has(w));
}

/**
 * Whether "LAST, FIRST" is a name by its words: both halves known, or one
 * half known and the other a capitalised word of its own ("Wang, Chinedu",
 * "Lincoln, Latoya"); names from outside the lists come in rosters too.
 */
function rosterShaped(last: string, first: string): boolean {
  if (rosterWordsKnown(last, first)) return true;
  const l = last.toLowerCase().split(/[ -]/);
  const f = first.toLowerCase().split(' ');
  const lastKnown = l.some((w) => SURNAME.has(w));
  const firstKnown = f.some((w) => GIVEN.has(w));
  return (lastKnown || firstKnown) && [...last.split(/[ -]/), ...first.split(' ')].every(isNameShaped);
}

/** A capitalised word, a word in capitals or an initial, and no common word. */
function isNameShaped(word: string): boolean {
  return (
    isTitleCase(word) ||
    (/^[A-Z\u00c0-\u00de'\u2019]{2,}\.?$/.test(word) && !COMMON_CAPITALISED.has(word.toLowerCase())) ||
    /^[A-Z\u00c0-\u00de]\.$/.test(word)
  );
}

function isTitleCase(word: string): boolean {
  return /^[A-Z\u00c0-\u00de][a-z\u00df-\u00ff]/.test(word) && !COMMON_CAPITALISED.has(word.toLowerCase());
}

function knownName(
  words: readonly string[],
  roster: boolean,
  lastCount: number,
): { given: boolean; surname: boolean; any: boolean } {
  const clean = words.map((w) => w.replace(/['\u2019]s$/, ''));
  const first = clean[0]!;
  const isGiven = (w: string): boolean => GIVEN.has(w) && !AMBIGUOUS.has(w);
  const isSurname = (w: string): boolean =>
    // A double-barrelled surname needs one known half ("Church-Harper").
    (SURNAME.has(w) || (w.indexOf('-') > 0 && w.split('-').some((p) => SURNAME.has(p)))) && !AMBIGUOUS.has(w);
  const given = roster ? clean.slice(lastCount).some(isGiven) : isGiven(first);
  const surname =
    clean.length > 1 && (roster ? clean.slice(0, lastCount).some(isSurname) : clean.slice(1).some(isSurname));
  const any =
    clean.some((w) => isGiven(w) || isSurname(w)) ||
    (clean.length >= 2 && clean.some((w) => GIVEN.has(w) || SURNAME.has(w)));
  return { given, surname, any };
}

/** The leading words written alike: "Jane Doe" of "Jane Doe HIV", "MARIA LOPEZ" of "MARIA LOPEZ Type". */
function sameStyle(words: readonly string[]): string[] {
  const caps = (w: string): boolean => w.length > 1 && w === w.toUpperCase() && !/\.$/.test(w);
  const out: string[] = [];
  for (const w of words) {
    if (out.length > 0 && caps(w) !== caps(out[0]!) && !/\.$/.test(out[0]!) && !/\.$/.test(w)) break;
    out.push(w);
  }
  return out;
}

/** Where the kept words end in the text, from `start`. */
function endOfWords(text: string, start: number, words: readonly string[]): number {
  let at = start;
  for (const w of words) {
    const i = text.indexOf(w, at);
    if (i < 0) break;
    at = i + w.length;
  }
  return at;
}

function bare(word: string): string {
  // Only a word ending in "s" or "." has an ending to take off.
  const last = word.charCodeAt(word.length - 1);
  if (last !== 0x73 && last !== 0x2e) return word.toLowerCase();
  return word
    .replace(/['\u2019]s$/, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

function isTitle(word: string): boolean {
  const w = bare(word);
  return PERSON_TITLES.indexOf(w) >= 0 || PROVIDER_TITLES.indexOf(w) >= 0;
}

/** Which title ends just before `at` ("Mr. ", "Dr. "), if any. */
function titleBefore(text: string, at: number): 'person' | 'provider' | undefined {
  // A title ends in a space just before the name: most words have none.
  if (at === 0 || text.charCodeAt(at - 1) !== 32) return undefined;
  const before = text.slice(Math.max(0, at - 12), at);
  if (!/\.? $/.test(before)) return undefined;
  const words = before.replace(/\.? $/, '').split(/[^A-Za-z\u00c0-\u00ff]/);
  const w = words[words.length - 1]!.toLowerCase();
  if (PROVIDER_TITLES.indexOf(w) >= 0) return 'provider';
  if (PERSON_TITLES.indexOf(w) >= 0) return 'person';
  return undefined;
}

function atSentenceStart(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && (text.charAt(i) === ' ' || text.charAt(i) === '\t')) i--;
  if (i < 0) return true;
  const c = text.charAt(i);
  return c === '.' || c === '!' || c === '?' || c === '\n' || c === '\r' || c === ':' || c === '"';
}

/** Where the sender's signature starts: after a closing line ("Regards,"), else never. */
function signatureStart(text: string): number {
  const spans = sentenceSpans(text);
  for (let i = spans.length - 2; i >= 0; i -= 2) {
    const line = text.slice(spans[i], spans[i + 1]).trim();
    if (CLOSINGS.test(line)) return spans[i]!;
    // Only the last lines of a message hold its closing.
    if (text.length - spans[i]! > 1500) break;
  }
  return text.length;
}

/** End of the greeting line ("Hi Dr. Patel,"), or 0 when the text opens otherwise. */
function greetingLineEnd(text: string): number {
  const lead = /^\s*/.exec(text)![0].length;
  if (!GREETING.test(text.slice(lead, lead + 40))) return 0;
  const nl = text.indexOf('\n', lead);
  const comma = text.indexOf(',', lead);
  const ends = [nl, comma].filter((x) => x >= 0);
  return ends.length === 0 ? Math.min(text.length, lead + 80) : Math.min(...ends) + 1;
}

function wordSet(words: string): Set<string> {
  return new Set(words.split(' '));
}
