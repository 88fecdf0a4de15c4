import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../src/main/cli/commands';
import { type CliDeps } from '../../../src/main/cli/deps';
import { runCli } from '../../../src/main/cli/run';
import { ScriptedExpressionRuntime, unavailableExpressionRuntime } from '../../../src/main/engine/memory';
import { type EngineUser } from '../../../src/main/engine/ports';
import { openWorkspace } from '../../../src/main/workspace';

/** `flowbench policy test`: one policy evaluated through the expression port, its trace printed. */

const EXPRESSION = 'authentik_policies_expression.expressionpolicy';
const GREET = 'ak_message(f"hi {request.user.username}")\nprint("checked", ak_client_ip)\nreturn True';
const BROKEN = 'x = 1\nprint("before")\nreturn undefined_name';

const runtime = new ScriptedExpressionRuntime({
  [GREET]: (variables) => ({
    result: variables.request.user.username === 'alice' && variables.ak_client_ip === '203.0.113.7',
    messages: [`hi ${variables.request.user.username}`],
    logs: [{ level: 'info', message: `pending_user=${(variables.context.pending_user as EngineUser | undefined)?.username ?? 'none'}` }],
    output: `checked ${variables.ak_client_ip ?? ''}\n`,
  }),
  [BROKEN]: () => ({ result: undefined, error: "NameError: name 'undefined_name' is not defined", error_line: 3, output: 'before\n' }),
});
const deps: CliDeps = { expressions: () => runtime };

let dir: string;
let db: string;
let alicePk: number;
const digest = () => createHash('sha256').update(readFileSync(db)).digest('hex');

async function cli(argv: string[], withDeps: CliDeps = deps) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, commands, withDeps);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowbench-policy-cli-'));
  db = join(dir, 'workspace.sqlite');
  const ws = openWorkspace({ path: db });
  try {
    alicePk = (await ws.services.users.create({ username: 'alice', email: 'alice@example.org' })).pk;
    ws.services.policies.create({ name: 'greet', kind: EXPRESSION, config: { expression: GREET } });
    ws.services.policies.create({ name: 'broken', kind: EXPRESSION, config: { expression: BROKEN } });
    ws.services.policies.create({ name: 'always', kind: 'authentik_policies_dummy.dummypolicy', config: { result: true, wait_min: 0, wait_max: 1 } });
  } finally {
    ws.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flowbench policy test', () => {
  it('prints PASS with messages, logs and print output, and writes nothing (exit 0)', async () => {
    const before = digest();
    const result = await cli(['policy', 'test', 'greet', '--db', db, '--user', 'alice', '--request-ip', '203.0.113.7', '--context', '{"pending_user": "alice"}']);
    expect(result.code, result.stderr).toBe(0);
    const text = result.stdout;
    expect(text).toContain(`Policy greet — Expression Policy (${EXPRESSION})`);
    expect(text).toContain(`User: alice (#${alicePk}); request IP 203.0.113.7; timeout 30 s`);
    expect(text).toMatch(/Result: PASS \(raw result true\) in [\d.]+ ms/);
    expect(text).toContain('Messages:\n  - hi alice');
    expect(text).toContain('Log:\n  info: pending_user=alice');
    expect(text).toContain('Output (print):\n  | checked 203.0.113.7');
    expect(text).not.toContain('Error');
    expect(runtime.calls.at(-1)?.variables.request.user.username).toBe('alice');
    expect(digest()).toBe(before);
  });

  it('shows the error with its line and the print output before it; --json carries the same trace', async () => {
    const human = await cli(['policy', 'test', 'broken', '--db', db]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Result: FAIL \(raw result null, policy exception\)/);
    expect(human.stdout).toContain("Error (line 3): NameError: name 'undefined_name' is not defined");
    expect(human.stdout).toContain('Output (print):\n  | before');
    expect(human.stdout).toContain('User: AnonymousUser (anonymous)');

    const json = await cli(['policy', 'test', 'broken', '--db', db, '--json', '--timeout', '2.5']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      policy: { name: 'broken', kind: EXPRESSION, label: 'Expression Policy' },
      user: { pk: null, is_anonymous: true },
      timeout: 2.5,
      passing: false,
      raw_result: null,
      messages: ["NameError: name 'undefined_name' is not defined"],
      output: 'before\n',
      error: "NameError: name 'undefined_name' is not defined",
      error_line: 3,
      outcome: 'policy_exception',
      expressions_unavailable: false,
    });
  });

  it('tests any kind, by name or pk, with the user by pk', async () => {
    const byName = await cli(['policy', 'test', 'always', '--db', db, '--user', String(alicePk), '--json']);
    expect(byName.code).toBe(0);
    const trace = JSON.parse(byName.stdout) as { policy: { pk: string }; user: { username: string }; passing: boolean; messages: string[] };
    expect(trace).toMatchObject({ user: { username: 'alice' }, passing: true, messages: ['dummy'] });
    const byPk = await cli(['policy', 'test', trace.policy.pk, '--db', db]);
    expect(byPk.code).toBe(0);
    expect(byPk.stdout).toContain('Result: PASS');
  });

  it('says so when the expression runtime is unavailable', async () => {
    const result = await cli(['policy', 'test', 'greet', '--db', db], { expressions: () => unavailableExpressionRuntime });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Result: FAIL');
    expect(result.stdout).toContain('Note: the expression runtime is not available in this build');
  });

  it('exit 1 for an unknown policy, user, context user or workspace; 2 for usage errors', async () => {
    const policy = await cli(['policy', 'test', 'nope', '--db', db]);
    expect(policy.code).toBe(1);
    expect(policy.stderr).toContain('There is no policy "nope" in this workspace');
    const user = await cli(['policy', 'test', 'always', '--db', db, '--user', 'bob']);
    expect(user.code).toBe(1);
    expect(user.stderr).toContain('There is no user "bob"');
    const pending = await cli(['policy', 'test', 'always', '--db', db, '--context', '{"pending_user": "bob"}']);
    expect(pending.code).toBe(1);
    expect(pending.stderr).toContain('pending_user "bob" is not a user of this workspace');
    expect((await cli(['policy', 'test', 'always', '--db', join(dir, 'missing.sqlite')])).code).toBe(1);

    expect((await cli(['policy', 'test', 'always', '--db', db, '--context', '{nope'])).code).toBe(2);
    expect((await cli(['policy', 'test', 'always', '--db', db, '--context', '[1]'])).code).toBe(2);
    expect((await cli(['policy', 'test', '--db', db])).code).toBe(2);
    expect((await cli(['policy', 'run', 'always', '--db', db])).code).toBe(2);
    expect((await cli(['policy', 'test', 'always', '--db', db, '--timeout', '-1'])).code).toBe(2);
  });

  it('documents its options and exit codes in --help', async () => {
    const help = await cli(['policy', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('flowbench policy test NAME|PK');
    expect(help.stdout).toContain('Exit codes: 0 the policy was evaluated');
  });
});
