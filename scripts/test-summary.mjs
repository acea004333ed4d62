// Prints one plain closing line for the whole `npm test` run ("N passed, N failed"), summed over
// the JSON reports vitest wrote for each stage, so CI logs end with the totals.
import fs from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of [
  'test-results/unit.json',
  'test-results/e2e.json',
  'test-results/cluster.json',
  'test-results/container.json',
]) {
  if (!fs.existsSync(file)) continue;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
console.log(`Tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
