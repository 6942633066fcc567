/**
 * Messages that carry PHI in prose: a member or patient, named (or known by
 * an identifier), with something about their health, care or payment for
 * care, in one sentence, a short passage, a list item, a table row, or across
 * subject and body.
 */
import { HEALTH_CATEGORIES, type HealthCategory } from '../../../src/shared/entities';
import type { Frame } from '../common';
import type { Rng } from '../rng';
import { memberId, mrn, phone } from '../values';
import { compose, list, table, type Block } from './frame';
import { fillAny, lexicon, newCtx, rosterName, type Ctx, type PersonMode } from './fill';
import { ent, who } from './marks';
import { fullName, lastFirst, proseName, pronouns, title, type Lang } from './names';

export const SHAPES = {
  sentence: 19,
  apposition: 7,
  passage: 15,
  'subject-name': 10,
  'subject-both': 9,
  'subject-health': 5,
  list: 7,
  table: 10,
  letter: 6,
  relational: 5,
  identifier: 7,
} as const;
export type Shape = keyof typeof SHAPES;

export function pickShape(r: Rng): Shape {
  const entries = Object.entries(SHAPES) as [Shape, number][];
  let roll = r.float() * entries.reduce((a, [, w]) => a + w, 0);
  for (const [s, w] of entries) {
    roll -= w;
    if (roll < 0) return s;
  }
  return 'sentence';
}

const INTROS = {
  en: [
    'I wanted to give you a quick update.',
    'Following up on our call this morning.',
    'Please see below.',
    'Quick question for you.',
    'Sending this over for your review.',
    'Hope your week is going well.',
    'Per our conversation yesterday:',
  ],
  es: [
    'Le escribo para darle seguimiento.',
    'Conforme a nuestra llamada:',
    'Le comparto la siguiente información.',
    'Una consulta rápida.',
    'Espero que se encuentre bien.',
  ],
};
const OUTROS = {
  en: [
    'Let me know if you need anything else from us.',
    'Please call me back when you have a minute.',
    'Thanks for your help with this.',
    'I will update the case notes once I hear back.',
    'Please reply by end of day if possible.',
  ],
  es: [
    'Quedo a la espera de sus comentarios.',
    'Por favor llámeme cuando pueda.',
    'Gracias por su apoyo.',
    'Le agradezco su pronta respuesta.',
  ],
};
const SUBJECTS = {
  en: [
    'Follow-up',
    'Member update',
    'Quick question',
    'Case review',
    'Callback request',
    'Pending request',
    'Care coordination',
    'Need your help',
    'Update',
    'Today’s call',
  ],
  es: [
    'Seguimiento',
    'Actualización',
    'Consulta',
    'Caso pendiente',
    'Coordinación de cuidado',
    'Llamada de hoy',
  ],
};
const PREFIX = ['', '', '', 'RE: ', 'Re: ', 'FW: ', 'RE: RE: '];

function maybe(r: Rng, p: number, items: readonly string[]): string[] {
  return r.chance(p) ? [r.pick(items)] : [];
}

/** A name without a Spanish article, for subjects and list items. */
function bareName(ctx: Ctx): string {
  return who(proseName(ctx.r, ctx.person, ctx.lang));
}

function followUp(ctx: Ctx): string[] {
  const pr = pronouns(ctx.person);
  const items =
    ctx.lang === 'es'
      ? ['Su número de contacto es ' + phone(ctx.r) + '.', 'Por favor llámele cuando pueda.']
      : [`${pr.His} callback number is ${phone(ctx.r)}.`, `Please give ${pr.him} a call when you can.`];
  return ctx.mode === 'name' || ctx.mode === 'pronoun' ? maybe(ctx.r, 0.35, items) : [];
}

const LEADS = {
  en: [
    'I spoke with {P} this morning.',
    '{P} called our line today.',
    'Following up on {P}.',
    'I am reaching out about {P}.',
    'This is regarding your patient {P}.',
    '{P} stopped by the office on {day}.',
    'Our care manager reached {P} yesterday.',
  ],
  es: [
    'Hablé con {P} esta mañana.',
    '{P} llamó hoy a nuestra línea.',
    'Le escribo sobre {P}.',
    'Doy seguimiento al caso de {P}.',
    'Nuestra enfermera habló ayer con {P}.',
  ],
};

