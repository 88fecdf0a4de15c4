import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/workspace';
import { cli, FIXTURES, tempTree } from './helpers';

/** `flowbench plan` on the fixture blueprints: the plan, markers and every policy trace. */

let tree: ReturnType<typeof tempTree>;
let db: string;
const digest = () => createHash('sha256').update(readFileSync(db)).digest('hex');

beforeAll(async () => {
  tree = tempTree();
  db = join(tree.dir, 'workspace.sqlite');
  const ws = openWorkspace({ path: db });
  try {
    for (const name of [
      'default/flow-default-authentication-flow.yaml',
      'default/flow-default-provider-invalidation.yaml',
      'example/flows-unenrollment.yaml',
      'example/flows-recovery-email-verification.yaml',
    ]) {
      const report = await ws.services.blueprints.import([{ name, text: readFileSync(join(FIXTURES, name), 'utf8') }]);
      expect(report.ok, JSON.stringify(report.issues)).toBe(true);
    }
    await ws.services.users.create({ username: 'alice', email: 'alice@example.org', password: 'correct horse battery' });
  } finally {
    ws.close();
  }
});
afterAll(() => tree.cleanup());

describe('flowbench plan', () => {
  it('prints the plan with markers (exit 0) and writes nothing', async () => {
    const before = digest();
    const result = await cli(['plan', '--db', db, '--flow', 'default-authentication-flow']);
    expect(result.code, result.stderr).toBe(0);
    const text = result.stdout;
    expect(text).toContain('Flow default-authentication-flow — "Welcome to authentik!" (designation authentication, authentication none)');
    expect(text).toContain('Request: anonymous, IP 127.0.0.1');
    expect(text).toContain('Plan: 4 stage(s)');
    expect(text).toMatch(/1\. order {3}10 {2}default-authentication-identification .*Identification/);
    expect(text).toMatch(/2\. order {3}20 {2}default-authentication-password .*\[re-evaluate policies\]/);
    expect(text).toMatch(/4\. order {2}100 {2}default-authentication-login/);
    expect(text).toContain('flow default-authentication-flow — mode any, user AnonymousUser: PASS (no bindings)');
    expect(digest()).toBe(before);
  });

  it('prints every policy trace: binding, policy, kind, result, messages/error, duration', async () => {
    const result = await cli(['plan', '--db', db, '--flow', 'default-recovery-flow', '--request-ip', '203.0.113.7']);
    expect(result.code).toBe(0);
    const text = result.stdout;
    expect(text).toContain('Request: anonymous, IP 203.0.113.7');
    // The identification binding is evaluated on plan; its expression policy runs in Python:
    // `request.context.get('is_restored', False)` is False for a fresh request.
    expect(text).toMatch(/binding default-recovery-flow #10 default-recovery-identification — mode any, user AnonymousUser: FAIL/);
    expect(text).toMatch(/#0 default-recovery-skip-if-restored \(authentik_policies_expression\.expressionpolicy\): fail, result false, [\d.]+ ms/);
    expect(text).not.toMatch(/default-recovery-identification {2}/);
    expect(text).toMatch(/1\. order {3}20 {2}default-recovery-email/);
  });

  it('--json: the plan report as JSON, with full traces', async () => {
    const result = await cli(['plan', '--db', db, '--flow', 'default-authentication-flow', '--json', '--context', '{"pending_user": "alice", "is_sso": true}']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      flow: { slug: 'default-authentication-flow', designation: 'authentication' },
      selection: null,
      result: 'planned',
      messages: [],
      plan: {
        stages: [
          { position: 1, order: 10, stage: 'default-authentication-identification', marker: 'reevaluate', evaluate_on_plan: false },
          { position: 2, order: 20, stage: 'default-authentication-password', kind: 'authentik_stages_password.passwordstage' },
          { position: 3, stage: 'default-authentication-mfa-validation' },
          { position: 4, stage: 'default-authentication-login' },
        ],
        context: { pending_user: { $user: expect.any(Number) }, is_sso: true },
      },
    });
    expect((report.traces as unknown[]).length).toBe(1);
  });

  it('picks the flow for a designation and shows how', async () => {
    const result = await cli(['plan', '--db', db, '--designation', 'authentication']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Chosen for designation authentication (via designation)');
  });

  it('says "not applicable" with the message (exit 1)', async () => {
    const result = await cli(['plan', '--db', db, '--flow', 'default-unenrollment-flow']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Not applicable: Flow does not apply to current user. (authentication requirement require_authenticated not met)');
    const asAlice = await cli(['plan', '--db', db, '--flow', 'default-unenrollment-flow', '--user', 'alice']);
    expect(asAlice.code).toBe(0);
    expect(asAlice.stdout).toContain('Request: user alice, IP 127.0.0.1');
  });

  it('says "empty" for a flow without stages (exit 1)', async () => {
    const result = await cli(['plan', '--db', db, '--flow', 'default-provider-invalidation-flow']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Empty: Flow has no stages.');
  });

  it('rejects bad input', async () => {
    expect((await cli(['plan', '--db', db])).code).toBe(2);
    expect((await cli(['plan', '--db', db, '--flow', 'a', '--designation', 'recovery'])).code).toBe(2);
    expect((await cli(['plan', '--db', db, '--designation', 'login'])).code).toBe(2);
    const badJson = await cli(['plan', '--db', db, '--flow', 'x', '--context', '[1]']);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain('--context must be a JSON object');
    const unknownFlow = await cli(['plan', '--db', db, '--flow', 'nope']);
    expect(unknownFlow.code).toBe(1);
    expect(unknownFlow.stderr).toContain('no flow with slug "nope"');
    const unknownUser = await cli(['plan', '--db', db, '--flow', 'default-authentication-flow', '--user', 'nobody']);
    expect(unknownUser.code).toBe(1);
    expect(unknownUser.stderr).toContain('no user named "nobody"');
    const missing = await cli(['plan', '--db', join(tree.dir, 'missing.sqlite'), '--flow', 'x']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('there is no workspace at');
  });
});
