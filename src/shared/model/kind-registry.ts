import { z } from 'zod';

const zNever = z.NEVER as never;

/**
 * One entry of a stage or policy registry. The editor's palette, the inspector forms, the
 * preview's challenge renderers and the blueprint codec all read these objects, so a kind is
 * declared once, here, keyed by authentik's model name.
 */
export interface KindDef<Config extends z.ZodType = z.ZodType> {
  /** authentik's blueprint model name, e.g. `authentik_stages_password.passwordstage`. */
  readonly model: string;
  /** authentik's verbose name, e.g. "Password Stage" (used in diagrams and the palette). */
  readonly label: string;
  /** One line for the palette. */
  readonly description: string;
  /** Config schema: the blueprint `attrs` minus `name` (and base fields), defaults applied. */
  readonly config: Config;
  /** Older model names that mean the same kind (read on import, never written). */
  readonly aliases?: readonly string[];
  /**
   * Config keys holding credentials (SMTP passwords, API secrets, captcha private keys).
   * Exports replace their values and logs must never print them. Every key listed here is a
   * key of `config` (a unit test checks it).
   */
  readonly secrets?: readonly string[];
}

export interface StageKindDef<Config extends z.ZodType = z.ZodType> extends KindDef<Config> {
  /** The challenge component the stage shows, or null for stages that never ask anything. */
  readonly component: string | null;
}

export type Registry<D extends KindDef> = Readonly<Record<string, D>>;

/** Resolve a model name (or one of its aliases) to its registry entry. */
export function findKind<D extends KindDef>(registry: Registry<D>, model: string): D | undefined {
  const direct = registry[model];
  if (direct) return direct;
  return Object.values(registry).find((def) => def.aliases?.includes(model));
}

/**
 * A zod transform that validates `config` against the registry entry of `kind`, applies the
 * kind's defaults and canonicalises an alias to the current model name.
 */
export function validateKindConfig<D extends KindDef>(registry: Registry<D>, noun: string) {
  return <T extends { kind: string; config: Record<string, unknown> }>(
    value: T,
    ctx: z.RefinementCtx,
  ): T => {
    const def = findKind(registry, value.kind);
    if (!def) {
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message: `Unknown ${noun} kind "${value.kind}"`,
      });
      return zNever;
    }
    const parsed = def.config.safeParse(value.config);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({
          code: 'custom',
          path: ['config', ...issue.path.map(String)],
          message: issue.message,
        });
      }
      return zNever;
    }
    return { ...value, kind: def.model, config: parsed.data as Record<string, unknown> };
  };
}
