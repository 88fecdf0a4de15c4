import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ExpressionHostCalls } from '../../../src/main/engine/ports';
import { type ExpressionHostFactory, type HostListener } from '../../../src/main/expressions/host';
import { PROTOCOL_VERSION, type HostToWorker, type WorkerOutcome } from '../../../src/main/expressions/protocol';
import { PyodideExpressionRuntime } from '../../../src/main/expressions/runtime';
import { policyVariables, testUser } from '../../support/expression-vars';

/**
 * The runtime's supervision over a scripted host (no Python): replayed host calls, invalid
 * messages, deadlines (interrupt, else kill), crashes, heap recycling, load failures.
 */

function outcome(result: unknown, extra: Partial<WorkerOutcome> = {}): WorkerOutcome {
  return { result, truthy: Boolean(result), repr: String(result), messages: [], logs: [], output: '', truncated: false, error: null, events: [], plan: null, durationMs: 0.1, heapBytes: 1024, ...extra };
}

interface FakeHost {
  launches: number;
  kills: number;
  interrupts: number;
  sent: HostToWorker[];
}

/** A host whose worker answers by the expression's source. */
function fakeFactory(options: { interruptible?: boolean; loadFails?: boolean } = {}): ExpressionHostFactory & { stats: FakeHost } {
  const stats: FakeHost = { launches: 0, kills: 0, interrupts: 0, sent: [] };
  return {
    kind: 'fake',
    stats,
    launch(listener: HostListener) {
      stats.launches += 1;
      let alive = true;
      let running: HostToWorker | null = null;
      const post = (message: unknown) => queueMicrotask(() => alive && listener.message(message));
      queueMicrotask(() => {
        if (options.loadFails) post({ type: 'load-failed', message: 'no wasm here' });
        else post({ type: 'ready', protocol: PROTOCOL_VERSION, python: '3.14.2', pyodide: 'fake', loadMs: 1 });
      });
      return {
        send(raw) {
          const message = raw as HostToWorker;
          stats.sent.push(message);
          running = message;
          const { id, source, answers } = message;
          if (source === 'need') {
            const key = '["user_by",{"filters":{"username":"alice"}}]';
            if (key in answers) post({ type: 'done', id, outcome: outcome((answers[key] as { username?: string } | null)?.username ?? null) });
            else post({ type: 'need', id, calls: [{ key, fn: 'user_by', args: { filters: { username: 'alice' } } }] });
          } else if (source === 'loop-need') {
            post({ type: 'need', id, calls: [{ key: `k${Object.keys(answers).length}`, fn: 'user_by', args: { filters: {} } }] });
          } else if (source === 'bad') {
            post({ type: 'done', id, outcome: { result: 1 } });
          } else if (source === 'heap') {
            post({ type: 'done', id, outcome: outcome(true, { heapBytes: 2 * 1024 ** 3 }) });
          } else if (source === 'fatal') {
            post({ type: 'fatal', id, message: 'RangeError: Maximum call stack size exceeded' });
          } else if (source !== 'hang') {
            post({ type: 'done', id, outcome: outcome(source) });
          }
        },
        interrupt() {
          stats.interrupts += 1;
          if (!options.interruptible || !running) return false;
          const { id } = running;
          post({ type: 'done', id, outcome: outcome(null, { error: { type: 'KeyboardInterrupt', message: 'interrupted', line: null, traceback: '' } }) });
          return true;
        },
        kill() {
          if (!alive) return;
          alive = false;
          stats.kills += 1;
          queueMicrotask(() => listener.exit('killed'));
        },
      };
    },
  };
}

const vars = policyVariables({});
let runtime: PyodideExpressionRuntime | null = null;
afterEach(() => {
  runtime?.close();
  runtime = null;
  vi.useRealTimers();
});

const host: ExpressionHostCalls = {
  userBy: (filters) => (filters.username === 'alice' ? testUser() : null),
  userGroups: () => [],
  resolveUser: () => null,
  targetFields: () => ({}),
  userHasAuthenticator: () => false,
  callPolicy: () => Promise.resolve({ passing: true, messages: [] }),
};

