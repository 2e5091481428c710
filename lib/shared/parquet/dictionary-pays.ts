/**
 * Whether hyparquet-writer (0.17) would dictionary-encode a non-nullable numeric column chunk of these values, decided
 * without building the dictionary. hyparquet-writer decides in two steps when no encoding is given:
 * 1. a sample of min(n, 1000) values spread over the chunk (index ⌊i·(n − 1)/(s − 1)⌋) is rejected when more than 90%
 *    of it is distinct (or the chunk is empty);
 * 2. the whole chunk's dictionary (d distinct values of `size` bytes, SameValueZero: +0 and −0 are one value, so are
 *    all NaNs) is kept only when 2·(d·size + ⌈n·⌈log₂ d⌉ / 8⌉) ≤ n·size.
 * Step 2 grows with d, so counting stops as soon as the dictionary has lost. Float32 values are counted by their bits
 * in an open-addressing table, not in a Map: on a column of sentinels and continuous values this is what makes a
 * Parquet file cheap to write. A column this returns false for can be written with `encoding: 'PLAIN'`: the bytes
 * are the ones hyparquet-writer writes when it tries the dictionary and gives it up.
 */
export function dictionaryPays(values: Float32Array | Float64Array | Int32Array, size: 4 | 8): boolean {
  const n = values.length;
  if (n === 0) return false;
  const sampleSize = Math.min(n, 1000);
  const sample = new Set<number>();
  for (let i = 0; i < sampleSize; i++) {
    const at = sampleSize === 1 ? 0 : Math.floor((i * (n - 1)) / (sampleSize - 1));
    sample.add(values[at] as number);
  }
  if (sample.size / sampleSize > 0.9) return false;
  const loses = (distinct: number) => 2 * (distinct * size + Math.ceil((n * Math.ceil(Math.log2(distinct))) / 8)) > n * size;
  return values instanceof Float32Array ? !float32DictionaryLoses(values, loses) : !numberDictionaryLoses(values, loses);
}

/** Distinct values of a Float32Array by their bits (−0 as +0, every NaN as one), until `loses(distinct)`. */
function float32DictionaryLoses(values: Float32Array, loses: (distinct: number) => boolean): boolean {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  // The dictionary has lost by the time it needs 16-bit indexes over 4-byte values, so the table stays small.
  let capacity = 1024;
  let table = new Int32Array(capacity).fill(-1);
  let mask = capacity - 1;
  let distinct = 0;
  const insert = (key: number): boolean => {
    let slot = Math.imul(key, 0x9e3779b1) >>> 0 & mask;
    for (;;) {
      const held = table[slot] as number;
      if (held === -1) {
        table[slot] = key | 0;
        return true;
      }
      if (held === (key | 0)) return false;
      slot = (slot + 1) & mask;
    }
  };
  for (let i = 0; i < bits.length; i++) {
    let key = bits[i] as number;
    if (key === 0x80000000) key = 0;
    else if ((key & 0x7f800000) === 0x7f800000 && (key & 0x7fffff) !== 0) key = 0x7fc00000;
    // −1 is a NaN bit pattern, mapped above to 0x7fc00000, so it never collides with the empty marker.
    if (!insert(key)) continue;
    distinct++;
    if (loses(distinct)) return true;
    if (distinct * 2 > capacity) {
      const old = table;
      capacity *= 4;
      mask = capacity - 1;
      table = new Int32Array(capacity).fill(-1);
      for (let k = 0; k < old.length; k++) if ((old[k] as number) !== -1) insert(old[k] as number);
    }
  }
  return loses(distinct);
}

/** Distinct values of any numeric column (SameValueZero, as hyparquet's Map), until `loses(distinct)`. */
function numberDictionaryLoses(values: Float64Array | Int32Array, loses: (distinct: number) => boolean): boolean {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const before = seen.size;
    seen.add(values[i] as number);
    if (seen.size !== before && loses(seen.size)) return true;
  }
  return loses(seen.size);
}
