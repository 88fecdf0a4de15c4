import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeExpressionRuntime, type PyodideExpressionRuntime } from '../../../src/main/expressions';
import { policyVariables } from '../../support/expression-vars';
import { RED_TEAM_VECTORS, startCountingListener, type RedTeamTargets } from '../../support/red-team';

/**
 * The red-team suite against the Node child host (permission model, locked-down child). Every
 * vector must fail, the host-side effects must be absent, and the runtime must keep answering.
 * Needs the built child (`npm run build`); `npm test` builds first.
 */

let runtime: PyodideExpressionRuntime;
let dir: string;
let listener: Awaited<ReturnType<typeof startCountingListener>>;
let targets: RedTeamTargets;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flowbench-redteam-'));
  const secret = `secret-${Math.random().toString(36).slice(2)}`;
  await writeFile(join(dir, 'secret.txt'), secret);
  listener = await startCountingListener();
  const canary = `canary-${Math.random().toString(36).slice(2)}`;
  process.env.FLOWBENCH_RED_TEAM_CANARY = canary;
  targets = {
    secret_path: join(dir, 'secret.txt'),
    secret_value: secret,
    write_path: join(dir, 'written.txt'),
    spawn_marker: join(dir, 'spawned.txt'),
    port: listener.port,
    env_canary: canary,
  };
  runtime = createNodeExpressionRuntime({ defaultTimeoutMs: 10_000 });
  const status = await runtime.warmUp();
  expect(status.state, status.lastExit ?? '').toBe('ready');
}, 60_000);

afterAll(async () => {
  runtime?.close();
  delete process.env.FLOWBENCH_RED_TEAM_CANARY;
  await listener?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('expression red team — Node child host', () => {
  it('has at least 15 vectors', () => {
    expect(RED_TEAM_VECTORS.length).toBeGreaterThanOrEqual(15);
  });

  for (const vector of RED_TEAM_VECTORS) {
    it(`fails: ${vector.name}`, async () => {
      const outcome = await runtime.evaluate(vector.source, policyVariables({ ...targets }), { timeoutMs: vector.timeoutMs ?? 10_000 });
      const attacked = vector.attacked ? vector.attacked(outcome) : outcome.error === undefined && outcome.result === true;
      expect(attacked, JSON.stringify({ ...outcome, output: outcome.output?.slice(0, 200) }).slice(0, 2000)).toBe(false);
      // Whatever happened, the runtime answers the next evaluation correctly.
      const after = await runtime.evaluate('return 6 * 7', policyVariables({}), { timeoutMs: 30_000 });
      expect(after.result).toBe(42);
    }, 90_000);
  }

  it('left no trace on the host: no connection, no file written, no process spawned', () => {
    expect(listener.connections()).toBe(0);
    expect(existsSync(targets.write_path)).toBe(false);
    expect(existsSync(targets.spawn_marker)).toBe(false);
  });
});
