import { type Group } from '@shared/model';
import { type Option } from '../components/common/SelectField';

/** The pks of `root` and every group below it: none of them can become its parent. */
export function descendantsOf(groups: readonly Group[], root: string): Set<string> {
  const found = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const group of groups) {
      if (group.parent !== null && found.has(group.parent) && !found.has(group.pk)) {
        found.add(group.pk);
        grew = true;
      }
    }
  }
  return found;
}

export const NO_PARENT = '';

/** Parent choices for a group: "none", then every group that would not make a cycle. */
export function parentOptions(groups: readonly Group[], self: string | null): Option[] {
  const excluded = self === null ? new Set<string>() : descendantsOf(groups, self);
  return [
    { value: NO_PARENT, label: '— No parent —' },
    ...groups
      .filter((group) => !excluded.has(group.pk))
      .map((group) => ({ value: group.pk, label: group.name })),
  ];
}
