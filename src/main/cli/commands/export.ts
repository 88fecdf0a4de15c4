import { mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { parseCommandArgs } from '../args';
import { type Command } from '../command';
import { openCliWorkspace } from '../workspace-client';

const schema = z
  .object({
    db: z.string().min(1).optional(),
    flow: z.array(z.string()).default([]),
    style: z.enum(['authentik', 'portable', 'round-trip']).default('portable'),
    output: z.string().min(1).optional(),
  })
  .strict();

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export flows (or the whole workspace) as authentik blueprint YAML.',
  usage: 'flowbench export [--flow SLUG]... [--style authentik|portable|round-trip] [-o FILE|DIR/] [--db FILE]',
  async run(argv, io) {
    const args = parseCommandArgs(
      argv,
      {
        db: { type: 'string' },
        flow: { type: 'string', multiple: true },
        style: { type: 'string' },
        output: { type: 'string', short: 'o' },
      },
      schema,
    );
    const workspace = openCliWorkspace(args.db);
    try {
      const result = await workspace.client.call('blueprints.export', { flows: args.flow, style: args.style });
      for (const warning of result.warnings) io.err(`warning: ${warning}`);
      if (args.output && (args.output.endsWith('/') || (await isDirectory(args.output)))) {
        // A round-trip export can span several imported blueprints: one file each, as imported.
        await mkdir(args.output, { recursive: true });
        for (const file of result.files) {
          const target = join(args.output, basename(file.name));
          await writeFile(target, file.text, 'utf8');
          io.err(`Wrote ${target}`);
        }
      } else if (args.output) {
        await writeFile(args.output, result.text, 'utf8');
        io.err(`Wrote ${args.output}`);
      } else {
        process.stdout.write(result.text);
      }
      return 0;
    } finally {
      workspace.close();
    }
  },
};
