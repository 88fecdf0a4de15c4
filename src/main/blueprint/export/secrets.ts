import { commentKey, type BlueprintDocument, type BlueprintMapping, type CommentMap } from '../yaml';
import { compareText } from './snapshot';

/**
 * Declares each secret's `!Context` key in the blueprint's `context` with an empty default and a
 * comment saying what it is, so the file imports as is and says what to supply.
 */
export function declareSecrets(document: BlueprintDocument, secrets: ReadonlyMap<string, string>): void {
  if (secrets.size === 0) return;
  const context: BlueprintMapping = document.context ?? {};
  const comments: CommentMap = document.comments ?? {};
  for (const [key, note] of [...secrets].sort(([a], [b]) => compareText(a, b))) {
    if (Object.hasOwn(context, key)) continue;
    context[key] = '';
    comments[commentKey('key', ['context', key])] = { before: ` ${note}` };
  }
  document.context = context;
  document.comments = comments;
}
