import { type Flow, flowSchema } from '@shared/model';
import { type Db } from '../db';
import { parseRow, stmt, toBool, toInt } from '../sql';

interface FlowRow {
  pk: string;
  name: string;
  slug: string;
  title: string;
  designation: string;
  policy_engine_mode: string;
  compatibility_mode: number;
  layout: string;
  denied_action: string;
  authentication: string;
  background: string;
}

const COLUMNS =
  'pk, name, slug, title, designation, policy_engine_mode, compatibility_mode, layout, denied_action, authentication, background';

// Built once: the statement cache (sql.ts) is keyed by the text.
const SELECT_ALL = `SELECT ${COLUMNS} FROM flows ORDER BY slug`;
const SELECT_BY_PK = `SELECT ${COLUMNS} FROM flows WHERE pk = ?`;
const SELECT_BY_SLUG = `SELECT ${COLUMNS} FROM flows WHERE slug = ?`;
const INSERT = `INSERT INTO flows (${COLUMNS}) VALUES (@pk, @name, @slug, @title, @designation, @policy_engine_mode,
      @compatibility_mode, @layout, @denied_action, @authentication, @background)`;

function fromRow(row: FlowRow): Flow {
  return parseRow(flowSchema, 'flows', row.pk, {
    ...row,
    compatibility_mode: toBool(row.compatibility_mode),
  });
}

function toRow(flow: Flow): FlowRow {
  return {
    pk: flow.pk,
    name: flow.name,
    slug: flow.slug,
    title: flow.title,
    designation: flow.designation,
    policy_engine_mode: flow.policy_engine_mode,
    compatibility_mode: toInt(flow.compatibility_mode),
    layout: flow.layout,
    denied_action: flow.denied_action,
    authentication: flow.authentication,
    background: flow.background,
  };
}

/** All flows ordered by slug, the order authentik uses to pick a default flow (spec §1.3). */
export function listFlows(db: Db): Flow[] {
  return stmt<FlowRow>(db, SELECT_ALL).all().map(fromRow);
}

export function getFlow(db: Db, pk: string): Flow | undefined {
  const row = stmt<FlowRow>(db, SELECT_BY_PK).get(pk);
  return row ? fromRow(row) : undefined;
}

export function getFlowBySlug(db: Db, slug: string): Flow | undefined {
  const row = stmt<FlowRow>(db, SELECT_BY_SLUG).get(slug);
  return row ? fromRow(row) : undefined;
}

/** pk → slug of the given flows that exist (cheap existence checks without parsing rows). */
export function flowSlugs(db: Db, pks: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const select = stmt<{ slug: string }>(db, 'SELECT slug FROM flows WHERE pk = ?');
  for (const pk of pks) {
    const row = select.get(pk);
    if (row) out.set(pk, row.slug);
  }
  return out;
}

export function insertFlow(db: Db, flow: Flow): void {
  stmt(db, INSERT).run(toRow(flow));
}

export function updateFlow(db: Db, flow: Flow): boolean {
  return (
    stmt(
      db,
      `UPDATE flows SET name = @name, slug = @slug, title = @title, designation = @designation,
        policy_engine_mode = @policy_engine_mode, compatibility_mode = @compatibility_mode, layout = @layout,
        denied_action = @denied_action, authentication = @authentication, background = @background
       WHERE pk = @pk`,
    ).run(toRow(flow)).changes === 1
  );
}

/** Deletes the flow; its stage bindings, their policy bindings and its canvas layout cascade. */
export function deleteFlow(db: Db, pk: string): boolean {
  return stmt(db, 'DELETE FROM flows WHERE pk = ?').run(pk).changes === 1;
}
