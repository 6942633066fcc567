import { describe, expect, it } from 'vitest';
import { scanMessage, type MessageInput } from '../../src/detect/index';
import { buildReport, formatReadable, lineAndColumn, verdict, viewFinding } from '../../src/cli/report';

describe('lineAndColumn', () => {
  it.each([
    ['abc', 0, 1, 1],
    ['abc', 2, 1, 3],
    ['a\nbc', 2, 2, 1],
    ['a\r\nb\r\nxyz', 7, 3, 2],
  ])('%j at %i is %i:%i', (text, offset, line, column) => {
    expect(lineAndColumn(text, offset)).toEqual({ line, column });
  });
});

describe('viewFinding', () => {
  it('shows the visible text of an HTML span, masked', () => {
    const message: MessageInput = { body: '<p>SSN 536</span><span>-22-1874&nbsp;x</p>', bodyType: 'html' };
    const finding = {
      type: 'US_SSN',
      field: 'body',
      start: 7,
      end: 31,
      score: 1,
      rule: 'US_SSN/formatted',
      explanation: 'x',
    } as const;
    expect(viewFinding(message, finding)).toMatchObject({ masked: '***-**-1874', line: 1, column: 8 });
  });

  it('shows a policy keyword as it is', () => {
    const message: MessageInput = { subject: 'Results [secure]' };
    const [finding] = scanMessage(message).findings;
    expect(finding?.type).toBe('KEYWORD');
    expect(viewFinding(message, finding!).masked).toBe('[secure]');
  });
});

describe('verdict', () => {
  it('counts findings by type in order of appearance', () => {
    const findings = [{}, {}, {}] as never[];
    expect(
      verdict({
        sensitive: true,
        findings,
        counts: { US_SSN: 2, DATE_OF_BIRTH: 1 },
        unscannedAttachments: [],
      }),
    ).toBe('sensitive: 3 findings (US_SSN ×2, DATE_OF_BIRTH)');
    expect(verdict({ sensitive: false, findings: [], counts: {}, unscannedAttachments: [0, 2] })).toBe(
      'clean (2 attachments not scanned)',
    );
  });
});

describe('formatReadable', () => {
  it('aligns columns and ends with the verdict', () => {
    const message: MessageInput = { body: 'SSN 212-67-4821\nDate of birth: 03/14/1985' };
    const lines = formatReadable(buildReport(message, scanMessage(message), []));
    expect(lines).toHaveLength(3);
    expect(lines[0]!.indexOf('***')).toBe(lines[1]!.indexOf('**/'));
    expect(lines[2]).toBe('sensitive: 2 findings (US_SSN, DATE_OF_BIRTH)');
  });
});
