import { type Data, DataType, tableFromIPC, type Vector } from 'apache-arrow';
import { AppError } from '../app-error';
import type { AnyArrowColumn, ArrowColumn, DecodedArrowColumns, DecodedArrowTable, WideNumericArray } from './arrow-column';

const utf8Decoder = new TextDecoder();

const supportedTypes = 'Float64, Float32, Int32, Int8, Uint8, Utf8, LargeUtf8 or a dictionary of strings';

/**
 * Decodes an Arrow IPC file (or stream) into contiguous, owned columns: numeric columns become typed arrays
 * copied out of the IPC buffer (one array even when the file holds several record batches), string and
 * dictionary-of-string columns become `string[]`.
 *
 * Throws `AppError('INVALID_DATASET')` for bytes that are not Arrow IPC, for a column with nulls (datasets
 * use explicit sentinels instead) and for column types outside {@link ArrowColumn}.
 */
export function decodeArrowTable(bytes: Uint8Array): DecodedArrowTable {
  let table;
  try {
    table = tableFromIPC(bytes);
  } catch (cause) {
    throw new AppError('INVALID_DATASET', 'The bytes are not a readable Arrow IPC file or stream.', {
      expected: 'Arrow IPC file or stream',
      found: `${bytes.length} bytes`,
    }, { cause });
  }
  const columnNames: string[] = [];
  const columns: Record<string, ArrowColumn> = {};
  table.schema.fields.forEach((field, index) => {
    const vector = table.getChildAt(index) as Vector;
    if (vector.nullCount > 0) {
      throw new AppError(
        'INVALID_DATASET',
        `Column "${field.name}" has ${vector.nullCount} null values; write missing values as the dataset's sentinel number instead.`,
        { column: field.name, expected: 'no nulls', found: `${vector.nullCount} nulls` },
      );
    }
    columnNames.push(field.name);
    columns[field.name] = decodeColumn(field.name, vector);
  });
  return {
    numRows: table.numRows,
    columnNames,
    columns,
    metadata: Object.fromEntries(table.schema.metadata),
  };
}

function decodeColumn(name: string, vector: Vector): ArrowColumn {
  const type = vector.type as DataType;
  if (DataType.isFloat(type) || DataType.isInt(type)) {
    const array = vector.toArray() as unknown;
    if (
      array instanceof Float64Array ||
      array instanceof Float32Array ||
      array instanceof Int32Array ||
      array instanceof Int8Array ||
      array instanceof Uint8Array
    ) {
      // toArray() may return a view into the IPC buffer; slice() makes the column independent of it.
      return array.slice();
    }
  } else {
    const strings = decodeStringVector(vector);
    if (strings) return strings;
  }
  throw new AppError(
    'INVALID_DATASET',
    `Column "${name}" has Arrow type ${String(type)}; supported column types are ${supportedTypes}.`,
    { column: name, expected: supportedTypes, found: String(type) },
  );
}

/** Whether a column of this type decodes to strings: Utf8, LargeUtf8 or a dictionary of either. */
export function isArrowStringType(type: DataType): boolean {
  return DataType.isUtf8(type) || DataType.isLargeUtf8(type) || (DataType.isDictionary(type) && (DataType.isUtf8(type.dictionary) || DataType.isLargeUtf8(type.dictionary)));
}

/** The values of a Utf8, LargeUtf8 or dictionary-of-string vector; null for any other type. Nulls are not checked here. */
export function decodeStringVector(vector: Vector): string[] | null {
  const type = vector.type as DataType;
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return decodeUtf8Chunks(vector.data);
  if (!isArrowStringType(type)) return null;
  const values: string[] = [];
  for (const chunk of vector.data) {
    const dictionary = chunk.dictionary ? decodeUtf8Chunks(chunk.dictionary.data) : [];
    const codes = chunk.values as ArrayLike<number | bigint>;
    for (let i = 0; i < chunk.length; i++) values.push(dictionary[Number(codes[i])] as string);
  }
  return values;
}

