import { DataType, Precision, type RecordBatch, RecordBatchReader, type Schema, type Vector } from 'apache-arrow';
import { AppError, isAppError } from '../app-error';
import { decodeStringVector, isArrowStringType } from './decode-arrow-table';
import type { RandomAccessBytes, StreamedColumnType, StreamedTable, StreamedTableOptions, TableBatch } from './streamed-table';

const magic = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
/** Magic + padding at the start, footer length (int32) + magic at the end. */
const fileFramingBytes = 8 + 4 + 6;

/**
 * Reads an Arrow IPC *stream* (what `pyarrow.ipc.new_stream` writes) record batch by record batch from its bytes as
 * they arrive; memory holds one batch. Not for the IPC *file* format, which apache-arrow would buffer whole here:
 * use {@link readArrowFileBatches} for that.
 *
 * @throws {AppError} `options.errorCode` when the bytes are not a readable stream (truncated, corrupt) or a column
 *   holds a null; errors of `chunks` that are `AppError`s (a size limit, say) pass through unchanged.
 */
export async function readArrowStreamBatches(chunks: AsyncIterable<Uint8Array>, options: StreamedTableOptions): Promise<StreamedTable> {
  const ends = { head: new Uint8Array(4), tail: new Uint8Array(8), length: 0 };
  async function* tracked(): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      for (let k = 0; k < 4 - ends.length && k < chunk.length; k++) ends.head[ends.length + k] = chunk[k] as number;
      const tail = chunk.subarray(Math.max(0, chunk.length - 8));
      ends.tail.copyWithin(0, tail.length);
      ends.tail.set(tail, 8 - tail.length);
      ends.length += chunk.length;
      yield chunk;
    }
  }
  // apache-arrow takes a stream cut at (or a few bytes after) a message boundary for a complete one; writers end
  // a stream with an end-of-stream marker, so a stream without it is reported as truncated instead.
  const hasEndMarker = () => {
    const isLegacy = ends.head.some((byte) => byte !== 0xff);
    const marker = isLegacy ? [0, 0, 0, 0] : [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0];
    return ends.length >= 8 && marker.every((byte, k) => ends.tail[8 - marker.length + k] === byte);
  };
  return openBatches(() => RecordBatchReader.from(tracked()), 'stream', options, hasEndMarker);
}

/**
 * Reads an Arrow IPC *file* (`ARROW1` … footer … `ARROW1`, what `pyarrow.feather.write_feather` and
 * `encodeArrowTable` write) record batch by record batch with random access; memory holds the footer and one batch.
 *
 * @throws {AppError} `options.errorCode` when the file is truncated or corrupt or a column holds a null.
 */
export async function readArrowFileBatches(source: RandomAccessBytes, options: StreamedTableOptions): Promise<StreamedTable> {
  await assertArrowFileFraming(source, options);
  // apache-arrow reads an IPC file with random access only through a Node FileHandle; this is the part it uses.
  const handle = {
    fd: -1,
    stat: async () => ({ size: source.byteLength }),
    read: async (buffer: Uint8Array, offset: number, length: number, position: number) => {
      const bytes = await source.read(position, length);
      // apache-arrow loops until it has what it asked for; an empty read would make it spin.
      if (bytes.length === 0 && length > 0) throw new Error(`unexpected end of file at byte ${position}`);
      buffer.set(bytes, offset);
      return { bytesRead: bytes.length, buffer };
    },
    close: async () => {},
  };
  return openBatches(() => RecordBatchReader.from(handle as unknown as Parameters<typeof RecordBatchReader.from>[0]), 'file', options, () => true);
}

/** The file must begin and end with the magic and name a footer inside it, or apache-arrow may read past the end. */
async function assertArrowFileFraming(source: RandomAccessBytes, options: StreamedTableOptions): Promise<void> {
  const size = source.byteLength;
  const isFramed = async () => {
    if (size < fileFramingBytes) return false;
    const head = await source.read(0, 6);
    const tail = await source.read(size - 10, 10);
    if (!magic.every((byte, k) => head[k] === byte && tail[4 + k] === byte)) return false;
    const footerBytes = new DataView(tail.buffer, tail.byteOffset, 4).getInt32(0, true);
    return footerBytes > 0 && footerBytes <= size - fileFramingBytes;
  };
  if (!(await isFramed())) throw unreadable('file', options);
}

