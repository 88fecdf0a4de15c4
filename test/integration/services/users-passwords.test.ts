import * as argon2 from 'argon2';
import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createPasswordHasher,
  isUsablePasswordHash,
  makeUnusablePassword,
  OWASP_ARGON2ID,
  parseArgon2Phc,
} from '../../../src/main/auth/passwords';
import { failure, failureAsync, testWorkspace } from './support';

const MISSING_GROUP = '99999999-9999-4999-8999-999999999999';
const storedHash = (t: ReturnType<typeof testWorkspace>, pk: number) =>
  t.ws.db.prepare('SELECT password FROM users WHERE pk = ?').pluck().get(pk) as string | null;

describe('password hasher', () => {
  const hasher = createPasswordHasher();

  it('hashes with argon2id at the OWASP minimum and verifies', async () => {
    const hash = await hasher.hash('correct horse');
    expect(parseArgon2Phc(hash)).toEqual({ id: 'argon2id', version: 0x13, m: 19456, t: 2, p: 1 });
    expect(await hasher.verify(hash, 'correct horse')).toBe(true);
    expect(await hasher.verify(hash, 'Correct horse')).toBe(false);
    expect(hasher.needsRehash(hash)).toBe(false);
  });

  it('refuses parameters below the OWASP minimum', () => {
    expect(() => createPasswordHasher({ ...OWASP_ARGON2ID, memoryCost: 4096 })).toThrow(/OWASP/);
    expect(() => createPasswordHasher({ ...OWASP_ARGON2ID, timeCost: 1 })).toThrow(/OWASP/);
  });

  it('wants a rehash when stored parameters are below the current ones or the format is foreign', async () => {
    const weak = await argon2.hash('pw', {
      type: argon2.argon2id,
      memoryCost: 4096,
      timeCost: 1,
      parallelism: 1,
    });
    expect(hasher.needsRehash(weak)).toBe(true);
    const argon2i = await argon2.hash('pw', { type: argon2.argon2i, ...OWASP_ARGON2ID });
    expect(hasher.needsRehash(argon2i)).toBe(true);
    expect(hasher.needsRehash('pbkdf2_sha256$600000$salt$AAAA')).toBe(true);
    const stronger = createPasswordHasher({ ...OWASP_ARGON2ID, memoryCost: 32768 });
    expect(stronger.needsRehash(await hasher.hash('pw'))).toBe(true);
    // Stored parameters above the current ones are kept.
    expect(hasher.needsRehash(await stronger.hash('pw'))).toBe(false);
  });

  it('never matches unusable markers, null or garbage', async () => {
    const marker = makeUnusablePassword();
    expect(marker.startsWith('!')).toBe(true);
    expect(isUsablePasswordHash(marker)).toBe(false);
    expect(isUsablePasswordHash(null)).toBe(false);
    expect(await hasher.verify(marker, marker)).toBe(false);
    expect(await hasher.verify(null, '')).toBe(false);
    expect(await hasher.verify('plaintext', 'plaintext')).toBe(false);
    expect(await hasher.verify('$argon2id$v=19$m=19456,t=2,p=1$bad$bad', 'x')).toBe(false);
  });

  it('verifies the hash formats an authentik export carries (Django pbkdf2_sha256 and argon2$)', async () => {
    const salt = 'abcdefghijklmnop';
    const digest = pbkdf2Sync('secret', salt, 1000, 32, 'sha256').toString('base64');
    expect(await hasher.verify(`pbkdf2_sha256$1000$${salt}$${digest}`, 'secret')).toBe(true);
    expect(await hasher.verify(`pbkdf2_sha256$1000$${salt}$${digest}`, 'wrong')).toBe(false);
    const django = `argon2${await argon2.hash('secret', { type: argon2.argon2id, memoryCost: 8192, timeCost: 1, parallelism: 1 })}`;
    expect(await hasher.verify(django, 'secret')).toBe(true);
  });

  it('hashes off the main thread (the event loop keeps turning)', async () => {
    let ticks = 0;
    let running = true;
    const spin = () => {
      if (!running) return;
      ticks += 1;
      setImmediate(spin);
    };
    spin();
    await hasher.hash('while the UI keeps working');
    running = false;
    expect(ticks).toBeGreaterThan(3);
  });
});

