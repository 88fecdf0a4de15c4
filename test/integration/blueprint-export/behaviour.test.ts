import { describe, expect, it } from 'vitest';
import { ExportError, exportBlueprint } from '../../../src/main/blueprint/export';
import { getPasswordHash } from '../../../src/main/store/repos/users';
import { changedEntries, importOk, NOW, objectGraph, parsePlain, readFixture, withFixture, workspace } from './support';

const TWO_FA = 'example/flows-login-2fa.yaml';
const RECOVERY = 'example/flows-recovery-email-verification.yaml';

function roundTripOf(ws: Parameters<typeof exportBlueprint>[0], name: string) {
  const result = exportBlueprint(ws, { style: 'round-trip' });
  const file = result.files.find((candidate) => candidate.name === name);
  if (!file) throw new Error(`no file ${name} in ${result.files.map((f) => f.name).join(', ')}`);
  return { result, document: parsePlain(file.text) };
}

describe('round trip after edits', () => {
  it('editing one stage’s config changes only that entry, only that field', async () => {
    const ws = await withFixture(TWO_FA);
    const before = parsePlain(readFixture(TWO_FA));
    const stage = ws.services.stages.list().find((s) => s.name === 'default-authentication-password');
    if (!stage) throw new Error('stage missing');
    ws.services.stages.update({ pk: stage.pk, patch: { config: { ...stage.config, failed_attempts_before_cancel: 3 } } });

    const { document, result } = roundTripOf(ws, TWO_FA);
    const idx = before.entries.findIndex((entry) => entry.identifiers?.name === 'default-authentication-password');
    expect(changedEntries(before, document)).toEqual([idx]);
    expect(document.entries[idx]?.attrs).toEqual({ ...before.entries[idx]?.attrs, failed_attempts_before_cancel: 3 });
    expect(result.warnings).toEqual([]);
  });

  it('a changed identifier is updated in place; unchanged tags stay tags', async () => {
    const ws = await withFixture(TWO_FA);
    const before = parsePlain(readFixture(TWO_FA));
    const flow = ws.services.flows.list()[0];
    const binding = ws.services.bindings.list(flow?.pk ?? '').find((b) => b.order === 100);
    if (!binding) throw new Error('binding missing');
    ws.services.bindings.update({ pk: binding.pk, patch: { order: 90, invalid_response_action: 'restart' } });

    const { document } = roundTripOf(ws, TWO_FA);
    const idx = before.entries.findIndex((entry) => entry.model === 'authentik_flows.flowstagebinding' && entry.identifiers?.order === 100);
    expect(changedEntries(before, document)).toEqual([idx]);
    expect(document.entries[idx]?.identifiers).toEqual({
      target: { $tag: 'KeyOf', value: 'flow' },
      stage: { $tag: 'KeyOf', value: 'default-authentication-login' },
      order: 90,
    });
    expect(document.entries[idx]?.attrs).toEqual({ invalid_response_action: 'restart' });
  });

  it('a reference changed to another object becomes !KeyOf an earlier entry or !Find', async () => {
    const ws = await withFixture(TWO_FA);
    const before = parsePlain(readFixture(TWO_FA));
    const stages = ws.services.stages.list();
    const ident = stages.find((s) => s.name === 'default-authentication-identification');
    const password = stages.find((s) => s.name === 'default-authentication-password');
    if (!ident || !password) throw new Error('stages missing');
    // The password stage's entry comes after the identification stage's: no !KeyOf possible.
    ws.services.stages.update({ pk: ident.pk, patch: { config: { ...ident.config, password_stage: password.pk } } });
    const { document } = roundTripOf(ws, TWO_FA);
    const idx = before.entries.findIndex((entry) => entry.identifiers?.name === 'default-authentication-identification');
    expect(changedEntries(before, document)).toEqual([idx]);
    expect(document.entries[idx]?.attrs?.password_stage).toEqual({
      $tag: 'Find',
      args: ['authentik_stages_password.passwordstage', ['name', 'default-authentication-password']],
    });
  });

  it('keeps the entry of a deleted object and says so; appends objects created since', async () => {
    const ws = await withFixture(TWO_FA);
    const before = parsePlain(readFixture(TWO_FA));
    const flow = ws.services.flows.list()[0];
    if (!flow) throw new Error('flow missing');
    const mfa = ws.services.bindings.list(flow.pk).find((b) => b.order === 30);
    if (!mfa) throw new Error('binding missing');
    ws.services.bindings.delete(mfa.pk);
    const deny = ws.services.stages.create({ name: 'late-deny', kind: 'authentik_stages_deny.denystage', config: { deny_message: 'Go away' } });
    const denyBinding = ws.services.bindings.create({ target: flow.pk, stage: deny.pk, order: 110 });
    const policy = ws.services.policies.create({ name: 'late-policy', kind: 'authentik_policies_expression.expressionpolicy', config: { expression: 'return False' } });
    ws.services.policyBindings.create({ target: denyBinding.pk, policy: policy.pk, order: 0 });

    const { document, result } = roundTripOf(ws, TWO_FA);
    expect(document.entries.slice(0, before.entries.length)).toEqual(before.entries);
    expect(result.warnings.some((w) => /entry 8 .*deleted since the import; entry written back unchanged/.test(w))).toBe(true);
    expect(result.warnings.some((w) => w.includes('4 objects created since the import appended'))).toBe(true);
    const added = document.entries.slice(before.entries.length);
    expect(added.map((entry) => [entry.model, entry.id])).toEqual([
      ['authentik_policies_expression.expressionpolicy', 'policy-late-policy'],
      ['authentik_stages_deny.denystage', 'stage-late-deny'],
      ['authentik_flows.flowstagebinding', 'binding-default-authentication-flow-110'],
      ['authentik_policies.policybinding', 'policybinding-default-authentication-flow-110-0'],
    ]);
    expect(added[2]?.identifiers?.target).toEqual({ $tag: 'KeyOf', value: 'flow' });

    // The written-back file imports into a fresh workspace as the edited flow (the deleted binding
    // comes back: its entry is still in the file, as the warning says).
    const fresh = workspace();
    await importOk(fresh, [{ name: TWO_FA, text: result.files.find((f) => f.name === TWO_FA)?.text ?? '' }]);
    const graph = objectGraph(fresh);
    expect(graph.stages['late-deny']).toEqual({ kind: 'authentik_stages_deny.denystage', config: { deny_message: 'Go away' } });
    expect(Object.keys(graph.policyBindings)).toContain('default-authentication-flow/late-deny/110|policy:late-policy|0');
  });

  it('flows no stored blueprint holds go into an extra portable file', async () => {
    const ws = await withFixture(TWO_FA);
    const flow = ws.services.flows.create({ name: 'Fresh', slug: 'fresh', title: 'Fresh', designation: 'authentication' });
    const login = ws.services.stages.list().find((s) => s.name === 'default-authentication-login');
    ws.services.bindings.create({ target: flow.pk, stage: login?.pk ?? '', order: 10 });
    const result = exportBlueprint(ws, { style: 'round-trip', flows: ['fresh'] });
    expect(result.files.map((f) => f.name)).toEqual(['fresh.yaml']);
    expect(result.document.entries.map((e) => e.id)).toEqual(['flow-fresh', 'binding-fresh-10']);
    expect(result.document.entries[1]?.identifiers?.stage).toEqual({
      $tag: 'Find',
      args: ['authentik_stages_user_login.userloginstage', ['name', 'default-authentication-login']],
    });
  });
});

