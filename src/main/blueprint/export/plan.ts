import { type Flow, type Stage } from '@shared/model';
import { EMBEDDED_STAGE_FIELDS, recordFor, referencedRefs, STAGE_REFERENCE_SPECS } from './records';
import { compareText, comparePk, type ObjectIndex, type ObjectRef, refKey } from './snapshot';

/**
 * Which objects an export holds and in what order.
 *
 * Per flow, authentik's FlowExporter order (spec §7.7): the flow; the prompts of its prompt
 * stages; the policies bound to the flow or its bindings, then the prompt stages' validation
 * policies; its stages (bound ones in binding order, each preceded by the stages it embeds:
 * identification's password/captcha/webauthn stage, authenticator validation's configuration
 * stages); its stage bindings; the policy bindings on the flow, then on each binding.
 *
 * Several flows: by slug, except that a flow whose objects reference another exported flow
 * (configure_flow, enrollment_flow, …) comes after it, because `!KeyOf` (and authentik's pk
 * validation) only sees what is already there. An object shared by two flows goes with the first.
 *
 * The whole workspace adds, after the flows: prompts, policies and stages no flow reaches (by
 * name), then groups (parents first) and users (by username). An object still referenced before
 * it would be written (a group bound by a policy binding, a user write stage's group) is moved up
 * to just before its first referrer.
 */
export function planExport(index: ObjectIndex, flows: readonly Flow[], wholeWorkspace: boolean): ObjectRef[] {
  const groups = new Map<string, ObjectRef[]>(flows.map((flow) => [flow.pk, flowGroup(index, flow)]));
  const ordered = orderFlows(index, flows, groups);

  const base: ObjectRef[] = [];
  for (const flow of ordered) base.push(...(groups.get(flow.pk) ?? []));
  if (wholeWorkspace) base.push(...unreachable(index, new Set(base.map(refKey))));

  const members = new Set(base.map(refKey));
  return hoistDependencies(index, base, members);
}

/** The objects of one flow in authentik's order (may repeat objects; planExport dedupes). */
export function flowGroup(index: ObjectIndex, flow: Flow): ObjectRef[] {
  const bindings = index.bindingsOfFlow(flow.pk);

  // Stages: bound ones in binding order, embedded ones just before their referrer.
  const stageRefs: ObjectRef[] = [];
  const seenStages = new Set<string>();
  const visitStage = (pk: string, trail: Set<string>) => {
    if (seenStages.has(pk) || trail.has(pk)) return;
    const stage = index.stage(pk);
    if (!stage) return;
    trail.add(pk);
    for (const embedded of embeddedStages(stage)) visitStage(embedded, trail);
    trail.delete(pk);
    seenStages.add(pk);
    stageRefs.push({ type: 'stage', pk });
  };
  for (const binding of bindings) visitStage(binding.stage, new Set());
  const stages = stageRefs.map((ref) => index.stage(String(ref.pk))).filter((s): s is Stage => s !== undefined);
  const promptStages = stages.filter((stage) => stage.kind === 'authentik_stages_prompt.promptstage');

  const prompts: ObjectRef[] = [];
  for (const stage of promptStages) {
    for (const pk of stringList(stage.config.fields)) if (index.prompt(pk)) prompts.push({ type: 'prompt', pk });
  }

  const pbmTargets = [flow.pk, ...bindings.map((binding) => binding.pk)];
  const policyBindings = pbmTargets.flatMap((target) => index.policyBindingsOn(target));
  const policies: ObjectRef[] = [];
  for (const binding of policyBindings) if (binding.policy !== null) policies.push({ type: 'policy', pk: binding.policy });
  for (const stage of promptStages) {
    for (const pk of stringList(stage.config.validation_policies)) if (index.policy(pk)) policies.push({ type: 'policy', pk });
  }

  return [
    { type: 'flow', pk: flow.pk },
    ...prompts,
    ...policies,
    ...stageRefs,
    ...bindings.map((binding): ObjectRef => ({ type: 'binding', pk: binding.pk })),
    ...policyBindings.map((binding): ObjectRef => ({ type: 'policyBinding', pk: binding.pk })),
  ];
}

