/**
 * Writes the realistic labelled corpus: test/fixtures/corpus/realistic.jsonl
 * and the attachments it refers to. The JSONL is the same for the same seed on
 * every machine. Attachments made by LibreOffice are rebuilt only where
 * `soffice` is installed; elsewhere the committed files are kept.
 *
 *   npx tsx scripts/corpus/generate.ts
 *   npx tsx scripts/corpus/generate.ts --seed 7 --out /tmp/heldout/realistic.jsonl
 *
 * Another seed gives other values and other picks of wording and layout from
 * the same templates: a sample the engine has not been tuned on.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { finish } from './doc';
import { ATTACHMENT_TEMPLATES } from './kind-attachment';
import { FHIR_TEMPLATES, HL7_TEMPLATES } from './kind-hl7-fhir';
import { LOOKALIKE_TEMPLATES, SPANISH_TEMPLATES, SURFACE_TEMPLATES } from './kind-prose';
import { EXCEL_TEMPLATES, WORD_TEMPLATES } from './kind-tables';
import { DELIMITED_TEMPLATES, FIXED_TEMPLATES, KEY_VALUE_TEMPLATES } from './kind-text';
import { X12_TEMPLATES } from './kind-x12';
import { Rng } from './rng';
import type { AttachmentDraft, AttachmentEntity, BodyEntity, CorpusRow, Template } from './types';
import { invalidReason, visible } from './validate';

export const SEED = 20250611;

interface KindPlan {
  kind: string;
  count: number;
  /** Share of messages asked to carry identifiers. */
  sensitive: number;
  templates: Record<string, Template>;
}

export const PLAN: KindPlan[] = [
  { kind: 'excel-table', count: 80, sensitive: 0.7, templates: EXCEL_TEMPLATES },
  { kind: 'word-table', count: 52, sensitive: 0.7, templates: WORD_TEMPLATES },
  { kind: 'fixed-width', count: 60, sensitive: 0.65, templates: FIXED_TEMPLATES },
  { kind: 'delimited', count: 52, sensitive: 0.7, templates: DELIMITED_TEMPLATES },
  { kind: 'key-value', count: 60, sensitive: 0.65, templates: KEY_VALUE_TEMPLATES },
  { kind: 'x12', count: 77, sensitive: 0.8, templates: X12_TEMPLATES },
  { kind: 'hl7', count: 48, sensitive: 0.8, templates: HL7_TEMPLATES },
  { kind: 'fhir', count: 40, sensitive: 0.75, templates: FHIR_TEMPLATES },
  { kind: 'spanish', count: 64, sensitive: 0.65, templates: SPANISH_TEMPLATES },
  { kind: 'surface', count: 72, sensitive: 0.85, templates: SURFACE_TEMPLATES },
  { kind: 'lookalike', count: 200, sensitive: 0, templates: LOOKALIKE_TEMPLATES },
  { kind: 'attachment', count: 48, sensitive: 0.7, templates: ATTACHMENT_TEMPLATES },
];

