/**
 * `spanish`, `surface` and `lookalike`: mail in Spanish, identifiers written
 * in the unusual ways people write them, and messages full of numbers that
 * are not sensitive identifiers.
 */
import {
  blank,
  closing,
  compose,
  disclaimer,
  frame,
  greeting,
  line,
  lineRaw,
  lines,
  OUTROS,
  sender,
  wrap,
  type Frame,
} from './common';
import { esc, escKeep, mark } from './doc';
import { labelled, somePlain } from './fields';
import type { Rng } from './rng';
import type { Template } from './types';
import type { EntityType } from '../../src/shared/entities';
import {
  aba,
  authNo,
  badAba,
  badCard,
  badDea,
  badEin,
  badIban,
  badMbi,
  badNpi,
  badSsnDigits,
  bankAccount,
  cap,
  card,
  claimNo,
  cmsContract,
  CPT,
  dashed9,
  dea,
  ein,
  groupCard,
  groupIban,
  iban,
  IBAN_COUNTRIES,
  icd,
  ICD10_ES,
  itinDigits,
  luhnDigit,
  mbi,
  mbiDashed,
  memberId,
  MESES,
  money,
  mrn,
  ndc,
  npi,
  person,
  phone,
  recentDate,
  safeDigits,
  ssnDigits,
  tracking,
  usDate,
} from './values';

// ---------- Spanish ----------

const ES_LABELS: Record<EntityType, string[]> = {
  US_SSN: ['Número de seguro social', 'No. de Seguro Social', 'Seguro social', 'Núm. de seguro social (SSN)'],
  US_ITIN: ['Número de identificación personal del contribuyente (ITIN)', 'ITIN'],
  CREDIT_CARD: ['Tarjeta de crédito', 'Número de tarjeta', 'Tarjeta de débito'],
  MEDICARE_MBI: ['Identificador de beneficiario de Medicare (MBI)', 'Número de Medicare (MBI)'],
  NPI: ['NPI del proveedor', 'Número NPI', 'NPI del médico'],
  DEA: ['Registro DEA', 'Número DEA del médico'],
  ABA_ROUTING: ['Número de ruta', 'Número de ruta bancaria (ABA)', 'Ruta ABA'],
  US_BANK_ACCOUNT: ['Cuenta bancaria', 'Número de cuenta', 'Cuenta de cheques'],
  IBAN: ['IBAN', 'Cuenta IBAN'],
  US_EIN: [
    'Número de identificación patronal (EIN)',
    'Identificación fiscal (EIN)',
    'Número de identificación tributaria',
  ],
  DATE_OF_BIRTH: ['Fecha de nacimiento', 'Fecha de nac.', 'F. de nacimiento'],
  ICD10: ['Diagnóstico', 'Código de diagnóstico (CIE-10)', 'Dx'],
  MEMBER_ID: ['Número de afiliado', 'Número de miembro', 'ID de miembro', 'No. de afiliado'],
  MRN: ['Número de expediente', 'Expediente médico', 'No. de historia clínica'],
};

function esDate(r: Rng, [y, m, d]: [number, number, number]): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  switch (r.int(0, 3)) {
    case 0:
      return `${pad(d)}/${pad(m)}/${y}`;
    case 1:
      return `${d} de ${MESES[m - 1]!} de ${y}`;
    case 2:
      return `${pad(d)}-${pad(m)}-${y}`;
    default:
      return `${d}/${m}/${y}`;
  }
}

function esValue(r: Rng, type: EntityType): { value: string; after?: string } {
  if (type === 'DATE_OF_BIRTH') return { value: esDate(r, person(r).dob) };
  if (type === 'ICD10') {
    const codes = Object.keys(ICD10_ES);
    const c = r.pick(codes);
    return { value: c, after: r.chance(0.6) ? ICD10_ES[c] : undefined };
  }
  const v = labelled(r, type);
  return { value: v.value };
}

const ES_TYPES: EntityType[] = [
  'US_SSN',
  'DATE_OF_BIRTH',
  'MEMBER_ID',
  'MRN',
  'ICD10',
  'NPI',
  'US_BANK_ACCOUNT',
  'CREDIT_CARD',
  'MEDICARE_MBI',
  'US_ITIN',
  'US_EIN',
  'DEA',
  'IBAN',
  'DATE_OF_BIRTH',
  'MEMBER_ID',
];

