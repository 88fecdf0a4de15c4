import { describe, expect, it, vi } from 'vitest';
import { createHttpTransport, createSseParser, tokenFromFragment, type ConnectionState, type SseMessage } from '@shared/contract/http-transport';

describe('createSseParser', () => {
  const stream = 'retry: 1500\n: comment\r\nevent: workspace.changed\ndata: {"a":\ndata: 1}\nid: 7\n\n\uFEFFdata: plain\r\rdata: x\r\n\r\nevent: empty\n\n';

  function parseAll(chunks: string[]) {
    const messages: SseMessage[] = [];
    const retries: number[] = [];
    const feed = createSseParser((m) => messages.push(m), (ms) => retries.push(ms));
    for (const chunk of chunks) feed(chunk);
    return { messages, retries };
  }

  it('parses events, multi-line data, ids, comments, retry and every line ending', () => {
    const { messages, retries } = parseAll([stream]);
    expect(retries).toEqual([1500]);
    // A BOM is only stripped at the very start of the stream; mid-stream it makes an unknown field.
    // The last event id carries over to later events, as in EventSource.
    expect(messages).toEqual([
      { event: 'workspace.changed', data: '{"a":\n1}', id: '7' },
      { event: 'message', data: 'x', id: '7' },
    ]);
  });

  it('gives the same result whatever the chunking (incl. a split \\r\\n)', () => {
    const whole = parseAll([stream]);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(parseAll([stream.slice(0, cut), stream.slice(cut)]), `cut at ${cut}`).toEqual(whole);
    }
    expect(parseAll([...stream])).toEqual(whole);
  });

  it('strips a leading BOM', () => {
    expect(parseAll(['\uFEFF', 'data: a\n\n']).messages).toEqual([{ event: 'message', data: 'a' }]);
  });
});

/** A fetch whose /events answers are scripted, one per connection attempt. */
function scriptedFetch(streams: Array<(() => Response) | 'fail'>) {
  const encoder = new TextEncoder();
  let attempt = 0;
  const controllers: ReadableStreamDefaultController<Uint8Array>[] = [];
  const fetchImpl = vi.fn(async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    if (url.endsWith('/events')) {
      expect(new Headers(init?.headers).get('authorization')).toBe('Bearer t0ken');
      const next = streams[Math.min(attempt++, streams.length - 1)];
      if (next === 'fail' || next === undefined) throw new TypeError('fetch failed');
      return next();
    }
    throw new TypeError('fetch failed');
  });
  const sse = (text: string, keepOpen = false) => () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controllers.push(controller);
          controller.enqueue(encoder.encode(text));
          if (!keepOpen) controller.close();
        },
      }),
      { status: 200, headers: { 'content-type': 'text/event-stream' } },
    );
  return { fetchImpl, sse, attempts: () => attempt };
}

