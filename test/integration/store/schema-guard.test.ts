import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations, openDatabase } from '../../../src/main/store';

/*
 * The schema guard. These lists describe what shipped workspaces contain; a migration may add to
 * them (extend the list in the same change) but a column, key, index or trigger must never
 * silently disappear or change, and a shipped migration must never be edited (its hash is pinned:
 * fix mistakes with a new migration).
 */
const COLUMNS: Record<string, string[]> = {
  blueprint_entries: [
    'blueprint TEXT NOT NULL PK',
    'idx INTEGER NOT NULL PK',
    'model TEXT NOT NULL',
    'object_pk TEXT',
    'snapshot TEXT',
    'unknown_attrs TEXT',
  ],
  blueprints: [
    'pk TEXT NOT NULL PK',
    'name TEXT NOT NULL',
    'source_name TEXT NOT NULL',
    'document TEXT NOT NULL',
    'context TEXT NOT NULL',
    'version_guess TEXT NOT NULL',
    'content_sha256 TEXT NOT NULL',
    'imported_at TEXT NOT NULL',
  ],
  canvas_layout: ['flow TEXT NOT NULL PK', 'layout TEXT NOT NULL', 'updated_at TEXT NOT NULL'],
  flow_stage_bindings: [
    'pk TEXT NOT NULL PK',
    'target TEXT NOT NULL',
    'stage TEXT NOT NULL',
    'order INTEGER NOT NULL',
    'evaluate_on_plan INTEGER NOT NULL',
    're_evaluate_policies INTEGER NOT NULL',
    'invalid_response_action TEXT NOT NULL',
    'policy_engine_mode TEXT NOT NULL',
  ],
  flows: [
    'pk TEXT NOT NULL PK',
    'name TEXT NOT NULL',
    'slug TEXT NOT NULL',
    'title TEXT NOT NULL',
    'designation TEXT NOT NULL',
    'policy_engine_mode TEXT NOT NULL',
    'compatibility_mode INTEGER NOT NULL',
    'layout TEXT NOT NULL',
    'denied_action TEXT NOT NULL',
    'authentication TEXT NOT NULL',
    'background TEXT NOT NULL',
  ],
  groups: [
    'pk TEXT NOT NULL PK',
    'name TEXT NOT NULL',
    'is_superuser INTEGER NOT NULL',
    'parent TEXT',
    'attributes TEXT NOT NULL',
  ],
  policies: [
    'pk TEXT NOT NULL PK',
    'name TEXT NOT NULL',
    'kind TEXT NOT NULL',
    'execution_logging INTEGER NOT NULL',
    'config TEXT NOT NULL',
  ],
  policy_binding_models: ['pk TEXT NOT NULL PK', 'model TEXT NOT NULL'],
  policy_bindings: [
    'pk TEXT NOT NULL PK',
    'target TEXT NOT NULL',
    'policy TEXT',
    'group TEXT',
    'user INTEGER',
    'negate INTEGER NOT NULL',
    'enabled INTEGER NOT NULL',
    'order INTEGER NOT NULL',
    'timeout INTEGER NOT NULL',
    'failure_result INTEGER NOT NULL',
  ],
  prompts: [
    'pk TEXT NOT NULL PK',
    'name TEXT NOT NULL',
    'field_key TEXT NOT NULL',
    'label TEXT NOT NULL',
    'type TEXT NOT NULL',
    'required INTEGER NOT NULL',
    'placeholder TEXT NOT NULL',
    'initial_value TEXT NOT NULL',
    'sub_text TEXT NOT NULL',
    'order INTEGER NOT NULL',
    'placeholder_expression INTEGER NOT NULL',
    'initial_value_expression INTEGER NOT NULL',
  ],
  stages: [
    'pk TEXT NOT NULL PK',
    'name TEXT NOT NULL',
    'kind TEXT NOT NULL',
    'config TEXT NOT NULL',
  ],
  user_groups: ['user INTEGER NOT NULL PK', 'group TEXT NOT NULL PK'],
  users: [
    'pk INTEGER PK',
    'username TEXT NOT NULL',
    'name TEXT NOT NULL',
    'email TEXT NOT NULL',
    'is_active INTEGER NOT NULL',
    'type TEXT NOT NULL',
    'path TEXT NOT NULL',
    'attributes TEXT NOT NULL',
    'password TEXT',
    'password_change_date TEXT',
    'last_login TEXT',
    'date_joined TEXT NOT NULL',
  ],
};

