/**
 * The reserved flow-plan context keys of spec §3.2 (constants in authentik's `planner.py`,
 * `stage.py` and the stages; docs `flow/context/index.mdx`). Later stages read and write
 * them through these constants, never through string literals.
 */

export const PLAN_CONTEXT_PENDING_USER = 'pending_user';
export const PLAN_CONTEXT_PENDING_USER_IDENTIFIER = 'pending_user_identifier';
export const PLAN_CONTEXT_PROMPT = 'prompt_data';
export const PLAN_CONTEXT_APPLICATION = 'application';
export const PLAN_CONTEXT_REDIRECT = 'redirect';
export const PLAN_CONTEXT_SSO = 'is_sso';
export const PLAN_CONTEXT_IS_RESTORED = 'is_restored';
export const PLAN_CONTEXT_IS_REDIRECTED = 'is_redirected';
export const PLAN_CONTEXT_REDIRECT_STAGE_TARGET = 'redirect_stage_target';
export const PLAN_CONTEXT_SOURCE = 'source';
export const PLAN_CONTEXT_DEVICE = 'device';
export const PLAN_CONTEXT_OUTPOST = 'outpost';
/** Only inside the *policy request* context of stage-binding policies, never in the plan context. */
export const PLAN_CONTEXT_FLOW_PLAN = 'flow_plan';
export const PLAN_CONTEXT_USER_BACKEND = 'user_backend';
export const PLAN_CONTEXT_METHOD = 'auth_method';
export const PLAN_CONTEXT_METHOD_ARGS = 'auth_method_args';
export const PLAN_CONTEXT_CONSENT_HEADER = 'consent_header';
export const PLAN_CONTEXT_CONSENT_PERMISSIONS = 'consent_permissions';
export const PLAN_CONTEXT_CONSENT_EXTRA_PERMISSIONS = 'consent_additional_permissions';
export const PLAN_CONTEXT_CONSENT = 'consent';
export const PLAN_CONTEXT_DENY_MESSAGE = 'deny_message';
export const PLAN_CONTEXT_EMAIL = 'email';
export const PLAN_CONTEXT_EMAIL_SENT = 'email_sent';
export const PLAN_CONTEXT_GROUPS = 'groups';
export const PLAN_CONTEXT_USER_PATH = 'user_path';
export const PLAN_CONTEXT_USER_TYPE = 'user_type';
export const PLAN_CONTEXT_CAPTCHA = 'captcha';
export const PLAN_CONTEXT_INVITATION = 'invitation';
export const PLAN_CONTEXT_INVITATION_IN_EFFECT = 'invitation_in_effect';
export const PLAN_CONTEXT_TITLE = 'title';
export const PLAN_CONTEXT_URL = 'url';
export const PLAN_CONTEXT_ATTRS = 'attrs';
/** Prefix of authentik-internal keys ("reserved, do not rely on"). */
export const PLAN_CONTEXT_INTERNAL_PREFIX = 'goauthentik.io/';

export interface ReservedContextKey {
  readonly key: string;
  /** The value's type in authentik (how Flowbench stores it: users as `UserRef`s, objects as JSON). */
  readonly type: string;
  readonly setBy: string;
  readonly meaning: string;
}

