/**
 * `fixed-width`, `delimited` and `key-value`: reports aligned with spaces,
 * tab- and comma-separated rows pasted into the body, and label/value blocks.
 */
import { compose, frame, line, lineRaw, OUTROS, type Frame } from './common';
import { esc, mark } from './doc';
import { labelled, plainField, someLabelled, somePlain, type LabelledValue } from './fields';
import { columns, rec, recStyle, type Col, type Rec } from './records';
import type { Rng } from './rng';
import type { Template } from './types';
import { cap, ein, money, npi, PAYERS, PRACTICES, recentDate, safeDigits, usDate } from './values';

/** Lines of monospaced text in the frame's markup. */
export function mono(r: Rng, f: Frame, textLines: readonly string[]): string {
  if (!f.html) return textLines.join('\n') + '\n';
  const nb = (s: string): string => esc(s).replace(/ {2,}/g, (m) => '&nbsp;'.repeat(m.length - 1) + ' ');
  if (f.style === 'word') {
    return textLines
      .map(
        (l) =>
          `<p class=MsoPlainText><span style='font-family:"Courier New"'>${l === '' ? '&nbsp;' : nb(l)}<o:p></o:p></span></p>\n`,
      )
      .join('');
  }
  if (r.chance(0.5))
    return `<pre style="font-family:Consolas,monospace;font-size:10pt">${esc(textLines.join('\n'))}</pre>\n`;
  return textLines
    .map((l) => `<div style="font-family:'Courier New',monospace">${l === '' ? '<br>' : nb(l)}</div>\n`)
    .join('');
}

function fixedTable(r: Rng, cols: Col[], recs: Rec[]): string[] {
  const upper = r.chance(0.6);
  const head = cols.map((c) => (upper ? c.header.toUpperCase() : c.header));
  const widths = cols.map(
    (c, i) => Math.max(head[i]!.length, ...recs.map((x) => c.val(x).length)) + r.int(1, 3),
  );
  const rule = r.pick(['-', '=', '-']);
  const perColRule = r.chance(0.5);
  const fit = (c: Col, v: string, w: number, marked: string): string =>
    c.right ? ' '.repeat(w - v.length) + marked : marked + ' '.repeat(w - v.length);
  const out: string[] = [];
  out.push(
    cols
      .map((c, i) => fit(c, head[i]!, widths[i]!, head[i]!))
      .join(' ')
      .trimEnd(),
  );
  const total = widths.reduce((a, b) => a + b + 1, -1);
  out.push(
    perColRule
      ? widths
          .map((w) => rule.repeat(w - 1) + ' ')
          .join(' ')
          .trimEnd()
      : rule.repeat(total),
  );
  for (const x of recs) {
    out.push(
      cols
        .map((c, i) => {
          const v = c.val(x);
          return fit(c, v, widths[i]!, c.type ? mark(c.type, v) : v);
        })
        .join(' ')
        .trimEnd(),
    );
  }
  out.push(
    perColRule
      ? widths
          .map((w) => rule.repeat(w - 1) + ' ')
          .join(' ')
          .trimEnd()
      : rule.repeat(total),
  );
  const amountCols = cols.filter((c) => c.right);
  if (amountCols.length > 0) {
    const cells = cols.map((c, i) => {
      if (i === 0) return 'TOTALS'.padEnd(widths[i]!);
      if (!c.right) return ' '.repeat(widths[i]!);
      const sum = recs.reduce((a, x) => a + Number(c.val(x).replace(/[$,]/g, '')), 0);
      return sum
        .toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
        .padStart(widths[i]!);
    });
    out.push(cells.join(' ').trimEnd());
  }
  return out;
}

function reportHead(r: Rng, report: string, sensitive: boolean): string[] {
  const payer = r.pick(PAYERS);
  const practice = r.pick(PRACTICES);
  const run = usDate(r, recentDate(r), 0);
  const lines = [
    `${payer.padEnd(34)}${report.padEnd(36)}PAGE ${r.int(1, 4)} OF ${r.int(4, 9)}`,
    `RUN DATE: ${run}${' '.repeat(24)}REPORT ID: ${r.letters(3)}${r.digits(4)}`,
  ];
  if (report.includes('REMITTANCE')) {
    const prov =
      sensitive && r.chance(0.6)
        ? `NPI: ${mark('NPI', npi(r))}   TAX ID: ${mark('US_EIN', ((e) => `${e.slice(0, 2)}-${e.slice(2)}`)(ein(r)))}`
        : `PROV #: ${r.digits(6)}   PAYEE ID: ${r.letters(2)}${r.digits(5)}`;
    lines.push(
      `PROVIDER: ${practice}`,
      prov,
      `CHECK/EFT #: ${safeDigits(r, 10)}     PAYMENT DATE: ${usDate(r, recentDate(r), 0)}     AMOUNT: $${money(r, 300, 40000)}`,
    );
  } else {
    lines.push(`PROVIDER GROUP: ${practice}`);
  }
  lines.push('');
  return lines;
}

