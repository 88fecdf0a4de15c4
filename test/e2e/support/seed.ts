import { type Client, createClient } from '@shared/contract';
import { createHttpTransport } from '@shared/contract/http-transport';
import { type ServeHandle } from './serve';

/** A contract client talking to the test's server over HTTP, to set data up without the UI. */
export function apiClient(server: ServeHandle): { client: Client; close(): void } {
  const transport = createHttpTransport({ baseUrl: server.origin, token: server.token });
  return { client: createClient(transport), close: () => transport.close() };
}

/**
 * A workspace that looks lived-in: every designation, a name too long for the sidebar, a flow
 * with stage bindings, nested groups and users in several states.
 */
export async function seedShowcase(client: Client): Promise<{ mainFlowSlug: string }> {
  const login = await client.call('flows.create', {
    name: 'Default authentication flow',
    slug: 'default-authentication-flow',
    title: 'Welcome to authentik!',
    designation: 'authentication',
    authentication: 'require_unauthenticated',
  });
  const flows = [
    {
      name: 'Default enrollment flow (invitation only, with email verification and terms of service)',
      slug: 'default-enrollment-invitation-email-verification',
      designation: 'enrollment',
    },
    {
      name: 'Default invalidation flow',
      slug: 'default-invalidation-flow',
      designation: 'invalidation',
      authentication: 'require_authenticated',
    },
    {
      name: 'Default recovery flow',
      slug: 'default-recovery-flow',
      designation: 'recovery',
      authentication: 'require_unauthenticated',
    },
    {
      name: 'Default provider authorization flow (explicit consent)',
      slug: 'default-provider-authorization-explicit-consent',
      designation: 'authorization',
      authentication: 'require_authenticated',
    },
    {
      name: 'Default authenticator TOTP setup flow',
      slug: 'default-authenticator-totp-setup',
      designation: 'stage_configuration',
      authentication: 'require_authenticated',
    },
    {
      name: 'Delete my account',
      slug: 'default-unenrollment-flow',
      designation: 'unenrollment',
      authentication: 'require_authenticated',
    },
    {
      name: 'Admin-only maintenance',
      slug: 'admin-maintenance',
      designation: 'authorization',
      authentication: 'require_superuser',
    },
  ] as const;
  for (const flow of flows) await client.call('flows.create', { title: flow.name, ...flow });

  const identification = await client.call('stages.create', {
    name: 'default-authentication-identification',
    kind: 'authentik_stages_identification.identificationstage',
    config: { user_fields: ['username', 'email'] },
  });
  const password = await client.call('stages.create', {
    name: 'default-authentication-password',
    kind: 'authentik_stages_password.passwordstage',
    config: {
      backends: ['authentik.core.auth.InbuiltBackend', 'authentik.core.auth.TokenBackend'],
    },
  });
  const userLogin = await client.call('stages.create', {
    name: 'default-authentication-login',
    kind: 'authentik_stages_user_login.userloginstage',
    config: {},
  });
  await client.call('bindings.create', { target: login.pk, stage: identification.pk, order: 10 });
  await client.call('bindings.create', {
    target: login.pk,
    stage: password.pk,
    order: 20,
    re_evaluate_policies: false,
  });
  await client.call('bindings.create', {
    target: login.pk,
    stage: userLogin.pk,
    order: 100,
    invalid_response_action: 'restart_with_context',
  });

  const staff = await client.call('groups.create', { name: 'staff' });
  const admins = await client.call('groups.create', {
    name: 'authentik Admins',
    is_superuser: true,
    parent: staff.pk,
  });
  await client.call('groups.create', {
    name: 'contractors-with-a-rather-long-group-name-for-testing',
    parent: staff.pk,
  });
  await client.call('users.create', {
    username: 'akadmin',
    name: 'authentik Default Admin',
    email: 'root@localhost',
    groups: [admins.pk],
    password: 'akadmin',
  });
  await client.call('users.create', {
    username: 'jdoe',
    name: 'Jane Doe',
    email: 'jane.doe@example.com',
    groups: [staff.pk],
  });
  await client.call('users.create', {
    username: 'former.employee',
    name: 'Former Employee',
    is_active: false,
  });
  return { mainFlowSlug: login.slug };
}
