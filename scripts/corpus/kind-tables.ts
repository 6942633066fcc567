/**
 * `excel-table` and `word-table`: lists pasted into Outlook from Excel and
 * Word, in the markup each writes.
 */
import { blank, compose, OUTROS, type Frame } from './common';
import { esc, mark } from './doc';
import { columns, rec, recStyle, type Col, type Rec } from './records';
import type { Rng } from './rng';
import type { Draft, Template } from './types';
import {
  cap,
  claimNo,
  dashed9,
  icd,
  memberId,
  npi,
  PRACTICES,
  person,
  phone,
  recentDate,
  ssnDigits,
  usDate,
  authNo,
} from './values';

const TABLE_INTROS = [
  'Below are the members on this month’s reprocessing list.',
  'Please see the table below and confirm eligibility for each member.',
  'Here is what we have on file for the claims in question:',
  'Pasting the spreadsheet from our report so you can match it against your system.',
  'The following claims were denied and need corrected submissions.',
  'As discussed on the call, here is the list.',
  'Can you verify the information below before we load it?',
  'Attached below is the roster for your panel.',
];

const SUBJECTS_SENS = [
  'Reprocessing list',
  'Members needing PCP reassignment',
  'Claims for review',
  'Roster reconciliation',
  'RE: eligibility check',
  'Open items - please review',
  'FW: denied claims',
  'Care gap list Q3',
  'Panel roster update',
  'Outstanding claims',
];
const SUBJECTS_NEG = [
  'Claim status summary',
  'Payment summary',
  'RE: open claims',
  'Batch totals',
  'Denials by reason',
  'Check run recap',
  'Weekly claims report',
  'FW: status of submissions',
];

function cell(c: Col, x: Rec): string {
  const v = c.val(x);
  return c.type ? mark(c.type, esc(v)) : esc(v);
}

function records(r: Rng, n: number): Rec[] {
  const st = recStyle(r);
  return Array.from({ length: n }, () => rec(r, st));
}

// ---------- Excel ----------

const BORDER = 'border:solid windowtext 1.0pt';

function excelClassic(r: Rng, cols: Col[], recs: Rec[], spacer: boolean): string {
  const w = (c: Col): number => (c.key === 'name' ? 150 : c.right ? 80 : 100);
  const td = (c: Col | undefined, content: string, head: boolean): string => {
    if (!c)
      return `  <td width=12 nowrap valign=bottom style='width:9.0pt;padding:0in 5.4pt 0in 5.4pt;height:15.0pt'></td>\n`;
    const align = c.right && !head ? ` align=right style='text-align:right'` : '';
    const inner = head
      ? `<b><span style='color:black'>${content}<o:p></o:p></span></b>`
      : `<span style='color:black'>${content}<o:p></o:p></span>`;
    const bg = head ? ';background:#D9E1F2' : '';
    return `  <td width=${w(c)} nowrap valign=bottom style='width:${w(c) * 0.75}pt;${BORDER};border-top:none;padding:0in 5.4pt 0in 5.4pt;height:15.0pt${bg}'>\n  <p class=MsoNormal${align}>${inner}</p>\n  </td>\n`;
  };
  const all: (Col | undefined)[] = spacer ? [...cols.slice(0, 2), undefined, ...cols.slice(2)] : cols;
  let h = `<table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0 width=${all.length * 100} style='width:${all.length * 75}.0pt;border-collapse:collapse'>\n <tr style='height:15.0pt'>\n`;
  h += all.map((c) => td(c, c ? esc(c.header) : '', true)).join('') + ' </tr>\n';
  for (const x of recs)
    h +=
      " <tr style='height:15.0pt'>\n" +
      all.map((c) => td(c, c ? cell(c, x) : '', false)).join('') +
      ' </tr>\n';
  return h + '</table>\n';
}

