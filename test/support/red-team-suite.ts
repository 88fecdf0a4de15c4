import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PyodideExpressionRuntime } from '../../src/main/expressions';
import { policyVariables } from './expression-vars';
import { RED_TEAM_VECTORS, startCountingListener, type RedTeamTargets } from './red-team';

/** A runtime over one host, and how to stop it (and whatever the host needed). */
export interface RedTeamHost {
  runtime: PyodideExpressionRuntime;
  close(): Promise<void> | void;
}

/**
 * The whole red-team suite against one host: targets on this machine (a secret file, paths to
 * write, a counting listener, an environment canary), every vector, a check after each that the
 * runtime still answers, and a final check that nothing reached the host.
 */
export function defineRedTeamSuite(title: string, open: () => Promise<RedTeamHost>, options: { recoveryTimeoutMs: number; testTimeoutMs: number }): void {
  let host: RedTeamHost | null = null;
  let dir = '';
  let listener: Awaited<ReturnType<typeof startCountingListener>> | null = null;
  let targets: RedTeamTargets;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flowbench-redteam-'));
    const secret = `secret-${Math.random().toString(36).slice(2)}`;
    await writeFile(join(dir, 'secret.txt'), secret);
    listener = await startCountingListener();
    const canary = `canary-${Math.random().toString(36).slice(2)}`;
    // In the app's environment: a host that leaked it would show it in os.environ.
    process.env.FLOWBENCH_RED_TEAM_CANARY = canary;
    targets = {
      secret_path: join(dir, 'secret.txt'),
      secret_value: secret,
      write_path: join(dir, 'written.txt'),
      spawn_marker: join(dir, 'spawned.txt'),
      port: listener.port,
      env_canary: canary,
    };
    host = await open();
    const status = await host.runtime.warmUp();
    expect(status.state, status.lastExit ?? '').toBe('ready');
  }, 120_000);

  afterAll(async () => {
    await host?.close();
    delete process.env.FLOWBENCH_RED_TEAM_CANARY;
    await listener?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe(title, () => {
    it('has at least 15 vectors', () => {
      expect(RED_TEAM_VECTORS.length).toBeGreaterThanOrEqual(15);
    });

    for (const vector of RED_TEAM_VECTORS) {
      it(`fails: ${vector.name}`, async () => {
        const runtime = host!.runtime;
        const outcome = await runtime.evaluate(vector.source, policyVariables({ ...targets }), { timeoutMs: vector.timeoutMs ?? 10_000 });
        const attacked = vector.attacked ? vector.attacked(outcome) : outcome.error === undefined && outcome.result === true;
        expect(attacked, JSON.stringify({ ...outcome, output: outcome.output?.slice(0, 200) }).slice(0, 2000)).toBe(false);
        // Whatever happened, the runtime answers the next evaluation correctly.
        const after = await runtime.evaluate('return 6 * 7', policyVariables({}), { timeoutMs: options.recoveryTimeoutMs });
        expect(after.result, after.error).toBe(42);
      }, options.testTimeoutMs);
    }

    it('left no trace on the host: no connection, no file written, no process spawned', () => {
      expect(listener!.connections()).toBe(0);
      expect(existsSync(targets.write_path)).toBe(false);
      expect(existsSync(targets.spawn_marker)).toBe(false);
    });
  });
}
