import { describe, expect, it } from 'vitest';
import { failure, loginFlow, testWorkspace } from './support';

describe('workspace.changed events', () => {
  it('fire after the commit: a listener already sees the row, outside any transaction', () => {
    const t = testWorkspace();
    const seen: { inTransaction: boolean; rows: unknown }[] = [];
    t.ws.events.subscribe('workspace.changed', (e) => {
      seen.push({
        inTransaction: t.ws.db.inTransaction,
        rows: t.ws.db.prepare('SELECT count(*) FROM flows WHERE pk = ?').pluck().get(e.pk),
      });
    });
    const flow = t.s.flows.create({
      name: 'f',
      slug: 'f',
      title: 'f',
      designation: 'authentication',
    });
    expect(t.events).toEqual([{ entity: 'flow', action: 'created', pk: flow.pk }]);
    expect(seen).toEqual([{ inTransaction: false, rows: 1 }]);
  });

  it('do not fire for a failed write, which leaves nothing behind', () => {
    const t = testWorkspace();
    t.s.flows.create({ name: 'f', slug: 'f', title: 'f', designation: 'authentication' });
    t.events.length = 0;
    failure(() =>
      t.s.flows.create({ name: 'g', slug: 'f', title: 'g', designation: 'authentication' }),
    );
    failure(() =>
      t.s.groups.update({ pk: '99999999-9999-4999-8999-999999999999', patch: { name: 'x' } }),
    );
    expect(t.events).toEqual([]);
  });

  it('of a unit of work that fails after inner writes succeeded are all dropped with the rollback', () => {
    const t = testWorkspace();
    t.events.length = 0;
    expect(() =>
      t.s.context.write(() => {
        t.s.groups.create({ name: 'a' });
        t.s.groups.create({ name: 'b' });
        throw new Error('abort the batch');
      }),
    ).toThrow('abort the batch');
    expect(t.events).toEqual([]);
    expect(t.s.groups.list()).toEqual([]);
  });

  it('of a batch are emitted together once the outer transaction commits', () => {
    const t = testWorkspace();
    t.events.length = 0;
    let during = -1;
    t.s.context.write(() => {
      t.s.groups.create({ name: 'a' });
      t.s.groups.create({ name: 'b' });
      during = t.events.length;
    });
    expect(during).toBe(0);
    expect(t.events.map((e) => [e.entity, e.action])).toEqual([
      ['group', 'created'],
      ['group', 'created'],
    ]);
  });

  it('keep the changes of a nested write that succeeded when a sibling fails and is caught', () => {
    const t = testWorkspace();
    t.events.length = 0;
    t.s.context.write(() => {
      t.s.groups.create({ name: 'kept' });
      try {
        t.s.groups.create({ name: 'kept' }); // CONFLICT, rolled back to its savepoint
      } catch {
        /* the batch goes on */
      }
    });
    expect(t.events).toHaveLength(1);
    expect(t.s.groups.list().map((g) => g.name)).toEqual(['kept']);
  });

  it('name one object per delete; cascaded rows are implied', () => {
    const t = testWorkspace();
    const { flow } = loginFlow(t);
    t.events.length = 0;
    t.s.flows.delete(flow.pk);
    expect(t.events).toEqual([{ entity: 'flow', action: 'deleted', pk: flow.pk }]);
  });

  it('survive a throwing subscriber (the write is already committed)', () => {
    const t = testWorkspace();
    t.ws.events.subscribe('workspace.changed', () => {
      throw new Error('broken window');
    });
    const group = t.s.groups.create({ name: 'g' });
    expect(t.s.groups.get(group.pk).name).toBe('g');
  });
});
