import { BoolBuilder, type Builder, FixedListBuilder, ListBuilder, NumberBuilder, StringBuilder, StructBuilder } from './decoded-data';
import { type MemberSpec, objectFields, type ReadSpec } from './read-spec';
import { ELEMENT_BYTES } from './value-type';

/** A position in one entry's bytes; `end` is where the entry ends. */
export type Cursor = { bytes: Uint8Array; view: DataView; pos: number; end: number };

/** Bytes that do not follow the expected layout; the message says what was expected at which byte. */
export class EntryLayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntryLayoutError';
  }
}

const BYTE_COUNT_FLAG = 0x40000000;
const BYTE_COUNT_MASK = 0x3fffffff;
const MEMBER_WISE = 0x4000;
const IS_REFERENCED = 1 << 4;

function need(c: Cursor, n: number, what: string): void {
  if (c.pos + n > c.end) throw new EntryLayoutError(`${what} needs ${n} bytes at byte ${c.pos} but the entry ends at byte ${c.end}`);
}

function u32(c: Cursor, what: string): number {
  need(c, 4, what);
  const v = c.view.getUint32(c.pos);
  c.pos += 4;
  return v;
}

/**
 * Reads a version header: with ROOT's byte count (flag 0x40000000) it also gives the end of the object; a
 * version ≤ 0 with a byte count is followed by the class checksum.
 */
export function readVersionHeader(c: Cursor, what: string): { version: number; end: number | null } {
  const start = c.pos;
  need(c, 2, `${what} version`);
  const word = c.pos + 4 <= c.end ? c.view.getUint32(c.pos) : 0;
  if (word & BYTE_COUNT_FLAG) {
    const count = word & BYTE_COUNT_MASK;
    const end = start + 4 + count;
    if (count < 2 || end > c.end) throw new EntryLayoutError(`${what} at byte ${start} claims ${count} bytes, beyond the entry end at byte ${c.end}`);
    c.pos += 4;
    const version = c.view.getInt16(c.pos);
    c.pos += 2;
    if (version <= 0 && count >= 6) c.pos += 4;
    return { version, end };
  }
  const version = c.view.getInt16(c.pos);
  c.pos += 2;
  return { version, end: null };
}

function finishObject(c: Cursor, end: number | null, what: string): void {
  if (end === null) return;
  if (c.pos > end) throw new EntryLayoutError(`${what} ran to byte ${c.pos}, past its byte count (ends at ${end})`);
  c.pos = end;
}

function readStringInto(c: Cursor, builder: StringBuilder): void {
  need(c, 1, 'string length');
  let length = c.bytes[c.pos] as number;
  c.pos += 1;
  if (length === 255) {
    need(c, 4, 'long string length');
    length = c.view.getInt32(c.pos);
    c.pos += 4;
  }
  need(c, length, `string of ${length} bytes`);
  builder.append(c.bytes, c.pos, length);
  c.pos += length;
}

/**
 * A compiled reader: appends one value read at the cursor to its builder. `readMany` reads the values of `count`
 * objects' member at once, as member-wise streaming writes them (one version header for all of them, where a
 * single value would have its own).
 */
export type ValueReader = { builder: Builder | null; read(c: Cursor): void; readMany?(c: Cursor, count: number): void; readMemberWise?(c: Cursor, count: number): void };

type Slots = Map<string, { value: number }>;

function float16Reader(spec: Extract<ReadSpec, { op: 'float16' | 'double32' }>, builder: NumberBuilder): (c: Cursor) => void {
  const isDouble = spec.op === 'double32';
  if (spec.factor > 0) {
    return (c) => {
      const x = u32(c, spec.op);
      const value = x / spec.factor + spec.xmin;
      builder.push(isDouble ? value : Math.fround(value));
    };
  }
  const nbits = Math.round(spec.nbits) || (isDouble ? 0 : 12);
  if (nbits === 0) {
    return (c) => {
      need(c, 4, 'Double32_t');
      builder.push(c.view.getFloat32(c.pos));
      c.pos += 4;
    };
  }
  const scratch = new DataView(new ArrayBuffer(4));
  const mantissaMask = (1 << (nbits + 1)) - 1;
  return (c) => {
    need(c, 3, spec.op);
    const exponent = c.bytes[c.pos] as number;
    const mantissa = c.view.getUint16(c.pos + 1);
    c.pos += 3;
    scratch.setUint32(0, ((exponent << 23) | ((mantissa & mantissaMask) << (23 - nbits))) >>> 0);
    const value = scratch.getFloat32(0);
    builder.push(mantissa & (1 << (nbits + 1)) ? -value : value);
  };
}

/**
 * Compiles a read spec into a reader that appends values to builders made for its output type. `slots` carries
 * the integer members of the enclosing object that `counted` arrays take their length from.
 */
