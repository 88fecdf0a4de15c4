import { z } from 'zod';
import { parseCommandArgs } from '../args';
import { type Command } from '../command';
import { parseContextFlags } from '../context-flags';
import { readBlueprintFiles } from '../read-blueprint-files';
import { printImportReport } from '../report-printer';
import { openCliWorkspace } from '../workspace-client';

const schema = z
  .object({
    db: z.string().min(1).optional(),
    context: z.array(z.string()).default([]),
    'dry-run': z.boolean().default(false),
    json: z.boolean().default(false),
  })
  .strict();

const validateOptions = {
  db: { type: 'string' },
  context: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const;
const importOptions = { ...validateOptions, 'dry-run': { type: 'boolean' } } as const;

/** `flowbench import` and `flowbench validate` differ only in whether the transaction commits. */
function blueprintCommand(name: 'import' | 'validate'): Command {
  const validateOnly = name === 'validate';
  return {
    name,
    summary: validateOnly
      ? 'Show what importing blueprint files would do; nothing is written.'
      : 'Import authentik blueprint files, all or nothing, with a per-entry report.',
    usage: `flowbench ${name} FILE... [--db FILE] [--context KEY=VALUE]...${validateOnly ? '' : ' [--dry-run]'} [--json]`,
    async run(argv, io) {
      const args = parseCommandArgs(argv, validateOnly ? validateOptions : importOptions, schema, true);
      const files = await readBlueprintFiles(args.positionals);
      const flags = parseContextFlags(args.context);
      const dryRun = validateOnly || args['dry-run'];
      const workspace = openCliWorkspace(args.db, { inMemoryIfMissing: validateOnly });
      try {
        const report = await workspace.client.call(dryRun ? 'blueprints.validate' : 'blueprints.import', {
          files,
          context: flags.context as Record<string, never>,
          env: flags.env,
          fileValues: flags.fileValues,
        });
        if (args.json) io.out(JSON.stringify(report, null, 2));
        else printImportReport(report, io);
        return report.ok ? 0 : 1;
      } finally {
        workspace.close();
      }
    },
  };
}

export const importCommand = blueprintCommand('import');
export const validateCommand = blueprintCommand('validate');
