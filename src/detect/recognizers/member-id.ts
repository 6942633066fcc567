import { compact, type Recognizer } from '../recognizer';

export const memberId: Recognizer = {
  type: 'MEMBER_ID',
  patterns: [
    { name: 'labelled', regex: /\b[A-Z]{0,4}\d[A-Z0-9]{4,19}\b/gi, score: 0.35, needsContext: true },
  ],
  context: [
    'member', 'member id', 'member #', 'member number', 'member no', 'mem id', 'subscriber',
    'subscriber id', 'subscriber #', 'subscriber number', 'cin', 'client index', 'health net id',
    'medicaid id', 'medi-cal id', 'insurance id', 'insured id', 'plan id', 'policy #', 'policy number',
    'policy id', 'enrollee id', 'beneficiary id', 'recipient id', 'id card', 'card id', 'identification number',
  ], // prettier-ignore
  validate(value) {
    const id = compact(value);
    const digits = id.replace(/[A-Z]/g, '').length;
    // Plan member IDs are mostly digits; a word with a digit in it is not one.
    if (digits < 5 || id.length < 6 || id.length > 20) return undefined;
    return { detail: `${id.length}-character member ID` };
  },
};
