/**
 * The judgement: protected health information is a person (a name, or an
 * identifier the engine found) linked to health information in the same
 * sentence or table row, in a sentence that refers back to them ("He is now
 * in detox"), or across subject and body. General health content with no one
 * named, people with no health content, and providers' and staff's own names
 * are not PHI.
 */
import type { DetectionPolicy, PhiPolicy } from '../../shared/detection-policy';
import type { FieldName, Finding, HealthCategory } from '../../shared/entities';
import type { MappedText } from '../text/mapped-text';
import { healthTerms, SENSITIVE_CATEGORIES, type HealthMention, type HealthTerms } from './health-terms';
import { findPeople } from './people';
import { sentenceSpans, spanAt } from './units';

export interface PreparedField {
  readonly field: FieldName;
  readonly mapped: MappedText;
}

/** Identifier types that name an individual as surely as a name does. */
const IDENTITY_TYPES = ['US_SSN', 'US_ITIN', 'MEDICARE_MBI', 'MEMBER_ID', 'MRN', 'DATE_OF_BIRTH'];
/** A sentence that refers back to the person of the sentence before. */
const REFERS_BACK =
  /\b(?:he|she|his|her|him|they|their|them|the patient|the member|this member|the subscriber|the enrollee|the dependent|the child|él|ella|su|sus|le|lo|la paciente|el paciente|el afiliado|la afiliada|el miembro|la miembro|el asegurado|la asegurada)\b/i;
/** How many sentences back a reference may reach for its person: a short passage. */
const REFERENCE_REACH = 2;
/** The longest label before a record's colon ("Nombre del paciente:"). */
const MAX_RECORD_LABEL = 40;
/** How many lines under its head a record reaches. */
const RECORD_REACH = 8;
/** How many of the body's first sentences a name in the subject reaches. */
const SUBJECT_REACH = 6;

const BASE_SCORE = 0.7;
const SENSITIVE_BONUS = 0.15;
const STRONG_PERSON_BONUS = 0.1;
const GENERAL_PENALTY = 0.3;

interface Person {
  readonly field: FieldName;
  /** Raw range. */
  readonly start: number;
  readonly end: number;
  readonly strong: boolean;
  readonly what: string;
}

interface Health {
  /** Raw range. */
  readonly start: number;
  readonly end: number;
  readonly category: HealthCategory;
  readonly term: string;
}

interface FieldReading {
  readonly field: FieldName;
  readonly sentences: number;
  /** Per sentence: the people and the health information in it. */
  readonly people: Person[][];
  readonly health: Health[][];
  readonly general: boolean[];
  readonly refersBack: boolean[];
  /**
   * Per sentence: the sentence that heads its record, when it sits in one:
   * "Patient: Harold Jenkins" and the lines under it up to a blank line, as
   * forms and notes write a person and then their visit. -1 when none.
   */
  readonly recordHead: number[];
  /** Per sentence: it speaks to the reader ("your", "usted"). */
  readonly secondPerson: boolean[];
  /** The person the greeting names, when not a provider: spoken to about their own health. */
  readonly addressee: Person | undefined;
  /** Per sentence: names of no known list, held back until the message shows who they are. */
  readonly loose: Person[][];
}

const SECOND_PERSON = /\b(?:you|your|yours|usted|su|sus|tu|tus)\b/i;

export function findProsePhi(
  fields: readonly PreparedField[],
  identifiers: readonly Finding[],
  policy: DetectionPolicy,
): Finding[] {
  const phi: PhiPolicy = policy.phi ?? {};
  if (phi.enabled === false) return [];
  const terms = healthTerms(phi.terms ?? []);
  const disabled = phi.disabledCategories ?? [];
  const mentions = fields.map((f) => (/[a-z]{3}/i.test(f.mapped.text) ? terms.find(f.mapped.text) : []));
  // No health words and no diagnosis code anywhere: nothing to link, and no names to look for.
  if (mentions.every((m) => m.length === 0) && !identifiers.some((d) => d.type === 'ICD10')) return [];
  const readings = fields.map((f, i) => readField(f, mentions[i]!, identifiers, terms, disabled));
  const out: Finding[] = [];
  for (const r of readings) judgeField(r, phi, policy.minScore, out);
  const subject = readings.find((r) => r.field === 'subject');
  const body = readings.find((r) => r.field === 'body');
  if (
    subject !== undefined &&
    body !== undefined &&
    !out.some((f) => f.field === 'subject' || f.field === 'body')
  ) {
    acrossSubjectAndBody(subject, body, policy.minScore, out);
  }
  return out;
}

