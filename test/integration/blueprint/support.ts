import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';
import { type EntryReport, type ImportReport } from '@shared/contract/blueprint-report';
import { type Argon2Params, createPasswordHasher, type PasswordHasher } from '../../../src/main/auth/passwords';
import { formatIssue, type ImportFile, type ImportOptions } from '../../../src/main/blueprint/import';
import { openWorkspace, type Workspace } from '../../../src/main/workspace';

export const FIXTURE_ROOT = fileURLToPath(new URL('../../../../shared/fixtures/authentik-blueprints/', import.meta.url));

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_ROOT, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.yaml'))
    .sort();
}

export function fixture(name: string): ImportFile {
  return { name, text: readFileSync(join(FIXTURE_ROOT, name), 'utf8') };
}

/**
 * Files a fixture needs first: its `metaapplyblueprint` targets and the blueprints whose objects
 * its `!Find`s look up (all optional for authentik, but then those references stay null).
 */
export const DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  'default/flow-default-authentication-flow.yaml': ['default/flow-password-change.yaml'],
  'default/default-brand.yaml': [
    'default/flow-password-change.yaml',
    'default/flow-default-authentication-flow.yaml',
    'default/flow-default-invalidation-flow.yaml',
    'default/flow-default-user-settings-flow.yaml',
  ],
};

/** Every fixture in an order where dependencies come first. */
export const ALL_IN_ORDER: readonly string[] = [
  'default/flow-password-change.yaml',
  'default/default-password-policy.yaml',
  'default/flow-default-authentication-flow.yaml',
  'default/flow-default-invalidation-flow.yaml',
  'default/flow-default-user-settings-flow.yaml',
  'default/flow-default-authenticator-static-setup.yaml',
  'default/flow-default-authenticator-totp-setup.yaml',
  'default/flow-default-authenticator-webauthn-setup.yaml',
  'default/flow-default-provider-authorization-explicit-consent.yaml',
  'default/flow-default-provider-authorization-implicit-consent.yaml',
  'default/flow-default-provider-invalidation.yaml',
  'default/flow-default-source-authentication.yaml',
  'default/flow-default-source-enrollment.yaml',
  'default/flow-default-source-pre-authentication.yaml',
  'default/flow-oobe.yaml',
  'default/default-brand.yaml',
  'example/flows-enrollment-2-stage.yaml',
  'example/flows-login-2fa.yaml',
  'example/flows-recovery-email-verification.yaml',
  'example/flows-unenrollment.yaml',
  'example/flows-authenticator-email-setup.yaml',
];

/** argon2id at the OWASP minimum: real hashes, as fast as the hasher allows. */
const TEST_ARGON2: Argon2Params = { memoryCost: 19456, timeCost: 2, parallelism: 1 };
let sharedHasher: PasswordHasher | undefined;

const open: Workspace[] = [];
afterEach(() => {
  for (const ws of open.splice(0)) ws.close();
});

/** An in-memory workspace with a deterministic clock, closed after the test. */
export function blueprintWorkspace(path = ':memory:'): Workspace {
  let t = Date.parse('2025-03-01T12:00:00.000Z');
  sharedHasher ??= createPasswordHasher(TEST_ARGON2);
  const ws = openWorkspace({ path, clock: () => new Date((t += 1000)), hasher: sharedHasher });
  open.push(ws);
  return ws;
}

/** `version: 1` + entries (YAML list items, indented by two spaces) + optional extra top level. */
export function yamlBlueprint(entries: string, extra = ''): string {
  return `version: 1\n${extra}entries:\n${entries}`;
}

export function file(name: string, text: string): ImportFile {
  return { name, text };
}

/** Import and expect success; the failure message lists every issue. */
export async function importOk(ws: Workspace, files: ImportFile[], options: ImportOptions = {}): Promise<ImportReport> {
  const report = await ws.services.blueprints.import(files, options);
  if (!report.ok) throw new Error(`import failed:\n${report.issues.map(formatIssue).join('\n')}`);
  return report;
}

export async function importFails(ws: Workspace, files: ImportFile[], options: ImportOptions = {}): Promise<ImportReport> {
  const report = await ws.services.blueprints.import(files, options);
  expect(report.ok).toBe(false);
  expect(report.committed).toBe(false);
  expect(report.issues.length).toBeGreaterThan(0);
  return report;
}

export function entries(report: ImportReport, fileIndex = 0): EntryReport[] {
  return report.files[fileIndex]?.entries ?? [];
}

export function actions(report: ImportReport, fileIndex = 0): string[] {
  return entries(report, fileIndex).map((entry) => entry.action);
}

/** Every row of every table, in a stable order: "the workspace's content". */
export function dumpTables(ws: Workspace): Record<string, unknown[]> {
  const tables = ws.db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    out[table] = ws.db.prepare(`SELECT * FROM "${table}" ORDER BY 1, 2`).all();
  }
  return out;
}

export function flowBySlug(ws: Workspace, slug: string) {
  const flow = ws.services.flows.list().find((f) => f.slug === slug);
  if (!flow) throw new Error(`no flow ${slug}`);
  return flow;
}

export function stageByName(ws: Workspace, name: string) {
  const stage = ws.services.stages.list().find((s) => s.name === name);
  if (!stage) throw new Error(`no stage ${name}`);
  return stage;
}

export function policyByName(ws: Workspace, name: string) {
  const policy = ws.services.policies.list().find((p) => p.name === name);
  if (!policy) throw new Error(`no policy ${name}`);
  return policy;
}

export function promptByName(ws: Workspace, name: string) {
  const prompt = ws.services.prompts.list().find((p) => p.name === name);
  if (!prompt) throw new Error(`no prompt ${name}`);
  return prompt;
}
