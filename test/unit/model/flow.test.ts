import { describe, expect, it } from 'vitest';
import { flowDesignation, flowFields, flowSchema } from '../../../src/shared/model';

const minimal = {
  name: 'Welcome',
  slug: 'default-authentication-flow',
  title: 'Welcome!',
  designation: 'authentication',
};

describe('authentik_flows.flow', () => {
  it('applies authentik defaults', () => {
    expect(flowFields.parse(minimal)).toEqual({
      ...minimal,
      policy_engine_mode: 'any',
      compatibility_mode: false,
      layout: 'stacked',
      denied_action: 'message_continue',
      authentication: 'none',
      background: '',
    });
  });

  it('keeps explicit values', () => {
    const flow = flowFields.parse({
      ...minimal,
      policy_engine_mode: 'all',
      layout: 'sidebar_left',
      denied_action: 'continue',
      authentication: 'require_unauthenticated',
    });
    expect(flow.policy_engine_mode).toBe('all');
    expect(flow.layout).toBe('sidebar_left');
    expect(flow.denied_action).toBe('continue');
    expect(flow.authentication).toBe('require_unauthenticated');
  });

  it('knows the seven designations', () => {
    expect(flowDesignation.options).toEqual([
      'authentication',
      'authorization',
      'invalidation',
      'enrollment',
      'unenrollment',
      'recovery',
      'stage_configuration',
    ]);
  });

  it('rejects a bad designation on the designation field', () => {
    const result = flowFields.safeParse({ ...minimal, designation: 'login' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([['designation']]);
  });

  it('rejects a bad slug on the slug field', () => {
    const result = flowFields.safeParse({ ...minimal, slug: 'not a slug' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([['slug']]);
  });

  it.each([
    ['authentication', 'require_admin'],
    ['layout', 'centered'],
    ['denied_action', 'deny'],
    ['policy_engine_mode', 'some'],
  ])('rejects %s = %j', (field, value) => {
    const result = flowFields.safeParse({ ...minimal, [field]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });

  it('requires name, slug, title and designation', () => {
    const result = flowFields.safeParse({});
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0]).sort()).toEqual([
      'designation',
      'name',
      'slug',
      'title',
    ]);
  });

  it('the stored schema requires a pk', () => {
    expect(flowSchema.safeParse(minimal).success).toBe(false);
    expect(flowSchema.parse({ ...minimal, pk: '00000000-0000-0000-0000-000000000001' }).pk).toBe(
      '00000000-0000-0000-0000-000000000001',
    );
  });
});
