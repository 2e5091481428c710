/**
 * values[indices[i]] for every i, as a new Float64Array or Int32Array: one loop. (TypedArray.from with a mapping
 * function goes through the iterator protocol, one result object per value: on a build's hot path that was a tenth
 * of all it allocated.)
 */
export function pickFloat64(values: ArrayLike<number>, indices: ArrayLike<number>): Float64Array {
  const out = new Float64Array(indices.length);
  for (let i = 0; i < out.length; i++) out[i] = values[indices[i] as number] as number;
  return out;
}

/** values[indices[i]] for every i, as a new Int32Array (see {@link pickFloat64}). */
export function pickInt32(values: ArrayLike<number>, indices: ArrayLike<number>): Int32Array {
  const out = new Int32Array(indices.length);
  for (let i = 0; i < out.length; i++) out[i] = values[indices[i] as number] as number;
  return out;
}

/** values[indices[i]] for every i, as a new Float32Array (see {@link pickFloat64}). */
export function pickFloat32(values: ArrayLike<number>, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length);
  for (let i = 0; i < out.length; i++) out[i] = values[indices[i] as number] as number;
  return out;
}

/** The picker that makes a column of each part-table type. */
export const PICK_BY_TYPE = { float32: pickFloat32, float64: pickFloat64, int32: pickInt32 } as const;
