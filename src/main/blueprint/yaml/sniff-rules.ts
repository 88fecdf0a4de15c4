import type { BlueprintEntry, TagName } from './types';

/**
 * Facts about when authentik gained or dropped something a blueprint can show. Each names its
 * source in goauthentik/authentik; a release is "YYYY.M". `min` means "needs this release or
 * newer", `max` means "this release or older"; a rule with neither is informational.
 */
export interface VersionFact {
  min?: string;
  max?: string;
  /** What was seen, as a noun phrase: "model authentik_rbac.role (RBAC, 2023.10+)". */
  says: string;
}

/** Tags beyond `!KeyOf` (which legacy flow exports already had) came with blueprints in 2022.8. */
export const TAG_FACTS: Partial<Record<TagName, VersionFact>> = {
  // docs: website/docs/customize/blueprints/v1/tags.mdx marks !FindObject ak-version 2025.8
  FindObject: { min: '2025.8', says: 'tag !FindObject (added in 2025.8)' },
  AtIndex: { min: '2024.12', says: 'tag !AtIndex (added in 2024.12)' },
  Find: { min: '2022.8', says: 'tag !Find (blueprints, 2022.8+)' },
  Context: { min: '2022.8', says: 'tag !Context (blueprints, 2022.8+)' },
};

/** Facts read from one entry; each returns the fact when it applies. */
export const ENTRY_FACTS: readonly ((entry: BlueprintEntry) => VersionFact | undefined)[] = [
  // docs: blueprints/v1/meta.md, present since blueprints were introduced (2022.8).
  (entry) =>
    entry.model === 'authentik_blueprints.metaapplyblueprint'
      ? { min: '2022.8', says: 'meta model authentik_blueprints.metaapplyblueprint (2022.8+)' }
      : undefined,
  // migration authentik_stages_authenticator_webauthn 0010 (2024-04-02) renamed the model.
  (entry) =>
    entry.model === 'authentik_stages_authenticator_webauthn.authenticatewebauthnstage'
      ? {
          max: '2024.2',
          says: 'model authenticatewebauthnstage (old name; renamed to authenticatorwebauthnstage in 2024.4)',
        }
      : undefined,
  (entry) =>
    entry.model === 'authentik_stages_authenticator_webauthn.authenticatorwebauthnstage'
      ? { min: '2024.4', says: 'model authenticatorwebauthnstage (name since 2024.4)' }
      : undefined,
  // Tenants became brands in 2024.2.
  (entry) =>
    entry.model === 'authentik_brands.brand'
      ? { min: '2024.2', says: 'model authentik_brands.brand (brands replaced tenants in 2024.2)' }
      : undefined,
  (entry) =>
    entry.model === 'authentik_tenants.tenant'
      ? { max: '2023.10', says: 'model authentik_tenants.tenant (replaced by brands in 2024.2)' }
      : undefined,
  (entry) =>
    entry.model === 'authentik_rbac.role'
      ? { min: '2023.10', says: 'model authentik_rbac.role (RBAC, 2023.10+)' }
      : undefined,
  // spec §5.14: the redirect stage arrived in 2024.12.
  (entry) =>
    entry.model === 'authentik_stages_redirect.redirectstage'
      ? { min: '2024.12', says: 'model authentik_stages_redirect.redirectstage (2024.12+)' }
      : undefined,
  // docs: blueprints/v1/structure.mdx, "Requires authentik 2024.8" for entry permissions.
  (entry) =>
    entry.permissions !== undefined
      ? { min: '2024.8', says: 'entry `permissions` (2024.8+)' }
      : undefined,
  // migration authentik_flows 0028 (2024-12) added require_redirect to Flow.authentication.
  (entry) =>
    entry.model === 'authentik_flows.flow' && attr(entry, 'authentication') === 'require_redirect'
      ? { min: '2024.12', says: 'flow authentication: require_redirect (2024.12+)' }
      : undefined,
  (entry) =>
    entry.model === 'authentik_flows.flow' && attr(entry, 'authentication') === 'require_outpost'
      ? { min: '2024.10', says: 'flow authentication: require_outpost (2024.10+)' }
      : undefined,
  // migrations authentik_stages_identification 0016 (2025-04) and 0017 (2025-11).
  (entry) =>
    entry.model === 'authentik_stages_identification.identificationstage' &&
    attr(entry, 'enable_remember_me') !== undefined
      ? { min: '2025.4', says: 'identification stage enable_remember_me (2025.4+)' }
      : undefined,
  (entry) =>
    entry.model === 'authentik_stages_identification.identificationstage' &&
    attr(entry, 'webauthn_stage') !== undefined
      ? { min: '2025.12', says: 'identification stage webauthn_stage (passkey login, 2025.12+)' }
      : undefined,
  // migration authentik_stages_prompt 0012_rename_type_prompt_prompt_type exists only on a
  // branch; every release reads `type`.
  (entry) =>
    entry.model === 'authentik_stages_prompt.prompt' && attr(entry, 'prompt_type') !== undefined
      ? {
          says: 'prompt field `prompt_type` (only on an unreleased authentik branch; releases use `type`)',
        }
      : undefined,
  // migration authentik_flows 0025 (2023-02-25) flipped the binding defaults, first in 2023.3.
  (entry) =>
    entry.model === 'authentik_flows.flowstagebinding' &&
    (attr(entry, 'evaluate_on_plan') === undefined ||
      attr(entry, 're_evaluate_policies') === undefined)
      ? {
          says: 'stage binding relying on evaluate_on_plan/re_evaluate_policies defaults, which changed in 2023.3 (before: evaluated at planning, never re-evaluated)',
        }
      : undefined,
];

function attr(entry: BlueprintEntry, key: string): unknown {
  const fromAttrs = entry.attrs ? entry.attrs[key] : undefined;
  if (fromAttrs !== undefined) return fromAttrs;
  return entry.identifiers ? entry.identifiers[key] : undefined;
}