describe('what never leaves the workspace', () => {
  it('secrets: a portable export carries !Context keys, never the values', async () => {
    const ws = workspace();
    const flow = ws.services.flows.create({ name: 'Login', slug: 'login', title: 'Login', designation: 'authentication' });
    const captcha = ws.services.stages.create({
      name: 'captcha',
      kind: 'authentik_stages_captcha.captchastage',
      config: { public_key: 'public-site-key', private_key: '6Lc-PRIVATE-captcha-key-9f8e7d' },
    });
    const email = ws.services.stages.create({
      name: 'mail',
      kind: 'authentik_stages_email.emailstage',
      config: { host: 'smtp.example.com', username: 'bot', password: 'smtp-Sup3r-secret' },
    });
    ws.services.bindings.create({ target: flow.pk, stage: captcha.pk, order: 10 });
    ws.services.bindings.create({ target: flow.pk, stage: email.pk, order: 20 });

    const portable = exportBlueprint(ws, { style: 'portable', flows: ['login'] });
    for (const secret of ['6Lc-PRIVATE-captcha-key-9f8e7d', 'smtp-Sup3r-secret']) {
      expect(portable.text).not.toContain(secret);
      for (const style of ['authentik', 'round-trip'] as const) expect(exportBlueprint(ws, { style, now: NOW }).text).not.toContain(secret);
    }
    expect(portable.text).toContain('public-site-key');
    expect(portable.document.context).toEqual({ 'stage-captcha.private_key': '', 'stage-mail.password': '' });
    expect(portable.text).toContain('private_key: !Context stage-captcha.private_key');
    expect(portable.warnings.filter((w) => w.includes('secret replaced by !Context'))).toHaveLength(2);

    // Supplied as context on import, the secrets come back.
    const fresh = workspace();
    await importOk(fresh, [{ name: 'login.yaml', text: portable.text }], {
      context: { 'stage-captcha.private_key': '6Lc-PRIVATE-captcha-key-9f8e7d', 'stage-mail.password': 'smtp-Sup3r-secret' },
    });
    expect(objectGraph(fresh)).toEqual(objectGraph(ws));
  });

  it('users: exported without password hashes, with a warning', async () => {
    const ws = workspace();
    const group = ws.services.groups.create({ name: 'staff', is_superuser: true });
    const user = await ws.services.users.create({ username: 'alice', name: 'Alice', password: 'correct horse battery', groups: [group.pk] });
    await ws.services.users.create({ username: 'bob' });
    const hash = getPasswordHash(ws.db, user.pk);
    expect(hash).toMatch(/^\$argon2/);
    const flow = ws.services.flows.create({ name: 'Login', slug: 'login', title: 'Login', designation: 'authentication' });
    ws.services.policyBindings.create({ target: flow.pk, user: user.pk, order: 0 });

    for (const style of ['authentik', 'portable', 'round-trip'] as const) {
      const result = exportBlueprint(ws, { style, now: NOW });
      expect(result.text).not.toContain(hash);
      expect(result.text).not.toContain('argon2');
      expect(result.text).not.toMatch(/password/i);
      expect(result.warnings.join('\n')).toContain('without their passwords (Flowbench never exports password hashes); set them again after import: alice');
    }
    const portable = exportBlueprint(ws, { style: 'portable' });
    expect(portable.document.entries.map((e) => e.id)).toEqual(['flow-login', 'group-staff', 'user-alice', 'policybinding-login-0', 'user-bob']);
    const ids = portable.document.entries.map((e) => e.id);
    expect(ids.indexOf('group-staff')).toBeLessThan(ids.indexOf('user-alice'));
    expect(ids.indexOf('user-alice')).toBeLessThan(ids.indexOf('policybinding-login-0'));
    const fresh = workspace();
    await importOk(fresh, [{ name: 'w.yaml', text: portable.text }]);
    expect(objectGraph(fresh)).toEqual(objectGraph(ws));
    expect(fresh.services.users.list().every((u) => !u.has_usable_password)).toBe(true);

    // The authentik style too: same pks, no hashes.
    const authentik = exportBlueprint(ws, { style: 'authentik', now: NOW });
    const again = workspace();
    await importOk(again, [{ name: 'a.yaml', text: authentik.text }]);
    expect(objectGraph(again)).toEqual(objectGraph(ws));
    expect(again.services.users.list().map((u) => u.pk)).toEqual(ws.services.users.list().map((u) => u.pk));
  });

  it('users imported with a password_hash: the round trip leaves the hash out', async () => {
    const ws = workspace();
    const hash = 'pbkdf2_sha256$1000$saltsalt$hgR9HsqtKupWxpnv8y99TrPDajTT/9PcSTlNafpdLXQ=';
    const text = `version: 1
metadata:
  name: people
entries:
  - model: authentik_core.user
    identifiers:
      username: dave
    attrs:
      name: Dave
      password_hash: "${hash}"
`;
    await importOk(ws, [{ name: 'people.yaml', text }]);
    expect(await ws.services.users.checkPassword({ pk: ws.services.users.list()[0]?.pk ?? 0, password: 'secret' })).toEqual({ valid: true });
    const result = exportBlueprint(ws, { style: 'round-trip' });
    expect(result.text).not.toContain(hash);
    expect(result.warnings.join('\n')).toContain('password_hash is left out');
  });
});

