/**
 * `hl7` (v2 messages) and `fhir` (JSON resources) pasted into mail, labelled
 * by field and element meaning.
 */
import { compose, frame, lineRaw, OUTROS } from './common';
import { esc, mark } from './doc';
import type { Rng } from './rng';
import type { Template } from './types';
import {
  cap,
  CITIES,
  d8,
  dashed9,
  icd,
  isoDate,
  mbi,
  memberId,
  mrn,
  npi,
  person,
  PAYERS,
  phone,
  PRACTICES,
  recentDate,
  safeDigits,
  ssnDigits,
  STREETS,
  type Person,
} from './values';

// ---------- HL7 v2 ----------

function seg(name: string, fields: Record<number, string | undefined>): string {
  const max = Math.max(...Object.keys(fields).map(Number));
  const out: string[] = [name];
  for (let i = 1; i <= max; i++) out.push(fields[i] ?? '');
  return out.join('|');
}

function ts(r: Rng, d: [number, number, number]): string {
  return (
    d8(d) +
    `${String(r.int(6, 20)).padStart(2, '0')}${String(r.int(0, 59)).padStart(2, '0')}${r.chance(0.5) ? '00' : ''}`
  );
}

function msh(r: Rng, type: string, date: string): string {
  return `MSH|^~\\&|${r.pick(['EPIC', 'CERNER', 'MEDITECH', 'ATHENA'])}|${r.pick(['HOSP', 'CLINIC01', 'SLMC'])}|${r.pick(['PHCPN', 'HIE', 'CAREMGMT'])}|${r.pick(['PLAN', 'UM', 'HIE'])}|${date}||${type}|${r.letters(3)}${r.digits(8)}|P|${r.pick(['2.3', '2.4', '2.5.1'])}`;
}

function xad(r: Rng): string {
  const [city, st, zip] = r.pick(CITIES);
  return `${r.int(100, 9999)} ${r.pick(STREETS)}^^${city}^${st}^${zip}`;
}

function xcn(r: Rng, sensitive: boolean): string {
  const last = r.pick(['SMITH', 'PATEL', 'NGUYEN', 'OKAFOR', 'CHEN']);
  const first = r.pick(['ANNA', 'RAJ', 'MINH', 'CHIDI', 'WEI']);
  return sensitive
    ? `${mark('NPI', npi(r))}^${last}^${first}^^^^MD^^^^^^NPI`
    : `${r.digits(5)}^${last}^${first}^^^^MD`;
}

function pid(r: Rng, p: Person, sensitive: boolean): string {
  const ids: string[] = [];
  if (sensitive) {
    ids.push(`${mark('MRN', mrn(r))}^^^${r.pick(['HOSP', 'SLMC', 'MRN'])}^MR`);
    if (r.chance(0.3)) ids.push(`${mark('MEMBER_ID', memberId(r))}^^^${r.pick(['PHCPN', 'PLAN'])}^MB`);
    if (r.chance(0.2)) ids.push(`${mark('US_SSN', ssnDigits(r))}^^^SSA^SS`);
  } else ids.push(`^^^${r.pick(['HOSP', 'SLMC'])}^MR`);
  const fields: Record<number, string> = {
    1: '1',
    3: ids.join('~'),
    5: `${p.last}^${p.first}^${r.letters(1)}`,
    8: p.sex,
    11: xad(r),
    13: `^PRN^PH^^^${r.digits(3)}^${r.digits(7)}`,
    18: `V${r.digits(8)}`,
  };
  if (sensitive) fields[7] = mark('DATE_OF_BIRTH', d8(p.dob));
  if (sensitive && r.chance(0.5))
    fields[19] = mark('US_SSN', r.chance(0.5) ? dashed9(ssnDigits(r)) : ssnDigits(r));
  return seg('PID', fields);
}

function in1(r: Rng, p: Person, sensitive: boolean): string {
  const f: Record<number, string> = {
    1: '1',
    2: `PLAN${r.digits(3)}`,
    3: r.digits(5),
    4: r.pick(PAYERS),
    5: xad(r),
    7: phone(r),
    8: `GRP${r.digits(5)}`,
    12: d8(recentDate(r)),
    15: r.pick(['HMO', 'MCD', 'MCR']),
    16: `${p.last}^${p.first}`,
    17: '01',
  };
  if (sensitive) {
    f[18] = mark('DATE_OF_BIRTH', d8(p.dob));
    if (r.chance(0.7)) f[36] = mark('MEMBER_ID', memberId(r));
    else f[49] = mark('MEMBER_ID', memberId(r));
  }
  return seg('IN1', f);
}

