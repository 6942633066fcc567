/**
 * Writes common-passwords.txt: the passwords people choose first, which an
 * attacker tries first (NIST SP 800-63B asks that they be refused). Built from
 * patterns rather than a leaked list: popular words and names, keyboard walks,
 * digit runs and repeats, each with the endings people add to satisfy
 * composition rules (years, "123", "!", "1!"...). Only entries of at least the
 * minimum length are refused for themselves; shorter words are kept as the
 * stems the checker looks for under added digits and symbols.
 *
 *   npx tsx src/server/portal/common-passwords-generate.ts
 */
import { writeFileSync } from 'node:fs';
import { PASSWORD_MIN } from '../../shared/portal-api';

// prettier-ignore
const WORDS = [
  'password', 'passw0rd', 'p@ssword', 'p@ssw0rd', 'pass', 'qwerty', 'letmein', 'welcome', 'admin',
  'administrator', 'iloveyou', 'monkey', 'dragon', 'football', 'baseball', 'basketball', 'soccer', 'hockey',
  'sunshine', 'princess', 'shadow', 'master', 'superman', 'batman', 'trustno1', 'starwars', 'whatever',
  'freedom', 'computer', 'internet', 'secret', 'changeme', 'default', 'login', 'hello', 'hellothere',
  'charlie', 'michael', 'jennifer', 'jessica', 'ashley', 'daniel', 'thomas', 'jordan', 'hunter', 'ranger',
  'buster', 'tigger', 'pepper', 'ginger', 'summer', 'winter', 'spring', 'autumn', 'flower', 'cookie',
  'chocolate', 'butterfly', 'purple', 'orange', 'yellow', 'silver', 'golden', 'diamond', 'angel', 'lovely',
  'loveme', 'fuckyou', 'killer', 'matrix', 'mustang', 'harley', 'corvette', 'ferrari', 'yankees', 'cowboys',
  'steelers', 'eagles', 'lakers', 'liverpool', 'arsenal', 'chelsea', 'barcelona', 'jesus', 'christ',
  'blessed', 'heaven', 'family', 'friends', 'forever', 'michelle', 'nicole', 'andrew', 'joshua', 'matthew',
  'robert', 'william', 'richard', 'joseph', 'anthony', 'elizabeth', 'patricia', 'barbara', 'maria', 'sarah',
  'hospital', 'doctor', 'nurse', 'medical', 'clinic', 'health', 'healthcare', 'patient', 'billing',
  'office', 'frontdesk', 'reception', 'provider', 'insurance', 'medicare', 'medicaid', 'pharmacy',
  'company', 'business', 'manager', 'service', 'support', 'security', 'access', 'account', 'qazwsx',
  'zaq12wsx', 'asdfgh', 'zxcvbn', 'abc', 'abcd', 'abcdef', 'letmein', 'mypassword', 'newpassword',
  'temp', 'temppass', 'test', 'tester', 'guest', 'user', 'system', 'root', 'toor', 'oracle', 'cisco',
  'samsung', 'apple', 'google', 'microsoft', 'windows', 'outlook', 'office365', 'iphone', 'android',
  'pokemon', 'minecraft', 'naruto', 'mickey', 'snoopy', 'garfield', 'tweety', 'babygirl', 'sweetheart',
  'baby', 'love', 'lover', 'money', 'rockstar', 'bailey', 'maggie', 'buddy', 'lucky', 'sophie', 'daisy',
];

// prettier-ignore
const WALKS = [
  'qwertyuiop', 'qwertyui', 'qwerty123', 'asdfghjkl', 'asdfghjk', 'asdfasdf', 'zxcvbnm', 'zxcvbnm1',
  'qazwsxedc', '1qaz2wsx', '1qaz2wsx3edc', 'zaq1xsw2', 'zaq12wsx', 'qweasdzxc', '1q2w3e4r', '1q2w3e4r5t',
  'q1w2e3r4', 'q1w2e3r4t5', 'qwer1234', 'asdf1234', 'zxcv1234', '1234qwer', '1234asdf', 'abcd1234',
  'abc12345', 'abcdefgh', 'abcdefg1', 'a1b2c3d4', 'aa123456', 'qwertyqwerty', 'azertyuiop', 'qwertzuiop',
  'poiuytrewq', 'lkjhgfdsa', 'mnbvcxz1', '!qaz2wsx', '!@#$%^&*', '1234!@#$', 'qwert12345', 'asd123456',
];

