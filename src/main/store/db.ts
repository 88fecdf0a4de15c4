import type Database from 'better-sqlite3';

/** The typed handle every repository function takes: one better-sqlite3 connection. */
export type Db = Database.Database;

/** `PRAGMA application_id` of a Flowbench workspace: "FLOW". */
export const APPLICATION_ID = 0x464c4f57;
