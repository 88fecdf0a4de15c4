import { describe, expect, it } from 'vitest';
import { policyRegistry, stageRegistry } from '@shared/model';
import {
  canonicalModel,
  classifyModel,
  collapsePkDicts,
  evaluateFindFilter,
  invalidIdentifierFields,
  isKnownAuthentikModel,
  jsonContains,
  KNOWN_AUTHENTIK_MODELS,
  MapperError,
  MODEL_MAPPERS,
  mapperFor,
  matchesAll,
  parseFindFilter,
  valuesEqual,
} from '../../../../src/main/blueprint/models';

const FLOW = 'authentik_flows.flow';

describe('model mapper registry', () => {
  it('maps every stage and policy kind of the shared registries, plus the core models', () => {
    expect(Object.keys(MODEL_MAPPERS).sort()).toEqual(
      [
        ...Object.keys(stageRegistry),
        ...Object.keys(policyRegistry),
        FLOW,
        'authentik_flows.flowstagebinding',
        'authentik_policies.policybinding',
        'authentik_stages_prompt.prompt',
        'authentik_core.user',
        'authentik_core.group',
      ].sort(),
    );
  });

  it('knows every mapped model (and alias) as an authentik model', () => {
    for (const mapper of Object.values(MODEL_MAPPERS)) {
      expect(KNOWN_AUTHENTIK_MODELS.has(mapper.model), mapper.model).toBe(true);
      for (const alias of mapper.aliases) expect(KNOWN_AUTHENTIK_MODELS.has(alias), alias).toBe(true);
    }
  });

  it('resolves the old WebAuthn model name, case-insensitively', () => {
    const old = 'authentik_stages_authenticator_webauthn.authenticatewebauthnstage';
    expect(mapperFor(old)?.model).toBe('authentik_stages_authenticator_webauthn.authenticatorwebauthnstage');
    expect(canonicalModel(old.toUpperCase())).toBe('authentik_stages_authenticator_webauthn.authenticatorwebauthnstage');
  });

  it('classifies models as modeled, meta, unmodeled (kept verbatim) or unknown', () => {
    expect(classifyModel(FLOW)).toBe('modeled');
    expect(classifyModel('authentik_blueprints.metaapplyblueprint')).toBe('meta');
    expect(classifyModel('authentik_brands.brand')).toBe('unmodeled');
    expect(classifyModel('authentik_tenants.tenant')).toBe('unmodeled');
    expect(classifyModel('authentik_nope.nothing')).toBe('unknown');
    expect(isKnownAuthentikModel('AUTHENTIK_CORE.APPLICATION')).toBe(true);
  });

  it('converts objects to attrs and back without loss, for every stage and policy kind', () => {
    for (const mapper of Object.values(MODEL_MAPPERS)) {
      if (mapper.entity !== 'stage' && mapper.entity !== 'policy') continue;
      const def = mapper.entity === 'stage' ? stageRegistry[mapper.model as keyof typeof stageRegistry] : policyRegistry[mapper.model as keyof typeof policyRegistry];
      const defaults = def.config.safeParse({});
      if (!defaults.success) continue; // kinds with required config are covered by the fixtures
      const object = { pk: '00000000-0000-4000-8000-000000000001', name: 'x', kind: mapper.model, config: defaults.data as Record<string, unknown>, execution_logging: false };
      const attrs = (mapper.toAttrs as (o: unknown) => Record<string, unknown>)(object);
      const back = mapper.fromAttrs(attrs, {});
      expect(back.unknown).toEqual({});
      expect(back.input.fields).toMatchObject({ name: 'x', kind: mapper.model, config: defaults.data });
    }
  });

  it('puts keys the model lacks into `unknown`', () => {
    const mapper = mapperFor('authentik_stages_identification.identificationstage');
    const result = mapper?.fromAttrs({ name: 's', user_fields: ['email'], template: 'x.html' }, {});
    expect(result?.unknown).toEqual({ template: 'x.html' });
    expect(result?.input.fields).toEqual({ name: 's', kind: 'authentik_stages_identification.identificationstage', config: { user_fields: ['email'] } });
  });

  it('prompts: prompt_type is type under another name', () => {
    const mapper = mapperFor('authentik_stages_prompt.prompt');
    expect(mapper?.fromAttrs({ name: 'p', prompt_type: 'email' }, {}).input.fields).toEqual({ name: 'p', type: 'email' });
    expect(() => mapper?.fromAttrs({ name: 'p', type: 'text', prompt_type: 'email' }, {})).toThrow(MapperError);
    expect(mapper?.mergeForUpdate({ name: 'p', type: 'text' }, { prompt_type: 'email' })).toEqual({ name: 'p', prompt_type: 'email' });
  });

  it('groups: one of `parents` becomes the parent; several are refused', () => {
    const mapper = mapperFor('authentik_core.group');
    expect(mapper?.fromAttrs({ name: 'g', parents: ['p1'] }, {}).input.fields).toEqual({ name: 'g', parent: 'p1' });
    expect(mapper?.fromAttrs({ name: 'g', parents: [] }, {}).input.fields).toEqual({ name: 'g', parent: null });
    expect(() => mapper?.fromAttrs({ name: 'g', parents: ['a', 'b'] }, {})).toThrow(/one parent/);
    expect(mapper?.mergeForUpdate({ name: 'g', parent: 'old' }, { parents: ['new'] })).toEqual({ name: 'g', parents: ['new'] });
  });

  it('users: passwords never reach the fields', () => {
    const mapper = mapperFor('authentik_core.user');
    expect(mapper?.fromAttrs({ username: 'u', password: 'secret', password_hash: 'x' }, {})).toEqual({
      input: { fields: { username: 'u' } },
      unknown: {},
      warnings: [],
    });
    expect(mapper?.integerPk).toBe(true);
  });
});

