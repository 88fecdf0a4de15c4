import { type ProcedureOutput } from '@shared/contract';
import { countEntries, versionRange } from '../../lib/import-report';
import { formatDateTime } from '../../lib/format-time';

type ImportedBlueprint = ProcedureOutput<'blueprints.list'>[number];

/** One imported blueprint: read-only (what round-trip export writes back). */
export function BlueprintItem({ blueprint }: { blueprint: ImportedBlueprint }) {
  const imported = formatDateTime(blueprint.imported_at);
  const version = blueprint.version_guess ? versionRange(blueprint.version_guess) : null;
  return (
    <li
      className="sidebar-item sidebar-item-static"
      data-testid={`blueprint-item-${blueprint.name}`}
      title={[
        blueprint.name,
        `from ${blueprint.source_name}`,
        countEntries(blueprint.entries),
        version && `written for authentik ${version}`,
        `imported ${imported}`,
      ]
        .filter(Boolean)
        .join('\n')}
    >
      <span className="sidebar-item-line">
        <span className="sidebar-item-primary">{blueprint.name}</span>
        {version && (
          <span className="badge badge-neutral" title={`Written for authentik ${version}`}>
            {version}
          </span>
        )}
      </span>
      <span className="sidebar-item-secondary">
        <span className="mono truncate">{blueprint.source_name}</span>
        <time className="sidebar-item-auth" dateTime={blueprint.imported_at}>
          {imported}
        </time>
      </span>
    </li>
  );
}
