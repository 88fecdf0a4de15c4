import { isMapping, isTagNode } from './tags';
import type { BlueprintValue, TagNode } from './types';

function short(value: BlueprintValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (isTagNode(value)) return describeTag(value);
  if (value === null || typeof value !== 'object') return String(value);
  return undefined;
}

export function describeTag(tag: TagNode): string {
  return 'value' in tag ? `!${tag.$tag} ${tag.value}` : `!${tag.$tag} […]`;
}

/**
 * "entry 3 (authentik_flows.flow slug=x)": the 1-based position in the file plus what a person
 * would search for, for messages such as "entry 3 (…), attrs.designation, line 12:5".
 */
export function describeEntry(
  entry: { model?: BlueprintValue; identifiers?: BlueprintValue },
  index: number,
): string {
  const parts: string[] = [];
  const model = short(entry.model);
  if (model !== undefined) parts.push(model);
  if (isMapping(entry.identifiers)) {
    for (const [key, value] of Object.entries(entry.identifiers).slice(0, 3)) {
      const text = short(value);
      if (text !== undefined) parts.push(`${key}=${text}`);
    }
  }
  return parts.length > 0 ? `entry ${index + 1} (${parts.join(' ')})` : `entry ${index + 1}`;
}
