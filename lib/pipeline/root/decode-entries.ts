import { BoolBuilder, type Builder, type DecodedData, FixedListBuilder, ListBuilder, NumberBuilder, StringBuilder } from './decoded-data';
import type { DecodePlan, EntryDecoder, LeafField } from './plan-branch';
import type { DecodedBasket } from './read-basket';
import { fixedSizeOf, type ReadSpec, withoutHeaders } from './read-spec';
import { compileReader, type Cursor, EntryLayoutError, readVersionHeader, type ValueReader } from './read-values';
import { ELEMENT_BYTES, type NumberElement } from './value-type';

/** A decoded basket and the entry number of its first entry. */
export type BasketSlice = { firstEntry: number; basket: DecodedBasket; index: number };

/** Thrown for bytes that do not follow the branch's layout, with the basket index and entry number. */
export class BasketLayoutError extends Error {
  constructor(
    readonly basketIndex: number,
    readonly entry: number,
    message: string,
  ) {
    super(`entry ${entry}: ${message}`);
    this.name = 'BasketLayoutError';
  }
}

const BYTE_COUNT_FLAG = 0x40000000;
const VECTOR_HEADER_BYTES = 10;
const IS_LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function elementBytes(element: NumberElement | 'bool'): number {
  return element === 'bool' ? 1 : ELEMENT_BYTES[element];
}

function valuesBuilder(element: NumberElement | 'bool', capacity: number): NumberBuilder | BoolBuilder {
  return element === 'bool' ? new BoolBuilder(capacity) : new NumberBuilder(element, capacity);
}

function appendRaw(builder: NumberBuilder | BoolBuilder, bytes: Uint8Array, start: number, count: number): void {
  if (builder instanceof NumberBuilder) builder.appendBigEndian(bytes, start, count);
  else builder.appendBytes(bytes, start, count);
}

/** Wraps flat values into nested fixed-size lists of `dims` (outermost first). */
function wrapFixedData(values: DecodedData, dims: readonly number[]): DecodedData {
  let out = values;
  for (const size of [...dims].reverse()) out = { kind: 'fixed-list', size, item: out };
  return out;
}

type EntryRange = { slice: BasketSlice; from: number; to: number };

/** The part of each basket that falls into [start, stop), in order. */
function rangesOf(baskets: readonly BasketSlice[], start: number, stop: number): EntryRange[] {
  const out: EntryRange[] = [];
  for (const slice of baskets) {
    const first = slice.firstEntry;
    const last = first + slice.basket.entries;
    const from = Math.max(start, first);
    const to = Math.min(stop, last);
    if (from < to) out.push({ slice, from: from - first, to: to - first });
  }
  return out;
}

function entryEnd(basket: DecodedBasket, i: number): number {
  const starts = basket.entryStarts as Int32Array;
  return i + 1 < basket.entries ? (starts[i + 1] as number) : basket.dataEnd;
}

function decodeFixed(decoder: Extract<EntryDecoder, { kind: 'fixed' }>, ranges: EntryRange[], count: number): DecodedData {
  const perEntry = product(decoder.dims);
  const size = elementBytes(decoder.element);
  const entryBytes = perEntry * size;
  const builder = valuesBuilder(decoder.element, count * perEntry);
  for (const { slice, from, to } of ranges) {
    const { basket } = slice;
    if (basket.dataEnd !== basket.entries * entryBytes) {
      throw new BasketLayoutError(slice.index, slice.firstEntry, `the basket holds ${basket.dataEnd} bytes for ${basket.entries} entries of ${entryBytes} bytes each`);
    }
    appendRaw(builder, basket.payload, from * entryBytes, (to - from) * perEntry);
  }
  return wrapFixedData(builder.finish(), decoder.dims);
}

function decodeJagged(decoder: Extract<EntryDecoder, { kind: 'jagged' }>, ranges: EntryRange[], count: number): DecodedData {
  const itemValues = product(decoder.innerDims);
  const itemBytes = itemValues * elementBytes(decoder.element);
  const offsets = new Int32Array(count + 1);
  let estimate = 0;
  for (const { slice, from, to } of ranges) {
    const starts = slice.basket.entryStarts as Int32Array;
    estimate += entryEnd(slice.basket, to - 1) - (starts[from] as number);
  }
  const builder = valuesBuilder(decoder.element, Math.ceil(estimate / Math.max(1, elementBytes(decoder.element))));
  let row = 0;
  let items = 0;
  for (const { slice, from, to } of ranges) {
    const { basket } = slice;
    const starts = basket.entryStarts as Int32Array;
    for (let i = from; i < to; i++) {
      const length = entryEnd(basket, i) - (starts[i] as number);
      if (length % itemBytes !== 0) throw new BasketLayoutError(slice.index, slice.firstEntry + i, `${length} bytes are not a whole number of ${itemBytes}-byte items`);
      items += length / itemBytes;
      offsets[++row] = items;
    }
    const begin = starts[from] as number;
    appendRaw(builder, basket.payload, begin, (entryEnd(basket, to - 1) - begin) / elementBytes(decoder.element));
  }
  return { kind: 'list', offsets, item: wrapFixedData(builder.finish(), decoder.innerDims) };
}

