import { type z } from 'zod';
import { type JsonValue, type User, userType as userTypeSchema } from '@shared/model';
import { userWriteStage } from '@shared/model/stages';
import {
  PLAN_CONTEXT_GROUPS,
  PLAN_CONTEXT_PENDING_USER,
  PLAN_CONTEXT_PROMPT,
  PLAN_CONTEXT_USER_BACKEND,
  PLAN_CONTEXT_USER_PATH,
  PLAN_CONTEXT_USER_TYPE,
} from '../context-keys';
import { cleanseDict, cloneJson, isJsonObject, pythonStr } from '../json';
import { type EngineUser, type UserWrite } from '../ports';
import { engineUser, eventUser, isUserRef, placeholderUser, userRef } from '../users';
import { defineStage, type StageContext } from './types';
import { BACKEND_INBUILT } from './user-login';

type Config = z.output<typeof userWriteStage.config>;

export const NO_PENDING_DATA = 'No Pending data.';
export const NO_USER_CANNOT_CREATE = "No user found and can't create new user.";
export const FAILED_TO_UPDATE_USER = 'Failed to update user. Please try again later.';

/** authentik `User.default_path()`. */
const DEFAULT_USER_PATH = 'users';

/** Keys never written to the user (authentik `disallowed_user_attributes`). */
const DISALLOWED_KEYS = new Set(['groups']);
/** User fields Flowbench stores, assigned as authentik's `setattr(user, key, value)` does. */
const MODELLED_FIELDS = new Set(['username', 'name', 'email', 'is_active', 'type', 'path']);
/** Fields authentik's User has that Flowbench does not store: accepted upstream, not written here. */
const UNMODELLED_FIELDS = new Set([
  'first_name',
  'last_name',
  'is_staff',
  'last_login',
  'date_joined',
  'password_change_date',
  'last_updated',
  'uuid',
]);

/** The user being written: the shared fields plus what authentik keeps on the object. */
interface Draft {
  pk: number | null;
  data: UserWrite;
  /** `set_password(value)` was called (applied after the save, through the writer). */
  password: string | null;
  /** `set_password(None)`: Django's `make_password(None)` is an unusable password. */
  unusablePassword: boolean;
  /** What `user.save()` will fail on (a NULL username, a type Flowbench cannot store …). */
  saveErrors: string[];
  /** `username` was set to None: not "" (so not the empty-username abort), but the save fails. */
  usernameIsNone: boolean;
}

/** Django `BooleanField.to_python` (an unreadable value raises a ValidationError at save: a flow error). */
function toBoolean(value: JsonValue): boolean {
  if (value === true || value === false) return value;
  if (value === 't' || value === 'True' || value === '1' || value === 1) return true;
  if (value === 'f' || value === 'False' || value === '0' || value === 0) return false;
  throw new Error(`ValidationError: “${pythonStr(value)}” value must be either True or False.`);
}

/** authentik `set_path_in_dict`: walk/create dicts along the dotted path, set the last part. */
function setPathInDict(root: Record<string, JsonValue>, path: string, value: JsonValue): void {
  const parts = path.split('.');
  let current: Record<string, JsonValue> = root;
  for (const part of parts.slice(0, -1)) {
    if (!Object.hasOwn(current, part)) current[part] = {};
    const next = current[part];
    if (!isJsonObject(next)) throw new Error(`'${typeof next === 'string' ? 'str' : Array.isArray(next) ? 'list' : typeof next}' object has no attribute 'get' (attributes path ${path})`);
    current = next;
  }
  current[parts[parts.length - 1] ?? ''] = value;
}

/** `UserWriteStageView.write_attribute`: underscores count as dots (`attributes_a_b` = `attributes.a.b`). */
function writeAttribute(draft: Draft, key: string, value: JsonValue): void {
  let parts = key.replaceAll('_', '.').split('.');
  if (parts[0] === 'attributes') parts = parts.slice(1);
  setPathInDict(draft.data.attributes, parts.join('.'), cloneJson(value));
}

