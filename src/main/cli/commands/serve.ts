import { resolve } from 'node:path';
import { z } from 'zod';
import { defaultWorkspacePath } from '../../paths';
import { openWorkspace } from '../../workspace';
import { createDispatcher } from '../../transport/dispatcher';
import { startHttpServer } from '../../transport/http-server';
import { parseCommandArgs, portFlag } from '../args';
import { type Command } from '../command';

const schema = z
  .object({
    db: z.string().min(1).optional(),
    port: portFlag.default(0),
    host: z.enum(['127.0.0.1', 'localhost', '::1']).default('127.0.0.1'),
  })
  .strict();

/** The built renderer sits beside the built CLI: out/main/cli.js → out/renderer. */
export function rendererDir(): string {
  return resolve(__dirname, '../renderer');
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the Flowbench UI to a browser on this machine (loopback only).',
  usage: 'flowbench serve [--db FILE] [--port N] [--host 127.0.0.1|localhost|::1]',
  async run(argv, io, deps) {
    const args = parseCommandArgs(
      argv,
      { db: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
      schema,
    );
    const dbPath = resolve(args.db ?? defaultWorkspacePath());
    const expressions = deps.expressions();
    const workspace = openWorkspace({ path: dbPath, expressions });
    const server = await startHttpServer({
      dispatcher: createDispatcher(workspace.handlers),
      events: workspace.events,
      host: args.host,
      port: args.port,
      staticDir: rendererDir(),
      logger: { error: (message: string) => io.err(message) },
    });
    io.out(`Flowbench is serving ${dbPath}`);
    io.out(`Open: ${server.url}`);
    io.out('Press Ctrl+C to stop.');
    // Python is not loaded here: the UI asks for it (`policies.runtime` with warmUp) when a
    // view that evaluates expressions opens, or the first evaluation loads it.
    await new Promise<void>((done) => {
      const stop = () => done();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    workspace.close();
    (expressions as { close?: () => void }).close?.();
    return 0;
  },
};
