/**
 * Bytes to text. Mail and files name their charset, or do not; unnamed text
 * that is not valid UTF-8 is almost always Windows-1252 (the superset of
 * Latin-1 that Outlook and Windows tools write), so that is the fallback.
 */

/** Decodes `bytes` in the named charset; unknown or missing names fall back as described above. */
export function decodeBytes(bytes: Uint8Array, charset?: string): string {
  const label = charset?.trim().toLowerCase();
  if (label !== undefined && label !== '' && !isUnspecific(label)) {
    const decoder = decoderFor(label);
    if (decoder?.encoding === 'windows-1252') return decodeWindows1252(bytes);
    if (decoder !== undefined) return decoder.decode(bytes);
  }
  return decodeUtf8OrLegacy(bytes);
}

function decodeUtf8OrLegacy(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
  }
}

/**
 * Windows-1252 bytes 0x80-0x9F (euro sign, curly quotes, dashes); undefined
 * bytes stay as the C1 control of the same number, as the WHATWG table has it.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

/**
 * Decodes Windows-1252 (also what the WHATWG labels latin1, iso-8859-1 and
 * us-ascii mean) by hand: Node 20's TextDecoder decodes it as ISO-8859-1 and
 * turns the en dash 0x96 into an invisible control character.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const codes = Array.from(bytes.subarray(i, i + 8192), (b) =>
      b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b,
    );
    out += String.fromCharCode(...codes);
  }
  return out;
}

/**
 * UTF-8 labels, and US-ASCII: pure ASCII reads the same either way, and 8-bit
 * bytes under an ASCII label mean the label is wrong, so guess instead.
 */
function isUnspecific(label: string): boolean {
  return ['utf-8', 'utf8', 'unicode-1-1-utf-8', 'us-ascii', 'ascii'].includes(label);
}

function decoderFor(label: string): TextDecoder | undefined {
  try {
    return new TextDecoder(label);
  } catch {
    // An unknown charset name; better to show the text in UTF-8 than to refuse it.
    return undefined;
  }
}
