/**
 * Writes the labelled corpus of PHI written in prose:
 * test/fixtures/corpus/prose-phi.jsonl. Half the messages tell something
 * about a named person's health, care or payment for care (every category of
 * HEALTH_CATEGORIES, many phrasings and layouts); the other half are hard
 * negatives: health words with no individual, individuals with no health
 * information, clinicians and staff named beside health words, names that are
 * also places or words, health words in other senses. A quarter is Spanish.
 *
 *   npx tsx scripts/corpus/prose/generate.ts
 *   npx tsx scripts/corpus/prose/generate.ts --seed 7 --out /tmp/heldout/prose-phi.jsonl
 *
 * One JSON object a line:
 *   {id, kind: "prose-en" | "prose-es", subject, body, bodyType, sensitive, phi,
 *    categories, spans: [{role: "person" | "health", field, start, end, category?}], entities}
 * `sensitive` equals `phi`. Spans are UTF-16 offsets into the raw field (the
 * HTML source for HTML bodies; a span may hold `&nbsp;`). `categories` lists
 * the categories of the health spans. `entities` is empty except where a
 * person is known only by an identifier (MEMBER_ID, MRN) or a date of birth
 * is written, labelled as in the identifier corpus.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HEALTH_CATEGORIES, type EntityType, type HealthCategory } from '../../../src/shared/entities';
import { frame } from '../common';
import { Rng } from '../rng';
import { invalidReason, visible } from '../validate';
import { finish, type MarkedSpan } from './marks';
import type { Lang } from './names';
import { negative, NEGATIVE_TEMPLATES, type NegativeKind } from './negative';
import { pickShape, positive, type Shape } from './positive';

export const SEED = 20250714;

/** Messages per language; half of each are positives. */
export const PLAN: { lang: Lang; count: number }[] = [
  { lang: 'en', count: 450 },
  { lang: 'es', count: 150 },
];

/** Share of HTML bodies. */
const HTML_SHARE = 0.45;

export interface ProseSpan {
  role: 'person' | 'health';
  field: 'subject' | 'body';
  start: number;
  end: number;
  category?: HealthCategory;
}

export interface ProseRow {
  id: string;
  kind: string;
  subject: string;
  body: string;
  bodyType: 'text' | 'html';
  sensitive: boolean;
  phi: boolean;
  categories: HealthCategory[];
  spans: ProseSpan[];
  entities: { type: EntityType; field: 'subject' | 'body'; start: number; end: number }[];
}

export interface Stats {
  /** Per message id: `category/shape` for a positive, the template's name for a negative. */
  made: Map<string, string>;
  shapes: Map<string, number>;
  negatives: Map<string, number>;
  negativeKinds: Map<string, number>;
}

