/**
 * Values judged by the layout they sit in: a column's header, a report's
 * titles, a key before its value. Each row: a message, and the exact
 * [type, raw text] pairs the engine must report (nothing else).
 */
import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/detect/index';

type Pair = [string, string];

function found(input: string, kind: 'text' | 'html' = 'text'): Pair[] {
  return scanText(input, kind)
    .filter((f) => f.type !== 'KEYWORD')
    .sort((a, b) => a.start - b.start)
    .map((f) => [f.type, input.slice(f.start, f.end)]);
}

const excelPaste =
  `<table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0 style='border-collapse:collapse'>\n` +
  ` <tr style='height:15.0pt'>\n  <td nowrap style='mso-number-format:"\\@"'><p class=MsoNormal><b><span style='color:black'>Member ID<o:p></o:p></span></b></p></td>\n` +
  `  <td></td>\n  <td nowrap><p class=MsoNormal><b>Date of Birth</b></p></td>\n  <td nowrap><p class=MsoNormal><b>Claim #</b></p></td>\n  <td><p class=MsoNormal><b>Billed</b></p></td>\n </tr>\n` +
  ` <tr>\n  <td><p class=MsoNormal><span>XKQ40211873<o:p></o:p></span></p></td>\n  <td></td>\n  <td><p class=MsoNormal>04/19/1961</p></td>\n  <td><p class=MsoNormal>4111111111111111</p></td>\n  <td><p class=MsoNormal>1,250.00</p></td>\n </tr>\n` +
  `</table>`;

describe('tables in HTML', () => {
  it('reads a header row of ordinary cells, with spacer columns, mso styles and <o:p>', () => {
    expect(found(excelPaste, 'html')).toEqual([
      ['MEMBER_ID', 'XKQ40211873'],
      ['DATE_OF_BIRTH', '04/19/1961'],
    ]);
  });

  it('keeps columns aligned past a header cell that spans two columns', () => {
    const html =
      '<table><tr><td colspan="2">Name</td><td>Claim #</td><td>SSN</td></tr>' +
      '<tr><td>DOE</td><td>JANE</td><td>536221874</td><td>442739745</td></tr></table>';
    expect(found(html, 'html')).toEqual([['US_SSN', '442739745']]);
  });

  it('reads a data table nested in a layout table', () => {
    const html =
      '<table><tr><td><p>Hello,</p><table><tr><td>NPI</td><td>Name</td></tr>' +
      '<tr><td>1245319599</td><td>Clinic</td></tr></table></td></tr></table>';
    expect(found(html, 'html')).toEqual([['NPI', '1245319599']]);
  });

  it('a value under a header is judged by the header, not by words elsewhere', () => {
    const html =
      '<p>Member ID questions: see below.</p><table><tr><td>Claim Number</td><td>Status</td></tr>' +
      '<tr><td>W20240311977</td><td>Paid</td></tr></table>';
    expect(found(html, 'html')).toEqual([]);
  });
});

describe('delimited text', () => {
  it('reads tab-separated rows pasted from a spreadsheet', () => {
    expect(found('Name\tMRN\tDOB\nDOE, JANE\t3155753\t03/14/1962\n')).toEqual([
      ['MRN', '3155753'],
      ['DATE_OF_BIRTH', '03/14/1962'],
    ]);
  });

  it('a finding in a table says its row and column header', () => {
    const [, second] = scanText('Name\tSSN\nDOE, JANE\t536-22-1874\nROE, RICK\t442-73-9745\n', 'text');
    expect(second?.explanation).toMatch(/row 2, column 'SSN'/);
    expect(second?.explanation).not.toContain('442');
  });

  it('a sentence with semicolons is not a table', () => {
    expect(found('Notes: pending; on file; 03/14/1962 was the visit\nClaim; 536221874; paid')).toEqual([]);
  });

  it('reads RFC 4180 comma-separated rows with quoted commas', () => {
    expect(
      found('Name,Subscriber ID,Paid\n"DOE, JANE",H87231190,"1,204.10"\n"ROE, RICK",H12093344,0.00\n'),
    ).toEqual([
      ['MEMBER_ID', 'H87231190'],
      ['MEMBER_ID', 'H12093344'],
    ]);
  });

  it('reads bar-separated rows', () => {
    expect(found('Patient|Tax ID|Amount\nDOE|12-3456789|100.00\n')).toEqual([['US_EIN', '12-3456789']]);
  });

  it('does not read prose with commas as a table', () => {
    expect(
      found('Hi Ann, thanks, the batch 482281962 posted, so we are done.\nRegards, Bob, Claims, Plan'),
    ).toEqual([]);
  });

  it('money columns are amounts, not card numbers', () => {
    expect(found('Billed\tAllowed\tPaid\n4111111111111111\t3,400.50\t2,210.75\n')).toEqual([]);
  });
});

