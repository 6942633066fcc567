/**
 * Hard negatives: mail full of health words or full of names that is still
 * not PHI, because no individual's health, care or payment for care is told.
 * - `general-health`: newsletters, webinars, benefit and policy text, secure
 *   mail announcements, guideline summaries, formulary changes, aggregate
 *   reports, programme descriptions;
 * - `people-no-health`: meetings, staff lists, holiday cover, vendors, thanks;
 * - `provider-health-words`: clinicians and staff named beside their
 *   specialty or a class they run, greetings to a provider about a clinical topic;
 * - `names-as-words`: hospitals and clinics named after saints and streets,
 *   "grace period", "hope", "Will";
 * - `non-health-sense`: "critical condition" of a backlog, a "health check" of
 *   an interface, a file that "tested positive" in UAT.
 */
import type { HealthCategory } from '../../../src/shared/entities';
import type { Frame } from '../common';
import type { Rng } from '../rng';
import { phone } from '../values';
import { compose, list, table, type Block } from './frame';
import { clinician, date, DAYS_EN, DAYS_ES, MONTHS_EN, MONTHS_ES } from './fill';
import { EN } from './lexicon';
import { ES } from './lexicon-es';
import { anyone, type Lang } from './names';

export type NegativeKind =
  'general-health' | 'people-no-health' | 'provider-health-words' | 'names-as-words' | 'non-health-sense';

interface Parts {
  subject: string;
  greeting?: string;
  blocks: (Block | ((f: Frame) => Block))[];
}

export interface NegativeTemplate {
  kind: NegativeKind;
  lang: Lang;
  make: (r: Rng, v: (s: string) => string) => Parts;
}

/** Resolves `<a|b>` and the tokens below; nothing is labelled. */
function vary(r: Rng, lang: Lang, s: string): string {
  let out = s.replace(/<([^<>]*)>/g, (_m, alts: string) => r.pick(alts.split('|')));
  out = out.replace(/\{([^{}]+)\}/g, (_m, name: string) => {
    const term = /^t(?:\.([a-z]+))?:([a-z-]+)$/.exec(name);
    if (term) {
      const text = (lang === 'es' ? ES : EN)[term[2] as HealthCategory];
      const listed = term[1] ? text.sub?.[term[1]] : text.terms;
      if (!listed) throw new Error(`no terms for {${name}}`);
      return r.pick(listed).n;
    }
    const p = anyone(r, lang);
    switch (name) {
      case 'name':
        return `${p.given} ${p.family}`;
      case 'first':
        return p.given;
      case 'family':
        return p.family;
      case 'dr': {
        const d = clinician(r, lang);
        return `${d.title} ${d.name}`;
      }
      case 'drfull':
        return `${lang === 'es' && p.sex === 'f' ? 'Dra.' : 'Dr.'} ${p.given} ${p.family}`;
      case 'day':
        return r.pick(lang === 'es' ? DAYS_ES : DAYS_EN);
      case 'date':
        return date(r, lang);
      case 'month':
        return r.pick(lang === 'es' ? MONTHS_ES : MONTHS_EN);
      case 'phone':
        return phone(r);
      case 'n':
        return String(r.int(3, 240));
      case 'pct':
        return `${r.int(2, 38)}.${r.int(0, 9)}%`;
      case 'q':
        return String(r.int(1, 4));
      case 'street':
        return `${r.int(100, 9800)} ${r.pick(['N. Central Ave', 'E. Camelback Rd', 'W. Lincoln St', 'S. Mill Ave', 'Grace Blvd', 'Mercy Way', 'St. Mary’s Dr', 'Hope St'])}, Suite ${r.int(100, 450)}`;
      default:
        throw new Error(`unknown token {${name}}`);
    }
  });
  return out;
}

const en = (kind: NegativeKind, make: NegativeTemplate['make']): NegativeTemplate => ({
  kind,
  lang: 'en',
  make,
});
const es = (kind: NegativeKind, make: NegativeTemplate['make']): NegativeTemplate => ({
  kind,
  lang: 'es',
  make,
});

