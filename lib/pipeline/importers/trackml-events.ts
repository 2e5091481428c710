import { createHash } from 'node:crypto';
import { AppError } from '@/lib/shared/app-error';
import { type AnyArrowColumn, encodeArrowTable } from '@/lib/shared/arrow';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { arrowFileMetadata } from '../datasets/arrow-file-metadata';
import { collectDatasetFiles } from '../datasets/collect-dataset-files';
import { assertOutDirAvailable, type DatasetColumnSpec } from '../datasets/write-dataset-version';
import { PIPELINE_VERSION } from '../pipeline-version';
import { findTracksByHough, HOUGH_BASELINE_PARAMETERS } from '../tracking/hough-track-finder';
import { formatFloat32Column, listTrackmlEvents, readTrackmlEvent, type TrackmlEvent, type TrackmlEventFiles } from './trackml-event';

/** Name of the organiser baseline's submission in a tracking dataset version (see `findTracksByHough`). */
export const TRACKING_BASELINE_FILE = 'baseline_submission.csv';
/** The server-only truth a track-assignment challenge is scored against. */
export const TRACKING_TRUTH_FILE = 'truth_tracks.arrow';

/** Column units and descriptions of every table of a tracking dataset version. */
export const TRACKING_COLUMNS: readonly DatasetColumnSpec[] = [
  { name: 'event_id', unit: '', description: 'Event number (TrackML file name event<9 digits>); hit and particle ids are per event.' },
  { name: 'hit_id', unit: '', description: 'Hit number within the event, 1 … N in detector order (volume, layer, module).' },
  { name: 'x', unit: 'mm', description: 'Measured hit position (global, z along the beam).' },
  { name: 'y', unit: 'mm', description: 'Measured hit position.' },
  { name: 'z', unit: 'mm', description: 'Measured hit position.' },
  { name: 'volume_id', unit: '', description: 'Detector volume (TrackML ids: 7/8/9 pixel, 12/13/14 short strips, 16/17/18 long strips; −z endcap, barrel, +z endcap).' },
  { name: 'layer_id', unit: '', description: 'Layer within the volume: 2, 4, 6, … (barrel inside out, endcaps in increasing z).' },
  { name: 'module_id', unit: '', description: 'Module within the layer.' },
  { name: 'ch0', unit: '', description: 'Cell channel along the first module axis (rφ).' },
  { name: 'ch1', unit: '', description: 'Cell channel along the second module axis (z in the barrel, r in the endcaps).' },
  { name: 'value', unit: '', description: 'Charge deposited in the cell (arbitrary units).' },
  { name: 'particle_id', unit: '', description: 'Particle identifier (64-bit integer; 0 = noise hit). Unique within an event.' },
  { name: 'particle_type', unit: '', description: 'PDG code of the particle (when the source has it).' },
  { name: 'vx', unit: 'mm', description: 'Production vertex of the particle.' },
  { name: 'vy', unit: 'mm', description: 'Production vertex of the particle.' },
  { name: 'vz', unit: 'mm', description: 'Production vertex of the particle.' },
  { name: 'px', unit: 'GeV', description: 'Momentum of the particle at production.' },
  { name: 'py', unit: 'GeV', description: 'Momentum of the particle at production.' },
  { name: 'pz', unit: 'GeV', description: 'Momentum of the particle at production.' },
  { name: 'q', unit: 'e', description: 'Charge of the particle.' },
  { name: 'nhits', unit: '', description: 'Number of hits the particle left.' },
  { name: 'tx', unit: 'mm', description: 'True intersection of the particle with the module (before smearing).' },
  { name: 'ty', unit: 'mm', description: 'True intersection of the particle with the module.' },
  { name: 'tz', unit: 'mm', description: 'True intersection of the particle with the module.' },
  { name: 'tpx', unit: 'GeV', description: 'True particle momentum at the intersection.' },
  { name: 'tpy', unit: 'GeV', description: 'True particle momentum at the intersection.' },
  { name: 'tpz', unit: 'GeV', description: 'True particle momentum at the intersection.' },
  { name: 'weight', unit: '', description: 'TrackML score weight of the hit (by position along the track and particle pT; 0 for noise and particles with fewer than 4 hits; sums to 1 per event).' },
  { name: 'particle_rank', unit: '', description: 'Server-only: order-preserving number of the particle within its event (0 = noise), for exact tie-breaking of 64-bit ids.' },
  { name: 'particle_pt', unit: 'GeV', description: 'Server-only: transverse momentum of the hit’s particle at production (0 for noise).' },
  { name: 'particle_eta', unit: '', description: 'Server-only: pseudorapidity of the hit’s particle at production (0 for noise).' },
  { name: 'track_id', unit: '', description: 'Submitted track of the hit: any non-negative integer, tracks numbered per event.' },
];

