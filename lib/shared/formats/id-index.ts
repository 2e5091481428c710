import { AppError } from '@/lib/shared/app-error';

/**
 * Position of each expected id: a dense table when the ids are compact (event ids usually are), else a Map.
 * Returns -1 for an id that is not expected.
 */
export function createIdIndex(expectedIds: ArrayLike<number>): (id: number) => number {
  const n = expectedIds.length;
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < n; k++) {
    const id = expectedIds[k] as number;
    if (!Number.isSafeInteger(id) || id < 0) {
      throw new AppError('INVALID_DATASET', `The expected ids must be non-negative integers; found ${id} at position ${k}.`, {
        expected: 'non-negative integer ids',
        found: String(id),
      });
    }
    if (id < min) min = id;
    if (id > max) max = id;
  }
  const duplicateError = (id: number) =>
    new AppError('INVALID_DATASET', `The expected ids must be distinct; found id ${id} twice.`, {
      expected: 'distinct ids',
      found: String(id),
    });

  if (n === 0) return () => -1;
  const span = max - min + 1;
  if (span <= 4 * n + 1024) {
    const table = new Int32Array(span).fill(-1);
    for (let k = 0; k < n; k++) {
      const slot = (expectedIds[k] as number) - min;
      if (table[slot] !== -1) throw duplicateError(expectedIds[k] as number);
      table[slot] = k;
    }
    return (id) => (id >= min && id <= max ? (table[id - min] as number) : -1);
  }
  const map = new Map<number, number>();
  for (let k = 0; k < n; k++) {
    const id = expectedIds[k] as number;
    if (map.has(id)) throw duplicateError(id);
    map.set(id, k);
  }
  return (id) => map.get(id) ?? -1;
}

/** The first id (in sorted order) that occurs twice, with the positions of its first two occurrences; null if none. */
export function findRepeatedId(ids: Float64Array): { id: number; first: number; second: number } | null {
  const sorted = ids.slice().sort();
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k] === sorted[k - 1]) {
      const id = sorted[k] as number;
      const first = ids.indexOf(id);
      return { id, first, second: ids.indexOf(id, first + 1) };
    }
  }
  return null;
}