describe('reports aligned with spaces', () => {
  const report = [
    'SUNSTATE HEALTH                 REMITTANCE ADVICE            PAGE 1',
    '',
    'PATIENT NAME      MEMBER #        SOC SEC NO    BILLED AMT   CLAIM #',
    '----------------  --------------  -----------  -----------  ---------------',
    'DOE, JANE         VOCW38910191    442739745       4,725.71  20240311977001',
    '',
    'ROE, RICHARD      H091498085      846461166         305.00  20240311977002',
    '',
    'Thank you.',
  ].join('\n');

  it('reads each value under its title, across empty lines', () => {
    expect(found(report)).toEqual([
      ['MEMBER_ID', 'VOCW38910191'],
      ['US_SSN', '442739745'],
      ['MEMBER_ID', 'H091498085'],
      ['US_SSN', '846461166'],
    ]);
  });

  it('reads a report inside <pre> with its lines', () => {
    const html = `<p>See below.</p><pre style="font-family:Consolas">${report}</pre>`;
    expect(found(html, 'html').map(([t]) => t)).toEqual(['MEMBER_ID', 'US_SSN', 'MEMBER_ID', 'US_SSN']);
  });
});

describe('key/value blocks', () => {
  it('a key labels its value past a leader of dots or underscores', () => {
    expect(
      found(
        'Member ID ........................................ X1234567\nDOB ________________________________________ 1962-03-14',
      ),
    ).toEqual([
      ['MEMBER_ID', 'X1234567'],
      ['DATE_OF_BIRTH', '1962-03-14'],
    ]);
  });

  it('the value ends before the next key on the line', () => {
    expect(found('Member ID: W1234567 DOB: 03/14/1962')).toEqual([
      ['MEMBER_ID', 'W1234567'],
      ['DATE_OF_BIRTH', '03/14/1962'],
    ]);
  });

  it("a form's field of no known kind owns its value: a label on another line does not reach into it", () => {
    const form = 'Received Date _____ February 17, 2024\nBirth Date _____ 03.08.2000';
    expect(found(form)).toEqual([['DATE_OF_BIRTH', '03.08.2000']]);
  });

  it('a harmless key keeps its value harmless', () => {
    expect(found('Claim #: 536221874\nPhone: (214) 519-2868')).toEqual([]);
  });
});

describe('precedence and look-alikes', () => {
  it('a value passing the MBI rules is an MBI even under member-ID wording', () => {
    expect(found('Member ID: 1EG4-TE5-MK73')).toEqual([['MEDICARE_MBI', '1EG4-TE5-MK73']]);
  });

  it.each([
    ['an NDC code', 'NDC 0002-8215-01 dispensed'],
    ['a HCPCS code under its label', 'Diagnosis pending; HCPCS J1100 billed'],
    ['a CMS contract-plan number', 'Plan ID: H1234-001'],
    ['a phone number after a Member Services signature', 'Member Services | Plan\nP (214) 519-2868'],
    ['a trace number', 'Trace number 1234567890 for the EFT'],
    ['amounts in a row', 'Totals: 1250.00  3400.50 2210.75 4111.11'],
  ])('%s is not reported', (_name, input) => {
    expect(found(input)).toEqual([]);
  });
});
