import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/store';
import { useTempDir } from './helpers';

const tempDir = useTempDir('flowbench-crash-');
const ROOT = resolve(__dirname, '../../..');
const WRITER = join(__dirname, 'fixtures', 'crash-writer.ts');
const ITERATIONS = 16;

/*
 * The writer runs the real openWorkspace/services code. It is bundled once with esbuild (what
 * tsx would do on every start, minus ~700 ms of start-up per kill); better-sqlite3 and argon2
 * stay external, so the child loads the same native addon as the app.
 */
let bundleDir = '';
let bundle = '';
beforeAll(() => {
  bundleDir = mkdtempSync(join(tmpdir(), 'flowbench-crash-writer-'));
  bundle = join(bundleDir, 'crash-writer.cjs');
  buildSync({
    entryPoints: [WRITER],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    tsconfig: join(ROOT, 'tsconfig.node.json'),
    external: ['better-sqlite3', 'argon2'],
    logLevel: 'silent',
  });
});
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

interface Run {
  committed: string[][];
  killedAfterMs: number;
}

/**
 * Start the writer, let it write for a random while (some kills land during start-up and the
 * first migration, most in the middle of a transaction), then SIGKILL it. Only complete lines
 * count as reported commits.
 */
function runAndKill(path: string, seedMs: number, waitForReady: boolean): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bundle, path], {
      cwd: ROOT,
      env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = Date.now();
    let buffer = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const committed: string[][] = [];
    const kill = () => {
      timer = undefined;
      child.kill('SIGKILL');
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready' && waitForReady && !timer) timer = setTimeout(kill, seedMs);
        else if (line.startsWith('committed '))
          committed.push(line.slice('committed '.length).split(' '));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (!waitForReady) timer = setTimeout(kill, seedMs);
    const watchdog = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`writer never became ready: ${stderr}`));
    }, 15_000);
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') fail(new Error(`writer exited on its own (${code}): ${stderr}`));
      else done({ committed, killedAfterMs: Date.now() - started });
    });
  });
}

describe('crash safety', () => {
  it(`keeps every reported commit and an intact file across ${ITERATIONS} SIGKILLs`, async () => {
    const path = join(tempDir(), 'crash.sqlite');
    const reported: string[][] = [];
    const started = Date.now();
    for (let i = 0; i < ITERATIONS; i += 1) {
      // Every fourth run is killed on a timer from spawn (before, during or just after opening and
      // migrating); the others after the writer reported ready, 5–300 ms into writing.
      const early = i % 4 === 0;
      const run = await runAndKill(
        path,
        early ? 20 + Math.random() * 200 : 5 + Math.random() * 295,
        !early,
      );
      reported.push(...run.committed);

      const db = openDatabase(path); // header, quick_check, application_id, user_version
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
        const has = (table: string, pk: string | undefined) =>
          db.prepare(`SELECT count(*) FROM ${table} WHERE pk = ?`).pluck().get(pk) === 1;
        const missing = reported.filter(
          ([flow, stage, binding, policyBinding]) =>
            !has('flows', flow) ||
            !has('stages', stage) ||
            !has('flow_stage_bindings', binding) ||
            !has('policy_bindings', policyBinding),
        );
        expect(missing).toEqual([]);
        // Each transaction is all or nothing: the five tables grow together.
        const counts = [
          'flows',
          'stages',
          'flow_stage_bindings',
          '"groups"',
          'policy_bindings',
        ].map((t) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get());
        expect(new Set(counts).size).toBe(1);
        // The policy-binding-model registry followed every flow and binding.
        expect(db.prepare('SELECT count(*) FROM policy_binding_models').pluck().get()).toBe(
          (counts[0] as number) * 2,
        );
      } finally {
        db.close();
      }
    }
    const elapsed = Date.now() - started;
    console.info(
      `crash test: ${ITERATIONS} kills, ${reported.length} reported commits kept, ${elapsed} ms`,
    );
    expect(reported.length).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(20_000);
  }, 30_000);
});
