import { type PasswordVerifier } from '../ports';
import { type MemoryWorkspace } from './workspace';

export interface MemoryPasswordVerifierOptions {
  /**
   * Checks a stored hash (argon2 PHC string, Django's `argon2$…` / `pbkdf2_sha256$…`). The
   * engine imports no hashing library: the app or a test hands one in (e.g. the app's
   * `createPasswordHasher().verify`). Without it a hashed password never verifies.
   */
  verifyHash?: (hash: string, password: string) => Promise<boolean>;
}

/**
 * The InbuiltBackend's password check over the in-memory workspace: plain test passwords are
 * compared exactly (Django compares the whole string, whitespace included), hashes go through
 * `verifyHash`. A user without a stored password — or with an unusable one — never verifies.
 */
export class MemoryPasswordVerifier implements PasswordVerifier {
  constructor(
    private readonly workspace: MemoryWorkspace,
    private readonly options: MemoryPasswordVerifierOptions = {},
  ) {}

  async verify(userPk: number, password: string): Promise<boolean> {
    const user = this.workspace.userByPk(userPk);
    if (!user || !user.has_usable_password) return false;
    const stored = this.workspace.passwords.get(userPk);
    if (!stored) return false;
    if ('plain' in stored) return stored.plain === password;
    if (!this.options.verifyHash) return false;
    try {
      return await this.options.verifyHash(stored.hash, password);
    } catch {
      return false;
    }
  }
}
