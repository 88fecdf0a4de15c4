import { type ProcedureInput } from '@shared/contract';
import {
  type PolicyBinding,
  type PolicyBindingInput,
  policyBindingFields,
  pk as pkSchema,
} from '@shared/model';
import { getGroupName } from '../store/repos/groups';
import { getPolicyHead } from '../store/repos/policies';
import {
  deletePolicyBinding,
  getPolicyBinding,
  getPolicyBindingModel,
  insertPolicyBinding,
  listPolicyBindingsOf,
  updatePolicyBinding,
} from '../store/repos/policy-bindings';
import { getUsername } from '../store/repos/users';
import { type CreateOptions, type ServiceContext, type WriteOptions } from './context';
import { mapSqliteErrors, notFound, parseInput, type UniqueMessages } from './errors';

export interface PolicyBindingService {
  /** The policy bindings of a flow or stage binding, by order. NOT_FOUND when no such target. */
  list(target: string): PolicyBinding[];
  get(pk: string): PolicyBinding;
  create(input: PolicyBindingInput, options?: CreateOptions): PolicyBinding;
  update(input: ProcedureInput<'policyBindings.update'>, options?: WriteOptions): PolicyBinding;
  delete(pk: string): void;
}

export function requirePolicyBinding(ctx: ServiceContext, pk: string): PolicyBinding {
  const binding = getPolicyBinding(ctx.db, pk);
  if (!binding) throw notFound(`Policy binding "${pk}" does not exist.`);
  return binding;
}

export function createPolicyBindingService(ctx: ServiceContext): PolicyBindingService {
  const { db } = ctx;

  const requireTarget = (target: string, path: (string | number)[]): void => {
    if (getPolicyBindingModel(db, target) === undefined) {
      throw notFound(`No flow or stage binding has pk "${target}".`, [
        { path, message: 'no such flow or stage binding' },
      ]);
    }
  };
  /** The bound policy, group or user must exist; NOT_FOUND names which. */
  const requireSubject = (
    binding: Pick<PolicyBinding, 'policy' | 'group' | 'user'>,
    at: (string | number)[],
  ): void => {
    if (binding.policy !== null && getPolicyHead(db, binding.policy) === undefined) {
      throw notFound(`Policy "${binding.policy}" does not exist.`, [
        { path: [...at, 'policy'], message: 'no such policy' },
      ]);
    }
    if (binding.group !== null && getGroupName(db, binding.group) === undefined) {
      throw notFound(`Group "${binding.group}" does not exist.`, [
        { path: [...at, 'group'], message: 'no such group' },
      ]);
    }
    if (binding.user !== null && getUsername(db, binding.user) === undefined) {
      throw notFound(`User ${binding.user} does not exist.`, [
        { path: [...at, 'user'], message: 'no such user' },
      ]);
    }
  };
  const orderTaken = (binding: () => PolicyBinding | undefined): UniqueMessages => ({
    'policy_bindings.policy,target,order': () => {
      const b = binding();
      const name = b?.policy ? (getPolicyHead(db, b.policy)?.name ?? b.policy) : '';
      return `Policy "${name}" is already bound to this target at order ${b?.order ?? ''}.`;
    },
  });

  return {
    list: (target) =>
      mapSqliteErrors(() => {
        requireTarget(target, ['target']);
        return listPolicyBindingsOf(db, target);
      }),
    get: (pk) => mapSqliteErrors(() => requirePolicyBinding(ctx, pk)),

    create(input, options = {}) {
      const fields = parseInput(policyBindingFields, input);
      const pk = options.pk === undefined ? ctx.newPk() : parseInput(pkSchema, options.pk, ['pk']);
      const binding: PolicyBinding = { ...fields, pk };
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            requireTarget(binding.target, ['target']);
            requireSubject(binding, []);
            insertPolicyBinding(db, binding);
            record('policyBinding', 'created', pk);
            return options.readBack === false ? binding : requirePolicyBinding(ctx, pk);
          }),
        {
          ...orderTaken(() => binding),
          'policy_bindings.pk': () => `An object with pk "${pk}" already exists.`,
        },
      );
    },

    update({ pk, patch }, options = {}) {
      let next: PolicyBinding | undefined;
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            const { pk: _pk, ...current } = requirePolicyBinding(ctx, pk);
            next = { ...parseInput(policyBindingFields, { ...current, ...patch }, ['patch']), pk };
            requireSubject(next, ['patch']);
            updatePolicyBinding(db, next);
            record('policyBinding', 'updated', pk);
            return options.readBack === false ? next : requirePolicyBinding(ctx, pk);
          }),
        orderTaken(() => next),
      );
    },

    delete(pk) {
      mapSqliteErrors(() =>
        ctx.write((record) => {
          requirePolicyBinding(ctx, pk);
          deletePolicyBinding(db, pk);
          record('policyBinding', 'deleted', pk);
        }),
      );
    },
  };
}
