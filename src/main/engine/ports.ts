import {
  type Flow,
  type FlowDesignation,
  type FlowStageBinding,
  type Group,
  type JsonValue,
  type Policy,
  type PolicyBinding,
  type Stage,
  type User,
} from '@shared/model';

/**
 * Everything the engine needs from outside, as interfaces. The engine never imports the
 * store, the transports, Electron or Node's file system: the app wires SQLite-backed
 * implementations in, tests and previews use the in-memory ones of `./memory/`.
 *
 * The read side is synchronous on purpose: the workspace is better-sqlite3 (synchronous) or
 * memory, and planning thousands of flows per second must not pay a microtask per lookup.
 * Policies, the clock's sleep and the expression runtime are asynchronous.
 */

// ---------------------------------------------------------------------------------------------
// Users as the engine sees them

/**
 * A user in the engine: the shared `User` plus what authentik derives on its `User` object.
 * `pk` is null for the anonymous user and for the unsaved placeholder users identification
 * creates (authentik's `User(username=…)` before `save()`).
 */
export type EngineUser = Omit<User, 'pk'> & {
  pk: number | null;
  /** Django's AnonymousUser: `is_authenticated` is false. */
  is_anonymous: boolean;
  /** Derived: any of the user's groups, ancestors included, has `is_superuser`. */
  is_superuser: boolean;
  /** False for the placeholder users identification creates (never written to the store). */
  saved: boolean;
};

// ---------------------------------------------------------------------------------------------
// The simulated HTTP request

/** What authentik's GeoIP context processor puts in `context.geoip` (`GeoIPDict`). */
export interface SimGeoIP {
  continent: string | null;
  country: string | null;
  city: string | null;
  lat: number | null;
  long: number | null;
}

/** What authentik's ASN context processor puts in `context.asn` (`ASNDict`). */
export interface SimAsn {
  asn: number;
  as_org: string | null;
  network: string | null;
}

/**
 * The HTTP request a flow runs under, simulated. `geoip`/`asn` null means "the GeoIP
 * database does not know this IP" (authentik then puts `None` in the policy context).
 */
export interface SimRequest {
  /** Client IP (authentik's `get_client_ip`). */
  ip: string;
  user_agent: string;
  /** Query string of the flow executor request (`?next=…`, `query=` is separate). */
  query: Record<string, string>;
  geoip: SimGeoIP | null;
  asn: SimAsn | null;
  /** The session's logged-in user; null = anonymous. */
  session_user: EngineUser | null;
  /**
   * Django session key; part of authentik's policy cache key (`_<session_key>`).
   * Missing or null is written as `None`, as authentik does for a session without a key.
   */
  session_key?: string | null;
  /** The request was made by an outpost (outpost token + remote-IP headers). */
  outpost?: boolean;
  /** Name shown in `context.outpost.instance` when `outpost` is set. */
  outpost_name?: string;
  /** Brand title (used by the password policy's zxcvbn inputs); authentik's default "authentik". */
  brand_title?: string;
}

// ---------------------------------------------------------------------------------------------
// Workspace

/** Equality filters over users; `iexact` makes string comparisons case-insensitive. */
export interface UserFilter {
  pk?: number;
  username?: string;
  email?: string;
  name?: string;
  path?: string;
  is_active?: boolean;
  type?: User['type'];
  /** Compare strings case-insensitively (Django `__iexact`). */
  iexact?: boolean;
}

