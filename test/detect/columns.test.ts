import { describe, expect, it } from 'vitest';
import { scanMessage, scanText } from '../../src/detect/index';
import { findColumns } from '../../src/detect/columns';

const typesIn = (raw: string, kind: 'text' | 'html'): [string, string][] =>
  scanText(raw, kind).map((f) => [f.type, raw.slice(f.start, f.end)]);

describe('findColumns', () => {
  it('finds the header cell above each cell of a tab-separated block', () => {
    const text = 'Name\tSSN\nJane\t536-22-1874\n\nafter';
    const columns = findColumns(text)!;
    const header = columns.headerOf(text.indexOf('536'));
    expect(text.slice(...header!)).toBe('SSN');
    expect(columns.headerOf(text.indexOf('after'))).toBeUndefined();
  });

  it('takes no header from a first row that holds values', () => {
    expect(findColumns('536-22-1874\t04/12/1961\n412-68-3307\t09/30/1988')).toBeUndefined();
  });

  it('has nothing to say about text without tabs', () => {
    expect(findColumns('SSN 536-22-1874')).toBeUndefined();
  });
});

describe('values read under their column header', () => {
  it('in an Outlook table whose cells wrap their text in paragraphs', () => {
    const html =
      '<table><tr><td><p class=MsoNormal>Member</p></td><td><p class=MsoNormal>SSN</p></td>' +
      '<td><p class=MsoNormal>DOB</p></td><td><p class=MsoNormal>Routing</p></td></tr>' +
      '<tr><td><p class=MsoNormal>Jane Roe</p></td><td><p class=MsoNormal>536221874</p></td>' +
      '<td><p class=MsoNormal>04/12/1961</p></td><td><p class=MsoNormal>011000015</p></td></tr></table>';
    expect(typesIn(html, 'html')).toEqual([
      ['US_SSN', '536221874'],
      ['DATE_OF_BIRTH', '04/12/1961'],
      ['ABA_ROUTING', '011000015'],
    ]);
  });

  it('in rows pasted from a spreadsheet', () => {
    const text =
      'Name\tSSN\tDOB\tAccount\nJane Roe\t536221874\t04/12/1961\t4070159361\nJohn Doe\t412683307\t09/30/1988\t27375093073';
    expect(typesIn(text, 'text').map(([t]) => t)).toEqual([
      'US_SSN',
      'DATE_OF_BIRTH',
      'US_BANK_ACCOUNT',
      'US_SSN',
      'DATE_OF_BIRTH',
      'US_BANK_ACCOUNT',
    ]);
  });

  it('and a harmless header keeps a look-alike harmless', () => {
    const text = 'Ticket\tOpened\n482281962\t03/01/2024\n';
    expect(typesIn(text, 'text')).toEqual([]);
  });
});

describe('CSV attachments', () => {
  it('read each value under its header, however far down the file', () => {
    const rows = ['member_id,name,ssn,dob,city'];
    for (let i = 0; i < 40; i++)
      rows.push(`W${8279655320 + i},Member ${i},536-22-${1000 + i},04/12/1961,Tucson`);
    const result = scanMessage({
      body: 'roster attached',
      attachments: [{ name: 'roster.csv', contentType: 'text/csv', text: rows.join('\n') }],
    });
    expect(result.counts).toEqual({ MEMBER_ID: 40, US_SSN: 40, DATE_OF_BIRTH: 40 });
  });
});
