import { type Flow, type JsonValue } from '@shared/model';
import { isJsonObject } from '../json';
import { type EngineUser } from '../ports';
import { FLOW_CANCEL_URL } from './urls';

/**
 * authentik's challenge JSON (`authentik/flows/challenge.py`): every response of the executor
 * is an object discriminated by `component`.
 */

/** DRF `ErrorDetail` as authentik sends it in `response_errors`. */
export interface ErrorDetail {
  string: string;
  code: string;
}

/** `{field: [{string, code}]}`; errors not tied to a field are under `non_field_errors`. */
export type ResponseErrors = Record<string, ErrorDetail[]>;

export const NON_FIELD_ERRORS = 'non_field_errors';

/** `ContextualFlowInfo`. */
export interface FlowInfo {
  title: string;
  background: string;
  cancel_url: string;
  layout: Flow['layout'];
}

/** A challenge as JSON: `component` plus the component's fields. */
export type Challenge = { component: string } & { [key: string]: JsonValue };

export const COMPONENT_ACCESS_DENIED = 'ak-stage-access-denied';
export const COMPONENT_REDIRECT = 'xak-flow-redirect';
export const COMPONENT_FLOW_ERROR = 'ak-stage-flow-error';

/** authentik's `DEFAULT_AVATAR`: Flowbench does not fetch avatars (gravatar needs the network). */
export const DEFAULT_AVATAR = '/static/dist/assets/images/user_default.png';
/** `Flow.background_url` when no background is set. */
export const DEFAULT_FLOW_BACKGROUND = '/static/dist/assets/images/flow_background.jpg';
/** The message of an access-denied challenge without one (`AccessDeniedStage`). */
export const UNKNOWN_ERROR = 'Unknown error';

/** Python `str()` of what a plan context may hold for `%(app)s`: an Application's name, else the value. */
function pyStrOf(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return 'None';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (isJsonObject(value) && typeof value.name === 'string') return value.name;
  return JSON.stringify(value);
}

function pyRepr(text: string): string {
  return text.includes("'") && !text.includes('"') ? `"${text}"` : `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

const SPEC = /%(?:\(([^)]*)\))?([-#0 +]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g;

/**
 * Python `format % mapping` for the named `%(key)s` / `%(key)r` conversions a flow title uses
 * (`%%` is a percent sign, width/`-` padding supported). Anything else raises, as Python would
 * for a title that is not a valid format: the caller then falls back to the raw title.
 */
export function pythonNamedFormat(format: string, mapping: Readonly<Record<string, string>>): string {
  return format.replace(SPEC, (_all, key: string | undefined, flags: string, width: string | undefined, precision: string | undefined, conv: string) => {
    if (conv === '%' && key === undefined && !flags && !width && !precision) return '%';
    if (key === undefined) throw new TypeError('format requires a mapping');
    if (!Object.hasOwn(mapping, key)) throw new RangeError(`KeyError: '${key}'`);
    let text: string;
    if (conv === 's') text = mapping[key] ?? '';
    else if (conv === 'r' || conv === 'a') text = pyRepr(mapping[key] ?? '');
    else throw new TypeError(`unsupported format character '${conv}'`);
    if (precision !== undefined) text = text.slice(0, Number(precision));
    if (width !== undefined && text.length < Number(width)) {
      text = flags.includes('-') ? text.padEnd(Number(width)) : text.padStart(Number(width));
    }
    return text;
  });
}

/** Any `%` left over that is not part of a conversion makes Python raise ("incomplete format"). */
function hasStrayPercent(format: string): boolean {
  return format.replace(SPEC, '').includes('%');
}

/**
 * `ChallengeStageView.format_title`: the flow title with `%(app)s` (the context's application,
 * `""` without one) and `%(user)s` (the pending user for display); the raw title when the
 * substitution fails.
 */
export function formatFlowTitle(flow: Flow, context: Record<string, JsonValue> | null, displayUser: EngineUser): string {
  if (!context) return flow.title;
  try {
    if (hasStrayPercent(flow.title)) return flow.title;
    const app = Object.hasOwn(context, 'application') ? pyStrOf(context.application) : '';
    const user = displayUser.is_anonymous ? 'AnonymousUser' : displayUser.username;
    return pythonNamedFormat(flow.title, { app, user });
  } catch {
    return flow.title;
  }
}

/** `Flow.background_url`. */
export function flowBackground(flow: Flow): string {
  return flow.background ? flow.background : DEFAULT_FLOW_BACKGROUND;
}

export function flowInfo(flow: Flow, title: string): FlowInfo {
  return { title, background: flowBackground(flow), cancel_url: FLOW_CANCEL_URL, layout: flow.layout };
}

/** `pending_user` / `pending_user_avatar` of a "WithUserInfo" challenge. */
export function userInfo(displayUser: EngineUser): { pending_user: string; pending_user_avatar: string } {
  return { pending_user: displayUser.username, pending_user_avatar: DEFAULT_AVATAR };
}

export function isChallenge(value: unknown, component?: string): value is Challenge {
  return isJsonObject(value) && typeof value.component === 'string' && (component === undefined || value.component === component);
}
