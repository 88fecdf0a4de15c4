import { findKind, type FlowDesignation, policyRegistry } from '@shared/model';

export const designationLabels: Record<FlowDesignation, string> = {
  authentication: 'Authentication',
  authorization: 'Authorization',
  invalidation: 'Invalidation',
  enrollment: 'Enrollment',
  unenrollment: 'Unenrollment',
  recovery: 'Recovery',
  stage_configuration: 'Stage configuration',
};

export const authenticationLabels: Record<string, string> = {
  none: 'No requirement',
  require_authenticated: 'Requires an authenticated user',
  require_unauthenticated: 'Requires an unauthenticated user',
  require_superuser: 'Requires a superuser',
  require_redirect: 'Requires a redirect from another flow',
  require_outpost: 'Requires an outpost',
};

/** Short forms for dense list rows. */
export const authenticationShort: Record<string, string> = {
  none: 'anyone',
  require_authenticated: 'signed in',
  require_unauthenticated: 'signed out',
  require_superuser: 'superuser',
  require_redirect: 'redirect',
  require_outpost: 'outpost',
};

/** Designations as short as a sidebar row needs them. */
export const designationShort: Record<FlowDesignation, string> = {
  ...designationLabels,
  stage_configuration: 'Stage config',
};

export const deniedActionLabels: Record<string, string> = {
  message_continue: 'Message, continue if possible',
  message: 'Message',
  continue: 'Continue',
};

export const layoutLabels: Record<string, string> = {
  stacked: 'Stacked',
  content_left: 'Content left',
  content_right: 'Content right',
  sidebar_left: 'Sidebar left',
  sidebar_right: 'Sidebar right',
};

export const policyEngineModeLabels: Record<string, string> = {
  any: 'Any policy passes',
  all: 'All policies pass',
};

export const userTypeLabels: Record<string, string> = {
  internal: 'Internal',
  external: 'External',
  service_account: 'Service account',
  internal_service_account: 'Internal service account',
};

export function label(map: Record<string, string>, value: string): string {
  return map[value] ?? value;
}

/** A policy kind's name from the shared registry ("Expression Policy"); the model name otherwise. */
export function policyKindLabel(kind: string): string {
  return findKind(policyRegistry, kind)?.label ?? kind;
}