export function compileReader(spec: ReadSpec, capacity = 64, slots: Slots = new Map()): ValueReader {
  switch (spec.op) {
    case 'number': {
      const builder = new NumberBuilder(spec.element, capacity);
      const size = ELEMENT_BYTES[spec.element];
      return {
        builder,
        read(c) {
          need(c, size, spec.element);
          builder.appendBigEndian(c.bytes, c.pos, 1);
          c.pos += size;
        },
      };
    }
    case 'bool': {
      const builder = new BoolBuilder(capacity);
      return {
        builder,
        read(c) {
          need(c, 1, 'bool');
          builder.push(c.bytes[c.pos] as number);
          c.pos += 1;
        },
      };
    }
    case 'float16':
    case 'double32': {
      const builder = new NumberBuilder(spec.op === 'double32' ? 'float64' : 'float32', capacity);
      return { builder, read: float16Reader(spec, builder) };
    }
    case 'string': {
      const builder = new StringBuilder(capacity);
      return { builder, read: (c) => readStringInto(c, builder) };
    }
    case 'char-star': {
      const builder = new StringBuilder(capacity);
      return {
        builder,
        read(c) {
          const length = u32(c, 'char* length');
          need(c, length, `char* of ${length} bytes`);
          builder.append(c.bytes, c.pos, length);
          c.pos += length;
        },
      };
    }
    case 'fixed': {
      const item = compileReader(spec.item, capacity * spec.size, slots);
      const builder = item.builder ? new FixedListBuilder(item.builder, spec.size) : null;
      return {
        builder,
        read(c) {
          for (let k = 0; k < spec.size; k++) item.read(c);
        },
      };
    }
    case 'counted': {
      const item = compileReader(spec.item, capacity * 4, slots);
      const builder = item.builder ? new ListBuilder(item.builder, capacity) : null;
      const slot = slots.get(spec.count);
      if (!slot) throw new Error(`counted array needs its count member "${spec.count}" read before it`);
      return {
        builder,
        read(c) {
          need(c, 1, 'array flag');
          const isArray = c.bytes[c.pos] as number;
          c.pos += 1;
          if (isArray) for (let k = 0; k < slot.value; k++) item.read(c);
          builder?.close();
        },
      };
    }
    case 'headed': {
      const item = compileReader(spec.item, capacity, slots);
      return {
        builder: item.builder,
        read(c) {
          const { end } = readVersionHeader(c, 'header');
          item.read(c);
          finishObject(c, end, 'value');
        },
        readMany(c, count) {
          if (count === 0) return;
          const { end } = readVersionHeader(c, 'header');
          for (let k = 0; k < count; k++) item.read(c);
          finishObject(c, end, 'values');
        },
      };
    }
    case 'sequence':
      return compileSequence(spec, capacity);
    case 'object':
      return compileObject(spec, capacity);
    case 'tobject':
      return {
        builder: null,
        read(c) {
          const { end } = readVersionHeader(c, 'TObject');
          u32(c, 'TObject unique id');
          const bits = u32(c, 'TObject bits');
          if (bits & IS_REFERENCED) {
            need(c, 2, 'TObject process id');
            c.pos += 2;
          }
          finishObject(c, end, 'TObject');
        },
      };
    case 'skip-pointer':
      return {
        builder: null,
        read(c) {
          const word = u32(c, 'object pointer');
          if (word & BYTE_COUNT_FLAG) {
            const count = word & BYTE_COUNT_MASK;
            need(c, count, 'pointed-to object');
            c.pos += count;
          }
        },
      };
  }
}

/** After a member-wise container header: the item class version, and its checksum when the version is 0. */
function readMemberWiseVersion(c: Cursor): void {
  need(c, 2, 'member-wise class version');
  const classVersion = c.view.getInt16(c.pos);
  c.pos += 2;
  if (classVersion <= 0) c.pos += 4;
}

function compileSequence(spec: Extract<ReadSpec, { op: 'sequence' }>, capacity: number): ValueReader {
  const what = 'STL container';
  const readCount = (c: Cursor) => {
    need(c, 4, `${what} size`);
    const n = c.view.getInt32(c.pos);
    c.pos += 4;
    if (n < 0 || n > c.end - c.pos) throw new EntryLayoutError(`${what} at byte ${c.pos - 4} claims ${n} items, more than the ${c.end - c.pos} bytes left`);
    return n;
  };
  const item = spec.item;
  let builder: ListBuilder | null;
  let readBody: (c: Cursor, withHeader: boolean, sharedMemberWise?: boolean) => void;
  if (item.op === 'number' || item.op === 'bool') {
    // Numbers: one bulk copy per container.
    const size = item.op === 'number' ? ELEMENT_BYTES[item.element] : 1;
    const values = item.op === 'number' ? new NumberBuilder(item.element, capacity * 4) : new BoolBuilder(capacity * 4);
    const list = new ListBuilder(values, capacity);
    builder = list;
    readBody = (c, withHeader) => {
      const { end } = withHeader ? readVersionHeader(c, what) : { end: null };
      const n = readCount(c);
      need(c, n * size, `${n} values`);
      if (values instanceof NumberBuilder) values.appendBigEndian(c.bytes, c.pos, n);
      else values.appendBytes(c.bytes, c.pos, n);
      c.pos += n * size;
      list.close();
      finishObject(c, end, what);
    };
  } else {
    const inner = compileReader(item, capacity * 4);
    builder = inner.builder ? new ListBuilder(inner.builder, capacity) : null;
    readBody = (c, withHeader, sharedMemberWise = false) => {
      const header = withHeader ? readVersionHeader(c, what) : { version: 0, end: null };
      const isMemberWise = withHeader ? (header.version & MEMBER_WISE) !== 0 : sharedMemberWise;
      if (withHeader && isMemberWise) readMemberWiseVersion(c);
      const n = readCount(c);
      if (isMemberWise) {
        if (!inner.readMemberWise) throw new EntryLayoutError(`member-wise ${what} of non-objects at byte ${c.pos}`);
        inner.readMemberWise(c, n);
      } else {
        for (let k = 0; k < n; k++) inner.read(c);
      }
      builder?.close();
      finishObject(c, header.end, what);
    };
  }
  return {
    builder,
    read: (c) => readBody(c, spec.header),
    // Member-wise, the containers of `count` objects share one header (and item class version).
    readMany(c, count) {
      if (count === 0) return;
      const header = spec.header ? readVersionHeader(c, what) : { version: 0, end: null };
      const isMemberWise = (header.version & MEMBER_WISE) !== 0;
      if (isMemberWise) readMemberWiseVersion(c);
      for (let k = 0; k < count; k++) readBody(c, false, isMemberWise);
      finishObject(c, header.end, `${what}s`);
    },
  };
}

