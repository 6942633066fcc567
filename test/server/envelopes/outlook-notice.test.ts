import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTION_POLICY } from '../../../src/shared/detection-policy';
import type { ServerContext } from '../../../src/server/context';
import { outlookNotice } from '../../../src/server/envelopes/outlook-notice';

function ctx(noticeSubject: 'generic' | 'original'): Pick<ServerContext, 'config' | 'policy'> {
  return {
    config: {
      org: { name: 'Plan & Co', supportContact: 'help@plan.example' },
      publicUrl: 'https://secure.plan.example',
      policy: { noticeSubject },
    },
    policy: { detection: DEFAULT_DETECTION_POLICY },
  } as unknown as Pick<ServerContext, 'config' | 'policy'>;
}

const sender = { name: 'Rep <One>', address: 'rep@plan.example' };

describe('the notice Outlook sends in place of the message', () => {
  it('has a generic subject by default', () => {
    expect(outlookNotice(ctx('generic'), sender, 'Lab results').subject).toBe(
      'Secure message from Plan & Co',
    );
  });

  it('shows a clean original subject when policy allows, never a sensitive or empty one', () => {
    expect(outlookNotice(ctx('original'), sender, 'Lab results').subject).toBe('[Secure] Lab results');
    expect(outlookNotice(ctx('original'), sender, 'SSN 536-22-1874 for John').subject).toBe(
      'Secure message from Plan & Co',
    );
    expect(outlookNotice(ctx('original'), sender, '  ').subject).toBe('Secure message from Plan & Co');
  });

  it('names the sender and the portal, escaped in HTML, and carries no secure link', () => {
    const n = outlookNotice(ctx('generic'), sender, 's');
    expect(n.text).toContain('Rep <One> sent you a secure message through Plan & Co.');
    expect(n.text).toContain('https://secure.plan.example/portal/');
    expect(n.html).toContain('<strong>Rep &lt;One&gt;</strong>');
    expect(n.html).toContain('Plan &amp; Co');
    expect(`${n.text}${n.html}`).not.toContain('/r/');
  });

  it('falls back to the address when the sender has no name', () => {
    expect(outlookNotice(ctx('generic'), { address: 'rep@plan.example' }, 's').text).toMatch(
      /^rep@plan\.example sent you/,
    );
  });
});
