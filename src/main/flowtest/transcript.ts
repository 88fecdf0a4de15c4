import { type JsonValue } from '@shared/model';
import { type Challenge, type RunEvent } from '../engine/executor';
import { type PolicyTrace } from '../engine/policy';

/**
 * A flow test's transcript: every challenge the engine showed and every response or action
 * the test sent, each plan with its policy traces (summarised), and the executor's events in
 * between (stages entered, skipped, completed, re-evaluations, restarts, session changes …).
 * Plain JSON; part of `--json` and of the report of a failed test.
 */

export interface TraceSummary {
  /** What was evaluated, e.g. `flow default-authentication-flow` or `binding default-authentication-flow #20 …`. */
  target: string;
  mode: string;
  user: string;
  passing: boolean;
  messages: string[];
  results: {
    /** `#<order>` of the policy binding; null for the folded user/group result. */
    order: number | null;
    /** `<policy name> (<kind>)`, or `user/group bindings`. */
    policy: string;
    passing: boolean;
    raw_result: JsonValue;
    messages: string[];
    error: string | null;
    outcome: string;
    notes: string[];
    duration_ms: number;
  }[];
}

export type TranscriptEntry =
  | { kind: 'start'; flow: string | null; designation: string | null; request: JsonValue; session_user: string | null; context: JsonValue }
  | { kind: 'plan'; flow: string; reason: string; outcome: string; stages: string[]; messages: string[]; failed_requirement: string | null; traces: TraceSummary[] }
  | { kind: 'flow_selected'; designation: string; flow: string; via: string; traces: TraceSummary[] }
  | { kind: 'reevaluate'; stage: string; passing: boolean; trace: TraceSummary }
  | { kind: 'event'; type: string; stage: string | null; detail: JsonValue }
  | { kind: 'challenge'; step: number | null; stage: string | null; response: Challenge }
  | { kind: 'response'; step: number; body: JsonValue }
  | { kind: 'action'; step: number; action: string; detail: JsonValue }
  | { kind: 'navigate'; to: string; reason: string }
  | { kind: 'end'; result: string; reason: string | null; redirect: string | null; message: string | null; stage: string | null };

function policyKindShort(kind: string): string {
  const app = kind.split('.')[0] ?? kind;
  return app.replace(/^authentik_policies_/, '') || kind;
}

export function summarizeTrace(trace: PolicyTrace): TraceSummary {
  return {
    target: `${trace.target.kind} ${trace.target.label}`,
    mode: trace.mode,
    user: trace.user.is_anonymous ? 'AnonymousUser' : trace.user.username,
    passing: trace.passing,
    messages: [...trace.messages],
    results: trace.results.map((r) => ({
      order: r.binding?.order ?? null,
      policy: r.policy ? `${r.policy.name} (${policyKindShort(r.policy.kind)})` : 'user/group bindings',
      passing: r.passing,
      raw_result: r.raw_result,
      messages: [...r.messages],
      error: r.error,
      outcome: r.outcome,
      notes: [...r.notes],
      duration_ms: Math.round(r.duration_ms * 1000) / 1000,
    })),
  };
}

/** The executor's events of one call, condensed for the transcript (request/challenge events are implied). */
export function eventsToTranscript(events: readonly RunEvent[]): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  for (const event of events) {
    switch (event.type) {
      case 'request':
      case 'challenge':
        break;
      case 'plan':
        out.push({
          kind: 'plan',
          flow: event.flow_slug,
          reason: event.reason,
          outcome: event.outcome,
          stages: [...event.stages],
          messages: [...event.messages],
          failed_requirement: event.failed_requirement,
          traces: event.traces.map(summarizeTrace),
        });
        break;
      case 'flow_selected':
        out.push({ kind: 'flow_selected', designation: event.designation, flow: event.flow_slug, via: event.via, traces: event.traces.map(summarizeTrace) });
        break;
      case 'reevaluate':
        out.push({ kind: 'reevaluate', stage: event.binding.stage.name, passing: event.passing, trace: summarizeTrace(event.trace) });
        break;
      case 'log':
        if (event.level === 'debug') break;
        out.push({ kind: 'event', type: `log.${event.level}`, stage: event.binding?.stage.name ?? null, detail: event.message });
        break;
      default: {
        const { type, seq: _seq, at: _at, ...rest } = event as RunEvent & Record<string, unknown>;
        const binding = (rest as { binding?: { stage?: { name?: string } } | null }).binding;
        const stage = binding?.stage?.name ?? null;
        delete (rest as Record<string, unknown>).binding;
        out.push({ kind: 'event', type, stage, detail: JSON.parse(JSON.stringify(rest)) as JsonValue });
      }
    }
  }
  return out;
}

