import { m0001Initial } from './0001-initial';
import { m0002Blueprints } from './0002-blueprints';
import { type Migration } from './types';

export type { Migration } from './types';

/**
 * Every schema step, in order. Append only: version N is at index N-1, and `PRAGMA user_version`
 * records the last one applied. A file with a higher user_version than this list knows is refused.
 */
export const migrations: readonly Migration[] = [m0001Initial, m0002Blueprints];

export const LATEST_SCHEMA_VERSION: number = migrations.length;
