import { describe, expect, it, vi } from 'vitest';
import { procedureNames, RpcFailure, type ProcedureName } from '@shared/contract';
import { type CallContext, type Handlers } from '../../../src/main/api/handler-types';
import { createDispatcher } from '../../../src/main/transport/dispatcher';
import { isSecretKey, redact, REDACTED, type Logger } from '../../../src/main/transport/logger';

const ctx: CallContext = { transport: 'in-process' };
const FLOW_PK = '0b6c4a2e-3f1d-4c6b-9d2a-1e5f7a8b9c0d';

const flow = {
  pk: FLOW_PK,
  name: 'Login',
  slug: 'login',
  title: 'Welcome',
  designation: 'authentication',
  policy_engine_mode: 'any',
  compatibility_mode: false,
  layout: 'stacked',
  denied_action: 'message_continue',
  authentication: 'none',
  background: '',
} as const;

/** Every procedure answers "not implemented" unless overridden. */
function handlersWith(overrides: Partial<Record<ProcedureName, (input: never, ctx: CallContext) => unknown>>): Handlers {
  const table: Record<string, unknown> = {};
  for (const name of procedureNames) {
    table[name] = overrides[name] ?? (() => {
      throw new RpcFailure('INTERNAL', `${name} not implemented in this test`);
    });
  }
  return table as Handlers;
}

function recordingLogger() {
  const entries: { level: string; message: string; details?: Record<string, unknown> }[] = [];
  const logger: Logger = {
    error: (message, details) => entries.push({ level: 'error', message, details }),
    warn: (message, details) => entries.push({ level: 'warn', message, details }),
  };
  return { logger, entries };
}

