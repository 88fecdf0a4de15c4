/**
 * Entry of the Node expression host's child process (bundled on its own into
 * `out/expression-host/child.cjs`, no imports at run time but Pyodide's files).
 *
 * It runs under Node's permission model (see `factory.ts` for the flags): file reads only of
 * Pyodide's directory and this file, no writes, no child processes, no workers, no addons, no
 * code from strings. What the permission model does not cover is closed here, before Pyodide
 * loads: the network, signals to other processes, the CommonJS loader, `process.binding`.
 * Python reaches none of it anyway (`jsglobals: {}`, the JS modules unregistered); this is the
 * layer that holds if that one ever breaks.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import type { PyodideAPI } from 'pyodide';
import { startExpressionWorker } from '../worker/core';

function refuse(what: string): () => never {
  return () => {
    throw new Error(`${what} is not available in the Flowbench expression host`);
  };
}

function lockDown(): void {
  // The network: every TCP/UDP/TLS/HTTP/DNS entry point of the public modules, and the globals.
  net.Socket.prototype.connect = refuse('net.Socket.connect') as never;
  net.Server.prototype.listen = refuse('net.Server.listen') as never;
  for (const [mod, names] of [
    [net, ['connect', 'createConnection', 'createServer']],
    [tls, ['connect', 'createServer']],
    [http, ['request', 'get', 'createServer']],
    [https, ['request', 'get', 'createServer']],
    [dgram, ['createSocket']],
    [dns, ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'reverse', 'lookupService']],
  ] as const) {
    for (const name of names) {
      try {
        Object.defineProperty(mod, name, { value: refuse(name), writable: false, configurable: false });
      } catch {
        (mod as unknown as Record<string, unknown>)[name] = refuse(name);
      }
    }
  }
  dgram.Socket.prototype.send = refuse('dgram.send') as never;
  dgram.Socket.prototype.bind = refuse('dgram.bind') as never;
  for (const name of ['fetch', 'WebSocket', 'EventSource', 'XMLHttpRequest']) {
    Reflect.deleteProperty(globalThis, name);
  }
  // Other processes: no signals (the parent, the app) and no CommonJS loader to fetch modules with.
  const proc = process as unknown as Record<string, unknown>;
  for (const name of ['kill', '_kill', 'dlopen', '_linkedBinding', 'binding', 'setuid', 'setgid', 'seteuid', 'setegid', 'setgroups', 'initgroups', 'chdir']) {
    try {
      Object.defineProperty(process, name, { value: refuse(`process.${name}`), writable: false, configurable: false });
    } catch {
      proc[name] = refuse(`process.${name}`);
    }
  }
  Object.defineProperty(process, 'mainModule', { value: undefined, writable: false, configurable: false });
}

const pyodideDir = process.argv[2];
if (!pyodideDir || typeof process.send !== 'function') {
  process.stderr.write('usage: expression child <pyodide dir> (an IPC channel is required)\n');
  process.exit(2);
}
const send = process.send.bind(process);

// Pyodide's Node file-system setup asks `process.binding('constants')`, which the permission
// model refuses; answer that one question from the public modules, then close it for good.
const originalBinding = (process as unknown as { binding: (name: string) => unknown }).binding.bind(process);
(process as unknown as { binding: (name: string) => unknown }).binding = (name: string) => {
  if (name === 'constants') return { os: os.constants, fs: fs.constants };
  return originalBinding(name);
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Pyodide's CommonJS build, loaded from the path the parent gives
const { loadPyodide } = require(`${pyodideDir}/pyodide.js`) as { loadPyodide: (options: object) => Promise<PyodideAPI> };

const worker = startExpressionWorker({
  now: () => performance.now(),
  post: (message) => {
    send(message);
  },
  async loadPyodide() {
    const py = await loadPyodide({ indexURL: `${pyodideDir}/`, env: {}, jsglobals: {}, stdout: () => undefined, stderr: () => undefined });
    lockDown();
    return py;
  },
});
process.on('message', (message) => worker.receive(message));
// The parent is gone: nothing is left to answer.
process.on('disconnect', () => process.exit(0));