function decodeUtf8Chunks(chunks: ReadonlyArray<Data>): string[] {
  const values: string[] = [];
  for (const chunk of chunks) {
    const offsets = chunk.valueOffsets as ArrayLike<number | bigint>;
    const bytes = chunk.values as Uint8Array;
    for (let i = 0; i < chunk.length; i++) {
      const start = Number(offsets[i]);
      const end = Number(offsets[i + 1]);
      values.push(utf8Decoder.decode(bytes.subarray(start, end)));
    }
  }
  return values;
}

/**
 * Like {@link decodeArrowTable}, but also accepts `List<number>` columns (decoded to values + offsets), 16-bit,
 * unsigned and 64-bit integers, and returns each field's metadata — what `pipeline convert` writes from ROOT
 * branches. Strings and dictionaries decode as in decodeArrowTable; nulls are rejected the same way.
 */
export function decodeArrowColumns(bytes: Uint8Array): DecodedArrowColumns {
  let table;
  try {
    table = tableFromIPC(bytes);
  } catch (cause) {
    throw new AppError('INVALID_DATASET', 'The bytes are not a readable Arrow IPC file or stream.', { expected: 'Arrow IPC file or stream', found: `${bytes.length} bytes` }, { cause });
  }
  const columnNames: string[] = [];
  const columns: Record<string, AnyArrowColumn> = {};
  const fieldMetadata: Record<string, Record<string, string>> = {};
  table.schema.fields.forEach((field, index) => {
    const vector = table.getChildAt(index) as Vector;
    if (vector.nullCount > 0) {
      throw new AppError('INVALID_DATASET', `Column "${field.name}" has ${vector.nullCount} null values; write missing values as the dataset's sentinel number instead.`, {
        column: field.name, expected: 'no nulls', found: `${vector.nullCount} nulls`,
      });
    }
    columnNames.push(field.name);
    fieldMetadata[field.name] = Object.fromEntries(field.metadata);
    const type = vector.type as DataType;
    if (DataType.isList(type)) {
      columns[field.name] = decodeListChunks(field.name, vector.data);
    } else if (DataType.isInt(type) || DataType.isFloat(type)) {
      columns[field.name] = (vector.toArray() as WideNumericArray).slice();
    } else {
      columns[field.name] = decodeColumn(field.name, vector);
    }
  });
  return { numRows: table.numRows, columnNames, columns, metadata: Object.fromEntries(table.schema.metadata), fieldMetadata };
}

function decodeListChunks(name: string, chunks: ReadonlyArray<Data>): AnyArrowColumn {
  const parts: { values: WideNumericArray; offsets: ArrayLike<number> }[] = [];
  let totalValues = 0;
  let totalRows = 0;
  for (const chunk of chunks) {
    const child = chunk.children[0] as Data | undefined;
    const childType = child?.type as DataType | undefined;
    if (!child || !childType || !(DataType.isInt(childType) || DataType.isFloat(childType)) || child.nullCount > 0) {
      throw new AppError('INVALID_DATASET', `Column "${name}" is a list of ${String(childType)}; only lists of numbers without nulls are supported.`, { column: name, found: String(childType) });
    }
    const offsets = chunk.valueOffsets as Int32Array;
    const first = offsets[0] as number;
    const last = offsets[chunk.length] as number;
    const values = (child.values as WideNumericArray).subarray(first, last) as WideNumericArray;
    parts.push({ values, offsets: Array.from(offsets.subarray(0, chunk.length + 1), (o) => o - first) });
    totalValues += last - first;
    totalRows += chunk.length;
  }
  const first = parts[0]?.values;
  const Constructor = (first?.constructor ?? Float64Array) as new (n: number) => WideNumericArray;
  const values = new Constructor(totalValues);
  const offsets = new Int32Array(totalRows + 1);
  let valueBase = 0;
  let row = 0;
  for (const part of parts) {
    (values as unknown as { set(a: ArrayLike<number | bigint>, o: number): void }).set(part.values, valueBase);
    for (let i = 1; i < part.offsets.length; i++) offsets[++row] = valueBase + (part.offsets[i] as number);
    valueBase += part.values.length;
  }
  return { kind: 'list', values, offsets };
}
