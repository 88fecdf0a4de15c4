import { describe, expect, it } from 'vitest';
import { type z } from 'zod';
import { policyRegistry, stageRegistry } from '@shared/model';
import {
  POLICY_REFERENCES,
  STAGE_REFERENCES,
  UNMODELED_REFERENCE_FIELDS,
} from '../../../src/main/store/references';

type Def = z.core.$ZodTypeDef & {
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  format?: string;
};
const defOf = (t: unknown): Def | undefined =>
  (t as { _zod?: { def: Def } } | undefined)?._zod?.def;

/** Strip default / nullable / optional / pipe wrappers. */
function unwrap(t: z.ZodType | undefined): z.ZodType | undefined {
  let current = t;
  for (;;) {
    const def = defOf(current);
    if (!def) return current;
    if (['default', 'nullable', 'optional', 'prefault', 'readonly', 'catch'].includes(def.type))
      current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else return current;
  }
}
const isPk = (t: z.ZodType | undefined): boolean => {
  const def = defOf(unwrap(t));
  return def?.type === 'string' && def.format === 'guid';
};

/** Every config field typed as a pk (single) or a list of pks (many), per kind. */
function pkFields(
  registry: Record<string, { config: z.ZodType }>,
): { kind: string; field: string; many: boolean }[] {
  const out: { kind: string; field: string; many: boolean }[] = [];
  for (const [kind, def] of Object.entries(registry)) {
    const shape = defOf(unwrap(def.config))?.shape ?? {};
    for (const [field, type] of Object.entries(shape)) {
      const inner = unwrap(type);
      if (isPk(inner)) out.push({ kind, field, many: false });
      else if (defOf(inner)?.type === 'array' && isPk(defOf(inner)?.element))
        out.push({ kind, field, many: true });
    }
  }
  return out;
}

describe('config reference table', () => {
  it.each([
    ['stage', stageRegistry, STAGE_REFERENCES],
    ['policy', policyRegistry, POLICY_REFERENCES],
  ] as const)(
    'covers every pk-typed config field of every registered %s kind',
    (_owner, registry, table) => {
      const fields = pkFields(registry as unknown as Record<string, { config: z.ZodType }>);
      expect(fields.length).toBeGreaterThanOrEqual(_owner === 'stage' ? 1 : 0);
      const unlisted = fields.filter(
        ({ kind, field }) =>
          !(table[kind] ?? []).some((ref) => ref.field === field) &&
          !(UNMODELED_REFERENCE_FIELDS[kind] ?? []).includes(field),
      );
      // Add the field to src/main/store/references.ts (what it points at), or to
      // UNMODELED_REFERENCE_FIELDS if Flowbench does not store that kind of object.
      expect(unlisted).toEqual([]);
      for (const { kind, field, many } of fields) {
        const ref = (table[kind] ?? []).find((r) => r.field === field);
        if (ref) expect({ kind, field, many: ref.many }).toEqual({ kind, field, many });
      }
    },
  );

  it('lists only fields that exist on registered kinds (no stale entries)', () => {
    const fields = new Set(
      pkFields(stageRegistry as unknown as Record<string, { config: z.ZodType }>).map(
        (f) => `${f.kind}.${f.field}`,
      ),
    );
    for (const [kind, refs] of Object.entries(STAGE_REFERENCES)) {
      if (!(kind in stageRegistry)) continue;
      for (const ref of refs)
        expect(fields, `${kind}.${ref.field}`).toContain(`${kind}.${ref.field}`);
    }
  });

  it('restricts stage references to registered kinds', () => {
    for (const refs of Object.values(STAGE_REFERENCES)) {
      for (const ref of refs)
        for (const kind of ref.kinds ?? []) expect(Object.keys(stageRegistry)).toContain(kind);
    }
  });
});
