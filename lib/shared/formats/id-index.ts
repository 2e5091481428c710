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
