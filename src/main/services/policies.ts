import { type ProcedureInput } from '@shared/contract';
import { pk as pkSchema, type Policy, type PolicyInput, policyFields } from '@shared/model';
import {
  deletePolicy,
  getPolicy,
  insertPolicy,
  listPolicies,
  updatePolicy,
} from '../store/repos/policies';
import { assertConfigReferences, releaseConfigReferences } from './config-references';
import { type CreateOptions, type ServiceContext, type WriteOptions } from './context';
import { mapSqliteErrors, notFound, parseInput } from './errors';

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
  const { db } = ctx;
  const nameTaken = (name: string, pk = '') => ({
    'policies.name': () => `A policy named "${name}" already exists.`,
    'policies.pk': () => `An object with pk "${pk}" already exists.`,
  });

  return {
    list: () => mapSqliteErrors(() => listPolicies(db)),
    get: (pk) => mapSqliteErrors(() => requirePolicy(ctx, pk)),

    create(input, options = {}) {
      const fields = parseInput(policyFields, input);
      const pk = options.pk === undefined ? ctx.newPk() : parseInput(pkSchema, options.pk, ['pk']);
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            const created = { ...fields, pk };
            assertConfigReferences(ctx, 'policy', fields.kind, fields.config);
            insertPolicy(db, created);
            record('policy', 'created', pk);
            return options.readBack === false ? created : requirePolicy(ctx, pk);
          }),
        nameTaken(fields.name, pk),
      );
    },

    update({ pk, patch }, options = {}) {
      let name = patch.name ?? '';
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            const current = requirePolicy(ctx, pk);
            const fields = parseInput(
              policyFields,
              {
                name: patch.name ?? current.name,
                kind: current.kind,
                execution_logging: patch.execution_logging ?? current.execution_logging,
                config: patch.config ?? current.config,
              },
              ['patch'],
            );
            name = fields.name;
            assertConfigReferences(ctx, 'policy', fields.kind, fields.config);
            const next = { ...fields, pk };
            updatePolicy(db, next);
            record('policy', 'updated', pk);
            return options.readBack === false ? next : requirePolicy(ctx, pk);
          }),
        nameTaken(name),
      );
    },

    delete(pk) {
      mapSqliteErrors(() =>
        ctx.write((record) => {
          const policy = requirePolicy(ctx, pk);
          releaseConfigReferences(ctx, record, 'policy', pk, `Policy "${policy.name}"`);
          deletePolicy(db, pk);
          record('policy', 'deleted', pk);
        }),
      );
    },
  };
}