function dob(r: Rng, lang: Lang): string {
  const y = r.int(1940, 2005);
  const m = r.int(1, 12);
  const d = r.int(1, 28);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return lang === 'es'
    ? `(fecha de nacimiento ${ent('DATE_OF_BIRTH', `${p2(d)}/${p2(m)}/${y}`)})`
    : `(DOB ${ent('DATE_OF_BIRTH', `${p2(m)}/${p2(d)}/${y}`)})`;
}

function subjectLine(r: Rng, core: string): string {
  return r.pick(PREFIX) + core;
}

function noteFor(ctx: Ctx): string {
  return fillAny(ctx, lexicon(ctx.lang)[ctx.cat].notes);
}

const otherCat = (r: Rng): HealthCategory => r.pick(HEALTH_CATEGORIES);

function identifierMode(ctx: Ctx): void {
  const { r } = ctx;
  const useMrn = r.chance(0.3);
  const value = useMrn ? mrn(r) : memberId(r);
  const marked = who(ent(useMrn ? 'MRN' : 'MEMBER_ID', value));
  const lead =
    ctx.lang === 'es'
      ? useMrn
        ? r.pick(['el paciente con expediente', 'el paciente (MRN', 'expediente médico'])
        : r.pick(['el afiliado con ID de miembro', 'el afiliado (ID de afiliado', 'ID de miembro'])
      : useMrn
        ? r.pick(['the patient with MRN', 'patient (MRN', 'MRN', 'medical record #'])
        : r.pick([
            'member ID',
            'the member with member ID',
            'subscriber ID',
            'member (member ID',
            'Member ID #',
          ]);
  const close = lead.includes('(') ? ')' : '';
  ctx.identifier = `${lead} ${marked}${close}`;
}