function excelClipboard(r: Rng, cols: Col[], recs: Rec[]): string {
  let h = `<!--StartFragment-->\n<table border=0 cellpadding=0 cellspacing=0 width=${cols.length * 96} style='border-collapse:\n collapse;width:${cols.length * 72}pt'>\n`;
  for (const c of cols)
    h += ` <col width=96 style='mso-width-source:userset;mso-width-alt:3510;width:72pt'${c.key === 'name' ? '' : ''}>\n`;
  h += ` <tr height=20 style='height:15.0pt'>\n`;
  h += cols
    .map(
      (c, i) =>
        `  <td ${i === 0 ? 'height=20 ' : ''}class=xl65 width=96 style='${i === 0 ? 'height:15.0pt;' : ''}width:72pt'>${esc(c.header)}</td>\n`,
    )
    .join('');
  h += ' </tr>\n';
  for (const x of recs) {
    h += ` <tr height=20 style='height:15.0pt'>\n`;
    h += cols
      .map((c, i) => {
        const v = c.val(x);
        const first = i === 0 ? 'height=20 ' : '';
        if (c.right)
          return `  <td ${first}class=xl67 align=right x:num="${v.replace(/[$,]/g, '')}">${esc(v)}</td>\n`;
        const asText = /^\d/.test(v) ? ` style='mso-number-format:"\\@"' x:str` : '';
        return `  <td ${first}class=xl66${asText}>${cell(c, x)}</td>\n`;
      })
      .join('');
    h += ' </tr>\n';
  }
  return h + '</table>\n<!--EndFragment-->\n';
}

function excelOwa(r: Rng, cols: Col[], recs: Rec[], spacer: boolean): string {
  const nl = r.chance(0.5) ? '\n' : '';
  const td = (content: string, head: boolean, right: boolean): string =>
    `<td style="width: ${head ? 110 : 110}px; height: 20px; border: 1px solid rgb(0, 0, 0); padding: 1px 3px;${right ? ' text-align: right;' : ''}${head ? ' background-color: rgb(217, 225, 242);' : ''}"><span style="font-family: Calibri, sans-serif; font-size: 11pt; color: black;">${head ? `<b>${content}</b>` : content}</span></td>${nl}`;
  const spacerTd = `<td style="width: 16px;"></td>${nl}`;
  let h = `<table style="border-collapse: collapse; width: ${cols.length * 110}px;" cellspacing="0" cellpadding="0" border="0">${nl}<tbody>${nl}`;
  const row = (parts: string[]): string => `<tr style="height: 20px;">${nl}${parts.join('')}</tr>${nl}`;
  const build = (f: (c: Col) => string, head: boolean): string[] => {
    const out = cols.map((c) => td(f(c), head, !!c.right && !head));
    if (spacer) out.splice(1, 0, spacerTd);
    return out;
  };
  h += row(build((c) => esc(c.header), true));
  for (const x of recs) h += row(build((c) => cell(c, x), false));
  return h + `</tbody>${nl}</table>${nl}`;
}

