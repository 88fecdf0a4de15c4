import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type ExpressionHostFactory, type HostConnection, type HostListener } from '../host';

/**
 * The Node expression host: a child process of plain Node (never Electron) under the
 * permission model — reads of Pyodide's directory and the child bundle only, no writes, no
 * child processes, no workers, no addons — with code generation from strings disabled, an
 * empty environment and no stdin. Messages go over Node's IPC channel (JSON).
 */

export interface NodeHostOptions {
  /** The bundled child (`out/expression-host/child.cjs`). Default: found from this package's root. */
  childScript?: string;
  /** Pyodide's package directory. Default: resolved from node_modules. */
  pyodideDir?: string;
  /** The Node binary. Default: this process's (`process.execPath`) when it is plain Node. */
  nodePath?: string;
  /** V8 heap of the child in MiB (the wasm heap is bounded by the runtime's recycling). */
  maxOldSpaceMiB?: number;
}

/** The package root: the nearest directory upwards with Flowbench's package.json. */
function packageRoot(from: string): string {
  let dir = from;
  for (;;) {
    const candidate = resolve(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        if ((JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'flowbench') return dir;
      } catch {
        // Not ours: keep looking.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the Flowbench package root (for the expression host files)');
    dir = parent;
  }
}

export function defaultNodeHostPaths(): { childScript: string; pyodideDir: string } {
  const root = packageRoot(__dirname);
  return { childScript: resolve(root, 'out/expression-host/child.cjs'), pyodideDir: resolve(root, 'node_modules/pyodide') };
}

/** 1 GiB of wasm memory (64 KiB pages): far above what expressions need, far below the machine. */
export const WASM_MAX_PAGES = 16_384;

/** Node flags of the child; exported so tests can check exactly what the child is allowed. */
export function childArgs(options: { childScript: string; pyodideDir: string; maxOldSpaceMiB: number }): string[] {
  // Node 20 spells it --experimental-permission; 22.13+ accepts --permission.
  const major = Number(process.versions.node.split('.')[0]);
  const permission = major >= 23 ? '--permission' : '--experimental-permission';
  return [
    permission,
    `--allow-fs-read=${options.pyodideDir}`,
    `--allow-fs-read=${options.childScript}`,
    '--disallow-code-generation-from-strings',
    `--max-old-space-size=${options.maxOldSpaceMiB}`,
    // Python's heap is wasm memory, outside the V8 heap limit: cap it, so a memory bomb ends
    // in MemoryError inside Python instead of taking gigabytes from the machine.
    `--wasm-max-mem-pages=${WASM_MAX_PAGES}`,
    '--no-warnings',
    '--no-addons',
    options.childScript,
    options.pyodideDir,
  ];
}

export function nodeExpressionHostFactory(options: NodeHostOptions = {}): ExpressionHostFactory {
  const defaults = options.childScript && options.pyodideDir ? null : defaultNodeHostPaths();
  const childScript = options.childScript ?? defaults!.childScript;
  const pyodideDir = options.pyodideDir ?? defaults!.pyodideDir;
  const nodePath = options.nodePath ?? process.execPath;
  const maxOldSpaceMiB = options.maxOldSpaceMiB ?? 256;
  return {
    kind: 'node-child',
    launch(listener: HostListener): HostConnection {
      if (!existsSync(childScript)) {
        throw new Error(`The expression host is not built (${childScript} is missing): run \`npm run build\``);
      }
      if (process.versions.electron) {
        // Electron's own binary would need ELECTRON_RUN_AS_NODE and has its own flags; the
        // desktop app uses the hidden-renderer host instead.
        throw new Error('The Node expression host runs under plain Node, not inside Electron');
      }
      const child = spawn(nodePath, childArgs({ childScript, pyodideDir, maxOldSpaceMiB }), {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        env: {},
        serialization: 'json',
        windowsHide: true,
      });
      // An idle host never keeps the parent alive; the runtime holds the loop while work is pending.
      child.unref();
      (child.channel as { unref?: () => void } | null | undefined)?.unref?.();
      (child.stderr as { unref?: () => void } | null)?.unref?.();
      let exited = false;
      let stderr = '';
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        if (stderr.length < 4000) stderr += chunk;
      });
      const exit = (reason: string): void => {
        if (exited) return;
        exited = true;
        listener.exit(reason);
      };
      child.on('message', (message) => {
        if (!exited) listener.message(message);
      });
      child.on('error', (error) => exit(`expression host failed: ${error.message}`));
      child.on('exit', (code, signal) => {
        const tail = stderr.trim().split('\n').slice(-3).join(' | ');
        exit(`expression host exited (${signal ?? `code ${code}`})${tail ? `: ${tail}` : ''}`);
      });
      return {
        send(message) {
          if (exited || !child.connected) return;
          child.send(message as object, (error) => {
            if (error) exit(`expression host channel failed: ${error.message}`);
          });
        },
        interrupt: () => false,
        kill() {
          if (!exited) child.kill('SIGKILL');
        },
      };
    },
  };
}