function esLabelled(r: Rng, n: number): { type: EntityType; label: string; value: string; after?: string }[] {
  const types = new Set<EntityType>();
  while (types.size < n) types.add(r.pick(ES_TYPES));
  if (types.has('US_BANK_ACCOUNT')) types.add('ABA_ROUTING');
  return [...types].map((t) => ({ type: t, label: r.pick(ES_LABELS[t]), ...esValue(r, t) }));
}

const ES_PLAIN = (r: Rng): { label: string; value: string } =>
  r.pick([
    { label: 'Número de reclamo', value: claimNo(r) },
    { label: 'Fecha de servicio', value: esDate(r, recentDate(r)) },
    { label: 'Teléfono', value: phone(r) },
    { label: 'Número de autorización', value: authNo(r) },
    { label: 'Número de confirmación', value: safeDigits(r, 9) },
    { label: 'Monto facturado', value: '$' + money(r) },
    { label: 'Código de procedimiento', value: r.pick(CPT) },
    { label: 'Fax', value: phone(r) },
  ]);

function esFrame(r: Rng, f: Frame, intro: string[], payload: string, firma: boolean): string {
  const s = sender(r);
  const saludo = line(
    f,
    r.pick([
      'Buenos días,',
      'Estimado(a) proveedor:',
      `Hola ${cap(r.pick(['MARIA', 'JOSE', 'ANA', 'LUIS']))},`,
      'Buenas tardes,',
    ]),
  );
  let inner = saludo + blank(f) + lines(f, intro) + (f.html ? '' : '\n') + payload + (f.html ? '' : '\n');
  inner += lines(f, [
    r.pick([
      'Quedo atento(a) a sus comentarios.',
      'Por favor confirme la información.',
      'Si tiene preguntas, llámenos.',
      'Gracias por su ayuda.',
    ]),
  ]);
  if (firma)
    inner +=
      (f.html ? blank(f) : '\n') +
      lines(f, ['Saludos cordiales,', s.name, `${s.dept} | ${s.plan}`, `Tel.: ${s.phone}`, `Fax: ${s.fax}`]);
  else inner += closing(r, f, s);
  if (r.chance(0.4))
    inner +=
      (f.html ? blank(f) : '\n') +
      line(
        f,
        'AVISO DE CONFIDENCIALIDAD: Este mensaje puede contener información de salud protegida. Si lo recibió por error, notifique al remitente y elimínelo.',
      );
  return wrap(f, inner);
}

