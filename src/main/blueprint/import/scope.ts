import { createHash } from 'node:crypto';
import {
  type Attrs,
  classifyModel,
  evaluateFindFilter,
  type FindFilter,
  INDEXED_FIELDS,
  type Mapper,
  mapperFor,
  type ObjectPk,
  type ObjectPort,
  parseFindFilter,
  type Queryable,
} from '../models';
import { ResolveError, type ResolveScope } from '../resolve/types';
import { type BlueprintDocument, type BlueprintValue, isMapping, isTagNode } from '../yaml';
import { type ImportPort } from './port';

/**
 * A stable stand-in pk for an entry kept verbatim (a brand, an application, …) that declared no
 * `pk`: derived from the blueprint name and the entry index, so `!KeyOf` and `!Find` give the
 * same value on every import and from the stored copy.
 */
export function placeholderPk(blueprintName: string, index: number): string {
  const hex = createHash('sha256').update(`flowbench-verbatim\0${blueprintName}\0${index}`).digest('hex');
  // RFC 9562 version 8 (custom), variant 10.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An entry of a model Flowbench does not store, as `!Find` sees it. */
interface VerbatimRecord {
  model: string;
  pk: ObjectPk;
  fields: Record<string, unknown>;
}

function plainFields(document: BlueprintDocument, index: number): { model: string; fields: Record<string, unknown> } | undefined {
  const entry = document.entries[index];
  if (!entry || typeof entry.model !== 'string') return undefined;
  const fields: Record<string, unknown> = {};
  for (const source of [entry.attrs, entry.identifiers]) {
    if (!isMapping(source)) continue;
    for (const [key, value] of Object.entries(source)) {
      if (!containsTag(value)) fields[key] = value;
    }
  }
  return { model: entry.model.toLowerCase(), fields };
}

function containsTag(value: BlueprintValue | undefined): boolean {
  const stack: (BlueprintValue | undefined)[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === null || current === undefined || typeof current !== 'object') continue;
    if (isTagNode(current)) return true;
    stack.push(...(Array.isArray(current) ? current : Object.values(current)));
  }
  return false;
}

/**
 * Entries kept verbatim, for `!Find`/`!FindObject` on models Flowbench does not model: those of
 * this import call so far, and (read lazily) those of blueprints stored in the workspace, whose
 * plain values are compared (a value written as a tag never matches).
 */
export class VerbatimIndex {
  private readonly added: VerbatimRecord[] = [];
  private stored: VerbatimRecord[] | undefined;

  constructor(private readonly port: ImportPort) {}

  add(record: VerbatimRecord): void {
    this.added.push(record);
  }

  private storedRecords(): VerbatimRecord[] {
    if (this.stored) return this.stored;
    const out: VerbatimRecord[] = [];
    for (const head of this.port.storedBlueprints()) {
      const document = this.port.storedDocument(head.pk);
      if (!document) continue;
      document.entries.forEach((_entry, index) => {
        const plain = plainFields(document, index);
        if (!plain || classifyModel(plain.model) !== 'unmodeled') return;
        const declared = plain.fields.pk;
        const pk = typeof declared === 'string' || typeof declared === 'number' ? declared : placeholderPk(head.name, index);
        out.push({ model: plain.model, pk, fields: plain.fields });
      });
    }
    this.stored = out;
    return out;
  }

  find(model: string, filters: readonly FindFilter[]): VerbatimRecord | undefined {
    const match = (record: VerbatimRecord): boolean =>
      record.model === model &&
      filters.every((filter) => evaluateFindFilter(undefined, { pk: record.pk, attrs: record.fields as Attrs }, filter));
    // Newest first: this import's entries, then the workspace's.
    for (let i = this.added.length - 1; i >= 0; i--) {
      const record = this.added[i] as VerbatimRecord;
      if (match(record)) return record;
    }
    return this.storedRecords().find(match);
  }
}

export interface FileScopeOptions {
  port: ImportPort;
  verbatim: VerbatimIndex;
  context: Readonly<Record<string, BlueprintValue>>;
  explicit: { env: Readonly<Record<string, string>>; files: Readonly<Record<string, string>> };
}

/**
 * `ResolveScope` for one blueprint file: `!KeyOf` sees the ids of earlier entries of this file,
 * `!Find`/`!FindObject` query the workspace inside the import transaction (so they see objects
 * earlier entries created) and, for models Flowbench does not model, the entries kept verbatim.
 */
