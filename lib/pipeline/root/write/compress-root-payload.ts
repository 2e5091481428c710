import zlib from 'node:zlib';
import { AppError } from '@/lib/shared/app-error';
import { xxhash64 } from '../xxhash64';
import { encodeLz4Block } from './lz4-block-encoder';
import type { ZstdEncoder } from './zstd-encoder';

/** Compression of baskets and large records: ROOT's algorithms (no LZMA) or none. */
export type RootCompressionAlgorithm = 'zlib' | 'lz4' | 'zstd' | 'none';
/** `level` 1–9 (default: ZLIB 1, LZ4 4, ZSTD 5, as ROOT's presets 101, 404, 505); ignored for `none`. */
export type RootCompressionSettings = { algorithm: RootCompressionAlgorithm; level?: number };

/** ROOT's default for files we write: ZLIB level 1 (fCompress 101), readable by every ROOT, uproot and jsroot. */
export const DEFAULT_ROOT_COMPRESSION: RootCompressionSettings = { algorithm: 'zlib', level: 1 };

const ALGORITHM_CODES: Readonly<Record<RootCompressionAlgorithm, number>> = { none: 0, zlib: 1, lz4: 4, zstd: 5 };
const DEFAULT_LEVELS: Readonly<Record<RootCompressionAlgorithm, number>> = { none: 0, zlib: 1, lz4: 4, zstd: 5 };

/** The level in effect: the given one, or the algorithm's default. */
export function compressionLevelOf(settings: RootCompressionSettings): number {
  return settings.algorithm === 'none' ? 0 : (settings.level ?? DEFAULT_LEVELS[settings.algorithm]);
}
/** ROOT's kMAXZIPBUF: sizes in a chunk header are 3 bytes, so a chunk holds at most 16 MiB − 1. */
export const MAX_CHUNK_BYTES = 0xffffff;
const CHUNK_HEADER_BYTES = 9;
const LZ4_CHECKSUM_BYTES = 8;

/** ROOT's fCompress code: 100 × algorithm + level (101 = ZLIB 1, 404 = LZ4 4, 505 = ZSTD 5, 0 = none). */
export function rootCompressionCode(settings: RootCompressionSettings): number {
  return settings.algorithm === 'none' ? 0 : ALGORITHM_CODES[settings.algorithm] * 100 + compressionLevelOf(settings);
}

/** "zlib", "lz4:4", "zstd:5", "none" → settings (AppError('BAD_REQUEST') naming the accepted forms otherwise). */
export function parseRootCompression(text: string): RootCompressionSettings {
  const match = /^(zlib|lz4|zstd|none)(?::(\d))?$/.exec(text.trim().toLowerCase());
  if (!match) {
    throw new AppError('BAD_REQUEST', `compression "${text}" is not one of zlib, lz4, zstd, none (optionally with a level, e.g. zstd:5).`, { expected: 'zlib|lz4|zstd|none[:1-9]', found: text });
  }
  const settings: RootCompressionSettings = { algorithm: match[1] as RootCompressionAlgorithm, ...(match[2] ? { level: Number(match[2]) } : {}) };
  assertRootCompressionSettings(settings);
  return settings;
}

/** Throws AppError('BAD_REQUEST') unless the algorithm is known and the level is an integer in 1…9 (0 for none). */
export function assertRootCompressionSettings(settings: RootCompressionSettings): void {
  if (!(settings.algorithm in ALGORITHM_CODES)) {
    throw new AppError('BAD_REQUEST', `unknown ROOT compression "${String(settings.algorithm)}"; use zlib, lz4, zstd or none.`, { expected: 'zlib | lz4 | zstd | none', found: String(settings.algorithm) });
  }
  if (settings.algorithm === 'none' || settings.level === undefined) return;
  if (!Number.isInteger(settings.level) || settings.level < 1 || settings.level > 9) {
    throw new AppError('BAD_REQUEST', `compression level ${settings.level} is not valid for ${settings.algorithm}; use an integer from 1 to 9.`, {
      expected: '1…9',
      found: String(settings.level),
    });
  }
}

function chunkHeader(magic: string, method: number, compressedBytes: number, uncompressedBytes: number): Uint8Array {
  return Uint8Array.of(
    magic.charCodeAt(0),
    magic.charCodeAt(1),
    method,
    compressedBytes & 255,
    (compressedBytes >>> 8) & 255,
    compressedBytes >>> 16,
    uncompressedBytes & 255,
    (uncompressedBytes >>> 8) & 255,
    uncompressedBytes >>> 16,
  );
}

/** One chunk's body (after the 9-byte header) and the header's magic and method. */
function compressChunk(chunk: Uint8Array, settings: RootCompressionSettings, zstd: ZstdEncoder | null): { magic: string; method: number; parts: Uint8Array[] } {
  switch (settings.algorithm) {
    case 'zlib':
      // A zlib stream (2-byte header, deflate, Adler-32) after "ZL" and Z_DEFLATED, as R__zipZLIB writes it.
      return { magic: 'ZL', method: 8, parts: [zlib.deflateSync(chunk, { level: compressionLevelOf(settings) })] };
    case 'lz4': {
      // "L4", LZ4's major version, then the XXH64 of the block (big-endian, seed 0) and the raw block.
      const block = encodeLz4Block(chunk);
      const checksum = new Uint8Array(LZ4_CHECKSUM_BYTES);
      new DataView(checksum.buffer).setBigUint64(0, xxhash64(block), false);
      return { magic: 'L4', method: 1, parts: [checksum, block] };
    }
    case 'zstd':
      if (!zstd) throw new AppError('INTERNAL', 'ZSTD compression was asked for but the ZSTD encoder is not loaded.');
      // "ZS", zstd's major version, then one zstd frame.
      return { magic: 'ZS', method: 1, parts: [zstd(chunk, compressionLevelOf(settings))] };
    case 'none':
      return { magic: '', method: 0, parts: [] };
  }
}

/**
 * Compresses a key's payload (a basket or an object record) the way ROOT's R__zipMultipleAlgorithm does: chunks of
 * at most 16 MiB − 1 bytes, each behind a 9-byte header (two-letter algorithm, method byte, compressed and
 * uncompressed sizes as 3-byte little-endian numbers). Returns the payload itself when compression is off or would
 * not make it smaller — readers then see fNbytes − fKeylen = fObjlen and read it raw, as ROOT does.
 */
export function compressRootPayload(payload: Uint8Array, settings: RootCompressionSettings, zstd: ZstdEncoder | null = null): Uint8Array {
  if (settings.algorithm === 'none' || payload.length === 0) return payload;
  const pieces: Uint8Array[] = [];
  let total = 0;
  for (let start = 0; start < payload.length; start += MAX_CHUNK_BYTES) {
    const chunk = payload.subarray(start, Math.min(start + MAX_CHUNK_BYTES, payload.length));
    const { magic, method, parts } = compressChunk(chunk, settings, zstd);
    const bodyBytes = parts.reduce((sum, part) => sum + part.length, 0);
    if (bodyBytes >= chunk.length || bodyBytes > MAX_CHUNK_BYTES) return payload;
    pieces.push(chunkHeader(magic, method, bodyBytes, chunk.length), ...parts);
    total += CHUNK_HEADER_BYTES + bodyBytes;
    if (total >= payload.length) return payload;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}
