import { type BlueprintDocument } from '../yaml';
import { type WorkspaceSnapshot } from './snapshot';
import { type StoredBlueprint } from './stored';

/**
 * - `authentik`: what authentik's own flow export writes (spec §7.7): pks in identifiers, its
 *   entry order, its key order, empty values omitted — so a diff against a server export is small.
 * - `portable`: entry `id`s, natural keys and `!KeyOf` / `!Find` instead of pks, secrets as
 *   `!Context` keys; imports into any instance.
 * - `round-trip`: the imported blueprints written back as they were, with only the changes made
 *   in the workspace since.
 */
export const EXPORT_STYLES = ['authentik', 'portable', 'round-trip'] as const;
export type ExportStyle = (typeof EXPORT_STYLES)[number];

export interface ExportOptions {
  /** Flow slugs. Empty or absent: the whole workspace. */
  flows?: readonly string[];
  style: ExportStyle;
  /** The time written into authentik-style metadata (the only timestamp of any style). */
  now?: Date;
}

export interface ExportedFile {
  /** A file name to save under: the imported file's name for round-trip, else derived from the flows. */
  name: string;
  text: string;
  document: BlueprintDocument;
}

export interface ExportResult {
  /**
   * The YAML. A round-trip export of several stored blueprints cannot be one blueprint (their
   * `id`s would clash): `text` then holds them as a YAML stream (`---` between documents) and
   * `files` has one file each.
   */
  text: string;
  /** The exported blueprint (for several round-trip files: the first; see `files`). */
  document: BlueprintDocument;
  /** Human-readable notes: secrets replaced, hashes left out, objects deleted since import, … */
  warnings: string[];
  /** One entry per blueprint file; one file except for round-trip exports of several blueprints. */
  files: ExportedFile[];
}

export const EXPORT_ERROR_CODES = ['UNKNOWN_FLOW'] as const;
export type ExportErrorCode = (typeof EXPORT_ERROR_CODES)[number];

export class ExportError extends Error {
  override name = 'ExportError';
  constructor(
    readonly code: ExportErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Everything an export reads, taken at once. */
export interface ExportSource {
  snapshot: WorkspaceSnapshot;
  /** The imported blueprints the workspace keeps (round-trip documents, unknown attrs, unmodeled entries). */
  blueprints: readonly StoredBlueprint[];
}
