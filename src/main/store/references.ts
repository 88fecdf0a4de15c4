/**
 * References from a stage's or policy's config (blueprint attrs) to other workspace objects.
 * Configs are stored as JSON (see migrations/0001-initial.ts for why), so these are the foreign
 * keys the services enforce: on write every referenced pk must exist (and, for stage references,
 * be of an allowed kind); on delete a single reference blocks with IN_USE, while a list
 * reference (authentik's M2M) simply loses the deleted pk, as in authentik.
 *
 * Keyed by authentik model name, independent of which kinds are registered yet: an entry for an
 * unregistered kind is inert. test/unit/store/references.test.ts fails when a registered kind has
 * a pk-typed config field (or list of pks) that is listed neither here nor as unmodeled.
 */
export type ReferenceTarget = 'stage' | 'flow' | 'prompt' | 'policy' | 'group';

export interface ReferenceField {
  readonly field: string;
  readonly target: ReferenceTarget;
  /** A list of pks (M2M) rather than one nullable pk (FK). */
  readonly many: boolean;
  /** Stage references only: the kinds the referenced stage may have (any when absent). */
  readonly kinds?: readonly string[];
}

const configureFlow: ReferenceField = { field: 'configure_flow', target: 'flow', many: false };

export const STAGE_REFERENCES: Readonly<Record<string, readonly ReferenceField[]>> = {
  'authentik_stages_identification.identificationstage': [
    {
      field: 'password_stage',
      target: 'stage',
      many: false,
      kinds: ['authentik_stages_password.passwordstage'],
    },
    {
      field: 'captcha_stage',
      target: 'stage',
      many: false,
      kinds: ['authentik_stages_captcha.captchastage'],
    },
    {
      field: 'webauthn_stage',
      target: 'stage',
      many: false,
      kinds: ['authentik_stages_authenticator_webauthn.authenticatorwebauthnstage'],
    },
    { field: 'enrollment_flow', target: 'flow', many: false },
    { field: 'recovery_flow', target: 'flow', many: false },
    { field: 'passwordless_flow', target: 'flow', many: false },
  ],
  'authentik_stages_password.passwordstage': [configureFlow],
  'authentik_stages_prompt.promptstage': [
    { field: 'fields', target: 'prompt', many: true },
    { field: 'validation_policies', target: 'policy', many: true },
  ],
  'authentik_stages_user_write.userwritestage': [
    { field: 'create_users_group', target: 'group', many: false },
  ],
  'authentik_stages_redirect.redirectstage': [
    { field: 'target_flow', target: 'flow', many: false },
  ],
  'authentik_stages_authenticator_validate.authenticatorvalidatestage': [
    { field: 'configuration_stages', target: 'stage', many: true },
  ],
  'authentik_stages_authenticator_totp.authenticatortotpstage': [configureFlow],
  'authentik_stages_authenticator_static.authenticatorstaticstage': [configureFlow],
  'authentik_stages_authenticator_webauthn.authenticatorwebauthnstage': [configureFlow],
  'authentik_stages_authenticator_duo.authenticatorduostage': [configureFlow],
  'authentik_stages_authenticator_sms.authenticatorsmsstage': [configureFlow],
  'authentik_stages_authenticator_email.authenticatoremailstage': [configureFlow],
  'authentik_stages_authenticator_endpoint_gdtc.authenticatorendpointgdtcstage': [configureFlow],
};

/** No policy kind of spec §6 references a workspace object; listed for symmetry and future kinds. */
export const POLICY_REFERENCES: Readonly<Record<string, readonly ReferenceField[]>> = {};

/**
 * Config fields, per kind, that hold pks of objects Flowbench does not store (sources, WebAuthn
 * device types, property mappings): kept verbatim in the config, never checked.
 */
export const UNMODELED_REFERENCE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'authentik_stages_identification.identificationstage': ['sources'],
  'authentik_stages_authenticator_validate.authenticatorvalidatestage': [
    'webauthn_allowed_device_types',
  ],
  'authentik_stages_authenticator_webauthn.authenticatorwebauthnstage': [
    'device_type_restrictions',
  ],
  'authentik_stages_authenticator_sms.authenticatorsmsstage': ['mapping'],
  'authentik_stages_source.sourcestage': ['source'],
};

export function referencesOf(owner: 'stage' | 'policy', kind: string): readonly ReferenceField[] {
  return (owner === 'stage' ? STAGE_REFERENCES : POLICY_REFERENCES)[kind] ?? [];
}

/** Every (owner kind, field) that can point at a `target`, for in-use lookups. */
export function referrersOf(
  target: ReferenceTarget,
): { owner: 'stage' | 'policy'; kind: string; ref: ReferenceField }[] {
  const out: { owner: 'stage' | 'policy'; kind: string; ref: ReferenceField }[] = [];
  for (const [owner, table] of [
    ['stage', STAGE_REFERENCES],
    ['policy', POLICY_REFERENCES],
  ] as const) {
    for (const [kind, refs] of Object.entries(table)) {
      for (const ref of refs) if (ref.target === target) out.push({ owner, kind, ref });
    }
  }
  return out;
}

/** The pks a config holds in `ref.field` (none when absent or null). */
export function referencedPks(config: Record<string, unknown>, ref: ReferenceField): string[] {
  const value = config[ref.field];
  if (value === null || value === undefined) return [];
  if (ref.many)
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return typeof value === 'string' ? [value] : [];
}
