import { describe, expect, it } from 'vitest';
import { decodeHeaderText, parseHeaderBlock, parseStructured } from '../../src/cli/mime-headers';

/** A string as the parser sees it: one character per UTF-8 byte. */
const binary = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

describe('parseHeaderBlock', () => {
  it('unfolds continuation lines and lower-cases names', () => {
    const h = parseHeaderBlock(
      'Subject: a long\r\n  subject line\r\nContent-Type: text/plain;\r\n\tcharset=utf-8\r\nX-A: 1\r\nx-a: 2',
    );
    expect(h.get('subject')).toEqual(['a long  subject line']);
    expect(h.get('content-type')).toEqual(['text/plain;\tcharset=utf-8']);
    expect(h.get('x-a')).toEqual(['1', '2']);
  });
});

describe('decodeHeaderText', () => {
  it('decodes B and Q encoded words in any case', () => {
    expect(decodeHeaderText('=?utf-8?b?w6lsw6h2ZQ==?= =?ISO-8859-1?q?caf=E9_cr=E8me?=')).toBe(
      'élèvecafé crème',
    );
  });

  it('keeps text around encoded words and drops only the space between two of them', () => {
    expect(decodeHeaderText('Re: =?UTF-8?Q?caf=C3=A9?= today')).toBe('Re: café today');
    expect(decodeHeaderText('=?UTF-8?Q?a?=  \r\n =?UTF-8?Q?b?=')).toBe('ab');
  });

  it('joins a multi-byte character split across two words', () => {
    // "é" is C3 A9; a mailer may cut between the bytes.
    expect(decodeHeaderText('=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?=')).toBe('café');
  });

  it('reads raw UTF-8 and leaves malformed words alone', () => {
    expect(decodeHeaderText(binary('Überweisung'))).toBe('Überweisung');
    expect(decodeHeaderText('=?utf-8?X?abc?= =?broken')).toBe('=?utf-8?X?abc?= =?broken');
  });

  it('accepts an RFC 2231 language tag in the charset', () => {
    expect(decodeHeaderText('=?utf-8*en?Q?hello?=')).toBe('hello');
  });
});

describe('parseStructured', () => {
  it('reads the value and parameters, quoted or not', () => {
    const v = parseStructured('Multipart/Mixed; boundary="a;b \\"c\\""; charset=UTF-8 ;x=');
    expect(v.value).toBe('multipart/mixed');
    expect(v.params.get('boundary')).toBe('a;b "c"');
    expect(v.params.get('charset')).toBe('UTF-8');
    expect(v.params.get('x')).toBe('');
  });

  it('joins RFC 2231 continuations and decodes their charset', () => {
    const v = parseStructured(
      'attachment; filename*0*=utf-8\'fr\'r%C3%A9sum; filename*2=".txt"; filename*1*=%C3%A9; filename=fallback.txt',
    );
    expect(v.value).toBe('attachment');
    expect(v.params.get('filename')).toBe('résumé.txt');
  });

  it('decodes a single extended parameter, and encoded words in a plain one', () => {
    expect(parseStructured("attachment; filename*=iso-8859-1''caf%E9.txt").params.get('filename')).toBe(
      'café.txt',
    );
    expect(parseStructured('attachment; filename="=?UTF-8?B?w6l0w6kuY3N2?="').params.get('filename')).toBe(
      'été.csv',
    );
    expect(parseStructured(binary('attachment; filename="naïve.txt"')).params.get('filename')).toBe(
      'naïve.txt',
    );
  });
});
