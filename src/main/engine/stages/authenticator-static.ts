import { type z } from 'zod';
import { type JsonValue } from '@shared/model';
import { authenticatorStaticStage } from '@shared/model/stages';
import { isJsonObject } from '../json';
import { type Random } from '../ports';
import { responseObject } from './fields';
import { requirePort } from './require-port';
import { defineStage } from './types';

type Config = z.output<typeof authenticatorStaticStage.config>;

/** authentik `SESSION_STATIC_DEVICE` / `SESSION_STATIC_TOKENS`: the device being set up and its codes. */
export const SESSION_STATIC_DEVICE = 'static_device';
export const SESSION_STATIC_TOKENS = 'static_device_tokens';
export const STATIC_DEVICE_NAME = 'Static Token';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** authentik `generate_id(length)`: letters and digits, from the Random port. */
export function generateId(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ID_ALPHABET[random.int(0, ID_ALPHABET.length)];
  return out;
}

/**
 * `authentik_stages_authenticator_static.authenticatorstaticstage`: without a (non-anonymous)
 * pending user the stage passes. Otherwise `token_count` codes of `token_length` characters
 * are generated (Random port) and kept in the session with an unconfirmed device; the
 * challenge `ak-stage-authenticator-static` (with user info) shows `codes`; any response
 * (no fields) saves the device, confirmed, with its tokens.
 */
export const authenticatorStaticStageImpl = defineStage<Config>({
  model: authenticatorStaticStage.model,
  component: 'ak-stage-authenticator-static',
  withUserInfo: true,
  run(ctx) {
    if (ctx.method === 'POST') return ctx.useChallenge();
    const user = ctx.pendingUser();
    if (user.is_anonymous) {
      ctx.log('debug', 'No pending user, continuing');
      return ctx.ok();
    }
    if (user.pk === null) throw new Error(`Cannot set up static tokens for the unsaved user "${user.username}"`);
    if (!Object.hasOwn(ctx.session.data, SESSION_STATIC_DEVICE)) {
      const tokens = Array.from({ length: ctx.config.token_count }, () => generateId(ctx.deps.random, ctx.config.token_length));
      ctx.session.data[SESSION_STATIC_DEVICE] = { user_pk: user.pk, name: STATIC_DEVICE_NAME, confirmed: false };
      ctx.session.data[SESSION_STATIC_TOKENS] = tokens;
    }
    return ctx.useChallenge();
  },
  challenge(ctx) {
    const tokens = ctx.session.data[SESSION_STATIC_TOKENS];
    if (!Array.isArray(tokens)) throw new Error('No static device is being set up in this session');
    return { codes: tokens };
  },
  responseSchema: responseObject({}),
  onValid(ctx) {
    const device = ctx.session.data[SESSION_STATIC_DEVICE];
    const tokens = ctx.session.data[SESSION_STATIC_TOKENS];
    if (!isJsonObject(device) || typeof device.user_pk !== 'number' || !Array.isArray(tokens)) {
      throw new Error('No static device is being set up in this session');
    }
    const stored = requirePort(ctx.deps, 'devices').create({
      type: 'static',
      user_pk: device.user_pk,
      name: typeof device.name === 'string' ? device.name : STATIC_DEVICE_NAME,
      confirmed: true,
      tokens: tokens.map((t: JsonValue) => String(t)),
    });
    delete ctx.session.data[SESSION_STATIC_DEVICE];
    delete ctx.session.data[SESSION_STATIC_TOKENS];
    ctx.log('info', `Static device ${stored.pk} confirmed with ${stored.type === 'static' ? stored.tokens.length : 0} tokens`);
    return ctx.ok();
  },
});
