/**
 * The ordinary parts of a message in English or Spanish: greeting, signature
 * block (name, credentials, title, department, plan, phones), confidentiality
 * notice, and the markup Outlook writes for paragraphs, tables and lists.
 * Signatures name staff with health words in their titles ("Care
 * Coordinator, RN", "Behavioral Health Case Manager") in every message, so
 * they are part of what a detector must not take for PHI.
 */
import { blank, line, lineRaw, wrap, type Frame } from '../common';
import { esc } from '../doc';
import type { Rng } from '../rng';
import { phone } from '../values';
import { NBSP } from './fill';
import { plain } from './marks';
import { anyone, type Lang } from './names';

export type Block = string | { raw: string };

const PLANS_EN = [
  'Sonoran Health Alliance',
  'Mesa Verde Health Plan',
  'Pinecrest Community Health',
  'Bayside Family Care Plan',
  'Lone Star Family Health',
  'Cascade Medicaid Partners',
];
const PLANS_ES = [
  'Río Grande Salud',
  'Sonoran Health Alliance',
  'Plan de Salud Mesa Verde',
  'Salud Familiar del Valle',
];

const TITLES_EN = [
  'Care Coordinator, RN',
  'Behavioral Health Case Manager',
  'Utilization Review Nurse, BSN',
  'Provider Relations Representative',
  'Member Services Specialist',
  'Oncology Nurse Navigator',
  'Maternal Health Program Coordinator',
  'Pharmacy Benefits Analyst',
  'Claims Resolution Specialist',
  'Quality Improvement Analyst (HEDIS)',
  'Case Manager, LCSW',
  'Community Health Worker',
  'Medical Director',
  'Prior Authorization Specialist',
  'Diabetes Educator, CDCES',
  'Appeals & Grievances Analyst',
];
const DEPTS_EN = [
  'Care Management',
  'Behavioral Health Services',
  'Utilization Management',
  'Provider Services',
  'Member Services',
  'Pharmacy Services',
  'Population Health',
  'Quality Management',
  'Claims Department',
  'Special Needs Plan Team',
];
/** Spanish titles agree with the person: [man, woman]. */
const TITLES_ES: [string, string][] = [
  ['Coordinador de Cuidado, RN', 'Coordinadora de Cuidado, RN'],
  ['Manejador de Casos de Salud Conductual', 'Manejadora de Casos de Salud Conductual'],
  ['Enfermero de Revisión de Utilización', 'Enfermera de Revisión de Utilización'],
  ['Representante de Servicios al Miembro', 'Representante de Servicios al Miembro'],
  ['Especialista de Autorizaciones', 'Especialista de Autorizaciones'],
  ['Trabajador Comunitario de Salud', 'Trabajadora Comunitaria de Salud'],
  ['Coordinador del Programa de Maternidad', 'Coordinadora del Programa de Maternidad'],
  ['Representante de Relaciones con Proveedores', 'Representante de Relaciones con Proveedores'],
];
const DEPTS_ES = [
  'Manejo de Cuidado',
  'Servicios al Miembro',
  'Salud Conductual',
  'Gestión de Utilización',
  'Servicios de Farmacia',
  'Salud Poblacional',
];

export function greeting(r: Rng, lang: Lang): string {
  const p = anyone(r, lang);
  if (lang === 'es') {
    const dra = p.sex === 'f' ? 'Dra.' : 'Dr.';
    const est = p.sex === 'f' ? 'Estimada' : 'Estimado';
    return r.pick([
      `Hola ${p.given},`,
      `${est} ${dra} ${p.family}:`,
      'Buenos días,',
      'Buenas tardes:',
      'Estimado equipo:',
      `Buenos días ${p.given}:`,
      `${est} ${p.given}:`,
      'Hola a todos,',
    ]);
  }
  return r.pick([
    `Hi ${p.given},`,
    `Hello Dr. ${p.family},`,
    `Good morning ${p.given},`,
    'Good afternoon,',
    'Hi team,',
    'Dear Provider,',
    `Dear Dr. ${p.family}:`,
    `${p.given},`,
    'Hello all,',
    `Hi ${p.given} and team,`,
  ]);
}

