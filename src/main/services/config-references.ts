import { findKind, policyFields, policyRegistry, stageFields, stageRegistry } from '@shared/model';
import {
  referencedPks,
  referencesOf,
  referrersOf,
  type ReferenceTarget,
} from '../store/references';
import { findConfigReferrers } from '../store/repos/config-references';
import { flowSlugs } from '../store/repos/flows';
import { getGroupName } from '../store/repos/groups';
import { getPolicy, getPolicyHead, updatePolicy } from '../store/repos/policies';
import { getPromptName } from '../store/repos/prompts';
import { getStage, getStageHead, updateStage } from '../store/repos/stages';
import { type RecordChange, type ServiceContext } from './context';
import { invalid, inUse, notFound } from './errors';

function labelOfKind(owner: 'stage' | 'policy', kind: string): string {
  const def = owner === 'stage' ? findKind(stageRegistry, kind) : findKind(policyRegistry, kind);
  return def?.label ?? kind;
}

/**
 * Check every reference a stage or policy config holds (src/main/store/references.ts): the
 * object must exist (NOT_FOUND naming the field and pk) and a stage reference must point at an
 * allowed kind (INVALID_INPUT). Call inside the write transaction.
 */
export function assertConfigReferences(
  ctx: ServiceContext,
  owner: 'stage' | 'policy',
  kind: string,
  config: Record<string, unknown>,
): void {
  for (const ref of referencesOf(owner, kind)) {
    for (const pk of referencedPks(config, ref)) {
      const issue = {
        path: ['config', ref.field],
        message: `${ref.target} "${pk}" does not exist`,
      };
      if (ref.target === 'stage') {
        const head = getStageHead(ctx.db, pk);
        if (!head) throw notFound(`config.${ref.field}: stage "${pk}" does not exist.`, [issue]);
        if (ref.kinds && !ref.kinds.includes(head.kind)) {
          const wanted = ref.kinds.map((k) => labelOfKind('stage', k)).join(' or ');
          throw invalid(
            `config.${ref.field}: stage "${head.name}" is a ${labelOfKind('stage', head.kind)}, not a ${wanted}.`,
            [{ path: ['config', ref.field], message: `must be a ${wanted}` }],
          );
        }
        continue;
      }
      const exists =
        ref.target === 'flow'
          ? flowSlugs(ctx.db, [pk]).has(pk)
          : ref.target === 'prompt'
            ? getPromptName(ctx.db, pk) !== undefined
            : ref.target === 'policy'
              ? getPolicyHead(ctx.db, pk) !== undefined
              : getGroupName(ctx.db, pk) !== undefined;
      if (!exists)
        throw notFound(`config.${ref.field}: ${ref.target} "${pk}" does not exist.`, [issue]);
    }
  }
}

/**
 * Before deleting `pk`: refuse with IN_USE if a stage or policy holds it in a single-valued
 * reference (authentik would silently null the field; Flowbench asks the user to decide), and
 * drop it from every list reference (authentik's M2M semantics, e.g. a prompt leaves every prompt
 * stage's `fields`), recording those owners as updated. Call inside the write transaction.
 */
export function releaseConfigReferences(
  ctx: ServiceContext,
  record: RecordChange,
  target: ReferenceTarget,
  pk: string,
  label: string,
): void {
  const blocking: string[] = [];
  /** Owners whose list references lose `pk`, with their config as it will be written. */
  const edited = new Map<
    string,
    {
      owner: 'stage' | 'policy';
      pk: string;
      name: string;
      config: Record<string, unknown>;
      fields: string[];
    }
  >();
  for (const { owner, kind, ref } of referrersOf(target)) {
    const table = owner === 'stage' ? 'stages' : 'policies';
    for (const referrer of findConfigReferrers(ctx.db, table, kind, ref.field, ref.many, pk)) {
      if (owner === target && referrer.pk === pk) continue; // the object itself is going away
      if (!ref.many) {
        blocking.push(`${owner} "${referrer.name}" (${ref.field})`);
        continue;
      }
      const key = `${owner}:${referrer.pk}`;
      const current = edited.get(key) ?? {
        owner,
        pk: referrer.pk,
        name: referrer.name,
        config:
          (owner === 'stage' ? getStage(ctx.db, referrer.pk) : getPolicy(ctx.db, referrer.pk))
            ?.config ?? {},
        fields: [],
      };
      edited.set(key, {
        ...current,
        config: withoutPk(current.config, ref.field, pk),
        fields: [...current.fields, ref.field],
      });
    }
  }
  // Dropping the pk must not leave the owner invalid for its kind (a prompt stage needs at least
  // one field); if it would, the delete is refused like a single reference.
  const writes: (() => void)[] = [];
  for (const item of edited.values()) {
    if (item.owner === 'stage') {
      const stage = getStage(ctx.db, item.pk);
      const next =
        stage && stageFields.safeParse({ name: stage.name, kind: stage.kind, config: item.config });
      if (!stage || !next) continue;
      if (!next.success)
        blocking.push(
          `stage "${item.name}" (${item.fields.join(', ')}, which cannot be left empty)`,
        );
      else writes.push(() => updateStage(ctx.db, { ...next.data, pk: item.pk }));
    } else {
      const policy = getPolicy(ctx.db, item.pk);
      const next =
        policy &&
        policyFields.safeParse({
          name: policy.name,
          kind: policy.kind,
          execution_logging: policy.execution_logging,
          config: item.config,
        });
      if (!policy || !next) continue;
      if (!next.success)
        blocking.push(
          `policy "${item.name}" (${item.fields.join(', ')}, which cannot be left empty)`,
        );
      else writes.push(() => updatePolicy(ctx.db, { ...next.data, pk: item.pk }));
    }
  }
  if (blocking.length > 0) {
    throw inUse(
      `${label} is used by ${blocking.join(', ')}. Change ${blocking.length === 1 ? 'that field' : 'those fields'} first.`,
    );
  }
  for (const write of writes) write();
  for (const item of edited.values()) record(item.owner, 'updated', item.pk);
}

function withoutPk(
  config: Record<string, unknown>,
  field: string,
  pk: string,
): Record<string, unknown> {
  const list = config[field];
  return { ...config, [field]: Array.isArray(list) ? list.filter((v) => v !== pk) : list };
}
