import { describe, expect, it } from 'vitest';
import { importReportSchema, type ImportIssue } from '@shared/contract/blueprint-report';
import {
  formatIssue,
  hintFor,
  isSecretLookingKey,
  placeholderPk,
  withoutSecrets,
  writtenForOldBindingDefaults,
} from '../../../../src/main/blueprint/import';
import { pathMatches } from '../../../../src/main/blueprint/import/entries';
import { displayIdentifiers, findForbiddenKey, pythonTruthy, stableJson } from '../../../../src/main/blueprint/import/values';
import { builtInContext } from '../../../../src/main/blueprint/models';

describe('binding defaults by authentik version', () => {
  it('applies to files that cannot be newer than 2023.2', () => {
    expect(writtenForOldBindingDefaults({ max: '2022.12' })).toBe(true);
    expect(writtenForOldBindingDefaults({ max: '2023.2' })).toBe(true);
    expect(writtenForOldBindingDefaults({ max: '2023.3' })).toBe(false);
    expect(writtenForOldBindingDefaults({ max: '2024.2' })).toBe(false);
    expect(writtenForOldBindingDefaults({})).toBe(false);
  });
});

describe('placeholder pks for entries kept verbatim', () => {
  it('are stable, distinct per entry and UUID-shaped (version 8)', () => {
    const a = placeholderPk('Default - Brand', 4);
    expect(a).toBe(placeholderPk('Default - Brand', 4));
    expect(a).not.toBe(placeholderPk('Default - Brand', 5));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('metaapplyblueprint paths', () => {
  it('match the stored file name by path suffix', () => {
    expect(pathMatches('/home/me/blueprints/default/flow-password-change.yaml', 'default/flow-password-change.yaml')).toBe(true);
    expect(pathMatches('default/flow-password-change.yaml', 'default/flow-password-change.yaml')).toBe(true);
    expect(pathMatches('flow-password-change.yaml', 'default/flow-password-change.yaml')).toBe(true);
    expect(pathMatches('C:\\bp\\default\\flow-password-change.yaml', 'default/flow-password-change.yaml')).toBe(true);
    expect(pathMatches('other/flow-password-change.yaml', 'default/flow-password-change.yaml')).toBe(false);
    expect(pathMatches('x-flow-password-change.yaml', 'flow-password-change.yaml')).toBe(false);
  });
});

describe('context stored with a blueprint', () => {
  it('drops secret-looking keys at any depth', () => {
    for (const key of ['password', 'smtp_password', 'API_KEY', 'client-secret', 'token', 'private_key', 'key', 'signing-key']) {
      expect(isSecretLookingKey(key), key).toBe(true);
    }
    for (const key of ['flow_slug', 'keyboard', 'monkey_business', 'name']) expect(isSecretLookingKey(key), key).toBe(false);
    expect(withoutSecrets({ a: 1, password: 'x', nested: [{ token: 't', b: 2 }] })).toEqual({ a: 1, nested: [{ b: 2 }] });
  });
});

describe('values', () => {
  it('Python truthiness', () => {
    expect([null, false, 0, '', [], {}].map(pythonTruthy)).toEqual([false, false, false, false, false, false]);
    expect([true, 1, 'x', [0], { a: null }].map(pythonTruthy)).toEqual([true, true, true, true, true]);
  });

  it('finds __proto__ keys below values and tag arguments', () => {
    const nested = JSON.parse('{"a": [{"b": {"__proto__": 1}}]}') as unknown;
    expect(findForbiddenKey(nested)).toEqual(['a', 0, 'b', '__proto__']);
    expect(findForbiddenKey({ $tag: 'Format', args: ['%s', JSON.parse('{"__proto__": 1}')] })).toEqual([1, '__proto__']);
    expect(findForbiddenKey({ constructor: 1, toString: 2 })).toBeUndefined();
  });

  it('displays identifiers as written', () => {
    expect(displayIdentifiers({ order: 10, stage: { $tag: 'KeyOf', value: 'x' }, target: { $tag: 'KeyOf', value: 'flow' } })).toBe(
      'order=10 stage=!KeyOf x target=!KeyOf flow',
    );
  });

  it('compares objects regardless of key order', () => {
    expect(stableJson({ b: 1, a: { d: 2, c: 3 } })).toBe(stableJson({ a: { c: 3, d: 2 }, b: 1 }));
  });

  it('built-in context maps RBAC model names to app labels', () => {
    const context = builtInContext();
    expect(context['goauthentik.io/enterprise/licensed']).toBe(false);
    expect(context['goauthentik.io/rbac/models']).toMatchObject({ flow: 'authentik_flows', user: 'authentik_core' });
  });
});

describe('issues and the report contract', () => {
  it('formats an issue with file, position, entry, field and hint', () => {
    const issue: ImportIssue = {
      fileName: 'flow.yaml',
      entryIndex: 2,
      model: 'authentik_flows.flow',
      identifiers: 'slug=x',
      path: 'attrs.designation',
      line: 12,
      column: 5,
      code: 'invalid-value',
      message: 'Invalid option',
      hint: hintFor('invalid-value'),
    };
    expect(formatIssue(issue)).toBe(
      `flow.yaml:12:5: entry 3 (authentik_flows.flow slug=x), attrs.designation: Invalid option — ${hintFor('invalid-value')}`,
    );
  });

  it('has a hint for every code', () => {
    expect(hintFor('ENV_NEEDS_VALUE')).toContain('env:NAME=value');
    expect(hintFor('something-new')).toBe('Fix the entry as the message says.');
  });

  it('the report schema accepts a minimal report', () => {
    const report = {
      ok: true,
      dryRun: false,
      committed: true,
      files: [],
      issues: [],
      totals: { files: 0, entries: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, skipped: 0, keptVerbatim: 0, meta: 0, errors: 0, warnings: 0 },
    };
    expect(importReportSchema.parse(report)).toEqual(report);
  });
});