/** A stable per-message seed, so one kind's count does not shift another's messages. */
function seedFor(seed: number, kind: string, index: number): number {
  let h = seed ^ 0x811c9dc5;
  for (const ch of `${kind}#${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h >>> 0;
}

const EXT: Record<string, string> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/pdf': 'pdf',
  'application/rtf': 'rtf',
  'message/rfc822': 'eml',
  'application/zip': 'zip',
  'text/csv': 'csv',
  'text/plain': 'txt',
};

export interface PendingFile {
  file: string;
  draft: AttachmentDraft;
}

export function buildCorpus(seed = SEED): {
  rows: CorpusRow[];
  files: PendingFile[];
  templateUse: Map<string, number>;
} {
  const rows: CorpusRow[] = [];
  const files: PendingFile[] = [];
  const templateUse = new Map<string, number>();
  for (const plan of PLAN) {
    const names = Object.keys(plan.templates);
    for (let i = 0; i < plan.count; i++) {
      const name = names[i % names.length]!;
      const wantSensitive = Math.floor((i + 1) * plan.sensitive) > Math.floor(i * plan.sensitive);
      const r = new Rng(seedFor(seed, plan.kind, i));
      const draft = plan.templates[name]!(r, wantSensitive);
      const id = `${plan.kind}-${String(i).padStart(3, '0')}`;
      const subject = finish(draft.subject);
      const body = finish(draft.body);
      const entities: (BodyEntity | AttachmentEntity)[] = [
        ...subject.spans.map((s) => ({
          type: s.type,
          field: 'subject' as const,
          start: s.start,
          end: s.end,
        })),
        ...body.spans.map((s) => ({ type: s.type, field: 'body' as const, start: s.start, end: s.end })),
      ];
      for (const e of entities) {
        if (!('start' in e)) continue;
        const raw = (e.field === 'subject' ? subject.text : body.text).slice(e.start, e.end);
        const why = invalidReason(e.type, draft.html && e.field === 'body' ? visible(raw) : raw);
        if (why) throw new Error(`${id} (${name}): labelled ${e.type} ${JSON.stringify(raw)} fails ${why}`);
      }
      const row: CorpusRow = {
        id,
        kind: plan.kind,
        subject: subject.text,
        bodyType: draft.html ? 'html' : 'text',
        body: body.text,
        sensitive: false,
        entities,
      };
      if (draft.attachments && draft.attachments.length > 0) {
        row.attachments = [];
        draft.attachments.forEach((a, k) => {
          const file = `${id}-${k + 1}.${EXT[a.contentType] ?? 'bin'}`;
          row.attachments!.push({ name: a.name, contentType: a.contentType, path: `attachments/${file}` });
          files.push({ file, draft: a });
          for (const v of a.values) {
            const why = invalidReason(v.type, v.value);
            if (why)
              throw new Error(
                `${id} (${name}): attachment ${k} labelled ${v.type} ${JSON.stringify(v.value)} fails ${why}`,
              );
            entities.push({ type: v.type, field: `attachment:${k}`, value: v.value });
          }
        });
      }
      row.sensitive = entities.length > 0;
      if (wantSensitive && !row.sensitive && !NEGATIVE_ONLY.test(name))
        throw new Error(`${id} (${name}) was asked for identifiers but has none`);
      if (!wantSensitive && row.sensitive)
        throw new Error(`${id} (${name}) was asked for none but has identifiers`);
      templateUse.set(`${plan.kind}\t${name}`, (templateUse.get(`${plan.kind}\t${name}`) ?? 0) + 1);
      rows.push(row);
    }
  }
  return { rows, files, templateUse };
}

/** Templates whose transactions never carry identifiers (acknowledgments, claim-line fragments). */
const NEGATIVE_ONLY = /^(?:x12-999|x12-837-claim-loop|hl7-ack-a08)$/;

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const CONVERT: Record<string, { to: string; infilter?: string }> = {
  'html>docx': { to: 'docx:MS Word 2007 XML', infilter: 'HTML (StarWriter)' },
  'html>pdf': { to: 'pdf:writer_pdf_Export', infilter: 'HTML (StarWriter)' },
  'html>rtf': { to: 'rtf:Rich Text Format', infilter: 'HTML (StarWriter)' },
  // Every column as text, as in sheets whose numbers are formatted as text.
  'csv>xlsx': {
    to: 'xlsx:Calc MS Excel 2007 XML',
    infilter: 'CSV:44,34,76,1,' + Array.from({ length: 20 }, (_, i) => `${i + 1}/2`).join('/'),
  },
  'fodp>pptx': { to: 'pptx:Impress MS PowerPoint 2007 XML' },
};

/** The names this generator gives attachment files (`x12-004-1.pdf`). */
const OWN_FILE = /^[a-z0-9-]+-\d{3}-\d+\.[a-z]+$/;

function writeAttachments(dir: string, files: PendingFile[]): void {
  mkdirSync(dir, { recursive: true });
  const fixedTime = new Date(Date.UTC(2025, 0, 1));
  for (const { file, draft } of files)
    if (draft.make === 'write') writeFileSync(join(dir, file), draft.source);
  const work = mkdtempSync(join(tmpdir(), 'corpus-'));
  try {
    if (has('zip')) {
      for (const { file, draft } of files) {
        if (draft.make !== 'zip') continue;
        const sub = join(work, file + '.d');
        mkdirSync(sub);
        for (const m of draft.members ?? []) {
          writeFileSync(join(sub, m.name), m.source);
          utimesSync(join(sub, m.name), fixedTime, fixedTime);
        }
        const out = join(dir, file);
        rmSync(out, { force: true });
        const res = spawnSync('zip', [
          '-X',
          '-j',
          '-q',
          out,
          ...(draft.members ?? []).map((m) => join(sub, m.name)),
        ]);
        if (res.status !== 0) throw new Error(`zip failed for ${file}: ${res.stderr.toString()}`);
      }
    } else console.warn('zip not found: keeping the committed ZIP attachments');
    if (!has('soffice')) {
      console.warn('soffice not found: keeping the committed converted attachments');
      return;
    }
    const profile = join(work, 'profile');
    for (const [key, how] of Object.entries(CONVERT)) {
      const [from, to] = key.split('>') as [string, string];
      const batch = files.filter(
        (f) => f.draft.make === 'convert' && f.draft.sourceExt === from && f.file.endsWith('.' + to),
      );
      if (batch.length === 0) continue;
      const src = join(work, key.replace('>', '-'));
      const out = join(work, key.replace('>', '-') + '-out');
      mkdirSync(src);
      mkdirSync(out);
      const inputs = batch.map(({ file, draft }) => {
        const p = join(src, file.replace(/\.[a-z]+$/, '.' + from));
        writeFileSync(p, draft.source);
        return p;
      });
      const args = [
        `-env:UserInstallation=file://${profile}`,
        '--headless',
        '--norestore',
        ...(how.infilter ? [`--infilter=${how.infilter}`] : []),
        '--convert-to',
        how.to,
        '--outdir',
        out,
        ...inputs,
      ];
      const res = spawnSync('soffice', args, { timeout: 600_000 });
      if (res.status !== 0) throw new Error(`soffice failed (${key}): ${res.stderr.toString()}`);
      for (const { file } of batch) {
        const made = join(out, file);
        if (!existsSync(made)) throw new Error(`soffice did not write ${file} (${key})`);
        renameSync(made, join(dir, file));
      }
    }
    const wanted = new Set(files.map((f) => f.file));
    for (const name of readdirSync(dir))
      if (OWN_FILE.test(name) && !wanted.has(name)) rmSync(join(dir, name));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main(): void {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const seed = Number(option('--seed') ?? SEED);
  if (!Number.isInteger(seed)) throw new Error('--seed takes an integer');
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const out = resolve(option('--out') ?? join(root, 'test/fixtures/corpus/realistic.jsonl'));
  const outDir = dirname(out);
  const { rows, files, templateUse } = buildCorpus(seed);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(out, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeAttachments(join(outDir, 'attachments'), files);
  const size = readdirSync(join(outDir, 'attachments')).reduce(
    (a, f) => a + statSync(join(outDir, 'attachments', f)).size,
    0,
  );
  const byKind = new Map<string, { messages: number; sensitive: number; entities: number }>();
  for (const r of rows) {
    const k = byKind.get(r.kind) ?? { messages: 0, sensitive: 0, entities: 0 };
    k.messages++;
    if (r.sensitive) k.sensitive++;
    k.entities += r.entities.length;
    byKind.set(r.kind, k);
  }
  console.log('kind             messages  sensitive  entities  templates');
  for (const [kind, k] of byKind) {
    const t = [...templateUse.keys()].filter((x) => x.startsWith(kind + '\t')).length;
    console.log(
      `${kind.padEnd(16)} ${String(k.messages).padStart(8)} ${String(k.sensitive).padStart(10)} ${String(k.entities).padStart(9)} ${String(t).padStart(10)}`,
    );
  }
  const sens = rows.filter((r) => r.sensitive).length;
  console.log(
    `total ${rows.length} messages, ${sens} sensitive, ${rows.reduce((a, r) => a + r.entities.length, 0)} entities; attachments ${files.length} files, ${(size / 1024).toFixed(0)} KB`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
