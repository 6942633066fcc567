import { h, recognizerTable, t } from './table';

recognizerTable('US_BANK_ACCOUNT', {
  positives: [
    // Label wordings
    t('Account number 4070159361', '4070159361'),
    t('Acct. No. 4070159361', '4070159361'),
    t('Acct #: 27375093073', '27375093073'),
    t('acct# 27375093073', '27375093073'),
    t('Checking account 274019388', '274019388'),
    t('Savings acct: 91027735', '91027735'),
    t('A/C 55018823', '55018823'),
    t('A/C No. 55018823', '55018823'),
    t('DDA 4405178820', '4405178820'),
    t('Bank account: 1202334626485', '1202334626485'),
    t('Deposit to account 4070-1593-61', '4070-1593-61'),
    t('Beneficiary account no. 4070159361', '4070159361'),
    t('Account No.:4070159361', '4070159361'),
    t('ACCOUNT NUMBER 4070159361', '4070159361'),
    t('Acct 4070159361 at First Example Bank', '4070159361'),
    t('Checking # 274019388', '274019388'),
    // Beside a routing number
    t('Routing: 011826338  Account number 4070159361', '4070159361'),
    t('Routing 011826338 / Acct 4070159361', '4070159361'),
    t('ABA 020434834, acct # 1202334626485.', '1202334626485'),
    // Positions and several values
    t('Account number:\n4070159361', '4070159361'),
    t('4070159361 (checking account)', '4070159361'),
    t('Accounts 4070159361 and 27375093073 are both closed.', '4070159361', '27375093073'),
    t('Checking acct 274019388; savings acct 91027735.', '274019388', '91027735'),
    // Spacing and Unicode
    t('Account number  4070159361', '4070159361'),
    t('Account\u00a0number\u00a04070159361', '4070159361'),
    t('Account ４０７０１５９３６１', '４０７０１５９３６１'),
    t('Account 40701\u200b59361', '40701\u200b59361'),
    t('Account 4070\u20131593\u201361', '4070\u20131593\u201361'),
    t('Account 40701\u00ad59361', '40701\u00ad59361'),
    t('Account # 4070 1593 61', '4070 1593 61'),
    // HTML
    h('<table><tr><td>Account</td><td>4070159361</td></tr></table>', '4070159361'),
    h(
      '<table><tr><th>Routing</th><th>Account</th></tr><tr><td>011826338</td><td>4070159361</td></tr></table>',
      '4070159361',
    ),
    h('<p>Acct #: <span>40701</span><span>59361</span></p>', '40701</span><span>59361'),
    h('<p>Account&nbsp;number&nbsp;4070159361</p>', '4070159361'),
    h('<div>Account number</div><div>4070159361</div>', '4070159361'),
  ],
  negatives: [
    // Masked, too short, placeholders
    t('Account ending in 4470'),
    t('Account ****4470'),
    t('Account XXXXXX9361'),
    t('Account number 0000000000'),
    t('Account number 12345'),
    // Numbers near account wording that are something else
    t('Account manager: call 415-555-0134'),
    t('Accounts payable phone 8005550134'),
    t('Account balance: $12,450.00'),
    t('Your account was updated on 2024-03-15.'),
    t('Account opened 03-15-2024'),
    t('Account number: see invoice 4070159361'),
    t('Account rep ext. 40701'),
    t('Account address ZIP 90210-1234'),
    t('Account ticket 4070159361'),
    t('Account holder member ID 4070159361'),
    t('Account NPI 1159010929'),
    t('Accountability report 4070159361'),
    t('Accounting batch 4070159361 was posted.'),
    t('The account team will follow up. Reference 4070159361.'),
    t('Routing: 011826338'),
    t('Account routing 011826338'),
    t('Account 2024 summary'),
    h(
      '<table><tr><td>Account</td><td>Phone</td></tr><tr><td>Example Clinic</td><td>4155550134</td></tr></table>',
    ),
  ],
});
