import { LATEST_SCHEMA_VERSION } from '../../../src/main/store/migrations';
import { describe, expect, it } from 'vitest';
import { failure, testWorkspace } from './support';

const MISSING = '99999999-9999-4999-8999-999999999999';

describe('prompts service', () => {
  it('creates with defaults, lists by order then name, updates and deletes', () => {
    const t = testWorkspace();
    const b = t.s.prompts.create({
      name: 'b',
      field_key: 'email',
      label: 'Email',
      type: 'email',
      order: 1,
    });
    const a = t.s.prompts.create({
      name: 'a',
      field_key: 'username',
      label: 'Username',
      type: 'username',
      order: 1,
    });
    const first = t.s.prompts.create({ name: 'z', field_key: 'x', label: 'X', type: 'text' });
    expect(first).toEqual({
      pk: expect.any(String),
      name: 'z',
      field_key: 'x',
      label: 'X',
      type: 'text',
      required: true,
      placeholder: '',
      initial_value: '',
      sub_text: '',
      order: 0,
      placeholder_expression: false,
      initial_value_expression: false,
    });
    expect(t.s.prompts.list().map((p) => p.name)).toEqual(['z', 'a', 'b']);
    expect(
      t.s.prompts.update({ pk: b.pk, patch: { required: false, placeholder: 'you@example.com' } }),
    ).toEqual({
      ...b,
      required: false,
      placeholder: 'you@example.com',
    });
    t.s.prompts.delete(a.pk);
    expect(failure(() => t.s.prompts.get(a.pk)).code).toBe('NOT_FOUND');
  });

  it('refuses a duplicate name (CONFLICT) and an unknown type (INVALID_INPUT)', () => {
    const t = testWorkspace();
    t.s.prompts.create({ name: 'username', field_key: 'username', label: 'U', type: 'username' });
    expect(
      failure(() =>
        t.s.prompts.create({ name: 'username', field_key: 'u2', label: 'U', type: 'text' }),
      ),
    ).toMatchObject({
      code: 'CONFLICT',
      message: 'A prompt named "username" already exists.',
    });
    expect(
      failure(() =>
        t.s.prompts.create({ name: 'x', field_key: 'x', label: 'x', type: 'telepathy' as never }),
      ).code,
    ).toBe('INVALID_INPUT');
  });
});

describe('groups service', () => {
  it('creates with defaults, lists by name, updates', () => {
    const t = testWorkspace();
    const staff = t.s.groups.create({ name: 'staff' });
    expect(staff).toEqual({
      pk: expect.any(String),
      name: 'staff',
      is_superuser: false,
      parent: null,
      attributes: {},
    });
    const admins = t.s.groups.create({
      name: 'admins',
      parent: staff.pk,
      attributes: { level: 3 },
    });
    expect(t.s.groups.list().map((g) => g.name)).toEqual(['admins', 'staff']);
    expect(t.s.groups.update({ pk: admins.pk, patch: { is_superuser: true } })).toEqual({
      ...admins,
      is_superuser: true,
    });
    expect(failure(() => t.s.groups.create({ name: 'staff' }))).toMatchObject({
      code: 'CONFLICT',
      message: 'A group named "staff" already exists.',
    });
  });

  it('refuses a missing parent (NOT_FOUND)', () => {
    const t = testWorkspace();
    expect(failure(() => t.s.groups.create({ name: 'x', parent: MISSING }))).toMatchObject({
      code: 'NOT_FOUND',
      message: `Parent group "${MISSING}" does not exist.`,
    });
  });

  it('refuses a parent that would create a cycle', () => {
    const t = testWorkspace();
    const a = t.s.groups.create({ name: 'a' });
    const b = t.s.groups.create({ name: 'b', parent: a.pk });
    const c = t.s.groups.create({ name: 'c', parent: b.pk });
    expect(failure(() => t.s.groups.update({ pk: a.pk, patch: { parent: a.pk } }))).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'Group "a" cannot be its own parent.',
    });
    expect(failure(() => t.s.groups.update({ pk: a.pk, patch: { parent: c.pk } }))).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'Group "c" is below "a"; making it the parent would create a cycle.',
      issues: [{ path: ['patch', 'parent'], message: 'would create a cycle' }],
    });
    expect(t.s.groups.get(a.pk).parent).toBeNull();
    // Moving within the tree is fine.
    expect(t.s.groups.update({ pk: c.pk, patch: { parent: a.pk } }).parent).toBe(a.pk);
  });

  it('deletes a group: children lose their parent, members stay without it', async () => {
    const t = testWorkspace();
    const parent = t.s.groups.create({ name: 'parent' });
    const child = t.s.groups.create({ name: 'child', parent: parent.pk });
    const user = await t.s.users.create({ username: 'ada', groups: [parent.pk, child.pk] });
    t.s.groups.delete(parent.pk);
    expect(t.s.groups.get(child.pk).parent).toBeNull();
    expect(t.s.users.get(user.pk).groups).toEqual([child.pk]);
    expect(failure(() => t.s.groups.delete(parent.pk)).code).toBe('NOT_FOUND');
  });
});

describe('workspace service', () => {
  it('reports path, schema version and counts', async () => {
    const t = testWorkspace();
    t.s.groups.create({ name: 'g' });
    await t.s.users.create({ username: 'u' });
    expect(t.s.workspace.info()).toEqual({
      path: ':memory:',
      schema_version: LATEST_SCHEMA_VERSION,
      counts: {
        flows: 0,
        stages: 0,
        bindings: 0,
        policies: 0,
        policyBindings: 0,
        prompts: 0,
        users: 1,
        groups: 1,
      },
    });
  });
});
