import fs from 'node:fs';
import { AppError } from '@/lib/shared/app-error';

/**
 * The scratch tables of a build (the rows one input file gives, the buckets of the merge): chunks of rows, each
 * `[u32 rows]` then every column's values little-endian in declaration order. They are read back in the order they
 * were written, chunk by chunk, so memory holds one chunk.
 */
export type PartColumnType = 'float32' | 'float64' | 'int32';
export type PartColumnSpec = { readonly name: string; readonly type: PartColumnType };
export type PartColumns = Record<string, Float32Array | Float64Array | Int32Array>;

const WIDTH: Record<PartColumnType, number> = { float32: 4, float64: 8, int32: 4 };
const TYPED = { float32: Float32Array, float64: Float64Array, int32: Int32Array } as const;

export function rowWidth(columns: readonly PartColumnSpec[]): number {
  return columns.reduce((s, c) => s + WIDTH[c.type], 0);
}

export function allocateColumn(type: PartColumnType, rows: number): Float32Array | Float64Array | Int32Array {
  return type === 'float32' ? new Float32Array(rows) : type === 'float64' ? new Float64Array(rows) : new Int32Array(rows);
}

/** Appends chunks to a part table file (synchronous writes: the file is scratch, written by one thread). */
export class PartTableWriter {
  rows = 0;
  private readonly fd: number;

  constructor(readonly file: string, readonly columns: readonly PartColumnSpec[]) {
    this.fd = fs.openSync(file, 'wx');
  }

  append(values: Record<string, ArrayLike<number>>, rows: number): void {
    if (rows === 0) return;
    const bytes = Buffer.allocUnsafe(4 + rows * rowWidth(this.columns));
    bytes.writeUInt32LE(rows, 0);
    let at = 4;
    for (const spec of this.columns) {
      const column = values[spec.name];
      if (!column || column.length < rows) throw new AppError('INTERNAL', `part table ${this.file}: column ${spec.name} has ${column?.length ?? 0} values for ${rows} rows.`);
      let typed: Float32Array | Float64Array | Int32Array;
      if (column instanceof TYPED[spec.type]) typed = (column as Float32Array | Float64Array | Int32Array).subarray(0, rows);
      else {
        typed = allocateColumn(spec.type, rows);
        for (let i = 0; i < rows; i++) typed[i] = column[i] as number;
      }
      Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength).copy(bytes, at);
      at += typed.byteLength;
    }
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(this.fd, bytes, written, bytes.length - written);
    this.rows += rows;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Reads a part table chunk by chunk. */
export function* readPartTable(file: string, columns: readonly PartColumnSpec[]): Generator<{ rows: number; columns: PartColumns }> {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    let position = 0;
    const header = Buffer.alloc(4);
    const width = rowWidth(columns);
    while (position < size) {
      if (fs.readSync(fd, header, 0, 4, position) !== 4) throw new AppError('INTERNAL', `part table ${file} is truncated at byte ${position}.`, { file });
      const rows = header.readUInt32LE(0);
      const body = Buffer.allocUnsafe(rows * width);
      let got = 0;
      while (got < body.length) {
        const n = fs.readSync(fd, body, got, body.length - got, position + 4 + got);
        if (n === 0) throw new AppError('INTERNAL', `part table ${file} is truncated in the chunk at byte ${position}.`, { file });
        got += n;
      }
      position += 4 + body.length;
      const out: PartColumns = {};
      let at = 0;
      for (const spec of columns) {
        const typed = allocateColumn(spec.type, rows);
        const bytes = rows * WIDTH[spec.type];
        Buffer.from(typed.buffer).set(body.subarray(at, at + bytes));
        at += bytes;
        out[spec.name] = typed;
      }
      yield { rows, columns: out };
    }
  } finally {
    fs.closeSync(fd);
  }
}