export interface Signer {
  name: string;
  title: string;
  dept: string;
  plan: string;
  phone: string;
  fax: string;
  email: string;
}

export function signer(r: Rng, lang: Lang): Signer {
  const p = anyone(r, lang);
  const plan = r.pick(lang === 'es' ? PLANS_ES : PLANS_EN);
  const local = `${p.given[0]!}${p.family}`
    .normalize('NFD')
    .replace(/[^A-Z]/gi, '')
    .toLowerCase();
  const domain = plan
    .normalize('NFD')
    .replace(/[^A-Z]/gi, '')
    .toLowerCase();
  return {
    name: `${p.given} ${p.family}`,
    title: lang === 'es' ? r.pick(TITLES_ES)[p.sex === 'f' ? 1 : 0] : r.pick(TITLES_EN),
    dept: r.pick(lang === 'es' ? DEPTS_ES : DEPTS_EN),
    plan,
    phone: phone(r),
    fax: phone(r),
    email: `${local}@${domain}.example`,
  };
}

function signature(r: Rng, f: Frame, lang: Lang): string {
  const s = signer(r, lang);
  const off =
    lang === 'es'
      ? r.pick(['Saludos,', 'Gracias,', 'Atentamente,', 'Saludos cordiales,', 'Quedo a sus órdenes,'])
      : r.pick([
          'Thanks,',
          'Thank you,',
          'Regards,',
          'Best,',
          'Best regards,',
          'Sincerely,',
          'Thanks so much,',
        ]);
  const tel = lang === 'es' ? 'Tel.' : r.pick(['Phone:', 'P:', 'Direct:', 'Office']);
  const fax = lang === 'es' ? 'Fax' : r.pick(['Fax:', 'F:', 'Secure fax:']);
  const contact = r.pick([
    [`${tel} ${s.phone}`, `${fax} ${s.fax}`],
    [`${tel} ${s.phone} | ${fax} ${s.fax}`],
    [`${tel} ${s.phone}`, s.email],
    [`${tel} ${s.phone} ext. ${r.int(100, 9999)}`],
  ]);
  const who = r.chance(0.5) ? [s.name, s.title] : [`${s.name} | ${s.title}`];
  const all = [...who, `${s.dept} | ${s.plan}`, ...contact];
  if (!f.html) return '\n' + [off, ...all].join('\n') + '\n';
  if (f.style === 'word' && r.chance(0.6)) {
    return (
      blank(f) +
      line(f, off) +
      lineRaw(f, `<b><span style='font-size:10.0pt;color:#1F3864'>${esc(all[0]!)}</span></b>`) +
      all
        .slice(1)
        .map((x) => lineRaw(f, `<span style='font-size:9.0pt;color:#595959'>${esc(x)}<o:p></o:p></span>`))
        .join('')
    );
  }
  return blank(f) + line(f, off) + all.map((x) => line(f, x)).join('');
}

const NOTICES_EN = [
  'CONFIDENTIALITY NOTICE: This e-mail and any attachments are for the sole use of the intended recipient and may contain confidential information. If you are not the intended recipient, please notify the sender and delete this message.',
  'This message may contain protected health information. If you received it in error, please notify the sender immediately and delete it.',
  'Plan benefits are subject to eligibility on the date of service. An authorization is not a guarantee of payment.',
  'For TTY users, call 711. Language assistance services are available free of charge.',
];
const NOTICES_ES = [
  'AVISO DE CONFIDENCIALIDAD: Este mensaje y sus anexos son para uso exclusivo del destinatario y pueden contener información confidencial. Si lo recibió por error, avise al remitente y bórrelo.',
  'Este mensaje puede contener información de salud protegida. Si lo recibió por error, notifique al remitente de inmediato.',
  'Los beneficios están sujetos a elegibilidad en la fecha de servicio. Usuarios de TTY: 711.',
];

function notice(r: Rng, f: Frame, lang: Lang): string {
  if (r.chance(0.4)) return '';
  const n = r.pick(lang === 'es' ? NOTICES_ES : NOTICES_EN);
  if (!f.html) return '\n' + n + '\n';
  return blank(f) + lineRaw(f, `<span style='font-size:8.0pt;color:gray'>${esc(n)}</span>`);
}

