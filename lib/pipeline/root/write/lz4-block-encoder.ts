const MIN_MATCH = 4;
/** The last 5 bytes are always literals, and no match starts in the last 12 (LZ4 block format, "end of block" rules). */
const LAST_LITERALS = 5;
const MATCH_FIND_LIMIT = 12;
const MAX_OFFSET = 65535;
const HASH_BITS = 16;

/** Worst-case size of an LZ4 block for `inputBytes` of incompressible input. */
export function lz4BlockBound(inputBytes: number): number {
  return inputBytes + Math.floor(inputBytes / 255) + 16;
}

function readU32(bytes: Uint8Array, i: number): number {
  return ((bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24)) >>> 0;
}

function hash(sequence: number): number {
  return Math.imul(sequence, 2654435761) >>> (32 - HASH_BITS);
}

function writeLength(output: Uint8Array, o: number, length: number): number {
  let rest = length - 15;
  while (rest >= 255) {
    output[o++] = 255;
    rest -= 255;
  }
  output[o++] = rest;
  return o;
}

/**
 * Compresses `input` into one raw LZ4 block (https://github.com/lz4/lz4/blob/dev/doc/lz4_Block_format.md): greedy
 * matching through a 64 Ki-entry hash table of 4-byte sequences, as LZ4's fast mode does. Any LZ4 decoder
 * (ROOT's, jsroot's, lz4-block.ts) reads it back; the block is at most {@link lz4BlockBound} bytes.
 */
export function encodeLz4Block(input: Uint8Array): Uint8Array {
  const n = input.length;
  const output = new Uint8Array(lz4BlockBound(n));
  const table = new Int32Array(1 << HASH_BITS).fill(-1);
  let o = 0;
  let anchor = 0;
  let i = 0;
  const matchLimit = n - MATCH_FIND_LIMIT;
  const matchEnd = n - LAST_LITERALS;
  while (i < matchLimit) {
    const sequence = readU32(input, i);
    const h = hash(sequence);
    const candidate = table[h] as number;
    table[h] = i;
    if (candidate < 0 || i - candidate > MAX_OFFSET || readU32(input, candidate) !== sequence) {
      i++;
      continue;
    }
    let matchLength = MIN_MATCH;
    while (i + matchLength < matchEnd && input[candidate + matchLength] === input[i + matchLength]) matchLength++;
    const literalLength = i - anchor;
    const token = o++;
    output[token] = (Math.min(literalLength, 15) << 4) | Math.min(matchLength - MIN_MATCH, 15);
    if (literalLength >= 15) o = writeLength(output, o, literalLength);
    output.set(input.subarray(anchor, i), o);
    o += literalLength;
    const offset = i - candidate;
    output[o++] = offset & 255;
    output[o++] = offset >>> 8;
    if (matchLength - MIN_MATCH >= 15) o = writeLength(output, o, matchLength - MIN_MATCH);
    i += matchLength;
    anchor = i;
    // Index one position inside the match, so that a repeat of it is found again.
    if (i - 2 > candidate && i - 2 < matchLimit) table[hash(readU32(input, i - 2))] = i - 2;
  }
  const literalLength = n - anchor;
  output[o++] = Math.min(literalLength, 15) << 4;
  if (literalLength >= 15) o = writeLength(output, o, literalLength);
  output.set(input.subarray(anchor), o);
  o += literalLength;
  return output.subarray(0, o);
}
