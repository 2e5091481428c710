import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import { type ArrowBatchColumnSpec, type ArrowBatchColumnType, type ArrowColumn, type ArrowFileBatchWriter, createArrowFileBatchWriter, encodeCsvRows, formatCsvHeader } from '@/lib/shared/arrow';
import type { DatasetFile } from '@/lib/shared/dataset-manifest';
import { rootExportTreeName } from '@/lib/shared/formats/root-export-tree-name';
import { createParquetBatchWriter, type ParquetBatchWriter } from '@/lib/shared/parquet';
import type { TreeBranchSpec } from '../root/write/branch-types';
import type { BranchColumn } from '../root/write/branch-writers';
import { createRootFile, type RootFileOutput } from '../root/write/create-root-file';
import type { TTreeWriter } from '../root/write/ttree-writer';

/**
 * The files of one table of a dataset version (its Arrow file and CSV, Parquet and ROOT exports), encoded batch by
 * batch through a buffer of one batch. Used by the dataset writer on its own thread or on writer threads; each
 * writer thread may hold a subset of a table's files, all fed the same rows, so the bytes do not depend on the split.
 *
 * Rows per record batch and Parquet row group: as many as fit in about 16 MiB of column data, at most 100,000 (the
 * row group size of `writeParquetTable`), so a table of up to one batch is written byte for byte as
 * `writeDatasetVersion` writes it, and memory holds one batch per table however many rows there are.
 */
const BATCH_BYTES = 16 * 1024 * 1024;
const MAX_BATCH_ROWS = 100_000;
/** Cells encoded into one CSV chunk at a time. */
const CSV_CHUNK_CELLS = 65_536;

export type TableFileFormat = 'arrow' | 'csv' | 'parquet' | 'root';
/** The order a table's files are listed in the manifest (as writeDatasetVersion lists them). */
export const TABLE_FILE_FORMATS: readonly TableFileFormat[] = ['arrow', 'csv', 'parquet', 'root'];

export function rowBytes(columns: readonly ArrowBatchColumnSpec[]): number {
  const width = { float32: 4, float64: 8, int32: 4, int8: 1, uint8: 1, utf8: 16 } as const;
  return columns.reduce((sum, c) => sum + (typeof c.type === 'object' ? 4 : width[c.type]), 0);
}

/** An output file being written: bytes go to disk as they come, with their sha256 and size. */
export class OutputFile {
  private constructor(readonly name: string, private readonly handle: fs.promises.FileHandle, private readonly hash: Hash, public sizeBytes = 0) {}

  static async open(dir: string, name: string): Promise<OutputFile> {
    return new OutputFile(name, await fs.promises.open(path.join(dir, name), 'wx'), createHash('sha256'));
  }

  async write(chunks: readonly Uint8Array[]): Promise<void> {
    for (let start = 0; start < chunks.length; start += 512) {
      const group = chunks.slice(start, start + 512);
      for (const chunk of group) {
        this.hash.update(chunk);
        this.sizeBytes += chunk.byteLength;
      }
      let pending = group;
      // writev may write fewer bytes than asked; continue from where it stopped.
      while (pending.length > 0) {
        const expected = pending.reduce((s, c) => s + c.byteLength, 0);
        const { bytesWritten } = await this.handle.writev(pending);
        if (bytesWritten >= expected) break;
        let skip = bytesWritten;
        const rest: Uint8Array[] = [];
        for (const chunk of pending) {
          if (skip >= chunk.byteLength) skip -= chunk.byteLength;
          else {
            rest.push(chunk.subarray(skip));
            skip = 0;
          }
        }
        pending = rest;
      }
    }
  }

  async close(): Promise<string> {
    await this.handle.close();
    return this.hash.digest('hex');
  }

  async closeQuietly(): Promise<void> {
    await this.handle.close().catch(() => {});
  }
}

