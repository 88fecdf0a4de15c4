import { z } from 'zod';

/**
 * Primitive schemas shared by every authentik object. authentik's pks are UUIDs (users:
 * integers); we accept any 8-4-4-4-12 hex form because hand-written blueprints use
 * non-RFC ids such as all-zero UUIDs.
 */
export const pk = z.guid();
export type Pk = z.infer<typeof pk>;

export const userPk = z.number().int().positive();

export const slug = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[-a-zA-Z0-9_]+$/, 'Only letters, numbers, hyphens and underscores');

/** authentik timedelta strings: `hours=1;minutes=2`, `seconds=0`, floats allowed. */
export const durationString = z
  .string()
  .regex(
    /^\s*(microseconds|milliseconds|seconds|minutes|hours|days|weeks)\s*=\s*-?\d+(\.\d+)?\s*([,;]\s*(microseconds|milliseconds|seconds|minutes|hours|days|weeks)\s*=\s*-?\d+(\.\d+)?\s*)*$/,
    'Expected a duration like "hours=1;minutes=2"',
  );

/** JSON-compatible value, used for `attributes` and free-form context. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);
export const attributes = z.record(z.string(), jsonValue);

export const policyEngineMode = z.enum(['all', 'any']);
export type PolicyEngineMode = z.infer<typeof policyEngineMode>;
