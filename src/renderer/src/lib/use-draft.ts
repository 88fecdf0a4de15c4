import { useState } from 'react';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface Draft<T extends object> {
  readonly value: T;
  readonly dirty: boolean;
  /** The fields that differ from the source: the patch to send. */
  readonly changes: Partial<T>;
  set<K extends keyof T>(key: K, value: T[K]): void;
  /** Back to the source (Revert). */
  reset(): void;
}

/**
 * An editable copy of a record. While untouched it follows the source (another window saved,
 * main emitted `workspace.changed`, the list refetched); once edited it keeps the user's
 * values until they save or revert.
 */
export function useDraft<T extends object>(source: T): Draft<T> {
  const [base, setBase] = useState(source);
  const [value, setValue] = useState(source);
  if (!same(source, base)) {
    // Adjusting state to a new prop during render (React's documented pattern).
    setBase(source);
    if (same(value, base)) setValue(source);
  }
  const changes: Partial<T> = {};
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (!same(value[key], base[key])) changes[key] = value[key];
  }
  return {
    value,
    dirty: Object.keys(changes).length > 0,
    changes,
    set: (key, next) => setValue((current) => ({ ...current, [key]: next })),
    reset: () => setValue(base),
  };
}

/** Keys of `T` whose values are strings (or string enums): what text and select fields edit. */
type StringKeys<T> = { [K in keyof T]: T[K] extends string ? K : never }[keyof T] & string;

/**
 * The props every text or select field of a draft repeats: its name, value, change handler and
 * the error the last save reported for it. A select's options all come from the field's own
 * enum, so its string is the field's type.
 */
export function fieldProps<T extends object, K extends StringKeys<T>>(
  draft: Draft<T>,
  key: K,
  errors: Readonly<Record<string, string>>,
): { name: K; value: string; onChange(value: string): void; error: string | undefined } {
  return {
    name: key,
    value: draft.value[key] as string,
    onChange: (next) => draft.set(key, next as T[K]),
    error: errors[key],
  };
}
