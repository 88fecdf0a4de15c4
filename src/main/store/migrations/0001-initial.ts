import { type Migration } from './types';

/*
 * The authentik flow domain (spec §1, §2, §5.0, §5.7) plus users, groups and the editor's canvas
 * layout. Conventions:
 * - Every table is STRICT. Booleans are INTEGER 0/1 with a CHECK; JSON columns are TEXT with a
 *   json_valid CHECK and are parsed with the shared zod schemas on read.
 * - Enum columns (designation, layout, …) have no CHECK: the zod model is the single source of
 *   truth and new authentik values must not need a table rebuild. No SQL DEFAULTs either: the
 *   repositories always write full rows built from the model, so defaults live in one place.
 * - Primary keys are authentik's: UUID text, users an integer.
 *
 * policy_binding_models is authentik's PolicyBindingModel registry. Every flow and every flow
 * stage binding owns a row (kept by the triggers below, so no code path can forget it), which
 * lets policy_bindings.target be a real foreign key that cascades: deleting a flow deletes its
 * stage bindings (FK cascade), whose delete triggers remove their registry rows, which cascades to
 * the policy bindings on both. It also makes a flow pk and a binding pk unable to collide.
 *
 * Prompt stage `fields` (and `validation_policies`) stay in the stage's config JSON as lists of
 * pks rather than a join table: config is kept exactly as the blueprint `attrs` of the kind, so
 * the registry schema, the blueprint codec and the engine read one shape, and the same mechanism
 * covers every reference field of every kind (password_stage, configure_flow,
 * configuration_stages, create_users_group, …) instead of one join table per M2M. The cost is
 * that those references are checked by the services (src/main/store/references.ts lists them):
 * existence and kind on write, IN_USE or removal from the list on delete.
 */
