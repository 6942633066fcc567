import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { scanMessage, type AttachmentInput } from '../detect/index';
import { extractAttachment } from '../extract/index';
import { DEFAULT_DETECTION_POLICY } from '../shared/detection-policy';
import {
  ENTITY_TYPES,
  HEALTH_CATEGORIES,
  PHI_TYPE,
  type EntityType,
  type FieldName,
  type Finding,
  type HealthCategory,
} from '../shared/entities';

/**
 * A labelled value. In the subject or body it has a UTF-16 range into the raw
 * field; in an attachment (`attachment:<i>`) it has the value as written in
 * the document, since offsets into extracted text are not known beforehand.
 */
export interface LabelledEntity {
  type: EntityType;
  field: FieldName;
  start?: number;
  end?: number;
  value?: string;
}

export interface LabelledAttachment {
  name: string;
  contentType?: string;
  /** Relative to the corpus file. */
  path: string;
}

/** Half of a labelled piece of PHI in prose: the person, or the health information about them. */
export interface LabelledSpan {
  role: 'person' | 'health';
  field: 'subject' | 'body';
  start: number;
  end: number;
  /** For health information: what it is about. */
  category?: HealthCategory;
}

export interface LabelledMessage {
  id: string;
  /** What shape of mail this is (`excel-table`, `x12`, ...), when the corpus says. */
  kind?: string;
  subject: string;
  body: string;
  bodyType: 'text' | 'html';
  sensitive: boolean;
  entities: LabelledEntity[];
  attachments?: LabelledAttachment[];
  /**
   * Present in a corpus of PHI written in prose: whether the message tells
   * something about a person's health, care or payment for care. Then the
   * engine's PHI findings, not its identifiers, decide the message.
   */
  phi?: boolean;
  /** The health categories of the PHI in the message. */
  categories?: HealthCategory[];
  spans?: LabelledSpan[];
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export type MessageCounts = Counts & { tn: number };

export interface KindEvaluation {
  entities: Counts;
  messages: MessageCounts;
}

/** How the engine does on one health category of PHI in prose. */
export interface CategoryCounts {
  /** Messages with PHI of this category. */
  positives: number;
  /** ... in which the engine reported PHI of this category. */
  found: number;
  /** ... in which the engine reported PHI of any category. */
  foundAny: number;
  /** Messages without PHI in which the engine reported PHI of this category. */
  falseAlarmMessages: number;
  /** PHI findings of this category in messages without PHI. */
  falseAlarms: number;
}

export interface PhiCounts {
  /** Message level: PHI reported or not, against the `phi` label. */
  messages: MessageCounts;
  categories: Record<HealthCategory, CategoryCounts>;
  /** Labelled spans that a PHI finding overlaps (health: its range; person: its `person` range). */
  spans: { person: { labelled: number; found: number }; health: { labelled: number; found: number } };
}

export interface PhiEvaluation extends PhiCounts {
  /** Per `kind` of message (for the prose corpus, per language). */
  perKind: Record<string, PhiCounts>;
}

export interface Evaluation {
  perType: Record<EntityType, Counts>;
  /** Per `kind` of message; empty when the corpus names no kinds. */
  perKind: Record<string, KindEvaluation>;
  entities: Counts;
  messages: MessageCounts;
  /** PHI in prose, when some message carries a `phi` label. */
  phi?: PhiEvaluation;
  /** Human-readable lines describing each miss and false alarm. */
  errors: string[];
}

/** The text of one attachment as the engine would be given it, or why there is none. */
export type AttachmentReader = (
  message: LabelledMessage,
  attachment: LabelledAttachment,
) => Promise<{ ok: true; text: string; textKind: 'text' | 'html' | 'csv' } | { ok: false; why: string }>;

export interface EvaluateOptions {
  /** Folder that attachment paths are relative to (the corpus file's folder). */
  baseDir?: string;
  /** Replaces reading and extracting attachment files (tests). */
  readAttachment?: AttachmentReader;
  /** Replaces the engine (tests of the scoring itself). */
  scan?: (
    message: Parameters<typeof scanMessage>[0],
    policy: Parameters<typeof scanMessage>[1],
  ) => { findings: readonly Finding[] };
}

export function parseCorpus(text: string): LabelledMessage[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as LabelledMessage;
      } catch {
        throw new Error(`line ${i + 1}: not valid JSON`);
      }
    });
}

/** Reads an attachment's bytes from disk and extracts its text as the add-in would. */
function fileReader(baseDir: string): AttachmentReader {
  return async (_message, a) => {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(resolve(baseDir, a.path)));
    } catch (err) {
      return { ok: false, why: `cannot read ${a.path}: ${(err as Error).message}` };
    }
    const result = await extractAttachment({ name: a.name, contentType: a.contentType, bytes });
    if (!result.ok) return { ok: false, why: `${result.format} ${result.reason}: ${result.message}` };
    return { ok: true, text: result.text, textKind: result.textKind };
  };
}