export type TableFilesOptions = {
  tmpDir: string;
  name: string;
  role: DatasetFile['role'];
  columns: ArrowBatchColumnSpec[];
  serverOnly: boolean;
  /** The files this instance writes (a writer thread may write some of a table's files, another thread the rest). */
  files: Record<TableFileFormat, boolean>;
  metadata: Record<string, string>;
  rootTitle: string;
  rootDate: Date | undefined;
  progress: (message: string) => void;
  maxBatchRows?: number;
};

/** Rows per record batch and row group of a table with these columns. */
export function batchRowsOf(columns: readonly ArrowBatchColumnSpec[], maxBatchRows?: number): number {
  return Math.max(1, Math.min(maxBatchRows ?? MAX_BATCH_ROWS, MAX_BATCH_ROWS, Math.floor(BATCH_BYTES / Math.max(1, rowBytes(columns)))));
}

/**
 * Some or all files of one table of the version (e.g. train): its Arrow file and exports, fed through a buffer of
 * one batch. The caller checks the rows (counts, labels, ids) before they come here.
 */
export class TableFiles {
  rows = 0;
  private filled = 0;
  private readonly buffer: Record<string, ArrowColumn>;
  private readonly batchRows: number;
  private closed = false;

  private constructor(
    private readonly options: TableFilesOptions,
    private readonly arrow: { file: OutputFile; writer: ArrowFileBatchWriter } | null,
    private readonly csv: OutputFile | null,
    private readonly parquet: { file: OutputFile; writer: ParquetBatchWriter } | null,
    private readonly root: { file: RootFileOutput; tree: TTreeWriter } | null,
  ) {
    this.batchRows = batchRowsOf(options.columns, options.maxBatchRows);
    this.buffer = Object.fromEntries(options.columns.map((c) => [c.name, allocate(c.type, this.batchRows)]));
  }

  get name(): string {
    return this.options.name;
  }

  static async open(options: TableFilesOptions): Promise<TableFiles> {
    const arrowFile = options.files.arrow ? await OutputFile.open(options.tmpDir, `${options.name}.arrow`) : null;
    const csv = options.files.csv ? await OutputFile.open(options.tmpDir, `${options.name}.csv`) : null;
    const parquetFile = options.files.parquet ? await OutputFile.open(options.tmpDir, `${options.name}.parquet`) : null;
    if (csv) await csv.write([new TextEncoder().encode(formatCsvHeader(options.columns.map((c) => c.name)))]);
    let root: { file: RootFileOutput; tree: TTreeWriter } | null = null;
    if (options.files.root) {
      const file = await createRootFile(path.join(options.tmpDir, `${options.name}.root`), { modifiedAt: options.rootDate, title: options.rootTitle });
      const branches: TreeBranchSpec[] = options.columns.map((c) => (typeof c.type === 'object' || c.type === 'utf8' ? { name: c.name, kind: 'string' } : { name: c.name, kind: 'number', type: c.type }));
      root = { file, tree: file.addTree({ name: rootExportTreeName(options.name), title: options.rootTitle, branches }) };
    }
    return new TableFiles(
      options,
      arrowFile ? { file: arrowFile, writer: createArrowFileBatchWriter(options.columns, options.metadata) } : null,
      csv,
      parquetFile ? { file: parquetFile, writer: createParquetBatchWriter(options.metadata) } : null,
      root,
    );
  }

  /** Appends rows (every column holds `rows` values; checked by the caller). */
  async append(columns: Record<string, ArrowColumn>, rows: number): Promise<void> {
    if (this.closed) throw new AppError('INTERNAL', `The files of ${this.name} are already closed.`);
    this.rows += rows;
    let from = 0;
    while (from < rows) {
      const take = Math.min(rows - from, this.batchRows - this.filled);
      for (const spec of this.options.columns) copyInto(this.buffer[spec.name] as ArrowColumn, this.filled, columns[spec.name] as ArrowColumn, from, take);
      this.filled += take;
      from += take;
      if (this.filled === this.batchRows) await this.flush();
    }
  }