function hl7Message(r: Rng, type: string, sensitive: boolean): string[] {
  const p = person(r);
  const date = ts(r, recentDate(r));
  const out = [msh(r, type, date)];
  if (type.startsWith('ACK')) {
    out.push(
      `MSA|${r.pick(['AA', 'AE', 'AR'])}|${r.letters(3)}${r.digits(8)}|${r.pick(['', 'Required field missing: PID-3', 'Unknown facility', 'Duplicate message'])}`,
    );
    if (r.chance(0.5))
      out.push(
        `ERR|^^^${r.pick(['101', '102', '207'])}&${r.pick(['Required field missing', 'Data type error', 'Application internal error'])}&HL70357|PID^1^3|E`,
      );
    return out;
  }
  out.push(`EVN|${type.split('^')[1] ?? ''}|${date}`);
  out.push(pid(r, p, sensitive));
  if (sensitive && r.chance(0.35)) {
    const n = person(r);
    out.push(
      seg('NK1', {
        1: '1',
        2: `${n.last}^${n.first}`,
        3: r.pick(['SPO', 'MTH', 'FTH', 'CHD']),
        4: xad(r),
        5: phone(r),
        ...(r.chance(0.5) ? { 16: mark('DATE_OF_BIRTH', d8(n.dob)) } : { 37: mark('US_SSN', ssnDigits(r)) }),
      }),
    );
  }
  out.push(
    seg('PV1', {
      1: '1',
      2: r.pick(['I', 'O', 'E']),
      3: `${r.pick(['4W', 'ED', 'ICU', 'CLIN'])}^${r.int(100, 499)}^${r.int(1, 2)}`,
      7: xcn(r, sensitive),
      ...(r.chance(0.5) ? { 8: xcn(r, sensitive) } : {}),
      10: r.pick(['MED', 'SUR', 'CAR']),
      19: `V${r.digits(8)}`,
      44: ts(r, recentDate(r)),
    }),
  );
  if (type.startsWith('ORU')) {
    out.push(`ORC|RE|${r.digits(8)}|${r.digits(8)}`);
    out.push(
      `OBR|1|${r.digits(8)}|${r.digits(8)}|${r.pick(['4548-4^Hemoglobin A1c^LN', '2345-7^Glucose^LN', '24323-8^Comprehensive metabolic panel^LN'])}|||${ts(r, recentDate(r))}`,
    );
    out.push(`OBX|1|NM|4548-4^Hemoglobin A1c^LN||${(r.int(50, 120) / 10).toFixed(1)}|%|4.0-5.6|H|||F`);
  }
  if (sensitive || r.chance(0.5)) {
    for (let i = 1; i <= r.int(1, 3); i++) {
      const c = icd(r);
      out.push(
        seg('DG1', {
          1: String(i),
          2: 'I10',
          3: sensitive ? `${mark('ICD10', c[0])}^${c[1]}^I10` : `^^I10`,
          4: sensitive ? c[1] : '',
          6: r.pick(['A', 'W', 'F']),
        }),
      );
      if (!sensitive) break;
    }
  }
  if (sensitive && r.chance(0.4)) {
    const g = person(r);
    out.push(
      seg('GT1', {
        1: '1',
        3: `${g.last}^${g.first}`,
        5: xad(r),
        6: phone(r),
        8: mark('DATE_OF_BIRTH', d8(g.dob)),
        9: g.sex,
        11: r.pick(['SEL', 'SPO', 'PAR']),
        ...(r.chance(0.6) ? { 12: mark('US_SSN', ssnDigits(r)) } : {}),
      }),
    );
  }
  if (sensitive || r.chance(0.4)) out.push(in1(r, p, sensitive));
  if (type.startsWith('DFT'))
    out.push(`FT1|1|||${d8(recentDate(r))}||CG|${r.pick(['99213', '99214', '80053'])}^^CPT||1`);
  return out;
}

const HL7_TYPES = ['ADT^A01', 'ADT^A04', 'ADT^A08', 'ORU^R01', 'DFT^P03', 'ACK^A08'];

