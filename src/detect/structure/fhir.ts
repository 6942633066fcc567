/**
 * Reads FHIR resources written as JSON and pasted into mail: one resource or a
 * Bundle, reformatted or not, with prose around it. The message may not be
 * JSON as a whole, so there is no JSON.parse over it: a small tokenizer walks
 * the text once, keeps the path of keys it is in, and decides what a string
 * means when the object holding it closes, because FHIR lets `system` come
 * after `value` and `resourceType` after `identifier`.
 */
import type { EntityType } from '../../shared/entities';
import { identifierTypeOf } from './identifier-types';
import { isSpace, pushZone } from './segments';
import type { Zone } from './zone';

type Types = readonly EntityType[];

const NONE: Types = [];
const MBI_OR_MEMBER: Types = ['MEDICARE_MBI', 'MEMBER_ID'];

/** Identifier systems (naming systems) whose values are of one kind. */
const IDENTIFIER_SYSTEMS: Readonly<Record<string, Types>> = {
  'http://hl7.org/fhir/sid/us-ssn': ['US_SSN'],
  'urn:oid:2.16.840.1.113883.4.1': ['US_SSN'],
  'http://hl7.org/fhir/sid/us-npi': ['NPI'],
  'urn:oid:2.16.840.1.113883.4.6': ['NPI'],
  'http://hl7.org/fhir/sid/us-mbi': MBI_OR_MEMBER,
  'urn:oid:2.16.840.1.113883.4.927': MBI_OR_MEMBER,
  'http://hl7.org/fhir/sid/us-medicare': MBI_OR_MEMBER,
  'http://terminology.hl7.org/NamingSystem/medicareHIC': MBI_OR_MEMBER,
  'urn:oid:2.16.840.1.113883.4.572': MBI_OR_MEMBER,
  'urn:oid:2.16.840.1.113883.4.4': ['US_EIN'],
};

/**
 * Code systems of `Coding`s: a code from an ICD diagnosis system is a
 * diagnosis wherever it stands; a code from a procedure, drug, lab or
 * clinical-term system is not one of the contract's types.
 */
const ICD: Types = ['ICD10'];
const CODE_SYSTEMS: Readonly<Record<string, Types>> = {
  'http://hl7.org/fhir/sid/icd-10-cm': ICD,
  'http://hl7.org/fhir/sid/icd-10': ICD,
  'urn:oid:2.16.840.1.113883.6.90': ICD,
  'urn:oid:2.16.840.1.113883.6.3': ICD,
  'http://hl7.org/fhir/sid/icd-9-cm': ICD,
  'urn:oid:2.16.840.1.113883.6.103': ICD,
  'http://www.ama-assn.org/go/cpt': NONE,
  'urn:oid:2.16.840.1.113883.6.12': NONE,
  'https://bluebutton.cms.gov/resources/codesystem/hcpcs': NONE,
  'urn:oid:2.16.840.1.113883.6.285': NONE,
  'http://www.cms.gov/Medicare/Coding/ICD10': NONE,
  'http://loinc.org': NONE,
  'http://snomed.info/sct': NONE,
  'http://hl7.org/fhir/sid/ndc': NONE,
  'http://www.nlm.nih.gov/research/umls/rxnorm': NONE,
};

/**
 * What an identifier that names neither its system nor its type is, by the
 * resource it identifies: a patient's number at a provider, a coverage's
 * member number, a practitioner's (US) NPI; a claim's or encounter's own
 * number is not a person's identifier.
 */
const RESOURCE_IDENTIFIERS: Readonly<Record<string, Types>> = {
  Patient: ['MRN'],
  Coverage: ['MEMBER_ID'],
  Practitioner: ['NPI'],
  Claim: NONE,
  ClaimResponse: NONE,
  ExplanationOfBenefit: NONE,
  Encounter: NONE,
  Account: NONE,
};

/** CodeableConcepts whose codings are diagnoses even when they omit their system. */
const DIAGNOSIS_CONCEPTS = new Set<string>(['diagnosisCodeableConcept']);

/** A FHIR resource is never this deep; deeper is not FHIR, and stops the walk. */
const MAX_DEPTH = 128;