/** Read access to one workspace (or a sandbox snapshot of it). */
export interface WorkspaceReader {
  flowByPk(pk: string): Flow | null;
  flowBySlug(slug: string): Flow | null;
  /** Flows of a designation ordered by slug ascending (authentik `ToDefaultFlow`). */
  flowsByDesignation(designation: FlowDesignation): Flow[];
  /** A flow's stage bindings ordered by `order`, then pk (a stable tie-breaker). */
  flowStageBindings(flowPk: string): FlowStageBinding[];
  flowStageBindingByPk(pk: string): FlowStageBinding | null;
  stageByPk(pk: string): Stage | null;
  /** Policy bindings of a target (flow or flow stage binding), ordered by `order`, then pk. Disabled ones included. */
  policyBindings(targetPk: string): PolicyBinding[];
  policyByPk(pk: string): Policy | null;
  policyByName(name: string): Policy | null;
  userByPk(pk: number): User | null;
  /** Users matching every given field, ordered by pk. */
  findUsers(filter: UserFilter): User[];
  groupByPk(pk: string): Group | null;
  /** A user's groups including all their ancestors (authentik `User.all_groups()`). */
  userGroups(userPk: number): Group[];
}

/**
 * Writes the engine itself performs (later stages extend this). Runs write to a sandbox
 * copy; applying to the real workspace is the caller's explicit decision.
 */
export interface WorkspaceWriter {
  /** authentik `user.set_unusable_password(); user.save()` (password expiry policy). */
  setUnusablePassword(userPk: number): void;
  /**
   * authentik `user.delete()` (user_delete stage). Django cascades: the user's policy bindings
   * (`PolicyBinding.user`) go with it. Unknown pks are ignored.
   */
  deleteUser(userPk: number): void;
  /** Django's `update_last_login` on `user_logged_in` (user_login stage). ISO 8601. */
  setLastLogin(userPk: number, at: string): void;
}

// ---------------------------------------------------------------------------------------------
// Time and randomness

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Resolve after `ms` milliseconds of this clock's time. Aborting `signal` cancels the timer
   * and rejects the promise with the signal's reason.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface Random {
  /** An integer in `[min, max)` (Python `randrange(min, max)`); throws on an empty range. */
  int(min: number, max: number): number;
  /** A random UUID (v4 form). */
  uuid(): string;
}

// ---------------------------------------------------------------------------------------------
// Events

/** authentik's `get_user(user)` shape inside events. */
export interface EventUser {
  pk: number | null;
  username: string;
  email: string;
  is_anonymous?: boolean;
}

/** An authentik event (`authentik_events.event`), as plain JSON. */
export interface EngineEvent {
  pk: string;
  action: string;
  user: EventUser | null;
  client_ip: string | null;
  /** Dotted module that created the event, e.g. `authentik.policies.process`. */
  app: string;
  /** `app_label.model_name` of the model the event is about, if any. */
  model: string | null;
  context: Record<string, JsonValue>;
  /** ISO 8601 timestamp. */
  created: string;
}

export type NewEvent = Omit<EngineEvent, 'pk' | 'created'> & { created?: string };

export interface EventQuery {
  action?: string;
  user_pk?: number | null;
  /** Only events whose `context` has this key with a non-null value. */
  context_has?: string;
  /** Default newest first (authentik `order_by("-created")`). */
  order?: 'newest' | 'oldest';
  limit?: number;
}

export interface EventLog {
  append(event: NewEvent): EngineEvent;
  query(query?: EventQuery): EngineEvent[];
}

// ---------------------------------------------------------------------------------------------
// Reputation

export interface ReputationRecord {
  identifier: string;
  ip: string;
  score: number;
  /** ISO 8601; records past it are ignored. */
  expires: string;
  updated: string;
}

export interface ReputationStore {
  /**
   * Summed score of the unexpired records with `ip` equal to `query.ip` OR `identifier`
   * equal to `query.identifier` (each record counted once). With neither given, the sum over
   * every record (authentik filters with an empty `Q()`).
   */
  score(query: { ip?: string; identifier?: string }): number;
  /** Add `delta` to the (identifier, ip) record, creating it at 0 first. */
  update(identifier: string, ip: string, delta: number): void;
  records(): ReputationRecord[];
}

// ---------------------------------------------------------------------------------------------
// Cache

/**
 * A key/value cache for plan and policy results (authentik uses Django's cache). Values are
 * JSON; implementations store copies, never live objects.
 */
