import { type FlowStageBinding, type JsonValue, type PolicyEngineMode, type Stage } from '@shared/model';
import { cloneJson, isJsonObject } from '../json';
import { PLAN_VERSION, type Plan, type PlanMarker } from '../planner';
import { type WorkspaceReader } from '../ports';

/**
 * The plan while a request runs: authentik's `FlowPlan` object. It is handed to stage-binding
 * policies as `context.flow_plan`, so its fields are plain own properties (writes to
 * `flow_plan.context` persist) and it has authentik's methods (`redirect`, `insert_stage`,
 * `append_stage`, `append`, `pop`, `has_stages`). Between requests the run state keeps only
 * its JSON (`toPlan()`).
 *
 * Stages that exist only in the plan (authentik's `in_memory_stage(...)`, or a stage appended
 * through an unsaved `FlowStageBinding`) are encoded into the binding id itself —
 * `inmemory:{json}` — so a plan stays self-contained JSON (history snapshots, flow tokens).
 */

export const IN_MEMORY_BINDING_PREFIX = 'inmemory:';

/** A stage that lives only in a plan: a kind of the stage registry with its config. */
export interface InMemoryStage {
  kind: string;
  name: string;
  config: Record<string, JsonValue>;
}

/** An unsaved binding of an in-memory stage, or of a workspace stage (by pk). */
export interface InMemoryBinding {
  id: string;
  order: number;
  stage: InMemoryStage | { pk: string };
}

/** What `insert_stage` / `append_stage` accept: a workspace stage, `{pk}`, or an in-memory stage (`name`/`config` optional). */
export type StageLike = Pick<Stage, 'pk'> | { kind: string; name?: string; config?: Record<string, JsonValue> };

/** authentik's in-memory `RedirectStage` (flows/stage.py), used by `FlowPlan.redirect`. */
export const IN_MEMORY_REDIRECT_KIND = 'authentik.flows.stage.RedirectStage';
/** `in_memory_stage` names stages "Dynamic In-memory stage: <view docstring>". */
export function inMemoryStageName(doc: string): string {
  return `Dynamic In-memory stage: ${doc}`;
}

export function encodeInMemoryBinding(binding: InMemoryBinding): string {
  return IN_MEMORY_BINDING_PREFIX + JSON.stringify(binding);
}

export function decodeInMemoryBinding(id: string): InMemoryBinding | null {
  if (!id.startsWith(IN_MEMORY_BINDING_PREFIX)) return null;
  let value: unknown;
  try {
    value = JSON.parse(id.slice(IN_MEMORY_BINDING_PREFIX.length));
  } catch {
    return null;
  }
  if (!isJsonObject(value) || typeof value.id !== 'string' || typeof value.order !== 'number' || !isJsonObject(value.stage)) return null;
  const stage = value.stage;
  if (typeof stage.pk === 'string') return { id: value.id, order: value.order, stage: { pk: stage.pk } };
  if (typeof stage.kind !== 'string' || typeof stage.name !== 'string' || !isJsonObject(stage.config)) return null;
  return { id: value.id, order: value.order, stage: { kind: stage.kind, name: stage.name, config: stage.config } };
}

export class LivePlan {
  version: typeof PLAN_VERSION = PLAN_VERSION;
  flow_pk: string;
  bindings: string[];
  markers: PlanMarker[];
  context: Record<string, JsonValue>;
  readonly #mint: () => string;

  /** Takes a deep copy of `plan`; `mint` makes ids for in-memory bindings. */
  constructor(plan: Plan, mint: () => string) {
    const copy = cloneJson(plan as unknown as JsonValue) as unknown as Plan;
    this.flow_pk = copy.flow_pk;
    this.bindings = copy.bindings;
    this.markers = copy.markers;
    this.context = copy.context;
    this.#mint = mint;
  }

  /** authentik `FlowPlan.has_stages`. */
  get has_stages(): boolean {
    return this.bindings.length + this.markers.length > 0;
  }

