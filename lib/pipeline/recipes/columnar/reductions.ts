import { type Collection, eventCount, fieldOf } from './collection';

/** Σ of a field over each event's objects (0 for an event without objects). */
export function sumPerEvent(collection: Collection, field: string): Float64Array {
  const values = fieldOf(collection, field);
  const n = eventCount(collection);
  const out = new Float64Array(n);
  for (let e = 0; e < n; e++) {
    let s = 0;
    for (let k = collection.offsets[e] as number; k < (collection.offsets[e + 1] as number); k++) s += values[k] as number;
    out[e] = s;
  }
  return out;
}

/** Largest value of a field per event, or `missing` for an event without objects. */
export function maxPerEvent(collection: Collection, field: string, missing: number): Float64Array {
  const values = fieldOf(collection, field);
  const n = eventCount(collection);
  const out = new Float64Array(n);
  for (let e = 0; e < n; e++) {
    let m = -Infinity;
    for (let k = collection.offsets[e] as number; k < (collection.offsets[e + 1] as number); k++) m = Math.max(m, values[k] as number);
    out[e] = m === -Infinity ? missing : m;
  }
  return out;
}

/**
 * The first `n` objects of each event, one column per slot, padded with `missing` where an event has fewer:
 * `leading(jets, 'pt', 2, -25)` gives [leading pT, subleading pT]. `scale` multiplies present values (e.g.
 * 1/1000 for MeV → GeV); padding is left as it is. Objects are taken in stored order (PHYSLITE: pT-ordered; use
 * sortObjects after a variation that may reorder them).
 */
export function leading(collection: Collection, field: string, n: number, missing: number, scale = 1): Float32Array[] {
  const values = fieldOf(collection, field);
  const events = eventCount(collection);
  const out = Array.from({ length: n }, () => new Float32Array(events).fill(missing));
  for (let e = 0; e < events; e++) {
    const start = collection.offsets[e] as number;
    const take = Math.min(n, (collection.offsets[e + 1] as number) - start);
    for (let slot = 0; slot < take; slot++) (out[slot] as Float32Array)[e] = (values[start + slot] as number) * scale;
  }
  return out;
}
