export { openDatabase, openSandbox, type OpenDatabaseOptions } from './connection';
export { APPLICATION_ID, type Db } from './db';
export { StoreError, WorkspaceOpenError, type WorkspaceOpenErrorCode } from './errors';
export { migrate, schemaVersion } from './migrate';
export { LATEST_SCHEMA_VERSION, migrations, type Migration } from './migrations';
export {
  allPks,
  deleteBlueprint,
  findEntriesOfObject,
  getBlueprint,
  getBlueprintByName,
  getBlueprintPkByName,
  listBlueprintEntries,
  listBlueprints,
  pkByUniqueName,
  putBlueprint,
  type BlueprintEntryRecord,
  type BlueprintHead,
  type BlueprintWrite,
  type StoredBlueprint,
  type UniqueLookupTable,
} from './repos/blueprints';