export interface Cache {
  get(key: string): JsonValue | undefined;
  /** `ttlSeconds` undefined = the implementation's default. */
  set(key: string, value: JsonValue, ttlSeconds?: number): void;
  delete(key: string): void;
  /** Remove every key, or every key starting with `prefix`. */
  clear(prefix?: string): void;
  keys(prefix?: string): string[];
}

// ---------------------------------------------------------------------------------------------
// Expressions (implemented by the expressions issue; until then the engine fails loudly)

export interface TraceLog {
  level: 'debug' | 'info' | 'warning' | 'error';
  message: string;
}

/** Variables handed to an expression (authentik's evaluator locals, §6.1). */
export interface ExpressionVariables {
  /** `request.user`, `request.http_request`, `request.obj`, `request.context`. */
  request: {
    user: EngineUser;
    http_request: SimRequest | null;
    obj: { kind: string; pk: string | null; label: string } | null;
    context: Record<string, unknown>;
  };
  /** Shortcut for `request.context`. */
  context: Record<string, unknown>;
  ak_is_sso_flow: boolean;
  /** Client IP when an HTTP request is attached, else absent. */
  ak_client_ip?: string;
  http_request?: SimRequest;
}

export interface ExpressionOutcome {
  /** The handler's return value, converted to JSON; `null`/`undefined` = Python `None`. */
  result: JsonValue | undefined;
  /** Python truthiness of the result when it is not representable as JSON; else computed. */
  truthy?: boolean;
  /** Every `ak_message()` in call order. */
  messages: string[];
  logs: TraceLog[];
  /** Set when the expression raised (syntax or runtime): the exception text. */
  error?: string;
  /** Set by a runtime that cannot evaluate anything (no Python in this build). */
  unavailable?: boolean;
}

export interface ExpressionRuntime {
  evaluate(source: string, variables: ExpressionVariables): Promise<ExpressionOutcome>;
}

// ---------------------------------------------------------------------------------------------
// Password strength (zxcvbn), wired in when `@zxcvbn-ts/core` is installed

export interface PasswordStrength {
  /** 0–4. */
  score: number;
  feedback: { warning: string | null; suggestions: string[] };
}

export interface PasswordStrengthEstimator {
  estimate(password: string, userInputs: string[]): PasswordStrength | Promise<PasswordStrength>;
}

// ---------------------------------------------------------------------------------------------
// Flow tokens (authentik `FlowToken`: a saved plan behind a key, e.g. the email stage's link)

/** authentik `authentik_flows.flowtoken`, as plain JSON. */
export interface FlowToken {
  /** The token key (`?flow_token=<key>` in the executor's `query`). */
  key: string;
  /** The flow the saved plan belongs to. */
  flow_pk: string;
  /** The saved plan (executor plan JSON, version 1); authentik pickles it into `_plan`. */
  plan: JsonValue;
  /** The user the token was issued for (`Token.user`), or null. */
  user_pk: number | null;
  /** ISO 8601; null = does not expire. */
  expires: string | null;
  /** Delete the token when it is used (authentik default true). */
  revoke_on_execution: boolean;
}

export interface FlowTokenStore {
  save(token: FlowToken): void;
  /** The unexpired token with this key, or null. */
  get(key: string): FlowToken | null;
  delete(key: string): void;
  /** Every unexpired token (oldest first). */
  list(): FlowToken[];
}

// ---------------------------------------------------------------------------------------------
// Everything together

export interface EngineDeps {
  workspace: WorkspaceReader;
  /** Absent = side effects are not applied (recorded in the trace logs instead). */
  writer?: WorkspaceWriter | null;
  clock: Clock;
  random: Random;
  events: EventLog;
  reputation: ReputationStore;
  expressions: ExpressionRuntime;
  /** Plan cache and policy cache (distinct key prefixes). */
  cache: Cache;
  /** Absent = a password policy with `check_zxcvbn` fails loudly (never passes silently). */
  passwordStrength?: PasswordStrengthEstimator | null;
  /** Flow tokens (email links). Absent = no token can be saved or restored (a flow token in the query is ignored). */
  flowTokens?: FlowTokenStore | null;
}