const FIXED_REPORTS = [
  'REMITTANCE ADVICE',
  'ELIGIBILITY ROSTER',
  'CLAIM STATUS REPORT',
  'PENDED CLAIMS DETAIL',
  'PCP PANEL LISTING',
];

const fixed =
  (report: string): Template =>
  (r, sensitive) => {
    const f = frame(r, 0.45);
    const st = recStyle(r);
    const recs = Array.from({ length: r.int(2, 10) }, () => rec(r, st));
    const cols = columns(r, sensitive, { plain: r.int(2, 4) });
    const body = [...reportHead(r, report, sensitive), ...fixedTable(r, cols, recs)];
    if (r.chance(0.5))
      body.push(
        '',
        r.pick([
          '*** END OF REPORT ***',
          'CARC/RARC CODES: CO-16 CLAIM LACKS INFORMATION  CO-97 BUNDLED  PR-1 DEDUCTIBLE',
          '** CONFIDENTIAL - FOR PROVIDER USE ONLY **',
        ]),
      );
    const intro = r.pick([
      'Here is the report from our system (copied as-is):',
      'Pasting the printout below.',
      'See the report below; the alignment may be off in your mail client.',
      'Below is the detail you asked for.',
      'This is what the system shows for your group:',
    ]);
    return {
      subject: r.pick([
        'Report as requested',
        cap(report),
        'RE: report',
        'Detail for your office',
        'FW: monthly report',
      ]),
      body: compose(r, f, [intro], mono(r, f, body), r.chance(0.5) ? [r.pick(OUTROS)] : []),
      html: f.html,
    };
  };

export const FIXED_TEMPLATES: Record<string, Template> = Object.fromEntries(
  FIXED_REPORTS.map((rep) => [`fixed-${rep.toLowerCase().replace(/ /g, '-')}`, fixed(rep)]),
);

// ---------- delimited ----------

