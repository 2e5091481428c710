import type { NumberElement, ValueType } from '../value-type';
import { columnTypeName, columnTypeOf } from './column-types';
import type { ColumnDescriptor, FieldDescriptor } from './rntuple-descriptor';

/** Arrow value types of decoded leaves. */
export type RNTupleNumberType = 'bool' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64';

/** The columns of a field, one list per column representation (usually one), each ordered by column id. */
export type FieldColumns = { fieldId: number; fieldName: string; representations: ColumnDescriptor[][] };

/** How one level of nesting between the entry and the leaf is stored. */
export type RNTupleStep =
  | { kind: 'list'; columns: FieldColumns }
  | { kind: 'fixed'; size: number }
  | { kind: 'variant'; columns: FieldColumns; tag: number };

export type RNTupleLeaf =
  | { kind: 'number'; type: RNTupleNumberType; columns: FieldColumns }
  | { kind: 'string'; columns: FieldColumns }
  /** `ROOT::RNTupleCardinality<T>`: the size of each collection, from its index column. */
  | { kind: 'cardinality'; type: 'uint32' | 'uint64'; columns: FieldColumns };

/**
 * One output column: a leaf reached from an entry through lists (collections), fixed-size arrays and variant
 * alternatives; records are flattened into the name, which joins the field path with dots.
 */
export type RNTupleColumnPlan = {
  /** Column name: field path joined by ".", ATLAS's ":" (written for "." in field names) shown as ".". */
  name: string;
  /** The field path as stored (names joined by "."), also accepted by selections. */
  fieldPath: string;
  /** Names (shown and stored) of the records and variants the column lies in: selecting one selects all its columns. */
  scopes: string[];
  /** C++ type of the field that ends the name. */
  typeName: string;
  /** The decoded value type (the Arrow type of the column): lists for collections and variants, fixed-size lists for arrays. */
  type: ValueType;
  steps: RNTupleStep[];
  leaf: RNTupleLeaf;
  /** Top-level field id (for grouping) and whether the column comes from a projected field. */
  topFieldId: number;
  isProjected: boolean;
  /** Physical column ids read for this column. */
  physicalColumns: number[];
};

/** A top-level field that cannot be read: its shown name, stored name, C++ type and why. */
export type RNTupleUnsupportedField = { name: string; fieldPath: string; typeName: string; reason: string };

export type RNTupleSchema = { columns: RNTupleColumnPlan[]; unsupported: RNTupleUnsupportedField[] };

const NUMBER_TYPES: Record<string, RNTupleNumberType> = {
  bool: 'bool',
  char: 'int8',
  'std::byte': 'uint8',
  'std::int8_t': 'int8',
  'std::uint8_t': 'uint8',
  'std::int16_t': 'int16',
  'std::uint16_t': 'uint16',
  'std::int32_t': 'int32',
  'std::uint32_t': 'uint32',
  'std::int64_t': 'int64',
  'std::uint64_t': 'uint64',
  float: 'float32',
  double: 'float64',
  Double32_t: 'float64',
};

class Unsupported extends Error {}

/** The value type of a leaf as decoded: numbers in the field's in-memory type, bool, UTF-8, cardinalities as unsigned integers. */
function leafValueType(leaf: RNTupleLeaf): ValueType {
  if (leaf.kind === 'string') return { kind: 'string' };
  if (leaf.type === 'bool') return { kind: 'bool' };
  return { kind: 'number', element: leaf.type satisfies NumberElement };
}

/**
 * Turns the field tree of an RNTuple into output columns. A top-level field that cannot be read (a column type
 * newer than format 1.0, a ROOT-streamed object, an unknown leaf type) is reported with its reason instead, as the
 * specification asks readers to ignore such fields.
 */
