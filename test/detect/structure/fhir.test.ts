import { describe, expect, it } from 'vitest';
import { readFhir } from '../../../src/detect/structure/fhir';
import { prepareHtml } from '../../../src/detect/text/prepare';
import type { EntityType } from '../../../src/shared/entities';
import { ONE_MB, bestOfThree, expectUntyped, fill, typed, zoneOver, type Seen } from './helpers';

const SSN: EntityType[] = ['US_SSN'];
const MRN: EntityType[] = ['MRN'];
const NPI: EntityType[] = ['NPI'];
const MEMBER: EntityType[] = ['MEMBER_ID'];
const MBI: EntityType[] = ['MEDICARE_MBI', 'MEMBER_ID'];
const DOB: EntityType[] = ['DATE_OF_BIRTH'];
const ICD: EntityType[] = ['ICD10'];

interface Sample {
  readonly name: string;
  readonly text: string;
  readonly typed: readonly Seen[];
  readonly untyped: readonly string[];
}

const PATIENT = `{
  "resourceType": "Patient",
  "id": "example-jr",
  "identifier": [
    {
      "use": "usual",
      "type": {
        "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR" }]
      },
      "system": "urn:oid:1.2.36.146.595.217.0.1",
      "value": "MR0048213"
    },
    { "system": "http://hl7.org/fhir/sid/us-ssn", "value": "536-22-1874" },
    { "value": "1EG4TE5MK73", "system": "http://hl7.org/fhir/sid/us-mbi" },
    { "value": "536221874", "type": { "coding": [{ "code": "SS" }], "text": "Social Security" } },
    { "value": "PX-99812" }
  ],
  "name": [{ "family": "Roe", "given": ["Jane", "M"] }],
  "telecom": [{ "system": "phone", "value": "612-555-0199" }],
  "gender": "female",
  "birthDate": "1961-04-12",
  "deceasedBoolean": false,
  "address": [{ "line": ["22 Oak Ave"], "city": "Saint Paul", "state": "MN", "postalCode": "55102" }]
}`;

// Written by a serializer that puts resourceType last and escapes slashes.
const COVERAGE =
  '{"identifier":[{"system":"https:\\/\\/acmehealth.example\\/member","value":"W536221874"}],' +
  '"status":"active","subscriberId":"W536221874-01","beneficiary":{"reference":"Patient\\/example-jr",' +
  '"identifier":{"value":"XJH452190377"}},"period":{"start":"2024-01-01","end":"2024-12-31"},' +
  '"payor":[{"identifier":{"system":"http:\\/\\/hl7.org\\/fhir\\/sid\\/us-npi","value":"1234567893"}}],' +
  '"resourceType":"Coverage"}';

const BUNDLE = `Hi, the claim the portal rejected is below.

{
  "resourceType": "Bundle",
  "type": "collection",
  "entry": [
    {
      "fullUrl": "urn:uuid:1",
      "resource": {
        "resourceType": "Practitioner",
        "identifier": [{ "system": "http://hl7.org/fhir/sid/us-npi", "value": "1547328694" }, { "value": "1982765434" }],
        "name": [{ "family": "Lee", "given": ["Anna"] }]
      }
    },
    {
      "resource": {
        "resourceType": "Condition",
        "code": {
          "coding": [
            { "system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11.9", "display": "Type 2 diabetes" },
            { "system": "http://snomed.info/sct", "code": "44054006" }
          ]
        },
        "subject": { "reference": "urn:uuid:2" },
        "onsetDateTime": "2019-06-01",
        "recordedDate": "2024-03-01T10:15:00Z"
      }
    },
    {
      "resource": {
        "resourceType": "Claim",
        "identifier": [{ "system": "https://northside.example/claims", "value": "PCN4471928" }, { "value": "536221875" }],
        "created": "2024-03-02",
        "patient": { "identifier": { "type": { "coding": [{ "code": "MB" }] }, "value": "W536221874" } },
        "diagnosis": [
          { "sequence": 1, "diagnosisCodeableConcept": { "coding": [{ "code": "I10" }] } },
          { "sequence": 2, "diagnosisCodeableConcept": { "coding": [{ "code": "Z79.4", "system": "http://hl7.org/fhir/sid/icd-10-cm" }] } }
        ],
        "item": [
          {
            "sequence": 1,
            "productOrService": { "coding": [{ "system": "http://www.ama-assn.org/go/cpt", "code": "99213" }] },
            "servicedDate": "2024-03-01",
            "net": { "value": 125.0, "currency": "USD" }
          }
        ]
      }
    },
    {
      "resource": {
        "resourceType": "RelatedPerson",
        "birthDate": "1959-07-22",
        "identifier": [{ "type": { "coding": [{ "code": "TAX" }] }, "value": "412683307" }]
      }
    }
  ]
}

Thanks, Jane`;

const SAMPLES: readonly Sample[] = [
  {
    name: 'Patient with identifiers of every kind',
    text: PATIENT,
    typed: [
      ['MR0048213', MRN],
      ['536-22-1874', SSN],
      ['1EG4TE5MK73', MBI],
      ['536221874', SSN],
      ['PX-99812', MRN],
      ['1961-04-12', DOB],
    ],
    untyped: [],
  },
  {
    name: 'Coverage with resourceType last and escaped slashes',
    text: COVERAGE,
    typed: [
      ['W536221874', MEMBER],
      ['W536221874-01', MEMBER],
      ['1234567893', NPI],
    ],
    untyped: ['2024-01-01', '2024-12-31'],
  },
  {
    name: 'Bundle of Practitioner, Condition, Claim and RelatedPerson inside prose',
    text: BUNDLE,
    typed: [
      ['1547328694', NPI],
      ['1982765434', NPI],
      ['E11.9', ICD],
      ['W536221874', MEMBER],
      ['I10', ICD],
      ['Z79.4', ICD],
      ['1959-07-22', DOB],
      ['412683307', ['US_EIN', 'US_SSN']],
    ],
    untyped: [
      '44054006',
      '2019-06-01',
      '2024-03-01T10:15:00Z',
      'PCN4471928',
      '536221875',
      '2024-03-02',
      '99213',
    ],
  },
];