function decodeVector(decoder: Extract<EntryDecoder, { kind: 'vector' }>, ranges: EntryRange[], count: number): DecodedData {
  const size = elementBytes(decoder.element);
  const offsets = new Int32Array(count + 1);
  let estimate = 0;
  for (const { slice, from, to } of ranges) estimate += entryEnd(slice.basket, to - 1) - ((slice.basket.entryStarts as Int32Array)[from] as number) - VECTOR_HEADER_BYTES * (to - from);
  const builder = valuesBuilder(decoder.element, Math.max(0, Math.ceil(estimate / size)));
  let row = 0;
  let items = 0;
  for (const { slice, from, to } of ranges) {
    const { basket } = slice;
    const payload = basket.payload;
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const starts = basket.entryStarts as Int32Array;
    // Every entry's values (after its 10-byte header) are copied in one pass; the copies are swapped at once.
    if (builder instanceof NumberBuilder) {
      const begin = starts[from] as number;
      const reserve = (entryEnd(basket, to - 1) - begin - VECTOR_HEADER_BYTES * (to - from)) / size;
      if (!Number.isInteger(reserve) || reserve < 0) throw new BasketLayoutError(slice.index, slice.firstEntry + from, `the entries hold ${entryEnd(basket, to - 1) - begin} bytes, not vectors of ${size}-byte values`);
      const { bytes: target, at } = builder.reserveRaw(reserve);
      // Each value is read big-endian and written in host (little-endian) order: copy and swap in one step.
      const out = new DataView(target.buffer, target.byteOffset, target.byteLength);
      let o = at;
      for (let i = from; i < to; i++) {
        const start = starts[i] as number;
        const end = i + 1 < basket.entries ? (starts[i + 1] as number) : basket.dataEnd;
        const n = end - start >= VECTOR_HEADER_BYTES ? view.getInt32(start + 6) : -1;
        if (n < 0 || view.getUint32(start) !== (BYTE_COUNT_FLAG | (6 + n * size)) >>> 0 || start + VECTOR_HEADER_BYTES + n * size !== end) {
          throw new BasketLayoutError(slice.index, slice.firstEntry + i, `is not a vector of ${size}-byte values (${end - start} bytes${n >= 0 ? `, byte count ${view.getUint32(start) & ~BYTE_COUNT_FLAG}, ${n} values` : ''})`);
        }
        let k = start + VECTOR_HEADER_BYTES;
        if (size === 4) {
          for (; k < end; k += 4, o += 4) out.setUint32(o, view.getUint32(k), IS_LITTLE_ENDIAN_HOST);
        } else if (size === 8) {
          for (; k < end; k += 8, o += 8) {
            out.setUint32(o, view.getUint32(IS_LITTLE_ENDIAN_HOST ? k + 4 : k), IS_LITTLE_ENDIAN_HOST);
            out.setUint32(o + 4, view.getUint32(IS_LITTLE_ENDIAN_HOST ? k : k + 4), IS_LITTLE_ENDIAN_HOST);
          }
        } else if (size === 2) {
          for (; k < end; k += 2, o += 2) out.setUint16(o, view.getUint16(k), IS_LITTLE_ENDIAN_HOST);
        } else {
          for (; k < end; k++) target[o++] = payload[k] as number;
        }
        items += n;
        offsets[++row] = items;
      }
      builder.commitHostOrder(reserve);
    } else {
      for (let i = from; i < to; i++) {
        const start = starts[i] as number;
        const end = entryEnd(basket, i);
        const n = end - start >= VECTOR_HEADER_BYTES ? view.getInt32(start + 6) : -1;
        if (n < 0 || view.getUint32(start) !== (BYTE_COUNT_FLAG | (6 + n)) >>> 0 || start + VECTOR_HEADER_BYTES + n !== end) {
          throw new BasketLayoutError(slice.index, slice.firstEntry + i, `is not a vector of bools (${end - start} bytes)`);
        }
        builder.appendBytes(payload, start + VECTOR_HEADER_BYTES, n);
        items += n;
        offsets[++row] = items;
      }
    }
  }
  return { kind: 'list', offsets, item: builder.finish() };
}

