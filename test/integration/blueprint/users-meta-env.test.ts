import { describe, expect, it } from 'vitest';
import { actions, blueprintWorkspace, entries, file, fixture, importFails, importOk } from './support';

const blueprint = (body: string, top = ''): string => `version: 1\n${top}entries:\n${body}`;

describe('users and groups', () => {
  const team = blueprint(`- model: authentik_core.group
  id: parent
  identifiers: {name: Engineering}
  attrs: {is_superuser: true, attributes: {cost_center: 42}}
- model: authentik_core.group
  id: child
  identifiers: {name: Platform}
  attrs: {parent: !KeyOf parent}
- model: authentik_core.group
  identifiers: {name: Newer}
  attrs: {parents: [!KeyOf parent]}
- model: authentik_core.user
  identifiers: {username: alice}
  attrs:
    name: Alice
    email: alice@example.com
    password: correct horse battery staple
    groups: [!KeyOf child]
    attributes: {settings: {locale: de}}
    type: internal
    path: users/eng
- model: authentik_core.user
  identifiers: {pk: 4242}
  attrs: {username: bob, is_active: false, password: !Context bob_password}
`);

  it('creates users with hashed passwords, groups with parents; re-import is unchanged', async () => {
    const ws = blueprintWorkspace();
    const report = await importOk(ws, [file('team.yaml', team)], { context: { bob_password: 's3cret-bob' } });
    expect(actions(report)).toEqual(['created', 'created', 'created', 'created', 'created']);

    const groups = Object.fromEntries(ws.services.groups.list().map((g) => [g.name, g]));
    expect(groups.Engineering).toMatchObject({ is_superuser: true, parent: null, attributes: { cost_center: 42 } });
    expect(groups.Platform?.parent).toBe(groups.Engineering?.pk);
    expect(groups.Newer?.parent).toBe(groups.Engineering?.pk);

    const alice = ws.services.users.list().find((u) => u.username === 'alice');
    expect(alice).toMatchObject({
      name: 'Alice',
      email: 'alice@example.com',
      groups: [groups.Platform?.pk],
      attributes: { settings: { locale: 'de' } },
      type: 'internal',
      path: 'users/eng',
      has_usable_password: true,
    });
    expect(ws.services.users.get(4242)).toMatchObject({ username: 'bob', is_active: false, has_usable_password: true });
    await expect(ws.services.users.checkPassword({ pk: alice?.pk ?? 0, password: 'correct horse battery staple' })).resolves.toEqual({ valid: true });
    await expect(ws.services.users.checkPassword({ pk: 4242, password: 's3cret-bob' })).resolves.toEqual({ valid: true });
    await expect(ws.services.users.checkPassword({ pk: 4242, password: 'wrong' })).resolves.toEqual({ valid: false });

    // The stored hash verifies against the file's password, so nothing is rewritten.
    const again = await importOk(ws, [file('team.yaml', team)], { context: { bob_password: 's3cret-bob' } });
    expect(actions(again)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);

    const changed = await importOk(ws, [file('team.yaml', team)], { context: { bob_password: 'new-password' } });
    expect(entries(changed)[4]?.action).toBe('updated');
    await expect(ws.services.users.checkPassword({ pk: 4242, password: 'new-password' })).resolves.toEqual({ valid: true });
    // The snapshot never carries a password.
    const stored = ws.services.blueprints.get(ws.services.blueprints.list()[0]?.pk ?? '');
    expect(stored.entries[3]?.snapshot).not.toHaveProperty('password');
    expect(JSON.stringify(stored)).not.toContain('new-password');
  });

  it('refuses a group with several parents, with a message saying why', async () => {
    const ws = blueprintWorkspace();
    const report = await importFails(ws, [
      file(
        'parents.yaml',
        blueprint(`- model: authentik_core.group
  id: a
  identifiers: {name: A}
- model: authentik_core.group
  id: b
  identifiers: {name: B}
- model: authentik_core.group
  identifiers: {name: C}
  attrs: {parents: [!KeyOf a, !KeyOf b]}
`),
      ),
    ]);
    expect(report.issues[0]).toMatchObject({ entryIndex: 2, code: 'unsupported', path: 'attrs.parents' });
    expect(report.issues[0]?.message).toContain('one parent');
  });

  it('a password from a tag that needs the workspace cannot be hashed up front', async () => {
    const ws = blueprintWorkspace();
    const report = await importFails(ws, [
      file(
        'pw.yaml',
        blueprint(`- model: authentik_core.user
  identifiers: {username: carol}
  attrs: {password: !Find [authentik_core.user, [username, akadmin]]}
`),
      ),
    ]);
    expect(report.issues[0]).toMatchObject({ code: 'password-unresolvable', path: 'attrs.password', entryIndex: 0 });
  });

  it('refuses non-integer user pks', async () => {
    const ws = blueprintWorkspace();
    const report = await importFails(ws, [
      file('pk.yaml', blueprint(`- model: authentik_core.user\n  identifiers: {pk: not-a-number, username: dave}\n`)),
    ]);
    expect(report.issues[0]).toMatchObject({ code: 'invalid-value', path: 'identifiers.pk' });
    expect(report.issues[0]?.message).toContain('integers');
  });
});

