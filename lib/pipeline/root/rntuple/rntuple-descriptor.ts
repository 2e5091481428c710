import { EnvelopeCursor } from './envelope-cursor';
import { type RNTupleLocation, rntupleError } from './rntuple-error';
import type { Xxh3 } from '../codecs/xxhash3';

/** Structural roles of a field (specification: "Field Description"). */
export type FieldRole = 'leaf' | 'collection' | 'record' | 'variant' | 'streamer' | 'unknown';
const ROLES: FieldRole[] = ['leaf', 'collection', 'record', 'variant', 'streamer'];

export type FieldDescriptor = {
  id: number;
  fieldVersion: number;
  typeVersion: number;
  parentId: number;
  role: FieldRole;
  roleCode: number;
  flags: number;
  name: string;
  typeName: string;
  typeAlias: string;
  description: string;
  /** Fixed-size arrays (repetitive fields): the number of items per parent item. */
  arraySize: number | null;
  /** Projected fields: the field they present under another type. */
  sourceFieldId: number | null;
};

export type ColumnDescriptor = {
  id: number;
  typeCode: number;
  bitsOnStorage: number;
  fieldId: number;
  flags: number;
  representationIndex: number;
  /** Deferred columns: elements before this index are zero (not stored). */
  firstElementIndex: number;
  /** Deferred and suppressed (negative first element index). */
  isDeferredSuppressed: boolean;
  valueRange: [number, number] | null;
};

export type AliasColumn = { physicalColumnId: number; fieldId: number };

export type SchemaDescription = { fields: FieldDescriptor[]; columns: ColumnDescriptor[]; aliases: AliasColumn[] };

export type HeaderDescriptor = SchemaDescription & { name: string; description: string; writer: string; featureFlags: bigint[]; checksum: bigint };

/** A byte range in the file (the standard and the "large" locator alike). */
export type Locator = { offset: number; size: number };
export type EnvelopeLink = Locator & { length: number };

export type ClusterGroupDescriptor = { index: number; minEntry: number; entrySpan: number; clusterCount: number; pageList: EnvelopeLink };

export type FooterDescriptor = { featureFlags: bigint[]; headerChecksum: bigint; extension: SchemaDescription; clusterGroups: ClusterGroupDescriptor[] };

export type PageDescriptor = { elements: number; hasChecksum: boolean; locator: Locator };

/** One column in one cluster: its pages (empty when suppressed), first element index and compression settings. */
export type ColumnRange = { elementOffset: number; isSuppressed: boolean; compression: number; pages: PageDescriptor[]; elements: number };

export type ClusterDescriptor = { id: number; group: number; firstEntry: number; entries: number; columns: ColumnRange[] };

export const ENVELOPE_HEADER = 0x01;
export const ENVELOPE_FOOTER = 0x02;
export const ENVELOPE_PAGE_LIST = 0x03;
const ENVELOPE_NAMES: Record<number, string> = { 1: 'header', 2: 'footer', 3: 'page list' };

/**
 * Checks an uncompressed envelope (type id, length, trailing XXH3-64 of everything before it) and returns a cursor
 * after its 8-byte preamble, with the payload (checksum excluded) as its bytes.
 */
