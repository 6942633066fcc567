import { h, recognizerTable, t } from './table';

// Cyrillic letters that render like the Latin ones: А (A), В (B), М (M), К (K).
const CYR_A = '\u0410';
const CYR_B = '\u0412';
const CYR_M = '\u041c';
const CYR_K = '\u041a';

recognizerTable('DEA', {
  positives: [
    // Label wordings
    t('DEA: AB3875006', 'AB3875006'),
    t('DEA# BJ4743957', 'BJ4743957'),
    t('DEA #: FM7551319', 'FM7551319'),
    t("Dr. Kim's DEA number: MK3735377", 'MK3735377'),
    t('DEA Reg. No. AS9907518', 'AS9907518'),
    t('DEA registration: GR1637264', 'GR1637264'),
    t('Prescriber DEA PT2220298', 'PT2220298'),
    t('DEA X95167615 (DATA waiver)', 'X95167615'),
    t('dea ab3875006', 'ab3875006'),
    t('DEA:AB3875006', 'AB3875006'),
    t('Dr. Ward, CW7299755', 'CW7299755'),
    t('Controlled substance registration BL2882000', 'BL2882000'),
    // Positions and several values
    t('DEA\nAB3875006', 'AB3875006'),
    t('AB3875006 (DEA) expires in June', 'AB3875006'),
    t('AB3875006', 'AB3875006'),
    t('Please update the DEA to BJ4743957.', 'BJ4743957'),
    t('DEA numbers AB3875006, BJ4743957 and FM7551319.', 'AB3875006', 'BJ4743957', 'FM7551319'),
    t('"AB3875006"', 'AB3875006'),
    // Spacing and Unicode
    t('DEA  AB3875006', 'AB3875006'),
    t('DEA AB 3875006', 'AB 3875006'),
    t('DEA AB-3875006', 'AB-3875006'),
    t('DEA ＡＢ３８７５００６', 'ＡＢ３８７５００６'),
    t('DEA AB387\u200b5006', 'AB387\u200b5006'),
    t('DEA AB387\u00ad5006', 'AB387\u00ad5006'),
    t(`DEA ${CYR_A}${CYR_B}3875006`, `${CYR_A}${CYR_B}3875006`),
    t(`DEA ${CYR_M}${CYR_K}3735377`, `${CYR_M}${CYR_K}3735377`),
    t(`DEA A${CYR_B}3875006`, `A${CYR_B}3875006`),
    // HTML
    h('<table><tr><td>DEA</td><td>AB3875006</td></tr></table>', 'AB3875006'),
    h('<p>DEA #: <span>AB387</span><span>5006</span></p>', 'AB387</span><span>5006'),
    h('<p>DEA <span>AB</span>3875006</p>', 'AB</span>3875006'),
    h('<p>DEA&nbsp;AB3875006</p>', 'AB3875006'),
    h('<p>DEA &#x410;&#x412;3875006</p>', '&#x410;&#x412;3875006'),
    h('<div>DEA number</div><div>FM7551319</div>', 'FM7551319'),
    // Broken across paragraphs: still one number.
    h('<p>DEA <span>AB387</span></p><p>5006</p>', 'AB387</span></p><p>5006'),
  ],
  negatives: [
    // Wrong check digit
    t('DEA: AB3875007'),
    t('DEA# BJ4743958'),
    t('DEA FM7551310'),
    t('DEA X95167616'),
    // Letters DEA never assigns first, wrong shape or length
    t('DEA: IB3875006'),
    t('DEA: QB3875006'),
    t('DEA: 1B3875006'),
    t('DEA: AB387500'),
    t('DEA: AB38750061'),
    t('DEA: XAB3875006'),
    t('DEA: 12AB3875006'),
    t('DEA: AB****006'),
    // Identifiers of other kinds
    t('NI number QQ123456C'),
    t('Passport no. AB1234563'),
    t('Confirmation code AB3875006'),
    t('Part AB3875006'),
    t('Model AB3875006-X'),
    h('<td>AB</td><td>3875006</td>'),
  ],
});