function seedFor(seed: number, kind: string, index: number): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (const ch of `${kind}#${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h >>> 0;
}

const bump = (m: Map<string, number>, k: string): void => {
  m.set(k, (m.get(k) ?? 0) + 1);
};

function check(row: ProseRow, what: string): void {
  const fail = (why: string): never => {
    throw new Error(`${row.id} (${what}): ${why}`);
  };
  const field = (f: 'subject' | 'body'): string => (f === 'subject' ? row.subject : row.body);
  const html = (f: 'subject' | 'body'): boolean => f === 'body' && row.bodyType === 'html';
  const seen = (f: 'subject' | 'body', s: string): string =>
    html(f) ? visible(s.replace(/<style[\s\S]*?<\/style>/g, '')) : s;
  for (const f of ['subject', 'body'] as const) {
    const text = seen(f, field(f));
    if (/[\uE000-\uF8FF]/.test(field(f))) fail(`marker left in ${f}`);
    if (/[{}[\]]/.test(text))
      fail(`pattern syntax left in ${f}: ${JSON.stringify(text.match(/.{0,40}[{}[\]].{0,40}/)?.[0])}`);
    if (f === 'subject' && /[<>]/.test(text)) fail('angle bracket left in subject');
  }
  for (const s of row.spans) {
    const shown = seen(s.field, field(s.field).slice(s.start, s.end));
    if (shown.trim() !== shown || shown === '')
      fail(`span with spaces at its ends: ${JSON.stringify(shown)}`);
    if (!/[\p{L}\p{N}]/u.test(shown)) fail(`span without letters: ${JSON.stringify(shown)}`);
    if (s.role === 'health' && !(HEALTH_CATEGORIES as readonly string[]).includes(s.category ?? ''))
      fail(`health span without a known category: ${String(s.category)}`);
  }
  for (const e of row.entities) {
    const shown = seen(e.field, field(e.field).slice(e.start, e.end));
    const why = invalidReason(e.type, shown);
    if (why) fail(`labelled ${e.type} ${JSON.stringify(shown)} fails ${why}`);
  }
  const persons = row.spans.filter((s) => s.role === 'person').length;
  const health = row.spans.filter((s) => s.role === 'health').length;
  if (row.phi && (persons === 0 || health === 0)) fail(`a positive needs a person and health information`);
  if (!row.phi && row.spans.length + row.entities.length > 0) fail('a negative has labels');
}

function toRow(
  id: string,
  lang: Lang,
  subjectMarked: string,
  bodyMarked: string,
  html: boolean,
  phi: boolean,
): ProseRow {
  const subject = finish(subjectMarked);
  const body = finish(bodyMarked);
  const spans: ProseSpan[] = [];
  const entities: ProseRow['entities'] = [];
  const take = (field: 'subject' | 'body', list: MarkedSpan[]): void => {
    for (const s of list) {
      const where = { field, start: s.start, end: s.end };
      if (s.label.role === 'person') spans.push({ role: 'person', ...where });
      else if (s.label.role === 'health')
        spans.push({ role: 'health', ...where, category: s.label.category });
      else entities.push({ type: s.label.type, ...where });
    }
  };
  take('subject', subject.spans);
  take('body', body.spans);
  const categories = HEALTH_CATEGORIES.filter((c) => spans.some((s) => s.category === c));
  return {
    id,
    kind: `prose-${lang}`,
    subject: subject.text,
    body: body.text,
    bodyType: html ? 'html' : 'text',
    sensitive: phi,
    phi,
    categories,
    spans,
    entities,
  };
}

export function buildProseCorpus(seed = SEED): { rows: ProseRow[]; stats: Stats } {
  const rows: ProseRow[] = [];
  const stats: Stats = { made: new Map(), shapes: new Map(), negatives: new Map(), negativeKinds: new Map() };
  for (const { lang, count } of PLAN) {
    const kind = `prose-${lang}`;
    const negatives = Object.keys(NEGATIVE_TEMPLATES).filter((n) => NEGATIVE_TEMPLATES[n]!.lang === lang);
    for (let i = 0; i < count; i++) {
      const r = new Rng(seedFor(seed, kind, i));
      const f = frame(r, HTML_SHARE);
      const id = `${kind}-${String(i).padStart(3, '0')}`;
      const phi = i % 2 === 0;
      let row: ProseRow;
      let what: string;
      if (phi) {
        const j = i / 2;
        const cat = HEALTH_CATEGORIES[j % HEALTH_CATEGORIES.length]!;
        const shape: Shape = pickShape(r);
        const m = positive(r, f, lang, cat, shape);
        row = toRow(id, lang, m.subject, m.body, f.html, true);
        what = `${cat}/${shape}`;
        bump(stats.shapes, `${lang}\t${shape}`);
      } else {
        const name = negatives[((i - 1) / 2) % negatives.length]!;
        const m = negative(r, f, lang, name);
        row = toRow(id, lang, m.subject, m.body, f.html, false);
        what = name;
        bump(stats.negatives, `${lang}\t${name}`);
        bump(stats.negativeKinds, `${lang}\t${m.kind satisfies NegativeKind}`);
      }
      check(row, what);
      stats.made.set(id, what);
      rows.push(row);
    }
  }
  return { rows, stats };
}

function main(): void {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const seed = Number(option('--seed') ?? SEED);
  if (!Number.isInteger(seed)) throw new Error('--seed takes an integer');
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const out = resolve(option('--out') ?? join(root, 'test/fixtures/corpus/prose-phi.jsonl'));
  const { rows, stats } = buildProseCorpus(seed);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

  const langs = PLAN.map((p) => p.lang);
  const of = (lang: Lang): ProseRow[] => rows.filter((r) => r.kind === `prose-${lang}`);
  console.log(`wrote ${rows.length} messages to ${out}`);
  console.log('\nlanguage  messages  positive  negative  html  spans(person/health)  entities');
  for (const l of langs) {
    const rs = of(l);
    const sp = rs.flatMap((r) => r.spans);
    console.log(
      `${l.padEnd(9)} ${String(rs.length).padStart(8)} ${String(rs.filter((r) => r.phi).length).padStart(9)} ${String(rs.filter((r) => !r.phi).length).padStart(9)} ${String(rs.filter((r) => r.bodyType === 'html').length).padStart(5)}  ${`${sp.filter((s) => s.role === 'person').length}/${sp.filter((s) => s.role === 'health').length}`.padStart(20)}  ${String(rs.reduce((a, r) => a + r.entities.length, 0)).padStart(8)}`,
    );
  }
  console.log('\npositives per category (rows whose labels include it)');
  console.log(`${'category'.padEnd(15)} ${langs.map((l) => l.padStart(5)).join(' ')}  total`);
  for (const c of HEALTH_CATEGORIES) {
    const per = langs.map((l) => of(l).filter((r) => r.categories.includes(c)).length);
    console.log(
      `${c.padEnd(15)} ${per.map((n) => String(n).padStart(5)).join(' ')}  ${String(per.reduce((a, b) => a + b, 0)).padStart(5)}`,
    );
  }
  const table = (title: string, m: Map<string, number>): void => {
    console.log(`\n${title}`);
    const keys = [...new Set([...m.keys()].map((k) => k.split('\t')[1]!))];
    console.log(`${''.padEnd(24)} ${langs.map((l) => l.padStart(5)).join(' ')}`);
    for (const k of keys)
      console.log(
        `${k.padEnd(24)} ${langs.map((l) => String(m.get(`${l}\t${k}`) ?? 0).padStart(5)).join(' ')}`,
      );
  };
  table('positive shapes', stats.shapes);
  table('negative kinds', stats.negativeKinds);
  table('negative templates', stats.negatives);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
