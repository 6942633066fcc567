import { h, recognizerTable, t } from './table';

recognizerTable('US_ITIN', {
  positives: [
    // Label wordings
    t('ITIN: 912-70-1234', '912-70-1234'),
    t('ITIN 912701234', '912701234'),
    t('ITIN#: 912 78 4410', '912 78 4410'),
    t('Taxpayer ID (ITIN) 945-88-3307', '945-88-3307'),
    t('Individual Taxpayer Identification Number: 912701234', '912701234'),
    t('Individual taxpayer ID no. 978-94-5521', '978-94-5521'),
    t('itin 912-70-1234', '912-70-1234'),
    t('I.T.I.N. 912-70-1234', '912-70-1234'),
    t('W-7 approved; ITIN 900-50-1234 assigned.', '900-50-1234'),
    t('ITIN:912.65.1234', '912.65.1234'),
    // Every IRS group range
    t('ITIN 912-50-1234', '912-50-1234'),
    t('ITIN 912-65-1234', '912-65-1234'),
    t('ITIN 912-70-1234', '912-70-1234'),
    t('ITIN 912-88-1234', '912-88-1234'),
    t('ITIN 912-90-1234', '912-90-1234'),
    t('ITIN 912-92-1234', '912-92-1234'),
    t('ITIN 912-94-1234', '912-94-1234'),
    t('ITIN 912-99-1234', '912-99-1234'),
    // Position: next line, label after, start and end of text
    t('ITIN\n912701234', '912701234'),
    t('912-70-1234 (ITIN) was issued last year', '912-70-1234'),
    t('912701234 is the ITIN on the W-7', '912701234'),
    t('The member files with ITIN 978-94-5521', '978-94-5521'),
    t('Member ITIN is 912-70-1234.', '912-70-1234'),
    t('ITINs: 912-70-1234, 945-88-3307 and 978-94-5521.', '912-70-1234', '945-88-3307', '978-94-5521'),
    // Spacing and Unicode
    t('ITIN  912-70-1234', '912-70-1234'),
    t('ITIN 912\u201370\u20131234', '912\u201370\u20131234'),
    t('ITIN 912\u00a070\u00a01234', '912\u00a070\u00a01234'),
    t('ITIN ９１２－７０－１２３４', '９１２－７０－１２３４'),
    t('ITIN 912-7\u200b0-1234', '912-7\u200b0-1234'),
    t('ITIN 912\u00ad70\u00ad1234', '912\u00ad70\u00ad1234'),
    // HTML
    h('<table><tr><td>ITIN</td><td>912-70-1234</td></tr></table>', '912-70-1234'),
    h('<table><tr><td>ITIN</td><td>912701234</td></tr></table>', '912701234'),
    h('<p>ITIN: <span>912</span><span>-70-1234</span></p>', '912</span><span>-70-1234'),
    h('<p>ITIN&nbsp;912&nbsp;70&nbsp;1234</p>', '912&nbsp;70&nbsp;1234'),
    h('<div>Taxpayer ID (ITIN)</div><div>945-88-3307</div>', '945-88-3307'),
    h('<p>ITIN 912&#8209;70&#8209;1234</p>', '912&#8209;70&#8209;1234'),
  ],
  negatives: [
    // 9xx numbers whose group the IRS does not use for ITINs
    t('ITIN: 912-45-1234'),
    t('ITIN: 912-66-1234'),
    t('ITIN: 912-69-1234'),
    t('ITIN: 912-89-1234'),
    t('ITIN: 912-93-1234'),
    t('ITIN: 912-00-1234'),
    t('ITIN 912451234'),
    // Not 9xx at all: an SSN or EIN labelled loosely
    t('ITIN: 536-22-1874'),
    t('ITIN: 812-70-1234'),
    t('Tax ID 46-3817265'),
    // Masked or wrong length
    t('ITIN: 9XX-XX-1234'),
    t('ITIN 912-70-12345'),
    t('ITIN 91270123'),
    // Decoys
    t('Ticket 912701234 is about the ITIN letter.'),
    t('Batch 912701234'),
    t('Confirmation number 912701234'),
    t('Phone: 912-701-2345'),
    t('Call 912.701.2345 about the ITIN renewal'),
    t('We processed 912701234 records this month.'),
    t('Order 912-70-1234 shipped'),
    h('<table><tr><td>Ticket</td><td>912701234</td></tr></table>'),
    h('<p>ITIN: <span>9XX-XX-</span>1234</p>'),
  ],
});
