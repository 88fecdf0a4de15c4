import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';
import { importBlueprints, type ImportOptions, type ImportReport } from '../../../src/main/blueprint/import';
import { readSnapshot } from '../../../src/main/blueprint/export/workspace-source';
import { STAGE_REFERENCE_SPECS } from '../../../src/main/blueprint/export/records';
import { parseBlueprintDocument, stripSource, type BlueprintDocument } from '../../../src/main/blueprint/yaml';
import { openWorkspace, type Workspace } from '../../../src/main/workspace';

export const FIXTURE_ROOT = fileURLToPath(new URL('../../../../shared/fixtures/authentik-blueprints/', import.meta.url));

/** Every fixture, with the fixtures it needs imported first (metaapplyblueprint / !Find targets). */
export const FIXTURES: Record<string, string[]> = {
  'default/default-brand.yaml': [
    'default/flow-password-change.yaml',
    'default/flow-default-authentication-flow.yaml',
    'default/flow-default-invalidation-flow.yaml',
    'default/flow-default-user-settings-flow.yaml',
  ],
  'default/default-password-policy.yaml': [],
  'default/flow-default-authentication-flow.yaml': ['default/flow-password-change.yaml'],
  'default/flow-default-authenticator-static-setup.yaml': [],
  'default/flow-default-authenticator-totp-setup.yaml': [],
  'default/flow-default-authenticator-webauthn-setup.yaml': [],
  'default/flow-default-invalidation-flow.yaml': [],
  'default/flow-default-provider-authorization-explicit-consent.yaml': [],
  'default/flow-default-provider-authorization-implicit-consent.yaml': [],
  'default/flow-default-provider-invalidation.yaml': [],
  'default/flow-default-source-authentication.yaml': [],
  'default/flow-default-source-enrollment.yaml': [],
  'default/flow-default-source-pre-authentication.yaml': [],
  'default/flow-default-user-settings-flow.yaml': [],
  'default/flow-oobe.yaml': [],
  'default/flow-password-change.yaml': [],
  'example/flows-authenticator-email-setup.yaml': [],
  'example/flows-enrollment-2-stage.yaml': [],
  'example/flows-login-2fa.yaml': [],
  'example/flows-recovery-email-verification.yaml': [],
  'example/flows-unenrollment.yaml': [],
};

/** `!Env` values the fixtures need (Flowbench never reads its own environment for them). */
export const EXPLICIT: ImportOptions['explicit'] = { env: { AUTHENTIK_DEFAULT_BRAND_ENABLED: 'true' } };

export const NOW = new Date('2025-03-01T12:00:00.000Z');

export function readFixture(name: string): string {
  return readFileSync(join(FIXTURE_ROOT, name), 'utf8');
}

const open: Workspace[] = [];
afterEach(() => {
  for (const ws of open.splice(0)) ws.close();
});

/** An in-memory workspace (real SQLite) with a deterministic clock, closed after the test. */
export function workspace(): Workspace {
  let t = Date.parse('2025-03-01T12:00:00.000Z');
  const ws = openWorkspace({ path: ':memory:', clock: () => new Date((t += 1000)) });
  open.push(ws);
  return ws;
}

export async function importOk(ws: Workspace, files: { name: string; text: string }[], options: ImportOptions = {}): Promise<ImportReport> {
  const report = await importBlueprints(ws, files, { explicit: EXPLICIT, ...options });
  if (!report.ok) throw new Error(`import failed: ${JSON.stringify(report.issues.slice(0, 3), null, 2)}`);
  return report;
}

/** A fresh workspace with the fixture's dependencies imported, then the fixture (two imports). */
export async function withFixture(name: string): Promise<Workspace> {
  const ws = workspace();
  const deps = FIXTURES[name] ?? [];
  if (deps.length > 0) await importOk(ws, deps.map((dep) => ({ name: dep, text: readFixture(dep) })));
  await importOk(ws, [{ name, text: readFixture(name) }]);
  return ws;
}

