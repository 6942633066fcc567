import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEml, type ParsedEml } from '../../src/cli/eml';
import { fixture, repoRoot } from './run-cli';

/** A message from lines, with CRLF line ends as on the wire. */
const eml = (...lines: string[]): Uint8Array => Buffer.from(lines.join('\r\n'), 'utf8');
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('parseEml on a full multipart message', () => {
  let parsed: ParsedEml;
  beforeAll(async () => {
    parsed = await parseEml(readFileSync(`${repoRoot}/${fixture('multipart.eml')}`));
  });

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
  it('reads a single-part quoted-printable Windows-1252 message with LF line ends', async () => {
    const parsed = await parseEml(readFileSync(`${repoRoot}/${fixture('latin1.eml')}`));
    expect(parsed.subject).toBe('Café – note');
    expect(parsed.bodyType).toBe('text');
    expect(parsed.body).toBe(
      'Café olé – member ID: XYZ123456789\nSSN 078-05-1121 is a famous invalid one.\n',
    );
    expect(parsed.attachments).toEqual([]);
  });

  it('takes text/plain when there is no HTML, and defaults to text/plain without a Content-Type', async () => {
    const alt = await parseEml(
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
    // The alternative that is not the body is still scanned, as a readable attachment.
    expect(alt).toMatchObject({
      body: 'plain body',
      bodyType: 'text',
      attachments: [{ name: 'part-2', contentType: 'text/enriched', text: '<bold>rich</bold>' }],
    });
    expect(await parseEml(eml('Subject: hi', '', 'just text'))).toEqual({
      subject: 'hi',
      body: 'just text',
      bodyType: 'text',
      attachments: [],
    });
  });

  it('walks related and mixed nesting: the HTML root is the body, inline images are unreadable attachments', async () => {
    const parsed = await parseEml(
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
      // Unnamed parts are named by their place in the MIME tree.
      ['part-1.2.2', 'image/png', undefined],
      ['notes.txt', 'text/plain', 'DOB 01/02/1970'],
    ]);
  });

  it('scans a second inline text part with the body rather than dropping it', async () => {
    const parsed = await parseEml(
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
    expect(parsed.body).toBe('first\nsecond');
    expect(parsed.attachments).toEqual([]);
  });

  it('opens an attached message: its subject and body become readable text, its attachments follow', async () => {
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
    const parsed = await parseEml(
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

  it('skips an mbox "From " line, a byte order mark, and takes the last path segment of a file name', async () => {
    const parsed = await parseEml(
      eml(
        '\uFEFFFrom sender@example.com Mon Jan  1 00:00:00 2024',
        'Subject: mbox',
        'Content-Type: multipart/mixed; boundary=x',
        '',
        '--x',
        'Content-Type: text/plain',
        'Content-Disposition: attachment; filename="C:\\\\Users\\\\rep\\\\list.txt"',
        '',
        'a',
        '--x--',
      ),
    );
    expect(parsed.subject).toBe('mbox');
    expect(parsed.attachments[0]?.name).toBe('list.txt');
  });

  it('treats content without a header block as the body', async () => {
    expect(await parseEml(eml('Dear team, the member', 'ID is 123'))).toMatchObject({
      body: 'Dear team, the member\r\nID is 123',
    });
  });

  it('survives absurd nesting', async () => {
    const depth = 200;
    const lines: string[] = [];
    for (let i = 0; i < depth; i++)
      lines.push(`Content-Type: multipart/mixed; boundary=b${i}`, '', `--b${i}`);
    lines.push('Content-Type: text/plain', '', 'deep');
    expect((await parseEml(eml(...lines))).body).toBe('deep');
  });
});

describe('quoted-printable bodies', () => {
  const body = async (encoded: string): Promise<string | undefined> =>
    (
      await parseEml(
        eml(
          'Content-Type: text/plain; charset=utf-8',
          'Content-Transfer-Encoding: quoted-printable',
          '',
          encoded,
        ),
      )
    ).body;

  it('decodes escapes and soft line breaks, and drops trailing whitespace', async () => {
    expect(await body('caf=C3=A9 =\r\nau lait  \r\nnext\t\r\nend')).toBe('café au lait\nnext\nend');
    expect(await body('a=  \r\nb')).toBe('ab');
  });

  it('keeps a stray = and reads lower-case hex', async () => {
    expect(await body('1+1=2 and =zz, =c3=a9')).toBe('1+1=2 and =zz, é');
  });

  it('handles long runs of spaces', async () => {
    expect(await body(' '.repeat(200_000) + 'x')).toHaveLength(200_001);
  });
});