const spanish =
  (shape: 'prose' | 'kv' | 'table' | 'payment'): Template =>
  (r, sensitive) => {
    const f = frame(r, shape === 'table' ? 1 : 0.5);
    const p = person(r);
    const nombre = `${cap(p.first)} ${cap(p.last)}`;
    let payload: string;
    let intro: string[];
    if (shape === 'prose') {
      const vals = sensitive ? esLabelled(r, r.int(1, 3)) : [];
      const pl = [ES_PLAIN(r), ES_PLAIN(r)];
      const parts = [
        `Le escribo sobre el afiliado ${nombre}.`,
        ...vals.map((v) =>
          r.pick([
            `Su ${v.label.toLowerCase()} es ${mark(v.type, v.value)}${v.after ? ` (${v.after})` : ''}.`,
            `${v.label}: ${mark(v.type, v.value)}${v.after ? `, ${v.after}` : ''}.`,
          ]),
        ),
        ...pl.map((x) => `${x.label}: ${x.value}.`),
      ];
      intro = [r.pick(['Le envío la información que solicitó.', 'Seguimiento a nuestra llamada de hoy.'])];
      payload = line(f, parts.join(' '));
    } else if (shape === 'kv' || shape === 'payment') {
      const vals = sensitive ? (shape === 'payment' ? esPayment(r) : esLabelled(r, r.int(2, 4))) : [];
      const items = r.shuffle([
        ...vals.map((v) => ({
          label: v.label,
          value: mark(v.type, v.value) + (v.after ? ` - ${v.after}` : ''),
        })),
        ES_PLAIN(r),
        ES_PLAIN(r),
      ]);
      if (shape === 'kv') items.unshift({ label: 'Nombre del paciente', value: nombre });
      payload = items.map((i) => line(f, `${i.label}: ${i.value}`)).join('');
      intro = [
        shape === 'payment'
          ? r.pick([
              'Estos son los datos para el depósito directo:',
              'Datos de pago del proveedor:',
              'Para procesar el reembolso necesitamos confirmar:',
            ])
          : r.pick([
              'Datos del afiliado:',
              'Información del paciente para la autorización:',
              'A continuación los datos que tenemos en el expediente:',
            ]),
      ];
    } else {
      const cols: { h: string; type?: EntityType; v: (i: number) => string }[] = [
        { h: 'Nombre del afiliado', v: () => `${cap(person(r).last)}, ${cap(person(r).first)}` },
      ];
      if (sensitive) {
        const opts: { h: string; type: EntityType; v: () => string }[] = [
          { h: 'Número de afiliado', type: 'MEMBER_ID', v: () => memberId(r) },
          { h: 'Fecha de nacimiento', type: 'DATE_OF_BIRTH', v: () => esDate(r, person(r).dob) },
          { h: 'Núm. seguro social', type: 'US_SSN', v: () => dashed9(ssnDigits(r)) },
          { h: 'Diagnóstico', type: 'ICD10', v: () => r.pick(Object.keys(ICD10_ES)) },
          { h: 'No. de expediente', type: 'MRN', v: () => mrn(r) },
        ];
        cols.push(...r.sample(opts, r.int(1, 3)));
      }
      cols.push(
        { h: 'Fecha de servicio', v: () => esDate(r, recentDate(r)) },
        { h: 'Número de reclamo', v: () => claimNo(r) },
        { h: 'Monto', v: () => '$' + money(r) },
      );
      let t = `<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none'>\n <tr>\n${cols.map((c) => `  <td style='border:solid windowtext 1.0pt;padding:0in 5.4pt'><p class=MsoNormal><b>${esc(c.h)}</b><o:p></o:p></p></td>\n`).join('')} </tr>\n`;
      for (let i = 0; i < r.int(2, 5); i++)
        t += ` <tr>\n${cols.map((c) => `  <td style='border:solid windowtext 1.0pt;border-top:none;padding:0in 5.4pt'><p class=MsoNormal>${c.type ? mark(c.type, esc(c.v(i))) : esc(c.v(i))}<o:p></o:p></p></td>\n`).join('')} </tr>\n`;
      payload = t + '</table>\n';
      intro = [
        r.pick([
          'Adjunto la lista de afiliados pendientes:',
          'Estos son los reclamos que necesitan corrección:',
          'Favor de revisar la siguiente tabla.',
        ]),
      ];
    }
    return {
      subject: r.pick([
        'Información del afiliado',
        'RE: autorización',
        'Reclamos pendientes',
        'Datos de pago',
        'Consulta de elegibilidad',
        'Seguimiento',
      ]),
      body: esFrame(r, f, intro, payload, r.chance(0.5)),
      html: f.html,
    };
  };

function esPayment(r: Rng): { type: EntityType; label: string; value: string; after?: string }[] {
  const out: { type: EntityType; label: string; value: string }[] = [];
  const pickOne = r.int(0, 2);
  if (pickOne === 0)
    out.push(
      { type: 'ABA_ROUTING', label: r.pick(ES_LABELS.ABA_ROUTING), value: aba(r) },
      { type: 'US_BANK_ACCOUNT', label: r.pick(ES_LABELS.US_BANK_ACCOUNT), value: bankAccount(r) },
    );
  else if (pickOne === 1)
    out.push({ type: 'CREDIT_CARD', label: r.pick(ES_LABELS.CREDIT_CARD), value: groupCard(card(r)) });
  else
    out.push({
      type: 'IBAN',
      label: 'IBAN',
      value: groupIban(
        iban(
          r,
          r.pick(
            ['ES', 'MX', 'PT', 'FR', 'DE', 'DO', 'CR', 'GT', 'SV'].filter((c) =>
              IBAN_COUNTRIES.some((x) => x.code === c),
            ),
          ),
        ),
      ),
    });
  if (r.chance(0.5))
    out.push({
      type: 'US_EIN',
      label: r.pick(ES_LABELS.US_EIN),
      value: ((e) => `${e.slice(0, 2)}-${e.slice(2)}`)(ein(r)),
    });
  return out;
}

export const SPANISH_TEMPLATES: Record<string, Template> = {
  'es-prose': spanish('prose'),
  'es-label-value': spanish('kv'),
  'es-table': spanish('table'),
  'es-payment': spanish('payment'),
};

// ---------- surface ----------

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

