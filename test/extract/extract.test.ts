import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Deflate, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { scanMessage } from '../../src/detect/index';
import { createExtractor } from '../../src/extract/engine';
import { extractAttachment, type ExtractResult } from '../../src/extract/index';
import { extractPortable } from '../../src/extract/portable';

const FIXTURES = resolve(import.meta.dirname, 'fixtures');

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(FIXTURES, name)));
}

async function text(name: string, contentType?: string): Promise<string> {
  const r = await extractAttachment({ name, bytes: fixture(name), contentType });
  if (!r.ok) throw new Error(`${name}: ${r.reason} ${r.message}`);
  return r.text;
}

function failure(r: ExtractResult): { reason: string; message: string } {
  if (r.ok) throw new Error(`expected a failure, got text: ${r.text.slice(0, 80)}`);
  return { reason: r.reason, message: r.message };
}

const ROSTER_ROWS = [
  'Member Name\tSSN\tDate of Birth\tMember ID\tNotes',
  'Maria Lopez\t536-22-1874\t3/14/1962\tMBR4471920',
  'James Carter\t\t11/2/1975\tMBR5582031\tneeds "prior auth", call back',
  'Ana Silva\t471-38-2290\t7/30/1988\tMBR6693142',
];

const LETTER_LINES = [
  'Claim review for Maria Lopez',
  'The member\u2019s SSN is 536-22-1874 and her date of birth is 03/14/1962.',
  'Member\tSSN\tDiagnosis\tAmount',
  'Maria Lopez\t536-22-1874\tE11.9\t$412.50',
  'James Carter\t\tI10\t$88.00',
  'Caf\u00e9 notes: r\u00e9sum\u00e9 attached \u2014 thank you.',
];

/** LibreOffice keeps the typewriter apostrophe of the HTML source; compare without caring which. */
function lines(t: string): string[] {
  return t.replace(/\u2019/g, "'").split('\n');
}

function expectLetter(t: string): void {
  const got = lines(t);
  for (const l of LETTER_LINES) expect(got).toContain(l.replace(/\u2019/g, "'"));
}

describe('spreadsheets come out as rows of tab-separated cells', () => {
  it('XLSX (LibreOffice from CSV): shared strings, empty cells kept, date serials as m/d/yyyy', async () => {
    expect((await text('roster.xlsx')).split('\n')).toEqual(ROSTER_ROWS);
  });

  it('ODS: the same rows', async () => {
    expect((await text('roster.ods')).split('\n')).toEqual(ROSTER_ROWS);
  });

  it('CSV: quoted cells with commas and doubled quotes stay one cell', async () => {
    const rows = (await text('roster.csv')).split('\n');
    expect(rows[0]).toBe('Member Name\tSSN\tDate of Birth\tMember ID\tNotes');
    expect(rows[2]).toBe('James Carter\t\t11/02/1975\tMBR5582031\tneeds "prior auth", call back');
  });

  it('XLSX with two sheets: a line names each sheet before its header row', async () => {
    expect((await text('claims.xlsx')).split('\n')).toEqual([
      'Sheet: Members',
      'Name\tSSN\tDOB\tPlan',
      'Maria Lopez\t536-22-1874\t3/14/1962\tGold',
      'James Carter\t\t11/2/1975\tSilver',
      '',
      'Sheet: Claims',
      'Claim\tNPI\tAmount',
      'CLM-1001\t1234567893\t412.5',
    ]);
  });

  it('the engine reads the extracted sheet as a table and finds the SSNs', async () => {
    const r = await extractAttachment({ name: 'roster.xlsx', bytes: fixture('roster.xlsx') });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const scan = scanMessage({
      attachments: [{ name: 'roster.xlsx', text: r.text, textKind: r.textKind }],
    });
    expect(scan.unscannedAttachments).toEqual([]);
    expect(scan.findings.filter((f) => f.type === 'US_SSN').length).toBe(2);
  });
});

