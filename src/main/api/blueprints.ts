import { RpcFailure } from '@shared/contract';
import { exportBlueprint, ExportError } from '../blueprint/export';
import { type Services } from '../services';
import { type DomainHandlers } from './handler-types';

/** Blueprint import/validate (all-or-nothing, with a per-entry report) and export. */
export function blueprintHandlers(services: Services): DomainHandlers<'blueprints'> {
  const importOptions = (input: { context: Record<string, unknown>; env: Record<string, string>; fileValues: Record<string, string> }) => ({
    context: input.context,
    explicit: { env: input.env, files: input.fileValues },
  });
  return {
    'blueprints.validate': (input) => services.blueprints.validate(input.files, importOptions(input)),
    'blueprints.import': (input) => services.blueprints.import(input.files, importOptions(input)),
    'blueprints.export': (input) => {
      try {
        const result = exportBlueprint({ db: services.context.db, services }, { flows: input.flows, style: input.style });
        const files = result.files.map((file) => ({ name: file.name, text: file.text }));
        return { text: result.text, fileName: files[0]?.name ?? 'blueprint.yaml', warnings: result.warnings, files };
      } catch (error) {
        if (error instanceof ExportError) throw new RpcFailure(error.code === 'UNKNOWN_FLOW' ? 'NOT_FOUND' : 'INVALID_INPUT', error.message);
        throw error;
      }
    },
    'blueprints.list': () =>
      services.blueprints.list().map((head) => ({
        pk: head.pk,
        name: head.name,
        source_name: head.sourceName,
        version_guess: head.versionGuess || null,
        imported_at: head.importedAt,
        entries: head.entryCount,
      })),
  };
}
