import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_CONTEXT,
  mergeContext,
  pythonTruthy,
  resolveValue,
  type ResolvedValue,
} from '../../../../src/main/blueprint/resolve';
import {
  parseBlueprintDocument,
  type BlueprintDocument,
} from '../../../../src/main/blueprint/yaml';
import { fakeScope, type FakeScopeOptions } from './helpers';

function parse(text: string): BlueprintDocument {
  const result = parseBlueprintDocument(text);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.document;
}

/** Resolves the attrs of every entry the way the importer will: context merged, in file order. */
function resolveAttrs(text: string, options: FakeScopeOptions = {}): ResolvedValue[] {
  const document = parse(text);
  const context = mergeContext(BUILT_IN_CONTEXT, document.context, options.context);
  const scope = fakeScope({ ...options, context });
  return document.entries.map((entry, index) =>
    resolveValue(entry.attrs ?? null, scope, ['entries', index, 'attrs']),
  );
}

describe('parsed YAML through the resolver', () => {
  it('resolves scalar and sequence forms written in YAML', () => {
    const [attrs] = resolveAttrs(
      `version: 1
context:
  domain: example.com
  stages: [password, identification]
  flags: {beta: yes}
entries:
  - model: authentik_flows.flow
    identifiers: {slug: x}
    attrs:
      name: !Format ["%s flow on %s", Welcome, !Context domain]
      licensed: !Context goauthentik.io/enterprise/licensed
      missing: !Context [nope, fallback]
      beta: !If [!Context flags, enabled, disabled]
      picked: !AtIndex [!Context stages, -1]
      stage_names: !Enumerate [!Context stages, SEQ, !Format ["stage-%d-%s", !Index 0, !Value 0]]
      by_name: !Enumerate [!Context stages, MAP, [!Value 0, !Index 0]]
      json: !ParseJSON '{"a": [1, 2]}'
      both: !Condition [AND, !Context flags, true]
`,
    );
    expect(attrs).toEqual({
      name: 'Welcome flow on example.com',
      licensed: false,
      missing: 'fallback',
      beta: 'enabled',
      picked: 'identification',
      stage_names: ['stage-0-password', 'stage-1-identification'],
      by_name: { password: 0, identification: 1 },
      json: { a: [1, 2] },
      both: true,
    });
  });

  it('lets the caller context override the file context', () => {
    const [attrs] = resolveAttrs(
      `version: 1
context: {domain: file.example}
entries:
  - model: a.b
    identifiers: {x: 1}
    attrs: {d: !Context domain}
`,
      { context: { domain: 'caller.example' } },
    );
    expect(attrs).toEqual({ d: 'caller.example' });
  });

  it('reports errors with the entry path', () => {
    expect(() =>
      resolveAttrs(`version: 1
entries:
  - model: a.b
    identifiers: {x: 1}
    attrs:
      configure_flow: !KeyOf missing
`),
    ).toThrow(
      expect.objectContaining({
        code: 'KEYOF_NOT_FOUND',
        path: ['entries', 0, 'attrs', 'configure_flow'],
      }),
    );
  });

  it('resolves authentik’s default brand blueprint once the !Env value is given', () => {
    const fixture = new URL(
      '../../../../../shared/fixtures/authentik-blueprints/default/default-brand.yaml',
      import.meta.url,
    );
    const document = parse(readFileSync(fixture, 'utf8'));
    const brand = document.entries.find((entry) => entry.model === 'authentik_brands.brand');
    expect(brand).toBeDefined();
    const rows = {
      'authentik_flows.flow': [
        { pk: 'auth-pk', slug: 'default-authentication-flow' },
        { pk: 'inval-pk', slug: 'default-invalidation-flow' },
        { pk: 'settings-pk', slug: 'default-user-settings-flow' },
      ],
      'authentik_brands.brand': [],
    };
    const context = mergeContext(BUILT_IN_CONTEXT, document.context, {});

    const withoutEnv = fakeScope({ rows, context });
    expect(() => resolveValue(brand?.identifiers ?? null, withoutEnv, ['identifiers'])).toThrow(
      expect.objectContaining({ code: 'ENV_NEEDS_VALUE', path: ['identifiers', 'default'] }),
    );

    const scope = fakeScope({ rows, context, env: { AUTHENTIK_DEFAULT_BRAND_ENABLED: 'true' } });
    const conditions = resolveValue(brand?.conditions ?? [], scope, [
      'conditions',
    ]) as ResolvedValue[];
    expect(conditions.every(pythonTruthy)).toBe(true);
    expect(resolveValue(brand?.identifiers ?? null, scope, ['identifiers'])).toEqual({
      domain: 'authentik-default',
      default: 'true',
    });
    expect(resolveValue(brand?.attrs ?? null, scope, ['attrs'])).toEqual({
      flow_authentication: 'auth-pk',
      flow_invalidation: 'inval-pk',
      flow_user_settings: 'settings-pk',
      flow_request: null,
    });
  });

  it('resolves the deepest nesting the YAML layer accepts', () => {
    const depth = 250;
    const text = `version: 1\nentries:\n  - model: a.b\n    identifiers: {x: 1}\n    attrs: {deep: ${'['.repeat(depth)}!KeyOf k${']'.repeat(depth)}}\n`;
    const [attrs] = resolveAttrs(text, { keys: { k: 'pk' } });
    let value = (attrs as Record<string, unknown>).deep;
    for (let index = 0; index < depth; index++) value = (value as unknown[])[0];
    expect(value).toBe('pk');
  });
});
