import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTION_POLICY, scanMessage, scanText } from '../../src/detect/index';
import type { DetectionPolicy } from '../../src/shared/detection-policy';

const policy = (change: Partial<DetectionPolicy>): DetectionPolicy => ({
  ...DEFAULT_DETECTION_POLICY,
  ...change,
});

describe('scanMessage', () => {
  it('reports each field with offsets into its raw string', () => {
    const body = '<div>Patient DOB: <b>03/14/1962</b></div><div>SSN 536-22-1874</div>';
    const result = scanMessage({ subject: 'Member ID: XJH123456789', body, bodyType: 'html' });
    expect(result.sensitive).toBe(true);
    const byType = Object.fromEntries(result.findings.map((f) => [f.type, f]));
    expect(byType.MEMBER_ID?.field).toBe('subject');
    expect('Member ID: XJH123456789'.slice(byType.MEMBER_ID!.start, byType.MEMBER_ID!.end)).toBe(
      'XJH123456789',
    );
    expect(body.slice(byType.DATE_OF_BIRTH!.start, byType.DATE_OF_BIRTH!.end)).toBe('03/14/1962');
    expect(body.slice(byType.US_SSN!.start, byType.US_SSN!.end)).toBe('536-22-1874');
    expect(result.counts).toEqual({ MEMBER_ID: 1, DATE_OF_BIRTH: 1, US_SSN: 1 });
  });

  it('carries score, rule and an explanation that names the label but not the value', () => {
    const [finding] = scanText('Visa: 4111 1111 1111 1111', 'text');
    expect(finding).toMatchObject({ type: 'CREDIT_CARD', rule: 'CREDIT_CARD/luhn', score: 1 });
    expect(finding!.explanation).toBe("Luhn-valid Visa number in field 'Visa'");
    expect(finding!.explanation).not.toContain('4111');
  });

  it('finds nothing in ordinary mail', () => {
    const result = scanMessage({
      subject: 'Re: meeting on 3/4/2025',
      body: 'Call me at 602-224-2090 about ticket 482281962. Room E11, order 5160 3981 0525 2864.',
      bodyType: 'text',
    });
    expect(result).toEqual({ sensitive: false, findings: [], counts: {}, unscannedAttachments: [] });
  });

  it('scans readable attachments and lists the others as unscanned', () => {
    const result = scanMessage({
      body: 'see attached',
      attachments: [
        { name: 'members.csv', contentType: 'text/csv', text: 'name,ssn\nA. Smith,536-22-1874\n' },
        { name: 'scan.pdf', contentType: 'application/pdf' },
        { name: 'page.html', text: '<p>MRN: <i>00123456</i></p>' },
      ],
    });
    expect(result.findings.map((f) => [f.type, f.field])).toEqual([
      ['US_SSN', 'attachment:0'],
      ['MRN', 'attachment:2'],
    ]);
    expect(result.unscannedAttachments).toEqual([1]);
  });
});

describe('policy', () => {
  const text = 'SSN 536-22-1874 and DOB 03/14/1962';

  it('reports only enabled types', () => {
    const findings = scanText(text, 'text', policy({ enabledTypes: ['DATE_OF_BIRTH'] }));
    expect(findings.map((f) => f.type)).toEqual(['DATE_OF_BIRTH']);
  });

  it('drops findings under the threshold, per type or overall', () => {
    expect(scanText('536-22-1874', 'text', policy({ typeThresholds: { US_SSN: 0.9 } }))).toEqual([]);
    expect(scanText('536-22-1874', 'text', policy({ minScore: 0.9 }))).toEqual([]);
    expect(scanText('SSN 536-22-1874', 'text', policy({ minScore: 0.9 }))).toHaveLength(1);
  });

  it('marks a message carrying a policy keyword, on word boundaries only', () => {
    const p = policy({ keywords: ['[secure]', 'confidential'] });
    const found = scanMessage({ subject: '[SECURE] lab results', body: 'Strictly CONFIDENTIAL.' }, p);
    expect(found.findings.map((f) => [f.type, f.field, f.start, f.end])).toEqual([
      ['KEYWORD', 'subject', 0, 8],
      ['KEYWORD', 'body', 9, 21],
    ]);
    expect(scanMessage({ body: 'nonconfidentiality clause' }, p).sensitive).toBe(false);
  });
});

describe('a message with a great many identifiers', () => {
  it('reports a bounded number of them per pattern and is still sensitive', () => {
    const body = Array.from({ length: 3000 }, (_, i) => `SSN 536-22-${String(1000 + i)}`).join('\n');
    const result = scanText(body, 'text');
    expect(result.length).toBe(1000);
    expect(result.every((f) => f.type === 'US_SSN')).toBe(true);
  });
});
