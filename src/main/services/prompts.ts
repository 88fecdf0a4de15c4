import { type ProcedureInput } from '@shared/contract';
import { pk as pkSchema, type Prompt, promptFields } from '@shared/model';
import { type z } from 'zod';
import {
  deletePrompt,
  getPrompt,
  insertPrompt,
  listPrompts,
  updatePrompt,
} from '../store/repos/prompts';
import { releaseConfigReferences } from './config-references';
import { type CreateOptions, type ServiceContext, type WriteOptions } from './context';
import { mapSqliteErrors, notFound, parseInput } from './errors';

export type PromptInput = z.input<typeof promptFields>;

export interface PromptService {
  /** All prompts by order, then name. */
  list(): Prompt[];
  get(pk: string): Prompt;
  create(input: PromptInput, options?: CreateOptions): Prompt;
  update(input: ProcedureInput<'prompts.update'>, options?: WriteOptions): Prompt;
  /** The prompt leaves every prompt stage's `fields` (authentik's M2M). */
  delete(pk: string): void;
}

export function requirePrompt(ctx: ServiceContext, pk: string): Prompt {
  const prompt = getPrompt(ctx.db, pk);
  if (!prompt) throw notFound(`Prompt "${pk}" does not exist.`);
  return prompt;
}

export function createPromptService(ctx: ServiceContext): PromptService {
  const { db } = ctx;
  const nameTaken = (name: string, pk = '') => ({
    'prompts.name': () => `A prompt named "${name}" already exists.`,
    'prompts.pk': () => `An object with pk "${pk}" already exists.`,
  });

  return {
    list: () => mapSqliteErrors(() => listPrompts(db)),
    get: (pk) => mapSqliteErrors(() => requirePrompt(ctx, pk)),

    create(input, options = {}) {
      const fields = parseInput(promptFields, input);
      const pk = options.pk === undefined ? ctx.newPk() : parseInput(pkSchema, options.pk, ['pk']);
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            const created = { ...fields, pk };
            insertPrompt(db, created);
            record('prompt', 'created', pk);
            return options.readBack === false ? created : requirePrompt(ctx, pk);
          }),
        nameTaken(fields.name, pk),
      );
    },

    update({ pk, patch }, options = {}) {
      let name = patch.name ?? '';
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            const { pk: _pk, ...current } = requirePrompt(ctx, pk);
            const next = { ...parseInput(promptFields, { ...current, ...patch }, ['patch']), pk };
            name = next.name;
            updatePrompt(db, next);
            record('prompt', 'updated', pk);
            return options.readBack === false ? next : requirePrompt(ctx, pk);
          }),
        nameTaken(name),
      );
    },

    delete(pk) {
      mapSqliteErrors(() =>
        ctx.write((record) => {
          const prompt = requirePrompt(ctx, pk);
          releaseConfigReferences(ctx, record, 'prompt', pk, `Prompt "${prompt.name}"`);
          deletePrompt(db, pk);
          record('prompt', 'deleted', pk);
        }),
      );
    },
  };
}