/** A report title across the table and a grouped header (colspan over the member columns, rowspan for the rest). */
function excelTitled(r: Rng, cols: Col[], recs: Rec[]): string {
  const memberCols = cols.filter((c) => c.type !== undefined || c.key === 'name');
  const other = cols.filter((c) => !memberCols.includes(c));
  const ordered = [...memberCols, ...other];
  const title = `${r.pick(['Reprocessing', 'Recovery', 'Outreach', 'Audit', 'Care Gap'])} List - ${cap(r.pick(PRACTICES))} - ${r.pick(['Q1', 'Q2', 'Q3', 'Q4'])} ${r.int(2023, 2025)}`;
  const tdS = "style='border:solid windowtext 1.0pt;padding:0in 5.4pt 0in 5.4pt'";
  let h = `<table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0 style='border-collapse:collapse'>\n`;
  h += ` <tr>\n  <td colspan=${ordered.length} valign=bottom ${tdS}>\n  <p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:12.0pt'>${esc(title)}<o:p></o:p></span></b></p>\n  </td>\n </tr>\n`;
  if (memberCols.length > 0) {
    h += ' <tr>\n';
    h += `  <td colspan=${memberCols.length} ${tdS}>\n  <p class=MsoNormal><b>Member<o:p></o:p></b></p>\n  </td>\n`;
    for (const c of other)
      h += `  <td rowspan=2 valign=bottom ${tdS}>\n  <p class=MsoNormal><b>${esc(c.header)}<o:p></o:p></b></p>\n  </td>\n`;
    h += ' </tr>\n <tr>\n';
    for (const c of memberCols)
      h += `  <td ${tdS}>\n  <p class=MsoNormal><b>${esc(c.header)}<o:p></o:p></b></p>\n  </td>\n`;
    h += ' </tr>\n';
  } else {
    h +=
      ' <tr>\n' +
      ordered
        .map((c) => `  <td ${tdS}>\n  <p class=MsoNormal><b>${esc(c.header)}<o:p></o:p></b></p>\n  </td>\n`)
        .join('') +
      ' </tr>\n';
  }
  for (const x of recs) {
    h += ' <tr>\n';
    for (const c of ordered) {
      const align = c.right ? ` align=right style='text-align:right'` : '';
      h += `  <td nowrap ${tdS}>\n  <p class=MsoNormal${align}><span style='font-size:10.0pt;mso-fareast-font-family:"Times New Roman"'>${cell(c, x)}<o:p></o:p></span></p>\n  </td>\n`;
    }
    h += ' </tr>\n';
  }
  return h + '</table>\n';
}

function nested(r: Rng, inner: string, note: string): string {
  return `<table border=0 cellspacing=0 cellpadding=0 width="100%" style='width:100.0%'>\n <tr>\n  <td valign=top style='padding:0in 0in 0in 0in'>\n${inner}  </td>\n  <td width=24 style='width:18.0pt;padding:0in'><p class=MsoNormal>&nbsp;<o:p></o:p></p></td>\n  <td valign=top width=200 style='width:150.0pt;padding:0in'>\n  <p class=MsoNormal><span style='font-size:9.0pt;color:#7F7F7F'>${esc(note)}<o:p></o:p></span></p>\n  </td>\n </tr>\n</table>\n`;
}

const NOTES = [
  'Highlighted rows were already resubmitted.',
  'Source: claims warehouse, pulled this morning.',
  'Totals exclude voided claims.',
  'Call the provider line with questions.',
];

function tableMessage(r: Rng, sensitive: boolean, f: Frame, table: string, intro?: string): Draft {
  const subject = r.pick(sensitive ? SUBJECTS_SENS : SUBJECTS_NEG);
  const payload = (f.style === 'word' ? blank(f) : '') + table + blank(f);
  const body = compose(r, f, [intro ?? r.pick(TABLE_INTROS)], payload, r.chance(0.6) ? [r.pick(OUTROS)] : []);
  return { subject, body, html: true };
}

const excel =
  (style: 'classic' | 'clipboard' | 'owa' | 'titled' | 'nested'): Template =>
  (r, sensitive) => {
    const f: Frame = { html: true, style: style === 'owa' ? 'owa' : 'word' };
    const cols = columns(r, sensitive);
    const recs = records(r, r.int(2, 9));
    let table: string;
    if (style === 'classic') table = excelClassic(r, cols, recs, r.chance(0.4));
    else if (style === 'clipboard') table = excelClipboard(r, cols, recs);
    else if (style === 'owa') table = excelOwa(r, cols, recs, r.chance(0.4));
    else if (style === 'titled') table = excelTitled(r, cols, recs);
    else
      table = nested(
        r,
        r.chance(0.5) ? excelClassic(r, cols, recs, false) : excelOwa(r, cols, recs, false),
        r.pick(NOTES),
      );
    return tableMessage(r, sensitive, f, table);
  };

export const EXCEL_TEMPLATES: Record<string, Template> = {
  'excel-classic-outlook': excel('classic'),
  'excel-clipboard-fragment': excel('clipboard'),
  'excel-new-outlook': excel('owa'),
  'excel-title-and-grouped-header': excel('titled'),
  'excel-nested-layout': excel('nested'),
};

