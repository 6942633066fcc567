/**
 * `attachment`: identifiers inside the files attached to a message: Word,
 * Excel, PDF, RTF and PowerPoint files made by LibreOffice from sources
 * written here, a forwarded message (EML) with its own attachment, a ZIP,
 * and a plain CSV.
 */
import { compose, frame, OUTROS } from './common';
import { esc, finish, mark } from './doc';
import { labelled, someLabelled, somePlain, type LabelledValue } from './fields';
import { columns, rec, recStyle, type Col } from './records';
import type { Rng } from './rng';
import type { AttachmentDraft, Draft, Template } from './types';
import { cap, person, PAYERS, PRACTICES, recentDate, usDate } from './values';

const CT = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  pdf: 'application/pdf',
  rtf: 'application/rtf',
  eml: 'message/rfc822',
  zip: 'application/zip',
  csv: 'text/csv',
  txt: 'text/plain',
} as const;

/** Turns a marked source into the source and the labelled values it holds. */
function sourceWithValues(marked: string): { source: string; values: AttachmentDraft['values'] } {
  const { text, spans } = finish(marked);
  return { source: text, values: spans.map((s) => ({ type: s.type, value: text.slice(s.start, s.end) })) };
}

function letterHtml(r: Rng, sensitive: boolean, title: string): string {
  const p = person(r);
  const vals: LabelledValue[] = sensitive ? someLabelled(r, 2, 4) : [];
  const plain = somePlain(r, 2, 4);
  const rows = r.shuffle([
    ...vals.map((v) => [v.label, mark(v.type, esc(v.value)) + (v.after ? ` ${esc(v.after)}` : '')]),
    ...plain.map((x) => [x.label, esc(x.value)]),
  ]);
  const plan = r.pick(PAYERS);
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:Arial,sans-serif;font-size:11pt} td{border:1px solid #444;padding:3px 6px}</style></head>
<body>
<p><b>${esc(plan)}</b><br>PO Box ${r.int(1000, 99999)}<br>Phoenix, AZ 85072</p>
<h2>${esc(title)}</h2>
<p>Date: ${esc(usDate(r, recentDate(r), 4))}</p>
<p>Re: ${esc(cap(p.first))} ${esc(cap(p.last))}</p>
<table cellspacing="0">
${rows.map(([l, v]) => `<tr><td><b>${esc(l!)}</b></td><td>${v!}</td></tr>`).join('\n')}
</table>
<p>${esc(r.pick(['This determination was made by a licensed clinician after review of the records submitted.', 'Please keep this letter with the member record.', 'If you disagree with this decision you may file an appeal within 60 days.', 'Services must be rendered within the approved dates.']))}</p>
<p>Sincerely,<br>${esc(r.pick(['Utilization Management', 'Claims Department', 'Care Management']))}<br>Phone ${esc('1-800-555-01' + String(r.int(10, 99)))}</p>
</body></html>
`;
}

function rosterCsv(r: Rng, sensitive: boolean): string {
  const st = recStyle(r);
  const cols: Col[] = columns(r, sensitive, { plain: r.int(1, 3) });
  const recs = Array.from({ length: r.int(3, 12) }, () => rec(r, st));
  const q = (v: string): string => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = [cols.map((c) => q(c.header)).join(',')];
  for (const x of recs) {
    rows.push(
      cols
        .map((c) => {
          const v = c.val(x);
          if (!c.type) return q(v);
          return /[",]/.test(v) ? `"${mark(c.type, v.replace(/"/g, '""'))}"` : mark(c.type, v);
        })
        .join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}