function readField(
  f: PreparedField,
  mentions: readonly HealthMention[],
  identifiers: readonly Finding[],
  terms: HealthTerms,
  disabled: readonly HealthCategory[],
): FieldReading {
  const text = f.mapped.text;
  const spans = sentenceSpans(text);
  const n = spans.length / 2;
  const people: Person[][] = [];
  const health: Health[][] = [];
  const general: boolean[] = [];
  const refersBack: boolean[] = [];
  const recordHead: number[] = [];
  const secondPerson: boolean[] = [];
  const loose: Person[][] = [];
  let addressee: Person | undefined;
  const rawSpans: number[] = [];
  for (let i = 0; i < n; i++) {
    people.push([]);
    health.push([]);
    loose.push([]);
    const s = spans[i * 2]!;
    const e = spans[i * 2 + 1]!;
    general.push(terms.cue('generalCues', text, s, e));
    refersBack.push(REFERS_BACK.test(text.slice(s, e)));
    const colon = text.indexOf(':', s);
    if (
      colon > s &&
      colon < Math.min(e, s + MAX_RECORD_LABEL) &&
      terms.cue('personCues', text, s, colon + 1)
    ) {
      recordHead.push(i);
    } else {
      const prev = i > 0 ? recordHead[i - 1]! : -1;
      // A blank line ends the record; so does reaching too far from its head.
      const gap = i > 0 ? text.slice(spans[i * 2 - 1], s) : '';
      recordHead.push(prev >= 0 && i - prev <= RECORD_REACH && !/\n[ \t\u00a0]*\n/.test(gap) ? prev : -1);
    }
    secondPerson.push(SECOND_PERSON.test(text.slice(s, e)));
    const [rs, re] = e > s ? f.mapped.toRaw(s, e) : [0, 0];
    rawSpans.push(rs, re);
  }
  for (const h of mentions) {
    if (disabled.indexOf(h.category) >= 0 || inProperName(text, h.start, h.end)) continue;
    const i = spanAt(spans, h.start);
    if (i < 0) continue;
    const [start, end] = f.mapped.toRaw(h.start, h.end);
    health[i]!.push({ start, end, category: h.category, term: text.slice(h.start, h.end) });
  }
  {
    for (const p of findPeople(text)) {
      if (p.role !== 'person' && p.role !== 'addressee') continue;
      const i = spanAt(spans, p.start);
      if (i < 0) continue;
      const [start, end] = f.mapped.toRaw(p.start, p.end);
      if (p.role === 'addressee') {
        addressee ??= {
          field: f.field,
          start,
          end,
          strong: p.strong,
          what: 'the name of the person addressed',
        };
        continue;
      }
      // A name of no known list counts only where the sentence shows a patient or member.
      // A run of capitalised words that holds a health word, a role or a
      // general word ("Invega Sustenna", "Utilization Management", "Secure
      // Email") is a drug, a department or a product, not a person.
      if (p.unknown === true && notAName(terms, text, p.start, p.end, mentions)) continue;
      // In a sentence with health words it links as any name would (weakly).
      if (p.unknown === true && !hasPatientCue(terms, text, spans, i) && !mentionsIn(mentions, spans, i)) {
        loose[i]!.push({ field: f.field, start, end, strong: false, what: "a person's name" });
        continue;
      }
      people[i]!.push({
        field: f.field,
        start,
        end,
        strong: p.strong || hasPatientCue(terms, text, spans, i),
        what: "a person's name",
      });
    }
  }
  for (const d of identifiers) {
    if (d.field !== f.field) continue;
    const i = spanAt(rawSpans, d.start);
    if (i < 0) continue;
    if (d.type === 'ICD10' && disabled.indexOf('condition') < 0) {
      health[i]!.push({ start: d.start, end: d.end, category: 'condition', term: 'a diagnosis code' });
    } else if (IDENTITY_TYPES.indexOf(d.type) >= 0) {
      people[i]!.push({
        field: f.field,
        start: d.start,
        end: d.end,
        strong: true,
        what: `a person's ${labelOf(d.type)}`,
      });
    }
  }
  return {
    field: f.field,
    sentences: n,
    people,
    health,
    general,
    refersBack,
    recordHead,
    secondPerson,
    addressee,
    loose,
  };
}