describe('documents: paragraphs as lines, table rows as tab-separated cells', () => {
  it('DOCX', async () => {
    expectLetter(await text('letter.docx'));
  });

  it('ODT', async () => {
    expectLetter(await text('letter.odt'));
  });

  it("RTF (own reader: font and colour tables skipped, \\u and \\'hh decoded)", async () => {
    const t = await text('letter.rtf');
    expectLetter(t);
    expect(t).not.toMatch(/Times New Roman|Liberation|\\/);
  });

  it('PPTX: each slide named, its text as lines', async () => {
    expect((await text('slides.pptx')).split('\n')).toEqual([
      'Slide 1',
      'Quarterly escalations',
      'Member Maria Lopez, SSN 536-22-1874',
      'Provider NPI 1234567893',
      '',
      'Slide 2',
      'Next steps: call the member back',
    ]);
  });

  it('PDF: the text layer, a table row on one line', async () => {
    const t = await text('letter.pdf');
    expect(t).toContain('The member\u2019s SSN is 536-22-1874'.replace(/\u2019/g, "'"));
    expect(t).toMatch(/James Carter\t+I10\t+\$88\.00/);
  });

  it('HTML stays HTML, for the engine to map offsets into the source', async () => {
    const r = await extractAttachment({ name: 'letter.html', bytes: fixture('letter.html') });
    expect(r).toMatchObject({ ok: true, format: 'html', textKind: 'html' });
  });
});

describe('text encodings', () => {
  const encode = (s: string, enc: 'utf16le' | 'latin1' | 'utf8'): Uint8Array =>
    new Uint8Array(Buffer.from(s, enc));
  it.each([
    ['UTF-8', encode('SSN 536-22-1874 caf\u00e9', 'utf8')],
    ['UTF-8 with BOM', new Uint8Array([0xef, 0xbb, 0xbf, ...encode('SSN 536-22-1874 caf\u00e9', 'utf8')])],
    ['UTF-16LE with BOM', new Uint8Array([0xff, 0xfe, ...encode('SSN 536-22-1874 caf\u00e9', 'utf16le')])],
    ['UTF-16LE without BOM', encode('SSN 536-22-1874 caf\u00e9', 'utf16le')],
    ['Windows-1252', encode('SSN 536-22-1874 caf\u00e9', 'latin1')],
  ])('%s', async (_label, bytes) => {
    const r = await extractAttachment({ name: 'notes.txt', bytes });
    expect(r).toEqual({ ok: true, format: 'text', textKind: 'text', text: 'SSN 536-22-1874 caf\u00e9' });
  });
});

describe('containers: each entry read by its own format', () => {
  it('ZIP (Info-ZIP): a DOCX, an XLSX, a nested ZIP and an image', async () => {
    const t = await text('bundle.zip');
    expect(t).toContain('File: letter.docx');
    expect(t).toContain('Maria Lopez\t536-22-1874\tE11.9\t$412.50');
    expect(t).toContain('File: roster.xlsx\nMember Name\tSSN');
    expect(t).toContain('File: inner.zip\nFile: roster.csv\n');
    expect(t).toContain('[letter.png: not scanned (image)]');
  });

  it('EML: subject, body, a base64 XLSX and a forwarded message with an HTML body', async () => {
    const t = await text('message.eml');
    expect(t).toContain('Subject: Roster for review');
    expect(t).toContain('Member ID MBR4471920');
    expect(t).toContain('Attachment: roster.xlsx\n' + ROSTER_ROWS.join('\n'));
    expect(t).toContain('Subject: Earlier question');
    expect(t).toContain('Patient DOB 07/30/1988, SSN 471-38-2290');
  });

  it('an e-mail given as message/rfc822 without a telling name', async () => {
    const r = await extractAttachment({
      name: 'ATT00001',
      contentType: 'message/rfc822',
      bytes: fixture('message.eml'),
    });
    expect(r).toMatchObject({ ok: true, format: 'eml' });
  });
});