export function planRNTupleColumns(fields: readonly FieldDescriptor[], columns: readonly ColumnDescriptor[], aliases: readonly { physicalColumnId: number; fieldId: number }[]): RNTupleSchema {
  const children = new Map<number, FieldDescriptor[]>();
  for (const field of fields) {
    if (field.parentId === field.id) continue;
    const list = children.get(field.parentId) ?? [];
    list.push(field);
    children.set(field.parentId, list);
  }
  const physicalByField = new Map<number, ColumnDescriptor[]>();
  for (const column of columns) physicalByField.set(column.fieldId, [...(physicalByField.get(column.fieldId) ?? []), column]);
  for (const alias of aliases) {
    const physical = columns[alias.physicalColumnId];
    if (physical) physicalByField.set(alias.fieldId, [...(physicalByField.get(alias.fieldId) ?? []), physical]);
  }
  const columnsOf = (field: FieldDescriptor): FieldColumns => {
    const byRepresentation = new Map<number, ColumnDescriptor[]>();
    for (const column of physicalByField.get(field.id) ?? []) {
      const type = columnTypeOf(column.typeCode);
      if (!type) throw new Unsupported(`column ${column.id} of field "${field.name}" has column type 0x${column.typeCode.toString(16)}, newer than format 1.0`);
      const r = byRepresentation.get(column.representationIndex) ?? [];
      r.push(column);
      byRepresentation.set(column.representationIndex, r);
    }
    const representations = [...byRepresentation.keys()].sort((a, b) => a - b).map((k) => byRepresentation.get(k) as ColumnDescriptor[]);
    return { fieldId: field.id, fieldName: field.name, representations };
  };
  const expectColumns = (field: FieldDescriptor, cols: FieldColumns, count: number, kinds: readonly string[][]): void => {
    if (cols.representations.length === 0) throw new Unsupported(`field "${field.name}" (${field.typeName}) has no columns`);
    for (const rep of cols.representations) {
      const names = rep.map((c) => columnTypeName(c.typeCode));
      if (rep.length !== count || !rep.every((c, i) => (kinds[i] as string[]).includes(columnTypeOf(c.typeCode)?.value ?? ''))) {
        throw new Unsupported(`field "${field.name}" (${field.typeName}) has columns ${names.join(', ')}, not the ${count} column(s) its type is stored in`);
      }
    }
  };

  const out: RNTupleColumnPlan[] = [];
  const unsupported: RNTupleUnsupportedField[] = [];
  const joinName = (prefix: string, segment: string) => {
    const shown = segment.replace(/:/g, '.');
    if (!prefix) return shown;
    return prefix.endsWith('.') || shown.startsWith('.') ? `${prefix}${shown}` : `${prefix}.${shown}`;
  };
  const joinRaw = (prefix: string, segment: string) => (prefix ? `${prefix}.${segment}` : segment);

  type Walk = { name: string; raw: string; scopes: string[]; typeName: string; steps: RNTupleStep[]; physical: number[]; wrap: (leaf: ValueType) => ValueType };
  const visit = (field: FieldDescriptor, walk: Walk, sink: RNTupleColumnPlan[], top: FieldDescriptor): void => {
    const kids = children.get(field.id) ?? [];
    const cols = columnsOf(field);
    const physical = [...walk.physical, ...cols.representations.flat().map((c) => c.id)];
    if (field.role === 'streamer') throw new Unsupported(`field "${field.name}" (${field.typeName}) is stored with ROOT's streamer as opaque bytes`);
    if (field.role === 'unknown') throw new Unsupported(`field "${field.name}" has structural role ${field.roleCode}, newer than format 1.0`);
    if (field.arraySize !== null) {
      const [item] = kids;
      if (cols.representations.length > 0 && kids.length === 0) {
        // std::bitset<N>: a repetitive leaf with a Bit column.
        expectColumns(field, cols, 1, [['bit']]);
        sink.push(plan({ ...walk, physical, steps: [...walk.steps, { kind: 'fixed', size: field.arraySize }], wrap: (l) => walk.wrap({ kind: 'fixed-list', size: field.arraySize as number, item: l }) }, { kind: 'number', type: 'bool', columns: cols }, top));
        return;
      }
      if (!item || kids.length !== 1) throw new Unsupported(`fixed-size array "${field.name}" has ${kids.length} item fields, expected 1`);
      visit(item, { ...walk, physical, steps: [...walk.steps, { kind: 'fixed', size: field.arraySize }], wrap: (l) => walk.wrap({ kind: 'fixed-list', size: field.arraySize as number, item: l }) }, sink, top);
      return;
    }
    switch (field.role) {
      case 'leaf': {
        if (cols.representations.length === 0 && kids.length === 1) {
          // Enums and std::atomic<T>: the value is the single subfield.
          visit(kids[0] as FieldDescriptor, walk, sink, top);
          return;
        }
        const typeName = field.typeName.replace(/^const /, '');
        if (typeName === 'std::string') {
          expectColumns(field, cols, 2, [['index'], ['char']]);
          sink.push(plan({ ...walk, physical }, { kind: 'string', columns: cols }, top));
          return;
        }
        const cardinality = /^ROOT::RNTupleCardinality<std::uint(32|64)_t>$/.exec(typeName);
        if (cardinality) {
          expectColumns(field, cols, 1, [['index']]);
          const type = cardinality[1] === '32' ? 'uint32' : 'uint64';
          sink.push(plan({ ...walk, physical }, { kind: 'cardinality', type, columns: cols }, top));
          return;
        }
        const type = NUMBER_TYPES[typeName] ?? NUMBER_TYPES[field.typeAlias];
        if (!type) throw new Unsupported(`leaf field "${field.name}" has type ${field.typeName}, which is not a number, bool or std::string`);
        expectColumns(field, cols, 1, [['bit', 'byte', 'char', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'real16', 'real32', 'real64']]);
        sink.push(plan({ ...walk, physical }, { kind: 'number', type, columns: cols }, top));
        return;
      }
      case 'collection': {
        expectColumns(field, cols, 1, [['index']]);
        const step: RNTupleStep = { kind: 'list', columns: cols };
        for (const kid of kids) visit(kid, { ...walk, physical, steps: [...walk.steps, step], wrap: (l) => walk.wrap({ kind: 'list', item: l }) }, sink, top);
        return;
      }
      case 'record': {
        for (const kid of kids) {
          const isBase = kid.name.startsWith(':');
          const scopes = isBase ? walk.scopes : [...walk.scopes, walk.name, walk.raw];
          visit(kid, { ...walk, physical, scopes, name: isBase ? walk.name : joinName(walk.name, kid.name), raw: isBase ? walk.raw : joinRaw(walk.raw, kid.name), typeName: kid.typeName }, sink, top);
        }
        return;
      }
      case 'variant': {
        expectColumns(field, cols, 1, [['switch']]);
        kids.forEach((kid, k) => {
          const step: RNTupleStep = { kind: 'variant', columns: cols, tag: k + 1 };
          const scopes = [...walk.scopes, walk.name, walk.raw];
          visit(kid, { ...walk, physical, scopes, name: joinName(walk.name, kid.name), raw: joinRaw(walk.raw, kid.name), typeName: kid.typeName, steps: [...walk.steps, step], wrap: (l) => walk.wrap({ kind: 'list', item: l }) }, sink, top);
        });
        return;
      }
    }
  };
  const plan = (walk: Walk, leaf: RNTupleLeaf, top: FieldDescriptor): RNTupleColumnPlan => ({
    name: walk.name,
    fieldPath: walk.raw,
    scopes: [...new Set(walk.scopes)],
    typeName: walk.typeName,
    type: walk.wrap(leafValueType(leaf)),
    steps: walk.steps,
    leaf,
    topFieldId: top.id,
    isProjected: (top.flags & 0x02) !== 0 || top.sourceFieldId !== null,
    physicalColumns: walk.physical,
  });

  for (const top of fields.filter((f) => f.parentId === f.id)) {
    const sink: RNTupleColumnPlan[] = [];
    try {
      visit(top, { name: joinName('', top.name), raw: top.name, scopes: [], typeName: top.typeName, steps: [], physical: [], wrap: (l) => l }, sink, top);
      out.push(...sink);
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      unsupported.push({ name: joinName('', top.name), fieldPath: top.name, typeName: top.typeName, reason: error.message });
    }
  }
  const seen = new Set<string>();
  for (const column of out) {
    if (seen.has(column.name)) column.name = column.fieldPath;
    seen.add(column.name);
  }
  return { columns: out, unsupported };
}
