import { cardNetwork, luhnValid } from '../checksums';
import type { Recognizer, Validation } from '../recognizer';

export const creditCard: Recognizer = {
  type: 'CREDIT_CARD',
  // Any grouping of 13 to 19 digits with spaces, dashes or dots, starting with
  // 2 to 6 as every network's numbers do; the
  // validator finds the longest prefix that is a real card number, because
  // the pattern may run on into a following number ("2545 12 31").
  patterns: [{ name: 'luhn', regex: /\b[2-6](?:(?: ?[-.] ?| {1,2})?\d){12,18}\b/g, score: 0.6 }],
  validate(value) {
    // Every card network's numbers start with 2 to 6: anything else is not a card, at once.
    const first = value.charAt(0);
    if (first < '2' || first > '6') return undefined;
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
      if (network !== undefined && luhnValid(digits)) {
        best = { detail: `Luhn-valid ${network} number`, length: i + 1 };
      }
    }
    return best;
  },
};
