import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunCommand } from '../../../src/main/cli/commands/run';
import { runCli } from '../../../src/main/cli/run';
import { openWorkspace } from '../../../src/main/workspace';
import { capture, FIXTURES, tempTree } from './helpers';

/** `flowbench run` driven through a pipe (no terminal): prompts, answers, the end of the run. */

let tree: ReturnType<typeof tempTree>;
let db: string;
const digest = () => createHash('sha256').update(readFileSync(db)).digest('hex');

beforeAll(async () => {
  tree = tempTree();
  db = join(tree.dir, 'workspace.sqlite');
  const ws = openWorkspace({ path: db });
  try {
    for (const name of ['example/flows-login-2fa.yaml', 'example/flows-enrollment-2-stage.yaml', 'example/flows-recovery-email-verification.yaml']) {
      const report = await ws.services.blueprints.import([{ name, text: readFileSync(join(FIXTURES, name), 'utf8') }]);
      expect(report.ok).toBe(true);
    }
    await ws.services.users.create({ username: 'alice', email: 'alice@example.org', password: 'correct horse battery' });
  } finally {
    ws.close();
  }
});
afterAll(() => tree.cleanup());

async function run(argv: string[], lines: string[]): Promise<{ code: number; text: string; prompts: string }> {
  const input = new PassThrough();
  let prompts = '';
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      prompts += chunk.toString();
      done();
    },
  });
  input.end(lines.map((l) => `${l}\n`).join(''));
  const { io, out, err } = capture();
  const code = await runCli(['run', ...argv], io, [createRunCommand({ input, output })]);
  return { code, text: [...out, ...err].join('\n'), prompts };
}

describe('flowbench run', () => {
  it('steps through a sign-in, asking each field, and ends on completion (nothing written)', async () => {
    const before = digest();
    const result = await run(['--db', db, '--flow', 'default-authentication-flow'], ['alice', 'wrong', 'correct horse battery']);
    expect(result.code, result.text).toBe(0);
    expect(result.text).toContain('Running on a sandbox copy of');
    expect(result.text).toContain('── ak-stage-identification [default-authentication-identification] — Welcome to authentik!');
    expect(result.text).toContain('── ak-stage-password [default-authentication-password]');
    expect(result.text).toContain('  ! password: Invalid password');
    expect(result.text).toContain('✔ Flow completed → /');
    expect(result.text).toContain('  logged in: alice');
    expect(result.prompts).toContain('Email or Username: ');
    expect(result.prompts).toContain('Password: ');
    expect(digest()).toBe(before);
  });

  it('enrolls a user on the sandbox only', async () => {
    const result = await run(['--db', db, '--designation', 'enrollment'], ['newbie', 'a long enough passphrase', 'a long enough passphrase', 'New Bie', 'newbie@example.org']);
    expect(result.code, result.text).toBe(0);
    expect(result.text).toContain('  logged in: newbie');
    const ws = openWorkspace({ path: db, readonly: true });
    try {
      expect(ws.services.users.list().map((u) => u.username)).toEqual(['alice']);
    } finally {
      ws.close();
    }
  });

  it('opens the emailed link with Enter at the email stage', async () => {
    const result = await run(['--db', db, '--flow', 'default-recovery-flow', '--context', '{"pending_user": "alice"}'], ['', 'new passphrase 123', 'new passphrase 123']);
    expect(result.code, result.text).toBe(0);
    expect(result.text).toContain('── ak-stage-email [default-recovery-email]');
    expect(result.text).toMatch(/\(outbox\) to alice@example\.org: "authentik" .*flow_token=/);
    expect(result.text).toContain('✉ opening');
    expect(result.text).toContain('  logged in: alice');
  });

  it('restarts with :restart and stops when the input ends', async () => {
    const result = await run(['--db', db, '--flow', 'default-authentication-flow'], ['alice', ':restart', 'alice']);
    expect(result.code).toBe(1);
    expect(result.text).toContain('↺ restarting the flow');
    expect(result.text.match(/── ak-stage-identification/g)).toHaveLength(2);
    expect(result.text).toContain('Input ended: the run stops here.');
  });

  it('reports a denial (exit 1) and bad arguments (exit 2)', async () => {
    const denied = await run(['--db', db, '--flow', 'default-enrollment-flow', '--user', 'alice'], []);
    expect(denied.code).toBe(1);
    expect(denied.text).toContain('✖ Access denied: Flow does not apply to current user.');
    expect((await run(['--db', db], [])).code).toBe(2);
    const unknown = await run(['--db', db, '--flow', 'nope'], []);
    expect(unknown.code).toBe(1);
    expect(unknown.text).toContain('No flow with slug "nope"');
  });
});
