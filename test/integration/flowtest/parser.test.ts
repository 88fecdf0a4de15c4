import { afterEach, describe, expect, it } from 'vitest';
import { formatIssue, parseFlowTestText } from '../../../src/main/flowtest';
import { cli, tempTree } from './helpers';

const VALID = `name: alice signs in
blueprints:
  - ../blueprints/login.yaml
blueprint_context: {domain: example.org}
groups:
  - name: staff
  - {name: admins, is_superuser: true, parent: staff, attributes: {level: 3}}
users:
  - username: alice
    email: alice@example.org
    password: "correct horse battery"
    groups: [admins]
    authenticators:
      - {type: totp, name: phone, secret: JBSWY3DPEHPK3PXP}
      - {type: static, name: backup, tokens: ["aaaa1111", "bbbb2222"]}
  - username: bob
reputation:
  - {identifier: alice, ip: 203.0.113.7, score: -3}
request:
  ip: 203.0.113.7
  query: {next: /app}
session_user: null
run:
  flow: default-authentication-flow
  context: {pending_user: alice, is_sso: true}
steps:
  - expect: ak-stage-identification
    respond: {uid_field: alice}
  - expect: {component: ak-stage-password, stage: pw, fields: {allow_show_password: false}, errors: [password]}
    respond: {password: {$totp: phone}, nested: [{$static: backup}], c: {$captcha: pass}}
  - expect: ak-stage-email
    action: follow_email_link
    to: alice@example.org
  - action: restart
  - action: {follow_email_link: {to: bob@example.org}}
outcome:
  result: completed
  redirect: /app
  session_user: alice
  plan: [a, b]
  stages_run: [a, b]
  users:
    alice: {exists: true, is_active: true, password: "x", attributes: {k: v}, groups: [admins]}
    bob: {exists: false}
`;

function issuesOf(text: string): string[] {
  const result = parseFlowTestText('t.flowtest.yaml', text);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues.map(formatIssue);
}