const emptyCounts = (): Counts => ({ tp: 0, fp: 0, fn: 0 });
const emptyMessages = (): MessageCounts => ({ tp: 0, fp: 0, fn: 0, tn: 0 });
const emptyPhi = (): PhiCounts => ({
  messages: emptyMessages(),
  categories: Object.fromEntries(
    HEALTH_CATEGORIES.map((c) => [
      c,
      { positives: 0, found: 0, foundAny: 0, falseAlarmMessages: 0, falseAlarms: 0 },
    ]),
  ) as Record<HealthCategory, CategoryCounts>,
  spans: { person: { labelled: 0, found: 0 }, health: { labelled: 0, found: 0 } },
});

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end;

/**
 * Scores the engine's PHI findings on one message labelled with `phi`, into
 * every group given (the whole corpus and the message's kind); returns the
 * message-level outcome.
 */
function scorePhi(
  row: LabelledMessage,
  found: readonly Finding[],
  groups: readonly PhiCounts[],
  errors: string[],
): keyof MessageCounts {
  const text = (field: FieldName): string =>
    field === 'subject' ? row.subject : field === 'body' ? row.body : '';
  const show = (field: FieldName, start: number, end: number): string =>
    JSON.stringify(text(field).slice(start, end));
  const spans = row.spans ?? [];
  const labelled = new Set<HealthCategory>(
    row.categories ?? spans.flatMap((s) => (s.role === 'health' && s.category ? [s.category] : [])),
  );
  const reported = new Set(found.flatMap((p) => (p.category ? [p.category] : [])));
  const outcome: keyof MessageCounts = found.length > 0 ? (row.phi ? 'tp' : 'fp') : row.phi ? 'fn' : 'tn';
  for (const g of groups) {
    g.messages[outcome]++;
    if (row.phi) {
      for (const c of labelled) {
        const k = g.categories[c];
        k.positives++;
        if (reported.has(c)) k.found++;
        if (found.length > 0) k.foundAny++;
      }
      for (const s of spans) {
        const hit =
          s.role === 'health'
            ? found.some((p) => p.field === s.field && overlaps(p, s))
            : found.some((p) => p.person?.field === s.field && overlaps(p.person, s));
        g.spans[s.role].labelled++;
        if (hit) g.spans[s.role].found++;
      }
    } else {
      for (const c of reported) g.categories[c].falseAlarmMessages++;
      for (const p of found) if (p.category) g.categories[p.category].falseAlarms++;
    }
  }
  if (row.phi) {
    const cats = [...labelled].join(', ');
    if (found.length === 0) {
      const person = spans.find((s) => s.role === 'person');
      const health = spans.filter((s) => s.role === 'health').slice(0, 3);
      errors.push(
        `${row.id} missed PHI [${cats}]${person ? ` person ${show(person.field, person.start, person.end)}` : ''} health ${health.map((h) => show(h.field, h.start, h.end)).join(' ')}`,
      );
    } else {
      const missing = [...labelled].filter((c) => !reported.has(c));
      if (missing.length > 0)
        errors.push(
          `${row.id} PHI found as [${[...reported].join(', ')}] but not as [${missing.join(', ')}]`,
        );
    }
  } else {
    for (const p of found)
      errors.push(
        `${row.id} false PHI [${p.category ?? '?'}] health ${quote(text(p.field), p.start, p.end)}${p.person ? ` person ${show(p.person.field, p.person.start, p.person.end)}` : ''} (${p.rule} ${p.score})`,
      );
  }
  return outcome;
}

/** What a reader sees of a stretch of text or HTML, reduced to its letters and digits. */
function lettersAndDigits(raw: string, html: boolean): string {
  const seen = html
    ? raw
        .replace(/<[^<>]*>/g, '')
        .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
        .replace(/&[a-z]+;/gi, ' ')
    : raw;
  return seen.replace(/[^0-9a-z]/gi, '').toUpperCase();
}

function quote(text: string, start: number, end: number): string {
  return `${JSON.stringify(text.slice(start, end))} after ${JSON.stringify(text.slice(Math.max(0, start - 40), start))}`;
}

/**
 * Scores the engine with the default policy but without policy keywords, so
 * the figures speak of entity detection only. In the subject and body a
 * predicted entity matches a labelled one of the same type and field when
 * their ranges overlap; in an attachment, when the text it covers has the
 * same letters and digits as the labelled value.
 *
 * PHI findings are a separate kind: they never enter the entity figures. In a
 * message labelled with `phi` (the prose corpus) they alone decide the
 * message-level outcome, and they are scored per health category and per
 * labelled span; in any other message they are ignored, so the figures of
 * the identifier corpora stay comparable.
 */