const AWARENESS_EN: [string, string[]][] = [
  [
    'November is Diabetes Awareness Month',
    [
      'Nearly one in ten adults has diabetes, and many do not know it.',
      'Members with diabetes can get a free glucometer and test strips through the pharmacy benefit.',
      'Remind your patients that an A1c test at least twice a year is covered at no cost.',
    ],
  ],
  [
    'May is Mental Health Awareness Month',
    [
      'Depression and anxiety are among the most common reasons members call our behavioral health line.',
      'Members can see a therapist without a referral, and telehealth visits have no copay this year.',
      'The 988 Suicide and Crisis Lifeline is available 24/7 by call or text.',
    ],
  ],
  [
    'October is Breast Cancer Awareness Month',
    [
      'Screening mammograms are covered every year for women 40 and older.',
      'Our mobile mammography van will visit three community centers this month.',
      'Genetic counseling and BRCA testing are covered when guidelines are met.',
    ],
  ],
  [
    'World AIDS Day is December 1',
    [
      'HIV testing is covered for all members, and PrEP is available with no cost share.',
      'Free rapid HIV and syphilis testing will be offered at the county health fair.',
    ],
  ],
  [
    'September is National Recovery Month',
    [
      'Treatment for opioid use disorder, including buprenorphine and methadone programs, is a covered benefit.',
      'Naloxone is available at any network pharmacy without a prescription.',
    ],
  ],
  [
    'American Heart Month: know your numbers',
    [
      'High blood pressure often has no symptoms; encourage members to check it regularly.',
      'Members with heart failure can join the Healthy Hearts program for a free home scale.',
    ],
  ],
];

const WEBINAR_TOPICS_EN = [
  ['opioid prescribing and tapering', 'addiction medicine specialist'],
  ['depression screening in primary care', 'psychiatrist'],
  ['HIV PrEP for primary care providers', 'infectious disease physician'],
  ['access to prenatal care in rural counties', 'OB/GYN'],
  ['managing heart failure after discharge', 'cardiologist'],
  ['when to order genetic testing for hereditary cancer', 'genetic counselor'],
  ['colorectal cancer screening for adults 45 and older', 'gastroenterologist'],
  ['pediatric asthma action plans', 'pediatric pulmonologist'],
];

