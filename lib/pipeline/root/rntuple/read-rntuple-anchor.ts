import type { ByteSource } from '../byte-source';
import { decompressRootBuffer } from '../codecs/decompress-root-buffer';
import { hex } from './rntuple-descriptor';
import { rntupleError } from './rntuple-error';
import type { Xxh3 } from '../codecs/xxhash3';

/** Where the `ROOT::RNTuple` key object lies: the key's seek, its header size, its size on disk and the object's. */
export type RNTupleKeyLocation = { name: string; seek: number; keyBytes: number; totalBytes: number; objectBytes: number };

/** The anchor (specification: "Anchor schema"): format version and envelope links of the header and footer. */
export type RNTupleAnchor = {
  version: [number, number, number, number];
  header: { offset: number; size: number; length: number };
  footer: { offset: number; size: number; length: number };
  maxKeySize: number;
};

const BYTE_COUNT_FLAG = 0x40000000;
const FIELD_BYTES = 4 * 2 + 7 * 8;

/**
 * Reads and checks the anchor object of an RNTuple key: class version and byte count (ROOT's streamer framing,
 * big-endian like all TFile objects), the 4 version numbers and 7 64-bit links, and the XXH3-64 that follows them.
 */
export async function readRNTupleAnchor(source: ByteSource, key: RNTupleKeyLocation, xxh3: Xxh3): Promise<RNTupleAnchor> {
  const at = { file: source.name, ntuple: key.name, part: 'anchor (the ROOT::RNTuple key)', byteRange: [key.seek + key.keyBytes, key.totalBytes - key.keyBytes] as [number, number] };
  const stored = await source.read(key.seek + key.keyBytes, key.totalBytes - key.keyBytes);
  let bytes = stored;
  if (stored.length < key.objectBytes) {
    try {
      bytes = await decompressRootBuffer(stored, key.objectBytes);
    } catch (cause) {
      throw rntupleError(at, `the anchor does not decompress to ${key.objectBytes} bytes (${(cause as Error).message}); the file is corrupt.`, {}, cause);
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 6 + FIELD_BYTES + 8) throw rntupleError(at, `the anchor has ${bytes.length} bytes, fewer than the ${6 + FIELD_BYTES + 8} of format 1.0; the file is corrupt.`);
  const byteCount = view.getUint32(0, false);
  if (!(byteCount & BYTE_COUNT_FLAG) || (byteCount & ~BYTE_COUNT_FLAG) < 2 + FIELD_BYTES) {
    throw rntupleError(at, `the anchor's byte count ${byteCount & ~BYTE_COUNT_FLAG} is not that of a ROOT::RNTuple object; the file is corrupt.`);
  }
  const classVersion = view.getUint16(4, false);
  if (classVersion < 2) throw rntupleError(at, `the anchor has class version ${classVersion}, a pre-release RNTuple (format 0.x); convert it with ROOT 6.34 or later.`);
  const fields = bytes.subarray(6, 6 + FIELD_BYTES);
  const storedChecksum = view.getBigUint64(6 + FIELD_BYTES, false);
  const computed = xxh3(fields);
  if (storedChecksum !== computed) {
    throw rntupleError(at, `the anchor fails its XXH3 checksum (stored ${hex(storedChecksum)}, computed ${hex(computed)}); the file is corrupt.`, { expected: hex(storedChecksum), found: hex(computed) });
  }
  const u16 = (k: number) => view.getUint16(6 + 2 * k, false);
  const u64 = (k: number) => {
    const v = view.getBigUint64(6 + 8 + 8 * k, false);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw rntupleError(at, `anchor field ${k} is ${v}, beyond 2^53; the file is corrupt.`);
    return Number(v);
  };
  const version: RNTupleAnchor['version'] = [u16(0), u16(1), u16(2), u16(3)];
  if (version[0] !== 1) {
    throw rntupleError(at, `the RNTuple has format epoch ${version[0]} (version ${version.join('.')}); this reader reads epoch 1 (format 1.x).`, { expected: '1.x.x.x', found: version.join('.') });
  }
  const anchor = {
    version,
    header: { offset: u64(0), size: u64(1), length: u64(2) },
    footer: { offset: u64(3), size: u64(4), length: u64(5) },
    maxKeySize: u64(6),
  };
  for (const [name, link] of [['header', anchor.header], ['footer', anchor.footer]] as const) {
    if (link.offset + link.size > source.sizeBytes || link.size > link.length || link.size === 0) {
      throw rntupleError(at, `the ${name} envelope is said to lie at bytes ${link.offset}+${link.size} (${link.length} uncompressed) of a ${source.sizeBytes}-byte file; the file is truncated or corrupt.`);
    }
  }
  return anchor;
}
