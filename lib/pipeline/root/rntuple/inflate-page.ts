import zlib from 'node:zlib';
import { decompressRootBuffer } from '../root-compression';

/**
 * Inflates a page: one ZLIB chunk straight into a buffer of the page's size (no intermediate chunks), anything else
 * (several chunks, LZ4, ZSTD, LZMA) through the ROOT decompression of TTree baskets.
 */
export function inflatePage(compressed: Uint8Array, length: number): Uint8Array {
  const isSingleZlibChunk =
    compressed[0] === 0x5a && compressed[1] === 0x4c && compressed[2] === 8 && ((compressed[3] as number) | ((compressed[4] as number) << 8) | ((compressed[5] as number) << 16)) + 9 === compressed.length;
  if (isSingleZlibChunk && ((compressed[6] as number) | ((compressed[7] as number) << 8) | ((compressed[8] as number) << 16)) === length) {
    const inflated = zlib.inflateSync(compressed.subarray(9), { chunkSize: Math.max(64, length) });
    if (inflated.length !== length) throw new Error(`zlib gave ${inflated.length} bytes`);
    return inflated;
  }
  return decompressRootBuffer(compressed, length, '');
}

