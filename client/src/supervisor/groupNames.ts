// The name a figures group is shown under, by what the figures are grouped by.
import type { FiguresGroup, GroupBy } from './contract';
import { formatHour } from './format';
import { languageName, modeName, shiftName } from './names';

export function groupName(groupBy: GroupBy, group: FiguresGroup): string {
  switch (groupBy) {
    case 'shift':
      return shiftName(group.key);
    case 'language':
      return languageName(group.key);
    case 'hour':
      return formatHour(Number.parseInt(group.key, 10));
    case 'mode':
      return modeName(group.key);
    default:
      // Agents by display name; weekdays and the total as the server labels them.
      return group.label;
  }
}
