import { type Policy, policySchema } from '@shared/model';
import { type Db } from '../db';
import { parseJsonColumn, parseRow, stmt, toBool, toInt } from '../sql';

interface PolicyRow {
  pk: string;
  name: string;
  kind: string;
  execution_logging: number;
  config: string;
}

const COLUMNS = 'pk, name, kind, execution_logging, config';

// Built once: the statement cache (sql.ts) is keyed by the text.
const SELECT_ALL = `SELECT ${COLUMNS} FROM policies ORDER BY name`;
const SELECT_BY_PK = `SELECT ${COLUMNS} FROM policies WHERE pk = ?`;
const INSERT = `INSERT INTO policies (${COLUMNS}) VALUES (?, ?, ?, ?, ?)`;

function fromRow(row: PolicyRow): Policy {
  const config = parseJsonColumn('policies', row.pk, 'config', row.config);
  return parseRow(policySchema, 'policies', row.pk, {
    pk: row.pk,
    name: row.name,
    kind: row.kind,
    execution_logging: toBool(row.execution_logging),
    config,
  });
}

export function listPolicies(db: Db): Policy[] {
  return stmt<PolicyRow>(db, SELECT_ALL).all().map(fromRow);
}

export function getPolicy(db: Db, pk: string): Policy | undefined {
  const row = stmt<PolicyRow>(db, SELECT_BY_PK).get(pk);
  return row ? fromRow(row) : undefined;
}

export function getPolicyHead(db: Db, pk: string): { name: string; kind: string } | undefined {
  return stmt<{ name: string; kind: string }>(
    db,
    'SELECT name, kind FROM policies WHERE pk = ?',
  ).get(pk);
}

export function insertPolicy(db: Db, policy: Policy): void {
  stmt(db, INSERT).run(
    policy.pk,
    policy.name,
    policy.kind,
    toInt(policy.execution_logging),
    JSON.stringify(policy.config),
  );
}

export function updatePolicy(db: Db, policy: Policy): boolean {
  return (
    stmt(
      db,
      'UPDATE policies SET name = ?, kind = ?, execution_logging = ?, config = ? WHERE pk = ?',
    ).run(
      policy.name,
      policy.kind,
      toInt(policy.execution_logging),
      JSON.stringify(policy.config),
      policy.pk,
    ).changes === 1
  );
}

/** Deletes the policy; every policy binding of it cascades. */
export function deletePolicy(db: Db, pk: string): boolean {
  return stmt(db, 'DELETE FROM policies WHERE pk = ?').run(pk).changes === 1;
}
