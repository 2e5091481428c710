/**
 * Decodes one LZ4 block (the raw block format, https://github.com/lz4/lz4/blob/dev/doc/lz4_Block_format.md) into
 * `output`, returning the number of bytes written. Throws a RangeError on malformed input instead of reading or
 * writing out of bounds: a token's literal run or match must fit in input and output, and a match offset must
 * point inside what has been written.
 */
export function decodeLz4Block(input: Uint8Array, output: Uint8Array): number {
  let i = 0;
  let o = 0;
  const inputEnd = input.length;
  const outputEnd = output.length;
  while (i < inputEnd) {
    const token = input[i++] as number;
    let literalLength = token >>> 4;
    if (literalLength === 15) {
      let extra: number;
      do {
        if (i >= inputEnd) throw new RangeError('LZ4 block ends inside a literal length.');
        extra = input[i++] as number;
        literalLength += extra;
      } while (extra === 255);
    }
    if (i + literalLength > inputEnd || o + literalLength > outputEnd) {
      throw new RangeError(`LZ4 literal run of ${literalLength} bytes at input ${i} overruns the block (input ${inputEnd}, output ${outputEnd}).`);
    }
    if (literalLength < 16) {
      for (let k = 0; k < literalLength; k++) output[o + k] = input[i + k] as number;
    } else {
      output.set(input.subarray(i, i + literalLength), o);
    }
    i += literalLength;
    o += literalLength;
    if (i === inputEnd) break; // the last sequence has literals only
    if (i + 2 > inputEnd) throw new RangeError('LZ4 block ends inside a match offset.');
    const offset = (input[i] as number) | ((input[i + 1] as number) << 8);
    i += 2;
    if (offset === 0 || offset > o) throw new RangeError(`LZ4 match offset ${offset} at output ${o} points outside the decoded data.`);
    let matchLength = token & 15;
    if (matchLength === 15) {
      let extra: number;
      do {
        if (i >= inputEnd) throw new RangeError('LZ4 block ends inside a match length.');
        extra = input[i++] as number;
        matchLength += extra;
      } while (extra === 255);
    }
    matchLength += 4;
    if (o + matchLength > outputEnd) throw new RangeError(`LZ4 match of ${matchLength} bytes at output ${o} overruns the output (${outputEnd} bytes).`);
    let from = o - offset;
    if (offset >= matchLength) {
      output.copyWithin(o, from, from + matchLength);
      o += matchLength;
    } else {
      // Overlapping match: byte by byte, so that the run repeats.
      const end = o + matchLength;
      while (o < end) output[o++] = output[from++] as number;
    }
  }
  return o;
}
