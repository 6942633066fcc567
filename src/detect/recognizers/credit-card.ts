import { cardNetwork, luhnValid } from '../checksums';
import type { Recognizer, Validation } from '../recognizer';

/**
 * Whether the digits are written as one number: one kind of separator
 * throughout, and groups of three or more digits (or every digit apart). A run
 * of amounts ("1250.00  3400.50 2210.75") mixes separators and has two-digit
 * cents: several numbers, not a card.
 */
function groupedAsOne(value: string): boolean {
  const separators = value.match(/\D+/g);
  if (separators === null) return true;
  for (const s of separators) if (s !== separators[0]) return false;
  const groups = value.split(separators[0]);
  if (groups.every((g) => g.length === 1)) return true;
  for (let i = 0; i < groups.length - 1; i++) if (groups[i]!.length < 3) return false;
  return true;
}

export const creditCard: Recognizer = {
  type: 'CREDIT_CARD',
  // Any grouping of 13 to 19 digits with spaces, dashes or dots, starting with
  // 2 to 6 as every network's numbers do; the
  // validator finds the longest prefix that is a real card number, because
  // the pattern may run on into a following number ("2545 12 31").
  patterns: [
    {
      name: 'luhn',
      regex: /\b[1-6](?:(?: ?[-.] ?| {1,2})?\d){12,18}\b/g,
      lead: 0,
      score: 0.6,
      standsAlone: true,
    },
  ],
  validate(value) {
    // Every card network's numbers start with 1 to 6: anything else is not a card, at once.
    const first = value.charAt(0);
    if (first < '1' || first > '6') return undefined;
    let best: Validation | undefined;
    let digits = '';
    for (let i = 0; i < value.length; i++) {
      const c = value.charAt(i);
      if (c < '0' || c > '9') continue;
      digits += c;
      const next = value.charAt(i + 1);
      const atGroupEnd = next === '' || next < '0' || next > '9';
      if (!atGroupEnd || digits.length < 13) continue;
      const network = cardNetwork(digits);
      if (network !== undefined && luhnValid(digits) && groupedAsOne(value.slice(0, i + 1))) {
        // A 15-digit number starting with 1 is often something else: UATP needs its label.
        best = {
          detail: `Luhn-valid ${network} number`,
          length: i + 1,
          scoreDelta: network === 'UATP' ? -0.15 : 0,
        };
      }
    }
    return best;
  },
};