export const RESERVED_CONTEXT_KEYS = [
  { key: PLAN_CONTEXT_PENDING_USER, type: 'User', setBy: 'identification, password, user_write, callers', meaning: 'the user the flow is about' },
  { key: PLAN_CONTEXT_PENDING_USER_IDENTIFIER, type: 'string', setBy: 'identification (show_matched_user=false)', meaning: 'what the user typed; used for display' },
  { key: PLAN_CONTEXT_PROMPT, type: 'dict', setBy: 'prompt, invitation, sources', meaning: 'form values keyed by field_key' },
  { key: PLAN_CONTEXT_APPLICATION, type: 'Application', setBy: 'callers (authentication/authorization)', meaning: 'application being accessed; title %(app)s' },
  { key: PLAN_CONTEXT_REDIRECT, type: 'string URL', setBy: 'callers, policies', meaning: 'final redirect when the flow completes (no safety check)' },
  { key: PLAN_CONTEXT_SSO, type: 'bool', setBy: 'source / provider flows', meaning: 'exposed to expressions as ak_is_sso_flow' },
  { key: PLAN_CONTEXT_IS_RESTORED, type: 'FlowToken', setBy: 'executor', meaning: 'plan restored from a flow token (email link)' },
  { key: PLAN_CONTEXT_IS_REDIRECTED, type: 'Flow', setBy: 'redirect stage', meaning: "set on the target flow's context; satisfies require_redirect" },
  { key: PLAN_CONTEXT_REDIRECT_STAGE_TARGET, type: 'string', setBy: 'policies', meaning: 'overrides the redirect stage target (ak-flow://<slug> = flow mode)' },
  { key: PLAN_CONTEXT_SOURCE, type: 'Source', setBy: 'source flows', meaning: 'the source the flow runs for' },
  { key: PLAN_CONTEXT_DEVICE, type: 'Device', setBy: 'endpoint flows', meaning: 'the endpoint device' },
  { key: PLAN_CONTEXT_OUTPOST, type: '{instance: Outpost}', setBy: 'planner', meaning: 'the request came from an outpost' },
  { key: PLAN_CONTEXT_FLOW_PLAN, type: 'FlowPlan', setBy: 'planner / markers', meaning: 'policy request context of stage-binding policies only, never flow-level' },
  { key: PLAN_CONTEXT_USER_BACKEND, type: 'string (dotted path)', setBy: 'password, user_write', meaning: 'backend that authenticated' },
  { key: PLAN_CONTEXT_METHOD, type: 'string', setBy: 'password backends, MFA, passkey, tokens', meaning: 'password, token, ldap, auth_mfa, auth_webauthn_pwl, jwt' },
  { key: PLAN_CONTEXT_METHOD_ARGS, type: 'dict', setBy: 'password backends, MFA, passkey, tokens', meaning: 'arguments of auth_method' },
  { key: PLAN_CONTEXT_CONSENT_HEADER, type: 'string', setBy: 'callers', meaning: 'consent stage header' },
  { key: PLAN_CONTEXT_CONSENT_PERMISSIONS, type: 'list', setBy: 'callers', meaning: 'permissions to consent to' },
  { key: PLAN_CONTEXT_CONSENT_EXTRA_PERMISSIONS, type: 'list', setBy: 'callers', meaning: 'additional permissions to consent to' },
  { key: PLAN_CONTEXT_CONSENT, type: 'UserConsent', setBy: 'consent', meaning: 'the stored consent' },
  { key: PLAN_CONTEXT_DENY_MESSAGE, type: 'string', setBy: 'policies', meaning: 'overrides the deny stage message' },
  { key: PLAN_CONTEXT_EMAIL, type: 'string', setBy: 'policies', meaning: 'overrides the email stage recipient' },
  { key: PLAN_CONTEXT_EMAIL_SENT, type: 'bool', setBy: 'email', meaning: 'the email stage already sent its message' },
  { key: PLAN_CONTEXT_GROUPS, type: 'Group[]', setBy: 'policies', meaning: 'user_write: groups to add' },
  { key: PLAN_CONTEXT_USER_PATH, type: 'string', setBy: 'policies', meaning: 'user_write: path of created users' },
  { key: PLAN_CONTEXT_USER_TYPE, type: 'string', setBy: 'policies', meaning: 'user_write: type of created users' },
  { key: PLAN_CONTEXT_CAPTCHA, type: '{response, stage}', setBy: 'captcha', meaning: 'verification result for policies' },
  { key: PLAN_CONTEXT_INVITATION, type: 'Invitation', setBy: 'invitation', meaning: 'the invitation in use' },
  { key: PLAN_CONTEXT_INVITATION_IN_EFFECT, type: 'bool', setBy: 'invitation', meaning: 'an invitation was applied' },
  { key: PLAN_CONTEXT_TITLE, type: 'string', setBy: 'autosubmit (internal)', meaning: 'autosubmit title' },
  { key: PLAN_CONTEXT_URL, type: 'string', setBy: 'autosubmit (internal)', meaning: 'autosubmit target' },
  { key: PLAN_CONTEXT_ATTRS, type: 'dict', setBy: 'autosubmit (internal)', meaning: 'autosubmit form fields' },
] as const satisfies readonly ReservedContextKey[];

export type ReservedContextKeyName = (typeof RESERVED_CONTEXT_KEYS)[number]['key'];

export function isReservedContextKey(key: string): boolean {
  return key.startsWith(PLAN_CONTEXT_INTERNAL_PREFIX) || RESERVED_CONTEXT_KEYS.some((k) => k.key === key);
}
