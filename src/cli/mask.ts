/**
 * Masks a detected value for display: the person running the scan sees which
 * value was meant (the last few characters, as on a bank statement) without
 * the output becoming a second copy of the sensitive data.
 */
const ALNUM = /[\p{L}\p{N}]/u;

/** How many trailing letters or digits stay readable at most. */
const KEEP = 4;

/**
 * Replaces every letter and digit with `*` except the last four, keeping
 * separators so the shape stays recognisable: `123-45-6789` → `***-**-6789`.
 * Short values keep at most half their letters and digits, so a masked value
 * never shows a whole identifier (`E11.9` → `**1.9`).
 */
export function maskValue(value: string): string {
  const chars = Array.from(value);
  const alnum = chars.filter((c) => ALNUM.test(c)).length;
  const keep = Math.min(KEEP, Math.floor(alnum / 2));
  let seen = 0;
  return chars
    .map((c) => {
      if (!ALNUM.test(c)) return c;
      seen++;
      return seen > alnum - keep ? c : '*';
    })
    .join('');
}
