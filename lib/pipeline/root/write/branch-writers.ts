import { AppError } from '@/lib/shared/app-error';
import type { RootElementType, RootNumericArray } from '../root-types';
import { NUMBER_ARRAYS } from '../value-type';
import { LEAF_OF_TYPE, type TreeBranchSpec, vectorElementOf } from './branch-types';
import { keyHeaderBytes, type RootFileWriter } from './root-file-writer';
import type { RootWriteBuffer } from './root-write-buffer';
import { BYTE_COUNT_FLAG } from './root-write-buffer';

/** TBasket header after the key: version, fBufferSize, fNevBufSize, fNevBuf, fLast, flag. */
export const BASKET_HEADER_BYTES = 19;
const BASKET_VERSION = 3;
/** TTree::fDefaultEntryOffsetLen: the initial size of a basket's entry-offset table. */
export const DEFAULT_ENTRY_OFFSET_LEN = 1000;
/** Per-entry header of a streamed std::vector: byte count (4), version (2), element count (4). */
const VECTOR_ENTRY_HEADER_BYTES = 10;
/** The version ROOT writes in front of every streamed std::vector entry (seen in every ROOT-written vector branch). */
const VECTOR_ENTRY_VERSION = 9;
const MAX_BYTE_COUNT = BYTE_COUNT_FLAG - 1;
const IS_LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The values of one branch for a batch of entries. */
export type BranchColumn = RootNumericArray | ArrayLike<number | bigint | boolean> | { values: RootNumericArray | ArrayLike<number | bigint | boolean>; offsets: ArrayLike<number> } | readonly string[];

const ARRAY_OF_TYPE = { ...NUMBER_ARRAYS, bool: Uint8Array } as const;

const INTEGER_RANGE: Partial<Record<RootElementType, [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

function badValue(where: string, row: number, type: RootElementType, found: unknown): AppError {
  return new AppError('BAD_REQUEST', `${where} row ${row}: ${String(found)} is not a valid ${type} value.`, { column: where, row, expected: type, found: String(found) });
}

/**
 * The values as the typed array of `type` (no copy when they already are one). Plain arrays and other typed arrays
 * are converted, checking that integers are whole and in range and booleans are 0/1 or true/false.
 */
export function toElementArray(type: RootElementType, values: RootNumericArray | ArrayLike<number | bigint | boolean>, where: string): RootNumericArray {
  const Ctor = ARRAY_OF_TYPE[type];
  if (values instanceof Ctor && (type !== 'bool' || (values as Uint8Array).every((v) => v <= 1))) return values as RootNumericArray;
  const n = values.length;
  if (type === 'int64' || type === 'uint64') {
    const out = type === 'int64' ? new BigInt64Array(n) : new BigUint64Array(n);
    const min = type === 'int64' ? -(1n << 63n) : 0n;
    const max = type === 'int64' ? (1n << 63n) - 1n : (1n << 64n) - 1n;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      let big: bigint;
      if (typeof v === 'bigint') big = v;
      else if (typeof v === 'number' && Number.isInteger(v)) big = BigInt(v);
      else throw badValue(where, i, type, v);
      if (big < min || big > max) throw badValue(where, i, type, v);
      out[i] = big;
    }
    return out;
  }
  const out = new Ctor(n) as Exclude<RootNumericArray, BigInt64Array | BigUint64Array>;
  const range = INTEGER_RANGE[type];
  for (let i = 0; i < n; i++) {
    const raw = values[i];
    const v = typeof raw === 'boolean' ? (raw ? 1 : 0) : typeof raw === 'bigint' ? Number(raw) : raw;
    if (typeof v !== 'number') throw badValue(where, i, type, raw);
    if (type === 'bool') {
      if (v !== 0 && v !== 1) throw badValue(where, i, type, raw);
    } else if (range && !(Number.isInteger(v) && v >= range[0] && v <= range[1])) {
      throw badValue(where, i, type, raw);
    }
    out[i] = v as number;
  }
  return out;
}

/** The element bytes of `values[start, end)` in big-endian order (a fresh copy). */
function bigEndianBytes(values: RootNumericArray, start: number, end: number, size: number): Uint8Array {
  const source = new Uint8Array(values.buffer, values.byteOffset + start * size, (end - start) * size);
  const copy = Buffer.from(source);
  if (IS_LITTLE_ENDIAN_HOST && size > 1) {
    if (size === 2) copy.swap16();
    else if (size === 4) copy.swap32();
    else copy.swap64();
  }
  return copy;
}

