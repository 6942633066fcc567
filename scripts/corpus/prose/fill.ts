/**
 * Fills the patterns of lexicon.ts: picks alternatives, writes the person in
 * the form the message uses, picks and labels health terms, and tidies the
 * result (spaces, Spanish contractions, capitals at sentence starts).
 */
import type { HealthCategory } from '../../../src/shared/entities';
import type { Rng } from '../rng';
import { hx, who } from './marks';
import { ES } from './lexicon-es';
import { EN, type CategoryText, type Term } from './lexicon';
import {
  fullName,
  lastFirst,
  patient,
  possessive,
  proseName,
  pronouns,
  SURNAMES_EN,
  SURNAMES_ES,
  SURNAMES_OTHER,
  title,
  type Lang,
  type Person,
} from './names';

/** A no-break space between a title and a name; `&nbsp;` in HTML, a space in text. */
export const NBSP = '\uE020';

export const lexicon = (lang: Lang): Record<HealthCategory, CategoryText> => (lang === 'es' ? ES : EN);

/**
 * How the person is written in one message:
 * - `name`: a name ("Jane Doe", "Ms. Doe", "J. Doe", "JANE DOE", "la Sra. García");
 * - `apposition`: "the member, Ana Ruiz," / "our member Ana Ruiz" / "el paciente Juan Pérez Gómez";
 * - `relational`: "your son Kevin" / "su hija Sofía" (mail to a parent or spouse);
 * - `pronoun`: "she", "the member", "el afiliado" (the name is elsewhere: subject, earlier sentence);
 * - `identifier`: no name, an identifier the engine finds ("Member ID W123456789").
 */
export type PersonMode = 'name' | 'apposition' | 'relational' | 'pronoun' | 'identifier';

export interface Ctx {
  r: Rng;
  lang: Lang;
  person: Person;
  mode: PersonMode;
  /** The category of `{X}` and `[...]`. */
  cat: HealthCategory;
  /** Terms already picked in this message, so subject and body agree. */
  picked: Map<string, Term>;
  /** One clinician and one hospital per message. */
  dr: { title: string; name: string; female: boolean };
  hosp: string;
  html: boolean;
  /** In `identifier` mode: how the person is written (marked). */
  identifier?: string;
}

