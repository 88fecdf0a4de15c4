import { describe, expect, it } from 'vitest';
import { respond, startRun } from '../../../../src/main/engine/executor';
import { FLOWBENCH_CAPTCHA_FAIL, FLOWBENCH_CAPTCHA_PASS, type TestCaptchaVerifier } from '../../../../src/main/engine/memory';
import { type CaptchaVerifier } from '../../../../src/main/engine/ports';
import { request, World } from '../fixtures';
import { bindStage, expectStatus } from '../executor/helpers';
import { CAPTCHA_STAGE, lastContext } from './helpers';

const KEYS = { public_key: 'site-key', private_key: 'secret-key' };

function captchaWorld(config: Record<string, unknown> = {}, captcha?: CaptchaVerifier) {
  const world = new World(captcha ? { captcha } : {});
  const flow = world.flow();
  const { stage } = bindStage(world, flow, 0, { name: 'captcha', kind: CAPTCHA_STAGE, config: { ...KEYS, ...config } });
  return { world, flow, stage };
}

describe('captcha stage', () => {
  it('challenge: site_key, js_url, interactive, user info, and a notice that providers are offline', async () => {
    const { world, flow } = captchaWorld({ interactive: true });
    const result = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'challenge', 'ak-stage-captcha');
    expect(result.response).toMatchObject({
      site_key: 'site-key',
      js_url: 'https://www.recaptcha.net/recaptcha/api.js',
      interactive: true,
      pending_user: '',
      pending_user_avatar: expect.any(String),
      flowbench_notice: expect.stringContaining('cannot be reached offline'),
    });
  });

  it('a passing token: context.captcha = {response, stage}; the verifier got secret, token and client IP', async () => {
    const { world, flow, stage } = captchaWorld();
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    const done = expectStatus(await respond(world.engine, first.state, { token: FLOWBENCH_CAPTCHA_PASS }), 'completed');
    expect(lastContext(done.state).captcha).toEqual({ response: { success: true, score: 1 }, stage: { $stage: stage.pk, name: 'captcha' } });
    expect((world.engine.captcha as TestCaptchaVerifier).calls).toEqual([
      { apiUrl: 'https://www.recaptcha.net/recaptcha/api/siteverify', secret: 'secret-key', token: FLOWBENCH_CAPTCHA_PASS, remoteIp: '192.0.2.10' },
    ]);
  });

  it('a failing token: "Invalid captcha response. Retrying may solve this issue." on token; retry then pass', async () => {
    const { world, flow } = captchaWorld();
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    const failed = expectStatus(await respond(world.engine, first.state, { token: FLOWBENCH_CAPTCHA_FAIL }), 'challenge', 'ak-stage-captcha');
    expect(failed.response?.response_errors).toEqual({ token: [{ string: 'Invalid captcha response. Retrying may solve this issue.', code: 'invalid' }] });
    expectStatus(await respond(world.engine, failed.state, { token: `${FLOWBENCH_CAPTCHA_PASS}-2` }), 'completed');
  });

  it('token is required and may not be blank', async () => {
    const { world, flow } = captchaWorld();
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    expect((await respond(world.engine, first.state, {})).response?.response_errors).toEqual({ token: [{ string: 'This field is required.', code: 'required' }] });
    expect((await respond(world.engine, first.state, { token: '  ' })).response?.response_errors).toEqual({
      token: [{ string: 'This field may not be blank.', code: 'blank' }],
    });
  });

  it('score thresholds: outside [min, max] is "Invalid captcha response" unless error_on_invalid_score is off', async () => {
    const strict = captchaWorld({ score_min_threshold: 0.5, score_max_threshold: 0.9 });
    const first = await startRun(strict.world.engine, { flow: strict.flow.slug, request: request() });
    for (const token of [`${FLOWBENCH_CAPTCHA_PASS}:0.3`, `${FLOWBENCH_CAPTCHA_PASS}:1`]) {
      expect((await respond(strict.world.engine, first.state, { token })).response?.response_errors).toEqual({
        token: [{ string: 'Invalid captcha response', code: 'invalid' }],
      });
    }
    expectStatus(await respond(strict.world.engine, first.state, { token: `${FLOWBENCH_CAPTCHA_PASS}:0.7` }), 'completed');

    // authentik only judges success and score when error_on_invalid_score is set.
    const lax = captchaWorld({ error_on_invalid_score: false });
    const laxFirst = await startRun(lax.world.engine, { flow: lax.flow.slug, request: request() });
    const done = expectStatus(await respond(lax.world.engine, laxFirst.state, { token: FLOWBENCH_CAPTCHA_FAIL }), 'completed');
    expect(lastContext(done.state).captcha).toMatchObject({ response: { success: false, 'error-codes': ['invalid-input-response'] } });
  });

  it('a non-retriable error code is "Invalid captcha response"; an unreachable provider "Failed to validate token"', async () => {
    const verifier: CaptchaVerifier = {
      verify: ({ token }) =>
        token === 'offline' ? Promise.reject(new Error('getaddrinfo ENOTFOUND www.recaptcha.net')) : Promise.resolve({ success: false, 'error-codes': ['invalid-input-secret'] }),
    };
    const { world, flow } = captchaWorld({}, verifier);
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    expect((await respond(world.engine, first.state, { token: 'x' })).response?.response_errors).toEqual({
      token: [{ string: 'Invalid captcha response', code: 'invalid' }],
    });
    const offline = await respond(world.engine, first.state, { token: 'offline' });
    expect(offline.response?.response_errors).toEqual({ token: [{ string: 'Failed to validate token', code: 'invalid' }] });
    expect(offline.events.some((e) => e.type === 'log' && e.message.includes('could not be reached'))).toBe(true);
  });
});
