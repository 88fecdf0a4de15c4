import { describe, expect, it } from 'vitest';
import { groupFields, promptFields, promptType, userFields } from '../../../src/shared/model';

describe('authentik_stages_prompt.prompt', () => {
  const minimal = {
    name: 'default-field-password',
    field_key: 'password',
    label: 'Password',
    type: 'password',
  };

  it('applies authentik defaults', () => {
    expect(promptFields.parse(minimal)).toEqual({
      ...minimal,
      required: true,
      placeholder: '',
      initial_value: '',
      sub_text: '',
      order: 0,
      placeholder_expression: false,
      initial_value_expression: false,
    });
  });

  it('knows the 2025.2 prompt types', () => {
    expect(promptType.options).toHaveLength(18);
    expect(promptType.options).toContain('radio-button-group');
    expect(promptType.options).toContain('ak-locale');
    expect(promptType.options).not.toContain('alert_info');
  });

  it.each(['textarea', 'radio', 'alert_info', ''])(
    'rejects prompt type %j on the type field',
    (type) => {
      const result = promptFields.safeParse({ ...minimal, type });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['type']);
    },
  );

  it('keeps dotted field keys', () => {
    expect(
      promptFields.parse({ ...minimal, field_key: 'attributes.settings.locale' }).field_key,
    ).toBe('attributes.settings.locale');
  });
});

describe('authentik_core user and group', () => {
  it('group defaults', () => {
    expect(groupFields.parse({ name: 'admins' })).toEqual({
      name: 'admins',
      is_superuser: false,
      parent: null,
      attributes: {},
    });
  });

  it('user defaults', () => {
    expect(userFields.parse({ username: 'akadmin' })).toEqual({
      username: 'akadmin',
      name: '',
      email: '',
      is_active: true,
      type: 'internal',
      path: 'users',
      attributes: {},
      groups: [],
    });
  });

  it('rejects an unknown user type', () => {
    expect(userFields.safeParse({ username: 'bot', type: 'agent' }).success).toBe(false);
  });
});