describe('identifier matching', () => {
  it('compares UUIDs case-insensitively and integers with their digits', () => {
    expect(valuesEqual('A1B2C3D4-0000-4000-8000-000000000001', 'a1b2c3d4-0000-4000-8000-000000000001')).toBe(true);
    expect(valuesEqual(10, '10')).toBe(true);
    expect(valuesEqual('slug', 'SLUG')).toBe(false);
    expect(valuesEqual(null, undefined)).toBe(true);
    expect(valuesEqual([1, { a: 2 }], [1, { a: 2 }])).toBe(true);
  });

  it('matches dict values by JSON containment', () => {
    expect(jsonContains({ a: 1, b: { c: [1, 2, 3] } }, { b: { c: [2] } })).toBe(true);
    expect(jsonContains({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    const mapper = mapperFor('authentik_core.group');
    const group = { pk: 'g', attrs: { name: 'G', attributes: { team: 'x', level: 3 } } };
    expect(matchesAll(mapper, group, { attributes: { team: 'x' } })).toBe(true);
    expect(matchesAll(mapper, group, { attributes: { team: 'y' } })).toBe(false);
  });

  it('collapses {pk: x} identifier values', () => {
    expect(collapsePkDicts({ target: { pk: 'abc' }, order: 1 })).toEqual({ target: 'abc', order: 1 });
  });

  it('lists identifier fields the model does not have', () => {
    const mapper = mapperFor(FLOW);
    if (!mapper) throw new Error('no flow mapper');
    expect(invalidIdentifierFields(mapper, { slug: 'x', pk: 'y', flow_uuid: 'z', colour: 'blue' })).toEqual(['colour']);
  });
});

describe('!Find filters', () => {
  const flow = mapperFor(FLOW);
  const object = { pk: 'P', attrs: { slug: 'My-Flow', name: 'Welcome', title: 't' } };

  it('supports exact, iexact, in, isnull, contains and starts/ends-with lookups', () => {
    const test = (field: string, value: unknown) => evaluateFindFilter(flow, object, parseFindFilter(flow, field, value));
    expect(test('slug', 'My-Flow')).toBe(true);
    expect(test('slug__iexact', 'my-flow')).toBe(true);
    expect(test('slug__in', ['a', 'My-Flow'])).toBe(true);
    expect(test('pk__isnull', false)).toBe(true);
    expect(test('name__icontains', 'COME')).toBe(true);
    expect(test('name__startswith', 'Wel')).toBe(true);
    expect(test('name__iendswith', 'ME')).toBe(true);
    expect(test('flow_uuid', 'P')).toBe(true);
  });

  it('refuses unknown fields, relations and unsupported lookups with a message', () => {
    expect(() => parseFindFilter(flow, 'colour', 'x')).toThrow(/has no field "colour"/);
    expect(() => parseFindFilter(flow, 'stages__name', 'x')).toThrow(/has no field "stages"/);
    expect(() => parseFindFilter(flow, 'slug__lower', 'x')).toThrow(/follows no relations/);
    expect(() => parseFindFilter(flow, 'slug__gt', 'x')).toThrow(/"gt" is not supported/);
    expect(() => parseFindFilter(flow, 'slug__in', 'x')).toThrow(/needs a list/);
  });

  it('follows keys into attributes', () => {
    const user = mapperFor('authentik_core.user');
    const alice = { pk: 1, attrs: { username: 'alice', attributes: { team: { name: 'core' } } } };
    expect(evaluateFindFilter(user, alice, parseFindFilter(user, 'attributes__team__name', 'core'))).toBe(true);
  });
});
