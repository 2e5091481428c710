import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import { type ColumnTypeInfo, columnTypeOf } from './column-types';
import { DEFAULT_ROOT_COMPRESSION, type RootCompressionSettings } from '../write/compress-root-payload';
import { RootFileWriter } from '../write/root-file-writer';
import { encodePage, type WritableElements } from './encode-page';
import { EnvelopeWriter } from './envelope-writer';
import type { RNTupleKeyLocation } from './read-rntuple-anchor';
import { ENVELOPE_FOOTER, ENVELOPE_HEADER, ENVELOPE_PAGE_LIST } from './rntuple-descriptor';
import { ANCHOR_CLASS, ANCHOR_CLASS_VERSION, RNTUPLE_STREAMER_INFO } from './rntuple-streamer-info';
import { loadXxh3, type Xxh3 } from '../codecs/xxhash3';

/** Element types the writer stores (C++ names as RNTuple normalises them). */
export type RNTupleWritableType = 'bool' | 'std::int8_t' | 'std::uint8_t' | 'std::int16_t' | 'std::uint16_t' | 'std::int32_t' | 'std::uint32_t' | 'std::int64_t' | 'std::uint64_t' | 'float' | 'double';

/** A field: a number per entry, or `std::vector<T>` of numbers. Names may not contain ".", "/", "\", spaces or control characters. */
export type RNTupleFieldSpec = { name: string; type: RNTupleWritableType | `std::vector<${RNTupleWritableType}>` };

/** One cluster: per field, its values (typed array of the field's type), or for vectors Arrow-style offsets and values. */
export type RNTupleClusterInput = { entries: number; columns: Record<string, WritableElements | { offsets: Int32Array; values: WritableElements }> };

export type WriteRNTupleOptions = {
  path: string;
  name: string;
  /** The TDirectory to write it in (`dir/sub`, made as needed); default the top directory. Its path in the file is then `dir/sub/name`. */
  directory?: string;
  fields: readonly RNTupleFieldSpec[];
  clusters: Iterable<RNTupleClusterInput> | AsyncIterable<RNTupleClusterInput>;
  /** Compression of pages and envelopes (ROOT's framing): ZLIB, LZ4, ZSTD or none. Default ZLIB level 1 (101). */
  compression?: RootCompressionSettings;
  /**
   * Compresses pages and envelopes with a ROOT algorithm this writer has no encoder for instead — LZMA, whose "XZ"
   * chunks liblzma (Debian's `xz`) makes — given as ROOT's settings code (e.g. 207: LZMA level 7) and a function
   * returning the payload in ROOT's chunk framing. A result not smaller than the payload is stored uncompressed, as
   * ROOT does. `compression` then applies to the TFile container only (keys list, streamer info).
   */
  externalCompression?: { settingsCode: number; compress: (payload: Uint8Array) => Uint8Array };
  /** Largest uncompressed page (default 1 MiB, ROOT's maximum); a cluster's column is cut into pages of at most this size. */
  pageBytes?: number;
  /** Store an XXH3-64 after each page (default true, as ROOT does). */
  pageChecksums?: boolean;
  /** ROOT's default split encodings (default), or plain columns (Real32, Int32, Index64, …). */
  encoding?: 'split' | 'plain';
  /** Clusters per cluster group (each group has its own page list); default: all in one. */
  clustersPerGroup?: number;
  description?: string;
  date?: Date;
};

export type WriteRNTupleResult = { path: string; entries: number; clusters: number; clusterGroups: number; sizeBytes: number; anchor: RNTupleKeyLocation };

const TYPE_CODES: Record<RNTupleWritableType, { split: number; plain: number; array: string }> = {
  bool: { split: 0x00, plain: 0x00, array: 'Uint8Array' },
  'std::int8_t': { split: 0x03, plain: 0x03, array: 'Int8Array' },
  'std::uint8_t': { split: 0x04, plain: 0x04, array: 'Uint8Array' },
  'std::int16_t': { split: 0x11, plain: 0x05, array: 'Int16Array' },
  'std::uint16_t': { split: 0x12, plain: 0x06, array: 'Uint16Array' },
  'std::int32_t': { split: 0x13, plain: 0x07, array: 'Int32Array' },
  'std::uint32_t': { split: 0x14, plain: 0x08, array: 'Uint32Array' },
  'std::int64_t': { split: 0x15, plain: 0x09, array: 'BigInt64Array' },
  'std::uint64_t': { split: 0x16, plain: 0x0a, array: 'BigUint64Array' },
  float: { split: 0x18, plain: 0x0c, array: 'Float32Array' },
  double: { split: 0x19, plain: 0x0d, array: 'Float64Array' },
};
const INDEX_CODES = { split: 0x1b, plain: 0x0f };

