import { type Data, type DataType, type Field, type RecordBatch, type Schema, Type, type Vector } from 'apache-arrow';
import { AppError } from '@/lib/shared/app-error';
import type { RootElementType, RootNumericArray } from '../root-types';
import type { TreeBranchSpec } from './branch-types';
import type { BranchColumn } from './branch-writers';

function elementTypeOf(type: DataType): RootElementType | null {
  switch (type.typeId) {
    case Type.Bool:
      return 'bool';
    case Type.Int: {
      const { bitWidth, isSigned } = type as unknown as { bitWidth: 8 | 16 | 32 | 64; isSigned: boolean };
      const name = `${isSigned ? 'int' : 'uint'}${bitWidth}`;
      return name as RootElementType;
    }
    case Type.Float: {
      const precision = (type as unknown as { precision: number }).precision;
      return precision === 1 ? 'float32' : precision === 2 ? 'float64' : null;
    }
    default:
      return null;
  }
}

/**
 * The branches that hold an Arrow schema's columns, one per field, named as the field: numbers → flat branches
 * (Int8…UInt64, Float32/64, Bool), List<number> → `vector<T>`, Utf8 (and dictionary-encoded Utf8) → C strings.
 * Throws AppError('BAD_REQUEST') naming the first field of another type (Float16, structs, nested lists, …).
 */
export function treeBranchesFromArrowSchema(schema: Schema): TreeBranchSpec[] {
  return schema.fields.map((field: Field): TreeBranchSpec => {
    const { type } = field;
    const flat = elementTypeOf(type);
    if (flat) return { name: field.name, kind: 'number', type: flat };
    if (type.typeId === Type.Utf8 || type.typeId === Type.LargeUtf8) return { name: field.name, kind: 'string' };
    if (type.typeId === Type.Dictionary && [Type.Utf8, Type.LargeUtf8].includes((type as unknown as { dictionary: DataType }).dictionary.typeId)) return { name: field.name, kind: 'string' };
    if (type.typeId === Type.List) {
      const child = (type as unknown as { children: Field[] }).children[0];
      const element = child ? elementTypeOf(child.type) : null;
      if (element) return { name: field.name, kind: 'vector', type: element };
    }
    throw new AppError('BAD_REQUEST', `column "${field.name}" has Arrow type ${String(type)}, which has no ROOT branch here; supported: integers, Float32/64, Bool, List of those, Utf8.`, {
      column: field.name,
      expected: 'Int*, UInt*, Float32/64, Bool, List<number>, Utf8',
      found: String(type),
    });
  });
}

function firstNull(vector: Vector, name: string): AppError | null {
  if (vector.nullCount === 0) return null;
  for (let i = 0; i < vector.length; i++) {
    if (!vector.isValid(i)) return new AppError('BAD_REQUEST', `column "${name}" row ${i} is null; ROOT branches have no nulls (fill it first).`, { column: name, row: i, found: 'null' });
  }
  return null;
}

/** Values of a primitive Data as a typed array (bit-packed booleans unpacked to 0/1 bytes). */
function primitiveValues(data: Data, element: RootElementType, start = 0, length = data.length): RootNumericArray {
  if (element === 'bool') {
    const bits = data.values as Uint8Array;
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const bit = data.offset + start + i;
      out[i] = ((bits[bit >> 3] as number) >> (bit & 7)) & 1;
    }
    return out;
  }
  const values = data.values as RootNumericArray;
  return values.subarray(data.offset + start, data.offset + start + length) as RootNumericArray;
}

/** The columns of a record batch for {@link treeBranchesFromArrowSchema}'s branches (no copy for numbers). */
export function columnsFromRecordBatch(batch: RecordBatch, branches: readonly TreeBranchSpec[]): Record<string, BranchColumn> {
  const columns: Record<string, BranchColumn> = {};
  for (const branch of branches) {
    const vector = batch.getChild(branch.name);
    if (!vector) throw new AppError('BAD_REQUEST', `the record batch has no column "${branch.name}".`, { column: branch.name });
    const nullError = firstNull(vector, branch.name);
    if (nullError) throw nullError;
    const data = vector.data[0] as Data;
    if (branch.kind === 'number') {
      columns[branch.name] = primitiveValues(data, branch.type);
    } else if (branch.kind === 'string') {
      columns[branch.name] = Array.from({ length: vector.length }, (_, i) => String(vector.get(i)));
    } else {
      const offsets = (data.valueOffsets as Int32Array).subarray(data.offset, data.offset + data.length + 1);
      const child = data.children[0] as Data;
      const childVector = vector.getChildAt(0);
      if (childVector && childVector.nullCount > 0) {
        throw new AppError('BAD_REQUEST', `column "${branch.name}" has null list elements; ROOT vectors have no nulls.`, { column: branch.name, found: 'null element' });
      }
      const first = offsets[0] as number;
      const count = (offsets[offsets.length - 1] as number) - first;
      const values = primitiveValues(child, branch.type, first, count);
      columns[branch.name] = { values, offsets: first === 0 ? offsets : offsets.map((o) => o - first) };
    }
  }
  return columns;
}
