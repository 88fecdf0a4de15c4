import { describe, expect, it } from 'vitest';
import { authentikOmits, deepEqual, isModelDefault, isSerializerInitial } from '../../../../src/main/blueprint/export/defaults';
import { assignIds, slugPart } from '../../../../src/main/blueprint/export/ids';
import { STAGE_REFERENCE_SPECS, UNMODELED_REFERENCE_FIELDS } from '../../../../src/main/blueprint/export/records';
import { ObjectIndex } from '../../../../src/main/blueprint/export/snapshot';
import { pythonUtcTimestamp } from '../../../../src/main/blueprint/export/timestamp';
import { sortKeysDeep } from '../../../../src/main/blueprint/export/values';
import { STAGE_REFERENCES, UNMODELED_REFERENCE_FIELDS as STORE_UNMODELED } from '../../../../src/main/store/references';
import { IDENTIFICATION, PASSWORD, SnapshotBuilder } from './builders';

describe('ids', () => {
  it('slugifies names into id parts', () => {
    expect(slugPart('Change your password')).toBe('change-your-password');
    expect(slugPart('default-authentication-flow')).toBe('default-authentication-flow');
    expect(slugPart('  Ünïcödé / Names!! ')).toBe('unicode-names');
    expect(slugPart('a_b.c')).toBe('a_b.c');
    expect(slugPart('***')).toBe('x');
  });

  it('gives every object a stable, unique id by type', () => {
    const b = new SnapshotBuilder();
    const flow = b.flow('login');
    const s1 = b.stage('Ident', IDENTIFICATION);
    const s2 = b.stage('ident', PASSWORD, { backends: ['authentik.core.auth.InbuiltBackend'] });
    const b1 = b.bind(flow, s1, 10);
    const b2 = b.bind(flow, s2, 10);
    const policy = b.policy('Only admins');
    const pb = b.policyBinding(b1, { policy: policy.pk }, 0);
    const fpb = b.policyBinding(flow, { policy: policy.pk }, 5);
    const group = b.group('Admins');
    const user = b.user(7, 'Alice');
    const index = new ObjectIndex(b.build());
    const refs = [
      { type: 'flow', pk: flow.pk },
      { type: 'stage', pk: s1.pk },
      { type: 'stage', pk: s2.pk },
      { type: 'binding', pk: b1.pk },
      { type: 'binding', pk: b2.pk },
      { type: 'policy', pk: policy.pk },
      { type: 'policyBinding', pk: pb.pk },
      { type: 'policyBinding', pk: fpb.pk },
      { type: 'group', pk: group.pk },
      { type: 'user', pk: user.pk },
    ] as const;
    const ids = assignIds(index, refs, ['stage-ident']);
    expect([...ids.values()]).toEqual([
      'flow-login',
      'stage-ident-2',
      'stage-ident-3',
      'binding-login-10',
      'binding-login-10-2',
      'policy-only-admins',
      'policybinding-login-10-0',
      'policybinding-login-5',
      'group-admins',
      'user-alice',
    ]);
    // Same input, same ids.
    expect([...assignIds(index, refs, ['stage-ident']).values()]).toEqual([...ids.values()]);
  });
});