function csvField(v: string, all: boolean): [string, string] {
  if (all || /[",\n]/.test(v)) return ['"', '"'];
  return ['', ''];
}

const delimited =
  (sep: 'tab' | 'csv' | 'csv-quoted' | 'pipe'): Template =>
  (r, sensitive) => {
    const f = frame(r, 0.35);
    const st = recStyle(r);
    const recs = Array.from({ length: r.int(2, 10) }, () => rec(r, st));
    const cols = columns(r, sensitive);
    const d = sep === 'tab' ? '\t' : sep === 'pipe' ? '|' : ',';
    const all = sep === 'csv-quoted';
    const render = (c: Col | undefined, v: string, marked: string): string => {
      if (sep === 'tab' || sep === 'pipe') return marked;
      const [o, cl] = csvField(v, all);
      return o + marked.replace(/"/g, '""') + cl;
    };
    const rows: string[] = [cols.map((c) => render(undefined, c.header, c.header)).join(d)];
    for (const x of recs)
      rows.push(cols.map((c) => render(c, c.val(x), c.type ? mark(c.type, c.val(x)) : c.val(x))).join(d));
    let payload: string;
    if (!f.html) payload = rows.join(r.chance(0.8) ? '\n' : '\r\n') + '\n';
    else if (sep === 'tab') {
      const tab = r.pick([
        "<span style='mso-tab-count:1'>&nbsp;&nbsp;&nbsp; </span>",
        '\t',
        '&#9;',
        '<span style="white-space:pre">\t</span>',
      ]);
      payload = rows.map((l) => lineRaw(f, esc(l).replace(/\t/g, tab))).join('');
    } else payload = rows.map((l) => line(f, l)).join('');
    const intro = r.pick([
      'Copying the rows from the export below:',
      'Here is the extract (comma separated) - you can paste it into Excel.',
      'Raw data from the report:',
      'I pasted the spreadsheet rows below since the attachment was blocked.',
      'Lines from the file we received:',
    ]);
    return {
      subject: r.pick([
        'Extract',
        'Data for reconciliation',
        'RE: file rows',
        'Rows from the export',
        'Roster extract',
      ]),
      body: compose(r, f, [intro], payload, [r.pick(OUTROS)]),
      html: f.html,
    };
  };

export const DELIMITED_TEMPLATES: Record<string, Template> = {
  'delimited-tab': delimited('tab'),
  'delimited-csv-rfc4180': delimited('csv'),
  'delimited-csv-all-quoted': delimited('csv-quoted'),
  'delimited-pipe-export': delimited('pipe'),
};

// ---------- key-value ----------

type KvStyle = 'dots' | 'colon' | 'underscore' | 'twocol' | 'sections' | 'dash';

function kvLine(r: Rng, style: KvStyle, label: string, value: string, width: number): string {
  switch (style) {
    case 'dots':
      return `${label} ${'.'.repeat(Math.max(3, width - label.length))} ${value}`;
    case 'colon':
    case 'sections':
      return `${(label + ':').padEnd(width + 2)}${value}`;
    case 'underscore':
      return `${label} ${'_'.repeat(r.int(3, 6))} ${value}`;
    case 'dash':
      return `${label.toUpperCase()} - ${value}`;
    default:
      return `${label}: ${value}`;
  }
}

function valueMarked(v: LabelledValue): string {
  return mark(v.type, v.value) + (v.after ? ` (${v.after})` : '');
}

const keyValue =
  (style: KvStyle): Template =>
  (r, sensitive) => {
    const f = frame(r, 0.5);
    const sens = sensitive ? someLabelled(r, 2, 5) : [];
    const pl = somePlain(r, sensitive ? 1 : 3, sensitive ? 3 : 6);
    const name = `${cap(r.pick(['JOHN', 'MARIA', 'LINDA', 'OMAR', 'WEI', 'KEISHA']))} ${cap(r.pick(['SMITH', 'NGUYEN', 'GARCIA', 'PATEL', 'OKAFOR']))}`;
    const items: { label: string; value: string }[] = [
      { label: r.pick(['Patient Name', 'Member Name', 'Patient', 'Subscriber']), value: name },
      ...r.shuffle([...sens.map((v) => ({ label: v.label, value: valueMarked(v) })), ...pl]),
    ];
    const width = Math.max(...items.map((i) => i.label.length)) + r.int(1, 4);
    let textLines: string[];
    if (style === 'twocol') {
      textLines = [];
      for (let i = 0; i < items.length; i += 2) {
        const a = items[i]!;
        const b = items[i + 1];
        const left = `${a.label}: ${a.value}`;
        const visible = left.replace(/\uE000[A-Z_0-9]+\uE001|\uE002/g, '');
        textLines.push(
          b ? left + ' '.repeat(Math.max(3, 40 - visible.length)) + `${b.label}: ${b.value}` : left,
        );
      }
    } else if (style === 'sections') {
      const provider = sensitive && r.chance(0.5) ? [labelled(r, 'NPI'), labelled(r, 'US_EIN')] : [];
      textLines = [r.pick(['MEMBER INFORMATION', '--- Member ---', '== PATIENT =='])];
      textLines.push(...items.map((i) => kvLine(r, style, i.label, i.value, width)));
      if (provider.length > 0) {
        textLines.push('', r.pick(['PROVIDER INFORMATION', '--- Provider ---', '== RENDERING PROVIDER ==']));
        textLines.push(kvLine(r, style, 'Provider', r.pick(PRACTICES), width));
        textLines.push(...provider.map((v) => kvLine(r, style, v.label, valueMarked(v), width)));
      }
      const p = plainField(r);
      textLines.push('', r.pick(['REQUEST', '--- Request ---']), kvLine(r, style, p.label, p.value, width));
    } else {
      textLines = items.map((i) => kvLine(r, style, i.label, i.value, width));
    }
    const payload =
      f.html && r.chance(0.5) && style !== 'twocol'
        ? textLines.map((l) => line(f, l)).join('')
        : mono(r, f, textLines);
    const intro = r.pick([
      'Please see the member information below.',
      'Here are the details for the request:',
      'Info from the intake call:',
      'Below is what we have on file:',
      'The provider office called about this member:',
      'Sending the details for the referral.',
    ]);
    return {
      subject: r.pick([
        'Member details',
        'Referral info',
        'RE: authorization request',
        'Intake',
        'Call summary',
        'Eligibility question',
      ]),
      body: compose(r, f, [intro], payload, r.chance(0.7) ? [r.pick(OUTROS)] : []),
      html: f.html,
    };
  };

export const KEY_VALUE_TEMPLATES: Record<string, Template> = {
  'kv-dot-leaders': keyValue('dots'),
  'kv-colon-aligned': keyValue('colon'),
  'kv-underscore-blanks': keyValue('underscore'),
  'kv-two-column': keyValue('twocol'),
  'kv-sectioned-form': keyValue('sections'),
  'kv-upper-dash': keyValue('dash'),
};
