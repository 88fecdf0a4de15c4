import { type ProcedureInput } from '@shared/contract';
import { type Flow, type FlowInput, flowFields, pk as pkSchema } from '@shared/model';
import { getCanvasLayout, putCanvasLayout } from '../store/repos/canvas-layout';
import { insertBinding, listBindingsOfFlow } from '../store/repos/flow-stage-bindings';
import { deleteFlow, getFlow, insertFlow, listFlows, updateFlow } from '../store/repos/flows';
import { insertPolicyBinding, listPolicyBindingsOf } from '../store/repos/policy-bindings';
import { releaseConfigReferences } from './config-references';
import {
  type CreateOptions,
  type RecordChange,
  type ServiceContext,
  type WriteOptions,
} from './context';
import { mapSqliteErrors, notFound, parseInput } from './errors';

export interface FlowService {
  /** All flows by slug. */
  list(): Flow[];
  get(pk: string): Flow;
  /** `options.pk` keeps a given pk (blueprint import); otherwise a random UUID. */
  create(input: FlowInput, options?: CreateOptions): Flow;
  update(input: ProcedureInput<'flows.update'>, options?: WriteOptions): Flow;
  /** Copy the flow, its stage bindings, the policy bindings on both and its canvas layout (new pks). */
  duplicate(input: ProcedureInput<'flows.duplicate'>): Flow;
  /** IN_USE when a stage config references the flow; bindings and their policy bindings cascade. */
  delete(pk: string): void;
}

export function requireFlow(ctx: ServiceContext, pk: string): Flow {
  const flow = getFlow(ctx.db, pk);
  if (!flow) throw notFound(`Flow "${pk}" does not exist.`);
  return flow;
}

export function createFlowService(ctx: ServiceContext): FlowService {
  const { db } = ctx;
  const slugTaken = (slug: string) => ({
    'flows.slug': () => `A flow with slug "${slug}" already exists.`,
  });
  const pkTaken = (pk: string) => ({
    'flows.pk': () => `An object with pk "${pk}" already exists.`,
    'policy_binding_models.pk': () => `An object with pk "${pk}" already exists.`,
  });

  return {
    list: () => mapSqliteErrors(() => listFlows(db)),
    get: (pk) => mapSqliteErrors(() => requireFlow(ctx, pk)),

    create(input, options = {}) {
      const fields = parseInput(flowFields, input);
      const pk = options.pk === undefined ? ctx.newPk() : parseInput(pkSchema, options.pk, ['pk']);
      const flow: Flow = { ...fields, pk };
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            insertFlow(db, flow);
            record('flow', 'created', pk);
            return options.readBack === false ? flow : requireFlow(ctx, pk);
          }),
        { ...slugTaken(flow.slug), ...pkTaken(pk) },
      );
    },

    update({ pk, patch }, options = {}) {
      let slug = '';
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            const { pk: _pk, ...current } = requireFlow(ctx, pk);
            const next: Flow = {
              ...parseInput(flowFields, { ...current, ...patch }, ['patch']),
              pk,
            };
            slug = next.slug;
            updateFlow(db, next);
            record('flow', 'updated', pk);
            return options.readBack === false ? next : requireFlow(ctx, pk);
          }),
        { 'flows.slug': () => `A flow with slug "${slug}" already exists.` },
      );
    },

    duplicate({ pk, slug, name, title }) {
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            const { pk: _pk, ...source } = requireFlow(ctx, pk);
            const copy: Flow = {
              ...parseInput(flowFields, { ...source, slug, name, title: title ?? source.title }),
              pk: ctx.newPk(),
            };
            insertFlow(db, copy);
            record('flow', 'created', copy.pk);
            copyPolicyBindings(ctx, record, pk, copy.pk);
            const bindingPks = new Map<string, string>();
            for (const binding of listBindingsOfFlow(db, pk)) {
              const clone = { ...binding, pk: ctx.newPk(), target: copy.pk };
              insertBinding(db, clone);
              bindingPks.set(binding.pk, clone.pk);
              record('binding', 'created', clone.pk);
              copyPolicyBindings(ctx, record, binding.pk, clone.pk);
            }
            const canvas = getCanvasLayout(db, pk);
            if (canvas) {
              const nodes = Object.fromEntries(
                Object.entries(canvas.layout.nodes).map(([id, position]) => [
                  bindingPks.get(id) ?? id,
                  position,
                ]),
              );
              putCanvasLayout(db, copy.pk, { ...canvas.layout, nodes }, ctx.clock().toISOString());
            }
            return requireFlow(ctx, copy.pk);
          }),
        slugTaken(slug),
      );
    },

    delete(pk) {
      mapSqliteErrors(() =>
        ctx.write((record) => {
          const flow = requireFlow(ctx, pk);
          releaseConfigReferences(ctx, record, 'flow', pk, `Flow "${flow.slug}"`);
          deleteFlow(db, pk);
          record('flow', 'deleted', pk);
        }),
      );
    },
  };
}

function copyPolicyBindings(
  ctx: ServiceContext,
  record: RecordChange,
  from: string,
  to: string,
): void {
  for (const binding of listPolicyBindingsOf(ctx.db, from)) {
    const clone = { ...binding, pk: ctx.newPk(), target: to };
    insertPolicyBinding(ctx.db, clone);
    record('policyBinding', 'created', clone.pk);
  }
}
