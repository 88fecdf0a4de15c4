import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blueprint, cli, STAGE, tempTree, testJson, type JsonReport } from './helpers';

/**
 * The flow-test runner on small inline blueprints, through `flowbench test --json`: steps,
 * response errors, actions, run-time values and every outcome field.
 */

let tree: ReturnType<typeof tempTree>;
beforeEach(() => {
  tree = tempTree();
});
afterEach(() => tree.cleanup());

/** Write `flow.yaml` + `t.flowtest.yaml` and run it. */
async function run(flow: string, test: string): Promise<{ code: number; report: JsonReport; result: JsonReport['results'][number] }> {
  tree.write('flow.yaml', flow);
  tree.write('t.flowtest.yaml', test);
  const { code, report } = await testJson([tree.dir]);
  expect(report.results).toHaveLength(1);
  return { code, report, result: report.results[0]! };
}

const twoDummies = blueprint({
  stages: [
    { name: 'first', model: STAGE.dummy },
    { name: 'second', model: STAGE.dummy },
  ],
});

describe('steps', () => {
  it('walks the challenges, checks component, stage and fields, and the outcome', async () => {
    const { code, report, result } = await run(
      twoDummies,
      `name: two dummies
blueprints: [flow.yaml]
run: {flow: test-flow}
steps:
  - expect: {component: ak-stage-dummy, stage: first, fields: {name: first, flow_info: {title: test-flow}}}
    respond: {}
  - expect: {component: ak-stage-dummy, stage: second}
    respond: {}
outcome:
  result: completed
  redirect: /
  session_user: null
  plan: [first, second]
  stages_run: [first, second]
`,
    );
    expect(result.failures).toEqual([]);
    expect(code).toBe(0);
    expect(report).toMatchObject({ passed: 1, failed: 0 });
    const kinds = result.transcript.map((e) => e.kind);
    expect(kinds[0]).toBe('start');
    expect(kinds).toContain('plan');
    expect(result.transcript.filter((e) => e.kind === 'challenge').map((e) => e.stage)).toEqual(['first', 'second']);
    expect(result.transcript.filter((e) => e.kind === 'response')).toHaveLength(2);
    expect(result.transcript.at(-1)).toMatchObject({ kind: 'end', result: 'completed', redirect: '/' });
  });

  it('reports a wrong component at its step (0-based) and stops there', async () => {
    const { code, result } = await run(
      twoDummies,
      `name: wrong component
blueprints: [flow.yaml]
run: {flow: test-flow}
steps:
  - expect: ak-stage-dummy
    respond: {}
  - expect: ak-stage-password
    respond: {password: x}
outcome: {result: completed}
`,
    );
    expect(code).toBe(1);
    expect(result.ok).toBe(false);
    expect(result.failures).toEqual([
      { step: 1, expected: 'ak-stage-password', actual: 'ak-stage-dummy', message: 'expected the challenge ak-stage-password, but got ak-stage-dummy (stage second)' },
    ]);
  });

  it('reports a wrong stage and mismatching fields with what was compared', async () => {
    const { result } = await run(
      twoDummies,
      `name: wrong stage
blueprints: [flow.yaml]
run: {flow: test-flow}
steps:
  - expect: {component: ak-stage-dummy, stage: second, fields: {name: other}}
    respond: {}
outcome: {result: completed}
`,
    );
    expect(result.failures).toHaveLength(2);
    expect(result.failures[0]).toMatchObject({ step: 0, expected: 'second', actual: 'first' });
    expect(result.failures[1]).toMatchObject({ step: 0, expected: { name: 'other' }, actual: { name: 'first' } });
    expect(result.failures[1]!.message).toContain('name: expected "other", got "first"');
  });

  it('fails when the steps run out before the flow ends', async () => {
    const { result } = await run(
      twoDummies,
      `name: unfinished
blueprints: [flow.yaml]
run: {flow: test-flow}
steps:
  - respond: {}
outcome: {result: completed}
`,
    );
    expect(result.failures).toEqual([
      expect.objectContaining({ expected: 'completed', actual: 'waiting: ak-stage-dummy (stage second)' }),
    ]);
    expect(result.failures[0]).not.toHaveProperty('step');
  });

  it('fails a step that responds after the flow ended', async () => {
    const { result } = await run(
      blueprint({ stages: [{ name: 'only', model: STAGE.dummy }] }),
      `name: too many steps
blueprints: [flow.yaml]
run: {flow: test-flow}
steps:
  - respond: {}
  - respond: {}
outcome: {result: completed}
`,
    );
    expect(result.failures).toEqual([expect.objectContaining({ step: 1, message: 'there is nothing to respond to: the flow completed → /' })]);
  });

  it('restarts the flow with `action: restart` (stages_run counts the stage again)', async () => {
    const { result } = await run(
      twoDummies,
      `name: restart
blueprints: [flow.yaml]
run: {flow: test-flow}
steps:
  - expect: {component: ak-stage-dummy, stage: first}
    respond: {}
  - expect: {component: ak-stage-dummy, stage: second}
    action: restart
  - expect: {component: ak-stage-dummy, stage: first}
    respond: {}
  - respond: {}
outcome:
  result: completed
  plan: [first, second]
  stages_run: [first, second, first, second]
`,
    );
    expect(result.failures).toEqual([]);
    expect(result.transcript.some((e) => e.kind === 'action' && e.action === 'restart')).toBe(true);
  });
});

