import { describe, expect, it } from 'vitest';
import {
  flowStageBindingFields,
  invalidResponseAction,
  policyBindingFields,
  policyBindingSchema,
} from '../../../src/shared/model';

const FLOW = '00000000-0000-0000-0000-0000000000f1';
const STAGE = '00000000-0000-0000-0000-0000000000a1';
const POLICY = '00000000-0000-0000-0000-0000000000b1';
const GROUP = '00000000-0000-0000-0000-0000000000c1';

describe('authentik_flows.flowstagebinding', () => {
  it('applies the current defaults', () => {
    expect(flowStageBindingFields.parse({ target: FLOW, stage: STAGE, order: 10 })).toEqual({
      target: FLOW,
      stage: STAGE,
      order: 10,
      evaluate_on_plan: false,
      re_evaluate_policies: true,
      invalid_response_action: 'retry',
      policy_engine_mode: 'any',
    });
  });

  it('knows the invalid response actions', () => {
    expect(invalidResponseAction.options).toEqual(['retry', 'restart', 'restart_with_context']);
    const result = flowStageBindingFields.safeParse({
      target: FLOW,
      stage: STAGE,
      order: 0,
      invalid_response_action: 'abort',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['invalid_response_action']);
  });

  it('requires an integer order', () => {
    expect(
      flowStageBindingFields.safeParse({ target: FLOW, stage: STAGE, order: 1.5 }).success,
    ).toBe(false);
    expect(flowStageBindingFields.safeParse({ target: FLOW, stage: STAGE }).success).toBe(false);
  });
});

describe('authentik_policies.policybinding', () => {
  it('applies authentik defaults', () => {
    expect(policyBindingFields.parse({ target: FLOW, policy: POLICY, order: 0 })).toEqual({
      target: FLOW,
      policy: POLICY,
      group: null,
      user: null,
      negate: false,
      enabled: true,
      order: 0,
      timeout: 30,
      failure_result: false,
    });
  });

  it('accepts a group-only or user-only binding', () => {
    expect(policyBindingFields.parse({ target: FLOW, group: GROUP, order: 1 }).group).toBe(GROUP);
    expect(policyBindingFields.parse({ target: FLOW, user: 3, order: 2 }).user).toBe(3);
  });

  it('rejects a binding with no policy, group or user', () => {
    const result = policyBindingFields.safeParse({ target: FLOW, order: 0 });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]?.message).toBe(
      "One of 'policy', 'group' or 'user' must be set.",
    );
    expect(result.error?.issues[0]?.path).toEqual(['policy']);
  });

  it.each([
    [{ policy: POLICY, group: GROUP }],
    [{ policy: POLICY, user: 1 }],
    [{ group: GROUP, user: 1 }],
    [{ policy: POLICY, group: GROUP, user: 1 }],
  ])('rejects more than one target %j', (targets) => {
    const result = policyBindingFields.safeParse({ target: FLOW, order: 0, ...targets });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      "Only one of 'policy', 'group' or 'user' can be set.",
    );
  });

  it('keeps the rule on the stored schema too', () => {
    const pk = '00000000-0000-0000-0000-0000000000d1';
    expect(policyBindingSchema.safeParse({ pk, target: FLOW, order: 0 }).success).toBe(false);
    expect(policyBindingSchema.parse({ pk, target: FLOW, order: 0, policy: POLICY }).pk).toBe(pk);
  });

  it('rejects a negative timeout and a string user', () => {
    expect(
      policyBindingFields.safeParse({ target: FLOW, policy: POLICY, order: 0, timeout: -1 })
        .success,
    ).toBe(false);
    expect(policyBindingFields.safeParse({ target: FLOW, user: '1', order: 0 }).success).toBe(
      false,
    );
  });
});