function decodeLeafString(ranges: EntryRange[], count: number): DecodedData {
  const builder = new StringBuilder(count);
  for (const { slice, from, to } of ranges) {
    const { basket } = slice;
    const payload = basket.payload;
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    for (let i = from; i < to; i++) {
      const start = basket.entryStarts ? (basket.entryStarts[i] as number) : i * basket.entryBytes;
      const end = basket.entryStarts ? entryEnd(basket, i) : start + basket.entryBytes;
      if (end <= start) {
        builder.append(payload, start, 0);
        continue;
      }
      let length = payload[start] as number;
      let at = start + 1;
      if (length === 255) {
        length = view.getInt32(start + 1);
        at += 4;
      }
      if (at + length > end) throw new BasketLayoutError(slice.index, slice.firstEntry + i, `string of ${length} bytes runs past the entry (${end - start} bytes)`);
      builder.append(payload, at, length);
    }
  }
  return builder.finish();
}

function cursorFor(basket: DecodedBasket): Cursor {
  const payload = basket.payload;
  return { bytes: payload, view: new DataView(payload.buffer, payload.byteOffset, payload.byteLength), pos: 0, end: basket.dataEnd };
}

/** Reads one leaf-list entry field by field; counts of `[n]` leaves come from leaves read earlier in the entry. */
function decodeLeafList(decoder: Extract<EntryDecoder, { kind: 'leaf-list' }>, ranges: EntryRange[], count: number): DecodedData {
  type Field = { leaf: LeafField; reader: ValueReader; list: ListBuilder | null; perItem: number; builder: Builder };
  const countLeaves = new Set(decoder.leaves.flatMap((l) => (l.count.kind === 'leaf' ? [l.count.leaf] : [])));
  const fields: Field[] = decoder.leaves.map((leaf) => {
    const dims = leaf.count.kind === 'fixed' ? leaf.count.dims : leaf.count.innerDims;
    const reader = compileReader(leaf.spec, count * Math.max(1, product(dims)));
    let builder = reader.builder as Builder;
    for (const size of [...dims].reverse()) builder = new FixedListBuilder(builder, size);
    const list = leaf.count.kind === 'leaf' ? new ListBuilder(builder, count) : null;
    return { leaf, reader, list, perItem: product(dims), builder: list ?? builder };
  });
  const counts = new Map<string, number>();
  for (const { slice, from, to } of ranges) {
    const { basket } = slice;
    const c = cursorFor(basket);
    for (let i = from; i < to; i++) {
      if (basket.entryStarts) {
        c.pos = basket.entryStarts[i] as number;
        c.end = entryEnd(basket, i);
      } else if (i === from) {
        c.pos = basket.entryBytes > 0 ? i * basket.entryBytes : c.pos;
      }
      try {
        for (const field of fields) {
          let n = field.perItem;
          if (field.leaf.count.kind === 'leaf') n *= counts.get(field.leaf.count.leaf) ?? 0;
          if (countLeaves.has(field.leaf.name)) {
            const element = field.leaf.spec.op === 'number' ? field.leaf.spec.element : 'int32';
            const size = ELEMENT_BYTES[element];
            if (c.pos + size > c.end) throw new EntryLayoutError(`count leaf ${field.leaf.name} runs past the entry`);
            counts.set(field.leaf.name, size === 1 ? (c.bytes[c.pos] as number) : size === 2 ? c.view.getInt16(c.pos) : size === 4 ? c.view.getInt32(c.pos) : Number(c.view.getBigInt64(c.pos)));
          }
          for (let k = 0; k < n; k++) field.reader.read(c);
          field.list?.close();
        }
        if (basket.entryStarts && c.pos !== c.end) throw new EntryLayoutError(`the leaves take ${c.pos - (basket.entryStarts[i] as number)} bytes of the entry's ${c.end - (basket.entryStarts[i] as number)}`);
      } catch (error) {
        if (error instanceof EntryLayoutError) throw new BasketLayoutError(slice.index, slice.firstEntry + i, error.message);
        throw error;
      }
    }
  }
  return { kind: 'struct', length: count, fields: fields.map((f) => f.builder.finish()) };
}

/**
 * A class with a hand-written streamer (or one that ignores its TObject part) writes only its data members: when the
 * first entry does not follow the streamer info but has exactly the size of the bare members, read them bare.
 */
