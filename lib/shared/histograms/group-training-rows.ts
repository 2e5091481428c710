import type { RowGroups } from './fill-histogram-1d';

/**
 * Groups training rows by process (the `detailed_label` strings, when the table has them) and by class (label 0 →
 * "background", 1 → "signal"). Processes are ordered backgrounds first, then by name, so a stack draws signal on top;
 * a process whose rows carry both labels has label null.
 */
export function groupTrainingRows(labels: ArrayLike<number>, processes: readonly string[] | null): { processes: RowGroups; classes: RowGroups } {
  const n = labels.length;
  const classIndex = new Uint8Array(n);
  for (let row = 0; row < n; row++) classIndex[row] = labels[row] === 1 ? 1 : 0;
  const classes: RowGroups = { index: classIndex, names: ['background', 'signal'], labels: [0, 1] };
  if (!processes) return { processes: classes, classes };
  const labelOf = new Map<string, 0 | 1 | null>();
  for (let row = 0; row < n; row++) {
    const name = processes[row] as string;
    const label = labels[row] === 1 ? 1 : 0;
    const seen = labelOf.get(name);
    if (seen === undefined) labelOf.set(name, label);
    else if (seen !== label) labelOf.set(name, null);
  }
  const names = [...labelOf.keys()].sort((a, b) => rank(labelOf.get(a)) - rank(labelOf.get(b)) || (a < b ? -1 : a > b ? 1 : 0));
  if (names.length > 65_535) throw new Error(`${names.length} distinct processes: too many to group.`);
  const indexByName = new Map(names.map((name, i) => [name, i]));
  const index = names.length <= 256 ? new Uint8Array(n) : new Uint16Array(n);
  for (let row = 0; row < n; row++) index[row] = indexByName.get(processes[row] as string) as number;
  return { processes: { index, names, labels: names.map((name) => labelOf.get(name) ?? null) }, classes };
}

function rank(label: 0 | 1 | null | undefined): number {
  return label === 0 ? 0 : label === null ? 1 : 2;
}