/** A string member of an object: its raw range in the text and its decoded value. */
interface Member {
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

/** An identifier whose kind waits for the resource around it. */
interface PendingIdentifier {
  readonly value: Member;
  readonly label: string;
}

interface Coding {
  readonly system: string | undefined;
  readonly code: Member;
}

/** An object or array being read, with what its members have said so far. */
interface Frame {
  readonly array: boolean;
  /** The key this container is the value of (an array's elements share its key). */
  readonly name: string;
  key: string;
  expectValue: boolean;
  resourceType?: Member;
  system?: Member;
  code?: Member;
  value?: Member;
  /** Codings of this CodeableConcept, gathered as its `coding` objects close. */
  codings?: Coding[];
  /** Codes of this identifier's `type`. */
  typeCodes?: string[];
  /** Identifiers of this resource still without a kind. */
  pending?: PendingIdentifier[];
}

const RESOURCE_TYPE = '"resourceType"';

/** Zones for the FHIR elements whose meaning the resource model states. */
export function readFhir(text: string): Zone[] {
  let marker = text.indexOf(RESOURCE_TYPE);
  if (marker < 0) return [];
  const zones: Zone[] = [];
  let from = 0;
  let brace = -2;
  while (marker >= 0) {
    if (brace !== -1 && brace < from) brace = text.indexOf('{', from);
    // The object holding "resourceType" opens at a brace before it; a resource
    // pasted without its opening brace is read as the inside of one.
    const opening = brace >= 0 && brace < marker;
    if (opening && !opensObject(text, brace)) {
      // "{name}" in prose, or "{{{{": not an object with keys, and not worth a walk.
      from = brace + 1;
      continue;
    }
    const start = opening ? brace : marker;
    const end = readJson(text, start, !opening, zones);
    from = Math.max(end, start + 1);
    if (from > marker) marker = text.indexOf(RESOURCE_TYPE, from);
  }
  return zones;
}

/** Whether the brace at `at` is followed (after spaces) by a key's opening quote. */
function opensObject(text: string, at: number): boolean {
  let i = at + 1;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return text.charCodeAt(i) === 0x22;
}

/**
 * Walks one JSON value from `start` (an object's opening brace, or its first
 * key when `inside`) until it closes or stops being JSON; returns where it
 * stopped. Frames still open at a stop are closed as they stand, so a resource
 * cut short by the paste still yields what it said.
 */
function readJson(text: string, start: number, inside: boolean, zones: Zone[]): number {
  const n = text.length;
  const stack: Frame[] = [];
  if (inside) stack.push(frame(false, ''));
  let i = start;
  walk: while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const top = stack.length > 0 ? stack[stack.length - 1] : undefined;
    switch (c) {
      case 0x7b /* { */:
      case 0x5b /* [ */: {
        if (top !== undefined && !top.array && !top.expectValue) break walk;
        if (stack.length >= MAX_DEPTH) break walk;
        const name = top === undefined ? '' : top.array ? top.name : top.key;
        if (top !== undefined) top.expectValue = false;
        stack.push(frame(c === 0x5b, name));
        i++;
        continue;
      }
      case 0x7d /* } */:
      case 0x5d /* ] */: {
        if (top === undefined || top.array !== (c === 0x5d)) break walk;
        stack.pop();
        close(top, stack, text, zones);
        i++;
        if (stack.length === 0) return i;
        continue;
      }
      case 0x22 /* " */: {
        const end = stringEnd(text, i + 1);
        if (top === undefined || end < 0) break walk;
        if (top.array) {
          // Strings in arrays ("given": ["Jane"]) say nothing the readers use.
        } else if (top.expectValue) {
          member(top, top.key, { start: i + 1, end, value: decode(text, i + 1, end) }, zones, text);
          top.expectValue = false;
        } else {
          top.key = decode(text, i + 1, end);
        }
        i = end + 1;
        continue;
      }
      case 0x3a /* : */:
        if (top === undefined || top.array) break walk;
        top.expectValue = true;
        i++;
        continue;
      case 0x2c /* , */:
        if (top === undefined) break walk;
        if (!top.array) {
          top.key = '';
          top.expectValue = false;
        }
        i++;
        continue;
      default: {
        // Numbers, true, false, null: a run of letters, digits and signs, only where a value goes.
        if (top === undefined || !(top.array || top.expectValue) || !isLiteral(c)) break walk;
        while (i < n && isLiteral(text.charCodeAt(i))) i++;
        top.expectValue = false;
        continue;
      }
    }
  }
  while (stack.length > 0) close(stack.pop()!, stack, text, zones);
  return i;
}

function frame(array: boolean, name: string): Frame {
  return { array, name, key: '', expectValue: false };
}

function isLiteral(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    c === 0x2e ||
    c === 0x2d ||
    c === 0x2b
  );
}

/** Index of the quote closing a string whose content starts at `from`, or -1 (a line break or the end first). */
function stringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i;
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x0a || c === 0x0d) return -1;
  }
  return -1;
}

