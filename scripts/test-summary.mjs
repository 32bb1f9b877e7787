#!/usr/bin/env node
// Adds up the JSON reports that vitest writes in CI (one per package) and prints one closing line:
// "Tests: N passed, N failed, N skipped". Exits 1 when a package that has a test script left no
// report, or when no test ran at all, so a silent test runner cannot pass CI.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dirs = ['packages', 'apps']
  .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name)))
  .concat(join(root, 'bench'))
  .filter((dir) => existsSync(join(dir, 'package.json')));

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const dir of dirs) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!manifest.scripts?.test) continue;
  const report = join(dir, '.vitest-results.json');
  if (!existsSync(report)) {
    missing.push(manifest.name);
    continue;
  }
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests ?? 0;
  failed += json.numFailedTests ?? 0;
  skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  console.log(
    `${manifest.name}: ${json.numPassedTests} passed, ${json.numFailedTests} failed, ${json.numPendingTests} skipped`,
  );
}
if (missing.length > 0) console.error(`No test report from: ${missing.join(', ')}`);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 || passed === 0 ? 1 : 0);