function chooseSpec(decoder: Extract<EntryDecoder, { kind: 'values' }>, ranges: EntryRange[]): ReadSpec {
  const first = ranges[0];
  if (decoder.repeat !== 'one' || decoder.spec.op !== 'object' || !first?.slice.basket.entryStarts) return decoder.spec;
  const bare = withoutHeaders(decoder.spec);
  const bareSize = fixedSizeOf(bare);
  if (bareSize === null) return decoder.spec;
  const { basket } = first.slice;
  const start = (basket.entryStarts as Int32Array)[first.from] as number;
  const end = entryEnd(basket, first.from);
  if (end - start !== bareSize) return decoder.spec;
  const probe = compileReader(decoder.spec, 1);
  const c = cursorFor(basket);
  c.pos = start;
  c.end = end;
  try {
    probe.read(c);
    if (c.pos === end) return decoder.spec;
  } catch (error) {
    if (!(error instanceof EntryLayoutError)) throw error;
  }
  return bare;
}

function decodeValues(decoder: Extract<EntryDecoder, { kind: 'values' }>, ranges: EntryRange[], count: number): DecodedData {
  const reader = compileReader(chooseSpec(decoder, ranges), decoder.repeat === 'one' ? count : count * 4);
  const list = decoder.repeat === 'one' || !reader.builder ? null : new ListBuilder(reader.builder, count);
  for (const { slice, from, to } of ranges) {
    const { basket } = slice;
    const c = cursorFor(basket);
    let sequentialEnd = 0;
    for (let i = from; i < to; i++) {
      const start = basket.entryStarts ? (basket.entryStarts[i] as number) : i === from ? skipTo(basket, reader, from) : sequentialEnd;
      const end = basket.entryStarts ? entryEnd(basket, i) : basket.dataEnd;
      c.pos = start;
      c.end = end;
      try {
        if (decoder.repeat === 'one') {
          reader.read(c);
          if (basket.entryStarts && c.pos !== end) throw new EntryLayoutError(`the value takes ${c.pos - start} of the entry's ${end - start} bytes`);
        } else {
          if (c.pos < end && decoder.repeat === 'header-then-until-end') readVersionHeader(c, 'member header');
          if (c.pos < end && decoder.repeat === 'flag-then-until-end') c.pos += 1;
          while (c.pos < end) reader.read(c);
          list?.close();
        }
      } catch (error) {
        if (error instanceof EntryLayoutError) throw new BasketLayoutError(slice.index, slice.firstEntry + i, error.message);
        throw error;
      }
      sequentialEnd = c.pos;
    }
  }
  if (list) return list.finish();
  if (reader.builder) return reader.builder.finish();
  return { kind: 'struct', length: count, fields: [] };
}

/** Without entry offsets, entries before `from` must be read (and dropped) to find where entry `from` starts. */
function skipTo(basket: DecodedBasket, _reader: ValueReader, from: number): number {
  if (from === 0) return 0;
  if (basket.entryBytes > 0 && basket.dataEnd === basket.entries * basket.entryBytes) return from * basket.entryBytes;
  throw new EntryLayoutError(`entries of variable size without entry offsets can only be read from the start of the basket`);
}

/**
 * Decodes entries [start, stop) of a branch from its decoded baskets (those overlapping the range, in order) into
 * one value of the plan's type per entry. Throws {@link BasketLayoutError} (basket index, entry, reason) when the
 * bytes do not follow the layout.
 */
export function decodeEntries(plan: DecodePlan, baskets: readonly BasketSlice[], start: number, stop: number): DecodedData {
  const ranges = rangesOf(baskets, start, stop);
  const count = ranges.reduce((s, r) => s + (r.to - r.from), 0);
  if (count !== stop - start) throw new Error(`decodeEntries: baskets cover ${count} of the ${stop - start} entries ${start}–${stop}`);
  const decoder = plan.decoder;
  try {
    switch (decoder.kind) {
      case 'fixed':
        return decodeFixed(decoder, ranges, count);
      case 'jagged':
        return decodeJagged(decoder, ranges, count);
      case 'vector':
        return decodeVector(decoder, ranges, count);
      case 'leaf-string':
        return decodeLeafString(ranges, count);
      case 'leaf-list':
        return decodeLeafList(decoder, ranges, count);
      case 'values':
        return decodeValues(decoder, ranges, count);
    }
  } catch (error) {
    if (error instanceof EntryLayoutError) throw new BasketLayoutError(ranges[0]?.slice.index ?? 0, start, error.message);
    throw error;
  }
}