const hl7 =
  (type: string): Template =>
  (r, sensitive) => {
    const f = frame(r, 0.3);
    const s = sensitive && !type.startsWith('ACK');
    const msg = hl7Message(r, type, s);
    const nl = r.pick(['\n', '\r\n', '\r\n', '\n']);
    let payload: string;
    if (!f.html) payload = msg.join(nl) + '\n';
    else
      payload = msg
        .map((l) => lineRaw(f, `<span style="font-family:Consolas,monospace">${esc(l)}</span>`))
        .join('');
    const intro = r.pick([
      `The interface sent us this ${type.split('^')[0]} message:`,
      'Here is the HL7 from the feed - the member did not match.',
      'Raw HL7 below for troubleshooting:',
      'This message errored in our engine; copy below.',
      'Can you confirm the fields in this ADT?',
    ]);
    return {
      subject: r.pick([
        'HL7 feed issue',
        'ADT mismatch',
        'RE: interface error',
        `${type} message`,
        'Interface troubleshooting',
      ]),
      body: compose(r, f, [intro], payload, r.chance(0.5) ? [r.pick(OUTROS)] : []),
      html: f.html,
    };
  };

export const HL7_TEMPLATES: Record<string, Template> = Object.fromEntries(
  HL7_TYPES.map((t) => [`hl7-${t.replace('^', '-').toLowerCase()}`, hl7(t)]),
);

// ---------- FHIR ----------

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

const V2 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

function patient(r: Rng, p: Person, sensitive: boolean): Json {
  const identifier: Json[] = [];
  if (sensitive) {
    identifier.push({
      use: 'usual',
      type: { coding: [{ system: V2, code: 'MR', display: 'Medical record number' }] },
      system: `urn:oid:1.2.840.114350.1.13.${r.int(100, 999)}.2.7.5.737384.14`,
      value: mark('MRN', mrn(r)),
    });
    if (r.chance(0.4))
      identifier.push({
        system: 'http://hl7.org/fhir/sid/us-ssn',
        value: mark('US_SSN', r.chance(0.5) ? ssnDigits(r) : dashed9(ssnDigits(r))),
      });
    if (r.chance(0.3))
      identifier.push({
        type: { coding: [{ system: V2, code: 'MB' }] },
        system: 'https://phcpn.example/member-id',
        value: mark('MEMBER_ID', memberId(r)),
      });
    if (r.chance(0.2))
      identifier.push({ system: 'http://hl7.org/fhir/sid/us-mbi', value: mark('MEDICARE_MBI', mbi(r)) });
  }
  const res: Record<string, Json> = {
    resourceType: 'Patient',
    id: `${r.letters(1).toLowerCase()}${r.digits(6)}`,
  };
  if (identifier.length > 0) res.identifier = identifier;
  res.active = true;
  res.name = [{ use: 'official', family: cap(p.last), given: [cap(p.first)] }];
  res.telecom = [{ system: 'phone', value: phone(r), use: 'home' }];
  res.gender = p.sex === 'M' ? 'male' : 'female';
  if (sensitive) res.birthDate = mark('DATE_OF_BIRTH', isoDate(p.dob));
  const [city, st, zip] = r.pick(CITIES);
  res.address = [
    { line: [`${r.int(100, 9999)} ${cap(r.pick(STREETS))}`], city: cap(city), state: st, postalCode: zip },
  ];
  return res;
}

function coverage(r: Rng, sensitive: boolean): Json {
  const res: Record<string, Json> = { resourceType: 'Coverage', id: `cov-${r.digits(5)}`, status: 'active' };
  if (sensitive) {
    if (r.chance(0.4))
      res.identifier = [
        { type: { coding: [{ system: V2, code: 'MB' }] }, value: mark('MEMBER_ID', memberId(r)) },
      ];
    res.subscriberId = mark('MEMBER_ID', memberId(r));
  }
  res.beneficiary = { reference: `Patient/${r.digits(6)}` };
  res.relationship = { coding: [{ code: 'self' }] };
  res.period = { start: isoDate(recentDate(r)) };
  res.payor = [{ display: r.pick(PAYERS) }];
  res.class = [{ type: { coding: [{ code: 'group' }] }, value: `GRP${r.digits(5)}` }];
  return res;
}

function condition(r: Rng, sensitive: boolean): Json {
  const c = icd(r);
  return {
    resourceType: 'Condition',
    id: `cond-${r.digits(5)}`,
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
    },
    code: sensitive
      ? {
          coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: mark('ICD10', c[0]), display: c[1] }],
          text: c[1],
        }
      : { text: r.pick(['Follow-up visit', 'Annual wellness', 'Screening']) },
    subject: { reference: `Patient/${r.digits(6)}` },
    recordedDate: isoDate(recentDate(r)),
  };
}

