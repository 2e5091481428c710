import { decompressRootBuffer } from '../codecs/decompress-root-buffer';
import type { DecodedData } from '../decoded-data';
import { NUMBER_ARRAYS, type NumberArray, type NumberElement } from '../value-type';
import { columnTypeName, columnTypeOf, pageBytes } from './column-types';
import { allocateUninitialisedElements, canDecodeInPlace, type DecodedElements, decodePageInPlace, decodePageInto, PageDecodeError } from './decode-page';
import { hex } from './rntuple-descriptor';
import { type RNTupleLocation, rntupleError } from './rntuple-error';
import type { FieldColumns, RNTupleColumnPlan } from './rntuple-schema';
import type { Xxh3 } from '../codecs/xxhash3';

/** One page as read from the file: its compressed bytes followed, when it has one, by its 8-byte checksum. */
export type PageBytes = { elements: number; hasChecksum: boolean; fileOffset: number; size: number; bytes: Uint8Array };

/** The pages of one physical column in one cluster (absent when the column has no pages there). */
export type ClusterColumnPages = { columnId: number; compression: number; pages: PageBytes[] };

/** What a decoder needs for one cluster: its entry count, the chosen representation of each field, the pages. */
export type ClusterTask = {
  file: string;
  ntuple: string;
  clusterId: number;
  entries: number;
  /** Field id → index of the column representation that is primary in this cluster. */
  representation: Record<number, number>;
  columns: Record<number, ClusterColumnPages>;
};

/** The selected columns of one cluster, in the order of the plans, as the TTree reader decodes its branches. */
export type DecodedCluster = { clusterId: number; entries: number; columns: DecodedData[] };

function fieldLabel(plan: RNTupleColumnPlan, columns: FieldColumns): string {
  return columns.fieldName === plan.name || columns.fieldName === '_0' ? plan.name : `${plan.name} (field ${columns.fieldName})`;
}

/**
 * Decodes the selected output columns of one cluster: verifies each page's XXH3 checksum, decompresses it (ZLIB,
 * LZ4, ZSTD, LZMA: the codecs of TTree baskets), decodes its encoding, then follows index and switch columns from
 * the entries down to the leaves, checking that element counts and offsets agree. Pure (no I/O), so it runs the same
 * on the main thread and in workers.
 */