function copyInto(target: Uint8Array, targetOffset: number, source: Uint8Array, start: number, count: number): void {
  if (count < 32) {
    for (let k = 0; k < count; k++) target[targetOffset + k] = source[start + k] as number;
  } else {
    target.set(source.subarray(start, start + count), targetOffset);
  }
}

/** The leaf written under a branch (plain data; its identity is its object tag in the TTree record). */
export type LeafRecord = {
  leafClass: string;
  name: string;
  title: string;
  len: number;
  lenType: number;
  isUnsigned: boolean;
  /** fMinimum/fMaximum (TLeafC: the longest string + 1). */
  minimum: number;
  maximum: number;
};

/**
 * Fills the baskets of one branch and writes each to the file as soon as it is full, so memory holds one basket per
 * branch whatever the number of entries. Keeps the basket index (fBasketBytes, fBasketEntry, fBasketSeek) and the
 * byte totals the TTree record needs.
 */
export abstract class BranchWriter {
  readonly spec: TreeBranchSpec;
  readonly basketSize: number;
  /** fEntryOffsetLen: 0 for fixed-size entries. */
  entryOffsetLen: number;
  entries = 0;
  totalBytes = 0;
  zipBytes = 0;
  readonly basketSeeks: number[] = [];
  readonly basketBytes: number[] = [];
  /** First entry of each basket, then the entry after the last one. */
  readonly basketEntries: number[] = [0];
  protected data: Uint8Array;
  protected view: DataView;
  protected dataLength = 0;
  protected entriesInBasket = 0;
  protected entryOffsets: Int32Array;
  /** fKeylen of this branch's baskets: a 64-bit TKey with "TBasket", branch and tree name, plus the TBasket header. */
  readonly keyBytes: number;
  private readonly treeName: string;
  private readonly file: RootFileWriter;

  constructor(spec: TreeBranchSpec, treeName: string, basketSize: number, file: RootFileWriter, variableSize: boolean) {
    this.spec = spec;
    this.treeName = treeName;
    this.basketSize = basketSize;
    this.file = file;
    this.entryOffsetLen = variableSize ? DEFAULT_ENTRY_OFFSET_LEN : 0;
    this.keyBytes = keyHeaderBytes(true, 'TBasket', spec.name, treeName) + BASKET_HEADER_BYTES;
    this.data = new Uint8Array(basketSize);
    this.view = new DataView(this.data.buffer);
    this.entryOffsets = new Int32Array(variableSize ? 256 : 0);
  }

  get basketCount(): number {
    return this.basketSeeks.length;
  }

  /** The leaf under this branch. */
  abstract get leaf(): LeafRecord;

  /** Appends entries `start … end − 1` of the batch column (already validated and converted). */
  abstract append(column: PreparedColumn, start: number, end: number): void;

  protected reserve(extra: number): void {
    const needed = this.dataLength + extra;
    if (needed <= this.data.length) return;
    let capacity = this.data.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.data.subarray(0, this.dataLength));
    this.data = grown;
    this.view = new DataView(grown.buffer);
  }

  protected recordEntryStart(): void {
    if (this.entriesInBasket === this.entryOffsets.length) {
      const grown = new Int32Array(this.entryOffsets.length * 2);
      grown.set(this.entryOffsets);
      this.entryOffsets = grown;
    }
    this.entryOffsets[this.entriesInBasket] = this.keyBytes + this.dataLength;
  }

  /** Bytes of the basket payload before compression: entry data, then (variable size) the entry-offset table. */
  protected payload(): Uint8Array {
    if (this.entryOffsetLen === 0) return this.data.subarray(0, this.dataLength);
    const n = this.entriesInBasket;
    const out = new Uint8Array(this.dataLength + 4 * (n + 2));
    out.set(this.data.subarray(0, this.dataLength));
    // TBasket::WriteBuffer writes the count fNevBuf + 1, then as many offsets; the last slot is never filled and stays 0.
    const table = new Int32Array(n + 2);
    table[0] = n + 1;
    table.set(this.entryOffsets.subarray(0, n), 1);
    const tableBytes = new Uint8Array(table.buffer);
    if (IS_LITTLE_ENDIAN_HOST) Buffer.from(table.buffer).swap32();
    out.set(tableBytes, this.dataLength);
    return out;
  }

  /** Hook for branches that keep their data in host byte order until the basket is written. */
  protected toBigEndianInPlace(): void {}

  /** Writes the basket in progress (if it holds entries) and starts an empty one. */
  flushBasket(): void {
    const n = this.entriesInBasket;
    if (n === 0) return;
    this.toBigEndianInPlace();
    const payload = this.payload();
    const index = this.basketCount;
    let nevBufSize = this.leaf.lenType * this.leaf.len;
    if (this.entryOffsetLen > 0) {
      // TBasket::Update doubles the offset table whenever it fills; ROOT keeps the grown size for the first 10 baskets.
      nevBufSize = this.entryOffsetLen;
      while (nevBufSize <= n) nevBufSize = Math.max(10, 2 * nevBufSize);
      if (index < 10) this.entryOffsetLen = nevBufSize;
    }
    const last = this.keyBytes + this.dataLength;
    const written = this.file.appendBasket({
      branchName: this.spec.name,
      treeName: this.treeName,
      basketHeaderBytes: BASKET_HEADER_BYTES,
      cycle: index,
      basketHeader: (buffer: RootWriteBuffer) => {
        buffer.i16(BASKET_VERSION).i32(Math.max(this.basketSize, last)).i32(nevBufSize).i32(n).i32(last).u8(0);
      },
      payload,
    });
    this.basketSeeks.push(written.seek);
    this.basketBytes.push(written.totalBytes);
    this.basketEntries.push(this.entries);
    this.totalBytes += written.objectBytes + written.keyBytes;
    this.zipBytes += written.totalBytes;
    this.dataLength = 0;
    this.entriesInBasket = 0;
  }
}