// ---------- Word ----------

const WTD = (w: number, first: boolean, shade = false): string =>
  `  <td width=${w} valign=top style='width:${(w * 0.75).toFixed(2)}pt;border:solid windowtext 1.0pt;${first ? '' : 'border-top:none;mso-border-top-alt:solid windowtext .5pt;'}mso-border-alt:solid windowtext .5pt;${shade ? 'background:#D9E2F3;' : ''}padding:0in 5.4pt 0in 5.4pt'>\n`;
const WP = (content: string): string =>
  `  <p class=MsoNormal style='margin-bottom:0in;line-height:normal'>${content}<o:p></o:p></p>\n  </td>\n`;
const WEMPTY = `  <p class=MsoNormal style='margin-bottom:0in;line-height:normal'><o:p>&nbsp;</o:p></p>\n  </td>\n`;
const WTABLE = `<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0\n style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;\n mso-yfti-tbllook:1184;mso-padding-alt:0in 5.4pt 0in 5.4pt'>\n`;

function wordGrid(r: Rng, cols: Col[], recs: Rec[], emptyShare: number): string {
  let h = WTABLE + ` <tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'>\n`;
  h += cols
    .map(
      (c) =>
        WTD(110, true, true) + WP(`<b>${esc(c.header).replace(/ /g, r.chance(0.3) ? '&nbsp;' : ' ')}</b>`),
    )
    .join('');
  h += ' </tr>\n';
  recs.forEach((x, i) => {
    h += ` <tr style='mso-yfti-irow:${i + 1}${i === recs.length - 1 ? ';mso-yfti-lastrow:yes' : ''}'>\n`;
    h += cols.map((c) => WTD(110, false) + (r.chance(emptyShare) ? WEMPTY : WP(cell(c, x)))).join('');
    h += ' </tr>\n';
  });
  return h + '</table>\n';
}

interface Pair {
  label: string;
  value: string;
}

/** Label | value pairs for one member; marked values where they are entities. */
function memberPairs(r: Rng, sensitive: boolean): Pair[] {
  const p = person(r);
  const pairs: Pair[] = [
    {
      label: r.pick(['Patient Name', 'Member Name', 'Patient', 'Name']),
      value: esc(`${cap(p.first)} ${cap(p.last)}`),
    },
  ];
  if (sensitive) {
    const opts: Pair[] = [
      {
        label: r.pick(['Date of Birth', 'DOB', 'Birth date']),
        value: mark('DATE_OF_BIRTH', esc(usDate(r, p.dob))),
      },
      {
        label: r.pick(['Member ID', 'Subscriber ID', 'Member #', 'Health Plan ID']),
        value: mark('MEMBER_ID', memberId(r)),
      },
      {
        label: r.pick(['SSN', 'Social Security Number', 'SS #']),
        value: mark('US_SSN', dashed9(ssnDigits(r))),
      },
      {
        label: r.pick(['Diagnosis', 'Primary Diagnosis (ICD-10)', 'Dx']),
        value: ((c) => `${mark('ICD10', c[0])} ${esc(c[1])}`)(icd(r)),
      },
      { label: r.pick(['Ordering Provider NPI', 'NPI', 'Referring NPI']), value: mark('NPI', npi(r)) },
    ];
    pairs.push(...r.sample(opts, r.int(2, 5)));
  }
  const plain: Pair[] = [
    { label: 'Claim Number', value: esc(claimNo(r)) },
    { label: r.pick(['Date of Service', 'DOS']), value: esc(usDate(r, recentDate(r))) },
    { label: r.pick(['Authorization #', 'Auth Number']), value: esc(authNo(r)) },
    { label: r.pick(['Provider Phone', 'Office Phone']), value: esc(phone(r)) },
    {
      label: 'Requested Service',
      value: esc(
        r.pick([
          'MRI lumbar spine w/o contrast',
          'Home health skilled nursing',
          'Physical therapy 12 visits',
          'CPAP supplies',
          'Outpatient surgery - knee arthroscopy',
        ]),
      ),
    },
    {
      label: 'Status',
      value: esc(
        r.pick([
          'Approved',
          'Pended for clinicals',
          'Denied - not medically necessary',
          'Partially approved',
        ]),
      ),
    },
  ];
  pairs.push(...r.sample(plain, r.int(sensitive ? 1 : 3, 4)));
  return pairs;
}

