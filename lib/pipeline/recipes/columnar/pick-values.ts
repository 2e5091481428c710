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
