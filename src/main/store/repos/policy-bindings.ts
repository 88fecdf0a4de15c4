import { type PolicyBinding, policyBindingSchema } from '@shared/model';
import { type Db } from '../db';
import { parseRow, stmt, toBool, toInt } from '../sql';

interface PolicyBindingRow {
  pk: string;
  target: string;
  policy: string | null;
  group: string | null;
  user: number | null;
  negate: number;
  enabled: number;
  order: number;
  timeout: number;
  failure_result: number;
}

const COLUMNS =
  'pk, target, policy, "group", "user", negate, enabled, "order", timeout, failure_result';

// Built once: the statement cache (sql.ts) is keyed by the text.
const SELECT_BY_TARGET = `SELECT ${COLUMNS} FROM policy_bindings WHERE target = ? ORDER BY "order", pk`;
const SELECT_BY_PK = `SELECT ${COLUMNS} FROM policy_bindings WHERE pk = ?`;
const PKS_BY_TARGET = 'SELECT pk FROM policy_bindings WHERE target = ? ORDER BY "order", pk';
const INSERT = `INSERT INTO policy_bindings (${COLUMNS}) VALUES (@pk, @target, @policy, @group, @user, @negate, @enabled,
      @order, @timeout, @failure_result)`;

function fromRow(row: PolicyBindingRow): PolicyBinding {
  return parseRow(policyBindingSchema, 'policy_bindings', row.pk, {
    ...row,
    negate: toBool(row.negate),
    enabled: toBool(row.enabled),
    failure_result: toBool(row.failure_result),
  });
}

function toRow(binding: PolicyBinding): PolicyBindingRow {
  return {
    pk: binding.pk,
    target: binding.target,
    policy: binding.policy,
    group: binding.group,
    user: binding.user,
    negate: toInt(binding.negate),
    enabled: toInt(binding.enabled),
    order: binding.order,
    timeout: binding.timeout,
    failure_result: toInt(binding.failure_result),
  };
}

/** The policy bindings of one policy-binding model (flow or stage binding), by order. */
export function listPolicyBindingsOf(db: Db, target: string): PolicyBinding[] {
  return stmt<PolicyBindingRow>(db, SELECT_BY_TARGET).all(target).map(fromRow);
}

/** The pks of a target's policy bindings, in the order of listPolicyBindingsOf. */
export function policyBindingPksOf(db: Db, target: string): string[] {
  return stmt<{ pk: string }>(db, PKS_BY_TARGET)
    .all(target)
    .map((row) => row.pk);
}

export function getPolicyBinding(db: Db, pk: string): PolicyBinding | undefined {
  const row = stmt<PolicyBindingRow>(db, SELECT_BY_PK).get(pk);
  return row ? fromRow(row) : undefined;
}

export function insertPolicyBinding(db: Db, binding: PolicyBinding): void {
  stmt(db, INSERT).run(toRow(binding));
}

export function updatePolicyBinding(db: Db, binding: PolicyBinding): boolean {
  return (
    stmt(
      db,
      `UPDATE policy_bindings SET target = @target, policy = @policy, "group" = @group, "user" = @user,
        negate = @negate, enabled = @enabled, "order" = @order, timeout = @timeout, failure_result = @failure_result
       WHERE pk = @pk`,
    ).run(toRow(binding)).changes === 1
  );
}

export function deletePolicyBinding(db: Db, pk: string): boolean {
  return stmt(db, 'DELETE FROM policy_bindings WHERE pk = ?').run(pk).changes === 1;
}

/**
 * What a policy-binding model pk is: authentik's model name of the flow or stage binding it
 * belongs to, or undefined when nothing carries that pk.
 */
export function getPolicyBindingModel(db: Db, pk: string): string | undefined {
  return stmt<{ model: string }>(db, 'SELECT model FROM policy_binding_models WHERE pk = ?').get(pk)
    ?.model;
}