describe('createDispatcher', () => {
  it('refuses to start when a handler is missing', () => {
    const table = handlersWith({}) as Record<string, unknown>;
    delete table['flows.list'];
    expect(() => createDispatcher(table as Handlers)).toThrow(/flows\.list/);
  });

  it.each(['nope.nothing', '__proto__', 'constructor', 'toString', 'hasOwnProperty', ''])('answers UNKNOWN_PROCEDURE for %j', async (name) => {
    const dispatcher = createDispatcher(handlersWith({}));
    const result = await dispatcher.call(name, undefined, ctx);
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PROCEDURE' } });
  });

  it('answers UNKNOWN_PROCEDURE for a non-string name without throwing', async () => {
    const dispatcher = createDispatcher(handlersWith({}));
    const result = await dispatcher.call(42 as unknown as string, undefined, ctx);
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PROCEDURE' } });
  });

  it('passes the parsed input (defaults applied) and the context to the handler', async () => {
    const seen = vi.fn((input: unknown) => ({ ...(input as object), pk: FLOW_PK }));
    const dispatcher = createDispatcher(handlersWith({ 'flows.create': seen }));
    const result = await dispatcher.call('flows.create', { name: 'Login', slug: 'login', title: 'Welcome', designation: 'authentication' }, ctx);
    expect(result).toEqual({ ok: true, value: flow });
    expect(seen).toHaveBeenCalledWith(expect.objectContaining({ policy_engine_mode: 'any', layout: 'stacked' }), ctx);
  });

  it('answers INVALID_INPUT with issue paths, without calling the handler', async () => {
    const handler = vi.fn();
    const dispatcher = createDispatcher(handlersWith({ 'flows.create': handler }));
    const result = await dispatcher.call('flows.create', { name: '', slug: 'bad slug!', title: 'x', designation: 'nope', extra: 1 }, ctx);
    expect(handler).not.toHaveBeenCalled();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_INPUT');
    const paths = result.error.issues?.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'slug', 'designation']));
    expect(result.error.issues?.every((issue) => typeof issue.message === 'string' && issue.message.length > 0)).toBe(true);
    expect(result.error.message).toMatch(/flows\.create/);
  });

  it('keeps nested paths and numeric indexes in issues', async () => {
    const dispatcher = createDispatcher(handlersWith({}));
    const result = await dispatcher.call('bindings.reorder', { flow: FLOW_PK, order: [FLOW_PK, 'not-a-uuid'] }, ctx);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: ['order', 1] }] } });
  });

  it('does not echo input values in the error', async () => {
    const dispatcher = createDispatcher(handlersWith({}));
    const result = await dispatcher.call('users.setPassword', { pk: 'hunter2-is-my-password', password: 12345 }, ctx);
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect(JSON.stringify(result)).not.toContain('12345');
  });

  it('maps an RpcFailure to its code, message and issues', async () => {
    const dispatcher = createDispatcher(
      handlersWith({
        'flows.get': () => {
          throw new RpcFailure('NOT_FOUND', 'No flow with that pk.');
        },
        'flows.delete': () => {
          throw new RpcFailure('IN_USE', 'Flow is in use.', [{ path: ['pk'], message: 'bound' }]);
        },
      }),
    );
    expect(await dispatcher.call('flows.get', { pk: FLOW_PK }, ctx)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No flow with that pk.' } });
    expect(await dispatcher.call('flows.delete', { pk: FLOW_PK }, ctx)).toEqual({
      ok: false,
      error: { code: 'IN_USE', message: 'Flow is in use.', issues: [{ path: ['pk'], message: 'bound' }] },
    });
  });

  it('recognises an RpcFailure from another copy of the module by shape', async () => {
    const foreign = Object.assign(new Error('Slug taken.'), { name: 'RpcFailure', code: 'CONFLICT' });
    const dispatcher = createDispatcher(handlersWith({ 'flows.get': () => Promise.reject(foreign) }));
    expect(await dispatcher.call('flows.get', { pk: FLOW_PK }, ctx)).toEqual({ ok: false, error: { code: 'CONFLICT', message: 'Slug taken.' } });
  });

  it('turns any other error into INTERNAL without leaking message, stack or input, and logs it', async () => {
    const { logger, entries } = recordingLogger();
    const dispatcher = createDispatcher(
      handlersWith({
        'users.setPassword': () => {
          throw new Error('SQLITE_CORRUPT at /home/me/secret-path.db');
        },
      }),
      { logger },
    );
    const result = await dispatcher.call('users.setPassword', { pk: 7, password: 'correct horse battery' }, ctx);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    const text = JSON.stringify(result);
    expect(text).not.toContain('SQLITE_CORRUPT');
    expect(text).not.toContain('secret-path');
    expect(text).not.toContain('correct horse');
    expect(text).not.toMatch(/at .*\.ts:\d+/);
    expect(entries).toHaveLength(1);
    const logged = JSON.stringify(entries[0]);
    expect(logged).toContain('SQLITE_CORRUPT');
    expect(logged).toContain('users.setPassword');
    expect(logged).not.toContain('correct horse');
    expect(entries[0]?.details?.input).toEqual({ pk: 7, password: REDACTED });
  });

  it('handles thrown non-errors and rejected promises', async () => {
    const { logger, entries } = recordingLogger();
    const dispatcher = createDispatcher(
      handlersWith({
        'flows.list': () => {
          throw 'a string';
        },
        'users.list': () => Promise.reject(new TypeError('boom')),
      }),
      { logger },
    );
    expect(await dispatcher.call('flows.list', undefined, ctx)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(await dispatcher.call('users.list', undefined, ctx)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(entries).toHaveLength(2);
  });

  it('treats a handler output of the wrong shape as INTERNAL and logs paths, not values', async () => {
    const { logger, entries } = recordingLogger();
    const dispatcher = createDispatcher(handlersWith({ 'flows.get': () => ({ ...flow, designation: 'top-secret-value' }) }), { logger });
    const result = await dispatcher.call('flows.get', { pk: FLOW_PK }, ctx);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(entries).toHaveLength(1);
    expect(entries[0]?.message).toMatch(/output schema/);
    expect(JSON.stringify(entries[0])).toContain('designation');
    expect(JSON.stringify(entries)).not.toContain('top-secret-value');
  });

  it('strips keys the output schema does not declare (a password hash never leaves)', async () => {
    const user = {
      pk: 7,
      username: 'akadmin',
      name: '',
      email: '',
      is_active: true,
      type: 'internal',
      path: 'users',
      attributes: {},
      groups: [],
      has_usable_password: true,
      password_change_date: null,
      last_login: null,
      date_joined: '2025-01-01T00:00:00Z',
      password: 'argon2id$v=19$...',
    };
    const dispatcher = createDispatcher(handlersWith({ 'users.get': () => user }));
    const result = await dispatcher.call('users.get', { pk: 7 }, ctx);
    expect(result.ok).toBe(true);
    expect(JSON.stringify(result)).not.toContain('argon2id');
  });

  it('never throws, even when the logger does', async () => {
    const dispatcher = createDispatcher(
      handlersWith({
        'flows.list': () => {
          throw new Error('x');
        },
      }),
      {
        logger: {
          error: () => {
            throw new Error('logger down');
          },
        },
      },
    );
    await expect(dispatcher.call('flows.list', undefined, ctx)).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('ignores later changes to the handlers object', async () => {
    const table = handlersWith({ 'flows.list': () => [] }) as Record<string, unknown>;
    const dispatcher = createDispatcher(table as Handlers);
    table['flows.list'] = () => {
      throw new Error('swapped');
    };
    expect(await dispatcher.call('flows.list', undefined, ctx)).toEqual({ ok: true, value: [] });
  });
});

describe('redact', () => {
  it('replaces the values of secret-named keys at any depth', () => {
    const input = {
      username: 'amy',
      password: 'p1',
      nested: { new_password: 'p2', client_secret: 's', access_token: 't', apiKey: 'k', private_key: 'pk', key: 'k2' },
      list: [{ token: 'x', ok: 1 }],
    };
    expect(redact(input)).toEqual({
      username: 'amy',
      password: REDACTED,
      nested: { new_password: REDACTED, client_secret: REDACTED, access_token: REDACTED, apiKey: REDACTED, private_key: REDACTED, key: REDACTED },
      list: [{ token: REDACTED, ok: 1 }],
    });
    expect(input.password).toBe('p1');
  });

  it('leaves ordinary keys alone', () => {
    for (const key of ['pk', 'keyboard', 'monkey', 'username', 'passing', 'keys']) expect(isSecretKey(key)).toBe(false);
    for (const key of ['password', 'PASSWORD', 'secret', 'token', 'key', 'api_key', 'secretKey', 'passwd']) expect(isSecretKey(key)).toBe(true);
  });

  it('survives cycles and deep values', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redact(a)).toEqual({ name: 'a', self: '[circular]' });
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 20; i++) {
      deep.next = {};
      deep = deep.next as Record<string, unknown>;
    }
    expect(() => JSON.stringify(redact(root))).not.toThrow();
  });
});
