import { type FlowDesignation } from '@shared/model';
import { type PolicyTrace } from '../policy';
import { type TraceLog } from '../ports';
import { type ResponseErrors } from './challenge';
import { type ResolvedBinding } from './live-plan';

/**
 * The executor's event/trace stream for the preview, the CLI and the tests: every plan (with
 * its policy traces), every re-evaluation (with its trace), each stage entered, completed,
 * skipped or invalid, restarts, flow switches, session changes, side effects. Plain JSON.
 */

export interface BindingRef {
  /** The id in `plan.bindings`. */
  id: string;
  /** The flow stage binding pk; null for in-memory bindings. */
  pk: string | null;
  order: number;
  stage: { pk: string | null; name: string; kind: string; in_memory: boolean };
}

export function bindingRef(binding: ResolvedBinding): BindingRef {
  return {
    id: binding.id,
    pk: binding.pk,
    order: binding.order,
    stage: { pk: binding.stage.pk, name: binding.stage.name, kind: binding.stage.kind, in_memory: binding.stage.in_memory },
  };
}

export type PlanReason = 'start' | 'restart' | 'restart_with_context' | 'flow_switch';

export type RunEventBody =
  /** One HTTP request to the executor (a followed 302 is another request). */
  | { type: 'request'; method: 'GET' | 'POST'; flow_slug: string }
  | { type: 'flow_selected'; designation: FlowDesignation; flow_slug: string; via: 'brand' | 'designation'; traces: PolicyTrace[] }
  /** `?flow_token=` in the query: restored (or why not). */
  | { type: 'flow_token'; key: string; restored: boolean; detail: string }
  /** The session plan belonged to another flow and was cancelled. */
  | { type: 'plan_discarded'; flow_pk: string }
  /** authentik `cancel()`: the session plan and stored query are dropped. */
  | { type: 'cancel' }
  | {
      type: 'plan';
      reason: PlanReason;
      flow_slug: string;
      outcome: 'planned' | 'not_applicable' | 'empty';
      cached: boolean;
      /** Stage names of the new plan (empty unless planned). */
      stages: string[];
      messages: string[];
      failed_requirement: string | null;
      traces: PolicyTrace[];
    }
  /** A ReevaluateMarker ran the binding's policies again (cache off). */
  | { type: 'reevaluate'; binding: BindingRef; passing: boolean; trace: PolicyTrace }
  /** The binding failed re-evaluation and was removed from the plan. */
  | { type: 'stage_skipped'; binding: BindingRef; reason: 'policy'; messages: string[] }
  /** The stage became current (first dispatch of this plan entry). */
  | { type: 'stage_entered'; binding: BindingRef; method: 'GET' | 'POST' }
  | { type: 'challenge'; binding: BindingRef; component: string; retry: boolean }
  | { type: 'response_invalid'; binding: BindingRef; errors: ResponseErrors }
  | { type: 'stage_completed'; binding: BindingRef; via: 'ok' | 'skip' }
  | { type: 'stage_invalid'; binding: BindingRef | null; message: string | null; action: 'deny' | 'restart' | 'restart_with_context' }
  | { type: 'restart'; keep_context: boolean; binding: BindingRef | null }
  | { type: 'stage_unavailable'; binding: BindingRef; kind: string }
  /** A stage raised: the response is `ak-stage-flow-error`. */
  | { type: 'stage_error'; binding: BindingRef | null; error: string }
  /** `plan.next()` failed (e.g. a binding was deleted): the plan cache is flushed and the run denied. */
  | { type: 'plan_error'; error: string }
  | { type: 'flow_done'; via: 'context_redirect' | 'next' | 'invalid_next'; redirect: string | null }
  | { type: 'denied_action'; action: 'message_continue' | 'message' | 'continue'; redirect: string | null }
  | { type: 'flow_switch'; flow_slug: string; url: string }
  | { type: 'session'; action: 'login' | 'logout'; user: { pk: number | null; username: string } | null }
  /**
   * Policies a stage evaluated itself (the prompt stage's validation policies, authentik's
   * ListPolicyEngine): the result and the full trace.
   */
  | { type: 'stage_policies'; binding: BindingRef; purpose: string; passing: boolean; messages: string[]; trace: PolicyTrace }
  /** A write to the workspace; `applied` false when the run has no writer. */
  | { type: 'side_effect'; action: string; applied: boolean; detail: string }
  | { type: 'log'; level: TraceLog['level']; message: string; binding: BindingRef | null };

export type RunEvent = RunEventBody & {
  /** Position in this call's stream. */
  seq: number;
  /** Clock time (ISO 8601). */
  at: string;
};

/** A Django `messages` entry a stage queued (authentik shows them as toasts). */
export interface FlowMessage {
  level: 'debug' | 'info' | 'success' | 'warning' | 'error';
  message: string;
}