/** One line per entry: what a person reading a failed test wants to see. */
export function transcriptLines(transcript: readonly TranscriptEntry[]): string[] {
  const lines: string[] = [];
  const short = (value: JsonValue): string => {
    const text = JSON.stringify(value);
    return text.length > 160 ? `${text.slice(0, 159)}…` : text;
  };
  for (const entry of transcript) {
    switch (entry.kind) {
      case 'start':
        lines.push(`start ${entry.flow ?? `designation ${entry.designation ?? '?'}`}${entry.session_user ? ` (session: ${entry.session_user})` : ''}`);
        break;
      case 'flow_selected':
        lines.push(`flow for ${entry.designation}: ${entry.flow} (via ${entry.via})`);
        break;
      case 'plan': {
        const what = entry.outcome === 'planned' ? `[${entry.stages.join(', ')}]` : `${entry.outcome}${entry.messages.length ? `: ${entry.messages.join(' ')}` : ''}`;
        lines.push(`plan ${entry.flow} (${entry.reason}): ${what}`);
        for (const trace of entry.traces) lines.push(...traceLines(trace, '  '));
        break;
      }
      case 'reevaluate':
        if (entry.trace.results.length === 0 && entry.passing) break;
        lines.push(`re-evaluate ${entry.stage}: ${entry.passing ? 'pass' : 'fail → skipped'}`);
        lines.push(...traceLines(entry.trace, '  '));
        break;
      case 'challenge': {
        const { component, flow_info: _fi, pending_user_avatar: _a, ...rest } = entry.response;
        lines.push(`→ ${component}${entry.stage ? ` [${entry.stage}]` : ''} ${short(rest as JsonValue)}`);
        break;
      }
      case 'response':
        lines.push(`← steps[${entry.step}] ${short(entry.body)}`);
        break;
      case 'action':
        lines.push(`← steps[${entry.step}] action ${entry.action} ${short(entry.detail)}`);
        break;
      case 'navigate':
        lines.push(`navigate ${entry.to} (${entry.reason})`);
        break;
      case 'event':
        if (['stage_entered', 'stage_completed'].includes(entry.type)) break;
        lines.push(`· ${entry.type}${entry.stage ? ` [${entry.stage}]` : ''} ${short(entry.detail)}`);
        break;
      case 'end':
        lines.push(
          `end: ${entry.result}${entry.reason ? ` (${entry.reason})` : ''}${entry.redirect ? ` → ${entry.redirect}` : ''}${entry.message ? ` "${entry.message}"` : ''}`,
        );
        break;
    }
  }
  return lines;
}

function traceLines(trace: TraceSummary, indent: string): string[] {
  // A passing evaluation without any binding says nothing.
  if (trace.results.length === 0 && trace.passing) return [];
  const lines = [`${indent}${trace.target} (${trace.mode}, user ${trace.user || '—'}): ${trace.passing ? 'pass' : 'fail'}`];
  for (const r of trace.results) {
    const bits = [r.passing ? 'pass' : 'fail'];
    if (r.outcome !== 'returned' && r.outcome !== 'static') bits.push(r.outcome);
    if (r.error) bits.push(`error: ${r.error}`);
    if (r.messages.length) bits.push(`messages: ${r.messages.join(' | ')}`);
    lines.push(`${indent}  ${r.order === null ? '' : `#${r.order} `}${r.policy}: ${bits.join(', ')}`);
  }
  return lines;
}