export async function evaluateCorpus(
  rows: readonly LabelledMessage[],
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  const policy = { ...DEFAULT_DETECTION_POLICY, keywords: [] };
  const read = options.readAttachment ?? fileReader(options.baseDir ?? '.');
  const perType = Object.fromEntries(ENTITY_TYPES.map((t) => [t, emptyCounts()])) as Record<
    EntityType,
    Counts
  >;
  const perKind: Record<string, KindEvaluation> = {};
  const entities = emptyCounts();
  const messages = emptyMessages();
  const errors: string[] = [];
  const scan = options.scan ?? scanMessage;
  let phi: PhiEvaluation | undefined;
  for (const row of rows) {
    const kind =
      row.kind === undefined
        ? undefined
        : (perKind[row.kind] ??= { entities: emptyCounts(), messages: emptyMessages() });
    const count = (type: EntityType, what: keyof Counts): void => {
      perType[type][what]++;
      entities[what]++;
      if (kind) kind.entities[what]++;
    };
    const inputs: AttachmentInput[] = [];
    const unreadable = new Map<number, string>();
    for (const [i, a] of (row.attachments ?? []).entries()) {
      const got = await read(row, a);
      if (got.ok)
        inputs.push({ name: a.name, contentType: a.contentType, text: got.text, textKind: got.textKind });
      else {
        inputs.push({ name: a.name, contentType: a.contentType });
        unreadable.set(i, got.why);
      }
    }
    const result = scan(
      { subject: row.subject, body: row.body, bodyType: row.bodyType, attachments: inputs },
      policy,
    );
    const predicted = result.findings.filter((f) => f.type !== 'KEYWORD' && f.type !== PHI_TYPE);
    const fieldText = (field: FieldName): { text: string; html: boolean } => {
      if (field === 'subject') return { text: row.subject, html: false };
      if (field === 'body') return { text: row.body, html: row.bodyType === 'html' };
      const input = inputs[Number(field.slice('attachment:'.length))];
      return { text: input?.text ?? '', html: input?.textKind === 'html' };
    };
    const matches = (p: Finding, gold: LabelledEntity): boolean => {
      if (p.type !== gold.type || p.field !== gold.field) return false;
      if (gold.start !== undefined && gold.end !== undefined) return p.start < gold.end && gold.start < p.end;
      const { text, html } = fieldText(p.field);
      return (
        gold.value !== undefined &&
        lettersAndDigits(text.slice(p.start, p.end), html) === lettersAndDigits(gold.value, false)
      );
    };
    const matched = new Set<number>();
    for (const gold of row.entities) {
      const hit = predicted.findIndex((p, i) => !matched.has(i) && matches(p, gold));
      if (hit >= 0) {
        matched.add(hit);
        count(gold.type, 'tp');
        continue;
      }
      count(gold.type, 'fn');
      if (gold.start !== undefined && gold.end !== undefined) {
        errors.push(
          `${row.id} missed ${gold.type} ${quote(fieldText(gold.field).text, gold.start, gold.end)}`,
        );
      } else {
        const index = Number(gold.field.slice('attachment:'.length));
        const why = unreadable.get(index);
        const name = row.attachments?.[index]?.name ?? '?';
        errors.push(
          `${row.id} missed ${gold.type} ${JSON.stringify(gold.value)} in ${gold.field} (${name})${why ? `: unreadable, ${why}` : ''}`,
        );
      }
    }
    predicted.forEach((p, i) => {
      if (matched.has(i)) return;
      count(p.type as EntityType, 'fp');
      errors.push(
        `${row.id} false ${p.type} ${p.field === 'body' || p.field === 'subject' ? '' : `in ${p.field} `}${quote(fieldText(p.field).text, p.start, p.end)} (${p.rule} ${p.score})`,
      );
    });
    let outcome: keyof MessageCounts;
    if (row.phi === undefined) {
      const said = predicted.length > 0;
      outcome = said ? (row.sensitive ? 'tp' : 'fp') : row.sensitive ? 'fn' : 'tn';
    } else {
      phi ??= { ...emptyPhi(), perKind: {} };
      const groups: PhiCounts[] = [phi];
      if (row.kind !== undefined) groups.push((phi.perKind[row.kind] ??= emptyPhi()));
      const found = result.findings.filter((f) => f.type === PHI_TYPE);
      outcome = scorePhi(row, found, groups, errors);
    }
    messages[outcome]++;
    if (kind) kind.messages[outcome]++;
  }
  return phi
    ? { perType, perKind, entities, messages, phi, errors }
    : { perType, perKind, entities, messages, errors };
}

export function precision(c: Counts): number {
  return c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
}

export function recall(c: Counts): number {
  return c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
}

