import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { arrowTableToCsv, type ArrowColumn } from '@/lib/shared/arrow';
import { DER_COLUMN_NAMES, PRI_COLUMN_NAMES, type PriColumns } from '../features/der-features';
import { numericColumnOrThrow, readFeatureTable } from '../io/read-feature-table';
import { applyDetectorSystematics, type DetectorSystematicsParameters } from './detector-systematics';

export type RunSystematicsFileOptions = DetectorSystematicsParameters & {
  input: string;
  out: string;
  onProgress?: (message: string) => void;
};

/**
 * `pipeline systematics`: reads the 16 PRI columns of a Parquet or CSV table, applies the detector systematics
 * and post-selection ({@link applyDetectorSystematics}) and writes the surviving events' 16 PRI + 12 DER columns
 * as CSV (header = column names, float32 values in shortest round-trip form), atomically.
 */
export async function runSystematicsFile(options: RunSystematicsFileOptions): Promise<{ out: string; rowsIn: number; rowsOut: number }> {
  const progress = options.onProgress ?? (() => {});
  const fileName = path.basename(options.input);
  const table = await readFeatureTable(options.input);
  const pri = Object.fromEntries(PRI_COLUMN_NAMES.map((name) => [name, numericColumnOrThrow(table, name, fileName)])) as PriColumns;
  progress(`read ${table.numRows} events from ${fileName}; tes ${options.tes ?? 1}, jes ${options.jes ?? 1}, soft-met ${options.softMet ?? 0}${options.softMet ? ` (seed ${options.seed ?? 31415})` : ''}`);
  const result = applyDetectorSystematics(pri, options);
  const columns: Record<string, ArrowColumn> = {};
  for (const name of PRI_COLUMN_NAMES) columns[name] = result.pri[name];
  for (const name of DER_COLUMN_NAMES) columns[name] = result.der[name];
  const csv = arrowTableToCsv({ numRows: result.keptRows.length, columnNames: Object.keys(columns), columns, metadata: {} });
  const out = path.resolve(options.out);
  await fs.promises.mkdir(path.dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    await fs.promises.writeFile(tmp, csv);
    await fs.promises.rename(tmp, out);
  } catch (error) {
    await fs.promises.rm(tmp, { force: true });
    throw error;
  }
  progress(`kept ${result.keptRows.length} of ${table.numRows} events after the post-selection; wrote ${out}`);
  return { out, rowsIn: table.numRows, rowsOut: result.keptRows.length };
}