interface Shown {
  type: EntityType;
  label: string;
  /** Text form (for text bodies). */
  text: string;
  /** Markup form (for HTML bodies), when it differs. */
  html?: string;
}

function breakAt(v: string, at: number, f: Frame, r: Rng): { text: string; html: string } {
  const a = v.slice(0, at);
  const b = v.slice(at);
  return {
    text: a + r.pick(['\n', '\r\n', ' \n']) + b,
    html: a + r.pick(['<br>', '<br>\n', '</span><br><span>', '<o:p></o:p></p>\n<p class=MsoNormal>']) + b,
  };
}

function surfaceValue(r: Rng, shape: string, f: Frame): Shown {
  switch (shape) {
    case 'broken': {
      const v = labelled(
        r,
        r.pick<EntityType>(['US_SSN', 'MEMBER_ID', 'CREDIT_CARD', 'NPI', 'IBAN', 'MEDICARE_MBI']),
      );
      const raw =
        v.type === 'CREDIT_CARD' ? groupCard(card(r)) : v.type === 'IBAN' ? groupIban(iban(r)) : v.value;
      const at = Math.max(2, Math.min(raw.length - 2, r.int(3, raw.length - 3)));
      const b = breakAt(raw, at, f, r);
      return { type: v.type, label: v.label, text: b.text, html: b.html };
    }
    case 'spaced': {
      const t = r.pick<EntityType>(['US_SSN', 'NPI', 'CREDIT_CARD', 'ABA_ROUTING', 'US_SSN']);
      const digits =
        t === 'US_SSN' ? ssnDigits(r) : t === 'NPI' ? npi(r) : t === 'ABA_ROUTING' ? aba(r) : card(r);
      const style = r.int(0, 5);
      let text: string;
      if (style === 0) text = digits.split('').join(' ');
      else if (style === 1 && t === 'US_SSN')
        text = `${digits.slice(0, 3)}.${digits.slice(3, 5)}.${digits.slice(5)}`;
      else if (style === 2 && t === 'US_SSN')
        text = `${digits.slice(0, 3)} – ${digits.slice(3, 5)} – ${digits.slice(5)}`;
      else if (style === 3) text = digits.replace(/(\d{3})(?=\d)/g, '$1\u00a0');
      else if (style === 4) text = digits.replace(/(\d{2})(?=\d)/g, '$1 ');
      else text = digits.replace(/(\d{3})(?=\d)/g, '$1\u2009');
      const label = labelled(r, t).label;
      return {
        type: t,
        label,
        text,
        html: esc(text).replace(/\u00a0/g, r.chance(0.5) ? '&nbsp;' : '\u00a0'),
      };
    }
    case 'words': {
      const s = ssnDigits(r);
      const w = (d: string): string =>
        d
          .split('')
          .map((c) => WORDS[Number(c)]!)
          .join(' ');
      const text = r.chance(0.5) ? `${w(s.slice(0, 3))} - ${w(s.slice(3, 5))} - ${w(s.slice(5))}` : w(s);
      return {
        type: 'US_SSN',
        label: r.pick(['social is', 'SSN (spelled out per your request):', 'her social security number is']),
        text,
      };
    }
    case 'labels': {
      const opts: [EntityType, string, () => string][] = [
        ['US_SSN', 'SS#', () => dashed9(ssnDigits(r))],
        ['US_SSN', 'soc sec no', () => dashed9(ssnDigits(r))],
        ['US_SSN', 'social', () => ssnDigits(r)],
        ['DATE_OF_BIRTH', 'DOB/Age', () => usDate(r, person(r).dob, r.pick([0, 1, 2]))],
        ['MEMBER_ID', 'cardholder ID', () => memberId(r)],
        ['MEMBER_ID', 'ID on the card', () => memberId(r)],
        ['MEMBER_ID', 'enrollee ID', () => memberId(r)],
        ['MEDICARE_MBI', 'Medicare Beneficiary ID', () => mbi(r)],
        ['NPI', 'provider identifier (NPI)', () => npi(r)],
        ['NPI', 'national provider ID', () => npi(r)],
        ['MRN', 'MRN', () => r.pick(['E', 'M', 'H', 'K']) + r.digits(r.int(6, 9))],
        ['MRN', 'pt acct / chart', () => mrn(r)],
        ['DATE_OF_BIRTH', 'born', () => usDate(r, person(r).dob)],
        ['US_EIN', 'fed ID', () => ((e) => `${e.slice(0, 2)}-${e.slice(2)}`)(ein(r))],
        ['ICD10', 'dx code', () => icd(r)[0]],
        ['US_ITIN', 'ITIN', () => dashed9(itinDigits(r))],
        ['DEA', 'DEA no.', () => dea(r)],
      ];
      const [type, label, v] = r.pick(opts);
      return { type, label, text: v() };
    }
    case 'dashes': {
      if (r.chance(0.5))
        return {
          type: 'MEDICARE_MBI',
          label: r.pick(['MBI', 'Medicare #', 'new Medicare number']),
          text: mbiDashed(mbi(r)),
        };
      const n = npi(r);
      return {
        type: 'NPI',
        label: r.pick(['NPI', 'NPI #', 'Type 2 NPI']),
        text: r.chance(0.5)
          ? `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`
          : `${n.slice(0, 4)} ${n.slice(4, 7)} ${n.slice(7)}`,
      };
    }
    case 'uatp': {
      const c = card(r, r.pick(['uatp', 'uatp', 'diners', 'jcb', 'amex']));
      return {
        type: 'CREDIT_CARD',
        label: r.pick(['travel card (UATP)', 'card', 'corporate card number', 'charge it to']),
        text: r.chance(0.7) ? groupCard(c, r.pick([' ', '-'])) : c,
      };
    }
    case 'iban': {
      const v = iban(r);
      return {
        type: 'IBAN',
        label: r.pick(['IBAN', 'bank (IBAN)', 'wire to IBAN', 'account (IBAN)']),
        text: r.chance(0.5) ? groupIban(v) : r.chance(0.5) ? v : groupIban(v).toLowerCase(),
      };
    }
    default: {
      // split by markup: spans and non-breaking hyphens in the HTML source
      const t = r.pick<EntityType>(['US_SSN', 'MEMBER_ID', 'NPI', 'CREDIT_CARD']);
      if (t === 'US_SSN') {
        const s = ssnDigits(r);
        const html = r.pick([
          `<span>${s.slice(0, 3)}</span>-<span>${s.slice(3, 5)}</span>-<span>${s.slice(5)}</span>`,
          `${s.slice(0, 3)}&#8209;${s.slice(3, 5)}&#8209;${s.slice(5)}`,
          `${s.slice(0, 3)}&nbsp;${s.slice(3, 5)}&nbsp;${s.slice(5)}`,
          `<b>${s.slice(0, 5)}</b>${s.slice(5)}`,
        ]);
        return { type: t, label: 'SSN', text: dashed9(s), html };
      }
      const v = t === 'MEMBER_ID' ? memberId(r) : t === 'NPI' ? npi(r) : groupCard(card(r));
      const cut = r.int(2, v.length - 2);
      const a = v.slice(0, cut).replace(/ /g, '&nbsp;');
      const b = v.slice(cut).replace(/ /g, '&nbsp;');
      const html = r.pick([
        `${a}<span style='color:black'>${b}</span>`,
        `<span lang=EN-US>${a}</span><span lang=EN-US>${b}</span>`,
        `${a}<!-- -->${b}`,
      ]);
      return { type: t, label: labelled(r, t).label, text: v, html };
    }
  }
}

