import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PyodideExpressionRuntime } from '../../src/main/expressions/runtime';
import { startBrowserExpressionHost } from '../support/browser-expression-host';
import { policyVariables } from '../support/expression-vars';
import { RED_TEAM_VECTORS, startCountingListener, type RedTeamTargets } from '../support/red-team';

/**
 * The red-team suite against the browser host — the page and Web Worker the desktop app runs
 * in its hidden sandboxed renderer — here in Debian Chromium, standing in for Electron's
 * renderer. Same vectors, same runtime, same verdicts as the Node child host.
 */

let host: Awaited<ReturnType<typeof startBrowserExpressionHost>>;
let runtime: PyodideExpressionRuntime;
let dir: string;
let listener: Awaited<ReturnType<typeof startCountingListener>>;
let targets: RedTeamTargets;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flowbench-redteam-browser-'));
  const secret = `secret-${Math.random().toString(36).slice(2)}`;
  await writeFile(join(dir, 'secret.txt'), secret);
  listener = await startCountingListener();
  targets = {
    secret_path: join(dir, 'secret.txt'),
    secret_value: secret,
    write_path: join(dir, 'written.txt'),
    spawn_marker: join(dir, 'spawned.txt'),
    port: listener.port,
    env_canary: `canary-${Math.random().toString(36).slice(2)}`,
  };
  host = await startBrowserExpressionHost();
  runtime = new PyodideExpressionRuntime({ factory: host, defaultTimeoutMs: 10_000 });
  const status = await runtime.warmUp();
  expect(status.state, status.lastExit ?? '').toBe('ready');
}, 120_000);

afterAll(async () => {
  runtime?.close();
  await host?.close();
  await listener?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('expression red team — browser host (Chromium)', () => {
  for (const vector of RED_TEAM_VECTORS) {
    it(`fails: ${vector.name}`, async () => {
      const outcome = await runtime.evaluate(vector.source, policyVariables({ ...targets }), { timeoutMs: vector.timeoutMs ?? 10_000 });
      const attacked = vector.attacked ? vector.attacked(outcome) : outcome.error === undefined && outcome.result === true;
      expect(attacked, JSON.stringify({ ...outcome, output: outcome.output?.slice(0, 200) }).slice(0, 2000)).toBe(false);
      const after = await runtime.evaluate('return 6 * 7', policyVariables({}), { timeoutMs: 60_000 });
      expect(after.result, after.error).toBe(42);
    }, 120_000);
  }

  it('left no trace on the host: no connection, no file written', () => {
    expect(listener.connections()).toBe(0);
    expect(existsSync(targets.write_path)).toBe(false);
    expect(existsSync(targets.spawn_marker)).toBe(false);
  });
});