export function f1(c: Counts): number {
  const p = precision(c);
  const r = recall(c);
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

export function formatEvaluation(e: Evaluation, withErrors: boolean): string {
  const pct = (x: number): string => x.toFixed(3);
  const figures = (c: Counts): string =>
    `${String(c.tp).padStart(5)} ${String(c.fp).padStart(5)} ${String(c.fn).padStart(5)}  ${pct(precision(c)).padStart(9)}  ${pct(recall(c)).padStart(6)}  ${pct(f1(c))}`;
  const lines = ['type                    tp    fp    fn  precision  recall     f1'];
  for (const t of ENTITY_TYPES) lines.push(`${t.padEnd(20)} ${figures(e.perType[t])}`);
  lines.push(`${'ALL ENTITIES'.padEnd(20)} ${figures(e.entities)}`);
  const kinds = Object.keys(e.perKind).sort();
  const messageFigures = (m: MessageCounts): string =>
    `${String(m.tp + m.fp + m.fn + m.tn).padStart(5)} ${String(m.tp + m.fn).padStart(5)}  ${pct(recall(m)).padStart(10)}  ${pct(precision(m)).padStart(13)}`;
  if (kinds.length > 0) {
    lines.push(
      '',
      'kind                    tp    fp    fn  precision  recall     f1   msgs  sens  msg-recall  msg-precision',
    );
    for (const k of kinds)
      lines.push(
        `${k.padEnd(20)} ${figures(e.perKind[k]!.entities)}  ${messageFigures(e.perKind[k]!.messages)}`,
      );
    lines.push(`${'ALL KINDS'.padEnd(20)} ${figures(e.entities)}  ${messageFigures(e.messages)}`);
  }
  const m = e.messages;
  lines.push(
    '',
    `messages: ${m.tp + m.fp + m.fn + m.tn}  recall ${pct(recall(m))}  precision ${pct(precision(m))}  (tp ${m.tp}, fp ${m.fp}, fn ${m.fn}, tn ${m.tn})`,
  );
  if (e.phi) lines.push('', ...formatPhi(e.phi));
  if (withErrors && e.errors.length > 0) lines.push('', ...e.errors);
  return lines.join('\n');
}

/** Recall over the messages of a category in which the engine reported that category. */
export function categoryRecall(c: CategoryCounts): number {
  return c.positives === 0 ? 1 : c.found / c.positives;
}

/** Recall over the messages of a category in which the engine reported PHI of any category. */
export function categoryRecallAny(c: CategoryCounts): number {
  return c.positives === 0 ? 1 : c.foundAny / c.positives;
}

function formatPhi(p: PhiEvaluation): string[] {
  const pct = (x: number): string => x.toFixed(3);
  const n = (x: number, w: number): string => String(x).padStart(w);
  const m = p.messages;
  const kinds = Object.keys(p.perKind).sort();
  const lines = [
    `PHI IN PROSE (${m.tp + m.fp + m.fn + m.tn} messages labelled, ${m.tp + m.fn} with PHI; PHI findings decide these messages)`,
    'kind                  msgs   phi    tp    fp    fn    tn  msg-recall  msg-precision',
  ];
  const row = (name: string, c: MessageCounts): string =>
    `${name.padEnd(20)} ${n(c.tp + c.fp + c.fn + c.tn, 5)} ${n(c.tp + c.fn, 5)} ${n(c.tp, 5)} ${n(c.fp, 5)} ${n(c.fn, 5)} ${n(c.tn, 5)}  ${pct(recall(c)).padStart(10)}  ${pct(precision(c)).padStart(13)}`;
  for (const k of kinds) lines.push(row(k, p.perKind[k]!.messages));
  lines.push(row('ALL', m));
  const table = (title: string, g: PhiCounts): void => {
    lines.push(
      '',
      title,
      'category           with  found  recall  any-PHI  recall-any  false-alarm msgs  false findings',
    );
    for (const c of HEALTH_CATEGORIES) {
      const k = g.categories[c];
      lines.push(
        `${c.padEnd(16)} ${n(k.positives, 6)} ${n(k.found, 6)}  ${pct(categoryRecall(k))} ${n(k.foundAny, 8)}  ${pct(categoryRecallAny(k)).padStart(10)}  ${n(k.falseAlarmMessages, 16)}  ${n(k.falseAlarms, 14)}`,
      );
    }
    const s = g.spans;
    const share = (x: { labelled: number; found: number }): string =>
      `${x.found}/${x.labelled} (${pct(x.labelled === 0 ? 1 : x.found / x.labelled)})`;
    lines.push(`labelled spans overlapped: person ${share(s.person)}, health ${share(s.health)}`);
  };
  table('per category, all messages', p);
  if (kinds.length > 1) for (const k of kinds) table(`per category, ${k}`, p.perKind[k]!);
  return lines;
}