const HOSPITALS_EN = [
  "St. Mary's",
  "St. Mary's Hospital",
  'Mercy Medical Center',
  'Good Samaritan Hospital',
  'Valley General',
  'Lincoln Memorial Hospital',
  "St. Joseph's",
  'Desert Regional Medical Center',
  'Hope Community Hospital',
  'Providence Medical Center',
  'County General',
  'University Medical Center',
  'Banner Grace Hospital',
  'Northside Behavioral Health',
];
const HOSPITALS_ES = [
  'el Hospital San Rafael',
  'el Hospital General',
  'el Centro Médico La Paz',
  "St. Mary's",
  'Mercy Medical Center',
  'el Hospital Santa Fe',
  'la Clínica San José',
  'el Hospital Regional del Valle',
];
export const DAYS_EN = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const DAYS_ES = ['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'];
export const MONTHS_EN = [
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
export const MONTHS_ES = [
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

export function clinician(r: Rng, lang: Lang): Ctx['dr'] {
  const female = r.chance(0.5);
  const name = r.pick(
    lang === 'es' && r.chance(0.7) ? SURNAMES_ES : r.chance(0.75) ? SURNAMES_EN : SURNAMES_OTHER,
  );
  return { title: lang === 'es' && female ? 'Dra.' : 'Dr.', name, female };
}

export function newCtx(
  r: Rng,
  lang: Lang,
  cat: HealthCategory,
  html: boolean,
  mode: PersonMode = 'name',
): Ctx {
  return {
    r,
    lang,
    person: patient(r, lang),
    mode,
    cat,
    picked: new Map(),
    dr: clinician(r, lang),
    hosp: r.pick(lang === 'es' ? HOSPITALS_ES : HOSPITALS_EN),
    html,
  };
}

export function date(r: Rng, lang: Lang): string {
  const m = r.int(1, 12);
  const d = r.int(1, 28);
  if (lang === 'es')
    return r.pick([
      `${d} de ${MONTHS_ES[m - 1]!}`,
      `${d}/${m}`,
      `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}`,
    ]);
  return r.pick([
    `${m}/${d}`,
    `${MONTHS_EN[m - 1]!} ${d}`,
    `${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}`,
  ]);
}

const withNbsp = (ctx: Ctx, name: string): string =>
  ctx.html && ctx.r.chance(0.3)
    ? name.replace(/^(Mrs?\.|Ms\.|Miss|Sra?\.|Srta\.|Dra?\.) /, `$1${NBSP}`)
    : name;

/** The person as a name (marked), with its Spanish article when titled. */
function nameForm(ctx: Ctx): { article: string; marked: string } {
  const name = proseName(ctx.r, ctx.person, ctx.lang);
  const titled = /^(?:Sra?\.|Srta\.)/.test(name);
  const article = ctx.lang === 'es' && titled ? (ctx.person.sex === 'f' ? 'la ' : 'el ') : '';
  return { article, marked: who(withNbsp(ctx, name)) };
}

const RELATIONS_EN = {
  f: ['daughter', 'wife', 'mother', 'sister'],
  m: ['son', 'husband', 'father', 'brother'],
};
const RELATIONS_ES = { f: ['hija', 'esposa', 'madre', 'hermana'], m: ['hijo', 'esposo', 'padre', 'hermano'] };

function personToken(ctx: Ctx, possessiveForm: boolean, atStart: boolean): string {
  const { r, lang, person: p } = ctx;
  const pr = pronouns(p);
  const o = p.sex === 'f' ? 'a' : 'o';
  const el = p.sex === 'f' ? 'la' : 'el';
  switch (ctx.mode) {
    case 'identifier':
      if (!ctx.identifier) throw new Error('identifier mode without an identifier');
      return ctx.identifier;
    case 'pronoun':
      if (lang === 'es') return `${el} ${r.pick([`afiliad${o}`, 'paciente', 'miembro', `afiliad${o}`])}`;
      if (possessiveForm) return r.pick([pr.his, pr.his, "the member's", "the patient's"]);
      // "she" only where the sentence starts with the person; elsewhere it may be an object.
      return atStart && r.chance(0.6) ? pr.he : r.pick(['the member', 'the patient']);
    case 'relational': {
      const rel = r.pick((lang === 'es' ? RELATIONS_ES : RELATIONS_EN)[p.sex]);
      const name = who(r.chance(0.8) ? p.given : fullName(p));
      if (lang === 'es') return `su ${rel} ${name}`;
      return possessiveForm ? `your ${rel} ${name}'s` : `your ${rel} ${name}`;
    }
    case 'apposition': {
      const name = who(withNbsp(ctx, r.chance(0.6) ? fullName(p) : `${title(p, lang, r)} ${p.family}`));
      if (lang === 'es')
        return r.pick([
          `${el} afiliad${o}, ${name},`,
          `nuestr${o} afiliad${o} ${name}`,
          `${el} paciente ${name}`,
        ]);
      if (possessiveForm) return `${r.pick(['our member', 'your patient', 'member'])} ${name}'s`;
      return r.pick([
        `the member, ${name},`,
        `our member ${name}`,
        `your patient, ${name},`,
        `patient ${name}`,
        `the subscriber's dependent, ${name},`,
      ]);
    }
    default: {
      const n = nameForm(ctx);
      if (lang === 'es' || !possessiveForm) return n.article + n.marked;
      const plainName = proseName(ctx.r, p, 'en');
      const pos = possessive(r, plainName);
      return who(withNbsp(ctx, pos.name)) + pos.tail;
    }
  }
}

function term(ctx: Ctx, key: string, list: readonly Term[]): Term {
  const had = ctx.picked.get(key);
  if (had) return had;
  const got = ctx.r.pick(list);
  ctx.picked.set(key, got);
  return got;
}

function healthToken(ctx: Ctx, bare: boolean, spec: string): string {
  let cat = ctx.cat;
  let sub: string | undefined;
  const colon = spec.indexOf(':');
  if (colon >= 0) cat = spec.slice(colon + 1) as HealthCategory;
  else if (spec.startsWith('.')) sub = spec.slice(1);
  const text = lexicon(ctx.lang)[cat];
  const list = sub ? text.sub?.[sub] : text.terms;
  if (!list) throw new Error(`no term list ${cat}.${sub ?? ''}`);
  const tm = term(ctx, `${cat}.${sub ?? ''}`, list);
  const shown = tm.n;
  return !bare && tm.a ? `${tm.a} ${hx(cat, shown)}` : hx(cat, shown);
}

function token(ctx: Ctx, name: string, atStart: boolean): string {
  const { r, lang, person: p } = ctx;
  const pr = pronouns(p);
  const x = /^(X0?)((?:\.[a-z]+|:[a-z-]+)?)$/.exec(name);
  if (x) return healthToken(ctx, x[1] === 'X0', x[2]!);
  switch (name) {
    case 'P':
      return personToken(ctx, false, atStart);
    case "P's":
      return personToken(ctx, true, atStart);
    case 'he':
    case 'He':
    case 'his':
    case 'His':
    case 'him':
      return pr[name];
    case 'o':
      return p.sex === 'f' ? 'a' : 'o';
    case 'a':
      return p.sex === 'f' ? 'a' : '';
    case 'el':
      return p.sex === 'f' ? 'la' : 'el';
    case 'El':
      return p.sex === 'f' ? 'La' : 'El';
    case 'lo':
      return p.sex === 'f' ? 'la' : 'lo';
    case 'dr':
      return `${ctx.dr.title} ${ctx.dr.name}`;
    case 'eldr':
      return `${ctx.dr.female ? 'la' : 'el'} ${ctx.dr.title} ${ctx.dr.name}`;
    case 'hosp':
      return ctx.hosp;
    case 'date':
      return date(r, lang);
    case 'day':
      return r.pick(lang === 'es' ? DAYS_ES : DAYS_EN);
    case 'month':
      return r.pick(lang === 'es' ? MONTHS_ES : MONTHS_EN);
    case 'year':
      return String(r.int(1938, 2006));
    default:
      throw new Error(`unknown token {${name}}`);
  }
}

/** Upper-cases the first letter of the text and of every sentence, skipping marker labels. */
export function sentenceCase(s: string): string {
  let out = '';
  let need = true;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\uE010') {
      const mid = s.indexOf('\uE011', i);
      out += s.slice(i, mid + 1);
      i = mid;
      continue;
    }
    if (need && /\p{L}/u.test(ch)) {
      out += ch.toUpperCase();
      need = false;
      continue;
    }
    if (need && !/[\s\uE011\uE012¿¡"(]/.test(ch)) need = false;
    out += ch;
    if (
      /[.?!]/.test(ch) &&
      /\s/.test(s[i + 1] ?? '') &&
      !/(?:\b(?:Dr|Dra|Mr|Mrs|Ms|Sr|Sra|Srta|St)|^|\s\p{Lu})$/u.test(out.slice(0, -1))
    )
      need = true;
  }
  return out;
}

/** Fills one pattern; `null` when it does not fit the person (a woman-only pattern for a man). */
export function fill(ctx: Ctx, pattern: string): string | null {
  let p = pattern;
  const sex = /^([FM]):/.exec(p);
  if (sex) {
    if ((sex[1] === 'F') !== (ctx.person.sex === 'f')) return null;
    p = p.slice(2);
  }
  p = p.replace(/<([^<>]*)>/g, (_m, alts: string) => ctx.r.pick(alts.split('|')));
  p = p.replace(/\{([^{}]+)\}/g, (_m, name: string, at: number) => token(ctx, name, at === 0));
  p = p.replace(/\[(?:([a-z-]+):)?([^[\]]+)\]/g, (_m, cat: string | undefined, text: string) =>
    hx((cat ?? ctx.cat) as HealthCategory, text),
  );
  p = p
    .replace(/ {2,}/g, ' ')
    .replace(/ ([.,;:?])/g, '$1')
    .replace(/,([.,])/g, '$1');
  if (ctx.lang === 'es')
    p = p.replace(/\b([Dd]e|[Aa]) el /g, (_m, w: string) =>
      w === 'de' ? 'del ' : w === 'De' ? 'Del ' : w === 'a' ? 'al ' : 'Al ',
    );
  return sentenceCase(p.trim());
}

/** Fills a pattern picked from `patterns`, trying others when one does not fit the person. */
export function fillAny(ctx: Ctx, patterns: readonly string[]): string {
  for (const p of ctx.r.shuffle(patterns)) {
    const subjectOnly = ctx.mode === 'apposition' || ctx.mode === 'identifier';
    if (subjectOnly && !/^(?:[FM]:)?\{P\} [a-z<]/.test(p)) continue;
    const got = fill(ctx, subjectOnly ? p.replace('<(born {year})|>', '') : p);
    if (got !== null) return got;
  }
  throw new Error(`no pattern fits (${ctx.cat}, ${ctx.mode})`);
}

/** "DOE, JANE" as written in a Name column or a pasted roster, marked. */
export function rosterName(ctx: Ctx): string {
  return who(lastFirst(ctx.r, ctx.person));
}
