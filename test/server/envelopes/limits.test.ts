import { describe, expect, it } from 'vitest';
import type { CreateEnvelopeRequest } from '../../../src/shared/api';
import { checkEnvelopeSize } from '../../../src/server/envelopes/limits';
import { uniqueRecipients } from '../../../src/server/envelopes/create-envelope';

const limits = { bodyBytes: 100, attachmentBytes: 60, totalBytes: 150 };

function request(body: string, sizes: number[] = []): CreateEnvelopeRequest {
  return {
    from: 'rep@plan.example',
    to: ['a@clinic.example'],
    cc: [],
    bcc: [],
    subject: 's',
    text: body,
    attachments: sizes.map((n, i) => ({
      name: `f${i}`,
      contentType: 'application/octet-stream',
      contentBase64: Buffer.alloc(n).toString('base64'),
    })),
  };
}

describe('envelope size limits', () => {
  it.each([
    ['a body at the limit', request('x'.repeat(100))],
    ['attachments at their limits', request('x'.repeat(30), [60, 60])],
  ])('accepts %s', (_, r) => {
    expect(() => {
      checkEnvelopeSize(limits, r);
    }).not.toThrow();
  });

  it.each([
    ['a body past the limit', request('x'.repeat(101)), 'ENVELOPE_TOO_LARGE', /body is .*limit is/],
    ['one attachment past its limit', request('', [61]), 'ATTACHMENT_TOO_LARGE', /'f0'/],
    ['the whole past the limit', request('x'.repeat(40), [60, 60]), 'ENVELOPE_TOO_LARGE', /message is/],
  ])('refuses %s, naming the limit', (_, r, code, message) => {
    let thrown: unknown;
    try {
      checkEnvelopeSize(limits, r);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ code });
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('recipients of an envelope', () => {
  it('keeps each address once, under the first field that names it', () => {
    expect(uniqueRecipients({ to: ['a@x', 'b@x'], cc: ['b@x', 'c@x'], bcc: ['a@x', 'd@x'] })).toEqual([
      { address: 'a@x', kind: 'to' },
      { address: 'b@x', kind: 'to' },
      { address: 'c@x', kind: 'cc' },
      { address: 'd@x', kind: 'bcc' },
    ]);
  });
});