describe('metaapplyblueprint', () => {
  const requiring = (identifiers: string, required = ''): string =>
    blueprint(`- model: authentik_blueprints.metaapplyblueprint
  attrs:
    identifiers: {${identifiers}}
${required ? `    required: ${required}\n` : ''}- model: authentik_stages_dummy.dummystage
  identifiers: {name: after-meta}
`);

  it('is satisfied by a blueprint stored in the workspace, by name or by path', async () => {
    const ws = blueprintWorkspace();
    await importOk(ws, [fixture('default/flow-password-change.yaml')]);
    const byName = await importOk(ws, [file('a.yaml', requiring('name: Default - Password change flow'))]);
    expect(entries(byName)[0]).toMatchObject({ action: 'meta', note: 'requires Default - Password change flow: present' });
    const byPath = await importOk(ws, [file('b.yaml', requiring('path: default/flow-password-change.yaml'))]);
    expect(entries(byPath)[0]?.action).toBe('meta');
  });

  it('is satisfied by an earlier file of the same import', async () => {
    const ws = blueprintWorkspace();
    const report = await importOk(ws, [fixture('default/flow-password-change.yaml'), file('a.yaml', requiring('name: Default - Password change flow'))]);
    expect(entries(report, 1)[0]?.action).toBe('meta');
  });

  it('missing and not required: skipped with a warning', async () => {
    const ws = blueprintWorkspace();
    const report = await importOk(ws, [file('a.yaml', requiring('name: Somewhere else', 'false'))]);
    expect(actions(report)).toEqual(['skipped', 'created']);
    expect(entries(report)[0]?.warnings[0]).toContain('"Somewhere else", which is not in the workspace');
  });

  it('missing and required: an error naming the blueprint to import first', async () => {
    const ws = blueprintWorkspace();
    const report = await importFails(ws, [file('a.yaml', requiring('name: Default - Authentication flow'))]);
    expect(report.issues[0]).toMatchObject({ code: 'meta-blueprint-missing', entryIndex: 0, path: 'attrs.identifiers' });
    expect(report.issues[0]?.message).toContain('"Default - Authentication flow"');
    expect(report.issues[0]?.hint).toContain('Import the blueprint "Default - Authentication flow" first');
    expect(ws.services.stages.list()).toEqual([]);
  });
});

describe('!Env and !File need explicit values', () => {
  const text = blueprint(`- model: authentik_stages_email.emailstage
  identifiers: {name: mail}
  attrs:
    host: !Env SMTP_HOST
    password: !File [/run/secrets/smtp, unused-default]
`);

  it('without a value: an error with a hint, even when the tag has a default', async () => {
    const ws = blueprintWorkspace();
    process.env.SMTP_HOST = 'from-this-machine';
    try {
      const report = await importFails(ws, [file('env.yaml', text)]);
      expect(report.issues[0]).toMatchObject({ code: 'ENV_NEEDS_VALUE', path: 'attrs.host', line: 6 });
      expect(report.issues[0]?.hint).toContain('env:NAME=value');
      expect(ws.services.stages.list()).toEqual([]);
    } finally {
      delete process.env.SMTP_HOST;
    }
  });

  it('with explicit values: used, and not stored in the blueprint document or context', async () => {
    const ws = blueprintWorkspace();
    await importOk(ws, [file('env.yaml', text)], {
      explicit: { env: { SMTP_HOST: 'smtp.example.com' }, files: { '/run/secrets/smtp': '  hunter2\n' } },
    });
    const stage = ws.services.stages.list()[0];
    expect(stage?.config).toMatchObject({ host: 'smtp.example.com', password: 'hunter2' });
    const stored = ws.services.blueprints.get(ws.services.blueprints.list()[0]?.pk ?? '');
    // The document keeps the tags; the values only reach the object (and its snapshot, which is
    // the object's state, like the stages row itself).
    expect(JSON.stringify([stored.document, stored.context])).not.toMatch(/smtp\.example\.com|hunter2/);
    expect(stored.document.entries[0]).toMatchObject({ attrs: { host: { $tag: 'Env', value: 'SMTP_HOST' } } });
  });
});