describe('createHttpTransport', () => {
  it('maps network failures and non-envelope answers to INTERNAL', async () => {
    const failing = createHttpTransport({ baseUrl: 'http://127.0.0.1:9/', token: 't', fetch: async () => Promise.reject(new TypeError('fetch failed')) });
    expect(await failing.call('flows.list', undefined)).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Cannot reach Flowbench at http://127.0.0.1:9.' } });
    const html = createHttpTransport({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch: async () => new Response('<html>', { status: 502 }) });
    expect(await html.call('flows.list', undefined)).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/HTTP 502/) } });
    const odd = createHttpTransport({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch: async () => Response.json({ ok: 'yes' }) });
    expect(await odd.call('flows.list', undefined)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('posts JSON to /rpc/<name> with the bearer token, under a path prefix, ignoring the fragment', async () => {
    const fetchImpl = vi.fn(async () => Response.json({ ok: true, value: [] }));
    const transport = createHttpTransport({ baseUrl: 'http://127.0.0.1:9/fb/#token=abc', token: 't0ken', fetch: fetchImpl });
    expect(await transport.call('flows.get', { pk: 'x' })).toEqual({ ok: true, value: [] });
    expect(fetchImpl).toHaveBeenCalledWith(
      'http://127.0.0.1:9/fb/rpc/flows.get',
      expect.objectContaining({ method: 'POST', body: '{"pk":"x"}', headers: expect.objectContaining({ Authorization: 'Bearer t0ken', 'Content-Type': 'application/json' }) }),
    );
  });

  it('refuses input that is not JSON without a request', async () => {
    const fetchImpl = vi.fn();
    const transport = createHttpTransport({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch: fetchImpl });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await transport.call('flows.get', cyclic)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('shares one stream between subscribers, validates payloads and reconnects with backoff', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { fetchImpl, sse, attempts } = scriptedFetch([
      'fail',
      'fail',
      () => sse('event: workspace.changed\ndata: {"entity":"flow","action":"created","pk":"a"}\n\nevent: unknown.thing\ndata: {}\n\nevent: workspace.changed\ndata: {"entity":"bogus"}\n\nevent: workspace.changed\ndata: not json\n\n')(),
      () => sse('event: workspace.changed\ndata: {"entity":"user","action":"deleted","pk":3}\n\n', true)(),
    ]);
    const states: ConnectionState[] = [];
    const transport = createHttpTransport({ baseUrl: 'http://127.0.0.1:9', token: 't0ken', fetch: fetchImpl, reconnect: { initialDelayMs: 1, maxDelayMs: 5 }, onConnectionChange: (s) => states.push(s) });
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = transport.subscribe('workspace.changed', (p) => a.push(p));
    const offB = transport.subscribe('workspace.changed', (p) => b.push(p));
    await until(() => a.length === 2);
    expect(a).toEqual([
      { entity: 'flow', action: 'created', pk: 'a' },
      { entity: 'user', action: 'deleted', pk: 3 },
    ]);
    expect(b).toEqual(a);
    expect(attempts()).toBe(4);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(states.filter((s) => s === 'open')).toHaveLength(2);
    offA();
    expect(transport.connection).toBe('open');
    offB();
    await until(() => transport.connection === 'idle');
    transport.close();
    expect(transport.connection).toBe('closed');
    warn.mockRestore();
  });

  it('keeps delivering when a listener throws', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { fetchImpl, sse } = scriptedFetch([() => sse('event: workspace.changed\ndata: {"entity":"flow","action":"created","pk":null}\n\n', true)()]);
    const transport = createHttpTransport({ baseUrl: 'http://127.0.0.1:9', token: 't0ken', fetch: fetchImpl });
    const got: unknown[] = [];
    transport.subscribe('workspace.changed', () => {
      throw new Error('listener bug');
    });
    transport.subscribe('workspace.changed', (p) => got.push(p));
    await until(() => got.length === 1);
    expect(error).toHaveBeenCalled();
    transport.close();
    error.mockRestore();
  });

  it('stops for good on 401', async () => {
    const fetchImpl = vi.fn(async () => Response.json({ ok: false, error: { code: 'UNAUTHORIZED', message: 'x' } }, { status: 401 }));
    const transport = createHttpTransport({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch: fetchImpl, reconnect: { initialDelayMs: 1 } });
    transport.subscribe('workspace.changed', () => undefined);
    await until(() => transport.connection === 'unauthorized');
    await new Promise((done) => setTimeout(done, 20));
    expect(fetchImpl).toHaveBeenCalledTimes(1);
  });
});

describe('tokenFromFragment', () => {
  it('reads the token of the page URL fragment', () => {
    expect(tokenFromFragment('#token=abc-DEF_123')).toBe('abc-DEF_123');
    expect(tokenFromFragment('token=abc&x=1')).toBe('abc');
    expect(tokenFromFragment('#/flows')).toBeNull();
    expect(tokenFromFragment('#token=')).toBeNull();
    expect(tokenFromFragment('')).toBeNull();
  });
});

async function until(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for a condition');
    await new Promise((done) => setTimeout(done, 2));
  }
}