  private bindingFor(stage: StageLike, order: number): string {
    if ('pk' in stage && typeof stage.pk === 'string') return encodeInMemoryBinding({ id: this.#mint(), order, stage: { pk: stage.pk } });
    const spec = stage as { kind: string; name?: string; config?: Record<string, JsonValue> };
    return encodeInMemoryBinding({
      id: this.#mint(),
      order,
      stage: { kind: spec.kind, name: spec.name ?? inMemoryStageName(spec.kind), config: cloneJson(spec.config ?? {}) },
    });
  }

  /** authentik `append(binding, marker)`: a binding id (flow stage binding pk or in-memory id). */
  append(binding: string, marker: PlanMarker = 'plain'): void {
    this.bindings.push(binding);
    this.markers.push(marker);
  }

  /** authentik `append_stage(stage, marker)`: at the end, through an unsaved binding. */
  append_stage(stage: StageLike, marker: PlanMarker = 'plain'): void {
    this.append(this.bindingFor(stage, 0), marker);
  }

  /** authentik `insert_stage(stage, marker, index=1)`: as the next stage after the current one. */
  insert_stage(stage: StageLike, marker: PlanMarker = 'plain', index = 1): void {
    this.bindings.splice(index, 0, this.bindingFor(stage, 0));
    this.markers.splice(index, 0, marker);
  }

  /** authentik `redirect(destination)`: insert the in-memory redirect stage as the next stage. */
  redirect(destination: string): void {
    this.insert_stage({ kind: IN_MEMORY_REDIRECT_KIND, name: inMemoryStageName('Redirect to any URL'), config: { destination } });
  }

  /** authentik `pop()`: drop the current stage. */
  pop(): void {
    if (this.bindings.length === 0 && this.markers.length === 0) return;
    this.bindings.shift();
    this.markers.shift();
  }

  /** The plan as JSON (a deep copy). */
  toPlan(): Plan {
    return cloneJson({
      version: PLAN_VERSION,
      flow_pk: this.flow_pk,
      bindings: this.bindings,
      markers: this.markers,
      context: this.context,
    } as unknown as JsonValue) as unknown as Plan;
  }
}

// ---------------------------------------------------------------------------------------------
// Resolving a plan entry to something the executor can run

/** A stage as the executor runs it (a workspace stage, or an in-memory one with `pk` null). */
export interface ExecStage {
  pk: string | null;
  name: string;
  kind: string;
  config: Record<string, unknown>;
  in_memory: boolean;
}

/** A plan entry resolved: the flow stage binding's settings (defaults for unsaved bindings) and its stage. */
export interface ResolvedBinding {
  /** The id in `plan.bindings`. */
  id: string;
  /** The flow stage binding pk; null for unsaved (in-memory) bindings. */
  pk: string | null;
  order: number;
  invalid_response_action: FlowStageBinding['invalid_response_action'];
  policy_engine_mode: PolicyEngineMode;
  re_evaluate_policies: boolean;
  evaluate_on_plan: boolean;
  stage: ExecStage;
}

/** The plan refers to something that no longer exists (authentik: an incompatible cached/session plan). */
export class IncompatiblePlanError extends Error {
  readonly code = 'INCOMPATIBLE_PLAN';
  constructor(message: string) {
    super(message);
    this.name = 'IncompatiblePlanError';
  }
}

function workspaceStage(workspace: WorkspaceReader, pk: string, where: string): ExecStage {
  const stage = workspace.stageByPk(pk);
  if (!stage) throw new IncompatiblePlanError(`Stage ${pk} of ${where} does not exist`);
  return { pk: stage.pk, name: stage.name, kind: stage.kind, config: stage.config, in_memory: false };
}

export function resolveBinding(workspace: WorkspaceReader, id: string): ResolvedBinding {
  const memory = decodeInMemoryBinding(id);
  if (memory) {
    const stage: ExecStage =
      'pk' in memory.stage
        ? workspaceStage(workspace, memory.stage.pk, 'an in-memory binding')
        : { pk: null, name: memory.stage.name, kind: memory.stage.kind, config: memory.stage.config, in_memory: true };
    // An unsaved FlowStageBinding(stage=…) has the model defaults.
    return {
      id,
      pk: null,
      order: memory.order,
      invalid_response_action: 'retry',
      policy_engine_mode: 'any',
      re_evaluate_policies: true,
      evaluate_on_plan: false,
      stage,
    };
  }
  if (id.startsWith(IN_MEMORY_BINDING_PREFIX)) throw new IncompatiblePlanError(`Malformed in-memory binding ${id}`);
  const binding = workspace.flowStageBindingByPk(id);
  if (!binding) throw new IncompatiblePlanError(`Flow stage binding ${id} does not exist`);
  return {
    id,
    pk: binding.pk,
    order: binding.order,
    invalid_response_action: binding.invalid_response_action,
    policy_engine_mode: binding.policy_engine_mode,
    re_evaluate_policies: binding.re_evaluate_policies,
    evaluate_on_plan: binding.evaluate_on_plan,
    stage: workspaceStage(workspace, binding.stage, `binding ${binding.pk}`),
  };
}

/** The stage name of a plan entry, or a placeholder when it cannot be resolved. */
export function bindingStageName(workspace: WorkspaceReader, id: string): string {
  try {
    return resolveBinding(workspace, id).stage.name;
  } catch {
    return `<missing ${id}>`;
  }
}
