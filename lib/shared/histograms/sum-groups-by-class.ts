import type { HistogramGroupDto, WeightAndEntries } from './histogram-types';

/**
 * The class histograms (background, signal) as sums of the process histograms, when every process holds one class:
 * the same numbers as a second pass over the rows, up to the order of the float64 additions. Null when a process
 * mixes both labels (then the classes need their own pass).
 */
export function sumGroupsByClass(processes: readonly HistogramGroupDto[]): HistogramGroupDto[] | null {
  if (processes.some((p) => p.label === null)) return null;
  const bins = processes[0]?.weights.length ?? 0;
  const empty = (name: string, label: 0 | 1): HistogramGroupDto => ({
    name, label, weights: new Array<number>(bins).fill(0), sumw2: new Array<number>(bins).fill(0), entries: new Array<number>(bins).fill(0),
    underflow: [0, 0], overflow: [0, 0], missing: [0, 0], total: [0, 0],
  });
  const classes = [empty('background', 0), empty('signal', 1)];
  const add = (a: WeightAndEntries, b: WeightAndEntries) => {
    a[0] += b[0];
    a[1] += b[1];
  };
  for (const p of processes) {
    const c = classes[p.label as 0 | 1] as HistogramGroupDto;
    for (let i = 0; i < bins; i++) {
      c.weights[i] = (c.weights[i] as number) + (p.weights[i] as number);
      c.sumw2[i] = (c.sumw2[i] as number) + (p.sumw2[i] as number);
      c.entries[i] = (c.entries[i] as number) + (p.entries[i] as number);
    }
    add(c.underflow, p.underflow);
    add(c.overflow, p.overflow);
    add(c.missing, p.missing);
    add(c.total, p.total);
  }
  return classes;
}
