import { h, recognizerTable, t } from './table';

recognizerTable('US_EIN', {
  positives: [
    // Label wordings
    t('EIN: 46-3817265', '46-3817265'),
    t('EIN 463817265', '463817265'),
    t('FEIN 46-3817265', '46-3817265'),
    t('Tax ID (TIN): 46-3817265', '46-3817265'),
    t('Tax ID#: 463817265', '463817265'),
    t('TIN#: 46-3817265', '46-3817265'),
    t('Federal Tax ID No. 46-3817265', '46-3817265'),
    t('Fed Tax ID: 46-3817265', '46-3817265'),
    t('Fed. ID #46-3817265', '46-3817265'),
    t('Federal EIN 27-1473308', '27-1473308'),
    t('Employer Identification Number: 46-3817265', '46-3817265'),
    t('Employer ID No. 81-0077421', '81-0077421'),
    t('Taxpayer ID: 46-3817265', '46-3817265'),
    t('ein 46-3817265', '46-3817265'),
    t('W-9 attached, TIN 46-3817265', '46-3817265'),
    t('Tax Identification No.: 46-3817265', '46-3817265'),
    // Positions and several values
    t('EIN\n46-3817265', '46-3817265'),
    t('46-3817265 (EIN) is on the W-9', '46-3817265'),
    t('46-3817265 is our tax ID', '46-3817265'),
    t('Please update the TIN to 46-3817265.', '46-3817265'),
    t('EINs: 46-3817265, 27-1473308 and 81-0077421.', '46-3817265', '27-1473308', '81-0077421'),
    t('Group TIN 46-3817265 / billing TIN 27-1473308', '46-3817265', '27-1473308'),
    // Spacing and Unicode
    t('EIN  46-3817265', '46-3817265'),
    t('EIN 46\u20133817265', '46\u20133817265'),
    t('EIN 46\u20143817265', '46\u20143817265'),
    t('EIN ４６－３８１７２６５', '４６－３８１７２６５'),
    t('EIN 46-381\u200b7265', '46-381\u200b7265'),
    t('EIN 46\u00ad3817265', '46\u00ad3817265'),
    t('EIN 46 3817265', '46 3817265'),
    // HTML
    h('<table><tr><td>Tax ID</td><td>46-3817265</td></tr></table>', '46-3817265'),
    h(
      '<table><tr><th>Practice</th><th>TIN</th></tr><tr><td>Example Clinic</td><td>46-3817265</td></tr></table>',
      '46-3817265',
    ),
    h('<p>EIN <span>46</span><span>-3817265</span></p>', '46</span><span>-3817265'),
    h('<p>EIN&nbsp;46&#8209;3817265</p>', '46&#8209;3817265'),
    h('<div>Federal Tax ID</div><div>46-3817265</div>', '46-3817265'),
  ],
  negatives: [
    // Prefixes the IRS never assigned
    t('EIN: 00-3817265'),
    t('EIN: 07-3817265'),
    t('EIN: 08-3817265'),
    t('EIN: 17-3817265'),
    t('EIN: 28-3817265'),
    t('EIN: 69-3817265'),
    t('EIN: 89-3817265'),
    t('EIN: 96-3817265'),
    // Wrong shape or length, masked
    t('EIN 46-381726'),
    t('EIN 46-38172655'),
    t('EIN 463-817-265'),
    t('EIN XX-XXX7265'),
    // An SSN or ITIN given as the TIN is not an EIN
    t('TIN 536-22-1874'),
    t('Tax ID (ITIN) 912-70-1234'),
    // No tax wording, or a harmless label nearer
    t('Order 46-3817265'),
    t('Justin Martin 46-3817265'),
    t('EIN on file. Invoice 46-3817265 is attached.'),
    t('Tax ID pending; ticket 463817265'),
    t('Tax year 2023 summary'),
    t('Call the tax ID desk at 415-555-0134'),
    h('<table><tr><td>Ticket</td><td>46-3817265</td></tr></table>'),
  ],
});
