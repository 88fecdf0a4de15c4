import { describe, expect, it } from 'vitest';
import { sniffAuthentikVersion } from '../../../src/main/blueprint/yaml';
import { blueprint, parseOk, readFixture } from './fixtures';

function sniff(text: string) {
  return sniffAuthentikVersion(parseOk(text));
}

describe('authentik version sniffing', () => {
  it('dates the old WebAuthn setup blueprint before the 2024.4 rename', () => {
    const result = sniff(readFixture('default/flow-default-authenticator-webauthn-setup.yaml'));
    expect(result.range).toBe('>=2022.8 <=2024.2');
    expect(result).toMatchObject({ min: '2022.8', max: '2024.2' });
    expect(result.evidence.some((line) => line.includes('authenticatewebauthnstage'))).toBe(true);
  });

  it('dates the default brand blueprint to brands (2024.2+)', () => {
    const result = sniff(readFixture('default/default-brand.yaml'));
    expect(result.range).toBe('>=2024.2');
    expect(result.evidence).toContain('tag !Find (blueprints, 2022.8+) ×5 → >=2022.8');
  });

  it('notes stage bindings that rely on the defaults changed in 2023.3', () => {
    const result = sniff(readFixture('default/flow-password-change.yaml'));
    expect(
      result.evidence.some((line) => line.includes('changed in 2023.3') && line.endsWith('(note)')),
    ).toBe(true);
  });

  it('notes the branch-only prompt_type field', () => {
    const result = sniff(
      blueprint('  - model: authentik_stages_prompt.prompt\n    attrs: {prompt_type: text}\n'),
    );
    expect(result.range).toBe('any');
    expect(result.evidence[0]).toContain('prompt_type');
  });

  it('says "any" when nothing is version-specific', () => {
    expect(
      sniff(blueprint('  - model: authentik_flows.flow\n    identifiers: {slug: x}\n')),
    ).toEqual({ range: 'any', evidence: [] });
  });

  it.each([
    [
      '!FindObject',
      blueprint('  - model: a.b\n    attrs: {x: !FindObject [authentik_flows.flow, [slug, x]]}\n'),
      '>=2025.8',
    ],
    ['!AtIndex', blueprint('  - model: a.b\n    attrs: {x: !AtIndex [[1], 0]}\n'), '>=2024.12'],
    [
      '!AtIndex inside another tag',
      blueprint('  - model: a.b\n    conditions: [!If [!AtIndex [[1], 0]]]\n'),
      '>=2024.12',
    ],
    ['permissions', blueprint('  - model: a.b\n    permissions: []\n'), '>=2024.8'],
    [
      'require_redirect',
      blueprint('  - model: authentik_flows.flow\n    attrs: {authentication: require_redirect}\n'),
      '>=2024.12',
    ],
    [
      'require_outpost',
      blueprint('  - model: authentik_flows.flow\n    attrs: {authentication: require_outpost}\n'),
      '>=2024.10',
    ],
    [
      'enable_remember_me',
      blueprint(
        '  - model: authentik_stages_identification.identificationstage\n    attrs: {enable_remember_me: true}\n',
      ),
      '>=2025.4',
    ],
    [
      'webauthn_stage',
      blueprint(
        '  - model: authentik_stages_identification.identificationstage\n    attrs: {webauthn_stage: null}\n',
      ),
      '>=2025.12',
    ],
    [
      'authenticatorwebauthnstage',
      blueprint('  - model: authentik_stages_authenticator_webauthn.authenticatorwebauthnstage\n'),
      '>=2024.4',
    ],
    [
      'redirect stage',
      blueprint('  - model: authentik_stages_redirect.redirectstage\n'),
      '>=2024.12',
    ],
    ['tenant', blueprint('  - model: authentik_tenants.tenant\n'), '<=2023.10'],
    ['role', blueprint('  - model: authentik_rbac.role\n'), '>=2023.10'],
    [
      'metaapplyblueprint',
      blueprint('  - model: authentik_blueprints.metaapplyblueprint\n'),
      '>=2022.8',
    ],
    ['sections', 'version: 1\nentries:\n  flows:\n    - model: a.b\n', '>=2026.2'],
    [
      '!Find in context',
      'version: 1\ncontext: {x: !Find [a.b, [pk, 1]]}\nentries: []\n',
      '>=2022.8',
    ],
  ])('%s', (_label, text, range) => {
    expect(sniff(text).range).toBe(range);
  });

  it('reports conflicting evidence rather than a made-up range', () => {
    const result = sniff(
      blueprint(
        '  - model: authentik_stages_authenticator_webauthn.authenticatewebauthnstage\n  - model: a.b\n    attrs: {x: !FindObject [a.b, [pk, 1]]}\n',
      ),
    );
    expect(result.range).toBe('conflicting: >=2025.8 but <=2024.2');
    expect(result.evidence).toHaveLength(2);
  });

  it('takes the strongest bound from several pieces of evidence', () => {
    const result = sniff(
      blueprint(
        '  - model: a.b\n    permissions: []\n    attrs: {x: !AtIndex [[1], 0]}\n  - model: authentik_brands.brand\n',
      ),
    );
    expect(result.range).toBe('>=2024.12');
    expect(result.evidence).toHaveLength(3);
  });
});
