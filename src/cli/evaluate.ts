import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { scanMessage, type AttachmentInput } from '../detect/index';
import { extractAttachment } from '../extract/index';
import { DEFAULT_DETECTION_POLICY } from '../shared/detection-policy';
import { ENTITY_TYPES, type EntityType, type FieldName, type Finding } from '../shared/entities';

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

export interface Evaluation {
  perType: Record<EntityType, Counts>;
  /** Per `kind` of message; empty when the corpus names no kinds. */
  perKind: Record<string, KindEvaluation>;
  entities: Counts;
  messages: MessageCounts;
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
    const result = scanMessage(
      { subject: row.subject, body: row.body, bodyType: row.bodyType, attachments: inputs },
      policy,
    );
    const predicted = result.findings.filter((f) => f.type !== 'KEYWORD');
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
    const said = predicted.length > 0;
    const outcome: keyof MessageCounts = said ? (row.sensitive ? 'tp' : 'fp') : row.sensitive ? 'fn' : 'tn';
    messages[outcome]++;
    if (kind) kind.messages[outcome]++;
  }
  return { perType, perKind, entities, messages, errors };
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
  if (withErrors && e.errors.length > 0) lines.push('', ...e.errors);
  return lines.join('\n');
}