export type ImportTrackmlEventsOptions = {
  /** Folders, ZIP archives (a Kaggle TrackML download as it is) or single files holding event<id>-{hits,cells,particles,truth}.csv[.gz]. */
  inputs: string[];
  outDir: string;
  /** Events held out as the test set: the last ones by event id (default: a fifth, at least one). */
  testEvents?: number;
  /** Use only the first N events by id. */
  maxEvents?: number;
  /** Run the Hough baseline on the test events and store its submission as `baseline_submission.csv`. */
  baseline?: boolean;
  dataset?: string;
  version?: string;
  title?: string;
  description?: string;
  licence?: string;
  citation?: string;
  isToy?: boolean;
  /** Sources for the manifest; default: the event files read, with their sha256. */
  sources?: DatasetManifest['sources'];
  /** Extra recipe fields (a generator's parameters). */
  recipe?: Record<string, unknown>;
  /** Arrow schema metadata seed field (the generator's seed; 0 for imported data). */
  seed?: number;
  createdAt?: string;
  overwrite?: boolean;
  onProgress?: (message: string) => void;
};

type Column = { name: string; values: AnyArrowColumn };

/**
 * Imports events in the TrackML layout (Kaggle TrackML Particle Tracking Challenge files, or the toy generator's) into
 * a dataset version of a track-assignment challenge:
 *
 * - `train_hits`, `train_cells`, `train_particles`, `train_truth` (Arrow IPC + CSV): the training events, the TrackML
 *   columns with `event_id` in front;
 * - `test_hits`, `test_cells` (Arrow IPC + CSV): the test events without truth (the last `testEvents` by id);
 * - `truth_tracks.arrow` (server-only): per test hit event_id, hit_id, particle_id (Int64, exact), particle_rank,
 *   weight, the hit position and the particle's pT and η, for scoring and plots;
 * - optionally `baseline_submission.csv` (`event_id,hit_id,track_id`): the Hough baseline on the test events.
 *
 * Every event is checked (see `readTrackmlEvent`), and each test event must carry positive total weight.
 *
 * @throws {AppError} `BAD_REQUEST` (no events, a missing input, a test-event count that leaves no training event);
 *   `INVALID_DATASET` naming the file, line and column of a bad value or inconsistency; `CONFLICT` when outDir exists.
 */