export const m0001Initial: Migration = {
  version: 1,
  name: 'initial',
  sql: /* sql */ `
CREATE TABLE flows (
  pk TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  designation TEXT NOT NULL,
  policy_engine_mode TEXT NOT NULL,
  compatibility_mode INTEGER NOT NULL CHECK (compatibility_mode IN (0, 1)),
  layout TEXT NOT NULL,
  denied_action TEXT NOT NULL,
  authentication TEXT NOT NULL,
  background TEXT NOT NULL
) STRICT;

CREATE TABLE stages (
  pk TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  config TEXT NOT NULL CHECK (json_valid(config) AND json_type(config) = 'object')
) STRICT;
CREATE INDEX stages_kind ON stages (kind);

CREATE TABLE flow_stage_bindings (
  pk TEXT PRIMARY KEY NOT NULL,
  target TEXT NOT NULL REFERENCES flows (pk) ON DELETE CASCADE,
  stage TEXT NOT NULL REFERENCES stages (pk) ON DELETE CASCADE,
  "order" INTEGER NOT NULL,
  evaluate_on_plan INTEGER NOT NULL CHECK (evaluate_on_plan IN (0, 1)),
  re_evaluate_policies INTEGER NOT NULL CHECK (re_evaluate_policies IN (0, 1)),
  invalid_response_action TEXT NOT NULL,
  policy_engine_mode TEXT NOT NULL,
  UNIQUE (target, stage, "order")
) STRICT;
CREATE INDEX flow_stage_bindings_stage ON flow_stage_bindings (stage);

CREATE TABLE policy_binding_models (
  pk TEXT PRIMARY KEY NOT NULL,
  model TEXT NOT NULL
) STRICT;

CREATE TRIGGER flows_pbm_insert AFTER INSERT ON flows BEGIN
  INSERT INTO policy_binding_models (pk, model) VALUES (new.pk, 'authentik_flows.flow');
END;
CREATE TRIGGER flows_pbm_delete AFTER DELETE ON flows BEGIN
  DELETE FROM policy_binding_models WHERE pk = old.pk;
END;
CREATE TRIGGER flows_pk_immutable BEFORE UPDATE OF pk ON flows WHEN new.pk IS NOT old.pk BEGIN
  SELECT RAISE(ABORT, 'flows.pk cannot change');
END;
CREATE TRIGGER flow_stage_bindings_pbm_insert AFTER INSERT ON flow_stage_bindings BEGIN
  INSERT INTO policy_binding_models (pk, model) VALUES (new.pk, 'authentik_flows.flowstagebinding');
END;
CREATE TRIGGER flow_stage_bindings_pbm_delete AFTER DELETE ON flow_stage_bindings BEGIN
  DELETE FROM policy_binding_models WHERE pk = old.pk;
END;
CREATE TRIGGER flow_stage_bindings_pk_immutable BEFORE UPDATE OF pk ON flow_stage_bindings
  WHEN new.pk IS NOT old.pk BEGIN
  SELECT RAISE(ABORT, 'flow_stage_bindings.pk cannot change');
END;

CREATE TABLE policies (
  pk TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  execution_logging INTEGER NOT NULL CHECK (execution_logging IN (0, 1)),
  config TEXT NOT NULL CHECK (json_valid(config) AND json_type(config) = 'object')
) STRICT;
CREATE INDEX policies_kind ON policies (kind);

CREATE TABLE "groups" (
  pk TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL UNIQUE,
  is_superuser INTEGER NOT NULL CHECK (is_superuser IN (0, 1)),
  parent TEXT REFERENCES "groups" (pk) ON DELETE SET NULL,
  attributes TEXT NOT NULL CHECK (json_valid(attributes) AND json_type(attributes) = 'object')
) STRICT;
CREATE INDEX groups_parent ON "groups" (parent);

-- password: a PHC string (argon2id), a '!'-prefixed unusable marker, or NULL (never set).
CREATE TABLE users (
  pk INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  is_active INTEGER NOT NULL CHECK (is_active IN (0, 1)),
  type TEXT NOT NULL,
  path TEXT NOT NULL,
  attributes TEXT NOT NULL CHECK (json_valid(attributes) AND json_type(attributes) = 'object'),
  password TEXT,
  password_change_date TEXT,
  last_login TEXT,
  date_joined TEXT NOT NULL
) STRICT;

CREATE TABLE user_groups (
  "user" INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
  "group" TEXT NOT NULL REFERENCES "groups" (pk) ON DELETE CASCADE,
  PRIMARY KEY ("user", "group")
) STRICT, WITHOUT ROWID;
CREATE INDEX user_groups_group ON user_groups ("group");

CREATE TABLE policy_bindings (
  pk TEXT PRIMARY KEY NOT NULL,
  target TEXT NOT NULL REFERENCES policy_binding_models (pk) ON DELETE CASCADE,
  policy TEXT REFERENCES policies (pk) ON DELETE CASCADE,
  "group" TEXT REFERENCES "groups" (pk) ON DELETE CASCADE,
  "user" INTEGER REFERENCES users (pk) ON DELETE CASCADE,
  negate INTEGER NOT NULL CHECK (negate IN (0, 1)),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  "order" INTEGER NOT NULL,
  timeout INTEGER NOT NULL CHECK (timeout >= 0),
  failure_result INTEGER NOT NULL CHECK (failure_result IN (0, 1)),
  CHECK ((policy IS NOT NULL) + ("group" IS NOT NULL) + ("user" IS NOT NULL) = 1),
  UNIQUE (policy, target, "order")
) STRICT;
CREATE INDEX policy_bindings_target ON policy_bindings (target, "order");
CREATE INDEX policy_bindings_group ON policy_bindings ("group");
CREATE INDEX policy_bindings_user ON policy_bindings ("user");

CREATE TABLE prompts (
  pk TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL UNIQUE,
  field_key TEXT NOT NULL,
  label TEXT NOT NULL,
  type TEXT NOT NULL,
  required INTEGER NOT NULL CHECK (required IN (0, 1)),
  placeholder TEXT NOT NULL,
  initial_value TEXT NOT NULL,
  sub_text TEXT NOT NULL,
  "order" INTEGER NOT NULL,
  placeholder_expression INTEGER NOT NULL CHECK (placeholder_expression IN (0, 1)),
  initial_value_expression INTEGER NOT NULL CHECK (initial_value_expression IN (0, 1))
) STRICT;

-- Editor data beside the flow (node positions, viewport), never part of its semantics.
CREATE TABLE canvas_layout (
  flow TEXT PRIMARY KEY NOT NULL REFERENCES flows (pk) ON DELETE CASCADE,
  layout TEXT NOT NULL CHECK (json_valid(layout) AND json_type(layout) = 'object'),
  updated_at TEXT NOT NULL
) STRICT;
`,
};
