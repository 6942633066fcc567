import { looksLikeDate, looksLikePhone } from '../dates';
import { compact, type Recognizer } from '../recognizer';

export const memberId: Recognizer = {
  type: 'MEMBER_ID',
  patterns: [
    {
      name: 'labelled',
      regex: /\b[A-Z]{0,4}-?\d[A-Z0-9]{2,19}(?:-[A-Z0-9]{2,10}){0,3}\b/gi,
      score: 0.35,
      needsContext: true,
      // Up to four letters and a hyphen.
      lead: 5,
    },
  ],
  structured: /^[A-Z0-9][A-Z0-9-]{4,24}$/i,
  validate(value) {
    const id = compact(value);
    const digits = id.replace(/[A-Z]/g, '').length;
    // Plan member IDs are mostly digits; a word with a digit in it is not one.
    if (digits < 5 || id.length < 7 || id.length > 20) return undefined;
    // A toll-free number under a "member services" heading is a phone number.
    if (/^8(?:00|33|44|55|66|77|88)\d{7}$/.test(id)) return undefined;
    // A date under "Member since", and a CMS contract-plan number (H1234-001), are not member IDs.
    if (looksLikeDate(value) || looksLikePhone(value) || /^[EHRS]\d{4}-\d{3}(?:-\d{3})?$/i.test(value))
      return undefined;
    return { detail: `${id.length}-character member ID` };
  },
};
