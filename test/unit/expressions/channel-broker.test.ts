import { describe, expect, it } from 'vitest';
import { ChannelBroker } from '../../../src/main/expressions/browser-channel/channel-broker';

/**
 * The browser host's channel, without a browser: the long poll carries what main sends on its
 * own; what main sends while answering a POST rides back on that POST (one round trip per
 * evaluation instead of two).
 */

const ORIGIN = 'http://127.0.0.1:1';

function setup(onMessage: (raw: unknown, send: (m: unknown) => void) => void = () => undefined) {
  const broker = new ChannelBroker({ pageDir: '/nonexistent', pyodideDir: '/nonexistent', pollTimeoutMs: 200 });
  const failures: string[] = [];
  const channel: ReturnType<ChannelBroker['open']> = broker.open({
    // The listener runs only after `open` returned, so `channel` is set by then.
    message: (raw) => onMessage(raw, (m) => channel.send(m)),
    failed: (reason) => failures.push(reason),
  });
  const url = (action: string) => `${ORIGIN}/channel/${channel.id}/${action}`;
  const post = (body: unknown) => broker.handle(new Request(url('post'), { method: 'POST', body: JSON.stringify(body) }));
  const next = () => broker.handle(new Request(url('next')));
  return { broker, channel, post, next, failures };
}

describe('ChannelBroker', () => {
  it('answers a waiting long poll with what main sends', async () => {
    const { channel, next } = setup();
    const poll = next();
    channel.send({ type: 'eval', id: 1 });
    const response = await poll;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ kind: 'message', message: { type: 'eval', id: 1 } });
  });

  it("returns main's reply to a posted message in the POST answer, not on the long poll", async () => {
    const { post, next } = setup((raw, send) => {
      // As the runtime does: the next evaluation goes out from a promise continuation.
      void Promise.resolve().then(() => send({ type: 'eval', id: (raw as { id: number }).id + 1 }));
    });
    const poll = next();
    const response = await post({ kind: 'message', message: { type: 'done', id: 1 } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([{ kind: 'message', message: { type: 'eval', id: 2 } }]);
    // The long poll got nothing and times out empty.
    expect((await poll).status).toBe(204);
  });

  it('answers 204 to a POST that prompted nothing, and later sends still reach the long poll', async () => {
    const { channel, post, next } = setup();
    expect((await post({ kind: 'hello', interruptible: false })).status).toBe(204);
    const poll = next();
    channel.send({ type: 'eval', id: 3 });
    expect(await (await poll).json()).toEqual({ kind: 'message', message: { type: 'eval', id: 3 } });
  });

  it('refuses malformed posts and reports them', async () => {
    const { broker, channel, failures } = setup();
    const response = await broker.handle(new Request(`${ORIGIN}/channel/${channel.id}/post`, { method: 'POST', body: '{nope' }));
    expect(response.status).toBe(400);
    expect(failures).toEqual(['the expression host posted malformed JSON']);
  });
});
