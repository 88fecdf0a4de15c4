import { Composer, LineCounter, type CST, type Document } from 'yaml';
import { composeValue } from './compose';
import { scanCst, tabWarning } from './cst-scan';
import {
  CodecFailure,
  fail,
  formatPosition,
  type BlueprintParseError,
  type BlueprintParseWarning,
} from './errors';
import { checkCharacters, decodeInput } from './input';
import { parseCst } from './node-budget';
import { resolveParseOptions, type ParseOptions } from './options';
import { buildDocument } from './structure';
import { inputTags } from './yaml-input';
import { DOCUMENT_COMMENT_KEY, SourceRecorder, readComments } from './source-map';
import type { BlueprintDocument, SourcePosition } from './types';

export type ParseBlueprintResult =
  | { ok: true; document: BlueprintDocument; warnings: BlueprintParseWarning[] }
  | { ok: false; error: BlueprintParseError; warnings: BlueprintParseWarning[] };

function positionFunction(lineCounter: LineCounter): (offset: number) => SourcePosition {
  return (offset) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col, offset };
  };
}

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError;
}

function composeSingleDocument(
  tokens: CST.Token[],
  text: string,
  positionOf: (offset: number) => SourcePosition,
): Document.Parsed {
  // failsafe: every scalar arrives as its text and is typed by PyYAML's rules in compose.ts.
  // resolveKnownTags off: `!!binary` & co. stay visible as tags instead of becoming Buffers.
  const composer = new Composer({
    schema: 'failsafe',
    resolveKnownTags: false,
    uniqueKeys: false,
    customTags: inputTags,
  });
  const documents = Array.from(composer.compose(tokens, true, text.length));
  const [first, second] = documents;
  if (second) {
    const position = positionOf(second.range[0]);
    fail(
      'multiple-documents',
      `A second YAML document starts at ${formatPosition(position)}; a blueprint is one document`,
      {
        position,
      },
    );
  }
  if (!first) return fail('invalid-structure', 'The blueprint is empty');
  const error = first.errors[0];
  if (error) {
    const position = positionOf(error.pos[0]);
    if (error.code === 'RESOURCE_EXHAUSTION') {
      fail('too-deep', `The YAML is nested too deeply to read (at ${formatPosition(position)})`, {
        position,
      });
    }
    if (error.code === 'MULTIPLE_DOCS') {
      fail(
        'multiple-documents',
        `A second YAML document starts at ${formatPosition(position)}; a blueprint is one document`,
        {
          position,
        },
      );
    }
    const firstLine = error.message.split('\n')[0] ?? error.message;
    fail('syntax', `YAML syntax error: ${firstLine}`, { position });
  }
  return first;
}

function parseOrThrow(
  input: string | Uint8Array,
  options: ParseOptions | undefined,
  warnings: BlueprintParseWarning[],
): BlueprintDocument {
  const resolved = resolveParseOptions(options);
  const text = decodeInput(input, resolved.maxBytes);
  checkCharacters(text, warnings);

  const lineCounter = new LineCounter();
  const positionOf = positionFunction(lineCounter);
  let tokens: CST.Token[];
  let doc: Document.Parsed;
  try {
    // Counts nodes against maxNodes before any composed tree exists (see node-budget.ts).
    tokens = parseCst(text, resolved.maxNodes, lineCounter.addNewLine);
    const scan = scanCst(tokens, resolved.maxDepth, positionOf, text);
    if (scan.firstTabOffset !== undefined)
      warnings.push(tabWarning(positionOf(scan.firstTabOffset)));
    doc = composeSingleDocument(tokens, text, positionOf);
  } catch (error) {
    if (isStackOverflow(error)) fail('too-deep', 'The YAML is nested too deeply to read');
    throw error;
  }

  const recorder =
    resolved.positions || resolved.comments
      ? new SourceRecorder(resolved.positions, resolved.comments)
      : undefined;
  const composed = composeValue(doc, text, resolved, positionOf, warnings, recorder);
  const document = buildDocument(composed, recorder, positionOf(doc.contents?.range?.[0] ?? 0));
  if (resolved.comments) {
    const around = readComments(doc);
    if (around) document.comments = { [DOCUMENT_COMMENT_KEY]: around, ...document.comments };
  }
  return document;
}

/**
 * Reads a blueprint the way authentik's `BlueprintLoader` does (PyYAML SafeLoader + authentik
 * tags) into a typed document that keeps tags, key order, sections and comments. Never throws:
 * every failure, including hostile input, comes back as `{ ok: false, error }` with a code.
 */
export function parseBlueprintDocument(
  input: string | Uint8Array,
  options?: ParseOptions,
): ParseBlueprintResult {
  const warnings: BlueprintParseWarning[] = [];
  try {
    const document = parseOrThrow(input, options, warnings);
    return { ok: true, document, warnings };
  } catch (error) {
    if (error instanceof CodecFailure) return { ok: false, error: error.detail, warnings };
    if (isStackOverflow(error)) {
      return {
        ok: false,
        error: { code: 'too-deep', message: 'The YAML is nested too deeply to read' },
        warnings,
      };
    }
    // A bug in this layer or in `yaml` must still not escape as a throw across the boundary.
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: { code: 'internal', message: `Could not read the YAML: ${message}` },
      warnings,
    };
  }
}