/** Turns a block into the frame's markup (text paragraphs are escaped for HTML). */
function block(f: Frame, b: Block): string {
  if (typeof b !== 'string') return b.raw;
  return line(f, b);
}

export interface Body {
  /** Replaces the usual greeting (a letter to the member names them here). */
  greeting?: string;
  blocks: Block[];
}

/** Greeting, blocks separated as paragraphs, signature and (sometimes) a notice. */
export function compose(r: Rng, f: Frame, lang: Lang, body: Body): string {
  let inner = block(f, body.greeting ?? greeting(r, lang)) + blank(f);
  body.blocks.forEach((b, i) => {
    inner += block(f, b);
    if (i < body.blocks.length - 1) inner += blank(f);
  });
  inner += signature(r, f, lang) + notice(r, f, lang);
  return finishMarkup(f, wrap(f, inner));
}

/** The no-break-space placeholder becomes `&nbsp;` in HTML and a space in text. */
export function finishMarkup(f: Frame, s: string): string {
  return s.split(NBSP).join(f.html ? '&nbsp;' : ' ');
}

/** A table as Outlook writes it (Word grid or the web editor's), or aligned text in a text body. */
export function table(r: Rng, f: Frame, head: string[], rows: string[][]): Block {
  if (!f.html) {
    if (r.chance(0.5)) return { raw: [head, ...rows].map((cells) => cells.join('\t')).join('\n') + '\n' };
    const widths = head.map(
      (h, i) => Math.max(plain(h).length, ...rows.map((row) => plain(row[i]!).length)) + 2,
    );
    const pad = (c: string, i: number): string => c + ' '.repeat(widths[i]! - plain(c).length);
    const out = [head, ...rows].map((cells) => cells.map(pad).join('').trimEnd());
    out.splice(1, 0, widths.map((w) => '-'.repeat(w - 1)).join(' '));
    return { raw: out.join('\n') + '\n' };
  }
  if (f.style === 'word') {
    const cell = (c: string, top: boolean, bold: boolean): string =>
      `  <td width=${r.pick([120, 144, 168, 192])} valign=top style='border:solid windowtext 1.0pt;${top ? '' : 'border-top:none;'}padding:0in 5.4pt 0in 5.4pt'>\n  <p class=MsoNormal>${bold ? '<b>' : ''}${esc(c)}${bold ? '</b>' : ''}<o:p></o:p></p>\n  </td>\n`;
    let t =
      "<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none'>\n";
    t += ` <tr>\n${head.map((h) => cell(h, true, true)).join('')} </tr>\n`;
    for (const row of rows) t += ` <tr>\n${row.map((c) => cell(c, false, false)).join('')} </tr>\n`;
    return { raw: t + '</table>\n' };
  }
  const td = 'style="border:1px solid rgb(171,171,171);padding:4px 6px"';
  let t =
    '<table style="border-collapse:collapse;font-family:Aptos,Calibri,sans-serif;font-size:11pt">\n<tbody>\n';
  t += `<tr>${head.map((h) => `<th ${td}>${esc(h)}</th>`).join('')}</tr>\n`;
  for (const row of rows) t += `<tr>${row.map((c) => `<td ${td}>${esc(c)}</td>`).join('')}</tr>\n`;
  return { raw: t + '</tbody>\n</table>\n' };
}

/** A bulleted list: Word's list paragraphs, the web editor's `<ul>`, or dashes in text. */
export function list(r: Rng, f: Frame, items: string[]): Block {
  if (!f.html) {
    const bullet = r.pick(['- ', '* ', '• ', '']);
    return { raw: items.map((x, i) => (bullet === '' ? `${i + 1}. ` : bullet) + x).join('\n') + '\n' };
  }
  if (f.style === 'word')
    return {
      raw: items
        .map(
          (x) =>
            `<p class=MsoListParagraph style='text-indent:-.25in;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span><![endif]>${esc(x)}<o:p></o:p></p>\n`,
        )
        .join(''),
    };
  return { raw: `<ul>\n${items.map((x) => `<li>${esc(x)}</li>\n`).join('')}</ul>\n` };
}
