import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, LATEST_SCHEMA_VERSION, openSandbox } from '../../../src/main/store';
import { openSandboxWorkspace, openWorkspace } from '../../../src/main/workspace';
import { useTempDir } from './helpers';

const tempDir = useTempDir();

function seeded(path: string) {
  const ws = openWorkspace({ path });
  const flow = ws.services.flows.create({
    name: 'Login',
    slug: 'login',
    title: 'Log in',
    designation: 'authentication',
  });
  const stage = ws.services.stages.create({
    name: 'dummy',
    kind: 'authentik_stages_dummy.dummystage',
    config: {},
  });
  const binding = ws.services.bindings.create({ target: flow.pk, stage: stage.pk, order: 10 });
  return { ws, flow, stage, binding };
}

describe('sandbox copy', () => {
  it('starts as a copy of the file (including not-yet-checkpointed WAL content) at the same schema level', () => {
    const { ws, flow, binding } = seeded(join(tempDir(), 'w.sqlite'));
    const sandbox = openSandbox(ws.db);
    try {
      expect(sandbox.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(sandbox.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(sandbox.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(sandbox.pragma('journal_mode', { simple: true })).toBe('memory');
      expect(sandbox.prepare('SELECT slug FROM flows WHERE pk = ?').pluck().get(flow.pk)).toBe(
        'login',
      );
      expect(
        sandbox
          .prepare('SELECT count(*) FROM flow_stage_bindings WHERE pk = ?')
          .pluck()
          .get(binding.pk),
      ).toBe(1);
    } finally {
      sandbox.close();
      ws.close();
    }
  });

  it('keeps writes in the sandbox away from the file', () => {
    const path = join(tempDir(), 'w.sqlite');
    const { ws, flow } = seeded(path);
    const box = openSandboxWorkspace(ws);
    try {
      box.services.flows.create({
        name: 'Only in the box',
        slug: 'boxed',
        title: 'x',
        designation: 'enrollment',
      });
      box.services.flows.delete(flow.pk); // cascades inside the sandbox only
      expect(box.services.flows.list().map((f) => f.slug)).toEqual(['boxed']);
      expect(box.db.prepare('SELECT count(*) FROM flow_stage_bindings').pluck().get()).toBe(0);

      expect(ws.services.flows.list().map((f) => f.slug)).toEqual(['login']);
      expect(ws.services.bindings.list(flow.pk)).toHaveLength(1);
    } finally {
      box.close();
      ws.close();
    }
    const reopened = openWorkspace({ path });
    expect(reopened.services.flows.list().map((f) => f.slug)).toEqual(['login']);
    reopened.close();
  });

  it('does not see writes made to the file after it was taken', () => {
    const { ws, flow } = seeded(join(tempDir(), 'w.sqlite'));
    const box = openSandboxWorkspace(ws);
    try {
      ws.services.flows.create({
        name: 'Later',
        slug: 'later',
        title: 'x',
        designation: 'recovery',
      });
      ws.services.flows.update({ pk: flow.pk, patch: { title: 'Changed on disk' } });
      expect(box.services.flows.list().map((f) => [f.slug, f.title])).toEqual([
        ['login', 'Log in'],
      ]);
    } finally {
      box.close();
      ws.close();
    }
  });

  it('has its own event bus', () => {
    const { ws } = seeded(join(tempDir(), 'w.sqlite'));
    const box = openSandboxWorkspace(ws);
    const fileEvents: unknown[] = [];
    const boxEvents: unknown[] = [];
    ws.events.subscribe('workspace.changed', (e) => fileEvents.push(e));
    box.events.subscribe('workspace.changed', (e) => boxEvents.push(e));
    box.services.groups.create({ name: 'boxed' });
    expect(boxEvents).toHaveLength(1);
    expect(fileEvents).toHaveLength(0);
    box.close();
    ws.close();
  });

  it('can be taken from an in-memory workspace too', () => {
    const ws = openWorkspace({ path: ':memory:' });
    ws.services.groups.create({ name: 'admins' });
    const box = openSandboxWorkspace(ws);
    box.services.groups.create({ name: 'boxed' });
    expect(ws.services.groups.list().map((g) => g.name)).toEqual(['admins']);
    expect(box.services.groups.list().map((g) => g.name)).toEqual(['admins', 'boxed']);
    box.close();
    ws.close();
  });
});