export async function importTrackmlEvents(options: ImportTrackmlEventsOptions): Promise<DatasetManifest> {
  const progress = options.onProgress ?? (() => {});
  if (options.inputs.length === 0) throw new AppError('BAD_REQUEST', 'No input given; pass folders holding TrackML event files (event000001000-hits.csv, …).');
  assertOutDirAvailable(options.outDir, options.overwrite === true);
  let entries = listTrackmlEvents(options.inputs);
  if (options.maxEvents !== undefined) entries = entries.slice(0, options.maxEvents);
  if (entries.length < 2) {
    throw new AppError('BAD_REQUEST', `Found ${entries.length} TrackML event${entries.length === 1 ? '' : 's'} in ${options.inputs.join(', ')}; a dataset needs at least 2 (training and test events), each with -hits, -particles and -truth CSV files.`, {
      expected: 'at least 2 events',
      found: String(entries.length),
    });
  }
  const testCount = options.testEvents ?? Math.max(1, Math.round(entries.length / 5));
  if (!(Number.isInteger(testCount) && testCount >= 1 && testCount < entries.length)) {
    throw new AppError('BAD_REQUEST', `testEvents must be an integer from 1 to ${entries.length - 1} (there are ${entries.length} events); got ${testCount}.`, {
      expected: `1 … ${entries.length - 1}`,
      found: String(testCount),
    });
  }
  const trainEntries = entries.slice(0, entries.length - testCount);
  const testEntries = entries.slice(entries.length - testCount);
  const startedMs = performance.now();
  const train = trainEntries.map((entry) => readTrackmlEvent(entry));
  const test = testEntries.map((entry) => readTrackmlEvent(entry));
  const hitCount = (events: TrackmlEvent[]) => events.reduce((sum, e) => sum + e.hits.hitId.length, 0);
  progress(`read ${entries.length} events (${hitCount(train)} training and ${hitCount(test)} test hits) in ${((performance.now() - startedMs) / 1000).toFixed(2)} s`);
  for (const event of test) assertScorable(event, testEntries);

  const withCells = [...train, ...test].some((e) => e.cells !== null);
  const withParticleType = train.some((e) => e.particles?.particleType !== undefined);
  const tables: Array<{ name: string; role: 'train' | 'test'; columns: Column[] }> = [
    { name: 'train_hits', role: 'train', columns: hitsColumns(train) },
    ...(withCells ? [{ name: 'train_cells', role: 'train' as const, columns: cellsColumns(train) }] : []),
    { name: 'train_particles', role: 'train', columns: particlesColumns(train, withParticleType) },
    { name: 'train_truth', role: 'train', columns: truthColumns(train) },
    { name: 'test_hits', role: 'test', columns: hitsColumns(test) },
    ...(withCells ? [{ name: 'test_cells', role: 'test' as const, columns: cellsColumns(test) }] : []),
  ];
  const truth = scoringTruthColumns(test);

  const dataset = options.dataset ?? 'trackml';
  const version = options.version ?? '1.0.0';
  const createdAt = options.createdAt ?? new Date().toISOString();
  const seed = options.seed ?? 0;
  const sources = options.sources ?? sourcesOf(entries);
  const base = {
    dataset,
    version,
    title: options.title ?? 'TrackML events for track assignment',
    isToy: options.isToy ?? false,
    createdAt,
    pipelineVersion: PIPELINE_VERSION,
    description:
      options.description ??
      `Events in the TrackML layout: ${train.length} training events with hits, cells, particles and truth, and ${test.length} test events with hits and cells only. A submission assigns every test hit to a track (event_id,hit_id,track_id).`,
    licence: options.licence ?? 'as distributed by the TrackML challenge organisers (see the sources)',
    citation:
      options.citation ??
      'S. Amrouche et al., "The Tracking Machine Learning challenge: Accuracy phase", in The NeurIPS 2018 Competition (Springer, 2020), arXiv:1904.06778.',
    sources,
    recipe: {
      importer: 'lib/pipeline/importers/trackml-events.ts',
      trainEvents: train.map((e) => e.eventId),
      testEvents: test.map((e) => e.eventId),
      testRule: `the last ${testCount} events by event id`,
      hits: { train: hitCount(train), test: hitCount(test) },
      expectedYields: 'not used by track-assignment tasks (the TrackML hit weights are normalised per event)',
      ...(options.baseline ? { baseline: { file: TRACKING_BASELINE_FILE, method: 'lib/pipeline/tracking/hough-track-finder.ts', parameters: HOUGH_BASELINE_PARAMETERS } } : {}),
      ...options.recipe,
    },
    luminosityFb: null,
    expectedYields: { signal: 1, background: 1 },
    fixedSplitColumn: null,
    missingValue: -1,
    featureColumns: ['x', 'y', 'z', 'volume_id', 'layer_id', 'module_id'],
    columns: TRACKING_COLUMNS.filter((c) => c.name !== 'particle_type' || withParticleType).map((c) => ({ name: c.name, unit: c.unit, description: c.description })),
  };
  const metadataFor = (role: string, columnNames: string[]) =>
    arrowFileMetadata(base, { role, seed, columnNames, columnSpecs: TRACKING_COLUMNS }, { is_toy: String(base.isToy), created_at: createdAt });

  const collected = collectDatasetFiles();
  for (const table of tables) {
    const names = table.columns.map((c) => c.name);
    const rows = rowCount(table.columns);
    const record = Object.fromEntries(table.columns.map((c) => [c.name, c.values]));
    collected.add(`${table.name}.arrow`, table.role, 'arrow', rows, encodeArrowTable(record, metadataFor(table.name, names)), false);
    collected.add(`${table.name}.csv`, 'export', 'csv', rows, new TextEncoder().encode(columnsToCsv(table.columns)), false);
    progress(`encoded ${table.name} (${rows} rows)`);
  }
  const truthRecord = Object.fromEntries(truth.map((c) => [c.name, c.values]));
  collected.add(TRACKING_TRUTH_FILE, 'truth', 'arrow', rowCount(truth), encodeArrowTable(truthRecord, metadataFor('truth_tracks', truth.map((c) => c.name))), true);
  if (options.baseline) {
    const started = performance.now();
    const csv = baselineSubmissionCsv(test);
    collected.add(TRACKING_BASELINE_FILE, 'export', 'csv', hitCount(test), new TextEncoder().encode(csv), false);
    progress(`ran the Hough baseline on ${test.length} test events in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  }
  return collected.write(options.outDir, base, { overwrite: options.overwrite, onProgress: progress });
}

/** The baseline's `event_id,hit_id,track_id` rows for the given events (the CSV a participant would upload). */
export function baselineSubmissionCsv(events: readonly TrackmlEvent[]): string {
  const lines = ['event_id,hit_id,track_id'];
  for (const event of events) {
    const trackIds = findTracksByHough(event.hits);
    for (let i = 0; i < trackIds.length; i++) lines.push(`${event.eventId},${event.hits.hitId[i]},${trackIds[i]}`);
  }
  return `${lines.join('\n')}\n`;
}

function assertScorable(event: TrackmlEvent, entries: readonly TrackmlEventFiles[]): void {
  const entry = entries.find((e) => e.eventId === event.eventId);
  const file = `${entry?.prefix ?? `event ${event.eventId}`}-truth.csv`;
  if (!event.truth || !event.particles) {
    throw new AppError('INVALID_DATASET', `Test event ${event.eventId} has no truth or particles, so it cannot be scored; every test event needs -truth.csv and -particles.csv.`, { file });
  }
  let total = 0;
  for (const w of event.truth.weight) total += w;
  if (!(total > 0)) {
    throw new AppError('INVALID_DATASET', `${file}: the weights of test event ${event.eventId} sum to ${total}; a scored event needs positive total weight (a particle with at least 4 hits).`, {
      file,
      column: 'weight',
      expected: 'a positive sum',
      found: String(total),
    });
  }
}

function sourcesOf(entries: readonly TrackmlEventFiles[]): DatasetManifest['sources'] {
  // One entry per event: the sha256 of its files' hashes in part order, so a changed file changes the source.
  return entries.map((entry) => {
    const hash = createHash('sha256');
    for (const part of ['hits', 'cells', 'particles', 'truth'] as const) {
      const file = entry.files[part];
      if (file) hash.update(createHash('sha256').update(file.read()).digest('hex'));
    }
    return { name: entry.prefix, sha256: hash.digest('hex'), note: `sha256 over the sha256 of ${Object.keys(entry.files).join(', ')} (in the order hits, cells, particles, truth)` };
  });
}

function rowCount(columns: readonly Column[]): number {
  const first = columns[0]?.values as ArrayLike<unknown> | undefined;
  return first ? first.length : 0;
}

/** Concatenates a field over events, with event_id in front. */
function concat<T extends Int32Array | Float32Array | Float64Array | BigInt64Array>(
  events: readonly TrackmlEvent[],
  pick: (e: TrackmlEvent) => T | undefined,
  make: new (n: number) => T,
): T {
  const total = events.reduce((sum, e) => sum + (pick(e)?.length ?? 0), 0);
  const out = new make(total);
  let offset = 0;
  for (const e of events) {
    const part = pick(e);
    if (!part) continue;
    (out as unknown as { set(a: ArrayLike<number | bigint>, o: number): void }).set(part as ArrayLike<number | bigint>, offset);
    offset += part.length;
  }
  return out;
}

function eventColumn(events: readonly TrackmlEvent[], rowsOf: (e: TrackmlEvent) => number): Column {
  const total = events.reduce((sum, e) => sum + rowsOf(e), 0);
  const out = new Int32Array(total);
  let offset = 0;
  for (const e of events) {
    out.fill(e.eventId, offset, offset + rowsOf(e));
    offset += rowsOf(e);
  }
  return { name: 'event_id', values: out };
}

function hitsColumns(events: readonly TrackmlEvent[]): Column[] {
  return [
    eventColumn(events, (e) => e.hits.hitId.length),
    { name: 'hit_id', values: concat(events, (e) => e.hits.hitId, Int32Array) },
    { name: 'x', values: concat(events, (e) => e.hits.x, Float32Array) },
    { name: 'y', values: concat(events, (e) => e.hits.y, Float32Array) },
    { name: 'z', values: concat(events, (e) => e.hits.z, Float32Array) },
    { name: 'volume_id', values: concat(events, (e) => e.hits.volumeId, Int32Array) },
    { name: 'layer_id', values: concat(events, (e) => e.hits.layerId, Int32Array) },
    { name: 'module_id', values: concat(events, (e) => e.hits.moduleId, Int32Array) },
  ];
}

function cellsColumns(events: readonly TrackmlEvent[]): Column[] {
  return [
    eventColumn(events, (e) => e.cells?.hitId.length ?? 0),
    { name: 'hit_id', values: concat(events, (e) => e.cells?.hitId, Int32Array) },
    { name: 'ch0', values: concat(events, (e) => e.cells?.ch0, Int32Array) },
    { name: 'ch1', values: concat(events, (e) => e.cells?.ch1, Int32Array) },
    { name: 'value', values: concat(events, (e) => e.cells?.value, Float32Array) },
  ];
}

function particlesColumns(events: readonly TrackmlEvent[], withType: boolean): Column[] {
  const p = (e: TrackmlEvent) => e.particles;
  return [
    eventColumn(events, (e) => p(e)?.particleId.length ?? 0),
    { name: 'particle_id', values: concat(events, (e) => p(e)?.particleId, BigInt64Array) },
    ...(withType ? [{ name: 'particle_type', values: concat(events, (e) => p(e)?.particleType ?? new Int32Array(p(e)?.particleId.length ?? 0), Int32Array) }] : []),
    ...(['vx', 'vy', 'vz', 'px', 'py', 'pz'] as const).map((name) => ({ name, values: concat(events, (e) => p(e)?.[name], Float32Array) })),
    { name: 'q', values: concat(events, (e) => p(e)?.q, Int32Array) },
    { name: 'nhits', values: concat(events, (e) => p(e)?.nhits, Int32Array) },
  ];
}

function truthColumns(events: readonly TrackmlEvent[]): Column[] {
  const t = (e: TrackmlEvent) => e.truth;
  return [
    eventColumn(events, (e) => t(e)?.hitId.length ?? 0),
    { name: 'hit_id', values: concat(events, (e) => t(e)?.hitId, Int32Array) },
    { name: 'particle_id', values: concat(events, (e) => t(e)?.particleId, BigInt64Array) },
    ...(['tx', 'ty', 'tz', 'tpx', 'tpy', 'tpz'] as const).map((name) => ({ name, values: concat(events, (e) => t(e)?.[name], Float32Array) })),
    { name: 'weight', values: concat(events, (e) => t(e)?.weight, Float64Array) },
  ];
}

/**
 * The scoring truth of the test events, in the test hits' order: the truth rows are matched to the hits by hit_id,
 * particle ranks are computed exactly from the 64-bit ids, and pT and η come from the particles table.
 */
function scoringTruthColumns(events: readonly TrackmlEvent[]): Column[] {
  const total = events.reduce((sum, e) => sum + e.hits.hitId.length, 0);
  const eventId = new Int32Array(total);
  const hitId = new Int32Array(total);
  const particleId = new BigInt64Array(total);
  const particleRank = new Int32Array(total);
  const weight = new Float64Array(total);
  const x = new Float32Array(total);
  const y = new Float32Array(total);
  const z = new Float32Array(total);
  const pt = new Float32Array(total);
  const eta = new Float32Array(total);
  let offset = 0;
  for (const event of events) {
    const truth = event.truth as NonNullable<TrackmlEvent['truth']>;
    const particles = event.particles as NonNullable<TrackmlEvent['particles']>;
    const truthRow = new Map<number, number>();
    truth.hitId.forEach((id, row) => truthRow.set(id, row));
    const kinematics = new Map<bigint, [number, number]>();
    particles.particleId.forEach((id, k) => {
      const px = particles.px[k] as number;
      const py = particles.py[k] as number;
      const pzk = particles.pz[k] as number;
      const ptk = Math.hypot(px, py);
      kinematics.set(id, [ptk, ptk > 0 ? Math.asinh(pzk / ptk) : 0]);
    });
    const distinct = [...new Set(truth.particleId)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const rankOf = new Map<bigint, number>();
    let next = 1;
    for (const id of distinct) rankOf.set(id, id === 0n ? 0 : next++);
    for (let i = 0; i < event.hits.hitId.length; i++) {
      const row = truthRow.get(event.hits.hitId[i] as number) as number;
      const id = truth.particleId[row] as bigint;
      const k = offset + i;
      eventId[k] = event.eventId;
      hitId[k] = event.hits.hitId[i] as number;
      particleId[k] = id;
      particleRank[k] = rankOf.get(id) as number;
      weight[k] = truth.weight[row] as number;
      x[k] = event.hits.x[i] as number;
      y[k] = event.hits.y[i] as number;
      z[k] = event.hits.z[i] as number;
      const kin = id === 0n ? undefined : kinematics.get(id);
      pt[k] = kin?.[0] ?? 0;
      eta[k] = kin?.[1] ?? 0;
    }
    offset += event.hits.hitId.length;
  }
  return [
    { name: 'event_id', values: eventId },
    { name: 'hit_id', values: hitId },
    { name: 'particle_id', values: particleId },
    { name: 'particle_rank', values: particleRank },
    { name: 'weight', values: weight },
    { name: 'x', values: x },
    { name: 'y', values: y },
    { name: 'z', values: z },
    { name: 'particle_pt', values: pt },
    { name: 'particle_eta', values: eta },
  ];
}

/** CSV of columns (Float32 as the shortest text that reads back exactly, Float64 as JavaScript's shortest form). */
function columnsToCsv(columns: readonly Column[]): string {
  const rows = rowCount(columns);
  const formatters = columns.map(({ values }) => {
    if (values instanceof Float32Array) return (i: number) => formatFloat32Column(values[i] as number);
    const array = values as ArrayLike<number | bigint>;
    return (i: number) => String(array[i]);
  });
  const lines = new Array<string>(rows + 1);
  lines[0] = columns.map((c) => c.name).join(',');
  const fields = new Array<string>(columns.length);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < formatters.length; c++) fields[c] = (formatters[c] as (i: number) => string)(i);
    lines[i + 1] = fields.join(',');
  }
  return `${lines.join('\n')}\n`;
}
