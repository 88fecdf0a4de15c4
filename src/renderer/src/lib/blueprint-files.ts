/** One blueprint file as the contract carries it: its name and its text. */
export interface BlueprintFile {
  readonly name: string;
  readonly text: string;
}

/** The codec's own cap per file (the contract checks it again). */
export const MAX_BLUEPRINT_BYTES = 10 * 1024 * 1024;
/** The contract takes at most this many files per import. */
export const MAX_BLUEPRINT_FILES = 200;

const YAML_NAME = /\.ya?ml$/i;

export function isYamlName(name: string): boolean {
  return YAML_NAME.test(name);
}

function mebibytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

export interface ReadBlueprintFiles {
  readonly files: BlueprintFile[];
  /** One sentence per file left out, saying why. */
  readonly notes: string[];
}

/**
 * Reads picked or dropped files as text, keeping only .yaml/.yml files up to 10 MiB. Nothing
 * is parsed here: main validates the text and reports on it.
 */
export async function readBlueprintFiles(list: Iterable<File>): Promise<ReadBlueprintFiles> {
  const files: BlueprintFile[] = [];
  const notes: string[] = [];
  const ignored: string[] = [];
  for (const file of list) {
    if (!isYamlName(file.name)) {
      ignored.push(file.name);
    } else if (file.size > MAX_BLUEPRINT_BYTES) {
      notes.push(
        `${file.name} is ${mebibytes(file.size)}; a blueprint may be at most ${mebibytes(MAX_BLUEPRINT_BYTES)}.`,
      );
    } else if (files.length >= MAX_BLUEPRINT_FILES) {
      notes.push(`${file.name} was left out: at most ${MAX_BLUEPRINT_FILES} files per import.`);
    } else {
      try {
        files.push({ name: file.name, text: await file.text() });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        notes.push(`${file.name} could not be read: ${reason}`);
      }
    }
  }
  if (ignored.length > 0) {
    notes.unshift(
      `Ignored ${ignored.length === 1 ? 'a file' : `${ignored.length} files`} that ${ignored.length === 1 ? 'is' : 'are'} not .yaml or .yml: ${ignored.join(', ')}.`,
    );
  }
  return { files, notes };
}
