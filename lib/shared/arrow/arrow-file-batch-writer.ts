import { type Data, type DataType, Dictionary, Field, Float32, Float64, Int8, Int32, makeData, makeVector, RecordBatch, Schema, Struct, Uint8, Utf8, type Vector } from 'apache-arrow';
import { AppError } from '../app-error';
import type { ArrowColumn } from './arrow-column';
import { type ArrowFileChunks, createArrowFileEncoder } from './arrow-file-encoder';
import { makeBasicColumnData, makeUtf8Data } from './encode-arrow-table';

/**
 * The type of one column of a table written batch by batch. A string column is either plain UTF-8 or dictionary-encoded
 * with a dictionary fixed up front (the Arrow IPC file format allows no replacement dictionaries between batches).
 */
export type ArrowBatchColumnType = 'float32' | 'float64' | 'int32' | 'int8' | 'uint8' | 'utf8' | { dictionary: readonly string[] };

export type ArrowBatchColumnSpec = { name: string; type: ArrowBatchColumnType };

export type ArrowFileBatchWriter = {
  /** Encodes one record batch (the schema and magic come before the first). */
  writeBatch(columns: Record<string, ArrowColumn>): ArrowFileChunks;
  /** The footer; the file is complete after it. A file without batches gets one empty batch, as `encodeArrowTable` writes. */
  finish(): ArrowFileChunks;
};

export type { ArrowFileChunks } from './arrow-file-encoder';

/**
 * Writes an Arrow IPC *file* of flat columns one record batch at a time (on the shared {@link createArrowFileEncoder}),
 * so memory holds one batch however long the table is. For the same columns, metadata and a single batch the bytes
 * equal those of `encodeArrowTable` (same field order, types, dictionary ids = column positions); several batches
 * give one file with several record batches, which pyarrow, polars and apache-arrow read as one table.
 */
export function createArrowFileBatchWriter(columns: readonly ArrowBatchColumnSpec[], metadata: Record<string, string> = {}): ArrowFileBatchWriter {
  const fields: Field[] = [];
  const dictionaries: (Vector | null)[] = [];
  columns.forEach((spec, index) => {
    if (spec.name.length === 0) throw new AppError('INVALID_DATASET', `Column ${index} has an empty name; every Arrow column needs a name.`, { column: spec.name });
    const type = spec.type;
    if (typeof type === 'object') {
      fields.push(new Field(spec.name, new Dictionary(new Utf8(), new Int32(), index, false), false, null));
      dictionaries.push(makeVector(makeUtf8Data([...type.dictionary])));
    } else {
      fields.push(new Field(spec.name, arrowType(type), false, null));
      dictionaries.push(null);
    }
  });
  const schema = new Schema(fields, new Map(Object.entries(metadata)));
  const encoder = createArrowFileEncoder(schema);
  let batches = 0;

  const makeBatch = (values: Record<string, ArrowColumn>, numRows: number): RecordBatch => {
    const children: Data[] = columns.map((spec, index) => {
      const column = values[spec.name];
      if (column === undefined) throw new AppError('INVALID_DATASET', `The batch has no column "${spec.name}".`, { column: spec.name });
      if (column.length !== numRows) {
        throw new AppError('INVALID_DATASET', `Column "${spec.name}" has ${column.length} rows in this batch but column "${columns[0]?.name}" has ${numRows}.`, {
          column: spec.name, expected: String(numRows), found: String(column.length),
        });
      }
      return columnData(spec, column, index, dictionaries[index] ?? null, fields[index] as Field);
    });
    const struct = makeData({ type: new Struct(fields), length: numRows, nullCount: 0, children });
    return new RecordBatch(schema, struct);
  };

  return {
    writeBatch(values) {
      const numRows = columns.length === 0 ? 0 : (values[columns[0]?.name as string]?.length ?? 0);
      batches++;
      return encoder.write(makeBatch(values, numRows));
    },
    finish() {
      const empty = batches === 0 ? encoder.write(makeBatch(Object.fromEntries(columns.map((spec) => [spec.name, emptyColumn(spec.type)])), 0)) : [];
      return [...empty, ...encoder.finish()];
    },
  };
}

function arrowType(type: Exclude<ArrowBatchColumnType, { dictionary: readonly string[] }>): DataType {
  switch (type) {
    case 'float32': return new Float32();
    case 'float64': return new Float64();
    case 'int32': return new Int32();
    case 'int8': return new Int8();
    case 'uint8': return new Uint8();
    case 'utf8': return new Utf8();
  }
}

function emptyColumn(type: ArrowBatchColumnType): ArrowColumn {
  switch (type) {
    case 'float32': return new Float32Array(0);
    case 'float64': return new Float64Array(0);
    case 'int32': return new Int32Array(0);
    case 'int8': return new Int8Array(0);
    case 'uint8': return new Uint8Array(0);
    default: return [];
  }
}

const expectedArrays: Record<string, new (n: number) => ArrowColumn> = { float32: Float32Array, float64: Float64Array, int32: Int32Array, int8: Int8Array, uint8: Uint8Array };

function columnData(spec: ArrowBatchColumnSpec, column: ArrowColumn, index: number, dictionary: Vector | null, field: Field): Data {
  const type = spec.type;
  if (typeof type === 'object') {
    if (!Array.isArray(column)) throw new AppError('INVALID_DATASET', `Column "${spec.name}" must hold strings.`, { column: spec.name });
    const codeOf = new Map(type.dictionary.map((value, code) => [value, code]));
    const codes = new Int32Array(column.length);
    for (let i = 0; i < column.length; i++) {
      const code = codeOf.get(column[i] as string);
      if (code === undefined) {
        throw new AppError('INVALID_DATASET', `Column "${spec.name}" row ${i} holds "${column[i]}", which is not in its dictionary (${type.dictionary.join(', ')}).`, {
          column: spec.name, row: i, expected: type.dictionary.join(', '), found: String(column[i]),
        });
      }
      codes[i] = code;
    }
    return makeData({ type: field.type as Dictionary, length: column.length, nullCount: 0, data: codes, dictionary: dictionary as Vector });
  }
  if (type === 'utf8') {
    if (!Array.isArray(column)) throw new AppError('INVALID_DATASET', `Column "${spec.name}" must hold strings.`, { column: spec.name });
    return makeUtf8Data(column);
  }
  if (!(column instanceof (expectedArrays[type] as new (n: number) => ArrowColumn))) {
    throw new AppError('INVALID_DATASET', `Column "${spec.name}" must be a ${type} array, found ${Array.isArray(column) ? 'strings' : column.constructor.name}.`, { column: spec.name, expected: type });
  }
  return makeBasicColumnData(column, index, 'utf8');
}
