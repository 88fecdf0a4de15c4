import { fail, type BlueprintParseWarning } from './errors';
import type { SourcePosition } from './types';

/** UTF-8 length without allocating an encoded copy of a possibly huge string. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

function tooLarge(maxBytes: number): never {
  return fail('too-large', `Blueprint is larger than the ${maxBytes}-byte limit`);
}

/**
 * Turns the input into text within the size limit. The size check comes first and costs O(1)
 * for oversized bytes, so a 50 MB upload is refused before anything reads it.
 */
export function decodeInput(input: string | Uint8Array, maxBytes: number): string {
  if (typeof input === 'string') {
    // Each UTF-16 unit is at least one and at most three UTF-8 bytes (a surrogate pair, two
    // units, is four), so measuring is only needed between those bounds.
    if (input.length > maxBytes || (input.length * 3 > maxBytes && utf8Length(input) > maxBytes))
      tooLarge(maxBytes);
    return input;
  }
  if (input.byteLength > maxBytes) tooLarge(maxBytes);
  try {
    // authentik reads blueprint files and uploads as UTF-8; a leading BOM is dropped.
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return fail('invalid-encoding', 'Blueprint is not valid UTF-8 text');
  }
}

export function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1, offset };
}

/** PyYAML's `Reader.NON_PRINTABLE`: it refuses the whole stream if any of these appear. */
const NON_PRINTABLE = /[^\t\n\r\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** Characters PyYAML reads as line breaks where YAML 1.2 (and the `yaml` package) does not. */
const PYYAML_LINE_BREAK = /[\x85\u2028\u2029]/;

export function checkCharacters(text: string, warnings: BlueprintParseWarning[]): void {
  const bad = NON_PRINTABLE.exec(text);
  if (bad) {
    const codePoint = bad[0].codePointAt(0) ?? 0;
    const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
    const position = positionAt(text, bad.index);
    fail(
      'invalid-character',
      `Character U+${hex} at ${position.line}:${position.column} is not allowed in a blueprint`,
      {
        position,
      },
    );
  }
  const lineBreak = PYYAML_LINE_BREAK.exec(text);
  if (lineBreak) {
    const codePoint = lineBreak[0].codePointAt(0) ?? 0;
    const position = positionAt(text, lineBreak.index);
    warnings.push({
      code: 'pyyaml-incompatible',
      message: `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')} at ${position.line}:${position.column} is a line break for authentik's YAML loader but not here`,
      position,
    });
  }
}