export class FileScope implements ResolveScope {
  readonly context: Readonly<Record<string, BlueprintValue>>;
  readonly explicit: { env: Readonly<Record<string, string>>; files: Readonly<Record<string, string>> };
  private readonly ids = new Map<string, ObjectPk>();
  private readonly failed = new Map<string, number>();
  /** Warnings raised while resolving the current entry (collected by the entry). */
  warnings: string[] = [];

  constructor(private readonly options: FileScopeOptions) {
    this.context = options.context;
    this.explicit = options.explicit;
  }

  register(id: string, pk: ObjectPk): void {
    this.ids.set(id, pk);
    this.failed.delete(id);
  }

  markFailed(id: string, index: number): void {
    if (!this.ids.has(id)) this.failed.set(id, index);
  }

  keyOf(id: string): string | number | undefined {
    const pk = this.ids.get(id);
    if (pk !== undefined) return pk;
    const failedAt = this.failed.get(id);
    if (failedAt !== undefined) {
      throw new ResolveError(
        'KEYOF_NOT_FOUND',
        `KeyOf: the entry with id "${id}" (entry ${failedAt + 1}) failed, so it has no object to refer to; fix that entry first`,
      );
    }
    return undefined;
  }

  find(model: string, filters: ReadonlyArray<readonly [string, unknown]>): string | number | null {
    const found = this.query(model, filters, 'Find');
    return found ? found.pk : null;
  }

  findObject(model: string, filters: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> | null {
    const found = this.query(model, filters, 'FindObject');
    return found ? { pk: found.pk, ...found.attrs } : null;
  }

  private query(model: string, pairs: ReadonlyArray<readonly [string, unknown]>, tag: 'Find' | 'FindObject'): Queryable | undefined {
    if (typeof model !== 'string') throw new ResolveError('FIND_BAD_ARGS', `!${tag}: the model must be a string`);
    const name = model.toLowerCase();
    const kind = classifyModel(name);
    if (kind === 'unknown' || kind === 'meta') {
      throw new ResolveError('FIND_UNKNOWN_MODEL', `!${tag}: App or Model does not exist: ${model}`);
    }
    const mapper = kind === 'modeled' ? mapperFor(name) : undefined;
    let filters: FindFilter[];
    try {
      filters = pairs.map(([field, value]) => parseFindFilter(mapper, String(field), value));
    } catch (error) {
      throw new ResolveError('FIND_BAD_ARGS', `!${tag} [${model}, …]: ${(error as Error).message}`);
    }
    if (!mapper) {
      const record = this.options.verbatim.find(name, filters);
      if (record) return { pk: record.pk, attrs: record.fields as Attrs };
      this.warnings.push(
        `!${tag} [${model}, …] found nothing: Flowbench does not model ${model}, so it only searched entries kept verbatim (this import and stored blueprints); it resolved to null`,
      );
      return undefined;
    }
    return findModeled(this.options.port.objects, mapper, filters);
  }
}

/** First object of `mapper`'s model matching every filter, in the workspace's list order. */
export function findModeled(objects: ObjectPort, mapper: Mapper, filters: readonly FindFilter[]): Queryable | undefined {
  const exactPk = filters.find((f) => f.lookup === 'exact' && f.path.length === 1 && (f.path[0] === 'pk' || mapper.pkAliases.includes(f.path[0] ?? '')));
  const candidates: { pk: ObjectPk }[] = [];
  if (exactPk && (typeof exactPk.value === 'string' || typeof exactPk.value === 'number')) {
    const object = objects.get(mapper.entity, normalizePkValue(mapper, exactPk.value));
    if (object) candidates.push(object);
  } else {
    const narrow = filters.find(
      (f) => f.lookup === 'exact' && f.path.length === 1 && INDEXED_FIELDS[mapper.entity].includes(f.path[0] ?? '') && (typeof f.value === 'string' || typeof f.value === 'number'),
    );
    candidates.push(
      ...objects.list(mapper.entity, narrow ? { field: narrow.path[0] as string, value: narrow.value as ObjectPk } : undefined),
    );
  }
  for (const object of candidates) {
    if (!(mapper.owns as (o: unknown) => boolean)(object)) continue;
    const queryable: Queryable = { pk: object.pk, attrs: (mapper.toAttrs as (o: unknown) => Attrs)(object) };
    if (filters.every((filter) => evaluateFindFilter(mapper, queryable, filter))) return queryable;
  }
  return undefined;
}

/** A pk as the workspace stores it: users' integers, lower-case UUIDs otherwise. */
export function normalizePkValue(mapper: Mapper, value: ObjectPk): ObjectPk {
  if (mapper.integerPk) {
    if (typeof value === 'number') return value;
    return /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  }
  return typeof value === 'string' ? value.toLowerCase() : String(value);
}
