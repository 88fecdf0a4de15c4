/**
 * Every model name authentik's blueprint importer accepts, across the releases whose blueprints
 * Flowbench reads: the `ModelEnum` of authentik 2025.2's `schema.yml`, the models newer releases
 * and their `blueprints/schema.json` (2025.12) add, and the old names older files still carry.
 * A model outside this list is what authentik answers with "App or Model does not exist"; a
 * model in it that Flowbench does not model is kept verbatim.
 */
const MODELS_BY_APP: Readonly<Record<string, readonly string[]>> = {
  authentik_blueprints: ['blueprintinstance', 'metaapplyblueprint'],
  authentik_brands: ['brand'],
  authentik_core: ['application', 'applicationentitlement', 'group', 'token', 'user'],
  authentik_crypto: ['certificatekeypair', 'acmehttp01challenge'],
  authentik_endpoints: ['deviceaccessgroup', 'deviceuserbinding', 'endpointstage'],
  authentik_endpoints_connectors_agent: ['agentconnector', 'agentdeviceuserbinding', 'enrollmenttoken'],
  authentik_enterprise: ['license'],
  authentik_events: ['event', 'notification', 'notificationrule', 'notificationtransport', 'notificationwebhookmapping'],
  authentik_flows: ['flow', 'flowstagebinding'],
  authentik_outposts: ['dockerserviceconnection', 'kubernetesserviceconnection', 'outpost'],
  authentik_policies: ['policybinding'],
  authentik_policies_dummy: ['dummypolicy'],
  authentik_policies_event_matcher: ['eventmatcherpolicy'],
  authentik_policies_expiry: ['passwordexpirypolicy'],
  authentik_policies_expression: ['expressionpolicy'],
  authentik_policies_geoip: ['geoippolicy'],
  authentik_policies_password: ['passwordpolicy'],
  authentik_policies_reputation: ['reputationpolicy'],
  authentik_policies_unique_password: ['uniquepasswordpolicy'],
  authentik_providers_google_workspace: ['googleworkspaceprovider', 'googleworkspaceprovidermapping'],
  authentik_providers_ldap: ['ldapprovider'],
  authentik_providers_microsoft_entra: ['microsoftentraprovider', 'microsoftentraprovidermapping'],
  authentik_providers_oauth2: ['oauth2provider', 'scopemapping'],
  authentik_providers_proxy: ['proxyprovider'],
  authentik_providers_rac: ['endpoint', 'racpropertymapping', 'racprovider'],
  authentik_providers_radius: ['radiusprovider', 'radiusproviderpropertymapping'],
  authentik_providers_saml: ['samlprovider', 'samlpropertymapping'],
  authentik_providers_scim: ['scimmapping', 'scimprovider'],
  authentik_providers_ssf: ['ssfprovider'],
  authentik_rbac: ['role', 'initialpermissions'],
  authentik_reports: ['dataexport'],
  authentik_sources_kerberos: [
    'kerberossource',
    'kerberossourcepropertymapping',
    'userkerberossourceconnection',
    'groupkerberossourceconnection',
  ],
  authentik_sources_ldap: ['ldapsource', 'ldapsourcepropertymapping', 'userldapsourceconnection', 'groupldapsourceconnection'],
  authentik_sources_oauth: ['oauthsource', 'oauthsourcepropertymapping', 'useroauthsourceconnection', 'groupoauthsourceconnection'],
  authentik_sources_plex: ['plexsource', 'plexsourcepropertymapping', 'userplexsourceconnection', 'groupplexsourceconnection'],
  authentik_sources_saml: ['samlsource', 'samlsourcepropertymapping', 'usersamlsourceconnection', 'groupsamlsourceconnection'],
  authentik_sources_scim: ['scimsource', 'scimsourcepropertymapping'],
  authentik_sources_telegram: [
    'telegramsource',
    'telegramsourcepropertymapping',
    'usertelegramsourceconnection',
    'grouptelegramsourceconnection',
  ],
  authentik_stages_account_lockdown: ['accountlockdownstage'],
  authentik_stages_account_selection: ['accountselectionstage', 'accountswitchstage'],
  authentik_stages_authenticator_duo: ['authenticatorduostage', 'duodevice'],
  authentik_stages_authenticator_email: ['authenticatoremailstage', 'emaildevice'],
  authentik_stages_authenticator_endpoint_gdtc: ['authenticatorendpointgdtcstage'],
  authentik_stages_authenticator_sms: ['authenticatorsmsstage', 'smsdevice'],
  authentik_stages_authenticator_static: ['authenticatorstaticstage', 'staticdevice'],
  authentik_stages_authenticator_totp: ['authenticatortotpstage', 'totpdevice'],
  authentik_stages_authenticator_validate: ['authenticatorvalidatestage'],
  // `authenticatewebauthnstage` is the name before migration 0010 (authentik 2024.4).
  authentik_stages_authenticator_webauthn: ['authenticatorwebauthnstage', 'authenticatewebauthnstage', 'webauthndevice'],
  authentik_stages_captcha: ['captchastage'],
  authentik_stages_consent: ['consentstage', 'userconsent'],
  authentik_stages_deny: ['denystage'],
  authentik_stages_dummy: ['dummystage'],
  authentik_stages_email: ['emailstage'],
  authentik_stages_identification: ['identificationstage'],
  authentik_stages_invitation: ['invitation', 'invitationstage'],
  authentik_stages_mtls: ['mutualtlsstage'],
  authentik_stages_password: ['passwordstage'],
  authentik_stages_prompt: ['prompt', 'promptstage', 'promptstagefield'],
  authentik_stages_redirect: ['redirectstage'],
  authentik_stages_source: ['sourcestage'],
  authentik_stages_user_delete: ['userdeletestage'],
  authentik_stages_user_login: ['userloginstage'],
  authentik_stages_user_logout: ['userlogoutstage'],
  authentik_stages_user_write: ['userwritestage'],
  authentik_tasks_schedules: ['schedule'],
  // Tenants became brands in 2024.2; `tenant` is what older blueprints (default-tenant.yaml) use.
  authentik_tenants: ['domain', 'tenant'],
};

export const KNOWN_AUTHENTIK_MODELS: ReadonlySet<string> = new Set(
  Object.entries(MODELS_BY_APP).flatMap(([app, models]) => models.map((model) => `${app}.${model}`)),
);

/** Models that are instructions to the importer rather than objects (spec §7.5). */
export const META_MODELS: ReadonlySet<string> = new Set(['authentik_blueprints.metaapplyblueprint']);

export function isKnownAuthentikModel(model: string): boolean {
  return KNOWN_AUTHENTIK_MODELS.has(model.toLowerCase());
}

/** `model_name → app_label` for every model (the first app wins a name two apps use). */
const RBAC_MODELS: Readonly<Record<string, string>> = (() => {
  const rbacModels: Record<string, string> = {};
  for (const [app, models] of Object.entries(MODELS_BY_APP)) {
    for (const model of models) if (!(model in rbacModels)) rbacModels[model] = app;
  }
  return Object.freeze(rbacModels);
})();

const BUILT_IN_CONTEXT = Object.freeze({
  'goauthentik.io/enterprise/licensed': false,
  'goauthentik.io/rbac/models': RBAC_MODELS,
});

/**
 * The built-in blueprint context authentik merges first (spec §7.1): whether an enterprise
 * licence is active (never, in Flowbench) and the RBAC model map `model_name → app_label`.
 * Built once and frozen (every level): the context merge copies it into each file's context.
 */
export function builtInContext(): Readonly<Record<string, boolean | Readonly<Record<string, string>>>> {
  return BUILT_IN_CONTEXT;
}
