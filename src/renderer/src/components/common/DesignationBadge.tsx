import { type FlowDesignation } from '@shared/model';
import { designationLabels, designationShort } from '../../lib/labels';

/** A flow's designation as a coloured tag; the colour is per designation, per theme. */
export function DesignationBadge({
  designation,
  compact,
}: {
  designation: FlowDesignation;
  compact?: boolean;
}) {
  return (
    <span
      className={`badge badge-designation badge-${designation}`}
      title={`Designation: ${designationLabels[designation]}`}
      data-testid="designation-badge"
    >
      {(compact ? designationShort : designationLabels)[designation]}
    </span>
  );
}
