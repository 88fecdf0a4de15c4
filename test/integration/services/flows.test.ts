import { describe, expect, it } from 'vitest';
import { DUMMY_POLICY, failure, loginFlow, PASSWORD_STAGE, testWorkspace } from './support';

describe('flows service', () => {
  it('creates a flow with authentik defaults and lists by slug', () => {
    const t = testWorkspace();
    const b = t.s.flows.create({
      name: 'B',
      slug: 'b-flow',
      title: 'B',
      designation: 'enrollment',
    });
    t.s.flows.create({ name: 'A', slug: 'a-flow', title: 'A', designation: 'authentication' });
    expect(b).toEqual({
      pk: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'B',
      slug: 'b-flow',
      title: 'B',
      designation: 'enrollment',
      policy_engine_mode: 'any',
      compatibility_mode: false,
      layout: 'stacked',
      denied_action: 'message_continue',
      authentication: 'none',
      background: '',
    });
    expect(t.s.flows.get(b.pk)).toEqual(b);
    expect(t.s.flows.list().map((f) => f.slug)).toEqual(['a-flow', 'b-flow']);
  });

  it('keeps a given pk (blueprint import) and refuses one already used by a flow or binding', () => {
    const t = testWorkspace();
    const pk = '00000000-0000-0000-0000-000000000001';
    expect(
      t.s.flows.create({ name: 'x', slug: 'x', title: 'x', designation: 'recovery' }, { pk }).pk,
    ).toBe(pk);
    const again = failure(() =>
      t.s.flows.create({ name: 'y', slug: 'y', title: 'y', designation: 'recovery' }, { pk }),
    );
    expect(again).toMatchObject({
      code: 'CONFLICT',
      message: `An object with pk "${pk}" already exists.`,
    });
    const { bindings } = loginFlow(t);
    const clash = failure(() =>
      t.s.flows.create(
        { name: 'z', slug: 'z', title: 'z', designation: 'recovery' },
        { pk: bindings[0]!.pk },
      ),
    );
    expect(clash.code).toBe('CONFLICT');
  });

  it('refuses a duplicate slug with CONFLICT, on create and on update', () => {
    const t = testWorkspace();
    t.s.flows.create({ name: 'x', slug: 'taken', title: 'x', designation: 'authentication' });
    const other = t.s.flows.create({
      name: 'y',
      slug: 'free',
      title: 'y',
      designation: 'authentication',
    });
    expect(
      failure(() =>
        t.s.flows.create({ name: 'z', slug: 'taken', title: 'z', designation: 'authentication' }),
      ),
    ).toMatchObject({
      code: 'CONFLICT',
      message: 'A flow with slug "taken" already exists.',
      issues: [{ path: ['slug'], message: 'A flow with slug "taken" already exists.' }],
    });
    expect(
      failure(() => t.s.flows.update({ pk: other.pk, patch: { slug: 'taken' } })),
    ).toMatchObject({
      code: 'CONFLICT',
      message: 'A flow with slug "taken" already exists.',
    });
    expect(t.s.flows.get(other.pk).slug).toBe('free');
  });

  it('validates input with the shared model (INVALID_INPUT with issue paths)', () => {
    const t = testWorkspace();
    const bad = failure(() =>
      t.s.flows.create({
        name: 'x',
        slug: 'not a slug',
        title: 'x',
        designation: 'authentication',
      }),
    );
    expect(bad.code).toBe('INVALID_INPUT');
    expect(bad.issues?.[0]?.path).toEqual(['slug']);
    const flow = t.s.flows.create({
      name: 'x',
      slug: 'x',
      title: 'x',
      designation: 'authentication',
    });
    const badPatch = failure(() =>
      t.s.flows.update({ pk: flow.pk, patch: { designation: 'nope' as never } }),
    );
    expect(badPatch).toMatchObject({ code: 'INVALID_INPUT' });
    expect(badPatch.issues?.[0]?.path).toEqual(['patch', 'designation']);
  });

  it('updates only the patched fields', () => {
    const t = testWorkspace();
    const flow = t.s.flows.create({
      name: 'x',
      slug: 'x',
      title: 'x',
      designation: 'authentication',
      layout: 'content_left',
    });
    const updated = t.s.flows.update({
      pk: flow.pk,
      patch: { title: 'New title', policy_engine_mode: 'all' },
    });
    expect(updated).toEqual({ ...flow, title: 'New title', policy_engine_mode: 'all' });
  });

  it('answers NOT_FOUND for a missing flow', () => {
    const t = testWorkspace();
    const pk = '11111111-2222-3333-4444-555555555555';
    expect(failure(() => t.s.flows.get(pk))).toMatchObject({
      code: 'NOT_FOUND',
      message: `Flow "${pk}" does not exist.`,
    });
    expect(failure(() => t.s.flows.update({ pk, patch: { title: 'x' } })).code).toBe('NOT_FOUND');
    expect(failure(() => t.s.flows.delete(pk)).code).toBe('NOT_FOUND');
    expect(failure(() => t.s.flows.duplicate({ pk, slug: 'c', name: 'c' })).code).toBe('NOT_FOUND');
  });

  it('deletes a flow with its bindings and every policy binding on the flow and on them; stages and policies stay', () => {
    const t = testWorkspace();
    const { flow, stages, bindings } = loginFlow(t);
    const policy = t.s.policies.create({ name: 'p', kind: DUMMY_POLICY, config: {} });
    t.s.policyBindings.create({ target: flow.pk, policy: policy.pk, order: 0 });
    t.s.policyBindings.create({ target: bindings[1]!.pk, policy: policy.pk, order: 0 });
    t.s.canvas.save(flow.pk, { nodes: { [bindings[0]!.pk]: { x: 1, y: 2 } } });
    t.s.flows.delete(flow.pk);
    const count = (table: string) => t.ws.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    expect(count('flows')).toBe(0);
    expect(count('flow_stage_bindings')).toBe(0);
    expect(count('policy_bindings')).toBe(0);
    expect(count('policy_binding_models')).toBe(0);
    expect(count('canvas_layout')).toBe(0);
    expect(
      t.s.stages
        .list()
        .map((s) => s.pk)
        .sort(),
    ).toEqual(
      Object.values(stages)
        .map((s) => s.pk)
        .sort(),
    );
    expect(t.s.policies.get(policy.pk).name).toBe('p');
  });

  it('refuses to delete a flow a stage config points at (IN_USE), until the field is cleared', () => {
    const t = testWorkspace();
    const setup = t.s.flows.create({
      name: 'Setup',
      slug: 'setup',
      title: 'x',
      designation: 'stage_configuration',
    });
    const stage = t.s.stages.create({
      name: 'pw',
      kind: PASSWORD_STAGE,
      config: { backends: ['authentik.core.auth.InbuiltBackend'], configure_flow: setup.pk },
    });
    expect(failure(() => t.s.flows.delete(setup.pk))).toMatchObject({
      code: 'IN_USE',
      message: 'Flow "setup" is used by stage "pw" (configure_flow). Change that field first.',
    });
    t.s.stages.update({
      pk: stage.pk,
      patch: { config: { ...stage.config, configure_flow: null } },
    });
    t.s.flows.delete(setup.pk);
    expect(t.s.flows.list()).toEqual([]);
  });

  describe('duplicate', () => {
    it('copies the flow, its bindings and all policy bindings with new pks, and the canvas layout', () => {
      const t = testWorkspace();
      const { flow, bindings } = loginFlow(t);
      const policy = t.s.policies.create({
        name: 'p',
        kind: DUMMY_POLICY,
        config: { result: true },
      });
      const group = t.s.groups.create({ name: 'staff' });
      const onFlow = t.s.policyBindings.create({
        target: flow.pk,
        policy: policy.pk,
        order: 5,
        negate: true,
      });
      const onBinding = t.s.policyBindings.create({
        target: bindings[2]!.pk,
        group: group.pk,
        order: 1,
        timeout: 7,
      });
      t.s.bindings.update({
        pk: bindings[1]!.pk,
        patch: { evaluate_on_plan: true, invalid_response_action: 'restart' },
      });
      t.s.canvas.save(flow.pk, {
        nodes: { [bindings[0]!.pk]: { x: 10, y: 20 }, start: { x: 0, y: 0 } },
        viewport: { x: 1, y: 2, zoom: 1.5 },
      });

      const copy = t.s.flows.duplicate({ pk: flow.pk, slug: 'login-copy', name: 'Copy' });
      expect(copy).toEqual({ ...flow, pk: copy.pk, slug: 'login-copy', name: 'Copy' });
      expect(copy.pk).not.toBe(flow.pk);

      const original = t.s.bindings.list(flow.pk);
      const copied = t.s.bindings.list(copy.pk);
      expect(copied.map(({ pk: _pk, target: _t, ...rest }) => rest)).toEqual(
        original.map(({ pk: _pk, target: _t, ...rest }) => rest),
      );
      expect(
        copied.every((b) => b.target === copy.pk && !original.some((o) => o.pk === b.pk)),
      ).toBe(true);

      const [flowCopy] = t.s.policyBindings.list(copy.pk);
      expect(flowCopy).toEqual({ ...onFlow, pk: flowCopy!.pk, target: copy.pk });
      expect(flowCopy!.pk).not.toBe(onFlow.pk);
      const [bindingCopy] = t.s.policyBindings.list(copied[2]!.pk);
      expect(bindingCopy).toEqual({ ...onBinding, pk: bindingCopy!.pk, target: copied[2]!.pk });

      // The source is untouched.
      expect(t.s.policyBindings.list(flow.pk)).toEqual([onFlow]);
      expect(t.s.policyBindings.list(bindings[2]!.pk)).toEqual([onBinding]);

      const layout = t.s.canvas.get(copy.pk);
      expect(layout?.nodes).toEqual({ [copied[0]!.pk]: { x: 10, y: 20 }, start: { x: 0, y: 0 } });
      expect(layout?.viewport).toEqual({ x: 1, y: 2, zoom: 1.5 });
    });

    it('takes an optional new title', () => {
      const t = testWorkspace();
      const { flow } = loginFlow(t);
      expect(t.s.flows.duplicate({ pk: flow.pk, slug: 'c', name: 'C', title: 'Other' }).title).toBe(
        'Other',
      );
    });

    it('writes nothing when the new slug is taken', () => {
      const t = testWorkspace();
      const { flow } = loginFlow(t);
      t.s.flows.create({ name: 'x', slug: 'taken', title: 'x', designation: 'authentication' });
      const before = t.events.length;
      expect(
        failure(() => t.s.flows.duplicate({ pk: flow.pk, slug: 'taken', name: 'C' })),
      ).toMatchObject({
        code: 'CONFLICT',
        message: 'A flow with slug "taken" already exists.',
      });
      expect(t.ws.db.prepare('SELECT count(*) FROM flow_stage_bindings').pluck().get()).toBe(3);
      expect(t.events.length).toBe(before);
    });
  });
});