const FOREIGN_KEYS = [
  'blueprint_entries.blueprint -> blueprints.pk ON DELETE CASCADE',
  'canvas_layout.flow -> flows.pk ON DELETE CASCADE',
  'flow_stage_bindings.stage -> stages.pk ON DELETE CASCADE',
  'flow_stage_bindings.target -> flows.pk ON DELETE CASCADE',
  'groups.parent -> groups.pk ON DELETE SET NULL',
  'policy_bindings.group -> groups.pk ON DELETE CASCADE',
  'policy_bindings.policy -> policies.pk ON DELETE CASCADE',
  'policy_bindings.target -> policy_binding_models.pk ON DELETE CASCADE',
  'policy_bindings.user -> users.pk ON DELETE CASCADE',
  'user_groups.group -> groups.pk ON DELETE CASCADE',
  'user_groups.user -> users.pk ON DELETE CASCADE',
];

const INDEXES = [
  'blueprint_entries_object',
  'flow_stage_bindings_stage',
  'groups_parent',
  'policies_kind',
  'policy_bindings_group',
  'policy_bindings_target',
  'policy_bindings_user',
  'stages_kind',
  'user_groups_group',
];

const TRIGGERS = [
  'flow_stage_bindings_pbm_delete',
  'flow_stage_bindings_pbm_insert',
  'flow_stage_bindings_pk_immutable',
  'flows_pbm_delete',
  'flows_pbm_insert',
  'flows_pk_immutable',
];

/** sha256 of each shipped migration's SQL. Never change an entry; append one per new migration. */
const MIGRATION_HASHES: Record<number, string> = {
  1: 'ca2f61cba7b292262b1519aaee1cfbd9e3d923ae8c11109366170207ec8dfc19',
  2: '3e74d71a0fdd6f4ef77c725eae730274b80c13955592d1211154f737cdb61dac',
};

describe('schema guard', () => {
  const db = openDatabase(':memory:');
  afterAll(() => db.close());

  it('has exactly the expected tables, all STRICT', () => {
    const tables = db
      .prepare(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string; strict: number }[];
    expect(tables.map((t) => t.name)).toEqual(Object.keys(COLUMNS).sort());
    expect(tables.filter((t) => t.strict !== 1).map((t) => t.name)).toEqual([]);
  });

  it.each(Object.entries(COLUMNS))('keeps every column of %s', (table, expected) => {
    const columns = (
      db.prepare('SELECT name, type, "notnull", pk FROM pragma_table_info(?)').all(table) as {
        name: string;
        type: string;
        notnull: number;
        pk: number;
      }[]
    ).map((c) => `${c.name} ${c.type}${c.notnull ? ' NOT NULL' : ''}${c.pk ? ' PK' : ''}`);
    expect(columns).toEqual(expected);
  });

  it('keeps every foreign key and its delete action', () => {
    const keys = (
      db
        .prepare(
          `SELECT m.name AS tbl, f."from" AS col, f."table" AS ref, f."to" AS refcol, f.on_delete
           FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY m.name, f."from"`,
        )
        .all() as { tbl: string; col: string; ref: string; refcol: string; on_delete: string }[]
    ).map((k) => `${k.tbl}.${k.col} -> ${k.ref}.${k.refcol} ON DELETE ${k.on_delete}`);
    expect(keys).toEqual(FOREIGN_KEYS);
  });

  it('keeps every index and trigger', () => {
    const names = (type: string) =>
      db
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .pluck()
        .all(type);
    expect(names('index')).toEqual(INDEXES);
    expect(names('trigger')).toEqual(TRIGGERS);
  });

  it('never edits a shipped migration', () => {
    const hashes = Object.fromEntries(
      migrations.map((m) => [m.version, createHash('sha256').update(m.sql).digest('hex')]),
    );
    expect(hashes).toEqual(MIGRATION_HASHES);
  });
});
