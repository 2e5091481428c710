import { ELEMENT_BYTES, type NumberArray, type NumberElement, numberArrayOf, type ValueType } from './value-type';

/**
 * Decoded values of one branch over a range of entries, as plain typed arrays (host byte order) shaped like
 * Arrow's layouts: `bool` keeps one byte per value (packed into bits when the Arrow batch is made), lists and
 * strings carry Int32 offsets starting at 0. Everything in it can be transferred between threads.
 */
export type DecodedData =
  | { kind: 'number'; element: NumberElement; values: NumberArray }
  | { kind: 'bool'; values: Uint8Array }
  | { kind: 'string'; offsets: Int32Array; bytes: Uint8Array }
  | { kind: 'list'; offsets: Int32Array; item: DecodedData }
  | { kind: 'fixed-list'; size: number; item: DecodedData }
  | { kind: 'struct'; length: number; fields: DecodedData[] };

export function decodedLength(data: DecodedData): number {
  switch (data.kind) {
    case 'number':
    case 'bool':
      return data.values.length;
    case 'string':
    case 'list':
      return data.offsets.length - 1;
    case 'fixed-list':
      return data.size === 0 ? 0 : decodedLength(data.item) / data.size;
    case 'struct':
      return data.length;
  }
}

/** The part of `data` that a flattened column takes (see flattenValueType): struct fields picked along `path`. */
export function flattenDecoded(data: DecodedData, path: readonly number[]): DecodedData {
  if (path.length === 0) return data;
  switch (data.kind) {
    case 'struct': {
      const [index, ...rest] = path as [number, ...number[]];
      return flattenDecoded(data.fields[index] as DecodedData, rest);
    }
    case 'list':
      return { kind: 'list', offsets: data.offsets, item: flattenDecoded(data.item, path) };
    case 'fixed-list':
      return { kind: 'fixed-list', size: data.size, item: flattenDecoded(data.item, path) };
    default:
      throw new Error(`flattenDecoded: path ${path.join('.')} runs past a ${data.kind}`);
  }
}

/** Every ArrayBuffer under `data`, for transferring it to another thread. */
export function decodedBuffers(data: DecodedData, out: ArrayBuffer[] = []): ArrayBuffer[] {
  const add = (view: ArrayBufferView) => {
    const buffer = view.buffer as ArrayBuffer;
    if (!out.includes(buffer)) out.push(buffer);
  };
  switch (data.kind) {
    case 'number':
    case 'bool':
      add(data.values);
      break;
    case 'string':
      add(data.offsets);
      add(data.bytes);
      break;
    case 'list':
      add(data.offsets);
      decodedBuffers(data.item, out);
      break;
    case 'fixed-list':
      decodedBuffers(data.item, out);
      break;
    case 'struct':
      for (const f of data.fields) decodedBuffers(f, out);
      break;
  }
  return out;
}

const IS_LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Converts big-endian elements to host order in place (node's Buffer.swapN is native). */
export function swapToHostOrder(bytes: Uint8Array, elementBytes: number): void {
  if (!IS_LITTLE_ENDIAN_HOST || elementBytes === 1 || bytes.length === 0) return;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (elementBytes === 2) buffer.swap16();
  else if (elementBytes === 4) buffer.swap32();
  else buffer.swap64();
}

/** A byte buffer that grows by doubling; it always starts at offset 0 of its own ArrayBuffer, so any typed array can view it. */
class Bytes {
  bytes: Uint8Array;
  length = 0;
  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(8, capacity));
  }
  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
  /** The bytes written so far in a buffer of exactly that size (copied only when there is slack). */
  exact(): Uint8Array {
    if (this.length === this.bytes.length) return this.bytes;
    const out = new Uint8Array(this.length);
    out.set(this.bytes.subarray(0, this.length));
    return out;
  }
}

/** Growable Int32 offsets starting with 0. */
class Offsets {
  values: Int32Array;
  length = 1;
  constructor(capacity: number) {
    this.values = new Int32Array(Math.max(2, capacity + 1));
  }
  push(end: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = end;
  }
  last(): number {
    return this.values[this.length - 1] as number;
  }
  exact(): Int32Array {
    return this.length === this.values.length ? this.values : this.values.slice(0, this.length);
  }
}