/** A batch column after validation: typed values, and offsets for vectors. */
export type PreparedColumn = { values: RootNumericArray; offsets: null } | { values: RootNumericArray; offsets: ArrayLike<number> } | { strings: readonly string[] };

/** One number per entry (TBranch + TLeafB/S/I/L/F/D/O). Values are copied in host order and swapped per basket. */
export class NumberBranchWriter extends BranchWriter {
  private readonly size: number;
  private readonly leafRecord: LeafRecord;

  constructor(spec: Extract<TreeBranchSpec, { kind: 'number' }>, treeName: string, basketSize: number, file: RootFileWriter) {
    super(spec, treeName, Math.max(basketSize, LEAF_OF_TYPE[spec.type].size), file, false);
    const leaf = LEAF_OF_TYPE[spec.type];
    this.size = leaf.size;
    const leafName = spec.leafName ?? spec.name;
    this.leafRecord = { leafClass: leaf.leafClass, name: leafName, title: leafName, len: 1, lenType: leaf.size, isUnsigned: leaf.isUnsigned, minimum: 0, maximum: 0 };
  }

  get leaf(): LeafRecord {
    return this.leafRecord;
  }

  /** TBranch title: the leaf list, e.g. "pt/F". */
  get title(): string {
    const spec = this.spec as Extract<TreeBranchSpec, { kind: 'number' }>;
    return spec.title ?? `${this.leafRecord.name}/${LEAF_OF_TYPE[spec.type].letter}`;
  }

  append(column: PreparedColumn, start: number, end: number): void {
    const values = (column as { values: RootNumericArray }).values;
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    const size = this.size;
    let i = start;
    while (i < end) {
      const room = Math.max(1, Math.floor((this.basketSize - this.dataLength) / size));
      const n = Math.min(room, end - i);
      this.reserve(n * size);
      copyInto(this.data, this.dataLength, bytes, i * size, n * size);
      this.dataLength += n * size;
      this.entriesInBasket += n;
      this.entries += n;
      i += n;
      if (this.dataLength + size > this.basketSize) this.flushBasket();
    }
  }

  protected override toBigEndianInPlace(): void {
    if (!IS_LITTLE_ENDIAN_HOST || this.size === 1) return;
    const buffer = Buffer.from(this.data.buffer, this.data.byteOffset, this.dataLength);
    if (this.size === 2) buffer.swap16();
    else if (this.size === 4) buffer.swap32();
    else buffer.swap64();
  }
}

/** A std::vector<T> per entry (TBranchElement + TLeafElement), streamed as ROOT does: byte count, version, size, elements. */
export class VectorBranchWriter extends BranchWriter {
  private readonly size: number;
  private readonly leafRecord: LeafRecord;
  /** "vector<float>", the class of the branch. */
  readonly className: string;
  readonly elementRootTypeName: string;
  readonly elementTypeCode: number;

  constructor(spec: Extract<TreeBranchSpec, { kind: 'vector' }>, treeName: string, basketSize: number, file: RootFileWriter) {
    super(spec, treeName, basketSize, file, true);
    const element = vectorElementOf(spec.type, spec.elementTypeName);
    if (!element) {
      throw new AppError('BAD_REQUEST', `branch "${spec.name}": "${spec.elementTypeName}" is not a C++ spelling of ${spec.type}.`, { column: spec.name, expected: spec.type, found: String(spec.elementTypeName) });
    }
    this.size = LEAF_OF_TYPE[spec.type].size;
    this.className = `vector<${element.cppName}>`;
    this.elementRootTypeName = element.rootTypeName;
    this.elementTypeCode = element.typeCode;
    this.leafRecord = { leafClass: 'TLeafElement', name: spec.name, title: spec.name, len: 1, lenType: 0, isUnsigned: false, minimum: 0, maximum: 0 };
  }