export const NEGATIVE_TEMPLATES: Record<string, NegativeTemplate> = {
  'awareness-month': en('general-health', (r, v) => {
    const [subject, lines] = r.pick(AWARENESS_EN);
    return {
      subject: v(`<|Provider newsletter: >${subject}`),
      blocks: [
        v(
          '<This month we are highlighting|In this issue we focus on|Please share with your staff:> a few reminders.',
        ),
        ...r.sample(lines, Math.min(lines.length, r.int(2, 3))),
        v('Printed flyers in English and Spanish are available; call Provider Services at {phone} to order.'),
      ],
    };
  }),
  webinar: en('general-health', (r, v) => {
    const [topic, who] = r.pick(WEBINAR_TOPICS_EN);
    return {
      subject: v(`<Webinar|Register now|Reminder>: ${topic!}`),
      blocks: [
        v(
          `Join us on {day}, {date} at <noon|2 p.m.|10 a.m.> <MST|ET|PT> for a <45-minute|one-hour> webinar on ${topic!}.`,
        ),
        v(
          `Our presenter is {drfull}, ${who!}<, from {family} Medical Group|>. <CME credit is available.|Slides will be shared afterward.>`,
        ),
        v('Register through the provider portal under Education & Events.'),
      ],
    };
  }),
  'benefit-change': en('general-health', (_r, v) => ({
    subject: v(
      '<Policy update|Benefit change|Provider bulletin>: <prior authorization|coverage> changes effective <January 1|July 1>',
    ),
    blocks: [
      v(
        'Effective <January 1|July 1|{month} 1>, prior authorization is no longer required for <a colonoscopy|MRI of the lumbar spine|the first 12 physical therapy visits|continuous glucose monitors|cataract surgery>.',
      ),
      v(
        'Coverage for <IVF|BRCA genetic testing|bariatric surgery|home health services|residential substance use treatment> remains subject to medical necessity review.',
      ),
      v(
        'Claims for <ER visits|urgent care visits|telehealth visits> will be paid at the in-network rate <regardless of diagnosis|when billed with modifier 95>.',
      ),
      v(
        'The full policy is posted on the provider portal. Questions may be sent to {name}, Provider Relations.',
      ),
    ],
  })),
  'secure-mail': en('general-health', (_r, v) => ({
    subject: v('<Important|Action needed>: we are moving to Secure Email'),
    blocks: [
      v(
        'Starting {date}, messages from our Care Management and Utilization Management teams that contain protected health information, such as lab results, diagnoses, admission notices and authorization letters, will arrive through Secure Email.',
      ),
      v(
        'You will receive a notice with a link. Register once, then sign in to read the message and reply securely.',
      ),
      v(
        '<There is nothing to install.|Your office can register more than one address.> For help, call {phone}.',
      ),
    ],
  })),
  guideline: en('general-health', (r, v) => ({
    subject: v('<Clinical guideline summary|Preventive care reminders|Updated screening guidance>'),
    blocks: [
      v('Here is a short summary of the updated <guidance|recommendations> for your staff:'),
      (f: Frame) =>
        list(
          r,
          f,
          r.sample(
            [
              'Screen adults 45 to 75 for colorectal cancer.',
              'Offer a mammogram every two years to women 40 to 74.',
              'Screen everyone 15 to 65 for HIV at least once.',
              'Screen adults for depression with the PHQ-9 at the annual visit.',
              'Check an A1c at least twice a year for patients with diabetes.',
              'Offer statins to adults 40 to 75 with one or more cardiovascular risk factors.',
              'Screen pregnant patients for syphilis at the first prenatal visit.',
              'Ask about alcohol and opioid use at every new-patient visit.',
            ],
            r.int(3, 5),
          ),
        ),
      v('These are summaries only; the source guidelines are linked on the portal.'),
    ],
  })),
  formulary: en('general-health', (r, v) => ({
    subject: v('Formulary update for Q{q}'),
    blocks: [
      v('The following formulary changes take effect {date}:'),
      (f: Frame) =>
        list(
          r,
          f,
          r.sample(
            [
              v('{t:medication} moves to tier <2|3> and keeps step therapy.'),
              v('{t.med:substance-use} no longer requires prior authorization.'),
              v('{t.med:hiv-sti} stays on tier 2 with no quantity limit.'),
              v('{t.med:mental-health} is now available as a 90-day supply.'),
              v('Biosimilars are now preferred over Humira.'),
              v('{t.tx:cancer} requires a specialty pharmacy.'),
              v('Quantity limits for {t:medication} were raised to 30 days.'),
            ],
            r.int(3, 5),
          ),
        ),
      v('Members already on a drug that changes tier will receive a transition fill.'),
    ],
  })),
  'aggregate-report': en('general-health', (r, v) => ({
    subject: v(
      '<Q{q} utilization summary|Monthly quality dashboard|Population health report> - <all lines of business|Medicaid|Medicare Advantage>',
    ),
    blocks: [
      v('Highlights for the quarter are below; no member-level data is included.'),
      (f: Frame) =>
        table(
          r,
          f,
          ['Measure', 'This quarter', 'Last quarter'],
          r.sample(
            [
              ['ER visits for asthma', v('{n}'), v('{n}')],
              ['Admissions for CHF', v('{n}'), v('{n}')],
              ['30-day readmission rate', v('{pct}'), v('{pct}')],
              ['A1c testing completed', v('{pct}'), v('{pct}')],
              ['Prenatal visits in first trimester', v('{pct}'), v('{pct}')],
              ['Follow-up after psychiatric hospitalization', v('{pct}'), v('{pct}')],
              ['Members in MAT for opioid use disorder', v('{n}'), v('{n}')],
              ['Breast cancer screening', v('{pct}'), v('{pct}')],
            ],
            r.int(3, 6),
          ),
        ),
      v('<Great work, everyone.|We will review the trends at the next quality meeting.>'),
    ],
  })),
  'program-description': en('general-health', (r, v) => ({
    subject: v('<Our care programs|Programs for your patients|Care management programs at a glance>'),
    blocks: r.sample(
      [
        v(
          'Our maternity program supports pregnant members with rides to prenatal visits, a free car seat and postpartum check-ins.',
        ),
        v('Members with depression or anxiety can self-refer to behavioral health by calling {phone}.'),
        v(
          'The Healthy Hearts program helps members with heart failure monitor their weight and symptoms at home.',
        ),
        v('Members being treated for cancer can be paired with an oncology nurse navigator.'),
        v(
          'Our substance use program connects members to detox, residential treatment and MAT providers within 24 hours.',
        ),
        v('Members with asthma receive a yearly home visit to look for triggers.'),
      ],
      r.int(3, 4),
    ),
  })),
  'member-faq': en('general-health', (r, v) => ({
    subject: v(
      '<Member FAQ|Frequently asked questions|Answers to common questions> - <draft for review|final copy>',
    ),
    blocks: r.sample(
      [
        v('If you are pregnant or think you might be, call us so we can help you find an OB.'),
        v('If you or a family member is struggling with opioid use, help is available 24/7 at {phone}.'),
        v('Do I need a referral for a mammogram? No. Screening mammograms do not need a referral.'),
        v('Is the flu shot covered? Yes, at any network pharmacy at no cost.'),
        v(
          'How do I get my insulin in a 90-day supply? Ask your doctor to send a new prescription to mail order.',
        ),
        v('What if I go to the ER while traveling? Emergency care is covered anywhere in the United States.'),
      ],
      r.int(3, 4),
    ),
  })),
  'gap-request': en('general-health', (_r, v) => ({
    subject: v('<HEDIS|Care gap> <records request|reminder> - due {date}'),
    blocks: [
      v('Please submit A1c and blood pressure results for your patients with diabetes by {date}.'),
      v(
        'The gap list is on the provider portal under Quality; <it refreshes weekly|please do not e-mail member lists>.',
      ),
      v('Questions? Contact {name}, Quality Improvement, at {phone}.'),
    ],
  })),
  meeting: en('people-no-health', (_r, v) => ({
    subject: v('<Team huddle|Provider town hall|Quarterly business review|Claims workgroup> - {day}'),
    blocks: [
      v('{name}, {name} and {name} will join the <call|meeting> on {day} at <2 p.m.|10:30 a.m.|3:15 p.m.>.'),
      v(
        'Agenda: <claims backlog and the new portal|contract renewal timeline|training schedule for new hires|fax-to-portal migration>.',
      ),
      v('<Conference room B|The Teams link is in the invite>. Please send agenda items to {first} by {day}.'),
    ],
  })),
  'staff-list': en('people-no-health', (r, v) => ({
    subject: v('<Welcome our new team members|Updated team contact list|Who to call>'),
    blocks: [
      v('Please welcome the newest members of our team:'),
      (f: Frame) =>
        list(
          r,
          f,
          Array.from({ length: r.int(3, 5) }, () =>
            v('{name}, <Claims|Enrollment|Provider Relations|Credentialing|Member Services>, ext. {n}'),
          ),
        ),
      v('They will be shadowing {name} through the end of {month}.'),
    ],
  })),
  holiday: en('people-no-health', (_r, v) => ({
    subject: v(
      '<Holiday schedule|Office closure|Phone coverage> - <Memorial Day|July 4|Thanksgiving|Labor Day>',
    ),
    blocks: [
      v('Our office will be closed on <Monday|Thursday|Friday>, {date}.'),
      v('{name} will cover the phones on Friday<, and {name} will check the fax queue|>.'),
      v('For urgent authorization requests after hours call {phone}.'),
    ],
  })),
  vendor: en('people-no-health', (_r, v) => ({
    subject: v(
      '<New vendor contact|Courier service|Supply order> - <Acme Medical Supply|Redline Courier|Summit Billing Services|BrightPath Translation>',
    ),
    blocks: [
      v('Your new account representative is {name}, {phone}.'),
      v(
        '<Invoices|Orders|Pickup requests> should go to {first} at the same number<, and copies to accounts payable|>.',
      ),
      v('{name} is retiring at the end of {month}; please update your contact list.'),
    ],
  })),
  kudos: en('people-no-health', (_r, v) => ({
    subject: v('<Thank you!|Kudos|Shout-out>'),
    blocks: [
      v(
        'Big thanks to {name} for organizing the <food drive|5K team|toy drive> and to {name} for covering the front desk.',
      ),
      v('{first} also finished the <new hire binder|portal training deck> ahead of schedule.'),
    ],
  })),
  'office-admin': en('people-no-health', (_r, v) => ({
    subject: v('<Fee schedule|W-9|Contract> request from {dr}’s office'),
    blocks: [
      v('{first} at {dr}’s office asked for the updated <fee schedule|W-9|signed amendment>.'),
      v('Can you send it over by {day}? The office line is {phone}.'),
    ],
  })),
  training: en('people-no-health', (_r, v) => ({
    subject: v('<Compliance training|Annual training> status'),
    blocks: [
      v('{name} and {name} completed HIPAA and fraud, waste and abuse training this week.'),
      v('Everyone else must finish by {date}; {name} can reset your learning portal password.'),
    ],
  })),
  'network-add': en('provider-health-words', (r, v) => {
    const d = v('{drfull}');
    return {
      subject: v(`<New to the network|Network update>: ${d}`),
      blocks: [
        v(
          `Please welcome ${d}, ${r.pick(['psychiatrist', 'oncologist', 'addiction medicine physician', 'OB/GYN', 'infectious disease specialist', 'genetic counselor', 'endocrinologist'])}, who joined the network on {date}.`,
        ),
        v('The practice at {street} is accepting new patients<; referrals are not required|>.'),
        v('Updated directories will be published by {month}.'),
      ],
    };
  }),
  'practice-move': en('provider-health-words', (r, v) => {
    const d = v('{dr}');
    return {
      subject: `Address change - ${d}`,
      blocks: [
        v(
          `${d}’s ${r.pick(['oncology', 'cardiology', 'behavioral health', 'fertility', 'HIV care', 'pain management'])} practice moved to {street}.`,
        ),
        v('The new phone number is {phone}; the fax number did not change.'),
      ],
    };
  }),
  'nurse-class': en('provider-health-words', (_r, v) => ({
    subject: v('<Class schedule|Community classes> for {month}'),
    blocks: [
      v(
        'Please contact Nurse {family} about the <diabetes class|prenatal class|asthma education|smoking cessation group|heart failure class> schedule.',
      ),
      v(
        'Classes are held <Tuesdays at 6 p.m.|the first Thursday of each month> at the <Lincoln Street Clinic|community center|Hope Street library>.',
      ),
      v('{name}, <RN|CDCES|LPN>, will teach the Spanish-language session.'),
    ],
  })),
  directory: en('provider-health-words', (r, v) => ({
    subject: v('Specialists accepting new patients'),
    blocks: [
      v(
        'Here are the specialists in <Maricopa|Pima|Dallas|Los Angeles> County accepting new patients this month:',
      ),
      (f: Frame) =>
        list(
          r,
          f,
          r.sample(
            [
              v('Cardiology: {drfull}'),
              v('OB/GYN: {drfull}'),
              v('Behavioral health: {name}, LCSW'),
              v('Oncology: {drfull}'),
              v('Addiction medicine: {drfull}'),
              v('Endocrinology: {drfull}'),
              v('Infectious disease: {drfull}'),
              v('Psychiatry: {drfull} (telehealth only)'),
            ],
            r.int(3, 6),
          ),
        ),
    ],
  })),
  credentialing: en('provider-health-words', (r, v) => {
    const d = v('{dr}');
    return {
      subject: v(`Credentialing - ${d}`),
      blocks: [
        v(
          `${d}’s credentialing application for ${r.pick(['addiction medicine', 'psychiatry', 'oncology', 'reproductive endocrinology', 'pediatric cardiology'])} is complete.`,
        ),
        v(
          'The effective date is {date}. We still need the malpractice face sheet and the signed attestation.',
        ),
      ],
    };
  }),
  'provider-greeting': en('provider-health-words', (r, v) => {
    const d = clinician(r, 'en');
    const [topic] = r.pick(WEBINAR_TOPICS_EN);
    return {
      subject: v(`<Thank you|Webinar on ${topic!}|Slides>`),
      greeting: r.pick([`Hi Dr. ${d.name},`, `Dear Dr. ${d.name},`, `Good morning Dr. ${d.name},`]),
      blocks: [
        v(
          `The webinar on ${topic!} is <Thursday|next week|on {date}>. Thank you again for agreeing to present.`,
        ),
        v(
          '<We expect about {n} attendees.|The slides are attached for your review.|Please send your disclosure form by {day}.>',
        ),
      ],
    };
  }),
  'staff-contact': en('provider-health-words', (r, v) => {
    const program = r.pick([
      'the diabetes program',
      'the maternity program',
      'behavioral health referrals',
      'the HIV care program',
      'the cancer support program',
    ]);
    const who = v('{name}');
    return {
      subject: v(`<New contact|Program contact> for ${program}`),
      blocks: [
        v(
          `${who}, <RN|LCSW|CHW>, <Care Management|Behavioral Health|Population Health> will be your contact for ${program} going forward.`,
        ),
        v(
          `${who.split(' ')[0]!} replaces {name}, who moved to the appeals team. The direct line is {phone}.`,
        ),
      ],
    };
  }),
  places: en('names-as-words', (_r, v) => ({
    subject: v('<Contract update|Network changes|Facility news>'),
    blocks: [
      v(
        "St. Mary's Hospital and Mercy Medical Center signed the <2026 contract amendment|new rate agreement> on {date}.",
      ),
      v(
        'Lincoln Street Clinic and Grace Family Health will join the network in {month}; Hope Community Hospital will leave it at the end of the year.',
      ),
      v('<Providence|Good Samaritan> Urgent Care on <Jordan Road|Austin Avenue> is now open until 10 p.m.'),
    ],
  })),
  'grace-period': en('names-as-words', (_r, v) => ({
    subject: v('<Premium|Payment> grace period reminder'),
    blocks: [
      v('Members who pay late stay covered during the <three-month|30-day> grace period.'),
      v('Claims received during the grace period are pended, not denied. Hope this helps clarify.'),
      v(
        'Will you please share this with your billing staff? Mark your calendars for the {month} billing call.',
      ),
    ],
  })),
  'facility-news': en('names-as-words', (r, v) => {
    const place = r.pick([
      'St. Jude Cancer Center',
      'Mercy Behavioral Health Hospital',
      'St. Luke’s Women’s Center',
      'Hope Recovery Center',
      'Grace Fertility Institute',
    ]);
    return {
      subject: v(`<Parking|Entrance|Phone number> change at ${place}`),
      blocks: [
        v(
          `The <parking garage|main entrance|fax line> at ${place} <will close for repairs|changed> on {date}.`,
        ),
        v('Please use the <Hope Street|Grace Avenue|St. Francis Drive> entrance<, or call {phone}|>.'),
      ],
    };
  }),
  idioms: en('non-health-sense', (_r, v) => ({
    subject: v('<Claims backlog|EDI feed|Q{q} reconciliation> status'),
    blocks: [
      v(
        'The <claims backlog|EDI feed|Q{q} reconciliation> is in critical condition; we need all hands on deck through {day}.',
      ),
      v(
        'The 837 test file <tested positive for errors|passed> in UAT, and IT ran a health check on the interface <this morning|overnight>.',
      ),
      v('The workaround is a band-aid, not a cure; {name} is triaging the <rejected batches|open tickets>.'),
    ],
  })),
  'it-notice': en('non-health-sense', (_r, v) => ({
    subject: v('<Portal outage|Virus alert|System maintenance> - {date}'),
    blocks: [
      v('IT quarantined a file that <looked like a virus|was flagged by the scanner>; no data was lost.'),
      v(
        'The portal will be down for <surgery on the database|a routine check-up of the servers> {day} night. <Please be patient with us.|{name} is on call.>',
      ),
      v('This patch should cure the login issue once and for all.'),
    ],
  })),

  // ---------- Spanish ----------
  'es-awareness': es('general-health', (r, v) => {
    const [subject, lines] = r.pick<[string, string[]]>([
      [
        'Noviembre es el Mes de la Diabetes',
        [
          'Los afiliados con diabetes pueden recibir un glucómetro y tiras reactivas sin costo.',
          'La prueba de A1c dos veces al año está cubierta sin copago.',
        ],
      ],
      [
        'Mayo es el Mes de la Salud Mental',
        [
          'La depresión y la ansiedad son motivos comunes de llamada a nuestra línea de salud conductual.',
          'Los afiliados pueden ver a un terapeuta sin referencia.',
        ],
      ],
      [
        'Octubre: Mes de la Concientización sobre el Cáncer de Mama',
        [
          'La mamografía anual está cubierta para mujeres de 40 años o más.',
          'La asesoría genética está cubierta según las guías.',
        ],
      ],
    ]);
    return {
      subject,
      blocks: [
        v('Le compartimos <algunos recordatorios|información para su personal>.'),
        ...lines,
        v('Para pedir folletos llame al {phone}.'),
      ],
    };
  }),
  'es-webinar': es('general-health', (r, v) => {
    const topic = r.pick([
      'la prescripción segura de opioides',
      'la detección de depresión en atención primaria',
      'la PrEP para prevenir el VIH',
      'el acceso al control prenatal',
      'el manejo de la insuficiencia cardíaca',
    ]);
    return {
      subject: `Seminario web: ${topic}`,
      blocks: [
        v(`Le invitamos al seminario web sobre ${topic} el {day} {date} a las <12:00|14:00|10:00>.`),
        v('Presenta: {drfull}. Regístrese en el portal de proveedores.'),
      ],
    };
  }),
  'es-benefit': es('general-health', (_r, v) => ({
    subject: v('Cambios en la autorización previa a partir del <1 de enero|1 de julio>'),
    blocks: [
      v(
        'A partir del <1 de enero|1 de julio>, ya no se requiere autorización previa para <colonoscopías|terapia física (primeras 12 visitas)|monitores continuos de glucosa>.',
      ),
      v(
        'La cobertura de <fertilización in vitro|pruebas genéticas BRCA|cirugía bariátrica> sigue sujeta a revisión de necesidad médica.',
      ),
      v('Si tiene preguntas, comuníquese con {name}, Relaciones con Proveedores.'),
    ],
  })),
  'es-secure-mail': es('general-health', (_r, v) => ({
    subject: 'Aviso: enviaremos información de salud por Correo Seguro',
    blocks: [
      v(
        'A partir del {date}, los mensajes con información de salud protegida, como resultados de laboratorio, diagnósticos y cartas de autorización, llegarán por Correo Seguro.',
      ),
      v('Recibirá un aviso con un enlace; regístrese una sola vez. Para ayuda llame al {phone}.'),
    ],
  })),
  'es-programs': es('general-health', (r, v) => ({
    subject: 'Nuestros programas de cuidado',
    blocks: r.sample(
      [
        v(
          'Nuestro programa de maternidad apoya a las afiliadas embarazadas con transporte a sus citas prenatales.',
        ),
        v('Los afiliados con depresión o ansiedad pueden pedir una cita de salud conductual al {phone}.'),
        v(
          'El programa Corazones Sanos ayuda a los afiliados con insuficiencia cardíaca a vigilar sus síntomas en casa.',
        ),
        v(
          'Nuestro programa de adicciones conecta a los afiliados con desintoxicación y tratamiento ambulatorio en 24 horas.',
        ),
        v('Los afiliados en tratamiento contra el cáncer pueden tener una enfermera navegadora.'),
      ],
      3,
    ),
  })),
  'es-report': es('general-health', (r, v) => ({
    subject: v('Resumen trimestral de utilización - T{q}'),
    blocks: [
      v('Resumen del trimestre; no incluye datos de afiliados individuales.'),
      (f: Frame) =>
        table(
          r,
          f,
          ['Indicador', 'Este trimestre', 'Trimestre anterior'],
          [
            ['Visitas a urgencias por asma', v('{n}'), v('{n}')],
            ['Hospitalizaciones por insuficiencia cardíaca', v('{n}'), v('{n}')],
            ['Control prenatal en el primer trimestre', v('{pct}'), v('{pct}')],
            ['Seguimiento tras hospitalización psiquiátrica', v('{pct}'), v('{pct}')],
          ],
        ),
    ],
  })),
  'es-meeting': es('people-no-health', (_r, v) => ({
    subject: v('Reunión del equipo - {day}'),
    blocks: [
      v('{name}, {name} y {name} participarán en la reunión del {day} a las <10:00|15:30>.'),
      v(
        'Temas: <rezago de reclamos|renovación del contrato|capacitación del personal nuevo>. Envíe sus temas a {first}.',
      ),
    ],
  })),
  'es-holiday': es('people-no-health', (_r, v) => ({
    subject: v('Horario de días festivos'),
    blocks: [
      v('La oficina estará cerrada el {date}.'),
      v('{name} cubrirá los teléfonos el viernes y {name} revisará los faxes.'),
      v('Para autorizaciones urgentes llame al {phone}.'),
    ],
  })),
  'es-staff': es('people-no-health', (r, v) => ({
    subject: 'Bienvenida al nuevo personal',
    blocks: [
      v('Demos la bienvenida a:'),
      (f: Frame) =>
        list(
          r,
          f,
          Array.from({ length: r.int(2, 4) }, () =>
            v('{name}, <Reclamos|Afiliación|Relaciones con Proveedores>, ext. {n}'),
          ),
        ),
    ],
  })),
  'es-network-add': es('provider-health-words', (r, v) => {
    const d = v('{drfull}');
    return {
      subject: `Nuevo en la red: ${d}`,
      blocks: [
        v(
          `${d}, ${r.pick(['psiquiatra', 'oncóloga', 'especialista en medicina de adicciones', 'ginecóloga', 'infectólogo', 'endocrinóloga'])}, se unió a la red el {date}.`,
        ),
        v('Su consultorio en {street} acepta pacientes nuevos.'),
      ],
    };
  }),
  'es-nurse-class': es('provider-health-words', (_r, v) => ({
    subject: v('Calendario de clases de {month}'),
    blocks: [
      v(
        'Comuníquese con la enfermera {family} sobre el horario de las <clases de diabetes|clases prenatales|clases para dejar de fumar>.',
      ),
      v('Las clases son los <martes|jueves> en la Clínica <San José|Esperanza|de la calle Lincoln>.'),
    ],
  })),
  'es-provider-greeting': es('provider-health-words', (r, v) => {
    const d = clinician(r, 'es');
    return {
      subject: 'Seminario web',
      greeting: `${d.female ? 'Estimada' : 'Estimado'} ${d.title} ${d.name}:`,
      blocks: [
        v(
          'Le recuerdo que el seminario sobre <la prescripción de opioides|la detección de depresión|el VIH y la PrEP> es el {day}. Gracias por aceptar presentar.',
        ),
        v('<Adjunto las diapositivas.|Esperamos unos {n} asistentes.>'),
      ],
    };
  }),
  'es-places': es('names-as-words', (_r, v) => ({
    subject: 'Novedades de la red',
    blocks: [
      v('El Hospital San Rafael y el Centro Médico Santa Fe firmaron la nueva enmienda el {date}.'),
      v(
        'La Clínica Esperanza y la Clínica de la calle Lincoln se incorporan a la red en {month}. ¡Gracias a todos!',
      ),
    ],
  })),
  'es-idioms': es('non-health-sense', (_r, v) => ({
    subject: v('Estado del rezago de reclamos'),
    blocks: [
      v('El rezago de reclamos está en estado crítico; necesitamos el apoyo de todos hasta el {day}.'),
      v(
        'El archivo de prueba dio positivo a errores en UAT y sistemas hizo un chequeo general de la interfaz.',
      ),
      v('La solución es un parche, no una cura; {name} está revisando los lotes rechazados.'),
    ],
  })),
};

export function negative(
  r: Rng,
  f: Frame,
  lang: Lang,
  name: string,
): { subject: string; body: string; kind: NegativeKind } {
  const t = NEGATIVE_TEMPLATES[name]!;
  const parts = t.make(r, (s) => vary(r, lang, s));
  const blocks = parts.blocks.map((b) => (typeof b === 'function' ? b(f) : b));
  return {
    subject: parts.subject,
    body: compose(r, f, lang, { greeting: parts.greeting, blocks }),
    kind: t.kind,
  };
}
