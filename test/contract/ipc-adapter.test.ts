import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventChannel, procedureNames, rpcChannel, type Envelope } from '@shared/contract';
import { createDispatcher, type Dispatcher } from '../../src/main/transport/dispatcher';
import { forwardEvents } from '../../src/main/transport/ipc';
import { FakeIpc, quietLogger, RENDERER_FILE, startIpcHarness, TRUSTED_URL, type IpcHarness } from './support/adapters';
import { openTestWorkspace, type TestWorkspace } from './support/workspace';

describe('IPC adapter', () => {
  let workspace: TestWorkspace;
  let harness: IpcHarness;
  let call: ReturnType<typeof vi.fn<Dispatcher['call']>>;

  beforeEach(async () => {
    workspace = await openTestWorkspace();
    const real = createDispatcher(workspace.handlers, { logger: quietLogger });
    call = vi.fn<Dispatcher['call']>((name, input, ctx) => real.call(name, input, ctx));
    harness = await startIpcHarness(workspace, quietLogger, { call });
  });

  afterEach(async () => {
    await harness.close();
    await workspace.close();
  });

  it('registers exactly one channel per procedure', () => {
    expect(harness.ipc.channelCount).toBe(procedureNames.length);
  });

  it('answers FORBIDDEN to a foreign or missing sender and never runs the handler', async () => {
    const input = { username: 'ipc-intruder' };
    for (const sender of [
      'https://evil.example',
      'https://evil.example/index.html',
      'http://localhost:5173/',
      pathToFileURL('/tmp/evil/index.html').href,
      `${pathToFileURL(RENDERER_FILE).href}/../../../../tmp/evil.html`,
      'about:blank',
      null,
    ]) {
      const result = (await harness.ipc.invoke(rpcChannel('users.create'), sender, input)) as Envelope<unknown>;
      expect(result, String(sender)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(call).not.toHaveBeenCalled();
    const users = (await harness.ipc.invoke(rpcChannel('users.list'), TRUSTED_URL)) as Envelope<{ username: string }[]>;
    expect(users.ok && users.value.map((u) => u.username)).not.toContain('ipc-intruder');
  });

  it('dispatches a trusted call with the ipc context', async () => {
    const result = await harness.ipc.invoke(rpcChannel('flows.list'), TRUSTED_URL);
    expect(result).toMatchObject({ ok: true, value: expect.any(Array) });
    expect(call).toHaveBeenCalledWith('flows.list', undefined, { transport: 'ipc' });
  });

  it('forwards bus events on their channel and stops when disposed', () => {
    const ipc = new FakeIpc();
    const received: unknown[] = [];
    ipc.on(eventChannel('workspace.changed'), (payload) => received.push(payload));
    const dispose = forwardEvents(workspace.events, (channel, payload) => ipc.send(channel, payload));
    workspace.events.emit('workspace.changed', { entity: 'group', action: 'deleted', pk: 'x' });
    expect(received).toEqual([{ entity: 'group', action: 'deleted', pk: 'x' }]);
    dispose();
    workspace.events.emit('workspace.changed', { entity: 'group', action: 'created', pk: 'y' });
    expect(received).toHaveLength(1);
  });

  it('keeps forwarding when a window is gone', () => {
    const send = vi.fn(() => {
      throw new Error('Object has been destroyed');
    });
    const dispose = forwardEvents(workspace.events, send);
    expect(() => workspace.events.emit('workspace.changed', { entity: 'flow', action: 'created', pk: null })).not.toThrow();
    expect(send).toHaveBeenCalledWith(eventChannel('workspace.changed'), { entity: 'flow', action: 'created', pk: null });
    dispose();
  });

  it('removes every handler on dispose, so the app can re-register', async () => {
    await harness.close();
    expect(harness.ipc.channelCount).toBe(0);
    await expect(harness.ipc.invoke(rpcChannel('flows.list'), TRUSTED_URL)).rejects.toThrow(/No handler/);
  });
});