async function openBatches(
  open: () => ReturnType<typeof RecordBatchReader.from>,
  kind: 'stream' | 'file',
  options: StreamedTableOptions,
  isComplete: () => boolean,
): Promise<StreamedTable> {
  let reader: Awaited<ReturnType<typeof RecordBatchReader.from>>;
  let schema: Schema | undefined;
  try {
    reader = await open();
    await reader.open();
    schema = reader.schema as Schema | undefined;
  } catch (error) {
    throw isAppError(error) ? error : unreadable(kind, options, error);
  }
  if (!schema) throw unreadable(kind, options);
  const fields = schema.fields;
  const columnTypes: Record<string, StreamedColumnType> = {};
  for (const field of fields) columnTypes[field.name] = classify(field.type as DataType);

  async function* batches(): AsyncGenerator<TableBatch> {
    const iterator = reader[Symbol.asyncIterator]();
    let rowStart = 0;
    try {
      for (;;) {
        let step: IteratorResult<RecordBatch>;
        try {
          step = await iterator.next();
        } catch (error) {
          throw isAppError(error) ? error : unreadable(kind, options, error);
        }
        if (step.done) {
          if (!isComplete()) throw unreadable(kind, options);
          return;
        }
        const batch = step.value;
        const columns: Record<string, Float64Array | string[]> = {};
        fields.forEach((field, k) => {
          const type = columnTypes[field.name] as StreamedColumnType;
          if (type.kind === 'other') return;
          const vector = batch.getChildAt(k) as Vector;
          assertNoNulls(vector, field.name, rowStart, options);
          columns[field.name] = type.kind === 'number' ? toFloat64(vector) : (decodeStringVector(vector) as string[]);
        });
        yield { rowStart, numRows: batch.numRows, columns };
        rowStart += batch.numRows;
      }
    } finally {
      // Releases the source (closes the caller's stream early); a failure here must not hide the error being thrown.
      await Promise.resolve(reader.cancel()).catch(() => {});
    }
  }
  return { columnNames: fields.map((field) => field.name), columnTypes, batches: batches() };
}

function classify(type: DataType): StreamedColumnType {
  if (DataType.isInt(type) || DataType.isFloat(type)) return { kind: 'number' };
  if (isArrowStringType(type)) return { kind: 'string' };
  return { kind: 'other', description: String(type) };
}

function toFloat64(vector: Vector): Float64Array {
  const type = vector.type as DataType;
  if (DataType.isFloat(type) && type.precision === Precision.HALF) return Float64Array.from({ length: vector.length }, (_, i) => vector.get(i) as number);
  const values = vector.toArray() as ArrayLike<number | bigint>;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
  return out;
}

function assertNoNulls(vector: Vector, column: string, rowStart: number, options: StreamedTableOptions): void {
  if (vector.nullCount === 0) return;
  let i = 0;
  while (i < vector.length - 1 && vector.isValid(i)) i++;
  const row = rowStart + i + 1;
  throw new AppError(options.errorCode, `${options.file} row ${row}, column "${column}": expected a value, found null (missing values are not allowed).`, {
    file: options.file,
    row,
    column,
    expected: 'a value',
    found: 'null',
  });
}

function unreadable(kind: 'stream' | 'file', options: StreamedTableOptions, cause?: unknown): AppError {
  const { file } = options;
  return new AppError(
    options.errorCode,
    `${file} is not a readable Arrow IPC ${kind}: it is truncated or corrupt. Write it again (e.g. with pyarrow) and upload the complete file.`,
    { file, expected: `a complete Arrow IPC ${kind}`, found: 'truncated or corrupt data' },
    { cause },
  );
}
