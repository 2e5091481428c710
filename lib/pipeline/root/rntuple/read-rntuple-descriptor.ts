import type { ByteSource } from '../byte-source';
import { decompressRootBuffer } from '../codecs/decompress-root-buffer';
import { readRNTupleAnchor, type RNTupleAnchor, type RNTupleKeyLocation } from './read-rntuple-anchor';
import {
  type AliasColumn,
  type ClusterDescriptor,
  type ClusterGroupDescriptor,
  type ColumnDescriptor,
  type FieldDescriptor,
  type HeaderDescriptor,
  parseFooterEnvelope,
  parseHeaderEnvelope,
  parsePageListEnvelope,
} from './rntuple-descriptor';
import { type RNTupleLocation, rntupleError } from './rntuple-error';
import { loadXxh3 } from '../codecs/xxhash3';

/** Everything the metadata of one RNTuple says: schema (header + extension), cluster groups and clusters. */
export type RNTupleDescriptor = {
  name: string;
  fileName: string;
  anchor: RNTupleAnchor;
  description: string;
  writer: string;
  fields: FieldDescriptor[];
  columns: ColumnDescriptor[];
  aliases: AliasColumn[];
  clusterGroups: ClusterGroupDescriptor[];
  clusters: ClusterDescriptor[];
  entries: number;
  /** Compressed bytes of all pages (without page checksums). */
  compressedBytes: number;
};

/** Reads `size` bytes at `offset` and inflates them to `length` when they are compressed (size < length). */
export async function readCompressedBlob(source: ByteSource, offset: number, size: number, length: number, at: RNTupleLocation, maxKeySize = Number.POSITIVE_INFINITY): Promise<Uint8Array> {
  if (size > maxKeySize) {
    throw rntupleError({ ...at, byteRange: [offset, size] }, `is larger than the file's largest key (${maxKeySize} bytes), so it is split over several keys, which this reader does not read.`);
  }
  if (offset + size > source.sizeBytes) {
    throw rntupleError({ ...at, byteRange: [offset, size] }, `the range lies beyond the end of the ${source.sizeBytes}-byte file; the file is truncated.`);
  }
  const bytes = await source.read(offset, size);
  if (size === length) return bytes;
  try {
    return await decompressRootBuffer(bytes, length);
  } catch (cause) {
    throw rntupleError({ ...at, byteRange: [offset, size] }, `does not decompress to ${length} bytes (${(cause as Error).message}).`, {}, cause);
  }
}

/**
 * Reads the anchor, header, footer and every cluster group's page list of an RNTuple (metadata only: no page is
 * read), checking each checksum and that header, footer and page lists belong together.
 */
export async function readRNTupleDescriptor(source: ByteSource, key: RNTupleKeyLocation): Promise<RNTupleDescriptor> {
  const xxh3 = await loadXxh3();
  const anchor = await readRNTupleAnchor(source, key, xxh3);
  const base = { file: source.name, ntuple: key.name };
  const headerAt = { ...base, part: 'header envelope', byteRange: [anchor.header.offset, anchor.header.size] as [number, number] };
  const header: HeaderDescriptor = parseHeaderEnvelope(await readCompressedBlob(source, anchor.header.offset, anchor.header.size, anchor.header.length, headerAt, anchor.maxKeySize), headerAt, xxh3);
  const footerAt = { ...base, part: 'footer envelope', byteRange: [anchor.footer.offset, anchor.footer.size] as [number, number] };
  const footer = parseFooterEnvelope(await readCompressedBlob(source, anchor.footer.offset, anchor.footer.size, anchor.footer.length, footerAt, anchor.maxKeySize), footerAt, xxh3, header);
  const fields = [...header.fields, ...footer.extension.fields];
  const columns = [...header.columns, ...footer.extension.columns];
  const clusters: ClusterDescriptor[] = [];
  for (const group of footer.clusterGroups) {
    const at = { ...base, part: `page list of cluster group ${group.index}`, byteRange: [group.pageList.offset, group.pageList.size] as [number, number] };
    const bytes = await readCompressedBlob(source, group.pageList.offset, group.pageList.size, group.pageList.length, at, anchor.maxKeySize);
    clusters.push(...parsePageListEnvelope(bytes, at, xxh3, header, group, clusters.length));
  }
  clusters.sort((a, b) => a.firstEntry - b.firstEntry);
  let entries = 0;
  for (const cluster of clusters) {
    if (cluster.firstEntry !== entries) {
      throw rntupleError({ ...base, part: 'cluster summaries', cluster: cluster.id }, `starts at entry ${cluster.firstEntry}, but the clusters before it end at entry ${entries}; the file is corrupt.`);
    }
    entries += cluster.entries;
    if (cluster.columns.length > columns.length) {
      throw rntupleError({ ...base, part: 'page list', cluster: cluster.id }, `lists pages for ${cluster.columns.length} columns, the schema has ${columns.length}; the file is corrupt.`);
    }
  }
  for (const field of fields) {
    if (field.parentId >= fields.length) throw rntupleError({ ...base, part: 'header envelope', field: field.name }, `has parent field ${field.parentId}, but there are ${fields.length} fields; the file is corrupt.`);
  }
  for (const column of columns) {
    if (column.fieldId >= fields.length) throw rntupleError({ ...base, part: 'header envelope', column: column.id }, `belongs to field ${column.fieldId}, but there are ${fields.length} fields; the file is corrupt.`);
  }
  const compressedBytes = clusters.reduce((sum, c) => sum + c.columns.reduce((s, col) => s + col.pages.reduce((p, page) => p + page.locator.size, 0), 0), 0);
  return { name: key.name, fileName: source.name, anchor, description: header.description, writer: header.writer, fields, columns, aliases: [...header.aliases, ...footer.extension.aliases], clusterGroups: footer.clusterGroups, clusters, entries, compressedBytes };
}