const TITLE_WORD_BEFORE = /(?:^|[^A-Za-z\u00c0-\u00ff'\u2019])([A-Z\u00c0-\u00de][a-z\u00df-\u00ff]+) $/;
/** Capitalised words that start sentences, not names: "Your Ozempic", "The Dialysis…" is still a word. */
const FUNCTION_WORDS = [
  'your',
  'the',
  'his',
  'her',
  'their',
  'our',
  'my',
  'a',
  'an',
  'any',
  'su',
  'sus',
  'el',
  'la',
  'los',
  'las',
  'un',
  'una',
  'mi',
  'tu',
  'this',
  'that',
  'new',
  'no',
  'per',
  'for',
  'and',
  'or',
];
const ORG_AFTER =
  /^ (?:Center|Centre|Clinic|Associates|Group|Institute|Partners|Services|Specialists|Program|Unit|Department|Hospital|Foundation|Network|LLC|Inc|Centro|Clínica)\b/;

/**
 * Whether a health word is part of a provider's or a place's name: "Canyon
 * Behavioral Health", "Valley Kidney Dialysis", "Sunrise Oncology Associates".
 * A name in Title Case after another capitalised word, or before "Center",
 * "Clinic"…; acronyms ("HIV", "MRI") are words, not names.
 */
function inProperName(text: string, start: number, end: number): boolean {
  const first = text.charAt(start);
  if (first < 'A' || first > 'Z') return false;
  const term = text.slice(start, end);
  if (term === term.toUpperCase()) return false;
  if (ORG_AFTER.test(text.slice(end, end + 16))) return true;
  const m = TITLE_WORD_BEFORE.exec(text.slice(Math.max(0, start - 24), start));
  return m !== null && FUNCTION_WORDS.indexOf(m[1]!.toLowerCase()) < 0;
}

const NOT_NAME_WORDS =
  /\b(?:management|email|e-mail|mail|correo|seguro|secure|services?|program|team|department|utilization|quality|relations|representative|analyst|specialist|coordinator|manager|director|navigator|worker|educator|reviewer|portal|center|network|plan|benefits?|pharmacy|claims?|member|provider|gestión|servicios|programa|equipo|representante|especialista|coordinadora?|enfermera|farmacia|salud)\b/i;

function notAName(
  terms: HealthTerms,
  text: string,
  start: number,
  end: number,
  mentions: readonly HealthMention[],
): boolean {
  if (mentions.some((m) => m.start < end && start < m.end)) return true;
  const run = text.slice(start, end);
  return (
    NOT_NAME_WORDS.test(run) ||
    terms.cue('providerCues', text, start, end) ||
    terms.cue('generalCues', text, start, end)
  );
}

function mentionsIn(mentions: readonly HealthMention[], spans: readonly number[], i: number): boolean {
  const s = spans[i * 2]!;
  const e = spans[i * 2 + 1]!;
  return mentions.some((m) => m.start >= s && m.end <= e);
}

function hasPatientCue(terms: HealthTerms, text: string, spans: readonly number[], i: number): boolean {
  return terms.cue('personCues', text, spans[i * 2]!, spans[i * 2 + 1]!);
}

function judgeField(r: FieldReading, phi: PhiPolicy, minScore: number, out: Finding[]): void {
  const alone = phi.aloneCategories ?? [];
  for (let i = 0; i < r.sentences; i++) {
    const health = r.health[i]!;
    if (health.length === 0) continue;
    let people = r.people[i]!;
    // "Robert Chen was admitted last night. He is now in detox."
    if (people.length === 0 && r.refersBack[i] === true) {
      for (let back = 1; back <= REFERENCE_REACH && i - back >= 0 && people.length === 0; back++) {
        people = r.people[i - back]!;
      }
    }
    // "Patient: Harold Jenkins" / "Reason for visit: chest pain".
    const head = r.recordHead[i]!;
    if (people.length === 0 && head >= 0 && head !== i) people = r.people[head]!;
    // "Dear Ana Ruiz, … Your biopsy results are ready."
    if (people.length === 0 && r.addressee !== undefined && r.secondPerson[i] === true)
      people = [r.addressee];
    const h = strongest(health);
    if (people.length === 0) {
      if (alone.indexOf(h.category) >= 0)
        out.push(
          finding(
            r.field,
            h,
            undefined,
            0.8,
            `'${h.term}' (${h.category}), which counts on its own under policy`,
          ),
        );
      continue;
    }
    const p = people.find((x) => x.strong) ?? people[0]!;
    let score = BASE_SCORE;
    if (SENSITIVE_CATEGORIES.indexOf(h.category) >= 0) score += SENSITIVE_BONUS;
    if (p.strong) score += STRONG_PERSON_BONUS;
    // A webinar, a newsletter, "all members who…": general content, unless the person is surely one.
    if (r.general[i] === true && !p.strong) score -= GENERAL_PENALTY;
    if (score < minScore) continue;
    out.push(finding(r.field, h, p, score, `${p.what} with '${h.term}' (${h.category})`));
  }
}

/** "Jane Doe - HIV test results" in the subject, "her viral load came back…" in the body. */
function acrossSubjectAndBody(
  subject: FieldReading,
  body: FieldReading,
  minScore: number,
  out: Finding[],
): void {
  const subjectPerson = flatten(subject.people)[0];
  const subjectHealth = flatten(subject.health);
  const reach = Math.min(body.sentences, SUBJECT_REACH);
  const bodyHealth = flatten(body.health.slice(0, reach));
  // The person the body is about: a surely named one, or else the only one it names.
  const named = flatten(body.people.slice(0, reach));
  const everyone = named.concat(flatten(body.loose.slice(0, reach)));
  const bodyPerson = named.find((p) => p.strong) ?? (everyone.length === 1 ? everyone[0] : undefined);
  // A webinar's or a newsletter's subject speaks of health in general.
  if (subject.general.some((g) => g) || body.general[0] === true) return;
  let link:
    { field: FieldName; health: readonly Health[]; person: Person; why: (h: Health) => string } | undefined;
  if (subjectPerson !== undefined && bodyHealth.length > 0) {
    link = {
      field: 'body',
      health: bodyHealth,
      person: subjectPerson,
      why: (h) => `${subjectPerson.what} in the subject with '${h.term}' (${h.category})`,
    };
  } else if (subjectHealth.length > 0 && bodyPerson !== undefined) {
    link = {
      field: 'subject',
      health: subjectHealth,
      person: bodyPerson,
      why: (h) => `'${h.term}' (${h.category}) with ${bodyPerson.what} in the body`,
    };
  }
  if (link === undefined) return;
  const h = strongest(link.health);
  const score = BASE_SCORE + (SENSITIVE_CATEGORIES.indexOf(h.category) >= 0 ? SENSITIVE_BONUS : 0);
  if (score >= minScore) out.push(finding(link.field, h, link.person, score, link.why(h)));
}

function strongest(health: readonly Health[]): Health {
  return health.find((h) => SENSITIVE_CATEGORIES.indexOf(h.category) >= 0) ?? health[0]!;
}

function finding(field: FieldName, h: Health, p: Person | undefined, score: number, why: string): Finding {
  return {
    type: 'PHI',
    field,
    start: h.start,
    end: h.end,
    score: Math.round(Math.min(1, score) * 100) / 100,
    rule: p === undefined ? 'PHI/health-alone' : 'PHI/person+health',
    explanation: why.length > 140 ? why.slice(0, 137) + '…' : why,
    person: p === undefined ? undefined : { field: p.field, start: p.start, end: p.end },
    category: h.category,
  };
}

function labelOf(type: string): string {
  switch (type) {
    case 'US_SSN':
      return 'SSN';
    case 'US_ITIN':
      return 'ITIN';
    case 'MEDICARE_MBI':
      return 'Medicare ID';
    case 'MEMBER_ID':
      return 'member ID';
    case 'MRN':
      return 'medical record number';
    default:
      return 'date of birth';
  }
}

/** The arrays one after another (`Array.prototype.flat` is newer than ES2016). */
function flatten<T>(arrays: readonly (readonly T[])[]): T[] {
  const out: T[] = [];
  for (const a of arrays) for (const x of a) out.push(x);
  return out;
}