export interface Builder {
  readonly type: ValueType;
  /** Number of values appended. */
  length(): number;
  finish(): DecodedData;
}

export class NumberBuilder implements Builder {
  readonly type: ValueType;
  private readonly store: Bytes;
  private readonly size: number;
  private view: NumberArray;
  private count = 0;
  constructor(readonly element: NumberElement, capacity = 64) {
    this.type = { kind: 'number', element };
    this.size = ELEMENT_BYTES[element];
    this.store = new Bytes(capacity * this.size);
    this.view = numberArrayOf(element, this.store.bytes.buffer as ArrayBuffer, 0, this.store.bytes.length / this.size);
  }
  length(): number {
    return this.count;
  }
  private grow(extra: number): void {
    this.store.length = this.count * this.size;
    const before = this.store.bytes;
    this.store.reserve(extra * this.size);
    if (this.store.bytes !== before) this.view = numberArrayOf(this.element, this.store.bytes.buffer as ArrayBuffer, 0, this.store.bytes.length / this.size);
  }
  push(value: number | bigint): void {
    if (this.count === this.view.length) this.grow(1);
    (this.view as unknown as (number | bigint)[])[this.count++] = value;
  }
  /** Appends `count` big-endian elements starting at `bytes[start]`, swapped to host order. */
  appendBigEndian(bytes: Uint8Array, start: number, count: number): void {
    if (count === 0) return;
    if (this.count + count > this.view.length) this.grow(count);
    const at = this.count * this.size;
    const n = count * this.size;
    const target = this.store.bytes;
    if (n < 64) for (let k = 0; k < n; k++) target[at + k] = bytes[start + k] as number;
    else target.set(bytes.subarray(start, start + n), at);
    swapToHostOrder(target.subarray(at, at + n), this.size);
    this.count += count;
  }
  /**
   * Room for `count` more elements: the byte array and byte offset at which to write their big-endian bytes
   * (from several places, say), then {@link commitBigEndian} swaps them all at once.
   */
  reserveRaw(count: number): { bytes: Uint8Array; at: number } {
    if (this.count + count > this.view.length) this.grow(count);
    return { bytes: this.store.bytes, at: this.count * this.size };
  }
  /** After {@link reserveRaw}: `count` elements were written in host order. */
  commitHostOrder(count: number): void {
    this.count += count;
  }
  commitBigEndian(count: number): void {
    const at = this.count * this.size;
    swapToHostOrder(this.store.bytes.subarray(at, at + count * this.size), this.size);
    this.count += count;
  }
  finish(): DecodedData {
    this.store.length = this.count * this.size;
    const bytes = this.store.exact();
    return { kind: 'number', element: this.element, values: numberArrayOf(this.element, bytes.buffer as ArrayBuffer, 0, this.count) };
  }
}

export class BoolBuilder implements Builder {
  readonly type: ValueType = { kind: 'bool' };
  private readonly store: Bytes;
  constructor(capacity = 64) {
    this.store = new Bytes(capacity);
  }
  length(): number {
    return this.store.length;
  }
  push(value: boolean | number): void {
    this.store.reserve(1);
    this.store.bytes[this.store.length++] = value ? 1 : 0;
  }
  /** Appends `count` bytes (ROOT writes bool as one byte, non-zero true) normalised to 0/1. */
  appendBytes(bytes: Uint8Array, start: number, count: number): void {
    this.store.reserve(count);
    const target = this.store.bytes;
    const at = this.store.length;
    for (let k = 0; k < count; k++) target[at + k] = bytes[start + k] ? 1 : 0;
    this.store.length += count;
  }
  finish(): DecodedData {
    return { kind: 'bool', values: this.store.exact() };
  }
}

export class StringBuilder implements Builder {
  readonly type: ValueType = { kind: 'string' };
  private readonly offsets: Offsets;
  private readonly store: Bytes;
  constructor(capacity = 64, byteCapacity = 256) {
    this.offsets = new Offsets(capacity);
    this.store = new Bytes(byteCapacity);
  }
  length(): number {
    return this.offsets.length - 1;
  }
  /** Appends `count` bytes of `bytes` from `start` as one string (stored as they are: ROOT strings carry no encoding). */
  append(bytes: Uint8Array, start: number, count: number): void {
    this.store.reserve(count);
    this.store.bytes.set(bytes.subarray(start, start + count), this.store.length);
    this.store.length += count;
    this.offsets.push(this.store.length);
  }
  finish(): DecodedData {
    return { kind: 'string', offsets: this.offsets.exact(), bytes: this.store.exact() };
  }
}