/** `update_user`: apply `prompt_data` to the draft, key by key. */
function updateUser(ctx: StageContext<Config>, draft: Draft, data: Record<string, JsonValue>): void {
  for (const [key, value] of Object.entries(data)) {
    if (key === 'password') {
      // User.set_password(value); None makes the password unusable.
      draft.password = value === null ? null : pythonStr(value);
      draft.unusablePassword = value === null;
    } else if (key === 'unusable_password') {
      // set_unusable_password() takes no value: Python raises, authentik shows a flow error.
      throw new TypeError('AbstractBaseUser.set_unusable_password() takes 1 positional argument but 2 were given');
    } else if (DISALLOWED_KEYS.has(key)) {
      ctx.log('info', `discarding key (key=${key})`);
    } else if (key === 'attributes') {
      if (!isJsonObject(value)) throw new Error(`dictionary update sequence element #0 has the wrong type (attributes = ${JSON.stringify(value)})`);
      Object.assign(draft.data.attributes, cloneJson(value));
    } else if (key.startsWith('attributes.') || key.startsWith('attributes_')) {
      writeAttribute(draft, key, value);
    } else if (MODELLED_FIELDS.has(key)) {
      assignField(draft, key, value);
    } else if (UNMODELLED_FIELDS.has(key)) {
      ctx.log('warning', `prompt_data.${key}: authentik's User has this field, Flowbench does not store it (not written)`);
    } else {
      ctx.log('info', `discarding key (key=${key})`);
    }
  }
}

/** `setattr(user, key, value)`, with the conversion (or the failure) `user.save()` would apply. */
function assignField(draft: Draft, key: string, value: JsonValue): void {
  const data = draft.data;
  switch (key) {
    case 'is_active':
      data.is_active = toBoolean(value);
      return;
    case 'type': {
      const parsed = userTypeSchema.safeParse(value);
      // Django does not check choices on save (authentik would store it); Flowbench's store does.
      if (parsed.success) data.type = parsed.data;
      else draft.saveErrors.push(`"${pythonStr(value)}" is not a user type Flowbench can store`);
      return;
    }
    default: {
      // username, name, email, path: text columns (NOT NULL).
      if (value === null) {
        draft.saveErrors.push(`NOT NULL constraint failed: users.${key}`);
        if (key === 'username') draft.usernameIsNone = true;
        return;
      }
      if (key === 'username') draft.usernameIsNone = false;
      const text = typeof value === 'string' ? value : pythonStr(value);
      if (key === 'username') data.username = text;
      else if (key === 'name') data.name = text;
      else if (key === 'email') data.email = text;
      else data.path = text;
    }
  }
}

/** `context.groups`: group pks, `{pk}` or `{$group: pk}` objects (authentik holds Group objects). */
function contextGroups(ctx: StageContext<Config>, value: JsonValue): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    const pk = typeof item === 'string' ? item : isJsonObject(item) ? (item.$group ?? item.pk) : null;
    if (typeof pk !== 'string' || !ctx.deps.workspace.groupByPk(pk)) throw new Error(`'Group' instance expected, got ${JSON.stringify(item)}`);
    return pk;
  });
}

function draftFrom(user: EngineUser): Draft {
  return {
    pk: user.saved ? user.pk : null,
    data: {
      username: user.username,
      name: user.name,
      email: user.email,
      is_active: user.is_active,
      type: user.type,
      path: user.path,
      attributes: cloneJson(user.attributes),
      groups: [...user.groups],
    },
    password: null,
    unusablePassword: false,
    saveErrors: [],
    usernameIsNone: false,
  };
}