export function openEnvelope(bytes: Uint8Array, expectedType: number, at: RNTupleLocation, xxh3: Xxh3): { cursor: EnvelopeCursor; checksum: bigint } {
  if (bytes.length < 16) throw rntupleError(at, `the ${ENVELOPE_NAMES[expectedType]} envelope has ${bytes.length} bytes, fewer than its preamble and checksum; the file is truncated or corrupt.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const typeAndLength = view.getBigUint64(0, true);
  const type = Number(typeAndLength & 0xffffn);
  const length = Number(typeAndLength >> 16n);
  if (type !== expectedType) {
    throw rntupleError(at, `expected a ${ENVELOPE_NAMES[expectedType]} envelope (type ${expectedType}), found type ${type}; the locator is wrong or the file is corrupt.`, {
      expected: String(expectedType),
      found: String(type),
    });
  }
  if (length !== bytes.length) {
    throw rntupleError(at, `the envelope says it has ${length} bytes, ${bytes.length} were read; the file is corrupt.`, { expected: String(length), found: String(bytes.length) });
  }
  const stored = view.getBigUint64(bytes.length - 8, true);
  const computed = xxh3(bytes.subarray(0, bytes.length - 8));
  if (stored !== computed) {
    throw rntupleError(at, `the ${ENVELOPE_NAMES[expectedType]} envelope fails its XXH3 checksum (stored ${hex(stored)}, computed ${hex(computed)}); the file is corrupt.`, {
      expected: hex(stored),
      found: hex(computed),
    });
  }
  const cursor = new EnvelopeCursor(bytes.subarray(0, bytes.length - 8), at);
  cursor.position = 8;
  return { cursor, checksum: stored };
}

export function hex(value: bigint): string {
  return value.toString(16).padStart(16, '0');
}

function assertKnownFeatures(cursor: EnvelopeCursor, flags: bigint[]): void {
  const unknown = flags.map((w, i) => (i < flags.length - 1 ? w & ~(1n << 63n) : w)).some((w) => w !== 0n);
  if (unknown) cursor.fail(`the RNTuple uses format features this reader does not know (feature flags ${flags.map(hex).join(' ')}); read it with a newer ROOT`);
}

function readField(c: EnvelopeCursor, id: number): FieldDescriptor {
  return c.record(`field ${id}`, () => {
    const fieldVersion = c.u32();
    const typeVersion = c.u32();
    const parentId = c.u32();
    const roleCode = c.u16();
    const flags = c.u16();
    const name = c.string(`the name of field ${id}`);
    const typeName = c.string(`the type of field ${id}`);
    const typeAlias = c.string(`the type alias of field ${id}`);
    const description = c.string(`the description of field ${id}`);
    const arraySize = flags & 0x01 ? c.u64(`the array size of field ${id}`) : null;
    const sourceFieldId = flags & 0x02 ? c.u32() : null;
    if (flags & 0x04) c.u32(); // ROOT type checksum, for I/O rules only
    return { id, fieldVersion, typeVersion, parentId, role: ROLES[roleCode] ?? 'unknown', roleCode, flags, name, typeName, typeAlias, description, arraySize, sourceFieldId };
  });
}

function readColumn(c: EnvelopeCursor, id: number): ColumnDescriptor {
  return c.record(`column ${id}`, () => {
    const typeCode = c.u16();
    const bitsOnStorage = c.u16();
    const fieldId = c.u32();
    const flags = c.u16();
    const representationIndex = c.u16();
    let firstElementIndex = 0;
    let isDeferredSuppressed = false;
    if (flags & 0x01) {
      const first = c.i64(`the first element index of column ${id}`);
      isDeferredSuppressed = first < 0;
      firstElementIndex = Math.abs(first);
    }
    const valueRange: [number, number] | null = flags & 0x02 ? [c.f64(), c.f64()] : null;
    return { id, typeCode, bitsOnStorage, fieldId, flags, representationIndex, firstElementIndex, isDeferredSuppressed, valueRange };
  });
}

function readSchema(c: EnvelopeCursor, firstFieldId: number, firstColumnId: number): SchemaDescription {
  const fields = c.list('the field list', (i) => readField(c, firstFieldId + i));
  const columns = c.list('the column list', (i) => readColumn(c, firstColumnId + i));
  const aliases = c.list('the alias column list', () => c.record('an alias column', () => ({ physicalColumnId: c.u32(), fieldId: c.u32() })));
  c.list('the extra type information list', () => c.record('an extra type information record', () => null));
  return { fields, columns, aliases };
}

export function parseHeaderEnvelope(bytes: Uint8Array, at: RNTupleLocation, xxh3: Xxh3): HeaderDescriptor {
  const { cursor: c, checksum } = openEnvelope(bytes, ENVELOPE_HEADER, at, xxh3);
  const featureFlags = c.featureFlags();
  assertKnownFeatures(c, featureFlags);
  const name = c.string('the RNTuple name');
  const description = c.string('the RNTuple description');
  const writer = c.string('the writer name');
  const schema = readSchema(c, 0, 0);
  return { name, description, writer, featureFlags, checksum, ...schema };
}

function readLocator(c: EnvelopeCursor, what: string): Locator {
  const head = c.i32();
  if (head >= 0) return { size: head, offset: c.u64(`the offset of ${what}`) };
  const start = c.position - 4;
  const locatorBytes = head & 0xffff;
  const typeByte = (head >>> 24) & 0xff;
  const type = Math.abs((typeByte << 24) >> 24);
  if ((type === 1 || (typeByte & 0x7f) === 1) && locatorBytes >= 20) {
    const size = c.u64(`the size of ${what}`);
    const offset = c.u64(`the offset of ${what}`);
    c.position = start + locatorBytes;
    return { size, offset };
  }
  return c.fail(`${what} has a locator of type ${type} (not a file locator); this reader reads RNTuples stored in ROOT files`);
}

function readEnvelopeLink(c: EnvelopeCursor, what: string): EnvelopeLink {
  const length = c.u64(`the length of ${what}`);
  return { length, ...readLocator(c, what) };
}

export function parseFooterEnvelope(bytes: Uint8Array, at: RNTupleLocation, xxh3: Xxh3, header: HeaderDescriptor): FooterDescriptor {
  const { cursor: c } = openEnvelope(bytes, ENVELOPE_FOOTER, at, xxh3);
  const featureFlags = c.featureFlags();
  assertKnownFeatures(c, featureFlags);
  const headerChecksum = c.u64Big();
  if (headerChecksum !== header.checksum) {
    c.fail(`the footer belongs to another header (header checksum ${hex(headerChecksum)}, the header's is ${hex(header.checksum)})`);
  }
  const extension = c.record('the schema extension', (end) =>
    c.position < end ? readSchema(c, header.fields.length, header.columns.length) : { fields: [], columns: [], aliases: [] },
  );
  const clusterGroups = c.list('the cluster group list', (index) =>
    c.record(`cluster group ${index}`, () => {
      const minEntry = c.u64('the first entry of a cluster group');
      const entrySpan = c.u64('the entry span of a cluster group');
      const clusterCount = c.u32();
      const pageList = readEnvelopeLink(c, `the page list of cluster group ${index}`);
      return { index, minEntry, entrySpan, clusterCount, pageList };
    }),
  );
  return { featureFlags, headerChecksum, extension, clusterGroups };
}

/** The clusters of one cluster group, with the page locations of every physical column. */
export function parsePageListEnvelope(bytes: Uint8Array, at: RNTupleLocation, xxh3: Xxh3, header: HeaderDescriptor, group: ClusterGroupDescriptor, firstClusterId: number): ClusterDescriptor[] {
  const { cursor: c } = openEnvelope(bytes, ENVELOPE_PAGE_LIST, at, xxh3);
  const headerChecksum = c.u64Big();
  if (headerChecksum !== header.checksum) c.fail(`the page list belongs to another header (header checksum ${hex(headerChecksum)}, the header's is ${hex(header.checksum)})`);
  const summaries = c.list('the cluster summaries', (i) =>
    c.record(`cluster summary ${i}`, () => {
      const firstEntry = c.u64('the first entry of a cluster');
      const word = c.u64Big();
      const flags = Number(word >> 56n);
      if (flags & 0x01) c.fail(`cluster ${firstClusterId + i} is sharded (flag 0x01), which format 1.0 readers cannot read`);
      return { firstEntry, entries: Number(word & 0x00ff_ffff_ffff_ffffn) };
    }),
  );
  const pageLocations = c.list('the page locations', (k) =>
    c.list(`the columns of cluster ${firstClusterId + k}`, (columnIndex) => {
      const pages: PageDescriptor[] = [];
      let elementOffset = 0;
      let isSuppressed = false;
      let compression = 0;
      c.list(
        `the pages of column ${columnIndex} in cluster ${firstClusterId + k}`,
        (p) => {
          const raw = c.i32();
          const locator = readLocator(c, `page ${p} of column ${columnIndex} in cluster ${firstClusterId + k}`);
          pages.push({ elements: Math.abs(raw), hasChecksum: raw < 0, locator });
        },
        () => {
          const offset = c.i64(`the element offset of column ${columnIndex}`);
          isSuppressed = offset < 0;
          elementOffset = isSuppressed ? 0 : offset;
          compression = isSuppressed ? 0 : c.u32();
        },
      );
      const elements = pages.reduce((sum, page) => sum + page.elements, 0);
      return { elementOffset, isSuppressed, compression, pages, elements };
    }),
  );
  if (summaries.length !== group.clusterCount || pageLocations.length !== summaries.length) {
    c.fail(`cluster group ${group.index} announces ${group.clusterCount} clusters, its page list has ${summaries.length} summaries and ${pageLocations.length} page location lists`);
  }
  return summaries.map((s, k) => ({ id: firstClusterId + k, group: group.index, firstEntry: s.firstEntry, entries: s.entries, columns: pageLocations[k] as ColumnRange[] }));
}
