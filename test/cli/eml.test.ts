import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeQuotedPrintable, parseEml, splitMultipart } from '../../src/cli/eml';
import { fixture, repoRoot } from './run-cli';

/** A message from lines, with CRLF line ends as on the wire. */
const eml = (...lines: string[]): Uint8Array => Buffer.from(lines.join('\r\n'), 'utf8');
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const qp = (text: string): string => new TextDecoder().decode(decodeQuotedPrintable(text));

describe('parseEml on a full multipart message', () => {
  const parsed = parseEml(readFileSync(`${repoRoot}/${fixture('multipart.eml')}`));

  it('decodes a subject of encoded words in two charsets', () => {
    expect(parsed.subject).toBe('Réclamation – dossier n° 42');
  });

  it('prefers the HTML alternative, decoded from base64', () => {
    expect(parsed.bodyType).toBe('html');
    expect(parsed.body).toBe(
      '<html><body><p>Bonjour,</p><p>Le numéro de sécurité sociale (SSN) du membre est 318-52-7741.</p></body></html>',
    );
  });

  it('lists attachments with RFC 2231 names, text for readable ones only', () => {
    expect(parsed.attachments).toEqual([
      {
        name: 'membres détail.csv',
        contentType: 'text/csv',
        size: 50,
        text: 'name,dob\r\nJane Roe,DOB 07/04/1960\r\nMRN: 00123456\r\n',
      },
      { name: 'scan.pdf', contentType: 'application/pdf', size: 13 },
    ]);
  });
});

describe('parseEml', () => {
  it('reads a single-part quoted-printable Windows-1252 message with LF line ends', () => {
    const parsed = parseEml(readFileSync(`${repoRoot}/${fixture('latin1.eml')}`));
    expect(parsed.subject).toBe('Café – note');
    expect(parsed.bodyType).toBe('text');
    expect(parsed.body).toBe(
      'Café olé – member ID: XYZ123456789\nSSN 078-05-1121 is a famous invalid one.\n',
    );
    expect(parsed.attachments).toEqual([]);
  });

  it('takes text/plain when there is no HTML, and defaults to text/plain without a Content-Type', () => {
    const alt = parseEml(
      eml(
        'Content-Type: multipart/alternative; boundary=b',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'plain body',
        '--b',
        'Content-Type: text/enriched',
        '',
        '<bold>rich</bold>',
        '--b--',
      ),
    );
    expect(alt).toMatchObject({ body: 'plain body', bodyType: 'text', attachments: [] });
    expect(parseEml(eml('Subject: hi', '', 'just text'))).toEqual({
      subject: 'hi',
      body: 'just text',
      bodyType: 'text',
      attachments: [],
    });
  });

  it('walks related and mixed nesting: the HTML root is the body, inline images are unreadable attachments', () => {
    const parsed = parseEml(
      eml(
        'Subject: =?utf-8?Q?nested?=',
        'Content-Type: multipart/mixed; boundary="outer"',
        '',
        '--outer',
        'Content-Type: multipart/alternative; boundary="outer-alt"',
        '',
        '--outer-alt',
        'Content-Type: text/plain',
        '',
        'plain',
        '--outer-alt',
        'Content-Type: multipart/related; boundary="rel"',
        '',
        '--rel',
        'Content-Type: text/html; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        '<p>MRN=3D 12345678 <img src=3D"cid:logo"></p>',
        '--rel',
        'Content-Type: image/png',
        'Content-ID: <logo>',
        'Content-Transfer-Encoding: base64',
        '',
        'iVBORw0KGgo=',
        '--rel--',
        '--outer-alt--',
        '--outer',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Disposition: attachment; filename="notes.txt"',
        'Content-Transfer-Encoding: base64',
        '',
        b64('DOB 01/02/1970'),
        '--outer--',
        'epilogue',
      ),
    );
    expect(parsed.subject).toBe('nested');
    expect(parsed.bodyType).toBe('html');
    expect(parsed.body).toBe('<p>MRN= 12345678 <img src="cid:logo"></p>');
    expect(parsed.attachments.map((a) => [a.name, a.contentType, a.text])).toEqual([
      ['part-3', 'image/png', undefined],
      ['notes.txt', 'text/plain', 'DOB 01/02/1970'],
    ]);
  });

  it('scans a second inline text part as an attachment rather than dropping it', () => {
    const parsed = parseEml(
      eml(
        'Content-Type: multipart/mixed; boundary=m',
        '',
        '--m',
        'Content-Type: text/plain',
        '',
        'first',
        '--m',
        'Content-Type: text/plain',
        '',
        'second',
        '--m--',
      ),
    );
    expect(parsed.body).toBe('first');
    expect(parsed.attachments).toEqual([
      { name: 'part-2.txt', contentType: 'text/plain', size: 6, text: 'second' },
    ]);
  });

  it('opens an attached message: its subject and body become readable text, its attachments follow', () => {
    const inner = [
      'Subject: =?utf-8?Q?Fwd=3A_claim?=',
      'Content-Type: multipart/mixed; boundary=in',
      '',
      '--in',
      'Content-Type: text/plain',
      '',
      'SSN 212-67-4821',
      '--in',
      'Content-Type: application/pdf; name=x.pdf',
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERg==',
      '--in--',
    ];
    const parsed = parseEml(
      eml(
        'Content-Type: multipart/mixed; boundary=out',
        '',
        '--out',
        'Content-Type: text/plain',
        '',
        'see attached',
        '--out',
        'Content-Type: message/rfc822',
        'Content-Disposition: attachment; filename="claim.eml"',
        '',
        ...inner,
        '--out--',
      ),
    );
    expect(parsed.attachments.map((a) => [a.name, a.contentType, a.text])).toEqual([
      ['claim.eml', 'text/plain', 'Subject: Fwd: claim\n\nSSN 212-67-4821'],
      ['claim.eml/x.pdf', 'application/pdf', undefined],
    ]);
  });

  it('skips an mbox "From " line, a byte order mark, and takes the last path segment of a file name', () => {
    const parsed = parseEml(
      eml(
        '\uFEFFFrom sender@example.com Mon Jan  1 00:00:00 2024',
        'Subject: mbox',
        'Content-Type: multipart/mixed; boundary=x',
        '',
        '--x',
        'Content-Type: text/plain; name="C:\\\\Users\\\\rep\\\\list.txt"',
        '',
        'a',
        '--x--',
      ),
    );
    expect(parsed.subject).toBe('mbox');
    expect(parsed.attachments[0]?.name).toBe('list.txt');
  });

  it('treats content without a header block as the body', () => {
    expect(parseEml(eml('Dear team, the member', 'ID is 123'))).toMatchObject({
      body: 'Dear team, the member\r\nID is 123',
    });
  });

  it('survives absurd nesting', () => {
    const depth = 200;
    const lines: string[] = [];
    for (let i = 0; i < depth; i++)
      lines.push(`Content-Type: multipart/mixed; boundary=b${i}`, '', `--b${i}`);
    lines.push('Content-Type: text/plain', '', 'deep');
    expect(() => parseEml(eml(...lines))).not.toThrow();
  });
});

