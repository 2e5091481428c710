import zlib from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { decodeLz4Block } from './lz4-block';
import { decodeXzStream } from './lzma';
import { loadXxhash64 } from './xxhash64';

/** Compression algorithms of ROOT's chunk framing, by their two-letter magic. */
export type RootCompression = 'zlib' | 'lz4' | 'zstd' | 'lzma' | 'old-zlib' | 'unknown';

/** A compressed buffer that cannot be decoded; `message` says where in the buffer and why. */
export class CorruptCompressedDataError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CorruptCompressedDataError';
  }
}

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

function sizeAt(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] as number) | ((bytes[offset + 1] as number) << 8) | ((bytes[offset + 2] as number) << 16);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Decompresses a ROOT-compressed buffer: a sequence of chunks, each a 9-byte header (two-letter algorithm magic,
 * method byte, compressed and uncompressed sizes as 3-byte little-endian numbers) followed by the compressed
 * bytes. ZLIB chunks hold a zlib stream (node:zlib), LZ4 chunks an 8-byte big-endian XXH64 of the compressed
 * block followed by a raw LZ4 block (the checksum is verified), ZSTD chunks a zstd frame (fzstd), XZ chunks an
 * .xz stream (codecs/lzma.ts). The pre-2012 "CS" algorithm is refused with a way out. Throws
 * {@link CorruptCompressedDataError} naming the chunk's byte offset and the reason.
 */
export async function decompressRootBuffer(source: Uint8Array, uncompressedSize: number): Promise<Uint8Array> {
  // Most baskets are one ZLIB chunk: inflate straight into node's result instead of copying it.
  if (rootCompressionOf(source) === 'zlib' && source.length >= CHUNK_HEADER_BYTES) {
    const compressedSize = sizeAt(source, 3);
    const chunkSize = sizeAt(source, 6);
    if (chunkSize === uncompressedSize && CHUNK_HEADER_BYTES + compressedSize === source.length) {
      let inflated: Uint8Array;
      try {
        // One output buffer of the known size (the default 16 KiB chunks are joined with another copy), one byte
        // larger: node allocates a second whole chunk to look for more output when the first one is filled exactly.
        inflated = zlib.inflateSync(source.subarray(CHUNK_HEADER_BYTES), { chunkSize: Math.max(64, uncompressedSize + 1), maxOutputLength: Math.max(64, uncompressedSize + 1) });
      } catch (error) {
        throw new CorruptCompressedDataError(`zlib chunk at byte 0 does not decompress (${describe(error)})`, { cause: error });
      }
      if (inflated.length !== uncompressedSize) throw new CorruptCompressedDataError(`zlib chunk at byte 0 gave ${inflated.length} bytes, its header says ${chunkSize}`);
      return inflated;
    }
  }
  const out = new Uint8Array(uncompressedSize);
  let position = 0;
  let written = 0;
  while (written < uncompressedSize) {
    if (position + CHUNK_HEADER_BYTES > source.length) {
      throw new CorruptCompressedDataError(`compressed data ends at byte ${source.length} after ${written} of ${uncompressedSize} bytes`);
    }
    const algorithm = rootCompressionOf(source, position);
    const compressedSize = sizeAt(source, position + 3);
    const chunkSize = sizeAt(source, position + 6);
    const start = position + CHUNK_HEADER_BYTES;
    const end = start + compressedSize;
    if (end > source.length || written + chunkSize > uncompressedSize) {
      throw new CorruptCompressedDataError(`chunk at byte ${position} claims ${compressedSize} compressed / ${chunkSize} uncompressed bytes, beyond the buffer (${source.length} / ${uncompressedSize})`);
    }
    const target = out.subarray(written, written + chunkSize);
    let produced: number;
    try {
      produced = await decompressChunk(algorithm, source.subarray(start, end), target);
    } catch (error) {
      const reason = error instanceof CorruptCompressedDataError ? error.message : `does not decompress (${describe(error)})`;
      throw new CorruptCompressedDataError(`${algorithm} chunk at byte ${position}: ${reason}`, { cause: error });
    }
    if (produced !== chunkSize) throw new CorruptCompressedDataError(`${algorithm} chunk at byte ${position} gave ${produced} bytes, its header says ${chunkSize}`);
    written += chunkSize;
    position = end;
  }
  return out;
}

async function decompressChunk(algorithm: RootCompression, chunk: Uint8Array, target: Uint8Array): Promise<number> {
  switch (algorithm) {
    case 'zlib': {
      // A stream that inflates beyond its announced size stops one byte past it (no inflation bomb) and is refused.
      const inflated = zlib.inflateSync(chunk, { chunkSize: Math.max(64, target.length + 1), maxOutputLength: Math.max(64, target.length + 1) });
      if (inflated.length > target.length) throw new CorruptCompressedDataError(`inflates to ${inflated.length} bytes, more than the ${target.length} announced`);
      target.set(inflated);
      return inflated.length;
    }
    case 'lz4': {
      if (chunk.length < LZ4_CHECKSUM_BYTES) throw new CorruptCompressedDataError('shorter than its checksum');
      const block = chunk.subarray(LZ4_CHECKSUM_BYTES);
      const stored = new DataView(chunk.buffer, chunk.byteOffset, LZ4_CHECKSUM_BYTES).getBigUint64(0, false);
      const computed = (await loadXxhash64())(block);
      if (stored !== computed) throw new CorruptCompressedDataError(`checksum mismatch (stored xxhash64 ${stored.toString(16)}, computed ${computed.toString(16)})`);
      return decodeLz4Block(block, target);
    }
    case 'zstd':
      return zstdDecompress(chunk, target).length;
    case 'lzma':
      return decodeXzStream(chunk, target);
    case 'old-zlib':
      throw new CorruptCompressedDataError('the pre-2012 "CS" compression is not supported; recompress the file with ZLIB, LZ4, ZSTD or LZMA (e.g. `hadd -f 505 new.root old.root`)');
    default:
      throw new CorruptCompressedDataError('has an unknown compression header (not ZL, L4, ZS or XZ); the data are corrupt');
  }
}
