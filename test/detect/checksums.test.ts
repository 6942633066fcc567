import { describe, expect, it } from 'vitest';
import {
  abaValid,
  cardNetwork,
  deaValid,
  einValid,
  ibanValid,
  itinValid,
  luhnValid,
  mbiValid,
  npiValid,
  ssnValid,
} from '../../src/detect/checksums';

describe('checksums', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['378282246310005', true],
    ['79927398713', true],
    ['79927398710', false],
  ])('luhn %s → %s', (digits, ok) => {
    expect(luhnValid(digits)).toBe(ok);
  });

  it.each([
    ['4111111111111111', 'Visa'],
    ['5555555555554444', 'Mastercard'],
    ['2223003122003222', 'Mastercard'],
    ['378282246310005', 'American Express'],
    ['6011111111111117', 'Discover'],
    ['3530111333300000', 'JCB'],
    ['30569309025904', 'Diners Club'],
    ['411111111111111', undefined],
    ['9111111111111111', undefined],
  ])('card network of %s is %s', (digits, network) => {
    expect(cardNetwork(digits)).toBe(network);
  });

  it.each([
    ['1234567893', true], // the CMS example
    ['1234567890', false],
    ['3234567893', false], // must start with 1 or 2
  ])('NPI %s → %s', (digits, ok) => {
    expect(npiValid(digits)).toBe(ok);
  });

  it.each([
    ['011000015', true],
    ['021000021', true],
    ['011000016', false],
    ['131000015', false], // prefix 13 is not a Federal Reserve district
  ])('ABA %s → %s', (digits, ok) => {
    expect(abaValid(digits)).toBe(ok);
  });

  it.each([
    ['AB1234563', true],
    ['AB1234564', false],
    ['ZB1234563', false], // Z is not a registrant type
    ['A91234563', true],
  ])('DEA %s → %s', (value, ok) => {
    expect(deaValid(value)).toBe(ok);
  });

  it.each([
    ['1EG4TE5MK73', true], // the CMS example
    ['1EG4TE5MK7', false],
    ['0EG4TE5MK73', false], // first character 1-9
    ['1SG4TE5MK73', false], // S is never used
    ['1EG4TE5M173', false],
  ])('MBI %s → %s', (value, ok) => {
    expect(mbiValid(value)).toBe(ok);
  });

  it.each([
    ['536221874', true],
    ['000221874', false],
    ['666221874', false],
    ['936221874', false],
    ['536001874', false],
    ['536220000', false],
    ['078051120', false], // the Woolworth wallet number
    ['111111111', false],
  ])('SSN %s → %s', (digits, ok) => {
    expect(ssnValid(digits)).toBe(ok);
  });

  it.each([
    ['912701234', true],
    ['912931234', false], // group 93 is not an ITIN group
    ['912491234', false],
    ['812701234', false],
  ])('ITIN %s → %s', (digits, ok) => {
    expect(itinValid(digits)).toBe(ok);
  });

  it.each([
    ['121234567', true],
    ['071234567', false],
    ['001234567', false],
  ])('EIN %s → %s', (digits, ok) => {
    expect(einValid(digits)).toBe(ok);
  });

  it.each([
    ['GB82WEST12345698765432', true],
    ['GB82WEST12345698765433', false],
    ['DE89370400440532013000', true],
    ['DE8937040044053201300', false], // wrong length for Germany
    ['XX82WEST12345698765432', false],
  ])('IBAN %s → %s', (value, ok) => {
    expect(ibanValid(value)).toBe(ok);
  });
});
