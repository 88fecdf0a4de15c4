import { describe, expect, it } from 'vitest';
import { planExport } from '../../../../src/main/blueprint/export/plan';
import { ObjectIndex, type ObjectRef } from '../../../../src/main/blueprint/export/snapshot';
import { CAPTCHA, IDENTIFICATION, LOGIN, PASSWORD, PROMPT_STAGE, SnapshotBuilder, TOTP, USER_WRITE, VALIDATE } from './builders';

function names(index: ObjectIndex, refs: readonly ObjectRef[]): string[] {
  return refs.map((ref) => {
    const object = index.get(ref) as unknown as Record<string, unknown>;
    const label = object.slug ?? object.username ?? object.name ?? `${String(object.order)}`;
    return `${ref.type}:${String(label)}`;
  });
}

describe('planExport', () => {
  it('follows authentik’s per-flow order: flow, prompts, policies, stages (embedded first), bindings, policy bindings', () => {
    const b = new SnapshotBuilder();
    const flow = b.flow('enroll');
    const p1 = b.prompt('username');
    const p2 = b.prompt('email');
    const validation = b.policy('validate-username');
    const flowPolicy = b.policy('only-anonymous');
    const bindingPolicy = b.policy('skip-if-known');
    const password = b.stage('pw', PASSWORD, { backends: ['authentik.core.auth.InbuiltBackend'] });
    const captcha = b.stage('captcha', CAPTCHA, { public_key: 'a', private_key: 'b' });
    const ident = b.stage('ident', IDENTIFICATION, { password_stage: password.pk, captcha_stage: captcha.pk });
    const prompt = b.stage('prompt', PROMPT_STAGE, { fields: [p2.pk, p1.pk], validation_policies: [validation.pk] });
    const login = b.stage('login', LOGIN);
    // Bindings created out of order, and one with a tie broken by pk.
    const b30 = b.bind(flow, login, 30);
    const b10 = b.bind(flow, ident, 10);
    const b20 = b.bind(flow, prompt, 20);
    b.policyBinding(b20, { policy: bindingPolicy.pk }, 0);
    b.policyBinding(flow, { policy: flowPolicy.pk }, 0);
    const index = new ObjectIndex(b.build());
    const plan = planExport(index, [flow], false);
    expect(names(index, plan)).toEqual([
      'flow:enroll',
      'prompt:email',
      'prompt:username',
      'policy:only-anonymous',
      'policy:skip-if-known',
      'policy:validate-username',
      'stage:pw',
      'stage:captcha',
      'stage:ident',
      'stage:prompt',
      'stage:login',
      'binding:10',
      'binding:20',
      'binding:30',
      'policyBinding:0',
      'policyBinding:0',
    ]);
    expect(plan.slice(11, 14).map((ref) => ref.pk)).toEqual([b10.pk, b20.pk, b30.pk]);
  });

  it('puts a flow after the exported flows its objects reference, shares objects once', () => {
    const b = new SnapshotBuilder();
    const login = b.flow('a-login');
    const setup = b.flow('z-totp-setup', { designation: 'stage_configuration' });
    const totp = b.stage('totp', TOTP, { digits: 6, configure_flow: setup.pk });
    const validate = b.stage('mfa', VALIDATE, { configuration_stages: [totp.pk] });
    const shared = b.stage('login', LOGIN);
    b.bind(login, validate, 10);
    b.bind(login, shared, 20);
    b.bind(setup, totp, 0);
    b.bind(setup, shared, 10);
    const index = new ObjectIndex(b.build());
    expect(names(index, planExport(index, [login, setup], false))).toEqual([
      'flow:z-totp-setup',
      'stage:totp',
      'stage:login',
      'binding:0',
      'binding:10',
      'flow:a-login',
      'stage:mfa',
      'binding:10',
      'binding:20',
    ]);
    // Alone, a-login still carries the embedded configuration stage (before its referrer).
    expect(names(index, planExport(index, [login], false))).toEqual([
      'flow:a-login',
      'stage:totp',
      'stage:mfa',
      'stage:login',
      'binding:10',
      'binding:20',
    ]);
  });

  it('whole workspace: unreached prompts, policies, stages, then groups and users; referenced ones move up', () => {
    const b = new SnapshotBuilder();
    const flow = b.flow('signup');
    const parent = b.group('staff');
    const child = b.group('engineers', { parent: parent.pk });
    const loose = b.group('aaa-unused');
    const write = b.stage('write', USER_WRITE, { create_users_group: child.pk });
    b.bind(flow, write, 10);
    const bob = b.user(2, 'bob', { groups: [loose.pk] });
    const alice = b.user(1, 'alice');
    b.policyBinding(flow, { user: bob.pk }, 1);
    b.prompt('orphan-prompt');
    b.policy('orphan-policy');
    b.stage('orphan-stage', LOGIN);
    const index = new ObjectIndex(b.build());
    expect(alice.pk).toBe(1);
    expect(names(index, planExport(index, [flow], true))).toEqual([
      'flow:signup',
      'group:staff',
      'group:engineers',
      'stage:write',
      'binding:10',
      'group:aaa-unused',
      'user:bob',
      'policyBinding:1',
      'prompt:orphan-prompt',
      'policy:orphan-policy',
      'stage:orphan-stage',
      'user:alice',
    ]);
  });

  it('terminates on reference cycles', () => {
    const b = new SnapshotBuilder();
    const one = b.flow('one');
    const two = b.flow('two');
    const s1 = b.stage('s1', PASSWORD, { backends: ['authentik.core.auth.InbuiltBackend'], configure_flow: two.pk });
    const s2 = b.stage('s2', PASSWORD, { backends: ['authentik.core.auth.InbuiltBackend'], configure_flow: one.pk });
    b.bind(one, s1, 0);
    b.bind(two, s2, 0);
    const index = new ObjectIndex(b.build());
    const plan = names(index, planExport(index, [two, one], false));
    expect(plan).toHaveLength(6);
    expect(new Set(plan).size).toBe(5); // two bindings at order 0
  });
});
