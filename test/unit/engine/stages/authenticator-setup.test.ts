import { Secret, TOTP, URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { get, respond, startRun } from '../../../../src/main/engine/executor';
import { userRef } from '../../../../src/main/engine/users';
import { request, World } from '../fixtures';
import { bindStage, expectStatus } from '../executor/helpers';
import { STATIC_STAGE, TOTP_STAGE, VALIDATE_STAGE, WEBAUTHN_STAGE } from './helpers';

function setupWorld(kind: string, config: Record<string, unknown>) {
  const world = new World();
  const user = world.user({ username: 'frida' });
  const flow = world.flow({ designation: 'stage_configuration' });
  bindStage(world, flow, 0, { name: 'setup', kind, config });
  return { world, user, flow };
}

describe('authenticator_totp', () => {
  it('challenge: an otpauth:// config_url with a random secret; the current code confirms the device', async () => {
    const { world, user, flow } = setupWorld(TOTP_STAGE, { digits: 6 });
    const first = expectStatus(
      await startRun(world.engine, { flow: flow.slug, request: request({ brand_title: 'Acme' }), context: { pending_user: userRef(user) } }),
      'challenge',
      'ak-stage-authenticator-totp',
    );
    expect(first.response).toMatchObject({ pending_user: 'frida' });
    const url = first.response?.config_url as string;
    expect(url).toMatch(/^otpauth:\/\/totp\/Acme:frida\?/);
    const totp = URI.parse(url) as TOTP;
    expect(totp).toMatchObject({ issuer: 'Acme', label: 'frida', digits: 6, period: 30, algorithm: 'SHA1' });
    expect(totp.secret.bytes).toHaveLength(20);
    // Nothing is stored until the code is confirmed.
    expect(world.engine.devices.list()).toEqual([]);
    // The device lives in the session: the next GET shows the same secret, a new session another one.
    expect((await get(world.engine, first.state)).response?.config_url).toBe(url);
    const other = await startRun(world.engine, { flow: flow.slug, request: request({ brand_title: 'Acme' }), context: { pending_user: userRef(user) } });
    expect(other.response?.config_url).not.toBe(url);

    const wrongCode = Number(totp.generate({ timestamp: world.engine.clock.now() })) === 123456 ? '654321' : '123456';
    expect((await respond(world.engine, first.state, { code: wrongCode })).response?.response_errors).toEqual({ code: [{ string: 'Code does not match', code: 'invalid' }] });
    expect((await respond(world.engine, first.state, { code: 'abc' })).response?.response_errors).toEqual({ code: [{ string: 'A valid integer is required.', code: 'invalid' }] });
    expect((await respond(world.engine, first.state, {})).response?.response_errors).toEqual({ code: [{ string: 'This field is required.', code: 'required' }] });
    const done = expectStatus(await respond(world.engine, first.state, { code: totp.generate({ timestamp: world.engine.clock.now() }) }), 'completed');
    expect(done.state.session.data).not.toHaveProperty('totp_device');
    expect(world.engine.devices.list()).toEqual([
      expect.objectContaining({ type: 'totp', user_pk: user.pk, name: 'TOTP Authenticator', confirmed: true, secret: totp.secret.base32, digits: 6, period: 30 }),
    ]);
  });

  it('8 digits; the new device then validates in an authenticator_validate stage', async () => {
    const world = new World();
    const user = world.user({ username: 'frida' });
    const flow = world.flow();
    bindStage(world, flow, 0, { name: 'setup', kind: TOTP_STAGE, config: { digits: 8 } });
    bindStage(world, flow, 1, { name: 'mfa', kind: VALIDATE_STAGE, config: {} });
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    const secret = (URI.parse(first.response?.config_url as string) as TOTP).secret.base32;
    const codeAt = (ms: number) => TOTP.generate({ secret: Secret.fromBase32(secret), digits: 8, timestamp: ms });
    expect(codeAt(world.engine.clock.now())).toHaveLength(8);
    const validate = expectStatus(await respond(world.engine, first.state, { code: codeAt(world.engine.clock.now()) }), 'challenge', 'ak-stage-authenticator-validate');
    // The setup code's time step is used up; the next one works.
    world.engine.clock.set(world.engine.clock.now() + 30_000);
    expectStatus(await respond(world.engine, validate.state, { code: codeAt(world.engine.clock.now()) }), 'completed');
  });

  it('no pending user: the stage passes without a challenge', async () => {
    const { world, flow } = setupWorld(TOTP_STAGE, { digits: 6 });
    const result = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'completed');
    expect(result.state.stages_run).toEqual(['setup']);
  });
});

describe('authenticator_static', () => {
  it('token_count codes of token_length letters/digits; any response saves the confirmed device', async () => {
    const { world, user, flow } = setupWorld(STATIC_STAGE, { token_count: 4, token_length: 10 });
    const first = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } }), 'challenge', 'ak-stage-authenticator-static');
    const codes = first.response?.codes as string[];
    expect(codes).toHaveLength(4);
    for (const code of codes) expect(code).toMatch(/^[A-Za-z0-9]{10}$/);
    expect(first.response).toMatchObject({ pending_user: 'frida' });
    expect(world.engine.devices.list()).toEqual([]);
    expectStatus(await respond(world.engine, first.state, {}), 'completed');
    expect(world.engine.devices.list()).toEqual([expect.objectContaining({ type: 'static', user_pk: user.pk, name: 'Static Token', confirmed: true, tokens: codes })]);
  });

  it('defaults: 6 codes of 12; the same codes are shown until confirmed', async () => {
    const { world, user, flow } = setupWorld(STATIC_STAGE, {});
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    expect((first.response?.codes as string[]).map((c) => c.length)).toEqual([12, 12, 12, 12, 12, 12]);
    expect((await get(world.engine, first.state)).response?.codes).toEqual(first.response?.codes);
  });
});

describe('authenticator_webauthn (simulated)', () => {
  it('challenge labelled simulated; {response: {simulated: true}} registers a simulated device', async () => {
    const { world, user, flow } = setupWorld(WEBAUTHN_STAGE, {});
    const first = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } }), 'challenge', 'ak-stage-authenticator-webauthn');
    expect(first.response).toMatchObject({
      pending_user: 'frida',
      flowbench_notice: 'WebAuthn is simulated in Flowbench',
      registration: { flowbench_notice: 'WebAuthn is simulated in Flowbench', user: { name: 'frida' }, authenticatorSelection: { userVerification: 'preferred', residentKey: 'preferred' } },
    });
    expect((await respond(world.engine, first.state, {})).response?.response_errors).toEqual({ response: [{ string: 'This field is required.', code: 'required' }] });
    expect((await respond(world.engine, first.state, { response: { id: 'x' } })).response?.response_errors).toEqual({
      response: [{ string: expect.stringContaining('Registration failed. Error: WebAuthn is simulated in Flowbench'), code: 'invalid' }],
    });
    expectStatus(await respond(world.engine, first.state, { response: { simulated: true } }), 'completed');
    expect(world.engine.devices.list()).toEqual([
      expect.objectContaining({ type: 'webauthn', user_pk: user.pk, confirmed: true, simulated: true, credential_id: expect.stringMatching(/^flowbench-simulated-/) }),
    ]);
  });
});