export class ListBuilder implements Builder {
  readonly type: ValueType;
  private readonly offsets: Offsets;
  constructor(readonly item: Builder, capacity = 64) {
    this.type = { kind: 'list', item: item.type };
    this.offsets = new Offsets(capacity);
  }
  length(): number {
    return this.offsets.length - 1;
  }
  /** Closes the current list after its items were appended to `item`. */
  close(): void {
    this.offsets.push(this.item.length());
  }
  finish(): DecodedData {
    return { kind: 'list', offsets: this.offsets.exact(), item: this.item.finish() };
  }
}

export class FixedListBuilder implements Builder {
  readonly type: ValueType;
  constructor(readonly item: Builder, readonly size: number) {
    this.type = { kind: 'fixed-list', size, item: item.type };
  }
  length(): number {
    return this.size === 0 ? 0 : this.item.length() / this.size;
  }
  finish(): DecodedData {
    return { kind: 'fixed-list', size: this.size, item: this.item.finish() };
  }
}

export class StructBuilder implements Builder {
  readonly type: ValueType;
  private count = 0;
  constructor(readonly names: readonly string[], readonly fields: Builder[]) {
    this.type = { kind: 'struct', fields: names.map((name, i) => ({ name, type: (fields[i] as Builder).type })) };
  }
  length(): number {
    return this.count;
  }
  /** Counts one struct after its fields were appended. */
  close(count = 1): void {
    this.count += count;
  }
  finish(): DecodedData {
    return { kind: 'struct', length: this.count, fields: this.fields.map((f) => f.finish()) };
  }
}

/** A builder for values of `type` (capacity: expected number of top-level values). */
export function createBuilder(type: ValueType, capacity = 64): Builder {
  switch (type.kind) {
    case 'number':
      return new NumberBuilder(type.element, capacity);
    case 'bool':
      return new BoolBuilder(capacity);
    case 'string':
      return new StringBuilder(capacity);
    case 'list':
      return new ListBuilder(createBuilder(type.item, capacity * 4), capacity);
    case 'fixed-list':
      return new FixedListBuilder(createBuilder(type.item, capacity * type.size), type.size);
    case 'struct':
      return new StructBuilder(
        type.fields.map((f) => f.name),
        type.fields.map((f) => createBuilder(f.type, capacity)),
      );
  }
}

/** Offsets [start, stop] of `offsets` rebased to start at 0 (a view when they already do). */
function rebaseOffsets(offsets: Int32Array, start: number, stop: number): Int32Array {
  const view = offsets.subarray(start, stop + 1);
  const first = view[0] as number;
  if (first === 0) return view;
  const out = new Int32Array(view.length);
  for (let i = 0; i < view.length; i++) out[i] = (view[i] as number) - first;
  return out;
}

/** Entries [start, stop) of decoded data: views of its buffers, offsets rebased to 0 (copied only when they must be). */
export function sliceDecoded(data: DecodedData, start: number, stop: number): DecodedData {
  if (start === 0 && stop === decodedLength(data)) return data;
  switch (data.kind) {
    case 'number':
      return { kind: 'number', element: data.element, values: data.values.subarray(start, stop) };
    case 'bool':
      return { kind: 'bool', values: data.values.subarray(start, stop) };
    case 'string':
      return { kind: 'string', offsets: rebaseOffsets(data.offsets, start, stop), bytes: data.bytes.subarray(data.offsets[start] as number, data.offsets[stop] as number) };
    case 'list':
      return { kind: 'list', offsets: rebaseOffsets(data.offsets, start, stop), item: sliceDecoded(data.item, data.offsets[start] as number, data.offsets[stop] as number) };
    case 'fixed-list':
      return { kind: 'fixed-list', size: data.size, item: sliceDecoded(data.item, start * data.size, stop * data.size) };
    case 'struct':
      return { kind: 'struct', length: stop - start, fields: data.fields.map((f) => sliceDecoded(f, start, stop)) };
  }
}