/** Integer members that a `counted` array of the same object (or its bases) takes its length from. */
function countNames(spec: Extract<ReadSpec, { op: 'object' }>, out = new Set<string>()): Set<string> {
  for (const m of spec.members) {
    if (m.spec.op === 'counted') out.add(m.spec.count);
    if (m.isBase && m.spec.op === 'object') countNames(m.spec, out);
  }
  return out;
}

function compileObject(spec: Extract<ReadSpec, { op: 'object' }>, capacity: number): ValueReader {
  const fieldBuilders: Builder[] = [];
  const slots: Slots = new Map([...countNames(spec)].map((name) => [name, { value: 0 }]));
  /** Member readers of one object level (bases compile to a nested level with their own header). */
  type Level = { header: 'yes' | 'no' | 'detect'; className: string; members: ((c: Cursor) => void)[]; inlineMembers: ((c: Cursor, count: number) => void)[] };
  const compileLevel = (object: Extract<ReadSpec, { op: 'object' }>): Level => {
    const members: ((c: Cursor) => void)[] = [];
    // Member-wise streaming writes the data members of base classes inline, without their headers.
    const inlineMembers: ((c: Cursor, count: number) => void)[] = [];
    for (const member of object.members as MemberSpec[]) {
      if (member.isBase && member.spec.op === 'object') {
        const base = compileLevel(member.spec);
        members.push((c) => readLevel(c, base));
        inlineMembers.push(...base.inlineMembers);
        continue;
      }
      const reader = compileReader(member.spec, capacity, slots);
      const slot = member.name === null ? undefined : slots.get(member.name);
      if (member.name !== null && reader.builder) fieldBuilders.push(reader.builder);
      if (slot && member.spec.op === 'number') {
        const size = ELEMENT_BYTES[member.spec.element];
        const read = (c: Cursor) => {
          need(c, size, member.name as string);
          slot.value = size === 1 ? (c.bytes[c.pos] as number) : size === 2 ? c.view.getInt16(c.pos) : c.view.getInt32(c.pos + size - 4);
          reader.read(c);
        };
        members.push(read);
        inlineMembers.push((c, count) => {
          for (let k = 0; k < count; k++) read(c);
        });
      } else {
        members.push(reader.read);
        const readMany = reader.readMany;
        inlineMembers.push(
          readMany
            ? (c, count) => readMany(c, count)
            : (c, count) => {
                for (let k = 0; k < count; k++) reader.read(c);
              },
        );
      }
    }
    return { header: object.header, className: object.className, members, inlineMembers };
  };
  const readLevel = (c: Cursor, level: Level) => {
    let end: number | null = null;
    let hasHeader = level.header === 'yes';
    if (level.header === 'detect' && c.pos + 6 <= c.end) {
      const word = c.view.getUint32(c.pos);
      hasHeader = (word & BYTE_COUNT_FLAG) !== 0 && (word & BYTE_COUNT_MASK) === c.end - c.pos - 4;
    }
    if (hasHeader) end = readVersionHeader(c, level.className).end;
    for (const read of level.members) read(c);
    finishObject(c, end, level.className);
  };
  const top = compileLevel(spec);
  const fields = objectFields(spec);
  const builder = new StructBuilder(
    fields.map((f) => f.name),
    fieldBuilders,
  );
  if (fieldBuilders.length !== fields.length) throw new Error(`object ${spec.className}: ${fieldBuilders.length} builders for ${fields.length} fields`);
  // Member-wise: each data member of the item class (those of its bases inline) for all items in turn.
  const memberWise = (c: Cursor, count: number) => {
    for (const readMany of top.inlineMembers) readMany(c, count);
    builder.close(count);
  };
  return {
    builder,
    read(c) {
      readLevel(c, top);
      builder.close();
    },
    readMemberWise: memberWise,
  };
}