describe('what cannot be read says why', () => {
  it('images', async () => {
    const r = await extractAttachment({ name: 'letter.png', bytes: fixture('letter.png') });
    expect(failure(r).reason).toBe('image');
    const heic = new Uint8Array([0, 0, 0, 24, ...Buffer.from('ftypheic'), 0, 0, 0, 0]);
    expect(failure(await extractAttachment({ name: 'IMG_0001.HEIC', bytes: heic })).reason).toBe('image');
  });

  it('a password-protected ZIP (zip -P)', async () => {
    const r = failure(await extractAttachment({ name: 'secret.zip', bytes: fixture('secret.zip') }));
    expect(r.reason).toBe('encrypted');
  });

  it('a password-protected PDF', async () => {
    const r = failure(
      await extractAttachment({ name: 'letter-locked.pdf', bytes: fixture('letter-locked.pdf') }),
    );
    expect(r.reason).toBe('encrypted');
  });

  it('a password-protected Office file (an OLE compound file holding EncryptedPackage)', async () => {
    const cfb = new Uint8Array(1024);
    cfb.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    cfb.set(Buffer.from('EncryptedPackage', 'utf16le'), 512);
    expect(failure(await extractAttachment({ name: 'locked.xlsx', bytes: cfb })).reason).toBe('encrypted');
  });

  it('a truncated DOCX and a truncated PDF are corrupt', async () => {
    const docx = fixture('letter.docx');
    const pdf = fixture('letter.pdf');
    for (const [name, bytes] of [
      ['letter.docx', docx.subarray(0, docx.length - 300)],
      ['letter.pdf', pdf.subarray(0, 2000)],
    ] as const) {
      expect(failure(await extractAttachment({ name, bytes })).reason, name).toBe('corrupt');
    }
  });

  it('an older Word file (.doc, LibreOffice) is unsupported, with a hint', async () => {
    const r = failure(await extractAttachment({ name: 'letter.doc', bytes: fixture('letter.doc') }));
    expect(r).toEqual({ reason: 'unsupported', message: expect.stringContaining('older Office') as string });
  });

  it('messages never contain file content', async () => {
    for (const name of ['secret.zip', 'letter-locked.pdf', 'letter.doc', 'letter.png']) {
      const r = failure(await extractAttachment({ name, bytes: fixture(name) }));
      expect(r.message).toMatch(/^not scanned: /);
      expect(r.message).not.toMatch(/536|Maria|Lopez/);
    }
  });

  it('the on-send extractor leaves PDF out and says so', async () => {
    const r = failure(await extractPortable({ name: 'letter.pdf', bytes: fixture('letter.pdf') }));
    expect(r.reason).toBe('unsupported');
    expect(await extractPortable({ name: 'roster.xlsx', bytes: fixture('roster.xlsx') })).toMatchObject({
      ok: true,
    });
  });
});

