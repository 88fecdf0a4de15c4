import { z } from 'zod';
import { findKind, flowDesignation, stageRegistry, type Flow, type JsonValue } from '@shared/model';
import { createWorkspaceEngine, type WorkspaceEngine } from '../../engine-adapter';
import { planFlow, selectFlowForDesignation, type PlanResult } from '../../engine/planner';
import { type PolicyTrace } from '../../engine/policy';
import { type SimRequest } from '../../engine/ports';
import { EngineInputError, openWorkspaceReadonly, parseContextJson, resolveContextUsers, simulatedRequest } from '../../engine-adapter/cli-support';
import { parseCommandArgs, UsageError } from '../args';
import { type Command } from '../command';
import { type CliIo } from '../io';

const options = {
  db: { type: 'string' },
  flow: { type: 'string' },
  designation: { type: 'string' },
  user: { type: 'string' },
  'request-ip': { type: 'string' },
  context: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const schema = z
  .object({
    db: z.string().min(1).optional(),
    flow: z.string().min(1).optional(),
    designation: flowDesignation.optional(),
    user: z.string().min(1).optional(),
    'request-ip': z.string().min(1).optional(),
    context: z.string().optional(),
    json: z.boolean().default(false),
  })
  .strict();

export interface PlannedStage {
  /** Position in the plan, from 1. */
  position: number;
  order: number;
  stage: string;
  kind: string;
  binding: string;
  /** `reevaluate`: the binding's policies run again when the stage comes up. */
  marker: 'plain' | 'reevaluate';
  evaluate_on_plan: boolean;
}

export interface PlanReport {
  flow: { slug: string; name: string; title: string; designation: string; authentication: string };
  /** How the flow was chosen when `--designation` was given. */
  selection: { designation: string; via: 'brand' | 'designation'; traces: PolicyTrace[] } | null;
  request: { user: string | null; ip: string };
  result: 'planned' | 'not_applicable' | 'empty';
  messages: string[];
  failed_requirement: string | null;
  plan: { stages: PlannedStage[]; context: Record<string, JsonValue> } | null;
  /** Every policy evaluation of the planning, in order. */
  traces: PolicyTrace[];
}

function kindLabel(kind: string): string {
  return findKind(stageRegistry, kind)?.label ?? kind;
}

function reportOf(engine: WorkspaceEngine, flow: Flow, request: SimRequest, result: PlanResult, selection: PlanReport['selection']): PlanReport {
  const base = {
    flow: { slug: flow.slug, name: flow.name, title: flow.title, designation: flow.designation, authentication: flow.authentication },
    selection,
    request: { user: request.session_user?.username ?? null, ip: request.ip },
  };
  if (!result.ok) {
    return { ...base, result: result.reason, messages: result.messages, failed_requirement: result.failed_requirement ?? null, plan: null, traces: result.traces };
  }
  const stages = result.plan.bindings.map((pk, i): PlannedStage => {
    const binding = engine.workspace.flowStageBindingByPk(pk);
    const stage = binding ? engine.workspace.stageByPk(binding.stage) : null;
    return {
      position: i + 1,
      order: binding?.order ?? 0,
      stage: stage?.name ?? pk,
      kind: stage?.kind ?? '?',
      binding: pk,
      marker: result.plan.markers[i] ?? 'plain',
      evaluate_on_plan: binding?.evaluate_on_plan ?? false,
    };
  });
  return { ...base, result: 'planned', messages: [], failed_requirement: null, plan: { stages, context: result.plan.context }, traces: result.traces };
}

function traceLines(trace: PolicyTrace): string[] {
  const who = trace.user.is_anonymous ? 'AnonymousUser' : trace.user.username;
  const lines = [`  ${trace.target.kind} ${trace.target.label} — mode ${trace.mode}, user ${who}: ${trace.passing ? 'PASS' : 'FAIL'}${trace.results.length === 0 ? ' (no bindings)' : ''}`];
  if (trace.messages.length > 0) lines.push(`      messages: ${trace.messages.join(' | ')}`);
  for (const r of trace.results) {
    const binding = r.binding ? `#${r.binding.order}${r.binding.negate ? ' negate' : ''}${r.binding.enabled ? '' : ' disabled'}` : 'static';
    const policy = r.policy ? `${r.policy.name} (${r.policy.kind})` : 'user/group bindings';
    const bits = [r.passing ? 'pass' : 'fail', `result ${JSON.stringify(r.raw_result)}`];
    if (r.outcome !== 'returned' && r.outcome !== 'static') bits.push(r.outcome);
    if (r.cached) bits.push('cached');
    bits.push(`${r.duration_ms.toFixed(2)} ms`);
    lines.push(`    ${binding} ${policy}: ${bits.join(', ')}`);
    if (r.error) lines.push(`      error: ${r.error}`);
    if (r.messages.length > 0) lines.push(`      messages: ${r.messages.join(' | ')}`);
    for (const note of r.notes) lines.push(`      note: ${note}`);
    for (const log of r.logs) lines.push(`      ${log.level}: ${log.message}`);
  }
  return lines;
}

export function printPlanReport(report: PlanReport, io: CliIo): void {
  const f = report.flow;
  io.out(`Flow ${f.slug} — "${f.title}" (designation ${f.designation}, authentication ${f.authentication})`);
  io.out(`Request: ${report.request.user ? `user ${report.request.user}` : 'anonymous'}, IP ${report.request.ip}`);
  if (report.selection) io.out(`Chosen for designation ${report.selection.designation} (via ${report.selection.via})`);
  if (report.result === 'planned' && report.plan) {
    io.out(`Plan: ${report.plan.stages.length} stage(s)`);
    const width = Math.max(...report.plan.stages.map((s) => s.stage.length), 5);
    for (const s of report.plan.stages) {
      const markers = [s.marker === 'reevaluate' ? 're-evaluate policies' : null, s.evaluate_on_plan ? 'evaluated on plan' : null].filter(Boolean);
      io.out(`  ${String(s.position).padStart(2)}. order ${String(s.order).padStart(4)}  ${s.stage.padEnd(width)}  ${kindLabel(s.kind)}${markers.length ? `  [${markers.join(', ')}]` : ''}`);
    }
  } else {
    const label = report.result === 'empty' ? 'Empty' : 'Not applicable';
    io.out(`${label}: ${report.messages.join(' ') || '(no message)'}${report.failed_requirement ? ` (authentication requirement ${report.failed_requirement} not met)` : ''}`);
  }
  const traces = [...(report.selection?.traces ?? []), ...report.traces];
  io.out(`Policy traces: ${traces.length}`);
  for (const trace of traces) for (const line of traceLines(trace)) io.out(line);
}

/**
 * `flowbench plan`: what the planner makes of a flow for a simulated request, with every policy
 * trace. Works on a sandbox copy of the workspace (policies may write, e.g. expiry).
 * Exit 0 planned, 1 not applicable / empty / no flow, 2 usage.
 */
export const planCommand: Command = {
  name: 'plan',
  summary: 'Show the plan of a flow for a simulated request, with every policy trace.',
  usage: 'flowbench plan [--db FILE] (--flow SLUG | --designation D) [--user NAME] [--request-ip IP] [--context JSON] [--json]',
  async run(argv, io, deps) {
    const args = parseCommandArgs(argv, options, schema);
    if ((args.flow === undefined) === (args.designation === undefined)) throw new UsageError('give either --flow SLUG or --designation D');
    let context: Record<string, JsonValue>;
    try {
      context = parseContextJson(args.context);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const source = openWorkspaceReadonly(args.db);
    const engine = createWorkspaceEngine(source.workspace, { expressions: deps.expressions() });
    try {
      let request: SimRequest;
      let resolvedContext: Record<string, JsonValue>;
      try {
        request = simulatedRequest(engine, { user: args.user, ip: args['request-ip'] });
        resolvedContext = resolveContextUsers(engine, context);
      } catch (error) {
        if (!(error instanceof EngineInputError)) throw error;
        io.err(`flowbench plan: ${error.message}`);
        return 1;
      }
      let flow: Flow | null;
      let selection: PlanReport['selection'] = null;
      if (args.flow !== undefined) {
        flow = engine.workspace.flowBySlug(args.flow);
        if (!flow) {
          io.err(`flowbench plan: no flow with slug "${args.flow}" in ${source.path}`);
          return 1;
        }
      } else {
        const designation = args.designation!;
        const selected = await selectFlowForDesignation(engine, { designation, request, useCache: false });
        if (!selected.ok) {
          if (args.json) io.out(JSON.stringify({ designation, result: 'not_found', traces: selected.traces }, null, 2));
          else {
            io.out(`No flow of designation ${designation} applies to this request.`);
            for (const trace of selected.traces) for (const line of traceLines(trace)) io.out(line);
          }
          return 1;
        }
        flow = selected.flow;
        selection = { designation, via: selected.via, traces: selected.traces };
      }
      const result = await planFlow(engine, { flow, request, context: resolvedContext, useCache: false });
      const report = reportOf(engine, flow, request, result, selection);
      if (args.json) io.out(JSON.stringify(report, null, 2));
      else printPlanReport(report, io);
      return report.result === 'planned' ? 0 : 1;
    } finally {
      engine.close();
      source.close();
    }
  },
};