describe('denials', () => {
  it('ends on the deny stage with its message; stages_run ends with it', async () => {
    const { result } = await run(
      blueprint({
        stages: [
          { name: 'hello', model: STAGE.dummy },
          { name: 'no-entry', model: STAGE.deny, attrs: { deny_message: 'Go away, please.' } },
          { name: 'never', model: STAGE.dummy },
        ],
      }),
      `name: deny
blueprints: [flow.yaml]
run: {flow: test-flow}
steps:
  - respond: {}
outcome:
  result: denied
  message: Go away
  stages_run: [hello, no-entry]
  plan: [hello, no-entry, never]
`,
    );
    expect(result.failures).toEqual([]);
  });

  it('checks the message as a substring and the result', async () => {
    const { result } = await run(
      blueprint({ stages: [{ name: 'no-entry', model: STAGE.deny, attrs: { deny_message: 'Go away.' } }] }),
      `name: deny mismatch
blueprints: [flow.yaml]
run: {flow: test-flow}
outcome:
  result: completed
  message: Welcome
`,
    );
    expect(result.failures.map((f) => [f.expected, f.actual])).toEqual([
      ['completed', 'denied'],
      ['Welcome', 'Go away.'],
    ]);
  });

  it('is denied when the flow does not apply (authentication requirement)', async () => {
    const { result } = await run(
      blueprint({ authentication: 'require_authenticated', stages: [{ name: 'x', model: STAGE.dummy }] }),
      `name: not applicable
blueprints: [flow.yaml]
run: {flow: test-flow}
outcome:
  result: denied
  message: does not apply
  plan: []
  stages_run: []
`,
    );
    expect(result.failures).toEqual([]);
  });

  it('fails (never passes) when a stage kind is not available, even when a denial was expected', async () => {
    const { code, result } = await run(
      blueprint({ stages: [{ name: 'mail-code', model: 'authentik_stages_authenticator_email.authenticatoremailstage' }] }),
      'name: unavailable\nblueprints: [flow.yaml]\nrun: {flow: test-flow}\noutcome: {result: denied}\n',
    );
    expect(code).toBe(1);
    expect(result.failures).toEqual([
      expect.objectContaining({ expected: 'denied', actual: 'stage_unavailable', message: expect.stringContaining('Stage authenticator_email is not available in Flowbench yet') }),
    ]);
  });
});

