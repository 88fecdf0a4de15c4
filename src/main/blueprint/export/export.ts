import { type Flow } from '@shared/model';
import { serializeBlueprintDocument, type BlueprintDocument, type BlueprintEntry } from '../yaml';
import { declareSecrets } from './secrets';
import { authentikEntry, type Collector, portableEntry, type PortableContext, userWarnings } from './entries';
import { assignIds, slugPart } from './ids';
import { planExport } from './plan';
import { recordFor } from './records';
import { roundTripExport } from './round-trip';
import { compareText, ObjectIndex, refKey } from './snapshot';
import { pythonUtcTimestamp } from './timestamp';
import { ExportError, type ExportedFile, type ExportOptions, type ExportResult, type ExportSource } from './types';
import { keyOf, toBlueprintValue } from './values';
import { unknownAttrsByObject, verbatimEntries } from './verbatim';


export const GENERATED_LABEL = 'blueprints.goauthentik.io/generated';

/** The flows to export, by slug; every flow for none. Unknown slugs are an `UNKNOWN_FLOW` error. */
export function selectFlows(index: ObjectIndex, slugs: readonly string[] | undefined): { flows: Flow[]; whole: boolean } {
  const all = [...index.snapshot.flows].sort((a, b) => compareText(a.slug, b.slug));
  if (!slugs || slugs.length === 0) return { flows: all, whole: true };
  const bySlug = new Map(all.map((flow) => [flow.slug, flow]));
  const missing = slugs.filter((slug) => !bySlug.has(slug));
  if (missing.length > 0) {
    throw new ExportError('UNKNOWN_FLOW', `No flow with slug ${missing.map((slug) => `"${slug}"`).join(', ')} in this workspace.`);
  }
  const wanted = new Set(slugs);
  return { flows: all.filter((flow) => wanted.has(flow.slug)), whole: false };
}

/** The export as pure data: no SQLite, no clock unless `now` is absent (authentik style only). */
export function exportFromSource(source: ExportSource, options: ExportOptions): ExportResult {
  const index = new ObjectIndex(source.snapshot);
  const { flows, whole } = selectFlows(index, options.flows);
  switch (options.style) {
    case 'authentik':
      return single(fileName(flows, whole), authentikDocument(index, source, flows, whole, options.now ?? new Date()));
    case 'portable':
      return single(fileName(flows, whole), portableDocument(index, source, flows, whole));
    case 'round-trip':
      return roundTripExport(index, source.blueprints, flows, whole);
  }
}

function single(name: string, built: { document: BlueprintDocument; warnings: string[] }): ExportResult {
  const text = serializeBlueprintDocument(built.document);
  const file: ExportedFile = { name, text, document: built.document };
  return { text, document: built.document, warnings: built.warnings, files: [file] };
}

function fileName(flows: readonly Flow[], whole: boolean): string {
  if (whole) return 'workspace.yaml';
  return `${flows.map((flow) => slugPart(flow.slug)).join('+')}.yaml`;
}

/** authentik style (spec §7.7), shaped like `ak export_blueprint` / the flow export endpoint. */
export function authentikDocument(
  index: ObjectIndex,
  source: ExportSource,
  flows: readonly Flow[],
  whole: boolean,
  now: Date,
): { document: BlueprintDocument; warnings: string[] } {
  const out: Collector = { warnings: [] };
  const refs = planExport(index, flows, whole);
  const unknown = unknownAttrsByObject(source.blueprints);
  const entries: BlueprintEntry[] = [];
  for (const ref of refs) {
    const record = recordFor(index, ref);
    if (record) entries.push(authentikEntry(index, record, unknown.get(refKey(ref)), out));
  }
  userWarnings(index, refs, out.warnings);
  if (whole) {
    const exported = new Set(refs.map(refKey));
    entries.push(
      ...verbatimEntries(
        source.blueprints,
        (ref) => (exported.has(refKey(ref)) ? toBlueprintValue(ref.pk) : undefined),
        out.warnings,
      ),
    );
  }
  const document: BlueprintDocument = {
    version: 1,
    context: {},
    entries,
    metadata: { labels: { [GENERATED_LABEL]: 'true' }, name: `authentik Export - ${pythonUtcTimestamp(now)}` },
    keyOrder: ['context', 'entries', 'metadata', 'version'],
  };
  return { document, warnings: out.warnings };
}

/** Portable style: ids, natural keys, `!KeyOf`/`!Find`, secrets as `!Context`. */
export function portableDocument(
  index: ObjectIndex,
  source: ExportSource,
  flows: readonly Flow[],
  whole: boolean,
): { document: BlueprintDocument; warnings: string[] } {
  const refs = planExport(index, flows, whole);
  const ids = assignIds(index, refs);
  const written = new Set<string>();
  const ctx: PortableContext = { index, ids, written, secrets: new Map(), out: { warnings: [] } };
  const unknown = unknownAttrsByObject(source.blueprints);
  const entries: BlueprintEntry[] = [];
  for (const ref of refs) {
    const record = recordFor(index, ref);
    if (!record) continue;
    entries.push(portableEntry(ctx, record, unknown.get(refKey(ref))));
    written.add(refKey(ref));
  }
  userWarnings(index, refs, ctx.out.warnings);
  if (whole) {
    entries.push(
      ...verbatimEntries(
        source.blueprints,
        (ref) => {
          const id = ids.get(refKey(ref));
          return id === undefined ? undefined : keyOf(id);
        },
        ctx.out.warnings,
      ),
    );
  }
  const name = whole ? 'Flowbench export - workspace' : `Flowbench export - ${flows.map((flow) => flow.slug).join(', ')}`;
  const document: BlueprintDocument = { version: 1, metadata: { name }, entries };
  declareSecrets(document, ctx.secrets);
  return { document, warnings: ctx.out.warnings };
}

