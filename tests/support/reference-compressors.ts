import { spawnSync } from 'node:child_process';
import zlib from 'node:zlib';
import { xxhash64 } from '@/lib/pipeline/root/codecs/xxhash64';

export type RootAlgorithm = 'zlib' | 'lzma' | 'zstd' | 'lz4';

/**
 * Compresses with the reference command-line tool (Debian xz-utils, zstd, lz4; scripts/test.ts and .ci/run install
 * them), so LZMA, ZSTD and LZ4 chunks are made by the real encoders at test time. Outside CI a missing tool returns
 * null (the test skips with a message); under CI it fails.
 */
function compressWithTool(tool: 'xz' | 'zstd' | 'lz4', payload: Uint8Array): Uint8Array | null {
  const args = tool === 'xz' ? ['-c', '-6', '--check=crc32', '--format=xz'] : tool === 'zstd' ? ['-19', '-q', '-c'] : ['-9', '-q', '--no-frame-crc', '-c'];
  const run = spawnSync(tool, args, { input: payload, maxBuffer: 1 << 26 });
  if (run.error || run.status !== 0) {
    const message = `the ${tool} command-line tool is needed to make a reference basket (apt-get install ${tool === 'xz' ? 'xz-utils' : tool})`;
    if (process.env.CI) throw new Error(message);
    console.warn(`skipping: ${message}`);
    return null;
  }
  return new Uint8Array(run.stdout);
}

function header(magic: string, method: number, compressedBytes: number, uncompressedBytes: number): number[] {
  return [magic.charCodeAt(0), magic.charCodeAt(1), method, compressedBytes & 255, (compressedBytes >> 8) & 255, compressedBytes >> 16, uncompressedBytes & 255, (uncompressedBytes >> 8) & 255, uncompressedBytes >> 16];
}

/**
 * One ROOT compression chunk (9-byte header + stream) holding `payload` (≤ 16 MiB − 1); null when the tool is
 * missing; 'incompressible' when LZ4 could not shrink it (ROOT then stores the basket raw).
 */
export function rootChunk(algorithm: RootAlgorithm, payload: Uint8Array): Uint8Array | null | 'incompressible' {
  if (algorithm === 'zlib') {
    const z = zlib.deflateSync(payload);
    return Uint8Array.from([...header('ZL', 8, z.length, payload.length), ...z]);
  }
  if (algorithm === 'lzma') {
    const xz = compressWithTool('xz', payload);
    return xz && Uint8Array.from([...header('XZ', 0, xz.length, payload.length), ...xz]);
  }
  if (algorithm === 'zstd') {
    const zs = compressWithTool('zstd', payload);
    return zs && Uint8Array.from([...header('ZS', 1, zs.length, payload.length), ...zs]);
  }
  const frame = compressWithTool('lz4', payload);
  if (!frame) return null;
  // lz4's frame: magic, flags, block size, the block. ROOT stores the bare block after an XXH64 of it.
  const blockSize = new DataView(frame.buffer, frame.byteOffset + 7).getUint32(0, true);
  if (blockSize & 0x80000000) return 'incompressible';
  const block = frame.subarray(11, 11 + blockSize);
  const checksum = new Uint8Array(8);
  new DataView(checksum.buffer).setBigUint64(0, xxhash64(block), false);
  return Uint8Array.from([...header('L4', 1, block.length + 8, payload.length), ...checksum, ...block]);
}
