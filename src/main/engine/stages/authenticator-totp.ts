import { HOTP, Secret, TOTP } from 'otpauth';
import { z } from 'zod';
import { type JsonValue } from '@shared/model';
import { authenticatorTotpStage } from '@shared/model/stages';
import { isJsonObject } from '../json';
import { type Random, type TotpDevice } from '../ports';
import { responseObject } from './fields';
import { requirePort } from './require-port';
import { defineStage } from './types';

type Config = z.output<typeof authenticatorTotpStage.config>;

/** authentik `SESSION_TOTP_DEVICE`: the device being set up, kept in the session until confirmed. */
export const SESSION_TOTP_DEVICE = 'totp_device';
/** django-otp `TOTPDevice` defaults. */
export const TOTP_PERIOD = 30;
export const TOTP_TOLERANCE = 1;
/** authentik's `OTP_TOTP_ISSUER` (replaced by the brand title in the challenge). */
export const OTP_TOTP_ISSUER = 'authentik';
export const TOTP_DEVICE_NAME = 'TOTP Authenticator';
export const CODE_DOES_NOT_MATCH = 'Code does not match';

/** The TOTP settings a check needs (a stored device or the one being set up). */
export type TotpSettings = Pick<TotpDevice, 'secret' | 'digits' | 'period' | 'tolerance' | 'drift' | 'last_t'>;

/** A random 20-byte secret (django-otp's `random_hex(20)`) from the Random port, as base32. */
export function newTotpSecret(random: Random): string {
  const bytes = new Uint8Array(20);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = random.int(0, 256);
  return new Secret({ buffer: bytes.buffer }).base32;
}

/** The code an authenticator app shows at `nowMs` (RFC 6238, SHA1) — what a flow test's `{$totp: name}` sends. */
export function currentTotpCode(device: Pick<TotpDevice, 'secret' | 'digits' | 'period'>, nowMs: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(device.secret), algorithm: 'SHA1', digits: device.digits, period: device.period, timestamp: nowMs });
}

/** Python `int(str)` for a token: optional sign, digits (underscores between), surrounding whitespace. */
export function parsePythonInt(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value !== 'string') return null;
  const match = /^\s*([+-]?\d+(?:_\d+)*)\s*$/.exec(value);
  return match ? Number((match[1] ?? '').replaceAll('_', '')) : null;
}

/**
 * django-otp `TOTPDevice.verify_token` (`TOTP.verify(token, tolerance, last_t + 1)`): the
 * token, read as an integer, must equal the HOTP value of a time step within ±tolerance of
 * now (+ the learned drift) that is later than the last accepted step. On success the new
 * `last_t` and drift are returned (`OTP_TOTP_SYNC`). Throttling is not simulated.
 */
export function verifyTotpToken(device: TotpSettings, token: unknown, nowMs: number): { ok: true; last_t: number; drift: number } | { ok: false } {
  const value = parsePythonInt(token);
  if (value === null) return { ok: false };
  const secret = Secret.fromBase32(device.secret);
  const base = Math.floor(nowMs / 1000 / device.period);
  for (let offset = -device.tolerance; offset <= device.tolerance; offset += 1) {
    const drift = device.drift + offset;
    const step = base + drift;
    if (step < device.last_t + 1) continue;
    const code = HOTP.generate({ secret, algorithm: 'SHA1', digits: device.digits, counter: step });
    if (Number(code) === value) return { ok: true, last_t: step, drift };
  }
  return { ok: false };
}

/** The `otpauth://` URI of a TOTP secret (through otpauth's `TOTP.toString`). */
export function totpConfigUrl(input: { secret: string; digits: number; period: number; issuer: string; username: string }): string {
  return new TOTP({
    issuer: input.issuer.replaceAll(':', ''),
    label: input.username,
    secret: Secret.fromBase32(input.secret),
    algorithm: 'SHA1',
    digits: input.digits,
    period: input.period,
  }).toString();
}

interface PendingTotpDevice {
  user_pk: number;
  name: string;
  secret: string;
  digits: 6 | 8;
  period: number;
  drift: number;
  last_t: number;
}

function pendingDevice(value: JsonValue | undefined): PendingTotpDevice | null {
  if (!isJsonObject(value) || typeof value.secret !== 'string' || typeof value.user_pk !== 'number') return null;
  return value as unknown as PendingTotpDevice;
}

const TOTP_INVALID_INTEGER = { message: 'A valid integer is required.', code: 'invalid' };

