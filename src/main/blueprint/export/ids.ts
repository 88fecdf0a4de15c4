import { type FlowStageBinding, type Group, type Policy, type PolicyBinding, type Prompt, type Stage, type User } from '@shared/model';
import { type ObjectIndex, type ObjectRef, refKey } from './snapshot';

/**
 * `"Change your password"` → `change-your-password`: lowercase ASCII letters, digits, `_` and
 * `.`, everything else collapsed to single hyphens. Never empty.
 */
export function slugPart(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_.]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'x' : slug;
}

/** The id an object would like, before collisions: `flow-<slug>`, `stage-<name>`, `binding-<flow>-<order>`, … */
export function baseId(index: ObjectIndex, ref: ObjectRef): string {
  const object = index.get(ref);
  const flowSlug = () => slugPart(index.flowOf(ref)?.slug ?? 'flow');
  switch (ref.type) {
    case 'flow':
      return `flow-${slugPart(index.flow(String(ref.pk))?.slug ?? String(ref.pk))}`;
    case 'stage':
      return `stage-${slugPart((object as Stage | undefined)?.name ?? String(ref.pk))}`;
    case 'policy':
      return `policy-${slugPart((object as Policy | undefined)?.name ?? String(ref.pk))}`;
    case 'prompt':
      return `prompt-${slugPart((object as Prompt | undefined)?.name ?? String(ref.pk))}`;
    case 'group':
      return `group-${slugPart((object as Group | undefined)?.name ?? String(ref.pk))}`;
    case 'user':
      return `user-${slugPart((object as User | undefined)?.username ?? String(ref.pk))}`;
    case 'binding':
      return `binding-${flowSlug()}-${(object as FlowStageBinding | undefined)?.order ?? 0}`;
    case 'policyBinding': {
      const binding = object as PolicyBinding | undefined;
      const target = binding ? index.binding(binding.target) : undefined;
      const at = target ? `${target.order}-` : '';
      return `policybinding-${flowSlug()}-${at}${binding?.order ?? 0}`;
    }
  }
}

/**
 * Gives each ref a unique id in the given order: the base id, or on a collision the base id
 * plus `-2`, `-3`, … Ids in `reserved` (e.g. a round-trip document's own) are never reused.
 */
export function assignIds(index: ObjectIndex, refs: readonly ObjectRef[], reserved: Iterable<string> = []): Map<string, string> {
  const taken = new Set(reserved);
  const ids = new Map<string, string>();
  for (const ref of refs) {
    const key = refKey(ref);
    if (ids.has(key)) continue;
    const base = baseId(index, ref);
    let id = base;
    for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
    taken.add(id);
    ids.set(key, id);
  }
  return ids;
}
