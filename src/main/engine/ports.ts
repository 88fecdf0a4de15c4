import {
  type Flow,
  type FlowDesignation,
  type FlowStageBinding,
  type Group,
  type JsonValue,
  type Policy,
  type PolicyBinding,
  type Prompt,
  type Stage,
  type User,
} from '@shared/model';
import type { UserRef } from './users';

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
  /**
   * The authentication backend that verified this user in this flow (authentik sets
   * `user.backend` in `authenticate()`; `hasattr(pending_user, "backend")` tells a flow the
   * password was already checked). Absent for users merely looked up.
   */
  backend?: string;
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
  /** Host header (Django `get_host()`, `build_absolute_uri`); default "localhost". */
  host?: string;
  /** Default "http". */
  scheme?: 'http' | 'https';
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
  /** A prompt (`authentik_stages_prompt.prompt`) by pk (prompt stage fields). */
  promptByPk(pk: string): Prompt | null;
}

/** The user fields the engine writes (user_write stage). */
export type UserWrite = Pick<User, 'username' | 'name' | 'email' | 'is_active' | 'type' | 'path' | 'attributes' | 'groups'>;

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
  /**
   * `user.save()` of a new user (user_write stage): returns the stored user with its pk.
   * `date_joined` is the engine's clock time. Throws on a constraint violation (a taken
   * username, an unknown group): the stage turns that into authentik's "Failed to update
   * user. Please try again later.".
   */
  createUser(data: UserWrite, options: { date_joined: string }): User;
  /** `user.save()` of an existing user with these fields; same errors as `createUser`. */
  updateUser(userPk: number, data: UserWrite): User;
  /**
   * authentik `user.set_password(raw)` + save: the adapter hashes (argon2id) outside the
   * engine; the in-memory workspace stores the plain text for its `PasswordVerifier`.
   * Sets `has_usable_password` and `password_change_date` (`changedAt`, the engine's clock).
   */
  setPassword(userPk: number, plaintext: string, changedAt?: string): void | Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Passwords (the password stage's InbuiltBackend; the engine never sees a hash)

export interface PasswordVerifier {
  /**
   * Whether `password` is the stored password of user `userPk` (Django `check_password`).
   * No user, no usable password or an unknown hash format → false.
   */
  verify(userPk: number, password: string): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------
// Captcha (reCAPTCHA-compatible `siteverify`; real providers cannot be reached offline)

/** What a reCAPTCHA / hCaptcha / Turnstile `siteverify` endpoint answers (authentik reads these keys). */
export interface CaptchaVerification {
  success: boolean;
  /** reCAPTCHA v3 / hCaptcha Enterprise score; absent for checkbox captchas. */
  score?: number;
  'error-codes'?: string[];
  [key: string]: JsonValue | undefined;
}

export interface CaptchaVerifier {
  /**
   * authentik `verify_captcha_token`'s HTTP part: POST `{secret, response, remoteip}` to
   * `apiUrl` and return the JSON. Throw when the provider cannot be reached (authentik then
   * answers "Failed to validate token").
   */
  verify(input: { apiUrl: string; secret: string; token: string; remoteIp: string }): Promise<CaptchaVerification>;
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
  /** Property-mapping expressions (prompt placeholders / initial values): the pending user. */
  user?: EngineUser;
  /** Prompt expressions: the current `prompt_data` (also in `request.context.prompt_context`). */
  prompt_context?: Record<string, unknown>;
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
  /** 1-based line of the expression the error points at (syntax error or traceback), when known. */
  error_line?: number | null;
  /** Everything the expression `print()`ed; absent or "" = nothing. */
  output?: string;
  /** Set by a runtime that cannot evaluate anything (no Python in this build). */
  unavailable?: boolean;
  /** The Python traceback of `error`, limited to the expression's own frames. */
  traceback?: string;
  /** `repr()` of the returned object (for traces; `result` is its JSON form). */
  repr?: string;
  /** The evaluation was stopped at its deadline (`error` says so). */
  timed_out?: boolean;
  /** Output, messages or the result were cut at the runtime's limits. */
  truncated?: boolean;
  /** Time spent inside the interpreter, in ms. */
  duration_ms?: number;
  /** `ak_create_event(action, **kwargs)` calls, in order (the caller records them). */
  events?: { action: string; context: Record<string, JsonValue> }[];
  /**
   * What the expression did to `context["flow_plan"]`: its context after the evaluation when it
   * was written to (user objects as `UserRef`s), and method calls in order. Null/absent = untouched.
   */
  plan?: { context: Record<string, JsonValue> | null; ops: ExpressionPlanOp[] } | null;
}

/** `flow_plan` method calls an expression made (applied to the live plan by the caller). */
export type ExpressionPlanOp = { op: 'redirect'; destination: string } | { op: 'pop' };

/**
 * What an expression may ask of the engine while it runs (authentik's helpers that query the
 * database or run other policies). Built per evaluation by the caller (`expressionHostCalls`).
 */
export interface ExpressionHostCalls {
  /** `ak_user_by(**filters)`: the first matching user, or null. */
  userBy(filters: Record<string, JsonValue>): EngineUser | null;
  /** A user's groups including every ancestor (authentik `all_groups()`), for the user objects. */
  userGroups(user: EngineUser): Group[];
  /** A user reference stored in a plan context, resolved (null = no such user). */
  resolveUser(ref: UserRef): EngineUser | null;
  /**
   * The model fields of `request.obj` (a flow: slug, name, designation…; a flow stage binding:
   * order, stage, target…) so `request.obj.slug` works as in authentik. Empty when unknown.
   */
  targetFields(obj: { kind: string; pk: string | null }): Record<string, JsonValue>;
  /** `ak_user_has_authenticator(user, device_type)`: confirmed devices only. */
  userHasAuthenticator(userPk: number, deviceType: string | null): boolean;
  /** `ak_call_policy(name, **kwargs)`: `{error}` when no policy has that name. */
  callPolicy(name: string, kwargs: Record<string, JsonValue>): Promise<{ passing: boolean; messages: string[] } | { error: string }>;
}

export interface ExpressionEvaluateOptions {
  /** Name in tracebacks (authentik: the policy's name). */
  filename?: string;
  /** Stop the evaluation after this long (the binding's timeout). Default: the runtime's. */
  timeoutMs?: number;
  /** Absent = the helpers that need the engine fail with a clear error. */
  host?: ExpressionHostCalls;
}

/** Where a runtime's interpreter stands (shown in the UI; `unavailable` = no runtime in this build). */
export interface ExpressionRuntimeStatus {
  state: 'unavailable' | 'idle' | 'starting' | 'ready' | 'failed';
  /** Which host runs it: `node-child`, `electron-renderer`, … */
  host: string;
  python: string | null;
  pyodide: string | null;
  loadMs: number | null;
  launches: number;
  lastExit: string | null;
}

export interface ExpressionRuntime {
  evaluate(source: string, variables: ExpressionVariables, options?: ExpressionEvaluateOptions): Promise<ExpressionOutcome>;
  /**
   * True: the runtime stops an evaluation at `timeoutMs` in real time and says so
   * (`timed_out`); the engine then arms no Clock timer of its own (a fake clock would time a
   * real process out too early, or too late).
   */
  readonly ownsDeadline?: boolean;
  /** Absent = a runtime without an interpreter to report on (scripted, unavailable). */
  status?(): ExpressionRuntimeStatus;
  /** Start the interpreter now, off any critical path; resolves when it is ready or failed. */
  warmUp?(): Promise<ExpressionRuntimeStatus>;
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
// Outbox (the email stage's mail: Flowbench never sends SMTP)

/** One message the email stage "sent". */
export interface OutboxMessage {
  pk: string;
  /** ISO 8601, the engine's clock. */
  created: string;
  from: string;
  /** Recipient address (`context.email` or the user's email). */
  to: string;
  /** Recipient display name (authentik sends to `(user.name, email)`). */
  to_name: string;
  subject: string;
  /** The template the stage names (`email/password_reset.html` …); Flowbench renders a plain-text stand-in. */
  template: string;
  /** Plain-text body, containing `url`. */
  body: string;
  /** The flow link (`/if/flow/<slug>/?…&flow_token=<key>`), or null. */
  url: string | null;
  /** `url` taken apart, for `navigate(deps, state, link)`. */
  link: { flow: string; query: Record<string, string> } | null;
  /** The sending stage's name and flow slug. */
  stage: string | null;
  flow_slug: string | null;
}

export type NewOutboxMessage = Omit<OutboxMessage, 'pk' | 'created'>;

export interface Outbox {
  send(message: NewOutboxMessage): OutboxMessage;
  /** Messages, oldest first; optionally only those to `to` (case-insensitive). */
  list(filter?: { to?: string }): OutboxMessage[];
}

// ---------------------------------------------------------------------------------------------
// Consents (authentik `authentik_stages_consent.userconsent`)

export interface UserConsent {
  pk: string;
  user_pk: number;
  /** The application's identity (its pk, else slug, else name, as the context carries it). */
  application: string;
  /** Space-joined permission ids (authentik's text column). */
  permissions: string;
  /** False = permanent. */
  expiring: boolean;
  /** ISO 8601; only read when `expiring`. */
  expires: string | null;
}

export interface ConsentStore {
  /** authentik `UserConsent.filter_not_expired(user, application).first()`. */
  find(userPk: number, application: string): UserConsent | null;
  /** Insert (no pk) or update (by pk). Returns the stored consent. */
  save(consent: Omit<UserConsent, 'pk'> & { pk?: string }): UserConsent;
  delete(pk: string): void;
  /** Every consent, expired ones included (oldest first). */
  list(): UserConsent[];
}

// ---------------------------------------------------------------------------------------------
// Invitations (authentik `authentik_stages_invitation.invitation`)

export interface Invitation {
  /** `invite_uuid`: the token (`?itoken=`). */
  pk: string;
  name: string;
  /** ISO 8601; null = never expires. */
  expires: string | null;
  /** When set, the invitation only works in this flow (pk). */
  flow: string | null;
  single_use: boolean;
  fixed_data: Record<string, JsonValue>;
  created_by: number | null;
}

export interface InvitationStore {
  /** The unexpired invitation with this pk (any UUID spelling), or null. */
  get(pk: string): Invitation | null;
  save(invitation: Invitation): void;
  delete(pk: string): void;
  /** Every invitation, expired ones included. */
  list(): Invitation[];
}

// ---------------------------------------------------------------------------------------------
// Authenticator devices (TOTP, static, simulated WebAuthn)

interface DeviceCommon {
  pk: number;
  user_pk: number;
  name: string;
  confirmed: boolean;
  /** ISO 8601. */
  created: string;
  /** ISO 8601 of the last successful verification, or null. */
  last_used: string | null;
}

/** authentik `TOTPDevice` (django-otp): RFC 6238, SHA1. */
export interface TotpDevice extends DeviceCommon {
  type: 'totp';
  /** Base32 secret. */
  secret: string;
  digits: 6 | 8;
  /** `step` in seconds (30). */
  period: number;
  /** Accepted time steps either side (django-otp `tolerance`, 1). */
  tolerance: number;
  /** Learned clock drift in steps (django-otp `OTP_TOTP_SYNC`). */
  drift: number;
  /** The last accepted time step (a code is never accepted twice); -1 = none. */
  last_t: number;
}

/** authentik `StaticDevice` with its `StaticToken`s (each usable once). */
export interface StaticDevice extends DeviceCommon {
  type: 'static';
  tokens: string[];
}

/** A WebAuthn device — simulated: Flowbench has no authenticator and checks no signatures. */
export interface WebAuthnDevice extends DeviceCommon {
  type: 'webauthn';
  credential_id: string;
  simulated: true;
}

export type AuthenticatorDevice = TotpDevice | StaticDevice | WebAuthnDevice;
export type AuthenticatorDeviceType = AuthenticatorDevice['type'];

type WithoutStored<T> = T extends AuthenticatorDevice ? Omit<T, 'pk' | 'created' | 'last_used'> & { last_used?: string | null } : never;
export type NewAuthenticatorDevice = WithoutStored<AuthenticatorDevice>;

export interface DeviceStore {
  /** Devices in authentik's `devices_for_user` order (static, totp, webauthn; then pk). */
  list(filter?: { user_pk?: number; type?: AuthenticatorDeviceType; confirmed?: boolean }): AuthenticatorDevice[];
  get(pk: number): AuthenticatorDevice | null;
  create(device: NewAuthenticatorDevice): AuthenticatorDevice;
  update(device: AuthenticatorDevice): void;
  delete(pk: number): void;
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
  /** Password checks of the InbuiltBackend. Absent = no password ever verifies (the trace says why). */
  passwords?: PasswordVerifier | null;
  /** Captcha verification (captcha stage, identification's embedded captcha). Absent = every token fails. */
  captcha?: CaptchaVerifier | null;
  /** The email stage's local outbox. Absent = the email stage fails loudly (flow error). */
  outbox?: Outbox | null;
  /** Stored consents (consent stage). Absent = a consent stage that must look one up fails loudly. */
  consents?: ConsentStore | null;
  /** Invitations (invitation stage). Absent = the stage fails loudly. */
  invitations?: InvitationStore | null;
  /** Authenticator devices (authenticator_* stages). Absent = those stages fail loudly. */
  devices?: DeviceStore | null;
}