/**
 * `authentik_stages_user_write.userwritestage` (non-interactive, spec §5.5):
 * 1. no `prompt_data` → stage_invalid "No Pending data.";
 * 2. an authenticated request user is the default `pending_user`;
 * 3. no pending user or `always_create`: `never_create` → stage_invalid "No user found and can't
 *    create new user."; else a new user (active unless `create_users_as_inactive`, path =
 *    `context.user_path` or the template or "users", type = `context.user_type` or the stage's,
 *    `internal_service_account` → `service_account`), `user_backend` = InbuiltBackend;
 * 4. `prompt_data` applied key by key: `password` → `set_password`, `groups` discarded,
 *    `attributes` merged, `attributes.a.b` / `attributes_a_b` nested (underscores are dots),
 *    user fields assigned, anything else discarded (`component` removed first);
 * 5. empty username → stage_invalid; save (+ `create_users_group`, `context.groups`); a failed
 *    save (taken username …) → stage_invalid "Failed to update user. Please try again later.";
 *    a `user_write` event (prompt data cleansed, `created`), `password_set` for an existing user.
 * Writes go through the run's writer; the password is hashed outside the engine.
 */
export const userWriteStageImpl = defineStage<Config>({
  model: userWriteStage.model,
  async run(ctx) {
    const context = ctx.plan.context;
    if (!Object.hasOwn(context, PLAN_CONTEXT_PROMPT)) {
      ctx.log('debug', NO_PENDING_DATA);
      return ctx.invalid(NO_PENDING_DATA);
    }
    const data = context[PLAN_CONTEXT_PROMPT];
    if (!isJsonObject(data)) throw new Error(`context.prompt_data is not a dictionary (${JSON.stringify(data)})`);

    // ensure_user
    let path = Object.hasOwn(context, PLAN_CONTEXT_USER_PATH) ? pythonStr(context[PLAN_CONTEXT_USER_PATH]) : ctx.config.user_path_template;
    if (path === '') path = DEFAULT_USER_PATH;
    const wanted = Object.hasOwn(context, PLAN_CONTEXT_USER_TYPE) ? context[PLAN_CONTEXT_USER_TYPE] : ctx.config.user_type;
    const parsedType = userTypeSchema.safeParse(wanted);
    let type: User['type'] = parsedType.success ? parsedType.data : ctx.config.user_type;
    if (type === 'internal_service_account') type = 'service_account';

    const requestUser = ctx.requestUser();
    if (!requestUser.is_anonymous && !Object.hasOwn(context, PLAN_CONTEXT_PENDING_USER)) context[PLAN_CONTEXT_PENDING_USER] = userRef(requestUser);
    let created = false;
    let draft: Draft;
    if (!Object.hasOwn(context, PLAN_CONTEXT_PENDING_USER) || ctx.config.user_creation_mode === 'always_create') {
      if (ctx.config.user_creation_mode === 'never_create') {
        ctx.log('info', NO_USER_CANNOT_CREATE);
        return ctx.invalid(NO_USER_CANNOT_CREATE);
      }
      draft = {
        pk: null,
        data: { username: '', name: '', email: '', is_active: !ctx.config.create_users_as_inactive, type, path, attributes: {}, groups: [] },
        password: null,
        unusablePassword: false,
        saveErrors: [],
        usernameIsNone: false,
      };
      context[PLAN_CONTEXT_PENDING_USER] = userRef(placeholderUser({ username: '' }));
      context[PLAN_CONTEXT_USER_BACKEND] = BACKEND_INBUILT;
      ctx.log('debug', `Created new user (flow_slug=${ctx.flow.slug}, type=${type}, path=${path}, active=${!ctx.config.create_users_as_inactive})`);
      created = true;
    } else {
      const ref = context[PLAN_CONTEXT_PENDING_USER];
      if (!isUserRef(ref)) throw new Error('context.pending_user is not a user reference ({"$user": pk} …)');
      const pending = ctx.pendingUser();
      if (pending.is_anonymous) throw new Error("'AnonymousUser' object has no attribute 'attributes'");
      draft = draftFrom(pending);
      if (!pending.saved) ctx.log('info', `The pending user ${pending.username} was never saved (a placeholder): saving it creates it`);
    }

    const passwordChange = Object.keys(data).some((key) => key.includes('password')) && requestUser.pk !== null && requestUser.pk === draft.pk;

    // update_user (prompt_data without `component`, which authentik pops from the context's dict)
    delete data.component;
    updateUser(ctx, draft, data);
    if (draft.data.username === '' && !draft.usernameIsNone) {
      ctx.log('warning', 'Aborting write to empty username');
      return ctx.invalid();
    }

    // save (+ groups), in one transaction
    const out: { saved: User | null } = { saved: null };
    try {
      if (draft.saveErrors.length > 0) throw new Error(draft.saveErrors.join('; '));
      const groups = [...draft.data.groups];
      const addGroup = (pk: string): void => {
        if (!groups.includes(pk)) groups.push(pk);
      };
      if (ctx.config.create_users_group) {
        if (!ctx.deps.workspace.groupByPk(ctx.config.create_users_group)) throw new Error(`Group ${ctx.config.create_users_group} does not exist`);
        addGroup(ctx.config.create_users_group);
      }
      if (Object.hasOwn(context, PLAN_CONTEXT_GROUPS)) for (const pk of contextGroups(ctx, context[PLAN_CONTEXT_GROUPS] ?? null)) addGroup(pk);
      const write: UserWrite = { ...draft.data, groups };
      const now = new Date(ctx.deps.clock.now()).toISOString();
      const pk = draft.pk;
      const detail = `${pk === null ? 'Create' : 'Update'} user ${write.username}${pk === null ? '' : ` (pk ${pk})`}`;
      ctx.sideEffect(pk === null ? 'create_user' : 'update_user', detail, (writer) => {
        out.saved = pk === null ? writer.createUser(write, { date_joined: now }) : writer.updateUser(pk, write);
      });
      if (out.saved === null) {
        ctx.log('warning', 'This run has no writer: the user is not saved and stays an unsaved placeholder in the context');
        context[PLAN_CONTEXT_PENDING_USER] = userRef(placeholderUser({ username: write.username, email: write.email, name: write.name, attributes: write.attributes }));
      } else {
        const stored: User = out.saved;
        if (draft.password !== null) {
          const password = draft.password;
          let pending: void | Promise<void> = undefined;
          ctx.sideEffect('set_password', `Set the password of ${stored.username} (hashed outside the engine)`, (writer) => {
            pending = writer.setPassword(stored.pk, password, now);
          });
          await pending;
        } else if (draft.unusablePassword) {
          ctx.sideEffect('set_unusable_password', `Make the password of ${stored.username} unusable (password = None)`, (writer) => writer.setUnusablePassword(stored.pk));
        }
      }
    } catch (error) {
      ctx.log('warning', `Failed to save user (exc=${error instanceof Error ? error.message : String(error)})`);
      return ctx.invalid(FAILED_TO_UPDATE_USER);
    }

    const user: EngineUser = out.saved ? engineUser(ctx.deps.workspace, out.saved) : placeholderUser({ username: draft.data.username, email: draft.data.email });
    if (out.saved) context[PLAN_CONTEXT_PENDING_USER] = userRef(user);
    if ((draft.password !== null || draft.unusablePassword) && draft.pk !== null) {
      // User.set_password on a saved user fires password_changed → a password_set event.
      ctx.deps.events.append({ action: 'password_set', user: eventUser(user), client_ip: ctx.request.ip, app: 'authentik.events.signals', model: null, context: {} });
    }
    // user_write signal → the user_write event (Event.new cleanses the prompt data).
    ctx.deps.events.append({
      action: 'user_write',
      user: eventUser(user),
      client_ip: ctx.request.ip,
      app: 'authentik.events.signals',
      model: null,
      context: { ...cleanseDict(cloneJson(data)), created },
    });
    if (passwordChange) ctx.log('debug', `Updated session hash (user=${user.username}): the session stays logged in`);
    ctx.log('debug', `Updated existing user (user=${user.username}, flow_slug=${ctx.flow.slug})`);
    return ctx.ok();
  },
});