  get leaf(): LeafRecord {
    return this.leafRecord;
  }

  append(column: PreparedColumn, start: number, end: number): void {
    const { values, offsets } = column as { values: RootNumericArray; offsets: ArrayLike<number> };
    const size = this.size;
    const first = offsets[start] as number;
    const elements = bigEndianBytes(values, first, offsets[end] as number, size);
    const flushAt = this.basketSize;
    for (let r = start; r < end; r++) {
      const from = ((offsets[r] as number) - first) * size;
      const count = (offsets[r + 1] as number) - (offsets[r] as number);
      const bytes = count * size;
      if (bytes + 6 > MAX_BYTE_COUNT) {
        throw new AppError('BAD_REQUEST', `branch "${this.spec.name}" entry ${this.entries}: a vector of ${count} elements is larger than ROOT's 1 GiB object limit.`, { column: this.spec.name, row: r });
      }
      if (this.dataLength + VECTOR_ENTRY_HEADER_BYTES + bytes > this.data.length) this.reserve(VECTOR_ENTRY_HEADER_BYTES + bytes);
      if (this.entriesInBasket === this.entryOffsets.length) this.recordEntryStart();
      const at = this.dataLength;
      this.entryOffsets[this.entriesInBasket] = this.keyBytes + at;
      // Byte count (with ROOT's 0x40000000 flag), version 9, element count: big-endian, byte by byte.
      const data = this.data;
      const byteCount = (bytes + 6) | BYTE_COUNT_FLAG;
      data[at] = byteCount >>> 24;
      data[at + 1] = (byteCount >>> 16) & 255;
      data[at + 2] = (byteCount >>> 8) & 255;
      data[at + 3] = byteCount & 255;
      data[at + 4] = 0;
      data[at + 5] = VECTOR_ENTRY_VERSION;
      data[at + 6] = count >>> 24;
      data[at + 7] = (count >>> 16) & 255;
      data[at + 8] = (count >>> 8) & 255;
      data[at + 9] = count & 255;
      copyInto(data, at + VECTOR_ENTRY_HEADER_BYTES, elements, from, bytes);
      this.dataLength = at + VECTOR_ENTRY_HEADER_BYTES + bytes;
      this.entriesInBasket++;
      this.entries++;
      if (this.dataLength + 4 * (this.entriesInBasket + 2) >= flushAt) this.flushBasket();
    }
  }
}

/** A C string per entry (TBranch + TLeafC): a length byte (255 and a 4-byte length from 255 bytes on), then UTF-8. */
export class StringBranchWriter extends BranchWriter {
  private readonly leafRecord: LeafRecord;

  constructor(spec: Extract<TreeBranchSpec, { kind: 'string' }>, treeName: string, basketSize: number, file: RootFileWriter) {
    super(spec, treeName, basketSize, file, true);
    this.leafRecord = { leafClass: 'TLeafC', name: spec.name, title: spec.name, len: 1, lenType: 1, isUnsigned: false, minimum: 0, maximum: 0 };
  }

  get leaf(): LeafRecord {
    return this.leafRecord;
  }

  get title(): string {
    return `${this.spec.name}/C`;
  }

  append(column: PreparedColumn, start: number, end: number): void {
    const { strings } = column as { strings: readonly string[] };
    for (let r = start; r < end; r++) {
      const text = strings[r] as string;
      const length = Buffer.byteLength(text, 'utf8');
      this.reserve(5 + length);
      this.recordEntryStart();
      let at = this.dataLength;
      if (length < 255) {
        this.data[at++] = length;
      } else {
        this.data[at++] = 255;
        this.view.setInt32(at, length);
        at += 4;
      }
      if (length > 0) Buffer.from(this.data.buffer, this.data.byteOffset + at, length).write(text, 'utf8');
      this.dataLength = at + length;
      // TLeafC::FillBasket keeps fLen and fMaximum one above the longest string.
      if (length >= this.leafRecord.maximum) this.leafRecord.maximum = length + 1;
      if (length >= this.leafRecord.len) this.leafRecord.len = length + 1;
      this.entriesInBasket++;
      this.entries++;
      if (this.dataLength + 4 * (this.entriesInBasket + 2) >= this.basketSize) this.flushBasket();
    }
  }
}
