import { h, recognizerTable, t } from './table';

// Cyrillic letters that render like the Latin ones: К (K), Н (H), А (A), Р (P), Т (T), Х (X), С (C), М (M).
const CYR_K = '\u041a';
const CYR_H = '\u041d';
const CYR_A = '\u0410';
const CYR_P = '\u0420';
const CYR_T = '\u0422';
const CYR_M = '\u041c';

recognizerTable('MEDICARE_MBI', {
  positives: [
    // Label wordings
    t('Medicare ID: 3WK7HA2QP51', '3WK7HA2QP51'),
    t('MBI 3WK7-HA2-QP51', '3WK7-HA2-QP51'),
    t('Medicare Beneficiary Identifier: 8CX2RN4TY06', '8CX2RN4TY06'),
    t('Medicare #5JD9F72AM14', '5JD9F72AM14'),
    t('Medicare no. 5JD9-F72-AM14', '5JD9-F72-AM14'),
    t('New Medicare card number: 3WK7HA2QP51', '3WK7HA2QP51'),
    t('Pt Medicare number 8CX2-RN4-TY06 (Part A and B)', '8CX2-RN4-TY06'),
    t('mbi: 3wk7ha2qp51', '3wk7ha2qp51'),
    t('Medicare ID 3wk7-ha2-qp51', '3wk7-ha2-qp51'),
    t('3WK7HA2QP51', '3WK7HA2QP51'),
    t('Beneficiary 3WK7 HA2 QP51 was enrolled in Part D.', '3WK7 HA2 QP51'),
    // Positions
    t('MBI\n3WK7HA2QP51', '3WK7HA2QP51'),
    t('3WK7HA2QP51 (MBI) is on the new card', '3WK7HA2QP51'),
    t('Please update the MBI to 8CX2RN4TY06.', '8CX2RN4TY06'),
    t('MBIs: 3WK7HA2QP51, 8CX2RN4TY06; 5JD9F72AM14.', '3WK7HA2QP51', '8CX2RN4TY06', '5JD9F72AM14'),
    t('Medicare (MBI: 3WK7-HA2-QP51)', '3WK7-HA2-QP51'),
    // Spacing and Unicode
    t('MBI 3WK7\u2013HA2\u2013QP51', '3WK7\u2013HA2\u2013QP51'),
    t('MBI 3WK7\u00a0HA2\u00a0QP51', '3WK7\u00a0HA2\u00a0QP51'),
    t('MBI ３ＷＫ７ＨＡ２ＱＰ５１', '３ＷＫ７ＨＡ２ＱＰ５１'),
    t('MBI 3WK7H\u200bA2QP51', '3WK7H\u200bA2QP51'),
    t('MBI 3WK7\u00adHA2\u00adQP51', '3WK7\u00adHA2\u00adQP51'),
    t(`MBI 3W${CYR_K}7${CYR_H}${CYR_A}2Q${CYR_P}51`, `3W${CYR_K}7${CYR_H}${CYR_A}2Q${CYR_P}51`),
    t(`Medicare ID 8CX2RN4${CYR_T}Y06`, `8CX2RN4${CYR_T}Y06`),
    t(`MBI 5JD9F72A${CYR_M}14`, `5JD9F72A${CYR_M}14`),
    // HTML
    h('<table><tr><td>MBI</td><td>3WK7HA2QP51</td></tr></table>', '3WK7HA2QP51'),
    h('<p>Medicare ID (MBI): <span>3WK7</span><span>HA2QP51</span></p>', '3WK7</span><span>HA2QP51'),
    h('<p>MBI 3WK7&nbsp;HA2&nbsp;QP51</p>', '3WK7&nbsp;HA2&nbsp;QP51'),
    h('<p>MBI 3WK7&#8209;HA2&#8209;QP51</p>', '3WK7&#8209;HA2&#8209;QP51'),
    h('<div>Medicare number</div><div>8CX2-RN4-TY06</div>', '8CX2-RN4-TY06'),
    h('<p>MBI 3W&#x41A;7HA2QP51</p>', '3W&#x41A;7HA2QP51'),
    // Broken across paragraphs: still one identifier.
    h('<p>MBI <span>3WK7</span></p><p>HA2QP51</p>', '3WK7</span></p><p>HA2QP51'),
  ],
  negatives: [
    // Break CMS's character rules
    t('MBI 0WK7HA2QP51'),
    t('MBI 35K7HA2QP51'),
    t('MBI 3SK7HA2QP51'),
    t('MBI 3WK7HA2QO51'),
    t('MBI 3WK7LA2QP51'),
    t('MBI 3WK7HA2QB51'),
    t('MBI 3WKZHA2QP51'),
    t('MBI 3WK7HA2QP5Z'),
    t('MBI 3WK7HAAQP51'),
    // Wrong length, masked, embedded
    t('MBI 3WK7HA2QP5'),
    t('MBI 3WK7HA2QP512'),
    t('MBI 3WK7-HA2-QP5'),
    t('MBI ****-***-QP51'),
    t('MBI ending in QP51'),
    t('Order X3WK7HA2QP51'),
    // Things shaped like identifiers
    t('Tracking: 1Z053AA16359283835'),
    t('Serial no. 3WK7-HA2-QP51'),
    t('License key 3WK7-HA2-QP51-7XKQ'),
    t('Postcode SW1A 1AA, London'),
    t('Medicare claim number 536221874A'),
    t('Flight UA1234 departs at 10:45'),
    h('<td>3WK7HA2</td><td>QP51</td>'),
  ],
});