describe('default stripping', () => {
  it('authentik style drops what DRF serializer fields start with, not model defaults', () => {
    for (const value of [null, false, '', [], {}]) expect(isSerializerInitial(value)).toBe(true);
    for (const value of [0, true, 'any', ['a'], { a: 1 }, 5, 'seconds=0']) expect(isSerializerInitial(value)).toBe(false);
  });

  it('authentik style keeps an empty value that is not the current default (authentik#19861) and required fields', () => {
    const binding = { ref: { type: 'binding', pk: 'x' }, model: 'authentik_flows.flowstagebinding' } as const;
    expect(authentikOmits(binding, 'evaluate_on_plan', false)).toBe(true);
    expect(authentikOmits(binding, 're_evaluate_policies', false)).toBe(false);
    expect(authentikOmits(binding, 're_evaluate_policies', true)).toBe(false);
    expect(authentikOmits(binding, 'policy_engine_mode', 'any')).toBe(false);
    const prompt = { ref: { type: 'prompt', pk: 'x' }, model: 'authentik_stages_prompt.prompt' } as const;
    expect(authentikOmits(prompt, 'required', false)).toBe(false);
    expect(authentikOmits(prompt, 'label', '')).toBe(false);
    expect(authentikOmits(prompt, 'placeholder', '')).toBe(true);
    const pb = { ref: { type: 'policyBinding', pk: 'x' }, model: 'authentik_policies.policybinding' } as const;
    expect(authentikOmits(pb, 'enabled', false)).toBe(false);
    expect(authentikOmits(pb, 'negate', false)).toBe(true);
    expect(authentikOmits(pb, 'group', null)).toBe(true);
  });

  it('portable style drops current model defaults, except fields whose default changed across versions', () => {
    const flow = { ref: { type: 'flow', pk: 'x' }, model: 'authentik_flows.flow' } as const;
    expect(isModelDefault(flow, 'policy_engine_mode', 'any')).toBe(true);
    expect(isModelDefault(flow, 'policy_engine_mode', 'all')).toBe(false);
    expect(isModelDefault(flow, 'name', 'x')).toBe(false); // required: no default
    const binding = { ref: { type: 'binding', pk: 'x' }, model: 'authentik_flows.flowstagebinding' } as const;
    expect(isModelDefault(binding, 'evaluate_on_plan', false)).toBe(false);
    expect(isModelDefault(binding, 're_evaluate_policies', true)).toBe(false);
    expect(isModelDefault(binding, 'invalid_response_action', 'retry')).toBe(true);
    const validate = { ref: { type: 'stage', pk: 'x' }, model: 'authentik_stages_authenticator_validate.authenticatorvalidatestage' } as const;
    expect(isModelDefault(validate, 'device_classes', ['static', 'totp', 'webauthn', 'duo', 'sms', 'email'])).toBe(true);
    expect(isModelDefault(validate, 'device_classes', ['totp'])).toBe(false);
    const consent = { ref: { type: 'stage', pk: 'x' }, model: 'authentik_stages_consent.consentstage' } as const;
    expect(isModelDefault(consent, 'mode', 'always_require')).toBe(false);
    const policy = { ref: { type: 'policy', pk: 'x' }, model: 'authentik_policies_expression.expressionpolicy' } as const;
    expect(isModelDefault(policy, 'execution_logging', false)).toBe(true);
  });

  it('compares values structurally', () => {
    expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
    expect(deepEqual('1', 1)).toBe(false);
  });
});

describe('formatting helpers', () => {
  it('writes the metadata timestamp as Python str(now()) does', () => {
    expect(pythonUtcTimestamp(new Date('2025-03-01T12:00:00.123Z'))).toBe('2025-03-01 12:00:00.123000+00:00');
    expect(pythonUtcTimestamp(new Date('2025-12-31T23:59:59.000Z'))).toBe('2025-12-31 23:59:59+00:00');
  });

  it('sorts mapping keys like PyYAML, leaving tags alone', () => {
    const sorted = sortKeysDeep({ b: 1, a: { d: [{ z: 1, y: 2 }], c: { $tag: 'KeyOf', value: 'x' } } });
    expect(JSON.stringify(sorted)).toBe('{"a":{"c":{"$tag":"KeyOf","value":"x"},"d":[{"y":2,"z":1}]},"b":1}');
  });
});

describe('reference tables', () => {
  it('match the store’s reference fields', () => {
    const simplify = (table: Record<string, readonly { field: string; many: boolean }[]>) =>
      Object.fromEntries(Object.entries(table).map(([kind, refs]) => [kind, refs.map((ref) => `${ref.field}:${ref.many}`).sort()]));
    expect(simplify(STAGE_REFERENCE_SPECS)).toEqual(simplify(STAGE_REFERENCES));
    expect(UNMODELED_REFERENCE_FIELDS).toEqual(STORE_UNMODELED);
  });
});