const SURFACE_SHAPES = ['broken', 'spaced', 'words', 'labels', 'dashes', 'uatp', 'iban', 'markup'];

const surface =
  (shape: string): Template =>
  (r, sensitive) => {
    const f = frame(r, shape === 'markup' ? 1 : shape === 'words' ? 0.3 : 0.5);
    const shown = sensitive ? Array.from({ length: r.int(1, 3) }, () => surfaceValue(r, shape, f)) : [];
    const pl = somePlain(r, 1, 3);
    const paras: string[] = [];
    const who = `${cap(person(r).first)} ${cap(person(r).last)}`;
    paras.push(
      line(
        f,
        r.pick([
          `Calling about ${who}.`,
          `Following up on the request for ${who}.`,
          'Per our phone call, here is what you needed.',
          'Sorry, the portal is down so sending this by mail.',
        ]),
      ),
    );
    for (const s of shown) {
      const rendered = f.html ? (s.html ?? esc(s.text)) : s.text;
      const sep =
        s.label.endsWith(':') || s.label.endsWith(' ') || s.label.endsWith('is') || s.label.endsWith('to')
          ? ' '
          : r.pick([': ', ' ', ' - ', ' # ']);
      const lead = r.pick(['', 'Their ', 'The ', 'Please use ']);
      const text = `${lead}${s.label}${sep}`.replace(/ {2,}/g, ' ');
      paras.push(
        lineRaw(
          f,
          (f.html ? escKeep(text) : text) +
            mark(s.type, rendered) +
            (f.html
              ? escKeep(r.pick(['', '.', ' (verified)', ', thanks']))
              : r.pick(['', '.', ' (verified)', ', thanks'])),
        ),
      );
    }
    for (const p of pl) paras.push(line(f, `${p.label}: ${p.value}`));
    const s = sender(r);
    const inner =
      greeting(r, f) +
      blank(f) +
      paras.join('') +
      (r.chance(0.5) ? blank(f) + line(f, r.pick(OUTROS)) : '') +
      closing(r, f, s) +
      disclaimer(r, f);
    const subj =
      sensitive && r.chance(0.25)
        ? subjectWithEntity(r)
        : r.pick([
            'Quick question',
            'RE: follow up',
            'Info you asked for',
            'Member call',
            'Urgent - please process',
            'FW: request',
          ]);
    return { subject: subj, body: wrap(f, inner), html: f.html };
  };

