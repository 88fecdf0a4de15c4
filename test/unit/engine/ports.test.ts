import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ManualClock,
  MemoryCache,
  MemoryEventLog,
  MemoryReputationStore,
  nullCache,
  SeededRandom,
  systemClock,
  systemRandom,
} from '../../../src/main/engine/memory';
import {
  isReservedContextKey,
  PLAN_CONTEXT_PENDING_USER,
  PLAN_CONTEXT_PROMPT,
  RESERVED_CONTEXT_KEYS,
} from '../../../src/main/engine';
import {
  anonymousUser,
  isUserRef,
  placeholderUser,
  resolveUserRef,
  UnknownUserError,
  userRef,
} from '../../../src/main/engine/users';
import { World } from './fixtures';

describe('ManualClock', () => {
  it('fires timers in time order only when advanced', async () => {
    const clock = new ManualClock({ start: 0 });
    const order: string[] = [];
    void clock.sleep(300).then(() => order.push('300'));
    void clock.sleep(100).then(() => order.push('100'));
    await clock.advance(99);
    expect(order).toEqual([]);
    await clock.advance(1);
    expect(order).toEqual(['100']);
    expect(clock.now()).toBe(100);
    await clock.runAll();
    expect(order).toEqual(['100', '300']);
    expect(clock.now()).toBe(300);
  });

  it('an aborted sleep rejects and leaves no timer', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.pendingTimers).toBe(0);
  });

  it('autoAdvance runs sleeping code to completion without real waiting', async () => {
    const clock = new ManualClock({ start: 0, autoAdvance: true });
    const started = Date.now();
    await clock.sleep(3_600_000);
    expect(clock.now()).toBe(3_600_000);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('the system clock sleeps for real and can be aborted', async () => {
    const before = systemClock.now();
    await systemClock.sleep(5);
    expect(systemClock.now()).toBeGreaterThanOrEqual(before + 4);
    const controller = new AbortController();
    const pending = systemClock.sleep(60_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toBeDefined();
  });
});

describe('Random', () => {
  it('int follows randrange: [min, max), empty ranges raise', () => {
    const random = new SeededRandom(7);
    for (let i = 0; i < 200; i += 1) {
      const n = random.int(5, 8);
      expect(n).toBeGreaterThanOrEqual(5);
      expect(n).toBeLessThan(8);
    }
    expect(() => random.int(3, 3)).toThrow('empty range in randrange(3, 3)');
    expect(() => systemRandom.int(4, 2)).toThrow(RangeError);
  });

  it('is deterministic per seed and makes v4 UUIDs', () => {
    expect(new SeededRandom(3).uuid()).toBe(new SeededRandom(3).uuid());
    expect(new SeededRandom(3).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(systemRandom.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
  });
});

describe('MemoryCache', () => {
  it('stores JSON copies, expires on the clock, clears by prefix', () => {
    const clock = new ManualClock({ start: 0 });
    const cache = new MemoryCache(clock, 10);
    const value = { a: [1, 2] };
    cache.set('p/1', value);
    cache.set('q/1', 1, 100);
    value.a.push(3);
    expect(cache.get('p/1')).toEqual({ a: [1, 2] });
    expect(cache.keys('p/')).toEqual(['p/1']);
    clock.set(10_000);
    expect(cache.get('p/1')).toBeUndefined();
    expect(cache.get('q/1')).toBe(1);
    cache.clear('q/');
    expect(cache.keys()).toEqual([]);
    expect(nullCache.get('x')).toBeUndefined();
  });
});

describe('MemoryEventLog', () => {
  it('appends with pk and time, queries newest first with filters and limits', () => {
    const clock = new ManualClock({ start: '2025-01-01T00:00:00Z' });
    const log = new MemoryEventLog(clock, new SeededRandom(1));
    const base = { client_ip: null, app: 'test', model: null };
    log.append({ ...base, action: 'login', user: { pk: 1, username: 'a', email: '' }, context: { geo: { lat: 1, long: 2 } } });
    clock.set('2025-01-02T00:00:00Z');
    log.append({ ...base, action: 'login', user: { pk: 1, username: 'a', email: '' }, context: {} });
    log.append({ ...base, action: 'logout', user: { pk: 2, username: 'b', email: '' }, context: {} });
    expect(log.query({ action: 'login', user_pk: 1 }).map((e) => e.created)).toEqual(['2025-01-02T00:00:00.000Z', '2025-01-01T00:00:00.000Z']);
    expect(log.query({ action: 'login', context_has: 'geo' })).toHaveLength(1);
    expect(log.query({ order: 'oldest', limit: 1 })[0]?.action).toBe('login');
    expect(log.query({ user_pk: 2 })[0]?.pk).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('MemoryReputationStore', () => {
  it('sums records matching ip OR identifier, each once', () => {
    const clock = new ManualClock({ start: 0 });
    const store = new MemoryReputationStore(clock, 60);
    store.update('alice', '10.0.0.1', -1);
    store.update('alice', '10.0.0.1', -1);
    store.update('bob', '10.0.0.1', 1);
    store.update('alice', '10.0.0.2', -3);
    expect(store.score({ identifier: 'alice' })).toBe(-5);
    expect(store.score({ ip: '10.0.0.1' })).toBe(-1);
    expect(store.score({ ip: '10.0.0.1', identifier: 'alice' })).toBe(-4);
    expect(store.score({})).toBe(-4);
    clock.set(61_000);
    expect(store.score({})).toBe(0);
    expect(store.records()).toEqual([]);
  });
});

describe('MemoryWorkspace', () => {
  it('orders flows by slug, bindings by order then pk, and lists groups with ancestors (cycle-safe)', () => {
    const world = new World();
    world.flow({ slug: 'b', designation: 'recovery' });
    world.flow({ slug: 'a', designation: 'recovery' });
    expect(world.ws.flowsByDesignation('recovery').map((f) => f.slug)).toEqual(['a', 'b']);
    const flow = world.flow();
    const x = world.bind(flow, { order: 5 });
    const y = world.bind(flow, { order: 1 });
    const z = world.bind(flow, { order: 5 });
    expect(world.ws.flowStageBindings(flow.pk).map((b) => b.pk)).toEqual([y.pk, x.pk, z.pk]);
    const root = world.group();
    const child = world.group({ parent: root.pk });
    world.ws.put('group', { ...root, parent: child.pk });
    const user = world.user({ groups: [child.pk] });
    expect(world.ws.userGroups(user.pk!).map((g) => g.pk).sort()).toEqual([child.pk, root.pk].sort());
  });

  it('finds users by filters, case-insensitively on request', () => {
    const world = new World();
    const alice = world.user({ username: 'Alice', email: 'alice@example.com' });
    expect(world.ws.findUsers({ username: 'alice' })).toEqual([]);
    expect(world.ws.findUsers({ username: 'alice', iexact: true }).map((u) => u.pk)).toEqual([alice.pk]);
    expect(world.ws.findUsers({ email: 'alice@example.com', is_active: true })).toHaveLength(1);
  });

  it('snapshot() is an independent copy', () => {
    const world = new World();
    const user = world.user();
    const copy = world.ws.snapshot();
    world.ws.setUnusablePassword(user.pk!);
    expect(copy.users?.find((u) => u.pk === user.pk)?.has_usable_password).toBe(true);
    expect(world.ws.userByPk(user.pk!)?.has_usable_password).toBe(false);
  });
});

describe('users and references', () => {
  it('derives is_superuser through ancestor groups', () => {
    const world = new World();
    const admins = world.group({ is_superuser: true });
    const sub = world.group({ parent: admins.pk });
    expect(world.user({ groups: [sub.pk] }).is_superuser).toBe(true);
    expect(world.user().is_superuser).toBe(false);
  });

  it('references users as JSON and resolves them back', () => {
    const world = new World();
    const user = world.user();
    expect(userRef(user)).toEqual({ $user: user.pk });
    expect(userRef(anonymousUser())).toEqual({ $user: 'anonymous' });
    const ghost = placeholderUser({ username: 'ghost', email: 'g@example.com' });
    expect(userRef(ghost)).toEqual({ $user: 'placeholder', data: { username: 'ghost', email: 'g@example.com' } });
    expect(resolveUserRef(world.ws, userRef(user)).username).toBe(user.username);
    expect(resolveUserRef(world.ws, userRef(ghost))).toMatchObject({ username: 'ghost', saved: false, pk: null });
    expect(() => resolveUserRef(world.ws, { $user: 987_654 })).toThrow(UnknownUserError);
    expect(isUserRef({ $user: 'nobody' })).toBe(false);
    expect(isUserRef({ $user: 1.5 })).toBe(false);
  });
});

describe('reserved context keys (spec §3.2)', () => {
  it('lists every key once, with constants for the common ones', () => {
    const keys = RESERVED_CONTEXT_KEYS.map((k) => k.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of ['pending_user', 'pending_user_identifier', 'prompt_data', 'application', 'redirect', 'is_sso', 'is_restored', 'is_redirected', 'redirect_stage_target', 'source', 'device', 'outpost', 'flow_plan', 'user_backend', 'auth_method', 'auth_method_args', 'consent_header', 'consent_permissions', 'consent_additional_permissions', 'consent', 'deny_message', 'email', 'email_sent', 'groups', 'user_path', 'user_type', 'captcha', 'invitation', 'invitation_in_effect', 'title', 'url', 'attrs']) {
      expect(keys).toContain(key);
    }
    expect(PLAN_CONTEXT_PENDING_USER).toBe('pending_user');
    expect(PLAN_CONTEXT_PROMPT).toBe('prompt_data');
    expect(isReservedContextKey('goauthentik.io/anything')).toBe(true);
    expect(isReservedContextKey('my_key')).toBe(false);
  });
});

describe('engine boundaries', () => {
  it('engine code imports no Node built-ins, store, services, transport, Electron or React', () => {
    const root = join(__dirname, '../../../src/main/engine');
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(10);
    const forbidden = /from '(node:[^']*|fs|path|os|crypto|child_process|electron|react|better-sqlite3|[^']*\/(store|services|transport|app)(\/[^']*)?)'/;
    const offenders = files.filter((f) => forbidden.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });
});
