import { type ProcedureInput } from '@shared/contract';
import { type Policy, type PolicyInput, policyFields } from '@shared/model';
import {
  deletePolicy,
  getPolicy,
  insertPolicy,
  listPolicies,
  updatePolicy,
} from '../store/repos/policies';
import { type CreateOptions, type ServiceContext, type WriteOptions } from './context';
import { mapSqliteErrors, notFound } from './errors';
import { kindObjectOperations } from './kind-objects';

export interface PolicyService {
  list(): Policy[];
  get(pk: string): Policy;
  create(input: PolicyInput, options?: CreateOptions): Policy;
  update(input: ProcedureInput<'policies.update'>, options?: WriteOptions): Policy;
  /** Every binding of the policy cascades; it leaves every prompt stage's validation_policies. */
  delete(pk: string): void;
}

export function requirePolicy(ctx: ServiceContext, pk: string): Policy {
  const policy = getPolicy(ctx.db, pk);
  if (!policy) throw notFound(`Policy "${pk}" does not exist.`);
  return policy;
}

export function createPolicyService(ctx: ServiceContext): PolicyService {
  const ops = kindObjectOperations(ctx, {
    entity: 'policy',
    table: 'policies',
    noun: 'Policy',
    fields: policyFields,
    repo: { get: getPolicy, insert: insertPolicy, update: updatePolicy, remove: deletePolicy },
    merge: (current, patch) => ({
      name: patch.name ?? current.name,
      kind: current.kind,
      execution_logging: patch.execution_logging ?? current.execution_logging,
      config: patch.config ?? current.config,
    }),
  });
  return {
    list: () => mapSqliteErrors(() => listPolicies(ctx.db)),
    get: (pk) => mapSqliteErrors(() => ops.require(pk)),
    create: (input, options) => ops.create(input, options),
    update: (input, options) => ops.update(input, options),
    delete: (pk) => ops.delete(pk),
  };
}
