import zlib from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { AppError } from '@/lib/shared/app-error';
import { decodeLz4Block } from './lz4-block';
import { xxhash64 } from './xxhash64';

/** Compression algorithms of ROOT's chunk framing, by their two-letter magic. */
export type RootCompression = 'zlib' | 'lz4' | 'zstd' | 'lzma' | 'old-zlib' | 'unknown';

const CHUNK_HEADER_BYTES = 9;
const LZ4_CHECKSUM_BYTES = 8;

/** Reads the algorithm of the chunk starting at `offset` (ROOT's 9-byte header: magic, method, sizes). */
export function rootCompressionOf(bytes: Uint8Array, offset = 0): RootCompression {
  const a = bytes[offset];
  const b = bytes[offset + 1];
  const method = bytes[offset + 2];
  if (a === 0x5a && b === 0x4c && method === 8) return 'zlib'; // "ZL"
  if (a === 0x4c && b === 0x34) return 'lz4'; // "L4"
  if (a === 0x5a && b === 0x53 && method === 1) return 'zstd'; // "ZS"
  if (a === 0x58 && b === 0x5a) return 'lzma'; // "XZ"
  if (a === 0x43 && b === 0x53) return 'old-zlib'; // "CS"
  return 'unknown';
}

function corrupt(where: string, message: string, cause?: unknown): AppError {
  return new AppError('INVALID_DATASET', `${where}: ${message}`, { file: where }, cause ? { cause } : undefined);
}

/**
 * Decompresses a ROOT-compressed buffer: a sequence of chunks, each a 9-byte header (two-letter algorithm magic,
 * method byte, compressed and uncompressed sizes as 3-byte little-endian numbers) followed by the compressed
 * bytes. ZLIB chunks hold a zlib stream (inflated by node:zlib), LZ4 chunks an 8-byte big-endian XXH64 of the
 * compressed block followed by a raw LZ4 block (checksum verified), ZSTD chunks a zstd frame (fzstd). LZMA and
 * the pre-2012 "CS" algorithm are reported as unsupported. `where` names the basket in error messages.
 */
export function decompressRootBuffer(source: Uint8Array, uncompressedSize: number, where: string): Uint8Array {
  // Most baskets are one ZLIB chunk: inflate straight into node's result instead of copying it into `out`.
  if (rootCompressionOf(source) === 'zlib' && source.length >= CHUNK_HEADER_BYTES) {
    const compressedSize = (source[3] as number) | ((source[4] as number) << 8) | ((source[5] as number) << 16);
    const chunkSize = (source[6] as number) | ((source[7] as number) << 8) | ((source[8] as number) << 16);
    if (chunkSize === uncompressedSize && CHUNK_HEADER_BYTES + compressedSize === source.length) {
      let inflated: Uint8Array;
      try {
        inflated = zlib.inflateSync(source.subarray(CHUNK_HEADER_BYTES));
      } catch (error) {
        throw corrupt(where, `zlib chunk at byte 0 does not decompress (${error instanceof Error ? error.message : String(error)}).`, error);
      }
      if (inflated.length !== uncompressedSize) throw corrupt(where, `zlib chunk at byte 0 gave ${inflated.length} bytes, its header says ${chunkSize}.`);
      return inflated;
    }
  }
  const out = new Uint8Array(uncompressedSize);
  let position = 0;
  let written = 0;
  while (written < uncompressedSize) {
    if (position + CHUNK_HEADER_BYTES > source.length) {
      throw corrupt(where, `compressed data ends after ${written} of ${uncompressedSize} bytes; the basket is truncated.`);
    }
    const algorithm = rootCompressionOf(source, position);
    const compressedSize = (source[position + 3] as number) | ((source[position + 4] as number) << 8) | ((source[position + 5] as number) << 16);
    const chunkSize = (source[position + 6] as number) | ((source[position + 7] as number) << 8) | ((source[position + 8] as number) << 16);
    const start = position + CHUNK_HEADER_BYTES;
    const end = start + compressedSize;
    if (end > source.length || written + chunkSize > uncompressedSize) {
      throw corrupt(where, `chunk at byte ${position} claims ${compressedSize} compressed / ${chunkSize} uncompressed bytes, beyond the basket (${source.length} / ${uncompressedSize}).`);
    }
    const target = out.subarray(written, written + chunkSize);
    let produced: number;
    try {
      produced = decompressChunk(algorithm, source.subarray(start, end), target, where);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw corrupt(where, `${algorithm} chunk at byte ${position} does not decompress (${error instanceof Error ? error.message : String(error)}).`, error);
    }
    if (produced !== chunkSize) throw corrupt(where, `${algorithm} chunk at byte ${position} gave ${produced} bytes, its header says ${chunkSize}.`);
    written += chunkSize;
    position = end;
  }
  return out;
}

function decompressChunk(algorithm: RootCompression, chunk: Uint8Array, target: Uint8Array, where: string): number {
  switch (algorithm) {
    case 'zlib': {
      const inflated = zlib.inflateSync(chunk);
      if (inflated.length > target.length) throw corrupt(where, `zlib chunk inflates to ${inflated.length} bytes, more than the ${target.length} announced.`);
      target.set(inflated);
      return inflated.length;
    }
    case 'lz4': {
      if (chunk.length < LZ4_CHECKSUM_BYTES) throw corrupt(where, 'LZ4 chunk is shorter than its checksum.');
      const block = chunk.subarray(LZ4_CHECKSUM_BYTES);
      const stored = new DataView(chunk.buffer, chunk.byteOffset, LZ4_CHECKSUM_BYTES).getBigUint64(0, false);
      const computed = xxhash64(block);
      if (stored !== computed) {
        throw corrupt(where, `LZ4 chunk checksum mismatch (stored ${stored.toString(16)}, computed ${computed.toString(16)}); the file is corrupt.`);
      }
      return decodeLz4Block(block, target);
    }
    case 'zstd':
      return zstdDecompress(chunk, target).length;
    case 'lzma':
      throw new AppError('INVALID_DATASET', `${where}: LZMA-compressed baskets are not supported; recompress the file with ZLIB, LZ4 or ZSTD (e.g. hadd -f 505).`, { file: where, expected: 'ZLIB, LZ4 or ZSTD', found: 'LZMA' });
    case 'old-zlib':
      throw new AppError('INVALID_DATASET', `${where}: the pre-2012 "CS" compression is not supported; recompress the file with ZLIB, LZ4 or ZSTD.`, { file: where, expected: 'ZLIB, LZ4 or ZSTD', found: 'CS' });
    default:
      throw corrupt(where, 'unknown compression header; the basket is corrupt or not a ROOT basket.');
  }
}
