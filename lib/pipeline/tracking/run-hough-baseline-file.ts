import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import type { TableFormat } from '@/lib/shared/formats/column-spec';
import { readScoringColumns } from '@/lib/shared/formats/scoring-files';
import { readScoringFile } from '../scoring/read-scoring-file';
import { findTracksByHough } from './hough-track-finder';

/** A hits table of a tracking dataset (`test_hits.csv`/`.arrow`): the TrackML hit columns with event_id in front. */
const hitsTableFormat: TableFormat = {
  columns: [
    { name: 'event_id', kind: 'id', required: true },
    { name: 'hit_id', kind: 'id', required: true },
    { name: 'x', kind: 'number', required: true },
    { name: 'y', kind: 'number', required: true },
    { name: 'z', kind: 'number', required: true },
    { name: 'volume_id', kind: 'id', required: true },
    { name: 'layer_id', kind: 'id', required: true },
    { name: 'module_id', kind: 'id', required: false },
  ],
  errorCode: 'INVALID_DATASET',
  header: 'event_id,hit_id,x,y,z,volume_id,layer_id[,module_id]',
};

/**
 * Runs the organiser's Hough baseline (`findTracksByHough`) on every event of a hits table (CSV, Arrow IPC or Parquet
 * by extension) and writes a submission `event_id,hit_id,track_id`, ready to upload.
 *
 * @throws {AppError} `BAD_REQUEST` when the input cannot be read; `INVALID_DATASET` naming file, line and column.
 */
export async function runHoughBaselineFile(options: { input: string; out: string; onProgress?: (message: string) => void }): Promise<{ events: number; hits: number; tracks: number; out: string }> {
  const read = readScoringColumns(await readScoringFile(options.input, 'truth'), hitsTableFormat, options.input);
  const columns = read.columns as Record<string, Float64Array>;
  const eventIds = columns.event_id as Float64Array;
  const rowsByEvent = new Map<number, number[]>();
  for (let row = 0; row < read.rows; row++) {
    const id = eventIds[row] as number;
    let rows = rowsByEvent.get(id);
    if (!rows) rowsByEvent.set(id, (rows = []));
    rows.push(row);
  }
  const lines = ['event_id,hit_id,track_id'];
  let tracks = 0;
  const started = performance.now();
  for (const [eventId, rows] of [...rowsByEvent].sort((a, b) => a[0] - b[0])) {
    const pick = (name: string) => Float64Array.from(rows, (row) => (columns[name] as Float64Array)[row] as number);
    const trackIds = findTracksByHough({ x: pick('x'), y: pick('y'), z: pick('z'), volumeId: pick('volume_id'), layerId: pick('layer_id') });
    tracks += new Set(trackIds).size;
    rows.forEach((row, k) => lines.push(`${eventId},${(columns.hit_id as Float64Array)[row]},${trackIds[k]}`));
  }
  options.onProgress?.(`found tracks in ${rowsByEvent.size} events (${read.rows} hits) in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  const out = path.resolve(options.out);
  try {
    fs.writeFileSync(out, `${lines.join('\n')}\n`);
  } catch (cause) {
    throw new AppError('BAD_REQUEST', `Cannot write ${out}: ${cause instanceof Error ? cause.message : String(cause)}.`, { file: out }, { cause });
  }
  return { events: rowsByEvent.size, hits: read.rows, tracks, out };
}
