import { describe, expect, it } from 'vitest';
import { DUMMY_POLICY, failure, loginFlow, testWorkspace } from './support';

const MISSING = '99999999-9999-4999-8999-999999999999';

describe('policy bindings service', () => {
  function setup() {
    const t = testWorkspace();
    const login = loginFlow(t);
    const policy = t.s.policies.create({
      name: 'always',
      kind: DUMMY_POLICY,
      config: { result: true },
    });
    const group = t.s.groups.create({ name: 'staff' });
    return { t, ...login, policy, group };
  }

  it('binds a policy, a group or a user to a flow or a stage binding, with defaults', async () => {
    const { t, flow, bindings, policy, group } = setup();
    const user = await t.s.users.create({ username: 'ada' });
    const onFlow = t.s.policyBindings.create({ target: flow.pk, policy: policy.pk, order: 10 });
    expect(onFlow).toEqual({
      pk: expect.any(String),
      target: flow.pk,
      policy: policy.pk,
      group: null,
      user: null,
      negate: false,
      enabled: true,
      order: 10,
      timeout: 30,
      failure_result: false,
    });
    const byGroup = t.s.policyBindings.create({
      target: bindings[1]!.pk,
      group: group.pk,
      order: 0,
    });
    const byUser = t.s.policyBindings.create({
      target: bindings[1]!.pk,
      user: user.pk,
      order: 1,
      negate: true,
    });
    expect(t.s.policyBindings.list(bindings[1]!.pk).map((b) => b.pk)).toEqual([
      byGroup.pk,
      byUser.pk,
    ]);
    expect(t.s.policyBindings.list(flow.pk)).toEqual([onFlow]);
  });

  it('requires exactly one of policy, group and user (authentik’s messages)', () => {
    const { t, flow, policy, group } = setup();
    expect(
      failure(() =>
        t.s.policyBindings.create({
          target: flow.pk,
          policy: policy.pk,
          group: group.pk,
          order: 0,
        }),
      ),
    ).toMatchObject({
      code: 'INVALID_INPUT',
      message: "policy: Only one of 'policy', 'group' or 'user' can be set.",
    });
    expect(failure(() => t.s.policyBindings.create({ target: flow.pk, order: 0 })).message).toBe(
      "policy: One of 'policy', 'group' or 'user' must be set.",
    );
  });

  it('names what is missing (NOT_FOUND)', () => {
    const { t, flow, policy } = setup();
    expect(
      failure(() => t.s.policyBindings.create({ target: MISSING, policy: policy.pk, order: 0 })),
    ).toMatchObject({
      code: 'NOT_FOUND',
      message: `No flow or stage binding has pk "${MISSING}".`,
    });
    expect(
      failure(() => t.s.policyBindings.create({ target: flow.pk, policy: MISSING, order: 0 }))
        .message,
    ).toBe(`Policy "${MISSING}" does not exist.`);
    expect(
      failure(() => t.s.policyBindings.create({ target: flow.pk, group: MISSING, order: 0 }))
        .message,
    ).toBe(`Group "${MISSING}" does not exist.`);
    expect(
      failure(() => t.s.policyBindings.create({ target: flow.pk, user: 4242, order: 0 })).message,
    ).toBe('User 4242 does not exist.');
    expect(failure(() => t.s.policyBindings.list(MISSING)).code).toBe('NOT_FOUND');
  });

  it('refuses the same policy twice on a target at one order (CONFLICT)', () => {
    const { t, flow, policy } = setup();
    t.s.policyBindings.create({ target: flow.pk, policy: policy.pk, order: 0 });
    expect(
      failure(() => t.s.policyBindings.create({ target: flow.pk, policy: policy.pk, order: 0 })),
    ).toMatchObject({
      code: 'CONFLICT',
      message: 'Policy "always" is already bound to this target at order 0.',
    });
  });

  it('updates a binding; switching subject needs the old one cleared', () => {
    const { t, flow, policy, group } = setup();
    const binding = t.s.policyBindings.create({ target: flow.pk, policy: policy.pk, order: 0 });
    expect(
      t.s.policyBindings.update({
        pk: binding.pk,
        patch: { negate: true, timeout: 5, enabled: false },
      }),
    ).toEqual({
      ...binding,
      negate: true,
      timeout: 5,
      enabled: false,
    });
    expect(
      failure(() => t.s.policyBindings.update({ pk: binding.pk, patch: { group: group.pk } })).code,
    ).toBe('INVALID_INPUT');
    expect(
      t.s.policyBindings.update({ pk: binding.pk, patch: { group: group.pk, policy: null } }),
    ).toMatchObject({
      policy: null,
      group: group.pk,
    });
    expect(
      failure(() => t.s.policyBindings.update({ pk: binding.pk, patch: { group: MISSING } })).code,
    ).toBe('NOT_FOUND');
  });

  it('disappears with its policy, group or user', async () => {
    const { t, flow, policy, group } = setup();
    const user = await t.s.users.create({ username: 'ada' });
    t.s.policyBindings.create({ target: flow.pk, policy: policy.pk, order: 0 });
    t.s.policyBindings.create({ target: flow.pk, group: group.pk, order: 1 });
    t.s.policyBindings.create({ target: flow.pk, user: user.pk, order: 2 });
    t.s.policies.delete(policy.pk);
    expect(t.s.policyBindings.list(flow.pk).map((b) => b.order)).toEqual([1, 2]);
    t.s.groups.delete(group.pk);
    expect(t.s.policyBindings.list(flow.pk).map((b) => b.order)).toEqual([2]);
    t.s.users.delete(user.pk);
    expect(t.s.policyBindings.list(flow.pk)).toEqual([]);
  });

  it('deletes one binding', () => {
    const { t, flow, policy } = setup();
    const binding = t.s.policyBindings.create({ target: flow.pk, policy: policy.pk, order: 0 });
    t.s.policyBindings.delete(binding.pk);
    expect(failure(() => t.s.policyBindings.delete(binding.pk)).code).toBe('NOT_FOUND');
  });
});
