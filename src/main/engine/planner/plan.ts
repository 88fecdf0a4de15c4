import { z } from 'zod';
import { jsonValue, type JsonValue } from '@shared/model';

/**
 * A flow plan as versioned plain JSON (authentik `FlowPlan`, which authentik pickles into the
 * session and has to wipe on upgrades; ours is data). `bindings[i]` and `markers[i]` are
 * parallel. Users in `context` are `UserRef`s (`{$user: pk}` …), never objects.
 */
export const PLAN_VERSION = 1 as const;

export const planMarker = z.enum(['plain', 'reevaluate']);
export type PlanMarker = z.infer<typeof planMarker>;

export interface Plan {
  version: typeof PLAN_VERSION;
  /** The flow's pk (authentik stores its hex form). */
  flow_pk: string;
  /** Flow stage binding pks, in execution order. */
  bindings: string[];
  markers: PlanMarker[];
  context: Record<string, JsonValue>;
}

export const planSchema: z.ZodType<Plan> = z
  .object({
    version: z.literal(PLAN_VERSION),
    flow_pk: z.string().min(1),
    bindings: z.array(z.string().min(1)),
    markers: z.array(planMarker),
    context: z.record(z.string(), jsonValue),
  })
  .strict()
  .refine((p) => p.bindings.length === p.markers.length, {
    message: 'bindings and markers must have the same length',
    path: ['markers'],
  });

/** Parse a stored plan (e.g. from JSON.parse); throws a ZodError when it is not a v1 plan. */
export function parsePlan(value: unknown): Plan {
  return planSchema.parse(value);
}

export function emptyPlan(flowPk: string, context: Record<string, JsonValue> = {}): Plan {
  return { version: PLAN_VERSION, flow_pk: flowPk, bindings: [], markers: [], context };
}

/** authentik `FlowPlan.has_stages`. */
export function planHasStages(plan: Plan): boolean {
  return plan.bindings.length + plan.markers.length > 0;
}
