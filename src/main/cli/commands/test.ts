import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import {
  flowTestExitCode,
  humanIssueLines,
  humanResultLines,
  jsonReport,
  junitReport,
  runFlowTestPaths,
  summaryLine,
} from '../../flowtest';
import { parseCommandArgs, UsageError } from '../args';
import { type Command } from '../command';

const options = {
  json: { type: 'boolean' },
  junit: { type: 'string' },
} as const;

const schema = z
  .object({
    json: z.boolean().default(false),
    junit: z.string().min(1).optional(),
  })
  .strict();

/**
 * `flowbench test PATH... [--json] [--junit FILE]` (spec `flowtest-format.md`): runs every
 * `*.flowtest.yaml` under the files and folders given. Exit 0 all passed, 1 any failed, 2 a
 * file could not be read or is not a valid flow test. Human output ends with `N passed, M
 * failed`; `--json` prints only the result document on stdout (progress goes to stderr).
 */
export const testCommand: Command = {
  name: 'test',
  summary: 'Run flow tests (*.flowtest.yaml) against fresh in-memory workspaces.',
  usage: 'flowbench test PATH... [--json] [--junit FILE]',
  async run(argv, io, deps) {
    const args = parseCommandArgs(argv, options, schema, true);
    if (args.positionals.length === 0) throw new UsageError('name at least one flow-test file or folder');
    const summary = await runFlowTestPaths(args.positionals, {
      expressions: deps.expressions(),
      onIssues(issues) {
        for (const line of humanIssueLines(issues)) io.err(line);
      },
      onResult(result) {
        const lines = humanResultLines(result);
        // Human output goes to stdout; with --json the stdout is the document only.
        for (const line of lines) (args.json ? io.err : io.out)(line);
      },
    });
    if (summary.files.length === 0 && summary.issues.length === 0) io.err(`no *.flowtest.yaml found under ${args.positionals.join(', ')}`);
    if (args.junit) {
      const path = resolve(args.junit);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, junitReport(summary), 'utf8');
    }
    if (args.json) {
      io.err(summaryLine(summary));
      io.out(JSON.stringify(jsonReport(summary), null, 2));
    } else {
      if (summary.issues.length > 0) io.err(`${summary.issues.length} problem(s) in flow-test files: those files did not run`);
      io.out(summaryLine(summary));
    }
    return flowTestExitCode(summary);
  },
};
