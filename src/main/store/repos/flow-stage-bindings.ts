import { type FlowStageBinding, flowStageBindingSchema } from '@shared/model';
import { type Db } from '../db';
import { parseRow, stmt, toBool, toInt } from '../sql';

interface BindingRow {
  pk: string;
  target: string;
  stage: string;
  order: number;
  evaluate_on_plan: number;
  re_evaluate_policies: number;
  invalid_response_action: string;
  policy_engine_mode: string;
}

const COLUMNS =
  'pk, target, stage, "order", evaluate_on_plan, re_evaluate_policies, invalid_response_action, policy_engine_mode';

// Built once: the statement cache (sql.ts) is keyed by the text.
const SELECT_BY_TARGET = `SELECT ${COLUMNS} FROM flow_stage_bindings WHERE target = ? ORDER BY "order", pk`;
const SELECT_BY_PK = `SELECT ${COLUMNS} FROM flow_stage_bindings WHERE pk = ?`;
const PKS_BY_TARGET = 'SELECT pk FROM flow_stage_bindings WHERE target = ? ORDER BY "order", pk';
const INSERT = `INSERT INTO flow_stage_bindings (${COLUMNS}) VALUES (@pk, @target, @stage, @order, @evaluate_on_plan,
      @re_evaluate_policies, @invalid_response_action, @policy_engine_mode)`;

function fromRow(row: BindingRow): FlowStageBinding {
  return parseRow(flowStageBindingSchema, 'flow_stage_bindings', row.pk, {
    ...row,
    evaluate_on_plan: toBool(row.evaluate_on_plan),
    re_evaluate_policies: toBool(row.re_evaluate_policies),
  });
}

function toRow(binding: FlowStageBinding): BindingRow {
  return {
    pk: binding.pk,
    target: binding.target,
    stage: binding.stage,
    order: binding.order,
    evaluate_on_plan: toInt(binding.evaluate_on_plan),
    re_evaluate_policies: toInt(binding.re_evaluate_policies),
    invalid_response_action: binding.invalid_response_action,
    policy_engine_mode: binding.policy_engine_mode,
  };
}

/** The bindings of a flow in execution order (ties broken by pk for a stable order). */
export function listBindingsOfFlow(db: Db, flow: string): FlowStageBinding[] {
  return stmt<BindingRow>(db, SELECT_BY_TARGET).all(flow).map(fromRow);
}

/** The pks of a flow's bindings, in the order of listBindingsOfFlow. */
export function bindingPksOfFlow(db: Db, flow: string): string[] {
  return stmt<{ pk: string }>(db, PKS_BY_TARGET)
    .all(flow)
    .map((row) => row.pk);
}

export function getBinding(db: Db, pk: string): FlowStageBinding | undefined {
  const row = stmt<BindingRow>(db, SELECT_BY_PK).get(pk);
  return row ? fromRow(row) : undefined;
}

export function insertBinding(db: Db, binding: FlowStageBinding): void {
  stmt(db, INSERT).run(toRow(binding));
}

export function updateBinding(db: Db, binding: FlowStageBinding): boolean {
  return (
    stmt(
      db,
      `UPDATE flow_stage_bindings SET target = @target, stage = @stage, "order" = @order,
        evaluate_on_plan = @evaluate_on_plan, re_evaluate_policies = @re_evaluate_policies,
        invalid_response_action = @invalid_response_action, policy_engine_mode = @policy_engine_mode
       WHERE pk = @pk`,
    ).run(toRow(binding)).changes === 1
  );
}

export function setBindingOrder(db: Db, pk: string, order: number): void {
  stmt(db, 'UPDATE flow_stage_bindings SET "order" = ? WHERE pk = ?').run(order, pk);
}

/** Deletes the binding; its policy bindings cascade through policy_binding_models. */
export function deleteBinding(db: Db, pk: string): boolean {
  return stmt(db, 'DELETE FROM flow_stage_bindings WHERE pk = ?').run(pk).changes === 1;
}