function slidesFodp(r: Rng, sensitive: boolean): string {
  const vals: LabelledValue[] = sensitive ? someLabelled(r, 2, 4) : [];
  const plain = somePlain(r, 2, 3);
  const x = (s: string): string => esc(s).replace(/"/g, '&quot;');
  const para = (s: string): string => `<text:p>${s}</text:p>`;
  const p = person(r);
  const bullets = [
    para(`Member: ${x(cap(p.first))} ${x(cap(p.last))}`),
    ...vals.map((v) => para(`${x(v.label)}: ${mark(v.type, x(v.value))}`)),
    ...plain.map((v) => para(`${x(v.label)}: ${x(v.value)}`)),
  ];
  const frameXml = (y: string, h: string, inner: string): string =>
    `<draw:frame svg:x="1.5cm" svg:y="${y}" svg:width="25cm" svg:height="${h}"><draw:text-box>${inner}</draw:text-box></draw:frame>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">
<office:body><office:presentation>
<draw:page draw:name="Case review">
${frameXml('1cm', '2.5cm', para(x(r.pick(['Interdisciplinary Case Review', 'Complex Case Rounds', 'High-Cost Claimant Review']))))}
${frameXml('4cm', '12cm', bullets.join(''))}
</draw:page>
<draw:page draw:name="Plan">
${frameXml('1cm', '2.5cm', para('Plan of care'))}
${frameXml('4cm', '12cm', [para(x(r.pick(['Home health referral placed', 'PCP follow-up in 7 days', 'Pharmacy reconciliation requested']))), para(x(`Next review ${usDate(r, recentDate(r))}`))].join(''))}
</draw:page>
</office:presentation></office:body></office:document>
`;
}

function base64Lines(s: string): string {
  return (
    Buffer.from(s, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');
}

/** A forwarded message: RFC 5322 headers, a text part with values, a base64 CSV part with more. */
function emlSource(r: Rng, sensitive: boolean): string {
  const vals: LabelledValue[] = sensitive ? someLabelled(r, 1, 3) : [];
  const plain = somePlain(r, 1, 3);
  const from = `${cap(r.pick(['ANNA', 'RAJ', 'MINH', 'LUIS']))} ${cap(r.pick(['SMITH', 'PATEL', 'NGUYEN']))}`;
  const [y, m, d] = recentDate(r);
  const date = new Date(Date.UTC(y, m - 1, d, r.int(13, 23), r.int(0, 59), 0))
    .toUTCString()
    .replace('GMT', '+0000');
  const boundary = `----=_Part_${r.digits(6)}_${r.digits(9)}`;
  const text = [
    'Hello,',
    '',
    r.pick([
      'Forwarding the request from the provider office.',
      'See the member information below and the attached list.',
      'Below is what the office sent us.',
    ]),
    '',
    ...vals.map((v) => `${v.label}: ${mark(v.type, v.value)}`),
    ...plain.map((v) => `${v.label}: ${v.value}`),
    '',
    'Thanks,',
    from,
  ].join('\r\n');
  const csv = rosterCsv(r, sensitive && r.chance(0.6));
  const csvPlain = finish(csv).text;
  // Values inside the base64 part are labelled with their decoded text.
  const csvMarks = finish(csv).spans.map((s) => mark(s.type, csvPlain.slice(s.start, s.end)));
  const head = [
    `From: "${from}" <${from.toLowerCase().replace(' ', '.')}@${r
      .pick(PRACTICES)
      .toLowerCase()
      .replace(/[^a-z]/g, '')}.example>`,
    `To: provider.services@phcpn.example`,
    `Subject: ${r.pick(['Member request', 'Records for review', 'Authorization follow-up'])}`,
    `Date: ${date}`,
    `Message-ID: <${r.digits(10)}.${r.digits(5)}@mail.example>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    'This is a multi-part message in MIME format.',
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    text,
    '',
    `--${boundary}`,
    'Content-Type: text/csv; name="members.csv"',
    'Content-Disposition: attachment; filename="members.csv"',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(csvPlain),
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
  // Keep the CSV's values as labels by appending invisible markers after the body (removed below).
  return head + csvMarks.map((m) => `\uE003${m}`).join('');
}

type AttShape = 'docx' | 'xlsx' | 'pdf' | 'rtf' | 'pptx' | 'eml' | 'zip' | 'csv';

function attachmentFor(r: Rng, shape: AttShape, sensitive: boolean): AttachmentDraft {
  const letterTitle = r.pick([
    'Prior Authorization Determination',
    'Notice of Claim Adjustment',
    'Care Coordination Summary',
    'Request for Medical Records',
    'Provider Dispute Response',
  ]);
  switch (shape) {
    case 'docx':
    case 'pdf':
    case 'rtf': {
      const { source, values } = sourceWithValues(letterHtml(r, sensitive, letterTitle));
      const base = letterTitle.toLowerCase().replace(/ /g, '-');
      return {
        name: `${base}.${shape}`,
        contentType: CT[shape],
        source,
        make: 'convert',
        sourceExt: 'html',
        values,
      };
    }
    case 'xlsx':
    case 'csv': {
      const { source, values } = sourceWithValues(rosterCsv(r, sensitive));
      const name = r.pick(['roster', 'open-claims', 'outreach-list', 'reprocessing', 'members']);
      return shape === 'csv'
        ? { name: `${name}.csv`, contentType: CT.csv, source, make: 'write', values }
        : { name: `${name}.xlsx`, contentType: CT.xlsx, source, make: 'convert', sourceExt: 'csv', values };
    }
    case 'pptx': {
      const { source, values } = sourceWithValues(slidesFodp(r, sensitive));
      return {
        name: 'case-review.pptx',
        contentType: CT.pptx,
        source,
        make: 'convert',
        sourceExt: 'fodp',
        values,
      };
    }
    case 'eml': {
      const raw = emlSource(r, sensitive);
      const cut = raw.indexOf('\uE003');
      const body = cut < 0 ? raw : raw.slice(0, cut);
      const tail = cut < 0 ? '' : raw.slice(cut).replace(/\uE003/g, '');
      const a = sourceWithValues(body);
      const b = sourceWithValues(tail);
      return {
        name: r.pick(['FW_ Member request.eml', 'original-message.eml', 'Records for review.eml']),
        contentType: CT.eml,
        source: a.source,
        make: 'write',
        values: [...a.values, ...b.values],
      };
    }
    default: {
      const csv = sourceWithValues(rosterCsv(r, sensitive));
      const vals = sensitive
        ? [labelled(r, 'MEMBER_ID'), labelled(r, r.pick(['DATE_OF_BIRTH', 'US_SSN', 'ICD10'] as const))]
        : [];
      const note = sourceWithValues(
        [
          `Notes for ${r.pick(PRACTICES)}`,
          '',
          ...vals.map((v) => `${v.label}: ${mark(v.type, v.value)}`),
          ...somePlain(r, 1, 3).map((v) => `${v.label}: ${v.value}`),
          '',
        ].join('\n'),
      );
      const members: AttachmentDraft[] = [
        { name: 'claims.csv', contentType: CT.csv, source: csv.source, make: 'write', values: csv.values },
        { name: 'notes.txt', contentType: CT.txt, source: note.source, make: 'write', values: note.values },
      ];
      return {
        name: r.pick(['records.zip', 'batch-files.zip', 'documents.zip']),
        contentType: CT.zip,
        source: '',
        make: 'zip',
        members,
        values: [...csv.values, ...note.values],
      };
    }
  }
}

const attachment =
  (shapes: AttShape[]): Template =>
  (r, sensitive): Draft => {
    const f = frame(r, 0.6);
    const atts = shapes.map((s, i) => attachmentFor(r, s, sensitive && (i === 0 || r.chance(0.5))));
    if (sensitive && atts.every((a) => a.values.length === 0)) {
      // a sensitive message must carry at least one value: rebuild the first as sensitive
      atts[0] = attachmentFor(r, shapes[0]!, true);
    }
    const intro = [
      r.pick([
        'Please see the attached.',
        'Attached is the file we discussed.',
        'I have attached the documents for your review.',
        'Sending the attachment from the case file.',
        'Attached, as requested.',
      ]),
    ];
    const body = compose(r, f, intro, '', r.chance(0.6) ? [r.pick(OUTROS)] : []);
    return {
      subject: r.pick([
        'Documents attached',
        'RE: records request',
        'Attachment for review',
        'FW: files',
        'Letter attached',
        'Roster attached',
      ]),
      body,
      html: f.html,
      attachments: atts,
    };
  };

export const ATTACHMENT_TEMPLATES: Record<string, Template> = {
  'attachment-docx-letter': attachment(['docx']),
  'attachment-xlsx-roster': attachment(['xlsx']),
  'attachment-pdf-letter': attachment(['pdf']),
  'attachment-rtf-letter': attachment(['rtf']),
  'attachment-pptx-slides': attachment(['pptx']),
  'attachment-eml-forward': attachment(['eml']),
  'attachment-zip-bundle': attachment(['zip']),
  'attachment-csv-and-pdf': attachment(['csv', 'pdf']),
};
