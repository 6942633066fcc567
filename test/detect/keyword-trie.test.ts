import { describe, expect, it } from 'vitest';
import { KeywordTrie } from '../../src/detect/keyword-trie';

function found(keywords: string[], text: string): string[] {
  const out: string[] = [];
  new KeywordTrie(keywords).each(text, (s, e) => out.push(text.slice(s, e)));
  return out;
}

describe('KeywordTrie', () => {
  it('finds keywords in any case, at word starts only', () => {
    expect(found(['ssn', 'dob'], 'SSN 123, Dob: x, assn, dobbin')).toEqual(['SSN', 'Dob']);
  });

  it('reads a space in a keyword as a space, an underscore, a hyphen or nothing', () => {
    expect(found(['member id'], 'member id / Member_ID / member-id / MemberID / member  id')).toEqual([
      'member id',
      'Member_ID',
      'member-id',
      'MemberID',
    ]);
  });

  it('prefers the longer keyword where both fit', () => {
    expect(found(['account', 'account number'], 'Account Number: 1, account: 2')).toEqual([
      'Account Number',
      'account',
    ]);
  });

  it('takes a plural or a column number after a letter, and then the word must end', () => {
    expect(found(['dob', 'dx'], 'DOBs Dx1 dx_2 dobbs dx12')).toEqual(['DOBs', 'Dx1', 'dx_2']);
  });

  it('lets a keyword ending in a sign run into its number, and one ending in a digit end its word', () => {
    expect(found(['ss#', 'icd10'], 'ss#123456789 icd10 icd100')).toEqual(['ss#', 'icd10']);
  });

  it('matches accented keywords against their capitals', () => {
    expect(found(['número'], 'NÚMERO de socio')).toEqual(['NÚMERO']);
  });

  it('keeps offsets true on a letter whose lower case is longer', () => {
    const text = 'İİ dob 1';
    const hits: [number, number][] = [];
    new KeywordTrie(['dob']).each(text, (s, e) => hits.push([s, e]));
    expect(hits).toEqual([[3, 6]]);
  });
});

describe('KeywordTrie with many keywords sharing a start', () => {
  it('finds each, whether its node finds kids by a table or by a search', () => {
    const keywords = ['re', 'ref', 'rec', 'reg', 'rem', 'rx', 'ré', 'reñ', 'acct', 'acct #'];
    expect(found(keywords, 'ref rec reg REM Rx ré REÑ rez re acct # acct')).toEqual([
      'ref',
      'rec',
      'reg',
      'REM',
      'Rx',
      'ré',
      'REÑ',
      're',
      'acct #',
      'acct',
    ]);
  });
});

describe('KeywordTrie and signs', () => {
  it('passes over signs no keyword starts with, and still finds one that starts with a sign', () => {
    expect(found(['id', '#no'], 'x#no, (id) - [ID]; a #no')).toEqual(['#no', 'id', 'ID']);
  });
});