function subjectWithEntity(r: Rng): string {
  return r.pick([
    `RE: member ${mark('MEMBER_ID', memberId(r))}`,
    `Auth for DOB ${mark('DATE_OF_BIRTH', usDate(r, person(r).dob, r.pick([0, 1, 2])))}`,
    `Records request MRN ${mark('MRN', mrn(r))}`,
    `NPI ${mark('NPI', npi(r))} credentialing`,
    `Claim issue - Mbr ID ${mark('MEMBER_ID', memberId(r))}`,
  ]);
}

export const SURFACE_TEMPLATES: Record<string, Template> = Object.fromEntries(
  SURFACE_SHAPES.map((s) => [`surface-${s}`, surface(s)]),
);

// ---------- look-alikes ----------

/** Amounts on one line whose digits, run together, pass Luhn (as a card number would). */
function luhnAmounts(r: Rng): string[] {
  for (;;) {
    const amounts = Array.from({ length: r.int(3, 4) }, () => money(r, 10, 999));
    const digits = amounts.join('').replace(/\D/g, '');
    if (digits.length < 13 || digits.length > 19) continue;
    const fixed = digits.slice(0, -1) + luhnDigit(digits.slice(0, -1));
    const last = amounts[amounts.length - 1]!;
    amounts[amounts.length - 1] = last.slice(0, -1) + fixed.slice(-1);
    return amounts;
  }
}

