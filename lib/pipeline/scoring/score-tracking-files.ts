import fs, { createReadStream } from 'node:fs';
import path from 'node:path';
import { AppError, isAppError } from '@/lib/shared/app-error';
import { decodeArrowColumns, readArrowFileBatches, readArrowStreamBatches, type RandomAccessBytes, type StreamedTable } from '@/lib/shared/arrow';
import type { AlignedPredictions } from '@/lib/shared/formats/prediction-target';
import { readTrackAssignmentCsvStream, readTrackAssignmentTable } from '@/lib/shared/formats/read-track-assignment';
import { TrackHitIndex } from '@/lib/shared/formats/track-hit-index';
import { readTrackTruthCsv, readTrackTruthTable, type TrackTruthColumns } from '@/lib/shared/formats/track-truth';
import { readParquetRowGroups, readParquetTable } from '@/lib/shared/parquet';
import { ScoringError } from '@/scoring/errors';
import { PreparedTrackmlTruth, scoreTrackmlEvents } from '@/scoring/trackml-score';
import { bootstrapTrackingMetrics, computeTrackingMetrics } from '@/scoring/tracking-metrics';
import { ARROW_EXTENSIONS, PARQUET_EXTENSIONS } from './read-scoring-file';
import { CLI_SPLIT_KEY } from './score-binary-files';

export type TrackingScoreReport = {
  task: 'tracking';
  /** Number of hits (rows of the truth file). */
  n: number;
  /** Number of events. */
  events: number;
  /** The Kaggle TrackML score: mean over events of the per-event score. */
  metrics: { trackml_score: number };
  /** With `perEvent`: the score of each event, by event id. */
  eventScores?: Record<string, number>;
  /** With `--bootstrap`: [16th, 84th] percentile of the scores of B resamplings of the events. */
  intervals?: { trackml_score: [number, number] };
};

export type ScoreTrackingFilesOptions = {
  truthPath: string;
  predictionsPath: string;
  /** Add every event's score under `eventScores`. */
  perEvent?: boolean;
  /** Bootstrap over events (the shared rule, split key "all"). */
  bootstrap?: { replicas: number; seed: number };
};

/**
 * Scores a track-assignment file (`event_id,hit_id,track_id`, one row per hit of every event of the truth) against a
 * tracking truth (`event_id,hit_id,particle_id,weight`), rows in any order; CSV, Arrow IPC or Parquet by extension.
 * Weights are used as given (per event the score divides by their sum); particle ids are compared exactly (64-bit).
 *
 * @throws {AppError} `BAD_REQUEST` when a file cannot be read; `INVALID_DATASET` / `INVALID_SUBMISSION` when a file is
 *   malformed (message names file, line or row, and column); `INVALID_DATASET` when the truth cannot be scored (an
 *   event whose weights sum to 0).
 */
export async function scoreTrackingFiles(options: ScoreTrackingFilesOptions): Promise<TrackingScoreReport> {
  const { truthPath, predictionsPath } = options;
  const truth = await readTruth(truthPath);
  const hits = TrackHitIndex.build(truth.eventIds, truth.hitIds);
  let prepared: PreparedTrackmlTruth;
  try {
    prepared = PreparedTrackmlTruth.prepare(truth);
  } catch (error) {
    if (!(error instanceof ScoringError)) throw error;
    const where = error.row === undefined ? truthPath : `${truthPath} (event ${truth.eventIds[error.row]}, hit ${truth.hitIds[error.row]})`;
    throw new AppError('INVALID_DATASET', `${where}: ${error.message}`, { file: truthPath, scoringErrorCode: error.code }, { cause: error });
  }
  const predictions = await readPredictions(predictionsPath, hits);
  if (predictions.task !== 'track-assignment') throw new AppError('INTERNAL', `${predictionsPath} was read as ${predictions.task}.`);
  const results = scoreTrackmlEvents(prepared, predictions.trackIds);
  const report: TrackingScoreReport = {
    task: 'tracking',
    n: prepared.hits,
    events: prepared.events,
    metrics: { trackml_score: computeTrackingMetrics(results).trackml_score },
  };
  if (options.perEvent) report.eventScores = Object.fromEntries(Array.from(results.eventIds, (id, e) => [String(id), results.score[e] as number]));
  if (options.bootstrap !== undefined && options.bootstrap.replicas > 0) {
    const replicas = bootstrapTrackingMetrics(results, { seed: options.bootstrap.seed, splitKey: CLI_SPLIT_KEY, replicas: options.bootstrap.replicas }).trackml_score;
    const sorted = Float64Array.from(replicas).sort();
    const at = (p: number) => {
      const h = ((sorted.length - 1) * p) / 100;
      const below = Math.floor(h);
      const low = sorted[below] as number;
      return below + 1 < sorted.length ? low + (h - below) * ((sorted[below + 1] as number) - low) : low;
    };
    report.intervals = { trackml_score: [at(16), at(84)] };
  }
  return report;
}

function extensionKind(file: string): 'arrow' | 'parquet' | 'csv' {
  const extension = path.extname(file).toLowerCase();
  if ((ARROW_EXTENSIONS as readonly string[]).includes(extension)) return 'arrow';
  if ((PARQUET_EXTENSIONS as readonly string[]).includes(extension)) return 'parquet';
  return 'csv';
}

function readBytes(file: string, role: 'truth' | 'predictions'): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw unreadable(file, role, error);
  }
}

function unreadable(file: string, role: string, error: unknown): AppError {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : error instanceof Error ? error.message : String(error);
  return new AppError('BAD_REQUEST', `Cannot read the ${role} file ${file}: ${reason}.`, { file }, { cause: error });
}

async function readTruth(file: string): Promise<TrackTruthColumns> {
  const bytes = readBytes(file, 'truth');
  const kind = extensionKind(file);
  if (kind === 'csv') return readTrackTruthCsv(bytes.toString('utf8'), file);
  try {
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const table = kind === 'arrow' ? decodeArrowColumns(view) : await readParquetTable(view, { fileName: file });
    return readTrackTruthTable(table, file);
  } catch (error) {
    if (!isAppError(error)) throw error;
    const message = error.message.startsWith(file) ? error.message : `${file}: ${error.message}`;
    throw new AppError('INVALID_DATASET', message, { ...error.details, file }, { cause: error });
  }
}

async function readPredictions(file: string, hits: TrackHitIndex): Promise<AlignedPredictions> {
  const kind = extensionKind(file);
  if (kind === 'csv') {
    const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
    const opened = new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    await opened.catch((error: unknown) => {
      throw unreadable(file, 'predictions', error);
    });
    try {
      return await readTrackAssignmentCsvStream(stream as AsyncIterable<Uint8Array>, hits, file);
    } finally {
      stream.destroy();
    }
  }
  const bytes = readBytes(file, 'predictions');
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const source: RandomAccessBytes = { byteLength: view.length, read: async (position, length) => view.subarray(position, Math.min(view.length, position + length)) };
  const options = { file, errorCode: 'INVALID_SUBMISSION' as const };
  let table: StreamedTable;
  if (kind === 'parquet') table = await readParquetRowGroups(source, options);
  else table = isArrowFile(view) ? await readArrowFileBatches(source, options) : await readArrowStreamBatches(oneChunk(view), options);
  return readTrackAssignmentTable(table, hits, file);
}

function isArrowFile(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && String.fromCharCode(...bytes.subarray(0, 6)) === 'ARROW1';
}

async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