/** Parsed, without positions, as plain JSON (parsed mappings have null prototypes). */
export function parsePlain(text: string): BlueprintDocument {
  const result = parseBlueprintDocument(text);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return JSON.parse(JSON.stringify(stripSource(result.document))) as BlueprintDocument;
}

export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The workspace's objects keyed and cross-referenced by natural keys (flow slug, names,
 * username, binding = flow/stage/order), pks left out: two workspaces holding the same flows
 * compare equal whatever pks they gave them.
 */
export function objectGraph(ws: Workspace) {
  const snap = readSnapshot(ws);
  const flowSlug = new Map(snap.flows.map((flow) => [flow.pk, flow.slug]));
  const stageName = new Map(snap.stages.map((stage) => [stage.pk, stage.name]));
  const policyName = new Map(snap.policies.map((policy) => [policy.pk, policy.name]));
  const promptName = new Map(snap.prompts.map((prompt) => [prompt.pk, prompt.name]));
  const groupName = new Map(snap.groups.map((group) => [group.pk, group.name]));
  const username = new Map(snap.users.map((user) => [user.pk, user.username]));
  const bindingKey = new Map(snap.bindings.map((b) => [b.pk, `${flowSlug.get(b.target)}/${stageName.get(b.stage)}/${b.order}`]));
  const names: Record<string, Map<unknown, string>> = {
    flow: flowSlug,
    stage: stageName,
    policy: policyName,
    prompt: promptName,
    group: groupName,
  };
  const natural = (target: string, pk: unknown) => (pk === null ? null : (names[target]?.get(pk) ?? `unknown:${String(pk)}`));
  const keyed = <T>(items: readonly T[], key: (item: T) => string, value: (item: T) => unknown) =>
    Object.fromEntries(items.map((item) => [key(item), value(item)] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return plain({
    flows: keyed(snap.flows, (f) => f.slug, ({ pk: _pk, ...rest }) => rest),
    stages: keyed(
      snap.stages,
      (s) => s.name,
      (s) => {
        const config: Record<string, unknown> = { ...s.config };
        for (const spec of STAGE_REFERENCE_SPECS[s.kind] ?? []) {
          const target = spec.targets[0] as string;
          const value = config[spec.field];
          config[spec.field] = spec.many && Array.isArray(value) ? value.map((pk) => natural(target, pk)) : natural(target, value ?? null);
        }
        return { kind: s.kind, config };
      },
    ),
    bindings: keyed(snap.bindings, (b) => bindingKey.get(b.pk) ?? '', ({ pk: _pk, target: _t, stage: _s, ...rest }) => rest),
    policies: keyed(snap.policies, (p) => p.name, ({ pk: _pk, ...rest }) => rest),
    prompts: keyed(snap.prompts, (p) => p.name, ({ pk: _pk, ...rest }) => rest),
    policyBindings: keyed(
      snap.policyBindings,
      (pb) => {
        const target = flowSlug.get(pb.target) ?? bindingKey.get(pb.target);
        const subject = pb.policy !== null ? `policy:${policyName.get(pb.policy)}` : pb.group !== null ? `group:${groupName.get(pb.group)}` : `user:${username.get(pb.user ?? -1)}`;
        return `${target}|${subject}|${pb.order}`;
      },
      ({ pk: _pk, target: _t, policy: _p, group: _g, user: _u, ...rest }) => rest,
    ),
    groups: keyed(snap.groups, (g) => g.name, ({ pk: _pk, parent, ...rest }) => ({ ...rest, parent: natural('group', parent) })),
    users: keyed(
      snap.users,
      (u) => u.username,
      (u) => ({
        name: u.name,
        email: u.email,
        is_active: u.is_active,
        type: u.type,
        path: u.path,
        attributes: u.attributes,
        groups: u.groups.map((g) => groupName.get(g)).sort(),
      }),
    ),
  });
}

/** Indexes of entries that differ between two documents of the same length. */
export function changedEntries(before: BlueprintDocument, after: BlueprintDocument): number[] {
  expect(after.entries).toHaveLength(before.entries.length);
  return before.entries.flatMap((entry, i) => (isDeepStrictEqual(plain(entry), plain(after.entries[i])) ? [] : [i]));
}
