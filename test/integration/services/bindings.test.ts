import { describe, expect, it } from 'vitest';
import { DUMMY_POLICY, DUMMY_STAGE, failure, loginFlow, testWorkspace } from './support';

const MISSING = '99999999-9999-4999-8999-999999999999';

describe('bindings service', () => {
  it('binds a stage with authentik’s current defaults and lists by order', () => {
    const t = testWorkspace();
    const { flow, stages, bindings } = loginFlow(t);
    expect(bindings[0]).toEqual({
      pk: expect.any(String),
      target: flow.pk,
      stage: stages.identification.pk,
      order: 10,
      evaluate_on_plan: false,
      re_evaluate_policies: true,
      invalid_response_action: 'retry',
      policy_engine_mode: 'any',
    });
    const early = t.s.bindings.create({ target: flow.pk, stage: stages.dummy.pk, order: 5 });
    expect(t.s.bindings.list(flow.pk).map((b) => b.pk)).toEqual([
      early.pk,
      ...bindings.map((b) => b.pk),
    ]);
  });

  it('names the missing flow or stage (NOT_FOUND)', () => {
    const t = testWorkspace();
    const { flow, stages } = loginFlow(t);
    expect(
      failure(() => t.s.bindings.create({ target: MISSING, stage: stages.dummy.pk, order: 1 })),
    ).toMatchObject({
      code: 'NOT_FOUND',
      message: `Flow "${MISSING}" does not exist.`,
      issues: [{ path: ['target'], message: 'no such flow' }],
    });
    expect(
      failure(() => t.s.bindings.create({ target: flow.pk, stage: MISSING, order: 1 })),
    ).toMatchObject({
      code: 'NOT_FOUND',
      message: `Stage "${MISSING}" does not exist.`,
    });
    expect(failure(() => t.s.bindings.list(MISSING)).code).toBe('NOT_FOUND');
  });

  it('refuses the same stage twice at the same order (CONFLICT)', () => {
    const t = testWorkspace();
    const { flow, stages } = loginFlow(t);
    expect(
      failure(() => t.s.bindings.create({ target: flow.pk, stage: stages.password.pk, order: 20 })),
    ).toMatchObject({
      code: 'CONFLICT',
      message: 'Stage "login-password" is already bound to flow "login" at order 20.',
    });
    // Same stage at another order is fine (authentik allows it).
    t.s.bindings.create({ target: flow.pk, stage: stages.password.pk, order: 40 });
  });

  it('updates flags, order and stage', () => {
    const t = testWorkspace();
    const { stages, bindings } = loginFlow(t);
    const updated = t.s.bindings.update({
      pk: bindings[0]!.pk,
      patch: {
        evaluate_on_plan: true,
        re_evaluate_policies: false,
        invalid_response_action: 'restart_with_context',
        stage: stages.dummy.pk,
      },
    });
    expect(updated).toEqual({
      ...bindings[0],
      evaluate_on_plan: true,
      re_evaluate_policies: false,
      invalid_response_action: 'restart_with_context',
      stage: stages.dummy.pk,
    });
    expect(
      failure(() => t.s.bindings.update({ pk: bindings[0]!.pk, patch: { stage: MISSING } })).code,
    ).toBe('NOT_FOUND');
    expect(failure(() => t.s.bindings.update({ pk: MISSING, patch: { order: 1 } })).code).toBe(
      'NOT_FOUND',
    );
  });

  it('deletes a binding with its policy bindings', () => {
    const t = testWorkspace();
    const { flow, bindings } = loginFlow(t);
    const policy = t.s.policies.create({ name: 'p', kind: DUMMY_POLICY, config: {} });
    t.s.policyBindings.create({ target: bindings[0]!.pk, policy: policy.pk, order: 0 });
    t.s.policyBindings.create({ target: flow.pk, policy: policy.pk, order: 0 });
    t.s.bindings.delete(bindings[0]!.pk);
    expect(t.s.bindings.list(flow.pk)).toHaveLength(2);
    expect(t.ws.db.prepare('SELECT target FROM policy_bindings').pluck().all()).toEqual([flow.pk]);
    expect(failure(() => t.s.policyBindings.list(bindings[0]!.pk)).code).toBe('NOT_FOUND');
  });

  describe('reorder', () => {
    it('renumbers 10, 20, 30 in the given sequence', () => {
      const t = testWorkspace();
      const { flow, bindings } = loginFlow(t);
      const [a, b, c] = bindings.map((x) => x.pk) as [string, string, string];
      t.events.length = 0;
      const result = t.s.bindings.reorder({ flow: flow.pk, order: [c, a, b] });
      expect(result.map((x) => [x.pk, x.order])).toEqual([
        [c, 10],
        [a, 20],
        [b, 30],
      ]);
      expect(t.events.map((e) => e.pk).sort()).toEqual([a, b, c].sort());
      t.events.length = 0;
      t.s.bindings.reorder({ flow: flow.pk, order: [c, a, b] });
      expect(t.events).toEqual([]); // nothing moved
    });

    it('swaps two bindings of the same stage without tripping (target, stage, order) uniqueness', () => {
      const t = testWorkspace();
      const flow = t.s.flows.create({
        name: 'f',
        slug: 'f',
        title: 'f',
        designation: 'authentication',
      });
      const stage = t.s.stages.create({ name: 'd', kind: DUMMY_STAGE, config: {} });
      const first = t.s.bindings.create({ target: flow.pk, stage: stage.pk, order: 10 });
      const second = t.s.bindings.create({ target: flow.pk, stage: stage.pk, order: 20 });
      const result = t.s.bindings.reorder({ flow: flow.pk, order: [second.pk, first.pk] });
      expect(result.map((x) => [x.pk, x.order])).toEqual([
        [second.pk, 10],
        [first.pk, 20],
      ]);
    });

    it('requires every binding of the flow exactly once, and changes nothing otherwise', () => {
      const t = testWorkspace();
      const { flow, bindings } = loginFlow(t);
      const other = loginFlow(t, 'other');
      const [a, b, c] = bindings.map((x) => x.pk) as [string, string, string];
      expect(failure(() => t.s.bindings.reorder({ flow: flow.pk, order: [a, b] }))).toMatchObject({
        code: 'INVALID_INPUT',
      });
      expect(
        failure(() => t.s.bindings.reorder({ flow: flow.pk, order: [a, a, b, c] })),
      ).toMatchObject({ code: 'INVALID_INPUT' });
      expect(
        failure(() =>
          t.s.bindings.reorder({ flow: flow.pk, order: [a, b, c, other.bindings[0]!.pk] }),
        ),
      ).toMatchObject({
        code: 'NOT_FOUND',
      });
      expect(failure(() => t.s.bindings.reorder({ flow: MISSING, order: [a] })).code).toBe(
        'NOT_FOUND',
      );
      expect(t.s.bindings.list(flow.pk).map((x) => x.order)).toEqual([10, 20, 30]);
    });
  });
});