type FieldRecord = { name: string; typeName: string; parentId: number; role: number };
type ColumnRecord = { type: ColumnTypeInfo; fieldId: number; spec: number; isIndex: boolean };
type PageRecord = { elements: number; offset: number; size: number };
type ClusterRecord = { firstEntry: number; entries: number; columns: { elementOffset: number; pages: PageRecord[] }[] };

function badInput(message: string): AppError {
  return new AppError('BAD_REQUEST', message);
}

/**
 * Writes an RNTuple (binary format 1.0) in a new ROOT file: header envelope, each page as an RBlob key
 * (split/zigzag/delta encodings, ZLIB/LZ4/ZSTD or an external encoder such as LZMA, XXH3 page checksums), one page list per cluster group, the footer,
 * the `ROOT::RNTuple` anchor with its checksum, in the TFile container of `RootFileWriter` (keys list, the anchor's
 * streamer info, free segment) that ROOT, uproot and jsroot open. Clusters are written as they come, so files of any size are written in
 * bounded memory; the file is written under a temporary name and renamed when complete.
 */
export async function writeRNTuple(options: WriteRNTupleOptions): Promise<WriteRNTupleResult> {
  const xxh3 = await loadXxh3();
  const pageBytes = options.pageBytes ?? 1024 * 1024;
  const checksums = options.pageChecksums ?? true;
  const encoding = options.encoding ?? 'split';
  const perGroup = options.clustersPerGroup ?? Number.POSITIVE_INFINITY;
  assertName(options.name, 'RNTuple name');
  if (options.fields.length === 0) throw badInput('an RNTuple needs at least one field.');
  const settingsCode = options.externalCompression?.settingsCode;
  if (settingsCode !== undefined && !(Number.isInteger(settingsCode) && settingsCode > 100 && settingsCode < 1000)) {
    throw badInput(`externalCompression.settingsCode must be ROOT's 100 × algorithm + level (e.g. 206 for LZMA level 6), got ${settingsCode}.`);
  }

  const fields: FieldRecord[] = [];
  const columns: ColumnRecord[] = [];
  const specs = options.fields.map((spec) => {
    assertName(spec.name, 'field name');
    if (fields.some((f) => f.name === spec.name && f.parentId === fields.indexOf(f))) throw badInput(`field "${spec.name}" is given twice.`);
    const vector = /^std::vector<(.+)>$/.exec(spec.type);
    const element = (vector ? vector[1] : spec.type) as RNTupleWritableType;
    const codes = TYPE_CODES[element];
    if (!codes) throw badInput(`field "${spec.name}" has type ${spec.type}; the writer stores ${Object.keys(TYPE_CODES).join(', ')} and std::vector of them.`);
    const id = fields.length;
    const column = (code: number, fieldId: number, isIndex: boolean) => {
      columns.push({ type: columnTypeOf(code) as ColumnTypeInfo, fieldId, spec: fields.length, isIndex });
      return columns.length - 1;
    };
    if (vector) {
      fields.push({ name: spec.name, typeName: spec.type, parentId: id, role: 1 });
      const indexColumn = column(INDEX_CODES[encoding], id, true);
      fields.push({ name: '_0', typeName: element, parentId: id, role: 0 });
      const valueColumn = column(codes[encoding], id + 1, false);
      return { spec, element, indexColumn, valueColumn, array: codes.array };
    }
    fields.push({ name: spec.name, typeName: element, parentId: id, role: 0 });
    return { spec, element, indexColumn: -1, valueColumn: column(codes[encoding], id, false), array: codes.array };
  });

  const out = path.resolve(options.path);
  await fs.promises.mkdir(path.dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${randomBytes(6).toString('hex')}`;
  const file = await RootFileWriter.create(tmp, { compression: options.compression ?? DEFAULT_ROOT_COMPRESSION, fileName: path.basename(out), modifiedAt: options.date });
  try {
    const external = options.externalCompression;
    const compressed = external
      ? (bytes: Uint8Array) => {
          const framed = external.compress(bytes);
          return framed.length < bytes.length ? framed : bytes;
        }
      : (bytes: Uint8Array) => file.compress(bytes);
    const compressionCode = external ? external.settingsCode : file.compressionCode;
    const writeBlob = async (bytes: Uint8Array) => {
      const key = file.appendBlob(bytes, options.directory);
      return { offset: key.seek + key.keyBytes, size: bytes.length };
    };

    const header = new EnvelopeWriter();
    header.u64(0).string(options.name).string(options.description ?? '').string('hep-arena RNTuple writer');
    header.list(fields, (f) =>
      header.record(() => {
        header.u32(0).u32(0).u32(f.parentId).u16(f.role).u16(0).string(f.name).string(f.typeName).string('').string('');
      }),
    );
    header.list(columns, (c) => header.record(() => header.u16(c.type.code).u16(c.type.bits).u32(c.fieldId).u16(0).u16(0)));
    header.list([], () => {});
    header.list([], () => {});
    const headerEnvelope = header.envelope(ENVELOPE_HEADER, xxh3);
    const headerChecksum = new DataView(headerEnvelope.buffer, headerEnvelope.byteOffset + headerEnvelope.length - 8).getBigUint64(0, true);
    const headerStored = compressed(headerEnvelope);
    const headerLink = await writeBlob(headerStored);

    const elementsSoFar = columns.map(() => 0);
    const groups: { minEntry: number; entrySpan: number; clusters: number; link: { offset: number; size: number; length: number } }[] = [];
    let groupClusters: ClusterRecord[] = [];
    let entries = 0;
    let clusterCount = 0;
    const flushGroup = async () => {
      if (groupClusters.length === 0) return;
      const w = new EnvelopeWriter();
      w.u64(headerChecksum);
      w.list(groupClusters, (c) => w.record(() => w.u64(c.firstEntry).u64(c.entries)));
      w.list(groupClusters, (c) =>
        w.list(c.columns, (col) =>
          w.list(
            col.pages,
            (p) => w.i32(checksums ? -p.elements : p.elements).locator(p.offset, p.size),
            () => w.i64(col.elementOffset).u32(compressionCode),
          ),
        ),
      );
      const envelope = w.envelope(ENVELOPE_PAGE_LIST, xxh3);
      const link = await writeBlob(compressed(envelope));
      const first = groupClusters[0] as ClusterRecord;
      const last = groupClusters[groupClusters.length - 1] as ClusterRecord;
      groups.push({ minEntry: first.firstEntry, entrySpan: last.firstEntry + last.entries - first.firstEntry, clusters: groupClusters.length, link: { ...link, length: envelope.length } });
      groupClusters = [];
    };

    for await (const cluster of options.clusters) {
      const n = cluster.entries;
      if (!Number.isSafeInteger(n) || n <= 0) throw badInput(`cluster ${clusterCount} has ${n} entries; a cluster needs at least one.`);
      const columnData: WritableElements[] = columns.map(() => new Uint8Array(0));
      for (const f of specs) {
        const given = cluster.columns[f.spec.name];
        const where = `cluster ${clusterCount}, field "${f.spec.name}" (${f.spec.type})`;
        if (given === undefined) throw badInput(`${where}: no values given.`);
        if (f.indexColumn >= 0) {
          if (ArrayBuffer.isView(given) || !(given.offsets instanceof Int32Array)) throw badInput(`${where}: expected { offsets: Int32Array, values }.`);
          const { offsets, values } = given;
          if (offsets.length !== n + 1 || offsets[0] !== 0 || offsets[n] !== values.length) {
            throw badInput(`${where}: offsets must hold ${n + 1} values from 0 to the ${values.length} values, found ${offsets.length} from ${offsets[0]} to ${offsets[offsets.length - 1]}.`);
          }
          for (let i = 0; i < n; i++) if ((offsets[i + 1] as number) < (offsets[i] as number)) throw badInput(`${where}: offsets decrease at entry ${i}.`);
          assertArray(values, f.array, where);
          columnData[f.indexColumn] = offsets.subarray(1);
          columnData[f.valueColumn] = values;
        } else {
          if (!ArrayBuffer.isView(given)) throw badInput(`${where}: expected a ${f.array}.`);
          assertArray(given, f.array, where);
          if (given.length !== n) throw badInput(`${where}: ${given.length} values for ${n} entries.`);
          columnData[f.valueColumn] = given;
        }
      }
      const record: ClusterRecord = { firstEntry: entries, entries: n, columns: [] };
      for (const [c, column] of columns.entries()) {
        const values = columnData[c] as WritableElements;
        const perPage = Math.max(1, Math.floor((pageBytes * 8) / column.type.bits));
        const pages: PageRecord[] = [];
        for (let start = 0; start < values.length; start += perPage) {
          const slice = values.subarray(start, Math.min(values.length, start + perPage)) as WritableElements;
          const stored = compressed(encodePage(slice, column.type));
          const blob = checksums ? withChecksum(stored, xxh3) : stored;
          const at = await writeBlob(blob);
          pages.push({ elements: slice.length, offset: at.offset, size: stored.length });
        }
        record.columns.push({ elementOffset: elementsSoFar[c] as number, pages });
        elementsSoFar[c] = (elementsSoFar[c] as number) + values.length;
      }
      entries += n;
      clusterCount++;
      groupClusters.push(record);
      if (groupClusters.length >= perGroup) await flushGroup();
    }
    await flushGroup();
    if (clusterCount === 0) throw badInput('no clusters given; an RNTuple needs at least one entry.');

    const footer = new EnvelopeWriter();
    footer.u64(0).u64(headerChecksum);
    footer.record(() => {
      footer.list([], () => {});
      footer.list([], () => {});
      footer.list([], () => {});
      footer.list([], () => {});
    });
    footer.list(groups, (g) => footer.record(() => footer.u64(g.minEntry).u64(g.entrySpan).u32(g.clusters).u64(g.link.length).locator(g.link.offset, g.link.size)));
    const footerEnvelope = footer.envelope(ENVELOPE_FOOTER, xxh3);
    const footerLink = await writeBlob(compressed(footerEnvelope));

    const anchor = new DataView(new ArrayBuffer(78));
    anchor.setUint32(0, (0x40000000 | 66) >>> 0, false);
    anchor.setUint16(4, ANCHOR_CLASS_VERSION, false);
    [1, 0, 0, 0].forEach((v, i) => anchor.setUint16(6 + 2 * i, v, false));
    [headerLink.offset, headerLink.size, headerEnvelope.length, footerLink.offset, footerLink.size, footerEnvelope.length, 1 << 30].forEach((v, i) => anchor.setBigUint64(14 + 8 * i, BigInt(v), false));
    const anchorBytes = new Uint8Array(anchor.buffer);
    anchor.setBigUint64(70, xxh3(anchorBytes.subarray(6, 70)), false);
    const anchorKey = file.appendObject(ANCHOR_CLASS, options.name, '', () => anchorBytes, options.directory);
    file.close([{ name: ANCHOR_CLASS, info: RNTUPLE_STREAMER_INFO }]);
    const sizeBytes = file.position;
    await fs.promises.rename(tmp, out);
    return {
      path: out,
      entries,
      clusters: clusterCount,
      clusterGroups: groups.length,
      sizeBytes,
      anchor: { name: options.directory ? `${options.directory}/${options.name}` : options.name, seek: anchorKey.seek, keyBytes: anchorKey.keyBytes, totalBytes: anchorKey.totalBytes, objectBytes: anchorKey.objectBytes },
    };
  } catch (error) {
    file.abort();
    await fs.promises.rm(tmp, { force: true });
    throw error;
  }
}

function withChecksum(stored: Uint8Array, xxh3: Xxh3): Uint8Array {
  const out = new Uint8Array(stored.length + 8);
  out.set(stored);
  new DataView(out.buffer).setBigUint64(stored.length, xxh3(stored), true);
  return out;
}

function assertArray(values: ArrayBufferView, expected: string, where: string): void {
  if (values.constructor.name !== expected) throw badInput(`${where}: expected a ${expected}, got a ${values.constructor.name}.`);
}

function assertName(name: string, what: string): void {
  if (!name || /[.\s/\\\p{Cc}]/u.test(name)) throw badInput(`${what} "${name}" is empty or contains ".", "/", "\\", a space or a control character, which RNTuple names may not.`);
}