describe('exports of imported fixtures', () => {
  it('unknown attrs kept on import are written back in every style', async () => {
    const ws = await withFixture(TWO_FA);
    for (const style of ['authentik', 'portable'] as const) {
      const result = exportBlueprint(ws, { style, now: NOW });
      const ident = result.document.entries.find((entry) => entry.model === 'authentik_stages_identification.identificationstage');
      expect(ident?.attrs?.template).toBe('stages/identification/login.html');
    }
  });

  it('unmodeled entries come back in whole-workspace exports, references rewritten', async () => {
    const ws = await withFixture('default/default-brand.yaml');
    const flows = new Map(ws.services.flows.list().map((flow) => [flow.slug, flow.pk]));
    for (const style of ['authentik', 'portable'] as const) {
      const result = exportBlueprint(ws, { style, now: NOW });
      const brand = result.document.entries.at(-1);
      expect(brand?.model).toBe('authentik_brands.brand');
      expect(brand?.attrs?.flow_authentication).toEqual({ $tag: 'Find', args: ['authentik_flows.flow', ['slug', 'default-authentication-flow']] });
      expect(result.document.entries.filter((e) => e.model === 'authentik_blueprints.metaapplyblueprint')).toEqual([]);
      expect(flows.size).toBeGreaterThan(0);
    }
    expect(exportBlueprint(ws, { style: 'portable', flows: ['default-authentication-flow'] }).document.entries.map((e) => e.model)).not.toContain(
      'authentik_brands.brand',
    );
  });

  it('several flows at once: dependencies first, each object once', async () => {
    const ws = await withFixture('default/flow-default-authentication-flow.yaml');
    const result = exportBlueprint(ws, { style: 'portable', flows: ['default-authentication-flow', 'default-password-change'] });
    const flowsInOrder = result.document.entries.filter((e) => e.model === 'authentik_flows.flow').map((e) => e.identifiers?.slug);
    expect(flowsInOrder).toEqual(['default-password-change', 'default-authentication-flow']);
    const password = result.document.entries.find((e) => e.id === 'stage-default-authentication-password');
    expect(password?.attrs?.configure_flow).toEqual({ $tag: 'KeyOf', value: 'flow-default-password-change' });
    const ids = result.document.entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('an unknown slug is a typed error', async () => {
    const ws = await withFixture(RECOVERY);
    expect(() => exportBlueprint(ws, { style: 'portable', flows: ['nope'] })).toThrow(ExportError);
  });
});
