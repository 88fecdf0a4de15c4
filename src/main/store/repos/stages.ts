import { type Stage, stageSchema } from '@shared/model';
import { type Db } from '../db';
import { parseJsonColumn, parseRow, stmt } from '../sql';

interface StageRow {
  pk: string;
  name: string;
  kind: string;
  config: string;
}

function fromRow(row: StageRow): Stage {
  const config = parseJsonColumn('stages', row.pk, 'config', row.config);
  return parseRow(stageSchema, 'stages', row.pk, {
    pk: row.pk,
    name: row.name,
    kind: row.kind,
    config,
  });
}

/** All stages by name, optionally of one (canonical) kind. */
export function listStages(db: Db, kind?: string): Stage[] {
  const rows =
    kind === undefined
      ? stmt<StageRow>(db, 'SELECT pk, name, kind, config FROM stages ORDER BY name').all()
      : stmt<StageRow>(
          db,
          'SELECT pk, name, kind, config FROM stages WHERE kind = ? ORDER BY name',
        ).all(kind);
  return rows.map(fromRow);
}

export function getStage(db: Db, pk: string): Stage | undefined {
  const row = stmt<StageRow>(db, 'SELECT pk, name, kind, config FROM stages WHERE pk = ?').get(pk);
  return row ? fromRow(row) : undefined;
}

/** Name and kind of a stage without parsing its config (existence and kind checks). */
export function getStageHead(db: Db, pk: string): { name: string; kind: string } | undefined {
  return stmt<{ name: string; kind: string }>(db, 'SELECT name, kind FROM stages WHERE pk = ?').get(
    pk,
  );
}

export function insertStage(db: Db, stage: Stage): void {
  stmt(db, 'INSERT INTO stages (pk, name, kind, config) VALUES (?, ?, ?, ?)').run(
    stage.pk,
    stage.name,
    stage.kind,
    JSON.stringify(stage.config),
  );
}

export function updateStage(db: Db, stage: Stage): boolean {
  return (
    stmt(db, 'UPDATE stages SET name = ?, kind = ?, config = ? WHERE pk = ?').run(
      stage.name,
      stage.kind,
      JSON.stringify(stage.config),
      stage.pk,
    ).changes === 1
  );
}

/** Deletes the stage; every binding of it (and their policy bindings) cascades. */
export function deleteStage(db: Db, pk: string): boolean {
  return stmt(db, 'DELETE FROM stages WHERE pk = ?').run(pk).changes === 1;
}