describe('sessions and users', () => {
  const users = `users:
  - username: alice
    name: Alice
    email: alice@example.org
    password: "correct horse battery"
    attributes: {team: blue, nested: {a: 1, b: 2}}
    groups: [staff]
  - username: bob
    is_active: false
groups:
  - {name: staff}
`;

  it('logs the pending user in; checks session_user and users (password, attributes, groups)', async () => {
    const { result } = await run(
      blueprint({ stages: [{ name: 'login', model: STAGE.login }] }),
      `name: login
blueprints: [flow.yaml]
${users}run:
  flow: test-flow
  context: {pending_user: alice}
outcome:
  result: completed
  session_user: alice
  stages_run: [login]
  users:
    alice: {exists: true, is_active: true, password: "correct horse battery", attributes: {nested: {a: 1}}, groups: [staff], name: Alice}
    bob: {exists: true, is_active: false, password: null}
    carol: {exists: false}
`,
    );
    expect(result.failures).toEqual([]);
  });

  it('reports each user check that does not hold', async () => {
    const { result } = await run(
      blueprint({ stages: [{ name: 'login', model: STAGE.login }] }),
      `name: user mismatches
blueprints: [flow.yaml]
${users}run:
  flow: test-flow
  context: {pending_user: alice}
outcome:
  result: completed
  session_user: bob
  users:
    alice: {password: wrong, attributes: {team: red}, groups: []}
    bob: {exists: false}
`,
    );
    expect(result.failures.map((f) => f.message)).toEqual([
      'expected bob to be logged in, but alice is',
      'users.alice.attributes: team: expected "red", got "blue"',
      'users.alice.groups: expected [], got [staff]',
      'users.alice.password: the stored password is not "wrong"',
      'expected bob not to exist, but it does',
    ]);
  });

  it('logs the session user out (invalidation)', async () => {
    const { result } = await run(
      blueprint({ designation: 'invalidation', stages: [{ name: 'logout', model: STAGE.logout }] }),
      `name: logout
blueprints: [flow.yaml]
${users}session_user: alice
run: {flow: test-flow}
outcome: {result: completed, session_user: null, stages_run: [logout]}
`,
    );
    expect(result.failures).toEqual([]);
  });

  it('deletes the session user (unenrollment); every test gets a fresh workspace', async () => {
    tree.write('flow.yaml', blueprint({ designation: 'unenrollment', authentication: 'require_authenticated', stages: [{ name: 'delete', model: STAGE.delete }] }));
    const test = (name: string) => `name: ${name}
blueprints: [flow.yaml]
${users}session_user: alice
run: {flow: test-flow}
outcome:
  result: completed
  session_user: null
  users: {alice: {exists: false}, bob: {exists: true}}
`;
    tree.write('a.flowtest.yaml', `${test('delete alice')}---\n${test('alice is there again in the next document')}`);
    tree.write('b.flowtest.yaml', test('and in the next file'));
    const { code, report } = await testJson([tree.dir]);
    expect(report.results.map((r) => [r.name, r.ok])).toEqual([
      ['delete alice', true],
      ['alice is there again in the next document', true],
      ['and in the next file', true],
    ]);
    expect(code).toBe(0);
  });
});