/** DRF `IntegerField` (required): ints, and strings Python's `int()` reads after dropping a `.0…` tail. */
export const drfInteger = z.unknown().transform((value, ctx): number => {
  const fail = (error: { message: string; code: string }): never => {
    ctx.addIssue({ code: 'custom', message: error.message, params: { code: error.code } });
    return z.NEVER as never;
  };
  if (value === undefined) return fail({ message: 'This field is required.', code: 'required' });
  if (value === null) return fail({ message: 'This field may not be null.', code: 'null' });
  if (typeof value === 'string' && value.length > 1000) return fail({ message: 'String value too large.', code: 'max_string_length' });
  if (typeof value === 'number') return Number.isInteger(value) ? value : fail(TOTP_INVALID_INTEGER);
  if (typeof value !== 'string') return fail(TOTP_INVALID_INTEGER);
  const parsed = parsePythonInt(value.replace(/\.0*\s*$/, ''));
  return parsed === null ? fail(TOTP_INVALID_INTEGER) : parsed;
});

/**
 * `authentik_stages_authenticator_totp.authenticatortotpstage`: without a (non-anonymous)
 * pending user the stage passes. Otherwise an unconfirmed device with a random secret (Random
 * port) is kept in the session and `ak-stage-authenticator-totp` (with user info) shows its
 * `config_url` (`otpauth://totp/<brand>:<username>?…`). The response `code` (integer) must be
 * the current code ("Code does not match"); then the device is saved, confirmed.
 */
export const authenticatorTotpStageImpl = defineStage<Config, { code: number }>({
  model: authenticatorTotpStage.model,
  component: 'ak-stage-authenticator-totp',
  withUserInfo: true,
  run(ctx) {
    if (ctx.method === 'POST') return ctx.useChallenge();
    const user = ctx.pendingUser();
    if (user.is_anonymous) {
      ctx.log('debug', 'No pending user, continuing');
      return ctx.ok();
    }
    if (user.pk === null) throw new Error(`Cannot set up a TOTP device for the unsaved user "${user.username}"`);
    if (!pendingDevice(ctx.session.data[SESSION_TOTP_DEVICE])) {
      const device: PendingTotpDevice = {
        user_pk: user.pk,
        name: TOTP_DEVICE_NAME,
        secret: newTotpSecret(ctx.deps.random),
        digits: ctx.config.digits,
        period: TOTP_PERIOD,
        drift: 0,
        last_t: -1,
      };
      ctx.session.data[SESSION_TOTP_DEVICE] = device as unknown as JsonValue;
    }
    return ctx.useChallenge();
  },
  challenge(ctx) {
    const device = pendingDevice(ctx.session.data[SESSION_TOTP_DEVICE]);
    if (!device) throw new Error('No TOTP device is being set up in this session');
    return {
      config_url: totpConfigUrl({
        secret: device.secret,
        digits: device.digits,
        period: device.period,
        issuer: ctx.request.brand_title ?? OTP_TOTP_ISSUER,
        username: ctx.pendingUser().username,
      }),
    };
  },
  responseSchema: responseObject({ code: drfInteger }) as unknown as z.ZodType<{ code: number }>,
  validate(ctx, response) {
    const device = pendingDevice(ctx.session.data[SESSION_TOTP_DEVICE]);
    if (!device) return { code: [{ string: CODE_DOES_NOT_MATCH, code: 'invalid' }] };
    const check = verifyTotpToken({ ...device, tolerance: TOTP_TOLERANCE }, response.code, ctx.deps.clock.now());
    if (!check.ok) return { code: [{ string: CODE_DOES_NOT_MATCH, code: 'invalid' }] };
    ctx.session.data[SESSION_TOTP_DEVICE] = { ...device, last_t: check.last_t, drift: check.drift } as unknown as JsonValue;
    return null;
  },
  onValid(ctx) {
    const device = pendingDevice(ctx.session.data[SESSION_TOTP_DEVICE]);
    if (!device) throw new Error('No TOTP device is being set up in this session');
    const stored = requirePort(ctx.deps, 'devices').create({
      type: 'totp',
      user_pk: device.user_pk,
      name: device.name,
      confirmed: true,
      secret: device.secret,
      digits: device.digits,
      period: device.period,
      tolerance: TOTP_TOLERANCE,
      drift: device.drift,
      last_t: device.last_t,
    });
    delete ctx.session.data[SESSION_TOTP_DEVICE];
    ctx.log('info', `TOTP device ${stored.pk} ("${stored.name}") confirmed`);
    return ctx.ok();
  },
});
