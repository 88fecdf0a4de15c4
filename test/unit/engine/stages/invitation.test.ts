import { describe, expect, it } from 'vitest';
import { startRun } from '../../../../src/main/engine/executor';
import { type Invitation } from '../../../../src/main/engine/ports';
import { request, World } from '../fixtures';
import { bindStage, expectStatus } from '../executor/helpers';
import { INVITATION_STAGE, lastContext } from './helpers';

const INVITE_PK = '6b2c3f4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';

function invitationWorld(config: Record<string, unknown> = {}, invitation: Partial<Invitation> = {}) {
  const world = new World();
  const flow = world.flow({ slug: 'enroll', designation: 'enrollment' });
  bindStage(world, flow, 0, { name: 'invitation', kind: INVITATION_STAGE, config });
  bindStage(world, flow, 1, { name: 'after' });
  world.engine.invitations.save({
    pk: INVITE_PK,
    name: 'welcome',
    expires: null,
    flow: null,
    single_use: false,
    fixed_data: { email: 'new@example.org', attributes: { team: 'blue', tags: ['b'] } },
    created_by: null,
    ...invitation,
  });
  return { world, flow };
}

describe('invitation stage', () => {
  it('?itoken=: invitation_in_effect, invitation, prompt_data deep-merged with fixed_data (fixed wins, lists appended), event', async () => {
    const { world, flow } = invitationWorld();
    const result = expectStatus(
      await startRun(world.engine, {
        flow: flow.slug,
        request: request(),
        query: { itoken: INVITE_PK },
        context: { prompt_data: { email: 'typed@example.org', username: 'newbie', attributes: { tags: ['a'], keep: 1 } } },
      }),
      'challenge',
      'ak-stage-dummy',
    );
    expect(result.state.stages_run).toEqual(['invitation', 'after']);
    const context = lastContext(result.state);
    expect(context.invitation_in_effect).toBe(true);
    expect(context.invitation).toEqual({
      $invitation: INVITE_PK,
      name: 'welcome',
      flow: null,
      single_use: false,
      fixed_data: { email: 'new@example.org', attributes: { team: 'blue', tags: ['b'] } },
      expires: null,
    });
    expect(context.prompt_data).toEqual({ email: 'new@example.org', username: 'newbie', attributes: { tags: ['a', 'b'], keep: 1, team: 'blue' } });
    expect(world.engine.events.query({ action: 'invitation_used' })).toEqual([
      expect.objectContaining({ context: { invitation_uuid: INVITE_PK.replaceAll('-', '') } }),
    ]);
    expect(world.engine.invitations.list()).toHaveLength(1);
  });

  it('the token may also come from ?token= or prompt_data.token, with or without dashes', async () => {
    const { world, flow } = invitationWorld();
    expectStatus(await startRun(world.engine, { flow: flow.slug, request: request(), query: { token: INVITE_PK.replaceAll('-', '') } }), 'challenge');
    expectStatus(await startRun(world.engine, { flow: flow.slug, request: request(), context: { prompt_data: { token: INVITE_PK.toUpperCase() } } }), 'challenge');
  });

  it('single use: deleted when the stage accepts it (as authentik does); the second use is denied', async () => {
    const { world, flow } = invitationWorld({}, { single_use: true });
    expectStatus(await startRun(world.engine, { flow: flow.slug, request: request(), query: { itoken: INVITE_PK } }), 'challenge', 'ak-stage-dummy');
    expect(world.engine.invitations.list()).toEqual([]);
    const again = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request(), query: { itoken: INVITE_PK } }), 'denied', 'ak-stage-access-denied');
    expect(again.response).toMatchObject({ error_message: 'Invalid invite/invite not found' });
  });

  it('no token, an unknown, malformed or expired token, or another flow → "Invalid invite/invite not found"', async () => {
    const { world, flow } = invitationWorld({}, { expires: '2025-01-01T01:00:00Z' });
    const deny = async (query: Record<string, string>) =>
      expect(
        (await startRun(world.engine, { flow: flow.slug, request: request(), query })).response,
      ).toMatchObject({ component: 'ak-stage-access-denied', error_message: 'Invalid invite/invite not found' });
    await deny({});
    await deny({ itoken: '' });
    await deny({ itoken: 'not-a-uuid' });
    await deny({ itoken: '00000000-0000-4000-8000-000000000000' });
    world.engine.clock.set('2025-01-01T01:00:00Z');
    await deny({ itoken: INVITE_PK });

    const other = world.flow({ slug: 'other' });
    const bound = invitationWorld({}, { flow: other.pk });
    expectStatus(await startRun(bound.world.engine, { flow: bound.flow.slug, request: request(), query: { itoken: INVITE_PK } }), 'denied');
    const rightFlow = invitationWorld();
    const enroll = rightFlow.world.ws.flowBySlug('enroll')!;
    rightFlow.world.engine.invitations.save({ ...rightFlow.world.engine.invitations.list()[0]!, flow: enroll.pk });
    expectStatus(await startRun(rightFlow.world.engine, { flow: 'enroll', request: request(), query: { itoken: INVITE_PK } }), 'challenge');
  });

  it('continue_flow_without_invitation: no (valid) invitation simply continues, nothing in the context', async () => {
    const { world, flow } = invitationWorld({ continue_flow_without_invitation: true });
    const result = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request(), query: { itoken: 'nope' } }), 'challenge', 'ak-stage-dummy');
    expect(lastContext(result.state)).toEqual({});
  });
});
