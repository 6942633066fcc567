import { describe, expect, it } from 'vitest';
import { readMail } from '../../../src/server/mail/read-mail';

/** A message from lines, with CRLF line ends as on the wire. */
const crlf = (...lines: string[]): string => lines.join('\r\n');

describe('readMail', () => {
  it('reads nested multipart, quoted-printable, charsets, and keeps attachments apart from the body', async () => {
    const raw = crlf(
      'From: =?ISO-8859-1?Q?J=F6rg?= <j@example.org>',
      'To: Ann <ann@clinic.example>, bob@clinic.example',
      'Subject: =?UTF-8?B?R3LDvMOfZQ==?=',
      ' =?UTF-8?Q?_und_Tsch=C3=BCss?=',
      'Message-ID: <abc@example.org>',
      'Content-Type: multipart/mixed; boundary="outer;b"',
      '',
      'preamble',
      '--outer;b',
      'Content-Type: multipart/alternative; boundary=inner',
      '',
      '--inner',
      'Content-Type: text/plain; charset=iso-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Gr=FC=DFe, a soft=',
      ' break and 1+1=3D2',
      '--inner',
      'Content-Type: text/html; charset="utf-8"',
      'Content-Transfer-Encoding: 8bit',
      '',
      '<p>Grüße</p>',
      '--inner--',
      '--outer;b',
      'Content-Type: text/plain',
      'Content-Disposition: attachment; filename="secret.txt"',
      '',
      'ATTACHMENT',
      '--outer;b--',
      '',
    );
    const m = await readMail(Buffer.from(raw, 'utf8'));
    expect(m).toMatchObject({
      from: 'Jörg <j@example.org>',
      to: ['ann@clinic.example', 'bob@clinic.example'],
      subject: 'Grüße und Tschüss',
      messageId: '<abc@example.org>',
      text: 'Grüße, a soft break and 1+1=2',
      html: '<p>Grüße</p>',
    });
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({ filename: 'secret.txt', contentType: 'text/plain' });
    expect(m.attachments[0]!.content.toString('utf8')).toBe('ATTACHMENT');
    expect(m.headers.get('message-id')).toBe('<abc@example.org>');
  });

  it('reads a single-part message and a header-only one', async () => {
    expect(await readMail('Subject: hi\nTo: x@y\n\nbody\n')).toMatchObject({
      subject: 'hi',
      text: 'body\n',
      html: null,
    });
    expect(await readMail('Subject: only')).toMatchObject({ subject: 'only', text: '', html: null });
  });

  it('reports no text for an HTML-only message rather than text made up from the HTML', async () => {
    const m = await readMail(crlf('Subject: x', 'Content-Type: text/html', '', '<p>hi <b>there</b></p>'));
    expect(m).toMatchObject({ text: null, html: '<p>hi <b>there</b></p>' });
  });

  it('decodes RFC 2047 words: B and Q, split multi-byte characters, language tags, plain text left alone', async () => {
    const subject = async (value: string): Promise<string | undefined> =>
      (await readMail(`Subject: ${value}\r\n\r\nx`)).subject;
    expect(await subject('=?utf-8?q?a_b?= =?utf-8?q?c?= plain')).toBe('a bc plain');
    expect(await subject('=?utf-8?b?w6lsw6h2ZQ==?= =?ISO-8859-1?q?caf=E9_cr=E8me?=')).toBe('élèvecafé crème');
    expect(await subject('Re: =?UTF-8?Q?caf=C3=A9?= today')).toBe('Re: café today');
    expect(await subject('=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?=')).toBe('café');
    expect(await subject('=?utf-8*en?Q?hello?=')).toBe('hello');
    expect(await subject('no =? encoding')).toBe('no =? encoding');
    expect(await subject('Überweisung')).toBe('Überweisung');
  });

  it('decodes RFC 2231 file names, continued or not, and encoded words in a plain one', async () => {
    const filename = async (disposition: string): Promise<string | undefined> =>
      (
        await readMail(
          crlf(
            'Content-Type: multipart/mixed; boundary=b',
            '',
            '--b',
            'Content-Type: application/octet-stream',
            `Content-Disposition: ${disposition}`,
            '',
            'x',
            '--b--',
          ),
        )
      ).attachments[0]?.filename;
    expect(
      await filename('attachment; filename*0*=utf-8\'fr\'r%C3%A9sum; filename*1*=%C3%A9; filename*2=".txt"'),
    ).toBe('résumé.txt');
    expect(await filename("attachment; filename*=iso-8859-1''caf%E9.txt")).toBe('café.txt');
    expect(await filename('attachment; filename="=?UTF-8?B?w6l0w6kuY3N2?="')).toBe('été.csv');
  });

  it("gives each attachment its decoded bytes and its part's charset", async () => {
    const m = await readMail(
      crlf(
        'Content-Type: multipart/mixed; boundary=b',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'body',
        '--b',
        'Content-Type: text/csv; charset=windows-1252; name=list.csv',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from([0x63, 0x61, 0x66, 0xe9]).toString('base64'),
        '--b--',
      ),
    );
    expect(m.text).toBe('body');
    expect(m.attachments).toHaveLength(1);
    const [a] = m.attachments;
    expect(a).toMatchObject({ filename: 'list.csv', contentType: 'text/csv', charset: 'windows-1252' });
    expect([...a!.content]).toEqual([0x63, 0x61, 0x66, 0xe9]);
  });

  it('refuses input over the size bound before parsing it', async () => {
    await expect(readMail('Subject: big\r\n\r\n' + 'x'.repeat(2000), { maxBytes: 1000 })).rejects.toThrow(
      RangeError,
    );
  });
});