export async function decodeCluster(task: ClusterTask, plans: readonly RNTupleColumnPlan[], xxh3: Xxh3): Promise<DecodedCluster> {
  const cache = new Map<number, DecodedElements>();
  const base: RNTupleLocation = { file: task.file, ntuple: task.ntuple, cluster: task.clusterId };

  const columnOf = (plan: RNTupleColumnPlan, columns: FieldColumns, position: number) => {
    const representation = columns.representations[task.representation[columns.fieldId] ?? 0] ?? columns.representations[0];
    const descriptor = representation?.[position];
    if (!descriptor) throw rntupleError({ ...base, field: fieldLabel(plan, columns) }, `has no column ${position}; the file is corrupt.`);
    return descriptor;
  };

  const elementsOf = async (plan: RNTupleColumnPlan, columns: FieldColumns, position: number, needed: number): Promise<DecodedElements> => {
    const descriptor = columnOf(plan, columns, position);
    const at = { ...base, field: fieldLabel(plan, columns), column: descriptor.id };
    let decoded = cache.get(descriptor.id);
    if (!decoded) {
      const type = columnTypeOf(descriptor.typeCode);
      if (!type) throw rntupleError(at, `has unknown column type 0x${descriptor.typeCode.toString(16)}.`);
      const pageColumn = { type, bitsOnStorage: descriptor.bitsOnStorage, valueRange: descriptor.valueRange };
      const pages = task.columns[descriptor.id]?.pages ?? [];
      const stored = pages.reduce((sum, page) => sum + page.elements, 0);
      // A deferred column (added while writing) has zeros, not stored, before its first element.
      const zeros = stored < needed && descriptor.firstElementIndex > 0 ? needed - stored : 0;
      if (stored + zeros !== needed) {
        throw rntupleError(at, `has ${stored} elements (${columnTypeName(descriptor.typeCode)}), but the cluster's entries and collections need ${needed}; the file is corrupt.`, {
          expected: String(needed),
          found: String(stored),
        });
      }
      const rawPage = async (p: number): Promise<Uint8Array> => {
        const page = pages[p] as PageBytes;
        const pageAt = { ...at, page: p, byteRange: [page.fileOffset, page.size + (page.hasChecksum ? 8 : 0)] as [number, number] };
        const compressed = page.bytes.subarray(0, page.size);
        if (page.hasChecksum) {
          const storedSum = new DataView(page.bytes.buffer, page.bytes.byteOffset + page.size, 8).getBigUint64(0, true);
          const computed = xxh3(compressed);
          if (storedSum !== computed) {
            throw rntupleError(pageAt, `fails its XXH3 checksum (stored ${hex(storedSum)}, computed ${hex(computed)}); the page is corrupt.`, { expected: hex(storedSum), found: hex(computed) });
          }
        }
        const length = pageBytes(page.elements, descriptor.bitsOnStorage);
        if (page.size === length) return compressed;
        try {
          return await decompressRootBuffer(compressed, length);
        } catch (cause) {
          throw rntupleError(pageAt, `does not decompress to ${length} bytes (${(cause as Error).message}).`, {}, cause);
        }
      };
      const decodeFailed = (p: number, cause: unknown): never => {
        const page = pages[p] as PageBytes;
        if (cause instanceof PageDecodeError) {
          throw rntupleError({ ...at, page: p, byteRange: [page.fileOffset, page.size + (page.hasChecksum ? 8 : 0)] }, `${cause.message} (${columnTypeName(descriptor.typeCode)}); the page is corrupt.`, {}, cause);
        }
        throw cause;
      };
      // Index columns are decoded after a leading 0, so that the array is the Arrow offsets of the collection.
      const isIndex = type.value === 'index';
      if (pages.length === 1 && zeros === 0 && canDecodeInPlace(pageColumn) && needed > 0) {
        // One page that inflated into a buffer of its own: decoded in that buffer, which becomes the column.
        const raw = await rawPage(0);
        if (raw.byteOffset === 0 && raw.buffer.byteLength === raw.length) {
          try {
            decoded = decodePageInPlace(raw, needed, pageColumn);
          } catch (cause) {
            decodeFailed(0, cause);
          }
          cache.set(descriptor.id, decoded as DecodedElements);
          return decoded as DecodedElements;
        }
      }
      decoded = allocateUninitialisedElements(isIndex ? { ...pageColumn, type: { ...type, encoding: 'plain' } } : pageColumn, needed + (isIndex ? 1 : 0));
      let position = zeros + (isIndex ? 1 : 0);
      // Every element is written by a page except the leading zeros (and the index's leading 0).
      if (ArrayBuffer.isView(decoded)) new Uint8Array(decoded.buffer, decoded.byteOffset, position * decoded.BYTES_PER_ELEMENT).fill(0);
      for (let p = 0; p < pages.length; p++) {
        const raw = await rawPage(p);
        try {
          decodePageInto(raw, (pages[p] as PageBytes).elements, pageColumn, decoded, position);
        } catch (cause) {
          decodeFailed(p, cause);
        }
        position += (pages[p] as PageBytes).elements;
      }
      cache.set(descriptor.id, decoded);
    } else {
      const count = elementCount(decoded, columnTypeOf(descriptor.typeCode)?.value === 'index');
      if (count !== needed) {
        throw rntupleError(at, `has ${count} elements (${columnTypeName(descriptor.typeCode)}), but the cluster's entries and collections need ${needed}; the file is corrupt.`, {
          expected: String(needed),
          found: String(count),
        });
      }
    }
    return decoded;
  };

  // Index columns decode to the collection's Arrow offsets (a leading 0, then ends checked not to decrease).
  const offsetsOf = async (plan: RNTupleColumnPlan, columns: FieldColumns, position: number, count: number): Promise<Int32Array> => (await elementsOf(plan, columns, position, count)) as Int32Array;

  const build = async (plan: RNTupleColumnPlan, stepIndex: number, count: number): Promise<DecodedData> => {
    const step = plan.steps[stepIndex];
    if (!step) return buildLeaf(plan, count);
    if (step.kind === 'fixed') return { kind: 'fixed-list', size: step.size, item: await build(plan, stepIndex + 1, count * step.size) };
    if (step.kind === 'list') {
      const offsets = await offsetsOf(plan, step.columns, 0, count);
      return { kind: 'list', offsets, item: await build(plan, stepIndex + 1, offsets[count] as number) };
    }
    const switches = (await elementsOf(plan, step.columns, 0, count)) as { index: Int32Array; tag: Int32Array };
    const offsets = new Int32Array(count + 1);
    let chosen = 0;
    for (let i = 0; i < count; i++) {
      if (switches.tag[i] === step.tag) {
        if (switches.index[i] !== chosen) {
          throw rntupleError({ ...base, field: fieldLabel(plan, step.columns) }, `variant item ${i} points to element ${switches.index[i]} of alternative ${step.tag - 1}, expected ${chosen} (elements out of order are not supported).`);
        }
        chosen++;
      }
      offsets[i + 1] = chosen;
    }
    return { kind: 'list', offsets, item: await build(plan, stepIndex + 1, chosen) };
  };

  const buildLeaf = async (plan: RNTupleColumnPlan, count: number): Promise<DecodedData> => {
    const leaf = plan.leaf;
    if (leaf.kind === 'string') {
      const offsets = await offsetsOf(plan, leaf.columns, 0, count);
      const bytes = (await elementsOf(plan, leaf.columns, 1, offsets[count] as number)) as Uint8Array;
      return { kind: 'string', offsets, bytes };
    }
    if (leaf.kind === 'cardinality') {
      const offsets = await offsetsOf(plan, leaf.columns, 0, count);
      const sizes = leaf.type === 'uint32' ? new Uint32Array(count) : new BigUint64Array(count);
      for (let i = 0; i < count; i++) {
        const size = (offsets[i + 1] as number) - (offsets[i] as number);
        if (sizes instanceof Uint32Array) sizes[i] = size;
        else sizes[i] = BigInt(size);
      }
      return { kind: 'number', element: leaf.type, values: sizes };
    }
    const values = (await elementsOf(plan, leaf.columns, 0, count)) as NumberArray;
    if (leaf.type === 'bool') return { kind: 'bool', values: convertNumbers(values, 'uint8', true) as Uint8Array };
    return { kind: 'number', element: leaf.type, values: convertNumbers(values, leaf.type, false) };
  };

  const columns: DecodedData[] = [];
  for (const plan of plans) columns.push(await build(plan, 0, task.entries));
  return { clusterId: task.clusterId, entries: task.entries, columns };
}

function elementCount(decoded: DecodedElements, isIndex = false): number {
  return ArrayBuffer.isView(decoded) ? decoded.length - (isIndex ? 1 : 0) : decoded.tag.length;
}

/** Values in the field's in-memory type (e.g. a Double32_t's Real32 column as float64); booleans as 0/1. */
function convertNumbers(values: NumberArray, type: NumberElement, isBool: boolean): NumberArray {
  const Target = NUMBER_ARRAYS[type];
  if (!isBool && values instanceof (Target as unknown as typeof Float32Array)) return values;
  const out: NumberArray = new Target(values.length);
  const isBigTarget = out instanceof BigInt64Array || out instanceof BigUint64Array;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number | bigint;
    if (isBool) (out as Uint8Array)[i] = v ? 1 : 0;
    else if (isBigTarget) (out as BigInt64Array)[i] = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
    else (out as Float64Array)[i] = Number(v);
  }
  return out;
}
