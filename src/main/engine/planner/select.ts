import { type Flow, type FlowDesignation } from '@shared/model';
import { type EngineDeps, type SimRequest } from '../ports';
import { evaluatePolicies, type StaticBindingsMode } from '../policy/engine';
import { type PolicyTrace } from '../policy/types';
import { requestUser } from './planner';

export interface SelectFlowInput {
  designation: FlowDesignation;
  request: SimRequest;
  /** The brand's configured flow for this designation (pk or slug); used without a policy check. */
  brandFlow?: string | null;
  /** Read the policy cache (authentik's `ToDefaultFlow` leaves it on). Default true. */
  useCache?: boolean;
  debug?: boolean;
  staticBindings?: StaticBindingsMode;
}

export type SelectFlowResult =
  | { ok: true; flow: Flow; via: 'brand' | 'designation'; traces: PolicyTrace[] }
  | { ok: false; reason: 'not_found'; traces: PolicyTrace[] };

/**
 * Which flow serves a designation (spec §1.3, authentik `ToDefaultFlow`): the brand's flow if
 * one is configured (no policy check), else the flows of that designation ordered by slug, the
 * first whose flow-level policies pass for the request's user; none → not found (HTTP 404).
 */
export async function selectFlowForDesignation(deps: EngineDeps, input: SelectFlowInput): Promise<SelectFlowResult> {
  const traces: PolicyTrace[] = [];
  if (input.brandFlow) {
    const brand = deps.workspace.flowByPk(input.brandFlow) ?? deps.workspace.flowBySlug(input.brandFlow);
    if (brand) return { ok: true, flow: brand, via: 'brand', traces };
  }
  const user = requestUser(input.request);
  for (const flow of deps.workspace.flowsByDesignation(input.designation)) {
    const evaluation = await evaluatePolicies(deps, {
      target: { kind: 'flow', pk: flow.pk, label: flow.slug },
      mode: flow.policy_engine_mode,
      user,
      request: input.request,
      useCache: input.useCache ?? true,
      debug: input.debug,
      staticBindings: input.staticBindings,
    });
    traces.push(evaluation.trace);
    if (evaluation.passing) return { ok: true, flow, via: 'designation', traces };
  }
  return { ok: false, reason: 'not_found', traces };
}
