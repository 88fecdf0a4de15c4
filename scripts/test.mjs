#!/usr/bin/env node
// `npm test`: every check CI runs, in order of speed, stopping at the first broken layer.
// Ends with the plain summary line "N passed, M failed" counted over every vitest project and the flow tests.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const report = 'test-results/vitest.json';
const flowReport = 'test-results/flowtests.xml';

function step(label, command, args) {
  process.stdout.write(`\n▶ ${label}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stdout.write(`✖ ${label} failed after ${seconds}s\n`);
    return false;
  }
  process.stdout.write(`✔ ${label} (${seconds}s)\n`);
  return true;
}

/** Passed/failed flow tests from the JUnit report `flowbench test --junit` wrote. */
function flowCounts() {
  if (!existsSync(flowReport)) return { passed: 0, failed: 0 };
  const head = /<testsuites\b[^>]*>/.exec(readFileSync(flowReport, 'utf8'))?.[0] ?? '';
  const attr = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(head)?.[1] ?? 0);
  const failed = attr('failures') + attr('errors');
  return { passed: attr('tests') - failed, failed };
}

function summary() {
  const flows = flowCounts();
  if (!existsSync(report) && !existsSync(flowReport)) return;
  const data = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : { numPassedTests: 0, numFailedTests: 0 };
  process.stdout.write(`\n${data.numPassedTests + flows.passed} passed, ${data.numFailedTests + flows.failed} failed\n`);
}

mkdirSync('test-results', { recursive: true });
// Counts from an earlier run must not leak into this summary.
for (const stale of [report, flowReport]) rmSync(stale, { force: true });
const ok =
  step('typecheck', npx, ['tsc', '-p', 'tsconfig.node.json', '--noEmit']) &&
  step('typecheck (renderer)', npx, ['tsc', '-p', 'tsconfig.web.json', '--noEmit']) &&
  step('lint', npx, ['eslint', '--max-warnings', '0', '.']) &&
  step('build', npx, ['electron-vite', 'build']) &&
  // Our own *.flowtest.yaml through the built CLI, exactly as users run them.
  step('flow tests (test/flows)', process.execPath, ['bin/flowbench.cjs', 'test', 'test/flows', '--junit', flowReport]) &&
  step('tests: unit, integration, contract, e2e', npx, [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
summary();
process.exit(ok ? 0 : 1);
