import { z } from 'zod';
import { type PolicyTestResult, RpcFailure } from '@shared/contract';
import { type JsonValue } from '@shared/model';
import { EngineInputError, openExistingWorkspace, parseContextJson } from '../../engine-adapter/cli-support';
import { parseCommandArgs, UsageError } from '../args';
import { type Command } from '../command';
import { type CliIo } from '../io';

const options = {
  db: { type: 'string' },
  user: { type: 'string' },
  context: { type: 'string' },
  'request-ip': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const schema = z
  .object({
    db: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    context: z.string().optional(),
    'request-ip': z.string().min(1).optional(),
    timeout: z.coerce.number().positive().max(3600).optional(),
    json: z.boolean().default(false),
  })
  .strict();

const indent = (text: string, prefix = '  '): string[] => text.replace(/\n$/, '').split('\n').map((line) => `${prefix}${line}`);

/** The trace of `flowbench policy test` for people. */
export function printPolicyTest(result: PolicyTestResult, io: CliIo): void {
  const who = result.user.is_anonymous ? 'AnonymousUser (anonymous)' : `${result.user.username} (#${result.user.pk})`;
  io.out(`Policy ${result.policy.name} — ${result.policy.label} (${result.policy.kind})`);
  io.out(`User: ${who}; request IP ${result.request.ip}; timeout ${result.timeout} s`);
  const outcome = result.outcome === 'returned' ? '' : `, ${result.outcome.replace('_', ' ')}`;
  io.out(`Result: ${result.passing ? 'PASS' : 'FAIL'} (raw result ${JSON.stringify(result.raw_result)}${outcome}) in ${result.duration_ms.toFixed(2)} ms`);
  if (result.expressions_unavailable) {
    io.out('Note: the expression runtime is not available in this build; this result says nothing about the expression.');
  }
  if (result.error !== null) io.out(`Error${result.error_line === null ? '' : ` (line ${result.error_line})`}: ${result.error}`);
  if (result.messages.length > 0) {
    io.out('Messages:');
    for (const message of result.messages) io.out(`  - ${message}`);
  }
  if (result.logs.length > 0) {
    io.out('Log:');
    for (const log of result.logs) io.out(`  ${log.level}: ${log.message}`);
  }
  if (result.output !== '') {
    io.out('Output (print):');
    for (const line of indent(result.output, '  | ')) io.out(line);
  }
  for (const note of result.notes) io.out(`Note: ${note}`);
}

/**
 * `flowbench policy test NAME`: evaluate one policy (any kind) for a user and a context, as
 * authentik's policy test does, and print its trace. Works on an in-memory copy of the workspace.
 */
export const policyCommand: Command = {
  name: 'policy',
  summary: 'Test one policy for a user and context: result, messages, logs, print output, error line.',
  usage:
    'flowbench policy test NAME|PK [--db FILE] [--user USERNAME|PK] [--context JSON] [--request-ip IP] [--timeout SECONDS] [--json]',
  help: [
    'Evaluates the policy the way authentik’s policy test does (a fresh binding: no negate,',
    'failure_result false; no events, no cache) on an in-memory copy of the workspace: nothing',
    'is written. Any policy kind can be tested.',
    '',
    'Options:',
    '  --user U          username or user pk; omitted = the anonymous user',
    '  --context JSON    request.context, a JSON object; "pending_user": "<username>" becomes',
    '                    that user, {"$user": <pk>} is a user reference',
    '  --request-ip IP   client IP of the simulated request (ak_client_ip); default 127.0.0.1',
    '  --timeout S       seconds the policy may take (default 30, as a binding)',
    '  --json            print the trace as JSON (the policies.test procedure’s output)',
    '',
    'Exit codes: 0 the policy was evaluated (PASS or FAIL: read the output), 1 unknown',
    'policy, user or workspace, or a policy Flowbench cannot evaluate, 2 usage (bad flags,',
    '--context that is not a JSON object).',
  ].join('\n'),
  async run(argv, io, deps) {
    const args = parseCommandArgs(argv, options, schema, true);
    const [sub, name, ...extra] = args.positionals;
    if (sub !== 'test') throw new UsageError(sub === undefined ? 'give a subcommand: policy test NAME' : `unknown subcommand "${sub}" (only "test")`);
    if (name === undefined) throw new UsageError('give the policy to test (its name or pk)');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    let context: Record<string, JsonValue>;
    try {
      context = parseContextJson(args.context);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    let source;
    try {
      source = openExistingWorkspace(args.db, { readonly: true, expressions: deps.expressions() });
    } catch (error) {
      if (!(error instanceof EngineInputError)) throw error;
      io.err(`flowbench policy: ${error.message}`);
      return 1;
    }
    try {
      let result: PolicyTestResult;
      try {
        result = await source.workspace.services.policyTests.run({
          policy: name,
          user: args.user ?? null,
          context,
          ...(args['request-ip'] === undefined ? {} : { request: { ip: args['request-ip'] } }),
          ...(args.timeout === undefined ? {} : { timeout: args.timeout }),
        });
      } catch (error) {
        if (!(error instanceof RpcFailure)) throw error;
        io.err(`flowbench policy: ${error.message}`);
        return 1;
      }
      if (args.json) io.out(JSON.stringify(result, null, 2));
      else printPolicyTest(result, io);
      return 0;
    } finally {
      source.close();
    }
  },
};