function lookalikeLines(r: Rng, shape: string): string[] {
  switch (shape) {
    case 'ndc':
      return Array.from(
        { length: r.int(2, 5) },
        () =>
          `NDC ${ndc(r)}  ${r.pick(['metformin 500 mg tab', 'atorvastatin 20 mg tab', 'insulin glargine 100 unit/mL', 'albuterol HFA inhaler', 'lisinopril 10 mg tab'])}  qty ${r.int(30, 90)}  Rx #${r.digits(7)}  $${money(r, 4, 400)}`,
      );
    case 'codes':
      return [
        ...Array.from(
          { length: r.int(3, 6) },
          () =>
            `${r.pick(CPT)}${r.chance(0.3) ? '-' + r.pick(['25', '59', 'TC', '26']) : ''}  ${r.pick(['office visit', 'venipuncture', 'EKG', 'therapeutic exercise', 'psychotherapy 60 min', 'injection'])}  fee $${money(r, 10, 400)}`,
        ),
        r.pick([
          `We meet in room ${r.pick(['E11', 'J45', 'I10', 'F32'])} on the 2nd floor.`,
          `Use form ${r.pick(['W9', 'CMS-1500', 'UB-04', 'I-9'])} for that.`,
          `Suite ${r.pick(['C50', 'E78', 'M54'])}, Building ${r.int(1, 9)}.`,
        ]),
      ];
    case 'contracts':
      return [
        `Plans affected: ${cmsContract(r)}, ${cmsContract(r)} and ${cmsContract(r)}.`,
        `Group ${'GRP' + r.digits(5)}, effective ${usDate(r, recentDate(r))}.`,
        `Star rating for ${cmsContract(r)} is ${r.pick(['3.5', '4', '4.5'])}.`,
        `PBP ${r.digits(3)} segment ${r.digits(3)}.`,
      ];
    case 'amounts': {
      const out = ['Date        Billed      Allowed     Paid      Pt Resp'];
      for (let i = 0; i < r.int(3, 6); i++) {
        const a = luhnAmounts(r);
        out.push(`${usDate(r, recentDate(r), 0)}  ${a.map((x) => x.padStart(10)).join('  ')}`);
      }
      return out;
    }
    case 'references':
      return r.sample(
        [
          `Claim # ${claimNo(r)}`,
          `Authorization ${authNo(r)} approved for ${r.int(6, 24)} visits`,
          `Invoice INV-${r.digits(7)} due ${usDate(r, recentDate(r))}`,
          `EFT trace number ${safeDigits(r, 10)}`,
          `Tracking ${tracking(r)}`,
          `Ticket ${dashed9(ssnDigits(r)).replace(/-/g, '')} was opened with IT.`,
          `Confirmation number ${ssnDigits(r)}`,
          `Batch ${ssnDigits(r)} posted`,
          `Case ${r.letters(2)}-${r.digits(8)}`,
          `Check number ${safeDigits(r, 9)} cleared`,
          `Order # ${safeDigits(r, 12)}`,
        ],
        r.int(3, 6),
      );
    case 'phones':
      return [
        `Call us at ${phone(r)} or fax ${phone(r)}.`,
        `Provider line: ${phone(r)} (option 3)`,
        `Dates of service ${usDate(r, recentDate(r))} through ${usDate(r, recentDate(r))}.`,
        `Received ${usDate(r, recentDate(r))}; paid ${usDate(r, recentDate(r))}.`,
        `Meeting moved to ${usDate(r, recentDate(r), 4)} at 2:30 PM.`,
      ];
    case 'invalid-ssn':
      return [
        r.pick(['The SSN on the form', 'SSN', 'Social Security number submitted']) +
          ` ${dashed9(badSsnDigits(r))} ${r.pick(['is not valid', 'failed validation', 'was rejected by SSA'])}.`,
        r.pick([
          'Please send a corrected W-9.',
          'We need the right number before we can load the file.',
          'Placeholder used: ' + dashed9(badSsnDigits(r)) + '.',
        ]),
      ];
    default: {
      const bad: string[] = [
        `Card ${groupCard(badCard(r))} was declined (invalid number).`,
        `NPI ${badNpi(r)} does not pass the check digit.`,
        `Routing ${badAba(r)} is not a valid ABA number.`,
        `DEA ${badDea(r)} failed verification.`,
        `IBAN ${groupIban(badIban(r))} was rejected by the bank (checksum).`,
        `MBI ${badMbi(r)} has an invalid format.`,
        `Tax ID ${((e) => `${e.slice(0, 2)}-${e.slice(2)}`)(badEin(r))} is not a valid EIN prefix.`,
      ];
      return r.sample(bad, r.int(2, 4));
    }
  }
}

const LOOKALIKE_SHAPES = [
  'ndc',
  'codes',
  'contracts',
  'amounts',
  'references',
  'phones',
  'invalid-ssn',
  'invalid-checksums',
];

const lookalike =
  (shape: string): Template =>
  (r) => {
    const f = frame(r, 0.5);
    const ls = lookalikeLines(r, shape);
    const extra = somePlain(r, 0, 2).map((p) => `${p.label}: ${p.value}`);
    const payload =
      shape === 'amounts' && f.html && r.chance(0.5)
        ? `<pre>${esc(ls.join('\n'))}</pre>\n`
        : shape === 'amounts' && !f.html
          ? ls.join('\n') + '\n'
          : lines(f, [...ls, ...extra]);
    const intro = r.pick([
      'Here is the information you asked for.',
      'Quick update on the items below.',
      'Summary from today:',
      'Please see below.',
      'Following up on our call.',
    ]);
    return {
      subject: r.pick([
        'Update',
        'RE: status',
        'Summary',
        'Info requested',
        'FW: follow up',
        'Pharmacy question',
        'Fee schedule',
        'Payment status',
      ]),
      body: compose(r, f, [intro], payload, r.chance(0.6) ? [r.pick(OUTROS)] : []),
      html: f.html,
    };
  };

export const LOOKALIKE_TEMPLATES: Record<string, Template> = Object.fromEntries(
  LOOKALIKE_SHAPES.map((s) => [`lookalike-${s}`, lookalike(s)]),
);
