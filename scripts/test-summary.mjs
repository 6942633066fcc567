// Prints the one closing line CI reads: "N passed, N failed", summed over the
// type check, the lint run and every Vitest test of every tier (unit,
// integration, browser: `npm test` runs them as one Vitest run, one report). A missing report counts as a
// failure, so a run that tested nothing cannot pass for a green one.
import { existsSync, readFileSync } from 'node:fs';

const [testExit] = process.argv.slice(2).map(Number);
const report = '.test-results/vitest.json';
let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // Type check and lint ran before the tests and passed, or there would be no report.
  passed += 2;
  if (r.numTotalTests === 0) {
    console.log('no tests ran');
    failed += 1;
  }
} else {
  console.log('no test report: the type check or lint failed before the tests ran');
  failed += 1;
}
if (testExit !== 0 && failed === 0) failed += 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
