import { type EngineUser, type ExpressionVariables } from '../../src/main/engine/ports';
import { anonymousUser } from '../../src/main/engine/users';

/** A saved user as the engine sees it (for expression tests that need no workspace). */
export function testUser(overrides: Partial<EngineUser> = {}): EngineUser {
  return {
    ...anonymousUser(),
    pk: 7,
    username: 'alice',
    name: 'Alice',
    email: 'alice@example.com',
    is_active: true,
    is_anonymous: false,
    saved: true,
    has_usable_password: true,
    ...overrides,
  };
}

/** Policy variables for `user` with `context` (no HTTP request unless given). */
export function policyVariables(context: Record<string, unknown>, user: EngineUser = testUser()): ExpressionVariables {
  return {
    request: { user, http_request: null, obj: { kind: 'adhoc', pk: null, label: 'test' }, context },
    context,
    ak_is_sso_flow: false,
  };
}
