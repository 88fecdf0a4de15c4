import { type JsonValue, type User } from '@shared/model';
import { type EngineUser, type EventUser, type WorkspaceReader } from './ports';

/**
 * Users in the engine, and how they are written into plan contexts: a plan is plain JSON, so
 * a user is stored as a reference, never as an object (authentik pickles its User objects
 * into the session; we don't).
 */

/** Reference to a user inside a plan context. */
export type UserRef = (
  | { $user: number }
  | { $user: 'placeholder'; data: PlaceholderUserData }
  | { $user: 'anonymous' }
) & {
  /** authentik's `user.backend`, kept on the pickled pending user (see `EngineUser.backend`). */
  backend?: string;
};

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
  const ref: UserRef = user.saved && user.pk !== null ? { $user: user.pk } : { $user: 'placeholder', data: placeholderData(user) };
  if (typeof user.backend === 'string') ref.backend = user.backend;
  return ref;
}

function placeholderData(user: EngineUser): PlaceholderUserData {
  const data: PlaceholderUserData = { username: user.username };
  if (user.email) data.email = user.email;
  if (user.name) data.name = user.name;
  if (Object.keys(user.attributes).length > 0) data.attributes = user.attributes;
  return data;
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
  const user = ref.$user === 'placeholder' ? placeholderUser(ref.data) : loadEngineUser(workspace, ref.$user);
  if (!user) throw new UnknownUserError(ref.$user as number);
  if (typeof ref.backend === 'string') user.backend = ref.backend;
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

/** A context names a user the workspace does not have. */
export class ContextUserError extends Error {
  override name = 'ContextUserError';
}

/**
 * The users a person names in a context they type (`flowbench plan --context`, the policy test):
 * `pending_user: "<username>"` becomes a reference to that user, as in the flow-test format.
 * With `checkRefs`, top-level `{"$user": <pk>}` references must name existing users too.
 * Throws `ContextUserError`; returns a new object.
 */
export function resolveContextUserNames(
  workspace: WorkspaceReader,
  context: Readonly<Record<string, JsonValue>>,
  options: { checkRefs?: boolean } = {},
): Record<string, JsonValue> {
  const out = { ...context };
  if (typeof out.pending_user === 'string') {
    const user = workspace.findUsers({ username: out.pending_user })[0];
    if (!user) throw new ContextUserError(`pending_user "${out.pending_user}" is not a user of this workspace`);
    out.pending_user = { $user: user.pk };
  }
  if (options.checkRefs) {
    for (const [key, value] of Object.entries(out)) {
      if (isUserRef(value) && typeof value.$user === 'number' && !workspace.userByPk(value.$user)) {
        throw new ContextUserError(`${key} refers to user ${value.$user}, which does not exist in this workspace`);
      }
    }
  }
  return out;
}
