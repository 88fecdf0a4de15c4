import { type Migration } from './types';

/*
 * Imported blueprints (src/main/blueprint/import), kept so they can be exported again:
 *
 * - blueprints: one row per blueprint instance, keyed by `name` (metadata.name, or the file name
 *   when the file has no metadata), as authentik keys its BlueprintInstance: importing a file with
 *   the same name again replaces the row's document (the pk stays).
 *   `document` is the parsed BlueprintDocument as JSON without source positions; comments, key
 *   order, sections and keys authentik ignores are kept, since a round-trip export writes it back.
 *   Entries of models Flowbench does not model (brands, applications, providers, …) live only
 *   here. `context` is the caller's context minus secret-looking keys; explicit !Env/!File values
 *   are never stored.
 * - blueprint_entries: one row per entry (file order, sections concatenated): the canonical model,
 *   the pk of the object it made or matched (NULL for unmodeled models, meta entries and skipped
 *   entries), a snapshot of that object in blueprint-attrs shape right after the import (so an
 *   export can tell whether it changed since) and the attrs Flowbench's model does not have.
 *   object_pk is not a foreign key: it may name a flow, stage, binding, policy, policy binding,
 *   prompt, user or group, and the object may since have been deleted.
 */
export const m0002Blueprints: Migration = {
  version: 2,
  name: 'blueprints',
  sql: /* sql */ `
CREATE TABLE blueprints (
  pk TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL UNIQUE,
  source_name TEXT NOT NULL,
  document TEXT NOT NULL CHECK (json_valid(document) AND json_type(document) = 'object'),
  context TEXT NOT NULL CHECK (json_valid(context) AND json_type(context) = 'object'),
  version_guess TEXT NOT NULL,
  content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
  imported_at TEXT NOT NULL
) STRICT;

CREATE TABLE blueprint_entries (
  blueprint TEXT NOT NULL REFERENCES blueprints (pk) ON DELETE CASCADE,
  idx INTEGER NOT NULL CHECK (idx >= 0),
  model TEXT NOT NULL,
  object_pk TEXT,
  snapshot TEXT CHECK (snapshot IS NULL OR (json_valid(snapshot) AND json_type(snapshot) = 'object')),
  unknown_attrs TEXT CHECK (unknown_attrs IS NULL OR (json_valid(unknown_attrs) AND json_type(unknown_attrs) = 'object')),
  PRIMARY KEY (blueprint, idx)
) STRICT;
CREATE INDEX blueprint_entries_object ON blueprint_entries (object_pk) WHERE object_pk IS NOT NULL;
`,
};