function wordKeyValue(r: Rng, pairs: Pair[]): string {
  let h = WTABLE;
  pairs.forEach((pr, i) => {
    h += ` <tr style='mso-yfti-irow:${i}'>\n`;
    h += WTD(180, i === 0, true) + WP(`<b>${esc(pr.label)}:</b>`);
    h += WTD(300, i === 0) + WP(pr.value);
    h += ' </tr>\n';
  });
  return h + '</table>\n';
}

/** Two label/value pairs a row, as on a referral or authorization form. */
function wordForm(r: Rng, pairs: Pair[]): string {
  let h = WTABLE;
  for (let i = 0; i < pairs.length; i += 2) {
    h += ` <tr style='mso-yfti-irow:${i / 2}'>\n`;
    for (const pr of pairs.slice(i, i + 2)) {
      h += WTD(120, i === 0, true) + WP(`<b><span style='font-size:10.0pt'>${esc(pr.label)}</span></b>`);
      h += WTD(200, i === 0) + WP(`<span style='font-size:10.0pt'>${pr.value}</span>`);
    }
    if (i + 1 >= pairs.length) h += WTD(120, i === 0, true) + WEMPTY + WTD(200, i === 0) + WEMPTY;
    h += ' </tr>\n';
  }
  return h + '</table>\n';
}

function wordMerged(r: Rng, cols: Col[], recs: Rec[]): string {
  let h =
    WTABLE +
    ` <tr>\n  <td width=${cols.length * 110} colspan=${cols.length} valign=top style='border:solid windowtext 1.0pt;background:#1F3864;padding:0in 5.4pt 0in 5.4pt'>\n`;
  h += `  <p class=MsoNormal align=center style='text-align:center'><b><span style='color:white'>${esc(r.pick(['Claims under review', 'Members pending outreach', 'Corrected claim requests', 'Records requested']))}</span></b><o:p></o:p></p>\n  </td>\n </tr>\n`;
  h += wordGrid(r, cols, recs, 0.05)
    .replace(WTABLE, '')
    .replace(/<\/table>\n$/, '');
  h += ` <tr>\n  <td colspan=${cols.length} valign=top style='border:solid windowtext 1.0pt;border-top:none;padding:0in 5.4pt 0in 5.4pt'>\n`;
  h += `  <p class=MsoListParagraph style='text-indent:-.25in;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp; </span></span><![endif]>${esc(r.pick(NOTES))}<o:p></o:p></p>\n  </td>\n </tr>\n</table>\n`;
  return h;
}

const word =
  (style: 'grid' | 'kv' | 'form' | 'merged'): Template =>
  (r, sensitive) => {
    const f: Frame = { html: true, style: 'word' };
    let table: string;
    if (style === 'grid') table = wordGrid(r, columns(r, sensitive), records(r, r.int(2, 7)), 0.05);
    else if (style === 'merged') table = wordMerged(r, columns(r, sensitive), records(r, r.int(2, 6)));
    else if (style === 'kv') table = wordKeyValue(r, memberPairs(r, sensitive));
    else table = wordForm(r, memberPairs(r, sensitive));
    const intro =
      style === 'grid' || style === 'merged'
        ? undefined
        : r.pick([
            'Please see the request details below.',
            'Copying the form from our referral packet:',
            'Details of the authorization request:',
            'Here is the summary from the case file.',
          ]);
    return tableMessage(r, sensitive, f, table, intro);
  };

export const WORD_TEMPLATES: Record<string, Template> = {
  'word-grid': word('grid'),
  'word-label-value': word('kv'),
  'word-two-pair-form': word('form'),
  'word-merged-title-and-notes': word('merged'),
};
