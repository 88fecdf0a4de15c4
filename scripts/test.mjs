#!/usr/bin/env node
// `npm test`: every check CI runs, in order of speed, stopping at the first broken layer.
// Ends with the plain summary line "N passed, M failed" counted over every vitest project.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const report = 'test-results/vitest.json';

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

function summary() {
  if (!existsSync(report)) return;
  const data = JSON.parse(readFileSync(report, 'utf8'));
  process.stdout.write(`\n${data.numPassedTests} passed, ${data.numFailedTests} failed\n`);
}

mkdirSync('test-results', { recursive: true });
const ok =
  step('typecheck', npx, ['tsc', '-p', 'tsconfig.node.json', '--noEmit']) &&
  step('typecheck (renderer)', npx, ['tsc', '-p', 'tsconfig.web.json', '--noEmit']) &&
  step('lint', npx, ['eslint', '--max-warnings', '0', '.']) &&
  step('build', npx, ['electron-vite', 'build']) &&
  step('tests: unit, integration, contract, e2e', npx, [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
summary();
process.exit(ok ? 0 : 1);