export function positive(
  r: Rng,
  f: Frame,
  lang: Lang,
  cat: HealthCategory,
  shape: Shape,
): { subject: string; body: string } {
  const mode: PersonMode =
    shape === 'apposition'
      ? 'apposition'
      : shape === 'relational'
        ? 'relational'
        : shape === 'identifier'
          ? 'identifier'
          : 'name';
  const ctx = newCtx(r, lang, cat, f.html, mode);
  const lex = lexicon(lang)[cat];
  const intro = maybe(r, 0.5, INTROS[lang]);
  const outro = maybe(r, 0.5, OUTROS[lang]);
  let subject = subjectLine(r, r.pick(SUBJECTS[lang]));
  let blocks: Block[] = [];
  let greeting: string | undefined;

  switch (shape) {
    case 'sentence':
    case 'apposition':
    case 'identifier': {
      if (shape === 'identifier') identifierMode(ctx);
      const s = fillAny(ctx, lex.sentences);
      blocks = [...intro, [s, ...followUp(ctx)].join(' '), ...outro];
      break;
    }
    case 'relational': {
      const parent = `${title({ ...ctx.person, sex: r.chance(0.7) ? 'f' : 'm' }, lang, r)} ${ctx.person.family.split(/[- ]/)[0]!}`;
      greeting =
        lang === 'es'
          ? `${parent.startsWith('Sr.') ? 'Estimado' : 'Estimada'} ${parent}:`
          : r.pick([`Hi ${parent},`, `Dear ${parent},`, `Good morning ${parent},`]);
      const lead = lang === 'es' ? 'Le llamo por su familiar.' : 'Thank you for taking my call earlier.';
      blocks = [...maybe(r, 0.5, [lead]), fillAny(ctx, lex.sentences), ...outro];
      break;
    }
    case 'passage': {
      let lead = fillAny({ ...ctx, mode: 'name' }, LEADS[lang]);
      if (r.chance(0.2)) lead = lead.replace(/(\uE012)/, `$1 ${dob(r, lang)}`);
      ctx.mode = 'pronoun';
      blocks = [...intro, `${lead} ${fillAny(ctx, lex.sentences)}`, ...outro];
      break;
    }
    case 'subject-name': {
      const n = r.chance(0.3) ? who(lastFirst(r, ctx.person)) : bareName(ctx);
      subject = subjectLine(
        r,
        r.pick(
          lang === 'es'
            ? [`${n} - seguimiento`, n, `Consulta sobre ${n}`, `Caso de ${n}`]
            : [`${n} - follow up`, n, `Question about ${n}`, `Callback: ${n}`, `${n} case`],
        ),
      );
      ctx.mode = 'pronoun';
      blocks = [...intro, [fillAny(ctx, lex.sentences), ...followUp(ctx)].join(' '), ...outro];
      break;
    }
    case 'subject-both': {
      const n = r.chance(0.3) ? who(lastFirst(r, ctx.person)) : bareName(ctx);
      const h = fillAny(ctx, lex.subjects);
      subject = subjectLine(r, r.pick([`${n} - ${h}`, `${h}: ${n}`, `${n} / ${h}`]));
      if (r.chance(0.5)) ctx.mode = 'pronoun';
      blocks = [...intro, fillAny(ctx, lex.sentences), ...outro];
      break;
    }
    case 'subject-health': {
      subject = subjectLine(r, fillAny(ctx, lex.subjects));
      const asks =
        lang === 'es'
          ? [
              'Por favor llame a {P} hoy; tiene preguntas.',
              '¿Puede comunicarse con {P}? Nos dejó un mensaje.',
              'Adjunto la información de {P}.',
            ]
          : [
              'Please call {P} back today; {he} has questions.',
              'Can you reach out to {P}? {He} left us a voicemail.',
              'Attached is the information for {P}.',
              'See below for {P}; let me know what else you need.',
            ];
      blocks = [...intro, fillAny(ctx, asks), ...outro];
      break;
    }
    case 'list':
    case 'table': {
      const n = r.int(2, shape === 'table' ? 6 : 4);
      const rows: { name: string; note: string }[] = [];
      for (let i = 0; i < n; i++) {
        const c = i === 0 ? cat : otherCat(r);
        const row = newCtx(r, lang, c, f.html);
        rows.push({
          name: shape === 'table' || r.chance(0.3) ? rosterName(row) : bareName(row),
          note: noteFor(row),
        });
      }
      if (shape === 'list') {
        const head =
          lang === 'es'
            ? r.pick([
                'Actualización de los afiliados que comentamos:',
                'Pendientes de esta semana:',
                'Casos para revisar:',
              ])
            : r.pick([
                'Updates on the members we discussed:',
                'Open items from this week:',
                'Cases to review:',
                'Here is where things stand:',
              ]);
        blocks = [
          ...intro,
          head,
          list(
            r,
            f,
            rows.map((x) => `${x.name}${r.chance(0.5) ? ':' : ' -'} ${x.note}`),
          ),
          ...outro,
        ];
      } else {
        const heads =
          lang === 'es'
            ? r.pick([
                ['Nombre del afiliado', 'Diagnóstico / servicio', 'Fecha', 'Estado'],
                ['Nombre', 'Notas', 'Fecha', 'Seguimiento'],
              ])
            : r.pick([
                ['Member Name', 'Diagnosis / Service', 'Date', 'Status'],
                ['Name', 'Notes', 'DOS', 'Follow-up'],
                ['Patient', 'Reason', 'Date', 'Outcome'],
                ['Member', 'Request', 'Received', 'Decision'],
              ]);
        const statuses =
          lang === 'es'
            ? ['Abierto', 'Pendiente', 'Aprobado', 'Cerrado', 'Se dejó mensaje']
            : ['Open', 'Pending', 'Approved', 'Closed', 'Left VM', 'Called x2', 'Needs records'];
        const cells = rows.map((x) => [x.name, x.note, `${r.int(1, 12)}/${r.int(1, 28)}`, r.pick(statuses)]);
        const lead =
          lang === 'es'
            ? r.pick(['Le comparto la lista:', 'Estos son los casos de esta semana:', 'Ver tabla abajo.'])
            : r.pick([
                'Please see the list below.',
                'Here are this week’s cases:',
                'Pasting the tracker below:',
                'See table.',
              ]);
        blocks = [...intro, lead, table(r, f, heads, cells), ...outro];
      }
      break;
    }
    case 'letter': {
      const t = title(ctx.person, lang, r);
      const name = who(r.chance(0.6) ? `${t} ${ctx.person.family}` : fullName(ctx.person));
      greeting =
        lang === 'es'
          ? `${ctx.person.sex === 'f' ? 'Estimada' : 'Estimado'} ${name}:`
          : r.pick([`Dear ${name},`, `Hello ${name},`]);
      const you = fillAny(ctx, lex.yours);
      const help =
        lang === 'es'
          ? `Si tiene preguntas, llame a Servicios al Miembro al ${phone(r)} (TTY 711).`
          : `If you have questions, please call Member Services at ${phone(r)} (TTY 711).`;
      blocks = [you, help];
      break;
    }
  }
  const body = compose(r, f, lang, { greeting, blocks });
  return { subject, body };
}
