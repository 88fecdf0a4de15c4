import { z } from 'zod';
import { pk } from '../common';
import { userType } from '../identity';
import { type StageKindDef } from '../kind-registry';

export const userCreationMode = z.enum(['never_create', 'create_when_required', 'always_create']);

export const userWriteStage = {
  model: 'authentik_stages_user_write.userwritestage',
  label: 'User Write Stage',
  description: 'Creates or updates the pending user from the collected prompt data.',
  component: null,
  config: z.object({
    user_creation_mode: userCreationMode.default('create_when_required'),
    create_users_as_inactive: z.boolean().default(false),
    create_users_group: pk.nullable().default(null),
    user_type: userType.default('external'),
    user_path_template: z.string().default(''),
  }),
} as const satisfies StageKindDef;
