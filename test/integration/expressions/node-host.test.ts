import { describe, expect, it } from 'vitest';
import { type Group, type JsonValue } from '@shared/model';
import { type ExpressionHostCalls } from '../../../src/main/engine/ports';
import { childArgs } from '../../../src/main/expressions';
import { useNodeExpressionRuntime } from '../../support/expression-runtime';
import { policyVariables, testUser } from '../../support/expression-vars';

/**
 * authentik's expression semantics on the real interpreter (Node child host), the deadline
 * (within the deadline + 50 ms, the event loop never blocked), and recovery after a kill.
 */

const runtimeOf = useNodeExpressionRuntime();

const admins: Group = { pk: 'g-admins', name: 'admins', is_superuser: true, parent: null, attributes: { 'goauthentik.io/user/can-change-email': true, tags: ['a'] } } as unknown as Group;
const staff: Group = { pk: 'g-staff', name: 'staff', is_superuser: false, parent: 'g-admins', attributes: { tags: ['b'] } } as unknown as Group;
const alice = testUser({ groups: ['g-staff'], attributes: { tags: ['c'], team: 'blue' } });
const host: ExpressionHostCalls = {
  userBy: (filters) => (filters.username === 'alice' ? alice : filters.username === 'akadmin' ? testUser({ pk: 1, username: 'akadmin', has_usable_password: false }) : null),
  userGroups: (user) => (user.pk === alice.pk ? [staff, admins] : []),
  resolveUser: (ref) => (ref.$user === alice.pk ? alice : null),
  targetFields: (obj): Record<string, JsonValue> => (obj.kind === 'flow' ? { slug: 'default-authentication-flow', designation: 'authentication' } : {}),
  userHasAuthenticator: (pk, type) => pk === alice.pk && (type === null || type === 'totp'),
  callPolicy: (name, kwargs) => Promise.resolve(name === 'other' ? { passing: kwargs.flag === true, messages: ['from other'] } : { error: `Policy '${name}' not found.` }),
};

async function run(source: string, context: Record<string, unknown> = {}) {
  return runtimeOf().evaluate(source, policyVariables(context, alice), { host, filename: 'my-policy' });
}