function embeddedStages(stage: Stage): string[] {
  const specs = STAGE_REFERENCE_SPECS[stage.kind] ?? [];
  const out: string[] = [];
  for (const spec of specs) {
    if (!EMBEDDED_STAGE_FIELDS.includes(spec.field)) continue;
    const value = stage.config[spec.field];
    out.push(...(spec.many ? stringList(value) : typeof value === 'string' ? [value] : []));
  }
  return out;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Slug order, with flows referenced from another exported flow's objects moved before it. */
export function orderFlows(index: ObjectIndex, flows: readonly Flow[], groups: ReadonlyMap<string, readonly ObjectRef[]>): Flow[] {
  const bySlug = [...flows].sort((a, b) => compareText(a.slug, b.slug) || comparePk(a.pk, b.pk));
  const exported = new Set(flows.map((flow) => flow.pk));
  const needs = new Map<string, string[]>();
  for (const flow of bySlug) {
    const deps = new Set<string>();
    for (const ref of groups.get(flow.pk) ?? []) {
      const record = recordFor(index, ref);
      if (!record) continue;
      for (const target of referencedRefs(index, record)) {
        const pk = String(target.pk);
        if (target.type === 'flow' && pk !== flow.pk && exported.has(pk)) deps.add(pk);
      }
    }
    needs.set(flow.pk, [...deps]);
  }
  const out: Flow[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (flow: Flow) => {
    if (placed.has(flow.pk) || visiting.has(flow.pk)) return; // a cycle: slug order decides
    visiting.add(flow.pk);
    for (const dep of bySlug.filter((candidate) => needs.get(flow.pk)?.includes(candidate.pk))) place(dep);
    visiting.delete(flow.pk);
    placed.add(flow.pk);
    out.push(flow);
  };
  for (const flow of bySlug) place(flow);
  return out;
}

/** Whole-workspace tail: prompts, policies, stages no flow reached; then groups and users. */
function unreachable(index: ObjectIndex, reached: ReadonlySet<string>): ObjectRef[] {
  const { snapshot } = index;
  const byName = <T extends { name: string; pk: string }>(items: readonly T[]) =>
    [...items].sort((a, b) => compareText(a.name, b.name) || comparePk(a.pk, b.pk));
  const out: ObjectRef[] = [];
  const add = (ref: ObjectRef) => {
    if (!reached.has(refKey(ref))) out.push(ref);
  };
  for (const prompt of byName(snapshot.prompts)) add({ type: 'prompt', pk: prompt.pk });
  for (const policy of byName(snapshot.policies)) add({ type: 'policy', pk: policy.pk });
  for (const stage of byName(snapshot.stages)) add({ type: 'stage', pk: stage.pk });
  for (const group of byName(snapshot.groups)) add({ type: 'group', pk: group.pk });
  for (const user of [...snapshot.users].sort((a, b) => compareText(a.username, b.username) || a.pk - b.pk)) {
    add({ type: 'user', pk: user.pk });
  }
  return out;
}

/**
 * Keeps `base` order (first occurrence of each object) except that an object comes after every
 * member it references: a stable depth-first topological order. On a reference cycle the object
 * met first stays first; its reference to the later one is written as a lookup instead.
 */
export function hoistDependencies(index: ObjectIndex, base: readonly ObjectRef[], members: ReadonlySet<string>): ObjectRef[] {
  const out: ObjectRef[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (ref: ObjectRef) => {
    const key = refKey(ref);
    if (done.has(key) || visiting.has(key) || !members.has(key)) return;
    visiting.add(key);
    const record = recordFor(index, ref);
    if (record) for (const dep of referencedRefs(index, record)) visit(dep);
    visiting.delete(key);
    done.add(key);
    out.push(ref);
  };
  for (const ref of base) visit(ref);
  return out;
}