// prettier-ignore
const NAMES = [
  'james', 'john', 'david', 'chris', 'christopher', 'mark', 'paul', 'steven', 'kevin', 'brian', 'george',
  'edward', 'ronald', 'timothy', 'jason', 'jeffrey', 'ryan', 'jacob', 'gary', 'nicholas', 'eric', 'jonathan',
  'stephen', 'larry', 'justin', 'scott', 'brandon', 'benjamin', 'samuel', 'gregory', 'frank', 'alexander',
  'raymond', 'patrick', 'jack', 'dennis', 'jerry', 'tyler', 'aaron', 'jose', 'adam', 'henry', 'nathan',
  'douglas', 'zachary', 'peter', 'kyle', 'walter', 'ethan', 'jeremy', 'harold', 'keith', 'christian',
  'roger', 'noah', 'gerald', 'carl', 'terry', 'sean', 'austin', 'arthur', 'lawrence', 'jesse', 'dylan',
  'bryan', 'joe', 'jordan', 'billy', 'bruce', 'albert', 'willie', 'gabriel', 'logan', 'alan', 'juan',
  'wayne', 'roy', 'ralph', 'randy', 'eugene', 'vincent', 'russell', 'elijah', 'louis', 'bobby', 'philip',
  'johnny', 'mary', 'linda', 'susan', 'karen', 'nancy', 'lisa', 'betty', 'margaret', 'sandra', 'donna',
  'carol', 'ruth', 'sharon', 'laura', 'emily', 'kimberly', 'deborah', 'dorothy', 'amy', 'angela', 'helen',
  'anna', 'brenda', 'pamela', 'emma', 'samantha', 'katherine', 'christine', 'debra', 'rachel', 'carolyn',
  'janet', 'catherine', 'heather', 'diane', 'julie', 'joyce', 'victoria', 'kelly', 'christina', 'lauren',
  'joan', 'evelyn', 'olivia', 'judith', 'megan', 'cheryl', 'martha', 'andrea', 'frances', 'hannah',
  'jacqueline', 'gloria', 'teresa', 'kathryn', 'sara', 'janice', 'julia', 'madison', 'grace', 'judy',
  'abigail', 'marie', 'denise', 'beverly', 'amber', 'theresa', 'marilyn', 'danielle', 'diana', 'brittany',
  'natalie', 'sophia', 'rose', 'isabella', 'alexis', 'kayla', 'charlotte', 'tiffany', 'alyssa', 'melissa',
  'stephanie', 'rebecca', 'shirley', 'cynthia', 'kathleen', 'amanda', 'mike', 'dave', 'steve', 'tony',
  'alex', 'sam', 'max', 'ben', 'tom', 'jim', 'bob', 'bill', 'dan', 'matt', 'nick', 'josh', 'jake',
];

// prettier-ignore
const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october',
  'november', 'december', 'spring', 'summer', 'autumn', 'fall', 'winter', 'monday', 'friday', 'sunday',
];

/** Endings kept in full, so the list also catches them without the checker's pattern rules. */
const SUFFIXES = ['', '1', '12', '123', '1234', '!', '1!', '123!', '2024', '2025', '2026'];

function* candidates(): Generator<string> {
  // Digit runs, repeats and counting patterns of every length a password may have.
  for (let n = PASSWORD_MIN; n <= 20; n++) {
    for (const d of '0123456789') yield d.repeat(n);
    for (const start of ['1234567890', '0123456789', '9876543210']) yield start.repeat(3).slice(0, n);
  }
  for (const pair of ['12', '123', '1234', '12345', 'ab', 'abc', 'xo', '69', '01', '00', '11']) {
    for (let k = 2; k <= 6; k++) yield pair.repeat(k);
  }
  yield* WALKS;
  // Bare words: the checker also refuses a listed word with digits or symbols added at the end.
  for (const w of [...WORDS, ...NAMES, ...MONTHS]) {
    for (const s of SUFFIXES) yield w + s;
    yield w + w;
  }
  for (const w of WALKS) for (const s of SUFFIXES) yield w + s;
}

const list = [...new Set([...candidates()].map((p) => p.toLowerCase()))].sort();
writeFileSync(new URL('./common-passwords.txt', import.meta.url), `${list.join('\n')}\n`);
console.log(`${list.length} passwords written`);
