import fs from 'node:fs';
import path from 'node:path';
import { allocateColumn, type PartColumns, type PartColumnSpec, PartTableWriter, readPartTable, rowWidth } from './part-table';

/**
 * Puts rows into an order given by a position per row (a shuffle, a split) without holding the table: rows go to
 * bucket files by position range as they come (one pass), then each bucket (at most `bucketRows` rows) is read back
 * and ordered in memory. Memory: one bucket, plus a small write buffer per bucket.
 */
export class RowScatter {
  private readonly buckets: { writer: PartTableWriter | null; pending: PartColumns; filled: number }[] = [];
  private readonly columns: PartColumnSpec[];
  private readonly bufferRows: number;

  constructor(private readonly dir: string, private readonly name: string, columns: readonly PartColumnSpec[], private readonly positions: number, private readonly bucketRows = 65_536) {
    this.columns = [{ name: '_position', type: 'int32' }, ...columns];
    fs.mkdirSync(dir, { recursive: true });
    this.bufferRows = Math.max(64, Math.min(4096, Math.floor(65_536 / rowWidth(this.columns))));
    const count = Math.ceil(positions / bucketRows);
    for (let b = 0; b < count; b++) this.buckets.push({ writer: null, pending: this.allocate(), filled: 0 });
  }

  private allocate(): PartColumns {
    return Object.fromEntries(this.columns.map((c) => [c.name, allocateColumn(c.type, this.bufferRows)]));
  }

  private file(bucket: number): string {
    return path.join(this.dir, `${this.name}-${bucket}.bin`);
  }

  /** Adds the rows of a chunk whose position is ≥ 0 (position −1 leaves a row out). */
  add(positions: ArrayLike<number>, chunk: PartColumns, rows: number): void {
    for (let r = 0; r < rows; r++) {
      const position = positions[r] as number;
      if (position < 0) continue;
      const b = Math.floor(position / this.bucketRows);
      const bucket = this.buckets[b];
      if (!bucket) throw new Error(`row position ${position} is outside 0…${this.positions - 1}`);
      const at = bucket.filled;
      (bucket.pending._position as Int32Array)[at] = position;
      for (let c = 1; c < this.columns.length; c++) {
        const name = (this.columns[c] as PartColumnSpec).name;
        (bucket.pending[name] as Float64Array)[at] = (chunk[name] as Float64Array)[r] as number;
      }
      bucket.filled++;
      if (bucket.filled === this.bufferRows) this.flush(b);
    }
  }

  private flush(b: number): void {
    const bucket = this.buckets[b];
    if (!bucket || bucket.filled === 0) return;
    bucket.writer ??= new PartTableWriter(this.file(b), this.columns);
    bucket.writer.append(bucket.pending, bucket.filled);
    bucket.filled = 0;
  }

  /**
   * The rows in position order, one bucket at a time: `positions` ascending (positions nobody added are absent),
   * columns compacted to match. Removes each bucket file once it has been read.
   */
  *emit(): Generator<{ positions: Int32Array; columns: PartColumns; rows: number }> {
    for (let b = 0; b < this.buckets.length; b++) this.flush(b);
    for (const bucket of this.buckets) bucket.writer?.close();
    for (let b = 0; b < this.buckets.length; b++) {
      const start = b * this.bucketRows;
      const size = Math.min(this.bucketRows, this.positions - start);
      const slot = new Int32Array(size).fill(-1);
      const loaded: PartColumns[] = [];
      const loadedRows: number[] = [];
      if (this.buckets[b]?.writer) {
        for (const chunk of readPartTable(this.file(b), this.columns)) {
          loaded.push(chunk.columns);
          loadedRows.push(chunk.rows);
        }
      }
      // Where each slot's row is: chunk and row within it.
      const chunkOf = new Int32Array(size);
      const rowOf = new Int32Array(size);
      loaded.forEach((columns, c) => {
        const positions = columns._position as Int32Array;
        for (let r = 0; r < (loadedRows[c] as number); r++) {
          const s = (positions[r] as number) - start;
          if (slot[s] !== -1) throw new Error(`two rows have position ${positions[r]}`);
          slot[s] = 1;
          chunkOf[s] = c;
          rowOf[s] = r;
        }
      });
      let present = 0;
      for (let s = 0; s < size; s++) if (slot[s] === 1) present++;
      const out: PartColumns = {};
      for (const spec of this.columns.slice(1)) out[spec.name] = allocateColumn(spec.type, present);
      const positions = new Int32Array(present);
      let at = 0;
      for (let s = 0; s < size; s++) {
        if (slot[s] !== 1) continue;
        positions[at] = start + s;
        const columns = loaded[chunkOf[s] as number] as PartColumns;
        const r = rowOf[s] as number;
        for (const spec of this.columns.slice(1)) (out[spec.name] as Float64Array)[at] = (columns[spec.name] as Float64Array)[r] as number;
        at++;
      }
      fs.rmSync(this.file(b), { force: true });
      if (present > 0) yield { positions, columns: out, rows: present };
    }
  }
}
