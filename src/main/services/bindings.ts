import { type ProcedureInput } from '@shared/contract';
import { type FlowStageBinding, flowStageBindingFields, pk as pkSchema } from '@shared/model';
import { z } from 'zod';
import {
  deleteBinding,
  getBinding,
  insertBinding,
  listBindingsOfFlow,
  setBindingOrder,
  updateBinding,
} from '../store/repos/flow-stage-bindings';
import { flowSlugs } from '../store/repos/flows';
import { getStageHead } from '../store/repos/stages';
import { type CreateOptions, type ServiceContext, type WriteOptions } from './context';
import { invalid, mapSqliteErrors, notFound, parseInput, type UniqueMessages } from './errors';

export type BindingInput = z.input<typeof flowStageBindingFields>;

export interface BindingService {
  /** The stage bindings of a flow in execution order. NOT_FOUND when the flow does not exist. */
  list(flow: string): FlowStageBinding[];
  get(pk: string): FlowStageBinding;
  create(input: BindingInput, options?: CreateOptions): FlowStageBinding;
  update(input: ProcedureInput<'bindings.update'>, options?: WriteOptions): FlowStageBinding;
  /**
   * Renumber a flow's bindings 10, 20, 30… in the given sequence, in one transaction. The
   * sequence must list every binding of the flow exactly once.
   */
  reorder(input: { flow: string; order: readonly string[] }): FlowStageBinding[];
  /** Its policy bindings cascade. */
  delete(pk: string): void;
}

export function requireBinding(ctx: ServiceContext, pk: string): FlowStageBinding {
  const binding = getBinding(ctx.db, pk);
  if (!binding) throw notFound(`Stage binding "${pk}" does not exist.`);
  return binding;
}

export function createBindingService(ctx: ServiceContext): BindingService {
  const { db } = ctx;

  const requireFlowSlug = (flow: string, path: (string | number)[] = ['target']): string => {
    const slug = flowSlugs(db, [flow]).get(flow);
    if (slug === undefined)
      throw notFound(`Flow "${flow}" does not exist.`, [{ path, message: 'no such flow' }]);
    return slug;
  };
  const requireStageName = (stage: string, path: (string | number)[] = ['stage']): string => {
    const head = getStageHead(db, stage);
    if (!head)
      throw notFound(`Stage "${stage}" does not exist.`, [{ path, message: 'no such stage' }]);
    return head.name;
  };
  const describe = (
    binding: Pick<FlowStageBinding, 'target' | 'stage' | 'order'>,
  ): UniqueMessages => ({
    'flow_stage_bindings.target,stage,order': () =>
      `Stage "${getStageHead(db, binding.stage)?.name ?? binding.stage}" is already bound to flow "${
        flowSlugs(db, [binding.target]).get(binding.target) ?? binding.target
      }" at order ${binding.order}.`,
  });

  return {
    list: (flow) =>
      mapSqliteErrors(() => {
        requireFlowSlug(flow, ['flow']);
        return listBindingsOfFlow(db, flow);
      }),
    get: (pk) => mapSqliteErrors(() => requireBinding(ctx, pk)),

    create(input, options = {}) {
      const fields = parseInput(flowStageBindingFields, input);
      const pk = options.pk === undefined ? ctx.newPk() : parseInput(pkSchema, options.pk, ['pk']);
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            const created = { ...fields, pk };
            requireFlowSlug(fields.target);
            requireStageName(fields.stage);
            insertBinding(db, created);
            record('binding', 'created', pk);
            return options.readBack === false ? created : requireBinding(ctx, pk);
          }),
        {
          ...describe(fields),
          'flow_stage_bindings.pk': () => `An object with pk "${pk}" already exists.`,
          'policy_binding_models.pk': () => `An object with pk "${pk}" already exists.`,
        },
      );
    },

    update({ pk, patch }, options = {}) {
      let next: FlowStageBinding | undefined;
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            const { pk: _pk, ...current } = requireBinding(ctx, pk);
            next = {
              ...parseInput(flowStageBindingFields, { ...current, ...patch }, ['patch']),
              pk,
            };
            if (next.stage !== current.stage) requireStageName(next.stage, ['patch', 'stage']);
            updateBinding(db, next);
            record('binding', 'updated', pk);
            return options.readBack === false ? next : requireBinding(ctx, pk);
          }),
        {
          'flow_stage_bindings.target,stage,order': () =>
            next ? (describe(next)['flow_stage_bindings.target,stage,order']?.() ?? '') : '',
        },
      );
    },

    reorder({ flow, order }) {
      const sequence = parseInput(z.array(pkSchema).min(1), order, ['order']);
      return mapSqliteErrors(() =>
        ctx.write((record) => {
          const slug = requireFlowSlug(flow, ['flow']);
          const current = listBindingsOfFlow(db, flow);
          const byPk = new Map(current.map((b) => [b.pk, b]));
          const seen = new Set<string>();
          sequence.forEach((pk, index) => {
            if (seen.has(pk))
              throw invalid(`Binding "${pk}" is listed twice.`, [
                { path: ['order', index], message: 'duplicate' },
              ]);
            seen.add(pk);
            if (!byPk.has(pk)) {
              throw notFound(`Binding "${pk}" is not a stage binding of flow "${slug}".`, [
                { path: ['order', index], message: 'not a binding of this flow' },
              ]);
            }
          });
          const missing = current.filter((b) => !seen.has(b.pk)).map((b) => b.pk);
          if (missing.length > 0) {
            throw invalid(
              `The new order must list every binding of flow "${slug}"; missing: ${missing.join(', ')}.`,
              [{ path: ['order'], message: `missing ${missing.join(', ')}` }],
            );
          }
          // Two passes: (target, stage, order) is unique and a flow may bind the same stage twice,
          // so moving straight to the final numbers could collide halfway through.
          const floor = Math.min(0, ...current.map((b) => b.order)) - sequence.length - 1;
          sequence.forEach((pk, index) => setBindingOrder(db, pk, floor - index));
          sequence.forEach((pk, index) => {
            const order = (index + 1) * 10;
            setBindingOrder(db, pk, order);
            if (byPk.get(pk)?.order !== order) record('binding', 'updated', pk);
          });
          return listBindingsOfFlow(db, flow);
        }),
      );
    },

    delete(pk) {
      mapSqliteErrors(() =>
        ctx.write((record) => {
          requireBinding(ctx, pk);
          deleteBinding(db, pk);
          record('binding', 'deleted', pk);
        }),
      );
    },
  };
}
