/** The one module family that imports apache-arrow; browser- and server-safe (no Node APIs). */
export type { AnyArrowColumn, ArrowColumn, ArrowListColumn, DecodedArrowColumns, DecodedArrowTable, WideNumericArray } from './arrow-column';
export { columnRowCount, isArrowListColumn } from './arrow-column';
export { encodeArrowTable, type EncodeArrowTableOptions } from './encode-arrow-table';
export { decodeArrowColumns, decodeArrowTable } from './decode-arrow-table';
export { readArrowFileBatches, readArrowStreamBatches } from './read-arrow-batches';
export type { PositionalReader, RandomAccessBytes, StreamedColumnType, StreamedTable, StreamedTableOptions, TableBatch } from './streamed-table';
export { randomAccessBytes } from './streamed-table';
export { arrowTableToCsv, formatFloat32, formatFloat64, type ArrowTableToCsvOptions } from './arrow-table-to-csv';
export { createArrowFileEncoder, type ArrowFileEncoder } from './arrow-file-encoder';
export { createArrowFileBatchWriter, type ArrowBatchColumnSpec, type ArrowBatchColumnType, type ArrowFileBatchWriter, type ArrowFileChunks } from './arrow-file-batch-writer';
export { encodeCsvRows, formatCsvHeader, formatCsvRows } from './arrow-table-to-csv';
