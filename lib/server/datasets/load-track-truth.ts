import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';
import { BoundedPromiseCache } from '@/lib/server/cache/bounded-promise-cache';
import { type AnyArrowColumn, decodeArrowColumns } from '@/lib/shared/arrow';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { TrackHitIndex } from '@/lib/shared/formats/track-hit-index';
import { ScoringError } from '@/scoring/errors';
import { PreparedTrackmlTruth } from '@/scoring/trackml-score';

/** The server-only truth file of a track-assignment dataset version (written by `importTrackmlEvents`). */
export const TRACK_TRUTH_FILE = 'truth_tracks.arrow';

/** Everything a track-assignment challenge is scored against, prepared once per truth file. */
export type TrackTruth = {
  /** Where each (event_id, hit_id) is: the rows submissions are aligned to. */
  hits: TrackHitIndex;
  /** The truth grouped by event, for `scoreTrackmlEvents`. */
  prepared: PreparedTrackmlTruth;
  /** Per particle (the prepared truth's global particle index): pT (GeV) and η at production; 0 for noise. */
  particlePt: Float64Array;
  particleEta: Float64Array;
  /** Measured hit positions (mm), in truth row order: public test data, for the event display. */
  x: Float32Array;
  y: Float32Array;
  z: Float32Array;
};

// A truth file is read-only and large enough that re-reading it for every job would show; keep the last few.
const cache = new BoundedPromiseCache<TrackTruth>(3);

/**
 * Loads `truth_tracks.arrow` of a dataset version (server-only: it never leaves the server).
 *
 * @throws {AppError} `INVALID_DATASET` when the manifest does not list it or the file is malformed (naming the row and
 *   column), or when an event's weights sum to 0.
 */
export function loadTrackTruth(dataDir: string, storageDir: string, manifest: DatasetManifest, slug: string): Promise<TrackTruth> {
  const file = manifest.files.find((f) => f.name === TRACK_TRUTH_FILE && f.role === 'truth' && f.format === 'arrow');
  if (!file) {
    return Promise.reject(
      new AppError(
        'INVALID_DATASET',
        `Dataset ${manifest.dataset} version ${manifest.version} has no ${TRACK_TRUTH_FILE}, which track-assignment challenge "${slug}" is scored against; its manifest lists ${manifest.files.map((f) => f.name).join(', ')}.`,
        { file: TRACK_TRUTH_FILE },
      ),
    );
  }
  const full = path.join(dataDir, storageDir, file.name);
  const key = `${full}:${file.sha256}`;
  return cache.get(key, () => readTrackTruth(full, manifest));
}

async function readTrackTruth(file: string, manifest: DatasetManifest): Promise<TrackTruth> {
  const where = `${TRACK_TRUTH_FILE} of dataset ${manifest.dataset} version ${manifest.version}`;
  const table = decodeArrowColumns(new Uint8Array(await fs.readFile(file)));
  const column = (name: string): AnyArrowColumn => {
    const values = table.columns[name];
    if (values === undefined) throw new AppError('INVALID_DATASET', `${where} has no "${name}" column (found ${table.columnNames.join(', ')}).`, { file, column: name });
    if (Array.isArray(values) || !ArrayBuffer.isView(values)) throw new AppError('INVALID_DATASET', `${where}: column "${name}" must be numeric.`, { file, column: name });
    return values;
  };
  const numbers = (name: string): Float64Array => {
    const values = column(name) as ArrayLike<number | bigint>;
    return Float64Array.from({ length: table.numRows }, (_, k) => Number(values[k]));
  };
  const float32 = (name: string): Float32Array => {
    const values = column(name);
    return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  };
  const eventIds = numbers('event_id');
  const hitIds = numbers('hit_id');
  const ranks = numbers('particle_rank');
  const weights = numbers('weight');
  const hitPt = numbers('particle_pt');
  const hitEta = numbers('particle_eta');
  const hits = TrackHitIndex.build(eventIds, hitIds);
  let prepared: PreparedTrackmlTruth;
  try {
    prepared = PreparedTrackmlTruth.prepare({ eventIds, particleRanks: ranks, weights });
  } catch (error) {
    if (!(error instanceof ScoringError)) throw error;
    const row = error.row;
    throw new AppError('INVALID_DATASET', `${where}${row === undefined ? '' : ` row ${row}`}: ${error.message}`, { file, ...(row === undefined ? {} : { row }) }, { cause: error });
  }
  const particles = prepared.particleHits.length;
  const particlePt = new Float64Array(particles);
  const particleEta = new Float64Array(particles);
  for (let e = 0; e < prepared.events; e++) {
    const start = prepared.particleStart[e] as number;
    for (let g = prepared.eventStart[e] as number; g < (prepared.eventStart[e + 1] as number); g++) {
      const particle = start + (prepared.hitParticle[g] as number);
      const row = prepared.hitRow[g] as number;
      particlePt[particle] = hitPt[row] as number;
      particleEta[particle] = hitEta[row] as number;
    }
  }
  return { hits, prepared, particlePt, particleEta, x: float32('x'), y: float32('y'), z: float32('z') };
}