describe('readFhir: resources', () => {
  for (const s of SAMPLES) {
    it(s.name, () => {
      const zones = readFhir(s.text);
      expect(typed(s.text, zones)).toEqual(s.typed);
      expectUntyped(s.text, zones, s.untyped);
    });
  }

  it('reads birthDate year first', () => {
    const zone = zoneOver(PATIENT, readFhir(PATIENT), '1961-04-12');
    expect(zone?.dateOrder).toBe('year-first');
    expect(zone?.label).toBe('FHIR birthDate');
  });

  it('reads a resource whose whitespace was reformatted', () => {
    const text = PATIENT.replace(/\s+/g, ' ');
    expect(typed(text, readFhir(text)).map(([v]) => v)).toEqual([
      'MR0048213',
      '536-22-1874',
      '1EG4TE5MK73',
      '536221874',
      'PX-99812',
      '1961-04-12',
    ]);
  });

  it('reads a resource pasted into an HTML body', () => {
    const html =
      '<div>See below</div><pre>{\n  "resourceType": "Patient",\n  "birthDate": "1961-04-12",\n' +
      '  "identifier": [{"system": "http://hl7.org/fhir/sid/us-ssn", "value": "536-22-1874"}]\n}</pre>';
    const text = prepareHtml(html).text;
    expect(typed(text, readFhir(text))).toEqual([
      ['1961-04-12', DOB],
      ['536-22-1874', SSN],
    ]);
  });

  it('reads what a resource cut short by the paste says', () => {
    const text =
      '{"resourceType": "Patient", "identifier": [{"system": "http://hl7.org/fhir/sid/us-ssn", "value": "536-22-1874"}], "birthDate": "1961-04-12", "name": [{"fam';
    expect(typed(text, readFhir(text))).toEqual([
      ['536-22-1874', SSN],
      ['1961-04-12', DOB],
    ]);
  });

  it('reads the members of a resource pasted without its opening brace', () => {
    const text = 'copied from the viewer: "resourceType": "Patient", "birthDate": "1961-04-12" }';
    expect(typed(text, readFhir(text))).toEqual([['1961-04-12', DOB]]);
  });

  it('reads two resources pasted one after the other', () => {
    const text =
      '{"resourceType":"Patient","birthDate":"1961-04-12"}\nand the other one:\n' +
      '{"resourceType":"Coverage","subscriberId":"W536221874"}';
    expect(typed(text, readFhir(text))).toEqual([
      ['1961-04-12', DOB],
      ['W536221874', MEMBER],
    ]);
  });

  it('starts at the resource even when prose before it has braces', () => {
    const text = 'Template {name} failed; {see below} {"resourceType":"Patient","birthDate":"1961-04-12"}';
    expect(typed(text, readFhir(text))).toEqual([['1961-04-12', DOB]]);
  });
});

describe('readFhir: text that is not FHIR', () => {
  const negatives: readonly string[] = [
    '{"name": "Jane Roe", "ssn": "536-22-1874", "dob": "1961-04-12"}',
    'The resourceType field is required; birthDate 1961-04-12 was sent.',
    '{"resourceType": "Basic", "code": {"text": "note"}, "identifier": [{"value": "536221874"}]}',
    '| Name | SSN |\n|---|---|\n| Jane | 536-22-1874 |',
    '',
  ];
  for (const text of negatives) {
    it(JSON.stringify(text.slice(0, 60)), () => {
      expect(typed(text, readFhir(text))).toEqual([]);
    });
  }
});

describe('readFhir: linear on hostile input', () => {
  const RT = '{"resourceType":"Patient","birthDate":"1961-04-12"}';
  const inputs: readonly (readonly [string, string])[] = [
    ['nested arrays then a resource', fill('[[[[{', ONE_MB, '', RT)],
    ['nested objects', fill('{"a":', ONE_MB, '', RT)],
    ['"resourceType" repeated', fill('"resourceType"', ONE_MB)],
    ['{"resourceType": repeated', fill('{"resourceType":', ONE_MB)],
    ['open braces', fill('{', ONE_MB, '', RT)],
    ['braces before one marker', fill('{ ', ONE_MB, '', '"resourceType"')],
    ['an unterminated string', fill('x', ONE_MB, '{"resourceType":"')],
    [
      'a long array of identifiers',
      fill('{"value":"536221874"},', ONE_MB, '{"resourceType":"Patient","identifier":[', ']}'),
    ],
    ['resources one after another', fill(RT, ONE_MB)],
  ];
  for (const [name, text] of inputs) {
    it(`${name}: 1 MB in well under a second (linear)`, () => {
      expect(bestOfThree(() => readFhir(text))).toBeLessThan(1000);
    });
  }

  it('still reads a resource after deep nesting', () => {
    const text = fill('[[[[{', ONE_MB, '', RT);
    expect(typed(text, readFhir(text))).toEqual([['1961-04-12', DOB]]);
  });

  it('returns at once without "resourceType"', () => {
    const text = fill('{"a": [1, 2, {"b": "c"}]} ', ONE_MB);
    expect(readFhir(text)).toEqual([]);
    expect(bestOfThree(() => readFhir(text))).toBeLessThan(100);
  });
});
