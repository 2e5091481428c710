import type { RowGroups } from './fill-histogram-1d';
import type { Binning, Histogram2dGroupDto } from './histogram-types';

/**
 * Fills one weighted 2D histogram per group. A row whose x or y is the missing-value sentinel (or not finite) is
 * counted under `missing`; a row outside either range under `outside`; so bins + outside + missing = the group's total.
 */
export function fillHistogram2d(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  weights: ArrayLike<number> | null,
  groups: RowGroups,
  binningX: Binning,
  binningY: Binning,
  missingValue: number,
): Histogram2dGroupDto[] {
  const nx = binningX.bins;
  const ny = binningY.bins;
  const cells = nx * ny;
  const groupCount = groups.names.length;
  const content = new Float64Array(groupCount * cells);
  const side = new Float64Array(groupCount * 6); // outside w, n; missing w, n; total w, n
  const sx = nx / (binningX.max - binningX.min);
  const sy = ny / (binningY.max - binningY.min);
  for (let row = 0; row < x.length; row++) {
    const g = groups.index[row] as number;
    const w = weights === null ? 1 : (weights[row] as number);
    const xv = x[row] as number;
    const yv = y[row] as number;
    side[g * 6 + 4] = (side[g * 6 + 4] as number) + w;
    side[g * 6 + 5] = (side[g * 6 + 5] as number) + 1;
    if (xv === missingValue || yv === missingValue || !Number.isFinite(xv) || !Number.isFinite(yv)) {
      side[g * 6 + 2] = (side[g * 6 + 2] as number) + w;
      side[g * 6 + 3] = (side[g * 6 + 3] as number) + 1;
    } else if (xv < binningX.min || xv >= binningX.max || yv < binningY.min || yv >= binningY.max) {
      side[g * 6] = (side[g * 6] as number) + w;
      side[g * 6 + 1] = (side[g * 6 + 1] as number) + 1;
    } else {
      const ix = Math.min(nx - 1, Math.floor((xv - binningX.min) * sx));
      const iy = Math.min(ny - 1, Math.floor((yv - binningY.min) * sy));
      const at = g * cells + iy * nx + ix;
      content[at] = (content[at] as number) + w;
    }
  }
  return groups.names.map((name, g) => ({
    name,
    label: groups.labels[g] ?? null,
    weights: Array.from(content.subarray(g * cells, (g + 1) * cells)),
    outside: [side[g * 6] as number, side[g * 6 + 1] as number],
    missing: [side[g * 6 + 2] as number, side[g * 6 + 3] as number],
    total: [side[g * 6 + 4] as number, side[g * 6 + 5] as number],
  }));
}
