import { describe, expect, it } from 'vitest';
import { prepareHtml, prepareText } from '../../../src/detect/text/prepare';
import type { MappedText } from '../../../src/detect/text/mapped-text';

/** The raw slice a normalised range maps back to. */
function rawOf(raw: string, mapped: MappedText, needle: string): string {
  const at = mapped.text.indexOf(needle);
  expect(at, `"${needle}" in ${JSON.stringify(mapped.text)}`).toBeGreaterThanOrEqual(0);
  const [start, end] = mapped.toRaw(at, at + needle.length);
  return raw.slice(start, end);
}

describe('prepareText', () => {
  it('leaves plain ASCII untouched with an identity map', () => {
    const raw = 'SSN 123-45-6789\r\nthanks';
    const mapped = prepareText(raw);
    expect(mapped.text).toBe(raw);
    expect(rawOf(raw, mapped, '123-45-6789')).toBe('123-45-6789');
  });

  it.each([
    ['non-breaking spaces', '879\u00a009\u00a07483', '879 09 7483'],
    ['thin and narrow spaces', '879\u200909\u202f7483', '879 09 7483'],
    ['typographic dashes', '123\u201345\u20146789', '123-45-6789'],
    ['minus sign and non-breaking hyphen', '123\u221245\u20116789', '123-45-6789'],
    ['full-width digits', '\uff11\uff12\uff13-45-6789', '123-45-6789'],
    ['mathematical digits (surrogate pairs)', '\u{1d7cf}\u{1d7d0}3-45-6789', '123-45-6789'],
    ['Arabic-Indic digits', '\u0661\u0662\u0663-45-6789', '123-45-6789'],
    ['zero-width characters', '12\u200b3-4\u200d5-67\ufeff89', '123-45-6789'],
    ['soft hyphens', '123\u00ad-45-6789', '123-45-6789'],
    ['Cyrillic look-alike letters', '\u0420\u0412774522\u0031', 'PB7745221'],
  ])('folds %s and maps back to the raw characters', (_name, raw, folded) => {
    const mapped = prepareText(raw);
    expect(mapped.text).toBe(folded);
    expect(rawOf(raw, mapped, folded)).toBe(raw);
  });

  it('maps a folded value in the middle of text to exactly its raw range', () => {
    const raw = 'before \uff11\uff12\uff13\u200b-45-6789 after';
    const mapped = prepareText(raw);
    expect(rawOf(raw, mapped, '123-45-6789')).toBe('\uff11\uff12\uff13\u200b-45-6789');
    expect(rawOf(raw, mapped, 'after')).toBe('after');
  });
});

describe('prepareHtml', () => {
  it('joins an identifier split across inline tags', () => {
    const raw = '<div><span>SSN 536</span><span style="color:red">-22-1874</span></div>';
    const mapped = prepareHtml(raw);
    expect(mapped.text).toContain('SSN 536-22-1874');
    expect(rawOf(raw, mapped, '536-22-1874')).toBe('536</span><span style="color:red">-22-1874');
  });

  it('keeps block elements apart and lays tables out as tab-separated rows', () => {
    const mapped = prepareHtml(
      '<p>123</p><p>45</p><table><tr><td><p class=MsoNormal>SSN</p></td><td>x</td></tr>' +
        '<tr><td><p>6789</p></td><td><div>y</div></td></tr></table>',
    );
    expect(mapped.text).not.toContain('123 45');
    const rows = mapped.text.split('\n').filter(Boolean);
    expect(rows.map((row) => row.split('\t').map((cell) => cell.trim()))).toEqual([
      ['123'],
      ['45'],
      ['', 'SSN', 'x'],
      ['', '6789', 'y'],
    ]);
  });

  it('skips head, style, script, title and comments', () => {
    const raw =
      '<html><head><title>123-45-6789</title><style>p{color:red}</style></head><body>' +
      '<script>var ssn = "123-45-6789";</script><!-- 123-45-6789 -->visible</body></html>';
    const mapped = prepareHtml(raw);
    expect(mapped.text.trim()).toBe('visible');
  });

  it('decodes named, decimal and hex references and maps them back', () => {
    const raw = 'GB66&nbsp;BARC&#32;9484&#x2013;9864 &amp; &lt;b&gt; &copy';
    const mapped = prepareHtml(raw);
    expect(mapped.text).toBe('GB66 BARC 9484-9864 & <b> \u00a9');
    expect(rawOf(raw, mapped, 'GB66 BARC 9484-9864')).toBe('GB66&nbsp;BARC&#32;9484&#x2013;9864');
  });

  it('leaves unknown references and stray angle brackets as text', () => {
    const mapped = prepareHtml('a &bogus; b < c <3 d');
    expect(mapped.text).toBe('a &bogus; b < c <3 d');
  });

  it('turns source line breaks into spaces as a browser shows them', () => {
    const mapped = prepareHtml('<p>SSN\n123-45-6789</p>');
    expect(mapped.text).toContain('SSN 123-45-6789');
  });

  it('ignores ">" inside quoted attribute values', () => {
    const mapped = prepareHtml('<a title="x > y" href=\'a>b\'>link</a> text');
    expect(mapped.text).toBe('link text');
  });

  it('still scans after a hidden element that is never closed: malformed markup cannot hide data', () => {
    expect(prepareHtml('shown<script>123-45-6789').text).toBe('shown123-45-6789');
  });
});

describe('prepareHtml tag names', () => {
  it('ends a tag name at whitespace and control characters', () => {
    expect(prepareHtml('a<br\r\n>b<p\tclass="x">c<BR/>d').text).toBe('a\nb\nc\nd');
  });
});