/** The value of a JSON string's content (escapes such as `\/` in URLs resolved). */
function decode(text: string, start: number, end: number): string {
  const raw = text.slice(start, end);
  if (raw.indexOf('\\') < 0) return raw;
  try {
    const parsed: unknown = JSON.parse(`"${raw}"`);
    return typeof parsed === 'string' ? parsed : raw;
  } catch {
    return raw;
  }
}

// A FHIR date or dateTime: CCYY-MM-DD, then the time if any.
const FHIR_DATE = /^\d{4}-\d\d-\d\d(?:T|$)/;

/** A string member of an object: kept when its meaning needs the rest of the object, else decided now. */
function member(top: Frame, key: string, m: Member, zones: Zone[], text: string): void {
  switch (key) {
    case 'resourceType':
      top.resourceType = m;
      return;
    case 'system':
      top.system = m;
      return;
    case 'code':
      top.code = m;
      return;
    case 'value':
      top.value = m;
      return;
    case 'birthDate':
      pushZone(zones, text, m, {
        types: ['DATE_OF_BIRTH'],
        label: 'FHIR birthDate',
        dateOrder: 'year-first',
      });
      return;
    case 'subscriberId':
      pushZone(zones, text, m, { types: ['MEMBER_ID'], label: 'FHIR Coverage.subscriberId' });
      return;
  }
  // Every other date (service, onset, period, recorded, issued) is not a birth date.
  if (FHIR_DATE.test(m.value)) pushZone(zones, text, m, { types: NONE, label: `FHIR ${key} date` });
}

/** What a closing object (or array) tells the objects around it. */
function close(f: Frame, stack: readonly Frame[], text: string, zones: Zone[]): void {
  if (f.array) return;
  const parent = stack.length > 0 ? stack[stack.length - 1] : undefined;
  // The object that holds this one, directly or as an element of an array.
  const holder = parent?.array === true ? (stack.length > 1 ? stack[stack.length - 2] : undefined) : parent;
  if (f.name === 'coding' && f.code !== undefined) {
    const system = f.system?.value;
    const types = system === undefined ? undefined : systemTypes(CODE_SYSTEMS, system);
    if (types !== undefined) pushZone(zones, text, f.code, { types, label: `FHIR coding (${system!})` });
    if (holder !== undefined) (holder.codings ??= []).push({ system, code: f.code });
  }
  if (f.codings !== undefined) {
    if (f.name === 'type' && holder !== undefined) holder.typeCodes = f.codings.map((c) => c.code.value);
    if (DIAGNOSIS_CONCEPTS.has(f.name)) {
      for (const c of f.codings) {
        if (c.system === undefined) pushZone(zones, text, c.code, { types: ICD, label: `FHIR ${f.name}` });
      }
    }
  }
  if (f.name === 'identifier' && f.value !== undefined) readIdentifier(f, f.value, holder, text, zones);
  if (f.resourceType !== undefined && f.pending !== undefined) {
    const resource = f.resourceType.value;
    const types = Object.prototype.hasOwnProperty.call(RESOURCE_IDENTIFIERS, resource)
      ? RESOURCE_IDENTIFIERS[resource]
      : undefined;
    if (types !== undefined) {
      for (const p of f.pending)
        pushZone(zones, text, p.value, { types, label: `FHIR ${resource}.${p.label}` });
    }
  }
}

/**
 * An Identifier's value is what its system says, else what its type's code
 * says (v2 table 0203: MR, SS, MB...); else it waits for the resource it
 * identifies. One under a reference ("patient": {"identifier": ...}) with
 * neither stays unjudged.
 */
function readIdentifier(
  f: Frame,
  value: Member,
  holder: Frame | undefined,
  text: string,
  zones: Zone[],
): void {
  const system = f.system?.value;
  const bySystem = system === undefined ? undefined : systemTypes(IDENTIFIER_SYSTEMS, system);
  if (bySystem !== undefined) {
    pushZone(zones, text, value, { types: bySystem, label: `FHIR identifier (${system!})` });
    return;
  }
  for (const code of f.typeCodes ?? []) {
    const types = identifierTypeOf(code);
    if (types !== undefined) {
      pushZone(zones, text, value, { types, label: `FHIR identifier (type ${code})` });
      return;
    }
  }
  if (holder !== undefined) (holder.pending ??= []).push({ value, label: 'identifier' });
}

/** Looks a system URI up, forgiving a trailing slash. */
function systemTypes(table: Readonly<Record<string, Types>>, system: string): Types | undefined {
  const s = system.trim().replace(/\/$/, '');
  return Object.prototype.hasOwnProperty.call(table, s) ? table[s] : undefined;
}
