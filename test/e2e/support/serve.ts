import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const cli = join(repoRoot, 'bin/flowbench.cjs');
const URL_LINE = /(http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/;
const START_TIMEOUT_MS = 20_000;

export interface ServeHandle {
  /** The address `flowbench serve` printed, token fragment included. */
  readonly url: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly token: string;
  readonly dbPath: string;
  /** Stops the server (SIGTERM, as Ctrl+C would) and waits for it to exit. */
  stop(): Promise<void>;
}

/** A throwaway folder for one test's workspace file. */
export function tempWorkspace(): { dbPath: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'flowbench-e2e-'));
  return {
    dbPath: join(dir, 'workspace.sqlite'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Starts the real `flowbench serve --db <file> --port 0` (the built CLI, as a user runs it) and
 * resolves once it printed its address. Rejects with its output if it exits or stays silent.
 */
export async function startServe(dbPath: string): Promise<ServeHandle> {
  if (!existsSync(join(repoRoot, 'out/main/cli.js'))) {
    throw new Error('The CLI is not built: run `npm run build` (npm run test:e2e does).');
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, 'serve', '--db', dbPath, '--port', '0'],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  let output = '';
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(
      () =>
        fail(new Error(`flowbench serve printed no address in ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = URL_LINE.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        done(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(
        new Error(`flowbench serve exited with ${code} before printing its address:\n${output}`),
      );
    });
  });
  const parsed = new URL(url);
  let stopped: Promise<void> | null = null;
  return {
    url,
    origin: parsed.origin,
    token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '',
    dbPath,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      })();
      return stopped;
    },
  };
}