describe('flow-test parser', () => {
  it('reads every part of a valid file, with the spec defaults', () => {
    const result = parseFlowTestText('t.flowtest.yaml', VALID);
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    expect(result.tests).toHaveLength(1);
    const { test, lines } = result.tests[0]!;
    expect(test.name).toBe('alice signs in');
    expect(test.groups[0]).toEqual({ name: 'staff', is_superuser: false, parent: null, attributes: {} });
    expect(test.users[0]).toMatchObject({ username: 'alice', name: 'alice', is_active: true, type: 'internal', attributes: {} });
    expect(test.users[0]!.authenticators[0]).toEqual({ type: 'totp', name: 'phone', secret: 'JBSWY3DPEHPK3PXP', digits: 6 });
    expect(test.users[1]).toEqual({ username: 'bob', name: 'bob', email: '', is_active: true, type: 'internal', groups: [], attributes: {}, authenticators: [] });
    expect(test.request).toEqual({ ip: '203.0.113.7', user_agent: 'flowbench', query: { next: '/app' }, geoip: null });
    expect(test.steps[0]).toEqual({ expect: { component: 'ak-stage-identification' }, respond: { uid_field: 'alice' }, action: null });
    expect(test.steps[2]!.action).toEqual({ name: 'follow_email_link', to: 'alice@example.org' });
    expect(test.steps[3]).toEqual({ expect: null, respond: null, action: { name: 'restart', to: null } });
    expect(test.steps[4]!.action).toEqual({ name: 'follow_email_link', to: 'bob@example.org' });
    expect(test.outcome.users?.bob).toEqual({ exists: false });
    expect(lines.steps).toEqual([27, 29, 31, 34, 35]);
  });

  it('fills the defaults of a minimal file', () => {
    const result = parseFlowTestText('t.flowtest.yaml', 'name: m\nrun: {designation: authentication}\noutcome: {result: denied}\n');
    if (!result.ok) throw new Error('not ok');
    expect(result.tests[0]!.test).toMatchObject({
      blueprints: [],
      blueprint_context: {},
      groups: [],
      users: [],
      reputation: [],
      request: { ip: '127.0.0.1', user_agent: 'flowbench', query: {}, geoip: null },
      session_user: null,
      run: { designation: 'authentication', context: {} },
      steps: [],
    });
  });

  it('reads several tests from one file (YAML documents)', () => {
    const result = parseFlowTestText('t.flowtest.yaml', 'name: a\nrun: {flow: x}\noutcome: {result: completed}\n---\nname: b\nrun: {flow: x}\noutcome: {result: denied}\n');
    expect(result.ok && result.tests.map((t) => t.test.name)).toEqual(['a', 'b']);
  });

  const invalid: [string, string, RegExp][] = [
    ['YAML syntax', 'name: a\nrun: {flow: x\noutcome: {result: completed}\n', /t\.flowtest\.yaml:\d+:\d+: YAML: /],
    ['a duplicate key', 'name: a\nname: b\nrun: {flow: x}\noutcome: {result: completed}\n', /:2:1: YAML: Map keys must be unique/],
    ['an unknown top-level key', 'name: a\nrun: {flow: x}\noutcom: {result: completed}\n', /:3:1: outcom: unknown key "outcom"/],
    ['an unknown nested key', 'name: a\nrun: {flow: x}\nsteps:\n  - expect: {component: c, stagee: s}\noutcome: {result: completed}\n', /:4:28: steps\[0\]\.expect\.stagee: unknown key/],
    ['a missing name', 'run: {flow: x}\noutcome: {result: completed}\n', /:1:1: name: required/],
    ['a missing outcome', 'name: a\nrun: {flow: x}\n', /:1:1: outcome: required/],
    ['a missing run', 'name: a\noutcome: {result: completed}\n', /:1:1: run: required/],
    ['both flow and designation', 'name: a\nrun: {flow: x, designation: recovery}\noutcome: {result: completed}\n', /:2:6: run: give either `flow`/],
    ['an unknown designation', 'name: a\nrun:\n  designation: login\noutcome: {result: completed}\n', /:3:16: run\.designation: /],
    ['an unknown result', 'name: a\nrun: {flow: x}\noutcome:\n  result: passed\n', /:4:11: outcome\.result: /],
    ['respond and action together', 'name: a\nrun: {flow: x}\nsteps:\n  - respond: {a: 1}\n    action: restart\noutcome: {result: completed}\n', /:4:5: steps\[0\]: a step has either `respond` or `action`/],
    ['an unknown action', 'name: a\nrun: {flow: x}\nsteps:\n  - action: reload\noutcome: {result: completed}\n', /:4:13: steps\[0\]\.action: expected `follow_email_link` or `restart`/],
    ['an empty step', 'name: a\nrun: {flow: x}\nsteps:\n  - {}\noutcome: {result: completed}\n', /:4:5: steps\[0\]: a step needs/],
    ['an unknown run-time value', 'name: a\nrun: {flow: x}\nsteps:\n  - respond: {code: {$hotp: x}}\noutcome: {result: completed}\n', /:4:\d+: steps\[0\]\.respond\.code\.\$hotp: unknown run-time value/],
    ['a bad $captcha', 'name: a\nrun: {flow: x}\nsteps:\n  - respond: {t: {$captcha: maybe}}\noutcome: {result: completed}\n', /steps\[0\]\.respond\.t\.\$captcha: /],
    ['a bad authenticator', 'name: a\nusers:\n  - username: u\n    authenticators: [{type: sms, name: p}]\nrun: {flow: x}\noutcome: {result: completed}\n', /:4:\d+: users\[0\]\.authenticators\[0\]\.type: expected \{type: totp/],
    ['a bad TOTP secret', 'name: a\nusers:\n  - username: u\n    authenticators: [{type: totp, name: p, secret: "0189!"}]\nrun: {flow: x}\noutcome: {result: completed}\n', /users\[0\]\.authenticators\[0\]\.secret: must be a base32 secret/],
    ['a user listed twice', 'name: a\nusers:\n  - username: u\n  - username: u\nrun: {flow: x}\noutcome: {result: completed}\n', /:4:15: users\[1\]\.username: user "u" is listed twice/],
    ['a wrong type', 'name: a\nrun: {flow: x}\nsteps: {expect: x}\noutcome: {result: completed}\n', /:3:8: steps: /],
    ['a list instead of a mapping', '- name: a\n', /:1:1: a flow test is a mapping/],
    ['an empty file', '', /:1:1: the file is empty/],
    ['`to` without follow_email_link', 'name: a\nrun: {flow: x}\nsteps:\n  - action: restart\n    to: a@b\noutcome: {result: completed}\n', /steps\[0\]\.to: `to` belongs to `action: follow_email_link`/],
  ];
  it.each(invalid)('reports %s with its line', (_what, text, pattern) => {
    const issues = issuesOf(text);
    expect(issues.join('\n')).toMatch(pattern);
  });

  describe('flowbench test on invalid files', () => {
    let tree: ReturnType<typeof tempTree>;
    afterEach(() => tree.cleanup());

    it('exits 2 with the file, the line and the reason; valid files still run', async () => {
      tree = tempTree({
        'bad.flowtest.yaml': 'name: a\nrun: {flow: x}\noutcome:\n  result: passed\n',
        'good.flowtest.yaml': 'name: g\nrun: {flow: nope}\noutcome: {result: denied}\n',
      });
      const result = await cli(['test', tree.dir]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/bad\.flowtest\.yaml:4:11: outcome\.result: /);
      // The valid file ran (and failed: no such flow); the summary line is still last.
      expect(result.out.at(-1)).toBe('0 passed, 1 failed');
    });

    it('exits 2 for a path that does not exist', async () => {
      tree = tempTree();
      const result = await cli(['test', `${tree.dir}/missing.flowtest.yaml`]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/missing\.flowtest\.yaml: cannot read: no such file or folder/);
      expect(result.out.at(-1)).toBe('0 passed, 0 failed');
    });

    it('keeps stdout pure JSON with --json even for invalid files', async () => {
      tree = tempTree({ 'bad.flowtest.yaml': 'name: [\n' });
      const result = await cli(['test', tree.dir, '--json']);
      expect(result.code).toBe(2);
      expect(JSON.parse(result.stdout)).toEqual({ passed: 0, failed: 0, results: [] });
      expect(result.stderr).toMatch(/bad\.flowtest\.yaml:\d+:\d+: YAML: /);
    });

    it('is a usage error (exit 2) without a path', async () => {
      const result = await cli(['test']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/name at least one flow-test file or folder/);
    });
  });
});
