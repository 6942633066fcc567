import { h, recognizerTable, t } from './table';

recognizerTable('ABA_ROUTING', {
  positives: [
    // Label wordings
    t('Routing: 011826338', '011826338'),
    t('ABA 020434834', '020434834'),
    t('Routing/ABA #: 039548627', '039548627'),
    t('ABA/Routing No. 039548627', '039548627'),
    t('RTN 110579861', '110579861'),
    t('routing no. 128282881', '128282881'),
    t('Routing & transit number 210729029', '210729029'),
    t('Wire routing 262279187', '262279187'),
    t('ABA#310588872', '310588872'),
    t('R/T 060187808', '060187808'),
    t('Bank routing number is 071759898.', '071759898'),
    t('Routing Number (ABA): 088347882', '088347882'),
    t('Transit no. 321803342', '321803342'),
    t('ACH routing 011826338', '011826338'),
    t('Rtg # 011826338', '011826338'),
    t('RTN:011826338', '011826338'),
    // Positions and several values
    t('Routing number:\n088347882', '088347882'),
    t('011826338 (routing) / 4070159361 (account)', '011826338'),
    t('Routing: 011826338  Account number 4070159361', '011826338'),
    t('Routing 011826338, acct 4070159361; wire routing 262279187.', '011826338', '262279187'),
    t('Please use ABA 020434834', '020434834'),
    // Spacing and Unicode
    t('Routing  011826338', '011826338'),
    t('Routing 0118 2633 8', '0118 2633 8'),
    t('Routing\u00a0011826338', '011826338'),
    t('Routing ０１１８２６３３８', '０１１８２６３３８'),
    t('Routing 0118\u200b26338', '0118\u200b26338'),
    t('Routing 0118\u00ad26338', '0118\u00ad26338'),
    // HTML
    h('<table><tr><td>Routing</td><td>011826338</td></tr></table>', '011826338'),
    h(
      '<table><tr><th>ABA</th><th>Account</th></tr><tr><td>020434834</td><td>4070159361</td></tr></table>',
      '020434834',
    ),
    h('<p>Routing: <span>0118</span><span>26338</span></p>', '0118</span><span>26338'),
    h('<p>ABA&nbsp;020434834</p>', '020434834'),
    h('<div>Routing number</div><div>088347882</div>', '088347882'),
    h('<p>Routing <b>011826338</b>.</p>', '011826338'),
  ],
  negatives: [
    // Wrong check digit
    t('Routing: 011826339'),
    t('ABA 020434835'),
    t('RTN 110579862'),
    t('Routing number 088347883'),
    // Valid 3-7-1 sum, but no Federal Reserve prefix
    t('Routing: 501234566'),
    t('Routing: 412345670'),
    t('Routing: 901234564'),
    t('Routing: 135792461'),
    // Wrong length, placeholder
    t('Routing: 01182633'),
    t('Routing: 0118263380'),
    t('Routing: 000000000'),
    t('Routing: XXXXX6338'),
    // Valid numbers that are something else
    t('Ticket 011826338'),
    t('Batch 011826338 was posted'),
    t('Confirmation number 020434834'),
    t('Routing updated; ticket 011826338 closed.'),
    t('Member ID 011826338'),
    t('Claim 011826338 was reprocessed.'),
    t('The totals were 011826338 and 020434834.'),
    t('Phone 011826338'),
    h('<table><tr><td>Ticket</td><td>011826338</td></tr></table>'),
  ],
});
