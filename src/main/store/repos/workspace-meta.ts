import { type Db } from '../db';
import { stmt } from '../sql';

/** Tables counted by `workspace.info`, keyed by the name the UI shows. */
const COUNTED: Record<string, string> = {
  flows: 'flows',
  stages: 'stages',
  bindings: 'flow_stage_bindings',
  policies: 'policies',
  policyBindings: 'policy_bindings',
  prompts: 'prompts',
  users: 'users',
  groups: '"groups"',
};

export function countObjects(db: Db): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [key, table] of Object.entries(COUNTED)) {
    counts[key] = stmt<{ n: number }>(db, `SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0;
  }
  return counts;
}