describe('authentik semantics (real Python)', () => {
  it('wraps the source in a handler: return, truthiness, None', async () => {
    expect(await run('return 1 + 1')).toMatchObject({ result: 2, truthy: true });
    expect(await run('return []')).toMatchObject({ result: [], truthy: false });
    expect(await run('x = 1')).toMatchObject({ result: null, truthy: false, repr: 'None' });
  });

  it('reports an exception as str(exc) with the line in the expression', async () => {
    const outcome = await run('a = 1\nb = context["missing"]\nreturn True');
    expect(outcome).toMatchObject({ error: "'missing'", error_line: 2 });
    expect(outcome.traceback).toContain('File "my-policy", line 2');
    expect((await run('return (')).error).toMatch(/never closed|invalid syntax|unexpected EOF/);
  });

  it('collects ak_message, ak_logger lines and print output', async () => {
    const outcome = await run('ak_message("first")\nak_logger.warning("careful", user=request.user.username)\nprint("hello", 42)\nak_message("second")\nreturn False');
    expect(outcome.messages).toEqual(['first', 'second']);
    expect(outcome.logs).toEqual([{ level: 'warning', message: "careful user='alice'" }]);
    expect(outcome.output).toBe('hello 42\n');
  });

  it('user objects: attributes, groups with ancestors, group_attributes merge, superuser', async () => {
    const outcome = await run(
      'u = request.user\nreturn [u.username, u.is_authenticated, u.is_superuser, sorted(g.name for g in u.all_groups()), [g.name for g in u.ak_groups.all()], u.ak_groups.filter(name="staff").exists(), ak_is_group_member(u, name="admins"), ak_is_group_member(u, name="nope"), u.group_attributes()["tags"], u.attributes["team"]]',
    );
    expect(outcome.result).toEqual(['alice', true, false, ['admins', 'staff'], ['staff'], true, true, false, ['a', 'b', 'c'], 'blue']);
  });

  it('helpers that ask the engine: ak_user_by, ak_user_has_authenticator, ak_call_policy', async () => {
    const outcome = await run(
      'a = ak_user_by(username="akadmin")\nr = ak_call_policy("other", flag=True)\nreturn [a.username, a.has_usable_password(), ak_user_by(username="ghost") is None, ak_user_has_authenticator(request.user), ak_user_has_authenticator(request.user, "webauthn"), r.passing, list(r.messages)]',
    );
    expect(outcome.result).toEqual(['akadmin', false, true, true, false, true, ['from other']]);
    expect((await run('return ak_call_policy("missing")')).error).toBe("Policy 'missing' not found.");
  });

  it('request.obj carries the target model fields (a flow: slug, designation)', async () => {
    const variables = policyVariables({}, alice);
    variables.request.obj = { kind: 'flow', pk: 'f1', label: 'default-authentication-flow' };
    const outcome = await runtimeOf().evaluate('return [request.obj.slug, request.obj.designation, str(request.obj)]', variables, { host });
    expect(outcome.result).toEqual(['default-authentication-flow', 'authentication', 'default-authentication-flow']);
  });

  it('pure helpers: regex_match, regex_replace, list_flatten, slugify, ip_address, ip_network', async () => {
    const outcome = await run(
      'return [regex_match("abc", "b"), regex_replace("a-b", "-", "+"), list_flatten(["x", "y"]), list_flatten([]), list_flatten("s"), slugify("Héllo World!"), ip_address("10.0.0.5") in ip_network("10.0.0.0/8")]',
    );
    expect(outcome.result).toEqual([true, 'a+b', 'x', null, 's', 'hello-world', true]);
  });

  it('unavailable helpers raise a clear error', async () => {
    expect((await run('requests.get("https://example.com")')).error).toMatch(/not available in Flowbench: expressions have no network access/);
    expect((await run('ak_send_email("a@b.c", "s")')).error).toMatch(/ak_send_email is not available in Flowbench/);
  });

  it('ak_create_event is recorded; flow_plan context writes come back as user references', async () => {
    const plan = { flow_pk: 'f1', bindings: ['b1'], markers: ['plain'], context: { pending_user: { $user: alice.pk } } };
    const outcome = await run('ak_create_event("custom_thing", detail=1)\nctx = context["flow_plan"].context\nctx["picked"] = ak_user_by(username="akadmin")\nctx["note"] = hasattr(ctx["pending_user"], "backend")\nreturn True', { flow_plan: plan, ...plan.context });
    expect(outcome.events).toEqual([{ action: 'custom_thing', context: { detail: 1 } }]);
    expect(outcome.plan?.context).toEqual({ pending_user: { $user: alice.pk }, picked: { $user: 1 }, note: false });
  });

  it('hasattr(pending_user, "backend") is true only for a user that authenticated in this flow', async () => {
    const withBackend = { flow_pk: 'f1', bindings: [], markers: [], context: { pending_user: { $user: alice.pk, backend: 'authentik.core.auth.InbuiltBackend' } } };
    const source = 'return not hasattr(context["flow_plan"].context.get("pending_user"), "backend")';
    expect((await run(source, { flow_plan: withBackend })).result).toBe(false);
    expect((await run(source, { flow_plan: { ...withBackend, context: { pending_user: { $user: alice.pk } } } })).result).toBe(true);
  });

  it('an expression cannot change what the next one sees (builtins, imports)', async () => {
    await run('import builtins\nbuiltins.len = lambda x: 99\nbuiltins.evil = 1\nimport sys\nsys.meta_path.clear()\nreturn True');
    expect((await run('return [len("ab"), "evil" in dir(__builtins__) if isinstance(__builtins__, dict) is False else "evil" in __builtins__]')).result).toEqual([2, false]);
    expect((await run('import json\nreturn json.dumps([1])')).result).toBe('[1]');
  });
});

describe('limits (real host)', () => {
  it('answers within the deadline + 50 ms, keeps the event loop free, and recovers after the kill', async () => {
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 10);
    const started = performance.now();
    const outcome = await runtimeOf().evaluate('while True:\n    pass', policyVariables({}), { timeoutMs: 300 });
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(outcome.timed_out).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(299);
    expect(elapsed).toBeLessThanOrEqual(350);
    // The main thread kept running while Python spun: ≈30 ticks of 10 ms, at least half of them.
    expect(ticks).toBeGreaterThanOrEqual(15);
    const launches = runtimeOf().status().launches;
    const after = await runtimeOf().evaluate('return "back"', policyVariables({}), { timeoutMs: 30_000 });
    expect(after.result).toBe('back');
    expect(runtimeOf().status().launches).toBe(launches + 1);
  }, 60_000);

  it('runs the child under the permission model with nothing but reads of Pyodide and itself', () => {
    const args = childArgs({ childScript: '/x/child.cjs', pyodideDir: '/p/pyodide', maxOldSpaceMiB: 256 });
    expect(args).toEqual(expect.arrayContaining(['--disallow-code-generation-from-strings', '--allow-fs-read=/p/pyodide', '--allow-fs-read=/x/child.cjs']));
    expect(args.some((a) => /^--(experimental-)?permission$/.test(a))).toBe(true);
    expect(args.filter((a) => /allow-(fs-write|child-process|worker|addons)/.test(a))).toEqual([]);
  });
});
