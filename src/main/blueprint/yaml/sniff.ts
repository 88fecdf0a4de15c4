import { ENTRY_FACTS, TAG_FACTS, type VersionFact } from './sniff-rules';
import { isTagNode } from './tags';
import type { BlueprintDocument, BlueprintValue, TagName } from './types';

export interface VersionSniff {
  /** e.g. ">=2024.8", "<=2024.2", ">=2024.4 <=2024.12", "any", or "conflicting: …". */
  range: string;
  /** One line per kind of evidence, with counts; informational notes included. */
  evidence: string[];
  /** Oldest release the evidence allows, when any evidence sets one. */
  min?: string;
  /** Newest release the evidence allows, when any evidence sets one. */
  max?: string;
}

function compareVersions(a: string, b: string): number {
  const [ay = 0, am = 0] = a.split('.').map(Number);
  const [by = 0, bm = 0] = b.split('.').map(Number);
  return ay - by || am - bm;
}

/** Counts tag usage anywhere below `value`, without recursion (values can be deep). */
function countTags(value: BlueprintValue | undefined, counts: Map<TagName, number>): void {
  const stack: (BlueprintValue | undefined)[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === null || current === undefined || typeof current !== 'object') continue;
    if (isTagNode(current)) {
      counts.set(current.$tag, (counts.get(current.$tag) ?? 0) + 1);
      if ('args' in current) stack.push(...current.args);
    } else if (Array.isArray(current)) stack.push(...current);
    else stack.push(...Object.values(current));
  }
}

/**
 * Guesses which authentik releases a blueprint was written for, from features it uses that
 * appeared or disappeared at known releases. Evidence, not proof: a file that uses nothing
 * version-specific says "any".
 */
export function sniffAuthentikVersion(document: BlueprintDocument): VersionSniff {
  const found = new Map<string, { fact: VersionFact; count: number }>();
  const note = (fact: VersionFact, count = 1): void => {
    const seen = found.get(fact.says);
    if (seen) seen.count += count;
    else found.set(fact.says, { fact, count });
  };

  if (document.sections !== undefined) {
    note({ min: '2026.2', says: '`entries` written as a map of sections (2026+)' });
  }
  if (document.metadata !== undefined || document.context !== undefined) {
    note({ min: '2022.8', says: '`metadata`/`context` blocks (blueprint format, 2022.8+)' });
  }

  const tagCounts = new Map<TagName, number>();
  countTags(document.context, tagCounts);
  for (const entry of document.entries) {
    for (const rule of ENTRY_FACTS) {
      const fact = rule(entry);
      if (fact) note(fact);
    }
    for (const value of [
      entry.model,
      entry.state,
      entry.conditions,
      entry.identifiers,
      entry.attrs,
      entry.id,
    ]) {
      countTags(value as BlueprintValue | undefined, tagCounts);
    }
    countTags(entry.permissions as BlueprintValue[] | undefined, tagCounts);
  }
  for (const [name, count] of tagCounts) {
    const fact = TAG_FACTS[name];
    if (fact) note(fact, count);
  }

  let min: string | undefined;
  let max: string | undefined;
  const evidence: string[] = [];
  for (const { fact, count } of found.values()) {
    if (fact.min && (!min || compareVersions(fact.min, min) > 0)) min = fact.min;
    if (fact.max && (!max || compareVersions(fact.max, max) < 0)) max = fact.max;
    const bound = fact.min ? ` → >=${fact.min}` : fact.max ? ` → <=${fact.max}` : ' (note)';
    evidence.push(`${fact.says}${count > 1 ? ` ×${count}` : ''}${bound}`);
  }

  let range: string;
  if (min && max && compareVersions(min, max) > 0) range = `conflicting: >=${min} but <=${max}`;
  else if (min && max) range = `>=${min} <=${max}`;
  else if (min) range = `>=${min}`;
  else if (max) range = `<=${max}`;
  else range = 'any';
  const result: VersionSniff = { range, evidence };
  if (min) result.min = min;
  if (max) result.max = max;
  return result;
}