describe('PyodideExpressionRuntime (scripted host)', () => {
  it('launches lazily, once, and evaluates in order', async () => {
    const factory = fakeFactory();
    runtime = new PyodideExpressionRuntime({ factory });
    expect(factory.stats.launches).toBe(0);
    const results = await Promise.all(['a', 'b', 'c'].map((s) => runtime!.evaluate(s, vars)));
    expect(results.map((r) => r.result)).toEqual(['a', 'b', 'c']);
    expect(factory.stats.launches).toBe(1);
    expect(runtime.status()).toMatchObject({ state: 'ready', python: '3.14.2', launches: 1 });
  });

  it('answers host calls by replaying the evaluation with the answers', async () => {
    const factory = fakeFactory();
    runtime = new PyodideExpressionRuntime({ factory });
    const result = await runtime.evaluate('need', vars, { host });
    expect(result.result).toBe('alice');
    expect(factory.stats.sent).toHaveLength(2);
    expect(Object.keys(factory.stats.sent[1]!.answers)).toHaveLength(1);
  });

  it('a host call without engine access is answered with an error, not a hang', async () => {
    runtime = new PyodideExpressionRuntime({ factory: fakeFactory() });
    const result = await runtime.evaluate('need', vars);
    expect(result.error).toBeUndefined();
    expect(result.result).toBeNull();
  });

  it('stops an evaluation that keeps asking for more', async () => {
    runtime = new PyodideExpressionRuntime({ factory: fakeFactory(), maxRounds: 3 });
    const result = await runtime.evaluate('loop-need', vars, { host });
    expect(result.error).toMatch(/more than 3 times/);
    expect((await runtime.evaluate('next', vars)).result).toBe('next');
  });

  it('kills a host that sends an invalid message, and relaunches for the next evaluation', async () => {
    const factory = fakeFactory();
    runtime = new PyodideExpressionRuntime({ factory });
    const bad = await runtime.evaluate('bad', vars);
    expect(bad.error).toBe('The expression host sent an invalid message and was stopped');
    expect((await runtime.evaluate('ok', vars)).result).toBe('ok');
    expect(factory.stats.kills).toBe(1);
    expect(factory.stats.launches).toBe(2);
  });

  it('at the deadline: answers at once, kills a host that cannot interrupt, relaunches later', async () => {
    vi.useFakeTimers();
    const factory = fakeFactory();
    runtime = new PyodideExpressionRuntime({ factory });
    const pending = runtime.evaluate('hang', vars, { timeoutMs: 500 });
    await vi.advanceTimersByTimeAsync(499);
    expect(factory.stats.kills).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    const result = await pending;
    expect(result).toMatchObject({ timed_out: true, error: 'The expression did not finish within 0.5 s and was stopped' });
    expect(factory.stats.kills).toBe(1);
    vi.useRealTimers();
    expect((await runtime.evaluate('after', vars)).result).toBe('after');
    expect(factory.stats.launches).toBe(2);
  });

  it('at the deadline: an interruptible host is interrupted and kept', async () => {
    vi.useFakeTimers();
    const factory = fakeFactory({ interruptible: true });
    runtime = new PyodideExpressionRuntime({ factory });
    const pending = runtime.evaluate('hang', vars, { timeoutMs: 100 });
    await vi.advanceTimersByTimeAsync(100);
    expect((await pending).timed_out).toBe(true);
    await vi.advanceTimersByTimeAsync(500);
    expect(factory.stats).toMatchObject({ interrupts: 1, kills: 0, launches: 1 });
    vi.useRealTimers();
    expect((await runtime.evaluate('after', vars)).result).toBe('after');
  });

  it('a fatal interpreter error fails the evaluation and replaces the host', async () => {
    const factory = fakeFactory();
    runtime = new PyodideExpressionRuntime({ factory });
    const result = await runtime.evaluate('fatal', vars);
    expect(result.error).toMatch(/crashed the interpreter \(RangeError: Maximum call stack size exceeded\)/);
    expect((await runtime.evaluate('after', vars)).result).toBe('after');
    expect(factory.stats.launches).toBe(2);
  });

  it('replaces a host whose heap grew past the limit, after answering', async () => {
    const factory = fakeFactory();
    runtime = new PyodideExpressionRuntime({ factory, heapLimitBytes: 1024 ** 3 });
    expect((await runtime.evaluate('heap', vars)).result).toBe(true);
    expect((await runtime.evaluate('after', vars)).result).toBe('after');
    expect(factory.stats.kills).toBe(1);
    expect(runtime.status().lastExit).toMatch(/heap grew to 2048 MiB/);
  });

  it('a host that cannot load fails evaluations at once instead of relaunching in a loop', async () => {
    const factory = fakeFactory({ loadFails: true });
    runtime = new PyodideExpressionRuntime({ factory });
    expect((await runtime.evaluate('a', vars)).error).toMatch(/Python could not be started: Python failed to load: no wasm here/);
    expect((await runtime.evaluate('b', vars)).error).toMatch(/Python could not be started/);
    expect(factory.stats.launches).toBe(1);
    expect(runtime.status().state).toBe('failed');
  });

  it('close() fails queued evaluations and kills the host', async () => {
    const factory = fakeFactory();
    runtime = new PyodideExpressionRuntime({ factory });
    await runtime.warmUp();
    const pending = runtime.evaluate('hang', vars);
    runtime.close();
    expect((await pending).error).toBe('The expression runtime is closed');
    expect(factory.stats.kills).toBe(1);
  });
});
