import type { NumberElement, ValueType } from './value-type';

/**
 * How one value is laid out in ROOT's streamer format (big-endian), as a small program the interpreter
 * (read-values.ts) runs. Plain data, so that a plan can be sent to a worker thread.
 *
 * - `number`, `bool`: one fixed-size value.
 * - `float16` / `double32`: ROOT's reduced-precision floats. With `factor` > 0 an unsigned 32-bit integer
 *   `x` stands for `xmin + x / factor`; else with `nbits` > 0 an exponent byte and a mantissa short; else
 *   (Double32_t only) a 4-byte float.
 * - `string`: TString / std::string body, a length byte (255: a 4-byte length follows) and the bytes.
 * - `char-star`: a 4-byte length and the bytes.
 * - `fixed`: a C array of `size` items.
 * - `sequence`: an STL vector, list, deque or set: optional header (byte count + version), a 4-byte count, the
 *   items. A version with bit 0x4000 means the objects are streamed member-wise (all first members, then all
 *   second members, …), preceded by the item class version (and checksum when it is 0).
 * - `headed`: a version header (byte count + version) before the item, as ROOT writes std::string members.
 * - `counted`: a C array whose length is the integer member `count` read earlier in the same object: a one-byte
 *   "is array" flag, then the items.
 * - `object`: a class from its streamer info. `header` says whether a byte count + version precede the members
 *   (`detect`: present when the first word carries the byte-count flag and matches the entry length).
 * - `tobject`: TObject's own fields (version, unique id, bits, and a process id when the object is referenced);
 *   not part of the output.
 * - `skip-pointer`: an object written through a pointer (null, a reference, or a byte-counted object); skipped.
 */
export type ReadSpec =
  | { op: 'number'; element: NumberElement }
  | { op: 'bool' }
  | { op: 'float16'; nbits: number; xmin: number; factor: number }
  | { op: 'double32'; nbits: number; xmin: number; factor: number }
  | { op: 'string' }
  | { op: 'char-star' }
  | { op: 'fixed'; size: number; item: ReadSpec }
  | { op: 'sequence'; header: boolean; item: ReadSpec }
  | { op: 'counted'; count: string; item: ReadSpec }
  | { op: 'headed'; item: ReadSpec }
  | { op: 'object'; className: string; header: 'yes' | 'no' | 'detect'; members: MemberSpec[] }
  | { op: 'tobject' }
  | { op: 'skip-pointer' };

/** A member of an object: named (a field of the output struct), a base class (its fields join the parent's), or unnamed (read and dropped). */
export type MemberSpec = { name: string | null; spec: ReadSpec; isBase?: boolean };

/** The type of the value a spec produces; null for specs that produce nothing (TObject, skipped pointers). */
export function outputTypeOf(spec: ReadSpec): ValueType | null {
  switch (spec.op) {
    case 'number':
      return { kind: 'number', element: spec.element };
    case 'bool':
      return { kind: 'bool' };
    case 'float16':
      return { kind: 'number', element: 'float32' };
    case 'double32':
      return { kind: 'number', element: 'float64' };
    case 'string':
    case 'char-star':
      return { kind: 'string' };
    case 'headed':
      return outputTypeOf(spec.item);
    case 'fixed': {
      const item = outputTypeOf(spec.item);
      return item && { kind: 'fixed-list', size: spec.size, item };
    }
    case 'sequence':
    case 'counted': {
      const item = outputTypeOf(spec.item);
      return item && { kind: 'list', item };
    }
    case 'object':
      return { kind: 'struct', fields: objectFields(spec) };
    case 'tobject':
    case 'skip-pointer':
      return null;
  }
}

/** The output fields of an object: its named members, with the fields of base classes spliced in first-to-last. */
export function objectFields(spec: Extract<ReadSpec, { op: 'object' }>): { name: string; type: ValueType }[] {
  const fields: { name: string; type: ValueType }[] = [];
  for (const member of spec.members) {
    if (member.isBase && member.spec.op === 'object') {
      fields.push(...objectFields(member.spec));
      continue;
    }
    if (member.name === null) continue;
    const type = outputTypeOf(member.spec);
    if (type) fields.push({ name: member.name, type });
  }
  return fields;
}

/**
 * The same object without version headers and without TObject: how classes with a hand-written streamer (or
 * `IgnoreTObjectStreamer`) write only their data members. Used as a fallback when an entry's size says so.
 */
export function withoutHeaders(spec: ReadSpec): ReadSpec {
  if (spec.op !== 'object') return spec;
  return {
    ...spec,
    header: 'no',
    members: spec.members.filter((m) => m.spec.op !== 'tobject').map((m) => ({ ...m, spec: m.isBase || m.spec.op === 'object' ? withoutHeaders(m.spec) : m.spec })),
  };
}

/** Bytes a spec always takes, or null when its size varies (strings, containers, headers with byte counts). */
export function fixedSizeOf(spec: ReadSpec): number | null {
  switch (spec.op) {
    case 'number':
      return { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, float32: 4, float64: 8 }[spec.element];
    case 'bool':
      return 1;
    case 'float16':
    case 'double32':
      return spec.factor > 0 ? 4 : spec.nbits > 0 || spec.op === 'float16' ? 3 : 4;
    case 'fixed': {
      const item = fixedSizeOf(spec.item);
      return item === null ? null : item * spec.size;
    }
    case 'object': {
      if (spec.header !== 'no') return null;
      let total = 0;
      for (const m of spec.members) {
        const size = fixedSizeOf(m.spec);
        if (size === null) return null;
        total += size;
      }
      return total;
    }
    default:
      return null;
  }
}