  /** The files written here, with sha256, size and rows, in the order of TABLE_FILE_FORMATS. */
  async finish(): Promise<DatasetFile[]> {
    if (this.filled > 0) await this.flush();
    if (this.arrow) await this.arrow.file.write(this.arrow.writer.finish());
    if (this.parquet) {
      if (this.rows === 0) this.parquet.writer.writeRowGroup(this.view(0));
      await this.parquet.file.write([this.parquet.writer.finish()]);
    }
    this.closed = true;
    const entry = async (file: OutputFile, format: DatasetFile['format'], role: DatasetFile['role'], serverOnly: boolean): Promise<DatasetFile> => {
      const sha256 = await file.close();
      this.options.progress(`wrote ${file.name} (${this.rows} rows, ${(file.sizeBytes / 1e6).toFixed(1)} MB)`);
      return { name: file.name, role, format, sha256, sizeBytes: file.sizeBytes, rows: this.rows, serverOnly };
    };
    const files: DatasetFile[] = [];
    if (this.arrow) files.push(await entry(this.arrow.file, 'arrow', this.options.role, this.options.serverOnly));
    if (this.csv) files.push(await entry(this.csv, 'csv', 'export', false));
    if (this.parquet) files.push(await entry(this.parquet.file, 'parquet', 'export', false));
    if (this.root) {
      this.root.file.close();
      const { sha256, sizeBytes } = await hashFile(this.root.file.filePath);
      this.options.progress(`wrote ${this.name}.root (${this.rows} rows, ${(sizeBytes / 1e6).toFixed(1)} MB)`);
      files.push({ name: `${this.name}.root`, role: 'export', format: 'root', sha256, sizeBytes, rows: this.rows, serverOnly: false });
    }
    return files;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.root?.file.abort();
    await Promise.all([this.arrow?.file.closeQuietly(), this.csv?.closeQuietly(), this.parquet?.file.closeQuietly()]);
  }

  private view(rows: number): Record<string, ArrowColumn> {
    return Object.fromEntries(this.options.columns.map((c) => [c.name, slice(this.buffer[c.name] as ArrowColumn, rows)]));
  }

  private async flush(): Promise<void> {
    const rows = this.filled;
    const batch = this.view(rows);
    if (this.arrow) await this.arrow.file.write(this.arrow.writer.writeBatch(batch));
    if (this.parquet) await this.parquet.file.write([this.parquet.writer.writeRowGroup(batch)]);
    this.root?.tree.appendColumns(batch as Record<string, BranchColumn>);
    if (this.csv) {
      const columns = this.options.columns.map((c) => batch[c.name] as ArrowColumn);
      const chunkRows = Math.max(1, Math.floor(CSV_CHUNK_CELLS / Math.max(1, columns.length)));
      for (let start = 0; start < rows; start += chunkRows) {
        const end = Math.min(rows, start + chunkRows);
        await this.csv.write([encodeCsvRows(columns.map((c) => slice(c, end, start)), end - start)]);
      }
    }
    this.filled = 0;
  }
}

async function hashFile(file: string): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}

export function allocate(type: ArrowBatchColumnType, rows: number): ArrowColumn {
  switch (type) {
    case 'float32': return new Float32Array(rows);
    case 'float64': return new Float64Array(rows);
    case 'int32': return new Int32Array(rows);
    case 'int8': return new Int8Array(rows);
    case 'uint8': return new Uint8Array(rows);
    default: return new Array<string>(rows);
  }
}

function slice(column: ArrowColumn, end: number, start = 0): ArrowColumn {
  return Array.isArray(column) ? column.slice(start, end) : column.subarray(start, end);
}

function copyInto(target: ArrowColumn, at: number, source: ArrowColumn, from: number, count: number): void {
  if (Array.isArray(target)) {
    for (let i = 0; i < count; i++) target[at + i] = String((source as ArrayLike<unknown>)[from + i]);
    return;
  }
  if (Array.isArray(source)) throw new AppError('INVALID_DATASET', 'A numeric column received strings.');
  // Typed-array set converts between element types (e.g. float64 values into a float32 column), as Float32Array.from would.
  (target as Float64Array).set((source as Float64Array).subarray(from, from + count), at);
}

