import { scanMessage } from '../detect/index';
import { DEFAULT_DETECTION_POLICY } from '../shared/detection-policy';
import { ENTITY_TYPES, type EntityType, type FieldName } from '../shared/entities';

export interface LabelledEntity {
  type: EntityType;
  field: FieldName;
  start: number;
  end: number;
}

export interface LabelledMessage {
  id: string;
  subject: string;
  body: string;
  bodyType: 'text' | 'html';
  sensitive: boolean;
  entities: LabelledEntity[];
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Evaluation {
  perType: Record<EntityType, Counts>;
  entities: Counts;
  messages: Counts & { tn: number };
  /** Human-readable lines describing each miss and false alarm. */
  errors: string[];
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

/**
 * Scores the engine with the default policy but without policy keywords, so
 * the figures speak of entity detection only. A predicted entity matches a
 * labelled one of the same type and field when their ranges overlap.
 */
export function evaluateCorpus(rows: readonly LabelledMessage[]): Evaluation {
  const policy = { ...DEFAULT_DETECTION_POLICY, keywords: [] };
  const perType = Object.fromEntries(ENTITY_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<
    EntityType,
    Counts
  >;
  const entities: Counts = { tp: 0, fp: 0, fn: 0 };
  const messages = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const errors: string[] = [];
  for (const row of rows) {
    const result = scanMessage({ subject: row.subject, body: row.body, bodyType: row.bodyType }, policy);
    const predicted = result.findings.filter((f) => f.type !== 'KEYWORD');
    const matched = new Set<number>();
    for (const gold of row.entities) {
      const hit = predicted.findIndex(
        (p, i) =>
          !matched.has(i) &&
          p.type === gold.type &&
          p.field === gold.field &&
          p.start < gold.end &&
          gold.start < p.end,
      );
      const text = fieldText(row, gold.field);
      if (hit >= 0) {
        matched.add(hit);
        perType[gold.type].tp++;
        entities.tp++;
      } else {
        perType[gold.type].fn++;
        entities.fn++;
        errors.push(
          `${row.id} missed ${gold.type} ${JSON.stringify(text.slice(gold.start, gold.end))} after ${JSON.stringify(text.slice(Math.max(0, gold.start - 40), gold.start))}`,
        );
      }
    }
    predicted.forEach((p, i) => {
      if (matched.has(i)) return;
      perType[p.type as EntityType].fp++;
      entities.fp++;
      const text = fieldText(row, p.field);
      errors.push(
        `${row.id} false ${p.type} ${JSON.stringify(text.slice(p.start, p.end))} after ${JSON.stringify(text.slice(Math.max(0, p.start - 40), p.start))} (${p.rule} ${p.score})`,
      );
    });
    const said = predicted.length > 0;
    if (said && row.sensitive) messages.tp++;
    else if (said) messages.fp++;
    else if (row.sensitive) messages.fn++;
    else messages.tn++;
  }
  return { perType, entities, messages, errors };
}

function fieldText(row: LabelledMessage, field: FieldName): string {
  return field === 'subject' ? row.subject : row.body;
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
  const lines = ['type                  tp   fp   fn  precision  recall     f1'];
  const row = (name: string, c: Counts): string =>
    `${name.padEnd(20)} ${String(c.tp).padStart(4)} ${String(c.fp).padStart(4)} ${String(c.fn).padStart(4)}  ${pct(precision(c)).padStart(9)}  ${pct(recall(c)).padStart(6)}  ${pct(f1(c))}`;
  for (const t of ENTITY_TYPES) lines.push(row(t, e.perType[t]));
  lines.push(row('ALL ENTITIES', e.entities));
  const m = e.messages;
  lines.push(
    '',
    `messages: ${m.tp + m.fp + m.fn + m.tn}  recall ${pct(recall(m))}  precision ${pct(precision(m))}  (tp ${m.tp}, fp ${m.fp}, fn ${m.fn}, tn ${m.tn})`,
  );
  if (withErrors && e.errors.length > 0) lines.push('', ...e.errors);
  return lines.join('\n');
}