describe('splitMultipart', () => {
  it('splits at boundary lines only, with transport padding, and drops preamble and epilogue', () => {
    const body = 'preamble\r\n--b  \r\none\r\n--b-not-it\r\n--b\r\ntwo\r\n\r\n--b--\r\nepilogue';
    expect(splitMultipart(body, 'b')).toEqual(['one\r\n--b-not-it', 'two\r\n']);
  });

  it('keeps the last part of a message cut before its closing boundary', () => {
    expect(splitMultipart('--b\nonly\n', 'b')).toEqual(['only\n']);
    expect(splitMultipart('no boundary here', 'b')).toEqual([]);
  });

  it('ignores a boundary that is not at the start of a line', () => {
    expect(splitMultipart('--b\nx --b\n--b--', 'b')).toEqual(['x --b']);
  });
});

describe('decodeQuotedPrintable', () => {
  it('decodes escapes, soft line breaks and strips trailing whitespace', () => {
    expect(qp('caf=C3=A9 =\r\nau lait  \r\nnext\t\nend')).toBe('café au lait\r\nnext\nend');
    expect(qp('a=  \r\nb')).toBe('ab');
    expect(qp('soft at end=')).toBe('soft at end');
  });

  it('keeps a stray = and lower-case hex', () => {
    expect(qp('1+1=2 and =zz, =c3=a9')).toBe('1+1=2 and =zz, é');
  });

  it('handles long runs of spaces in linear time', () => {
    const text = ' '.repeat(200_000) + 'x';
    expect(qp(text)).toHaveLength(200_001);
  });
});