describe('setup', () => {
  it('fails the test (exit 1) when a blueprint does not import or a fixture is wrong', async () => {
    tree.write('b.flowtest.yaml', 'name: broken blueprint\nblueprints: [broken.yaml]\nrun: {flow: x}\noutcome: {result: completed}\n');
    tree.write('broken.yaml', 'version: 1\nentries:\n  - model: authentik_flows.flowstagebinding\n    identifiers: {target: !KeyOf nope, stage: !KeyOf nope, order: 1}\n');
    tree.write('c.flowtest.yaml', 'name: unknown group\nusers: [{username: u, groups: [ghosts]}]\nrun: {flow: x}\noutcome: {result: completed}\n');
    tree.write('d.flowtest.yaml', 'name: unknown session user\nsession_user: nobody\nrun: {flow: x}\noutcome: {result: completed}\n');
    tree.write('e.flowtest.yaml', 'name: unknown flow\nrun: {flow: x}\noutcome: {result: completed}\n');
    tree.write('f.flowtest.yaml', 'name: unknown pending user\nrun: {flow: x, context: {pending_user: ghost}}\noutcome: {result: completed}\n');
    const { code, report } = await testJson([tree.dir]);
    expect(code).toBe(1);
    expect(report).toMatchObject({ passed: 0, failed: 5 });
    expect(report.results.map((r) => r.failures[0]!.message)).toEqual([
      expect.stringMatching(/^setup: blueprint broken\.yaml did not import: broken\.yaml:4/),
      'setup: user "u": no group named "ghosts"',
      'setup: session_user: no user named "nobody"',
      'No flow with slug "x"',
      'setup: run.context.pending_user: no user named "ghost"',
    ]);
  });

  it('does not run a test whose blueprint cannot be read (exit 2, with the line)', async () => {
    tree.write('a.flowtest.yaml', 'name: missing blueprint\nblueprints:\n  - there.yaml\n  - nope.yaml\nrun: {flow: x}\noutcome: {result: completed}\n');
    tree.write('there.yaml', 'version: 1\nentries: []\n');
    tree.write('b.flowtest.yaml', 'name: folder as blueprint\nblueprints: [sub]\nrun: {flow: x}\noutcome: {result: completed}\n');
    tree.write('sub/x.txt', '');
    const result = await cli(['test', tree.dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/a\.flowtest\.yaml:4: blueprints\[1\]: cannot read blueprint nope\.yaml \(.*\): no such file/);
    expect(result.stderr).toMatch(/b\.flowtest\.yaml:2: blueprints\[0\]: cannot read blueprint sub \(.*\): it is a folder/);
    expect(result.out.at(-1)).toBe('0 passed, 0 failed');
  });

  it('creates groups with parents (in any order) and gives superuser through the parent', async () => {
    const { result } = await run(
      blueprint({ authentication: 'require_superuser', stages: [{ name: 'x', model: STAGE.dummy }] }),
      `name: superuser through parent
blueprints: [flow.yaml]
groups:
  - {name: child, parent: root}
  - {name: root, is_superuser: true}
users: [{username: admin, groups: [child]}]
session_user: admin
run: {flow: test-flow}
steps:
  - {expect: ak-stage-dummy, respond: {}}
outcome: {result: completed, session_user: admin}
`,
    );
    expect(result.failures).toEqual([]);
  });
});

describe('request, reputation and run-time values', () => {
  it('hands request.query to the executor: `next` is the final redirect', async () => {
    const { result } = await run(
      blueprint({ stages: [{ name: 'hello', model: STAGE.dummy }] }),
      `name: next
blueprints: [flow.yaml]
request: {query: {next: /app/after}}
run: {flow: test-flow}
steps: [{respond: {}}]
outcome: {result: completed, redirect: /app/after}
`,
    );
    expect(result.failures).toEqual([]);
  });

  it('seeds reputation scores before the run (a flow-level reputation policy on the request IP)', async () => {
    const flow = blueprint({
      stages: [{ name: 'hello', model: STAGE.dummy }],
      extra: `  - model: authentik_policies_reputation.reputationpolicy
    id: rep
    identifiers: {name: bad-ip}
    attrs: {check_ip: true, check_username: false, threshold: -5}
  - model: authentik_policies.policybinding
    identifiers: {policy: !KeyOf rep, target: !KeyOf flow, order: 0}`,
    });
    const test = (seed: number) => `name: reputation ${seed}
blueprints: [flow.yaml]
reputation: [{identifier: someone, ip: 203.0.113.7, score: ${seed}}]
request: {ip: 203.0.113.7}
run: {flow: test-flow}
outcome: {result: ${seed <= -5 ? 'completed' : 'denied'}}
${seed <= -5 ? 'steps: [{expect: ak-stage-dummy, respond: {}}]\n' : ''}`;
    tree.write('flow.yaml', flow);
    tree.write('a.flowtest.yaml', test(-6));
    tree.write('b.flowtest.yaml', test(-1));
    const { report } = await testJson([tree.dir]);
    expect(report.results.map((r) => [r.name, r.ok, r.failures])).toEqual([
      ['reputation -6', true, []],
      ['reputation -1', true, []],
    ]);
  });

  it('replaces {$captcha: pass|fail} with tokens the built-in test provider accepts / rejects', async () => {
    const { result } = await run(
      blueprint({ stages: [{ name: 'bots-out', model: STAGE.captcha, attrs: { public_key: 'site', private_key: 'secret' } }] }),
      `name: captcha
blueprints: [flow.yaml]
run: {flow: test-flow}
steps:
  - expect: ak-stage-captcha
    respond: {token: {$captcha: fail}}
  - expect: {component: ak-stage-captcha, errors: [token]}
    respond: {token: {$captcha: pass}}
outcome: {result: completed, stages_run: [bots-out]}
`,
    );
    expect(result.failures).toEqual([]);
    const sent = result.transcript.filter((e) => e.kind === 'response').map((e) => (e.body as { token: string }).token);
    expect(sent[0]).not.toBe(sent[1]);
  });

  it('replaces {$totp: name} and {$static: name} with codes of the pending user\'s devices', async () => {
    const { result } = await run(
      blueprint({
        stages: [
          { name: 'mfa', model: STAGE.validate, attrs: { device_classes: ['totp', 'static'], not_configured_action: 'deny' } },
          { name: 'mfa-again', model: STAGE.validate, attrs: { device_classes: ['totp', 'static'], not_configured_action: 'deny' } },
          { name: 'mfa-third', model: STAGE.validate, attrs: { device_classes: ['totp', 'static'], not_configured_action: 'deny' } },
          { name: 'login', model: STAGE.login },
        ],
      }),
      `name: devices
blueprints: [flow.yaml]
users:
  - username: alice
    authenticators:
      - {type: totp, name: phone, secret: JBSWY3DPEHPK3PXP, digits: 8}
      - {type: static, name: paper, tokens: [one-token-only]}
run: {flow: test-flow, context: {pending_user: alice}}
steps:
  - expect: ak-stage-authenticator-validate
    respond: {code: {$totp: phone}}
  # a code is never accepted twice: the runner uses the next time step, as an app would later
  - expect: {component: ak-stage-authenticator-validate, stage: mfa-again}
    respond: {code: {$totp: phone}}
  - expect: {component: ak-stage-authenticator-validate, stage: mfa-third}
    respond: {code: {$static: paper}}
outcome: {result: completed, session_user: alice}
`,
    );
    expect(result.failures).toEqual([]);
    const codes = result.transcript.filter((e) => e.kind === 'response').map((e) => (e.body as { code: string }).code);
    expect(codes[0]).toMatch(/^\d{8}$/);
    expect(codes[1]).toMatch(/^\d{8}$/);
    expect(codes[1]).not.toBe(codes[0]);
    expect(codes[2]).toBe('one-token-only');
  });

  it('fails the step when a device or the outbox message does not exist', async () => {
    const { result } = await run(
      blueprint({ stages: [{ name: 'mfa', model: STAGE.validate, attrs: { device_classes: ['totp'], not_configured_action: 'deny' } }] }),
      `name: no such device
blueprints: [flow.yaml]
users: [{username: alice, authenticators: [{type: totp, name: phone, secret: JBSWY3DPEHPK3PXP}]}]
run: {flow: test-flow, context: {pending_user: alice}}
steps:
  - respond: {code: {$totp: tablet}}
outcome: {result: completed}
`,
    );
    expect(result.failures).toEqual([expect.objectContaining({ step: 0, message: '$totp: alice has no totp device named "tablet"' })]);
    tree.write('b.flowtest.yaml', 'name: empty outbox\nblueprints: [flow.yaml]\nusers: [{username: alice}]\nrun: {flow: test-flow, context: {pending_user: alice}}\nsteps: [{action: follow_email_link}]\noutcome: {result: completed}\n');
    const { report } = await testJson([join(tree.dir, 'b.flowtest.yaml')]);
    expect(report.results[0]!.failures).toEqual([expect.objectContaining({ step: 0, message: 'the outbox is empty: no email was sent' })]);
  });

  it('follows the newest email link (optionally to an address) and restores the plan', async () => {
    const { result } = await run(
      blueprint({
        designation: 'recovery',
        stages: [
          { name: 'mail', model: STAGE.email, attrs: { use_global_settings: true, subject: 'Verify', template: 'email/password_reset.html' } },
          { name: 'login', model: STAGE.login },
        ],
      }),
      `name: email
blueprints: [flow.yaml]
users: [{username: alice, email: alice@example.org}]
run: {flow: test-flow, context: {pending_user: alice}}
steps:
  - expect: ak-stage-email
    action: follow_email_link
    to: ALICE@example.org
outcome: {result: completed, session_user: alice, stages_run: [mail, mail, login]}
`,
    );
    expect(result.failures).toEqual([]);
    expect(result.transcript.find((e) => e.kind === 'action')).toMatchObject({ action: 'follow_email_link', detail: { to: 'alice@example.org', subject: 'Verify' } });
  });
});
