import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import * as argon2 from 'argon2';

/**
 * Password hashing for workspace users: argon2id, stored as a PHC string
 * (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`). Only argon2's async API is used, so hashing runs
 * on libuv's threadpool and never blocks the main thread (Electron's UI or the HTTP server).
 * Nothing here logs, and no error message carries a password or a hash.
 */
export interface Argon2Params {
  /** KiB */
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/** OWASP Password Storage Cheat Sheet minimum for argon2id: 19 MiB, 2 iterations, 1 lane. */
export const OWASP_ARGON2ID: Argon2Params = Object.freeze({
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
});

const ARGON2_VERSION = 0x13;

export interface PasswordHasher {
  readonly params: Argon2Params;
  /** A fresh argon2id PHC string. */
  hash(password: string): Promise<string>;
  /** Whether `password` matches `stored`. Unusable markers, null and unknown formats never match. */
  verify(stored: string | null, password: string): Promise<boolean>;
  /** Whether a (verified) stored hash should be replaced: not argon2id, or any parameter below the current ones. */
  needsRehash(stored: string): boolean;
}

/** authentik's `set_unusable_password` (Django): a `!`-prefixed random marker no password matches. */
export const UNUSABLE_PASSWORD_PREFIX = '!';

export function makeUnusablePassword(): string {
  return UNUSABLE_PASSWORD_PREFIX + randomBytes(30).toString('base64url');
}

export function isUsablePasswordHash(stored: string | null | undefined): stored is string {
  return (
    typeof stored === 'string' && stored.length > 0 && !stored.startsWith(UNUSABLE_PASSWORD_PREFIX)
  );
}

export function createPasswordHasher(params: Argon2Params = OWASP_ARGON2ID): PasswordHasher {
  if (
    params.memoryCost < OWASP_ARGON2ID.memoryCost ||
    params.timeCost < OWASP_ARGON2ID.timeCost ||
    params.parallelism < OWASP_ARGON2ID.parallelism
  ) {
    throw new Error(
      'argon2id parameters below the OWASP minimum (memoryCost 19456, timeCost 2, parallelism 1)',
    );
  }
  const current = Object.freeze({ ...params });
  return {
    params: current,
    hash: (password) => argon2.hash(password, { type: argon2.argon2id, ...current }),
    verify: verifyPassword,
    needsRehash(stored) {
      const phc = parseArgon2Phc(stored);
      if (!phc || phc.id !== 'argon2id' || phc.version !== ARGON2_VERSION) return true;
      return phc.m < current.memoryCost || phc.t < current.timeCost || phc.p < current.parallelism;
    },
  };
}

interface Argon2Phc {
  id: string;
  version: number;
  m: number;
  t: number;
  p: number;
}

/** Parameters of an argon2 PHC string, or null when `stored` is not one. */
export function parseArgon2Phc(stored: string): Argon2Phc | null {
  const match = /^\$(argon2id|argon2i|argon2d)\$(?:v=(\d+)\$)?([^$]+)\$[^$]+\$[^$]+$/.exec(stored);
  if (!match) return null;
  const params = new Map<string, number>();
  for (const pair of (match[3] ?? '').split(',')) {
    const [key, value] = pair.split('=');
    if (key && value !== undefined && /^\d+$/.test(value)) params.set(key, Number(value));
  }
  const m = params.get('m');
  const t = params.get('t');
  const p = params.get('p');
  if (m === undefined || t === undefined || p === undefined) return null;
  return { id: match[1] ?? '', version: match[2] ? Number(match[2]) : 0x10, m, t, p };
}

/**
 * Verify against our PHC strings and the two formats an authentik export can carry: Django's
 * `argon2$<phc>` and `pbkdf2_sha256$<iterations>$<salt>$<base64>`. Anything else never matches.
 * A match on a foreign format reports `needsRehash`, so it is upgraded on the next check.
 */
async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!isUsablePasswordHash(stored)) return false;
  const phc = stored.startsWith('argon2$') ? stored.slice('argon2'.length) : stored;
  if (parseArgon2Phc(phc)) {
    try {
      return await argon2.verify(phc, password);
    } catch {
      return false;
    }
  }
  const pbkdf = /^pbkdf2_sha256\$(\d+)\$([^$]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (pbkdf) {
    const expected = Buffer.from(pbkdf[3] ?? '', 'base64');
    if (expected.length === 0) return false;
    const derived = await new Promise<Buffer>((resolve, reject) =>
      pbkdf2(password, pbkdf[2] ?? '', Number(pbkdf[1]), expected.length, 'sha256', (error, key) =>
        error ? reject(error) : resolve(key),
      ),
    );
    return derived.length === expected.length && timingSafeEqual(derived, expected);
  }
  return false;
}