/** One stored ZIP entry around raw DEFLATE data, written by hand so the sizes can be chosen. */
function zipWith(name: string, deflated: Uint8Array, declaredSize: number): Uint8Array {
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(deflated.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(deflated.length, 20);
  central.writeUInt32LE(declaredSize, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const dirOffset = local.length + nameBytes.length + deflated.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(dirOffset, 16);
  return new Uint8Array(Buffer.concat([local, nameBytes, deflated, central, nameBytes, end]));
}

/**
 * 1 GiB of zeros as real DEFLATE data: one megabyte compressed by fflate and
 * sync-flushed (so it ends on a byte boundary and refers to nothing before
 * it), repeated 1024 times, then an empty final block. Compressing the whole
 * gigabyte would take the test 20 s; the result inflates to the same bytes.
 */
function gigabyteOfZeros(): Uint8Array {
  const parts: Uint8Array[] = [];
  const d = new Deflate({ level: 9 }, (chunk) => parts.push(chunk.slice()));
  d.push(new Uint8Array(1 << 20));
  d.flush(true);
  const segment = Buffer.concat(parts);
  return new Uint8Array(Buffer.concat([...Array<Buffer>(1024).fill(segment), Buffer.from([0x03, 0x00])]));
}

describe('bounds: bombs, nesting, entries, time', () => {
  const bomb = gigabyteOfZeros();

  it('a zip bomb (1 GiB of zeros, ~1 MB compressed) is too large, at once', async () => {
    const started = Date.now();
    const r = failure(
      await extractAttachment({ name: 'zeros.zip', bytes: zipWith('zeros.txt', bomb, 2 ** 30) }),
    );
    expect(r.reason).toBe('too-large');
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('the same bomb with a header that lies about its size is stopped while inflating', async () => {
    const started = Date.now();
    const lying = zipWith('zeros.txt', bomb, 1000);
    const r = failure(await extractAttachment({ name: 'zeros.zip', bytes: lying }));
    expect(r.reason).toBe('too-large');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('expansion under the byte limit but past the ratio is refused', async () => {
    const zeros = zipSync({ 'zeros.txt': new Uint8Array(8 << 20) }, { level: 9 });
    const r = failure(await extractAttachment({ name: 'z.zip', bytes: zeros }));
    expect(r.reason).toBe('too-large');
    expect(r.message).toContain('zip bomb');
  });

  it('nesting past maxDepth is too deep', async () => {
    let inner: Uint8Array = new Uint8Array(Buffer.from('SSN 536-22-1874'));
    let name = 'note.txt';
    for (let i = 0; i < 8; i++) {
      inner = zipSync({ [name]: inner });
      name = `level${i}.zip`;
    }
    expect(failure(await extractAttachment({ name, bytes: inner })).reason).toBe('too-deep');
    const shallow = await extractAttachment({ name, bytes: inner }, { maxDepth: 10 });
    expect(shallow.ok && shallow.text.includes('536-22-1874')).toBe(true);
  });

  it('too many entries', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 50; i++) files[`f${i}.txt`] = new Uint8Array([0x61]);
    const r = failure(
      await extractAttachment({ name: 'many.zip', bytes: zipSync(files) }, { maxEntries: 20 }),
    );
    expect(r.reason).toBe('too-large');
  });

  it('input larger than maxBytes is refused before any work', async () => {
    const r = failure(
      await extractAttachment({ name: 'big.txt', bytes: new Uint8Array(2048) }, { maxBytes: 1024 }),
    );
    expect(r.reason).toBe('too-large');
  });

  it('running out of time gives timeout', async () => {
    let clock = 0;
    const slow = createExtractor({}, () => (clock += 400));
    const r = failure(
      await slow({ name: 'roster.xlsx', bytes: fixture('roster.xlsx') }, { maxMillis: 1000 }),
    );
    expect(r.reason).toBe('timeout');
  });

  it('never throws, whatever the bytes', async () => {
    const junk = [
      new Uint8Array(0),
      new Uint8Array([0x50, 0x4b, 0x03, 0x04]),
      new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0xff)]),
      new Uint8Array(Buffer.from('{\\rtf1{{{{{{{{')),
      new Uint8Array(Buffer.from('%PDF-1.7\n%%EOF')),
      fixture('letter.docx').map((b, i) => (i > 200 && i % 7 === 0 ? b ^ 0x5a : b)),
    ];
    for (const bytes of junk) {
      for (const name of ['x.zip', 'x.docx', 'x.rtf', 'x.pdf', 'x.eml', 'x']) {
        const r = await extractAttachment({ name, bytes });
        expect(typeof r.ok).toBe('boolean');
      }
    }
  });

  it('every fixture is read well inside the default time limit', async () => {
    for (const name of [
      'roster.xlsx',
      'letter.docx',
      'slides.pptx',
      'letter.odt',
      'letter.rtf',
      'bundle.zip',
      'message.eml',
    ]) {
      const started = Date.now();
      await extractAttachment({ name, bytes: fixture(name) });
      expect(Date.now() - started, name).toBeLessThan(500);
    }
  });
});
