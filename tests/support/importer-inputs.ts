import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HIGGSML_2014_HEADER } from '@/lib/pipeline/importers/higgsml-2014-csv';
import { createRandomStream } from '@/lib/pipeline/random/random-stream';
import type { ArrowColumn } from '@/lib/shared/arrow';
import { createParquetBatchWriter, readParquetTable } from '@/lib/shared/parquet';
import { fixturePath } from './fixtures';

/**
 * Seeded generators of large importer inputs for tests and `npm run bench -- importers`, made by resampling the real
 * samples in ../shared/data (never copied into the repository): the same arguments give the same bytes.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Row counts of the real open-data file per KaggleSet (818,238 rows in all). */
export const HIGGSML_2014_SET_ROWS = { t: 250_000, b: 100_000, v: 450_000, u: 18_238 } as const;

/**
 * A HiggsML 2014 CSV in the open-data format with `rows` rows resampled (with replacement, seeded) from the 9,998-row
 * sample: EventId 100000 + row, KaggleSet t/b/v/u in the real file's proportions (in blocks, as in the real file),
 * KaggleWeight rescaled so each set sums to about the sample's total. Written line by line (bounded memory).
 */
export async function writeSyntheticHiggsml2014Csv(file: string, rows: number, seed: number): Promise<void> {
  const sample = ['train_sml_bg.csv', 'train_sml_sig.csv'].flatMap((name) =>
    fs.readFileSync(fixturePath(`higgsml_2014_sample/${name}`), 'utf8').split(/\r?\n/).slice(1).filter(Boolean).map((line) => line.split(',')),
  );
  const random = createRandomStream(seed, 'synthetic-higgsml-2014');
  const total = Object.values(HIGGSML_2014_SET_ROWS).reduce((a, b) => a + b, 0);
  const sets = (Object.entries(HIGGSML_2014_SET_ROWS) as [string, number][]).map(([code, n]) => ({ code, rows: Math.round((n / total) * rows) }));
  (sets[sets.length - 1] as { rows: number }).rows = rows - sets.slice(0, -1).reduce((s, x) => s + x.rows, 0);
  const out = fs.createWriteStream(file);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write(`${HIGGSML_2014_HEADER.join(',')}\n`);
  let row = 0;
  for (const set of sets) {
    const weightScale = sample.length / Math.max(1, set.rows);
    let chunk = '';
    for (let i = 0; i < set.rows; i++) {
      const fields = [...(sample[random.integer(sample.length)] as string[])];
      fields[0] = String(100_000 + row);
      fields[33] = set.code;
      fields[34] = String(Number(fields[34]) * weightScale);
      chunk += `${fields.join(',')}\n`;
      row++;
      if (chunk.length > 1 << 20) {
        await write(chunk);
        chunk = '';
      }
    }
    await write(chunk);
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/**
 * A FAIR-Universe Parquet file with `rows` rows resampled (seeded) from the 1,000-row sample, in row groups of
 * `rowGroupRows` rows (SNAPPY), with the sample's column names and types. Memory holds one row group.
 */
export async function writeSyntheticFairUniverseParquet(file: string, rows: number, seed: number, rowGroupRows = 500_000): Promise<void> {
  const sample = await readParquetTable(new Uint8Array(fs.readFileSync(fixturePath('fair_universe_higgsml_sample/FAIR_Universe_HiggsML_data.parquet'))));
  const random = createRandomStream(seed, 'synthetic-fair-universe');
  const writer = createParquetBatchWriter({ source: `seeded resampling (seed ${seed}) of the FAIR-Universe 1000-row sample` });
  const handle = await fs.promises.open(file, 'w');
  try {
    for (let start = 0; start < rows; start += rowGroupRows) {
      const n = Math.min(rowGroupRows, rows - start);
      const picks = Int32Array.from({ length: n }, () => random.integer(sample.numRows));
      const columns: Record<string, ArrowColumn> = {};
      for (const name of sample.columnNames) {
        const source = sample.columns[name] as ArrowColumn;
        columns[name] = Array.isArray(source)
          ? Array.from(picks, (k) => source[k] as string)
          : (() => {
              const out = new (source.constructor as new (n: number) => Float32Array)(n);
              for (let i = 0; i < n; i++) out[i] = source[picks[i] as number] as number;
              return out;
            })();
      }
      await handle.write(writer.writeRowGroup(columns));
    }
    await handle.write(writer.finish());
  } finally {
    await handle.close();
  }
}

/** ATLAS top-tagging HDF5 shards from the committed python3-h5py generator (scripts/generate-top-tagging-hdf5.py). */
export function writeSyntheticTopTaggingHdf5(file: string, jets: number, seed: number, options: { weights?: boolean; eventOffset?: number; energyScale?: number } = {}): void {
  const args = [path.join(repoRoot, 'scripts', 'generate-top-tagging-hdf5.py'), '--out', file, '--jets', String(jets), '--seed', String(seed)];
  if (options.weights) args.push('--weights');
  if (options.eventOffset !== undefined) args.push('--event-offset', String(options.eventOffset));
  if (options.energyScale !== undefined) args.push('--energy-scale', String(options.energyScale));
  const result = spawnSync('/usr/bin/python3', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`generate-top-tagging-hdf5.py failed (needs Debian's python3-h5py): ${result.stderr || result.error?.message}`);
}
