/**
 * Languages are data: every type has Spanish labels, dates read day first in
 * Spanish context, month names of every language are read.
 */
import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/detect/index';
import { parseDate } from '../../src/detect/dates';
import { LANGUAGES } from '../../src/detect/lang/index';
import { ENTITY_TYPES } from '../../src/shared/entities';

function found(input: string, kind: 'text' | 'html' = 'text'): [string, string][] {
  return scanText(input, kind)
    .filter((f) => f.type !== 'KEYWORD')
    .map((f) => [f.type, input.slice(f.start, f.end)]);
}

describe('language data', () => {
  it.each(LANGUAGES.map((l) => [l.code, l] as const))(
    '%s labels every type and names twelve months',
    (_code, l) => {
      for (const type of ENTITY_TYPES) expect(l.labels[type]?.length ?? 0, type).toBeGreaterThan(0);
      expect(l.months).toHaveLength(12);
      expect(l.digitWords).toHaveLength(10);
    },
  );
});

describe('Spanish', () => {
  it.each([
    ['Número de seguro social: 536-22-1874', 'US_SSN', '536-22-1874'],
    ['Fecha de nacimiento: 25/03/1958', 'DATE_OF_BIRTH', '25/03/1958'],
    ['El paciente nació el 12 de marzo de 1958.', 'DATE_OF_BIRTH', '12 de marzo de 1958'],
    ['Número de afiliado: W123456789', 'MEMBER_ID', 'W123456789'],
    ['Número de expediente: 3155753', 'MRN', '3155753'],
    ['Número de ruta: 266784791', 'ABA_ROUTING', '266784791'],
    ['Número de cuenta: 68648953671636', 'US_BANK_ACCOUNT', '68648953671636'],
    ['Diagnóstico principal: E11.65', 'ICD10', 'E11.65'],
    ['Diagnostico principal: E11.65', 'ICD10', 'E11.65'],
    ['Número de identificación tributaria: 12-3456789', 'US_EIN', '12-3456789'],
  ])('%s', (input, type, raw) => {
    expect(found(input)).toEqual([[type, raw]]);
  });

  it('a date under a Spanish header reads day first', () => {
    const tsv = 'Nombre\tFecha de nacimiento\nPEREZ, ANA\t12/03/1958\n';
    const [finding] = scanText(tsv, 'text');
    expect(finding?.type).toBe('DATE_OF_BIRTH');
  });

  it('Spanish harmless labels keep their numbers harmless', () => {
    expect(found('Número de reclamo: 536221874. Teléfono: 555-201-3344. Factura 4111111111111111')).toEqual(
      [],
    );
  });
});

describe('dates', () => {
  it.each([
    ['12/03/1958', 'day-first', { year: 1958, month: 3, day: 12 }],
    ['12/03/1958', 'month-first', { year: 1958, month: 12, day: 3 }],
    ['03/25/1958', 'day-first', { year: 1958, month: 3, day: 25 }],
    ['19580312', 'year-first', { year: 1958, month: 3, day: 12 }],
    ['12 de marzo de 1958', undefined, { year: 1958, month: 3, day: 12 }],
    ['3 ago 1990', undefined, { year: 1990, month: 8, day: 3 }],
  ] as const)('%s read %s', (value, order, date) => {
    expect(parseDate(value, order)).toEqual(date);
  });
});
