import { h, recognizerTable, t } from './table';

recognizerTable('ICD10', {
  positives: [
    // Label wordings
    t('Dx: E11.65', 'E11.65'),
    t('Diagnosis code E11.9', 'E11.9'),
    t('ICD-10-CM: J45.909', 'J45.909'),
    t('ICD10 I10', 'I10'),
    t('ICD-10 code M54.50', 'M54.50'),
    t('Primary dx M54.5', 'M54.5'),
    t('Principal diagnosis: S72.001A', 'S72.001A'),
    t('Admitting Dx T81.4XXA', 'T81.4XXA'),
    t('Diagnosed with F32.A this spring', 'F32.A'),
    t('Diag: G47.33', 'G47.33'),
    t('DX - R07.9', 'R07.9'),
    t('dx: e11.65', 'e11.65'),
    t('Dx E1165', 'E1165'),
    t('Diagnoses: E11.65, I10 and Z79.4.', 'E11.65', 'I10', 'Z79.4'),
    t('Dx codes: E11.65/I10', 'E11.65', 'I10'),
    t('ICD-10 codes (primary, secondary): C50.911; Z17.0', 'C50.911', 'Z17.0'),
    t('Secondary dx O24.419', 'O24.419'),
    t('Dx:Z00.00', 'Z00.00'),
    t('Dx: U07.1 (COVID-19)', 'U07.1'),
    // Positions
    t('Dx\nE11.65', 'E11.65'),
    t('E11.65 (diagnosis) was added to the claim', 'E11.65'),
    t('Please add diagnosis E11.65.', 'E11.65'),
    t('Diagnosis: type 2 diabetes with hyperglycemia (E11.65)', 'E11.65'),
    t('Diagnosis "J45.909"', 'J45.909'),
    // Spacing and Unicode
    t('Dx:  E11.65', 'E11.65'),
    t('Dx\u00a0E11.65', 'E11.65'),
    t('Dx Ｅ１１.６５', 'Ｅ１１.６５'),
    t('Dx E11\u200b.65', 'E11\u200b.65'),
    t('Dx E11\uff0e65', 'E11\uff0e65'),
    t('Dx \u041511.65', '\u041511.65'),
    // HTML
    h('<table><tr><td>Dx</td><td>E11.65</td></tr></table>', 'E11.65'),
    h(
      '<table><tr><th>Patient</th><th>Diagnosis</th></tr><tr><td>J. Roe</td><td>E11.65</td></tr></table>',
      'E11.65',
    ),
    h('<p>ICD-10: <span>E11</span><span>.65</span></p>', 'E11</span><span>.65'),
    h('<p>Dx&nbsp;E11.65</p>', 'E11.65'),
    h('<div>Diagnosis code</div><div>M54.50</div>', 'M54.50'),
  ],
  negatives: [
    // No diagnosis wording at all
    t('E11.65'),
    t('Take bus E11 to the clinic'),
    t('Meet in room E11'),
    t('Printer tray: paper size B5, envelope C10'),
    // Diagnosis wording, but the code is something else
    t('Meet in room E11 to discuss the diagnosis.'),
    t('Dx review in suite B12 at 3 PM'),
    t('Bus E11 \u2013 diagnosis clinic shuttle'),
    t('Mail the diagnosis letters in envelope size C10.'),
    t('Diagnosis letters go out on paper size A4 or B5'),
    t('Dx pending; order A12345 placed'),
    t('Diagnosis meeting at 10 AM, floor B2, room C14'),
    t('ICD-10 webinar: call ext. C123'),
    t('The diagnosis is in the chart; see form W9 and fax F20 cover sheet'),
    // Not ICD-10 codes
    t('Dx: HbA1c 7.2'),
    t('Dx: A1C improved'),
    t('Dx: E1'),
    t('Dx code 250.00 (ICD-9)'),
    t('Diagnosis: see attachment'),
    h('<table><tr><td>Room</td><td>E11</td></tr></table><p>Diagnosis follows.</p>'),
  ],
});
