import { type JsonValue, type User } from '@shared/model';
import { type EngineUser, type EventUser, type WorkspaceReader } from './ports';

/**
 * Users in the engine, and how they are written into plan contexts: a plan is plain JSON, so
 * a user is stored as a reference, never as an object (authentik pickles its User objects
 * into the session; we don't).
 */

/** Reference to a user inside a plan context. */
export type UserRef =
  | { $user: number }
  | { $user: 'placeholder'; data: PlaceholderUserData }
  | { $user: 'anonymous' };

/** What identification puts into an unsaved `User(...)`. */
export type PlaceholderUserData = {
  username: string;
  email?: string;
  name?: string;
  attributes?: Record<string, JsonValue>;
};

/** Django's AnonymousUser: username "", no pk, not authenticated. */
export function anonymousUser(): EngineUser {
  return {
    pk: null,
    username: '',
    name: '',
    email: '',
    is_active: false,
    type: 'internal',
    path: 'users',
    attributes: {},
    groups: [],
    has_usable_password: false,
    password_change_date: null,
    last_login: null,
    date_joined: new Date(0).toISOString(),
    is_anonymous: true,
    is_superuser: false,
    saved: false,
  };
}

/** An unsaved user, as identification creates for unknown identifiers (`pretend_user_exists`). */
export function placeholderUser(data: PlaceholderUserData): EngineUser {
  return {
    pk: null,
    username: data.username,
    name: data.name ?? '',
    email: data.email ?? '',
    is_active: true,
    type: 'internal',
    path: 'users',
    attributes: data.attributes ?? {},
    groups: [],
    has_usable_password: false,
    // authentik's auto_now_add field stays None until the first save.
    password_change_date: null,
    last_login: null,
    date_joined: new Date(0).toISOString(),
    is_anonymous: false,
    is_superuser: false,
    saved: false,
  };
}

/** A stored user with the derived flags (`is_superuser` through groups incl. ancestors). */
export function engineUser(workspace: WorkspaceReader, user: User): EngineUser {
  const groups = workspace.userGroups(user.pk);
  // Object.assign onto a copy: spreading and extending in one literal is several times slower on
  // Node 20, and this runs once per plan.
  const engine = Object.assign({}, user) as EngineUser;
  engine.is_anonymous = false;
  engine.is_superuser = groups.some((g) => g.is_superuser);
  engine.saved = true;
  return engine;
}

/** Load a stored user by pk as an EngineUser, or null. */
export function loadEngineUser(workspace: WorkspaceReader, pk: number): EngineUser | null {
  const user = workspace.userByPk(pk);
  return user ? engineUser(workspace, user) : null;
}

export function userRef(user: EngineUser): UserRef {
  if (user.is_anonymous) return { $user: 'anonymous' };
  if (user.saved && user.pk !== null) return { $user: user.pk };
  const data: PlaceholderUserData = { username: user.username };
  if (user.email) data.email = user.email;
  if (user.name) data.name = user.name;
  if (Object.keys(user.attributes).length > 0) data.attributes = user.attributes;
  return { $user: 'placeholder', data };
}

export function isUserRef(value: unknown): value is UserRef {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const ref = (value as Record<string, unknown>).$user;
  if (typeof ref === 'number') return Number.isInteger(ref);
  if (ref === 'anonymous') return true;
  if (ref === 'placeholder') {
    const data = (value as Record<string, unknown>).data;
    return typeof data === 'object' && data !== null && typeof (data as Record<string, unknown>).username === 'string';
  }
  return false;
}

export class UnknownUserError extends Error {
  readonly code = 'UNKNOWN_USER';
  constructor(readonly pk: number) {
    super(`The plan refers to user ${pk}, which does not exist in this workspace.`);
    this.name = 'UnknownUserError';
  }
}

/** Resolve a reference back to an EngineUser. Throws `UnknownUserError` for a missing pk. */
export function resolveUserRef(workspace: WorkspaceReader, ref: UserRef): EngineUser {
  if (ref.$user === 'anonymous') return anonymousUser();
  if (ref.$user === 'placeholder') return placeholderUser(ref.data);
  const user = loadEngineUser(workspace, ref.$user);
  if (!user) throw new UnknownUserError(ref.$user);
  return user;
}

/** authentik `User.is_authenticated` (true for every real or placeholder user). */
export function isAuthenticated(user: EngineUser): boolean {
  return !user.is_anonymous;
}

/**
 * authentik's `get_user(user)` for events. An AnonymousUser is logged as guardian's
 * anonymous user, whose username is "AnonymousUser".
 */
export function eventUser(user: EngineUser): EventUser {
  if (user.is_anonymous) return { pk: null, username: 'AnonymousUser', email: '', is_anonymous: true };
  return { pk: user.pk, username: user.username, email: user.email };
}
