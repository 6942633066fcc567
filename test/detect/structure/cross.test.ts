/**
 * Each reader keeps to its own format: HL7 segments with `|` are not X12, an
 * X12 fragment with `|` is not HL7, and neither is FHIR.
 */
import { describe, expect, it } from 'vitest';
import { readFhir } from '../../../src/detect/structure/fhir';
import { readHl7 } from '../../../src/detect/structure/hl7';
import { readX12 } from '../../../src/detect/structure/x12';

const HL7 = [
  'MSH|^~\\&|BILLING|NORTHSIDE|ACMEHP|ACME|20240318101500||DFT^P03|DFT00912|P|2.5.1',
  'PID|1||MR0048213^^^NORTHSIDE^MR~536221874^^^SSA^SS||ROE^JANE||19610412|F',
  'NTE|1||Patient called about the bill',
  'DG1|1||E11.9^Type 2 diabetes^I10',
].join('\r\n');

const X12 =
  'ST|271|0001|005010X279A1~NM1|IL|1|ROE|JANE||||MI|W536221874~REF|SY|536221874~DMG|D8|19610412|F~SE|5|0001~';

const FHIR =
  '{"resourceType":"Patient","identifier":[{"system":"http://hl7.org/fhir/sid/us-ssn","value":"536-22-1874"}]}';

describe('readers keep to their own format', () => {
  it('X12 finds nothing in HL7 or FHIR', () => {
    expect(readX12(HL7)).toEqual([]);
    expect(readX12(FHIR)).toEqual([]);
  });

  it('HL7 finds nothing in X12 with bars or FHIR', () => {
    expect(readHl7(X12)).toEqual([]);
    expect(readHl7(FHIR)).toEqual([]);
  });

  it('FHIR finds nothing in X12 or HL7', () => {
    expect(readFhir(X12)).toEqual([]);
    expect(readFhir(HL7)).toEqual([]);
  });
});
