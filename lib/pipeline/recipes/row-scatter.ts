import fs from 'node:fs';
import path from 'node:path';
import { PICK_BY_TYPE, pickInt32 } from './columnar/pick-values';
import { allocateColumn, type PartColumns, type PartColumnSpec, PartTableWriter, readPartTable } from './part-table';

type Column = Float32Array | Float64Array | Int32Array;

/**
 * Puts rows into an order given by a position per row (a shuffle, a split) without holding the table: rows go to
 * bucket files by position range as they come (one pass; each chunk's rows grouped by bucket, column by column), then
 * each bucket (at most `bucketRows` rows) is read back and ordered in memory. Memory: one bucket, plus one chunk.
 */
export class RowScatter {
  private readonly writers: (PartTableWriter | null)[] = [];
  private readonly columns: PartColumnSpec[];

  constructor(private readonly dir: string, private readonly name: string, columns: readonly PartColumnSpec[], private readonly positions: number, private readonly bucketRows = 65_536) {
    this.columns = [{ name: '_position', type: 'int32' }, ...columns];
    fs.mkdirSync(dir, { recursive: true });
    const count = Math.ceil(positions / bucketRows);
    for (let b = 0; b < count; b++) this.writers.push(null);
  }

  private file(bucket: number): string {
    return path.join(this.dir, `${this.name}-${bucket}.bin`);
  }

  /** Adds the rows of a chunk whose position is ≥ 0 (position −1 leaves a row out). */
  add(positions: ArrayLike<number>, chunk: PartColumns, rows: number): void {
    const count = this.writers.length;
    const bucketOf = new Int32Array(rows);
    const sizes = new Int32Array(count);
    for (let r = 0; r < rows; r++) {
      const position = positions[r] as number;
      if (position < 0) {
        bucketOf[r] = -1;
        continue;
      }
      const b = Math.floor(position / this.bucketRows);
      if (!(b < count)) throw new Error(`row position ${position} is outside 0…${this.positions - 1}`);
      bucketOf[r] = b;
      sizes[b] = (sizes[b] as number) + 1;
    }
    // The chunk's rows grouped by bucket, in chunk order within each bucket.
    const starts = new Int32Array(count + 1);
    for (let b = 0; b < count; b++) starts[b + 1] = (starts[b] as number) + (sizes[b] as number);
    const cursor = starts.slice(0, count);
    const order = new Int32Array(starts[count] as number);
    for (let r = 0; r < rows; r++) {
      const b = bucketOf[r] as number;
      if (b < 0) continue;
      const at = cursor[b] as number;
      order[at] = r;
      cursor[b] = at + 1;
    }
    for (let b = 0; b < count; b++) {
      const size = sizes[b] as number;
      if (size === 0) continue;
      const rowsOf = order.subarray(starts[b] as number, (starts[b] as number) + size);
      const values: PartColumns = { _position: pickInt32(positions, rowsOf) };
      for (let c = 1; c < this.columns.length; c++) {
        const spec = this.columns[c] as PartColumnSpec;
        values[spec.name] = PICK_BY_TYPE[spec.type](chunk[spec.name] as Column, rowsOf);
      }
      let writer = this.writers[b] as PartTableWriter | null;
      if (!writer) {
        writer = new PartTableWriter(this.file(b), this.columns);
        this.writers[b] = writer;
      }
      writer.append(values, size);
    }
  }

  /**
   * The rows in position order, one bucket at a time: `positions` ascending (positions nobody added are absent),
   * columns compacted to match. Removes each bucket file once it has been read.
   */
  *emit(): Generator<{ positions: Int32Array; columns: PartColumns; rows: number }> {
    for (const writer of this.writers) writer?.close();
    for (let b = 0; b < this.writers.length; b++) {
      if (!this.writers[b]) continue;
      const start = b * this.bucketRows;
      const size = Math.min(this.bucketRows, this.positions - start);
      const loaded: { rows: number; columns: PartColumns }[] = [...readPartTable(this.file(b), this.columns)];
      const total = loaded.reduce((s, c) => s + c.rows, 0);
      // The bucket's chunks as one table.
      const table: PartColumns = {};
      for (const spec of this.columns) {
        if (loaded.length === 1) {
          table[spec.name] = (loaded[0] as { columns: PartColumns }).columns[spec.name] as Column;
          continue;
        }
        const column = allocateColumn(spec.type, total);
        let at = 0;
        for (const chunk of loaded) {
          column.set(chunk.columns[spec.name] as Column, at);
          at += chunk.rows;
        }
        table[spec.name] = column;
      }
      // Which row of the table fills each slot of the bucket.
      const slotRow = new Int32Array(size).fill(-1);
      const rowPositions = table._position as Int32Array;
      for (let r = 0; r < total; r++) {
        const s = (rowPositions[r] as number) - start;
        if (slotRow[s] !== -1) throw new Error(`two rows have position ${rowPositions[r]}`);
        slotRow[s] = r;
      }
      const order = new Int32Array(total);
      const positions = new Int32Array(total);
      let present = 0;
      for (let s = 0; s < size; s++) {
        const r = slotRow[s] as number;
        if (r < 0) continue;
        order[present] = r;
        positions[present] = start + s;
        present++;
      }
      const out: PartColumns = {};
      for (let c = 1; c < this.columns.length; c++) {
        const spec = this.columns[c] as PartColumnSpec;
        out[spec.name] = PICK_BY_TYPE[spec.type](table[spec.name] as Column, order);
      }
      fs.rmSync(this.file(b), { force: true });
      if (present > 0) yield { positions, columns: out, rows: present };
    }
  }
}