function practitioner(r: Rng, sensitive: boolean): Json {
  return {
    resourceType: 'Practitioner',
    id: `pr-${r.digits(4)}`,
    ...(sensitive
      ? { identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: mark('NPI', npi(r)) }] }
      : {}),
    name: [
      {
        family: cap(r.pick(['SMITH', 'PATEL', 'NGUYEN'])),
        given: [cap(r.pick(['ANNA', 'RAJ', 'MINH']))],
        prefix: ['Dr.'],
      },
    ],
  };
}

function negativeResource(r: Rng): Json {
  switch (r.int(0, 2)) {
    case 0:
      return {
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'error',
            code: r.pick(['invalid', 'not-found', 'processing']),
            diagnostics: r.pick([
              'Patient.identifier: minimum required = 1, but only found 0',
              'Resource Coverage/cov-' + r.digits(5) + ' is not known',
              'Unable to resolve reference',
            ]),
            expression: ['Patient.identifier'],
          },
        ],
      };
    case 1:
      return {
        resourceType: 'Location',
        id: `loc-${r.digits(4)}`,
        name: cap(r.pick(PRACTICES)),
        telecom: [
          { system: 'phone', value: phone(r) },
          { system: 'fax', value: phone(r) },
        ],
        address: { city: cap(r.pick(CITIES)[0]), state: 'AZ' },
      };
    default:
      return {
        resourceType: 'ChargeItemDefinition',
        id: `cid-${r.digits(4)}`,
        status: 'active',
        code: {
          coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: r.pick(['99213', '99214', '93000']) }],
        },
        propertyGroup: [
          { priceComponent: [{ type: 'base', amount: { value: r.int(40, 400), currency: 'USD' } }] },
        ],
        identifier: [{ value: safeDigits(r, 9) }],
      };
  }
}

const fhir =
  (shape: 'patient' | 'coverage' | 'bundle' | 'condition' | 'practitioner-min'): Template =>
  (r, sensitive) => {
    const f = frame(r, 0.25);
    const p = person(r);
    let obj: Json;
    if (!sensitive)
      obj =
        shape === 'bundle'
          ? {
              resourceType: 'Bundle',
              type: 'searchset',
              total: 0,
              entry: [{ resource: negativeResource(r) }],
            }
          : negativeResource(r);
    else if (shape === 'patient') obj = patient(r, p, true);
    else if (shape === 'coverage') obj = coverage(r, true);
    else if (shape === 'condition') obj = condition(r, true);
    else if (shape === 'practitioner-min') obj = practitioner(r, true);
    else
      obj = {
        resourceType: 'Bundle',
        type: r.pick(['collection', 'searchset', 'transaction']),
        entry: [
          patient(r, p, true),
          coverage(r, true),
          ...(r.chance(0.6) ? [condition(r, true)] : []),
          ...(r.chance(0.4) ? [practitioner(r, true)] : []),
        ].map((res) => ({ fullUrl: `urn:uuid:${r.digits(8)}-${r.digits(4)}`, resource: res })),
      };
    const json =
      shape === 'practitioner-min' ? JSON.stringify(obj) : JSON.stringify(obj, null, r.pick([2, 2, 4, '\t']));
    let payload: string;
    if (!f.html) payload = json + '\n';
    else if (f.style === 'owa') payload = `<pre style="font-family:Consolas,monospace">${esc(json)}</pre>\n`;
    else
      payload = json
        .split('\n')
        .map((l) =>
          lineRaw(
            f,
            `<span style='font-family:"Courier New"'>${esc(l).replace(/^ +/, (m) => '&nbsp;'.repeat(m.length))}</span>`,
          ),
        )
        .join('');
    const intro = r.pick([
      'The API returned this resource - does it look right to you?',
      'Here is the FHIR payload from the patient access API:',
      'Response body from the payer-to-payer exchange:',
      'This came back from the FHIR endpoint:',
      'JSON from the developer sandbox below.',
    ]);
    return {
      subject: r.pick([
        'FHIR API question',
        'RE: Patient access API',
        'Interop test',
        'Payer-to-payer payload',
        'FHIR response',
      ]),
      body: compose(r, f, [intro], payload, r.chance(0.5) ? [r.pick(OUTROS)] : []),
      html: f.html,
    };
  };

export const FHIR_TEMPLATES: Record<string, Template> = {
  'fhir-patient': fhir('patient'),
  'fhir-coverage': fhir('coverage'),
  'fhir-bundle': fhir('bundle'),
  'fhir-condition': fhir('condition'),
  'fhir-practitioner-minified': fhir('practitioner-min'),
};