describe('users service', () => {
  it('creates a user without a password: unusable, dates from the clock', async () => {
    const t = testWorkspace();
    const user = await t.s.users.create({ username: 'ada', email: 'ada@example.com' });
    expect(user).toEqual({
      pk: 1,
      username: 'ada',
      name: '',
      email: 'ada@example.com',
      is_active: true,
      type: 'internal',
      path: 'users',
      attributes: {},
      groups: [],
      has_usable_password: false,
      password_change_date: null,
      last_login: null,
      date_joined: '2025-03-01T12:00:01.000Z',
    });
    expect(await t.s.users.checkPassword({ pk: user.pk, password: '' })).toEqual({ valid: false });
  });

  it('creates a user with a password, which then checks true and false', async () => {
    const t = testWorkspace();
    const user = await t.s.users.create({ username: 'ada', password: 'hunter2' });
    expect(user.has_usable_password).toBe(true);
    expect(user.password_change_date).toBe(user.date_joined);
    expect(await t.s.users.checkPassword({ pk: user.pk, password: 'hunter2' })).toEqual({
      valid: true,
    });
    expect(await t.s.users.checkPassword({ pk: user.pk, password: 'hunter3' })).toEqual({
      valid: false,
    });
    expect(storedHash(t, user.pk)).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  });

  it('never exposes the hash', async () => {
    const t = testWorkspace();
    const user = await t.s.users.create({ username: 'ada', password: 'hunter2' });
    const hash = storedHash(t, user.pk) ?? '';
    for (const value of [user, t.s.users.get(user.pk), t.s.users.list()]) {
      const json = JSON.stringify(value);
      expect(json).not.toContain(hash);
      expect(json).not.toContain('argon2');
      expect(json).not.toContain('hunter2');
    }
  });

  it('refuses a duplicate username (CONFLICT) and unknown groups (NOT_FOUND)', async () => {
    const t = testWorkspace();
    await t.s.users.create({ username: 'ada' });
    expect(
      await failureAsync(() => t.s.users.create({ username: 'ada', password: 'x' })),
    ).toMatchObject({
      code: 'CONFLICT',
      message: 'A user with username "ada" already exists.',
    });
    expect(
      await failureAsync(() => t.s.users.create({ username: 'bob', groups: [MISSING_GROUP] })),
    ).toMatchObject({
      code: 'NOT_FOUND',
      message: `Group "${MISSING_GROUP}" does not exist.`,
    });
    expect(t.s.users.list().map((u) => u.username)).toEqual(['ada']);
  });

  it('updates profile fields and group memberships', async () => {
    const t = testWorkspace();
    const staff = t.s.groups.create({ name: 'staff' });
    const admins = t.s.groups.create({ name: 'admins' });
    const user = await t.s.users.create({ username: 'ada', groups: [staff.pk] });
    const updated = t.s.users.update({
      pk: user.pk,
      patch: { name: 'Ada Lovelace', groups: [staff.pk, admins.pk], attributes: { a: 1 } },
    });
    expect(updated).toEqual({
      ...user,
      name: 'Ada Lovelace',
      groups: [admins.pk, staff.pk],
      attributes: { a: 1 },
    });
    expect(t.s.users.update({ pk: user.pk, patch: { is_active: false } }).groups).toEqual([
      admins.pk,
      staff.pk,
    ]);
    const other = await t.s.users.create({ username: 'bob' });
    expect(failure(() => t.s.users.update({ pk: other.pk, patch: { username: 'ada' } })).code).toBe(
      'CONFLICT',
    );
    expect(failure(() => t.s.users.get(999)).message).toBe('User 999 does not exist.');
  });

  it('sets a new password (and password_change_date); null makes it unusable and keeps the date', async () => {
    const t = testWorkspace();
    const user = await t.s.users.create({ username: 'ada', password: 'old' });
    const changed = await t.s.users.setPassword({ pk: user.pk, password: 'new' });
    expect(changed.password_change_date).not.toBe(user.password_change_date);
    expect(await t.s.users.checkPassword({ pk: user.pk, password: 'old' })).toEqual({
      valid: false,
    });
    expect(await t.s.users.checkPassword({ pk: user.pk, password: 'new' })).toEqual({
      valid: true,
    });

    const unusable = await t.s.users.setPassword({ pk: user.pk, password: null });
    expect(unusable.has_usable_password).toBe(false);
    expect(unusable.password_change_date).toBe(changed.password_change_date);
    expect(storedHash(t, user.pk)).toMatch(/^!/);
    expect(await t.s.users.checkPassword({ pk: user.pk, password: 'new' })).toEqual({
      valid: false,
    });
    expect(
      await failureAsync(() => t.s.users.setPassword({ pk: 999, password: 'x' })),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await failureAsync(() => t.s.users.checkPassword({ pk: 999, password: 'x' })),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('rehashes a hash made with lower parameters on a successful check, not on a failed one', async () => {
    const t = testWorkspace();
    const user = await t.s.users.create({ username: 'ada' });
    const weak = await argon2.hash('pw', {
      type: argon2.argon2id,
      memoryCost: 4096,
      timeCost: 1,
      parallelism: 1,
    });
    t.ws.db.prepare('UPDATE users SET password = ? WHERE pk = ?').run(weak, user.pk);

    expect(await t.s.users.checkPassword({ pk: user.pk, password: 'wrong' })).toEqual({
      valid: false,
    });
    expect(storedHash(t, user.pk)).toBe(weak);

    t.events.length = 0;
    expect(await t.s.users.checkPassword({ pk: user.pk, password: 'pw' })).toEqual({ valid: true });
    const upgraded = storedHash(t, user.pk) ?? '';
    expect(upgraded).not.toBe(weak);
    expect(parseArgon2Phc(upgraded)).toMatchObject({ id: 'argon2id', m: 19456, t: 2, p: 1 });
    expect(await t.s.users.checkPassword({ pk: user.pk, password: 'pw' })).toEqual({ valid: true });
    expect(t.s.users.get(user.pk).password_change_date).toBeNull(); // a rehash is not a password change
    expect(t.events).toEqual([]);
  });

  it('upgrades when the current parameters are raised', async () => {
    const t = testWorkspace();
    const user = await t.s.users.create({ username: 'ada', password: 'pw' });
    const before = storedHash(t, user.pk);
    const raised = testWorkspace({
      hasher: createPasswordHasher({ ...OWASP_ARGON2ID, memoryCost: 24576 }),
    });
    // Same file contents in a workspace whose hasher wants more memory.
    const again = await raised.s.users.create({ username: 'ada' });
    raised.ws.db.prepare('UPDATE users SET password = ? WHERE pk = ?').run(before, again.pk);
    expect(await raised.s.users.checkPassword({ pk: again.pk, password: 'pw' })).toEqual({
      valid: true,
    });
    expect(parseArgon2Phc(storedHash(raised, again.pk) ?? '')).toMatchObject({ m: 24576 });
  });

  it('upgrades an imported Django pbkdf2 hash to argon2id', async () => {
    const t = testWorkspace();
    const user = await t.s.users.create({ username: 'ada' });
    const digest = pbkdf2Sync('pw', 'salty', 1000, 32, 'sha256').toString('base64');
    t.ws.db
      .prepare('UPDATE users SET password = ? WHERE pk = ?')
      .run(`pbkdf2_sha256$1000$salty$${digest}`, user.pk);
    expect(await t.s.users.checkPassword({ pk: user.pk, password: 'pw' })).toEqual({ valid: true });
    expect(storedHash(t, user.pk)).toMatch(/^\$argon2id\$/);
  });

  it('deletes a user with its memberships', async () => {
    const t = testWorkspace();
    const group = t.s.groups.create({ name: 'staff' });
    const user = await t.s.users.create({ username: 'ada', groups: [group.pk] });
    t.s.users.delete(user.pk);
    expect(t.ws.db.prepare('SELECT count(*) FROM user_groups').pluck().get()).toBe(0);
    expect(t.s.groups.list()).toHaveLength(1);
    expect(failure(() => t.s.users.delete(user.pk)).code).toBe('NOT_FOUND');
  });
});
