import { AppError } from '@/lib/shared/app-error';
import type { AnyArrowColumn } from '@/lib/shared/arrow';
import { EXPECTED_BY_KIND } from './column-spec';
import { CsvLineCursor, createCsvError, formatFound, parseDecimal, parseNonNegativeInteger } from './csv-lines';
import { parseIdField } from './read-track-assignment';

/**
 * The truth of a tracking task, one row per hit: `event_id,hit_id,particle_id,weight` (particle_id 0 = noise). The
 * columns of a Kaggle TrackML truth file (tx, ty, tz, tpx, tpy, tpz) may be present too and are ignored.
 */
export const TRACK_TRUTH_COLUMNS = ['event_id', 'hit_id', 'particle_id', 'weight'] as const;
const IGNORED_TRUTH_COLUMNS = ['tx', 'ty', 'tz', 'tpx', 'tpy', 'tpz'] as const;
const HEADER = TRACK_TRUTH_COLUMNS.join(',');

/** A tracking truth read from a file, rows in file order. */
export type TrackTruthColumns = {
  eventIds: Float64Array;
  hitIds: Float64Array;
  /**
   * An order-preserving number per particle_id (0 for noise): particle ids are 64-bit (real TrackML ids exceed 2^53),
   * so they are compared exactly and ranked, which is all the score needs (equality, and order for ties).
   */
  particleRanks: Int32Array;
  weights: Float64Array;
};

/** A particle id as read: a safe integer, or a BigInt above 2^53 − 1. */
type ParticleKey = number | bigint;

/**
 * Ranks exact particle ids: 0 ↦ 0, others ↦ 1, 2, … in ascending numeric order (equal ids, equal ranks).
 */
export function rankParticleIds(keys: readonly ParticleKey[] | Float64Array): Int32Array {
  const n = keys.length;
  const ranks = new Int32Array(n);
  let hasBig = false;
  for (let i = 0; i < n && !hasBig; i++) if (typeof keys[i] === 'bigint') hasBig = true;
  if (!hasBig) {
    // Numbers only (every id below 2^53): sort a copy natively, drop repeats, rank by binary search.
    const sorted = Float64Array.from(keys as ArrayLike<number>).sort();
    let distinct = 0;
    for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i] as number;
    const offset = distinct > 0 && sorted[0] === 0 ? 0 : 1;
    for (let i = 0; i < n; i++) {
      const key = keys[i] as number;
      let lo = 0;
      let hi = distinct - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((sorted[mid] as number) < key) lo = mid + 1;
        else hi = mid;
      }
      ranks[i] = key === 0 ? 0 : lo + offset;
    }
    return ranks;
  }
  const distinct = [...new Set<ParticleKey>(keys)];
  distinct.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  const rankOf = new Map<ParticleKey, number>();
  let next = 1;
  for (const key of distinct) rankOf.set(key, key === 0 ? 0 : next++);
  for (let i = 0; i < n; i++) ranks[i] = rankOf.get(keys[i] as ParticleKey) as number;
  return ranks;
}

/** `text[start, end)` as an exact particle id (digits only, below 2^64), or null. */
function parseParticleId(text: string, start: number, end: number): ParticleKey | null {
  const length = end - start;
  if (length <= 15) {
    const value = parseNonNegativeInteger(text, start, end);
    return value < 0 ? null : value;
  }
  if (length > 20) return null;
  for (let k = start; k < end; k++) {
    const digit = text.charCodeAt(k) - 48;
    if (digit < 0 || digit > 9) return null;
  }
  const value = BigInt(text.slice(start, end));
  if (value >= 1n << 64n) return null;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/**
 * Reads a tracking truth CSV (header naming the columns in any order; plain CSV, one row per line, the line rules of
 * `readCsvColumns`). event_id and hit_id: non-negative integers; particle_id: a non-negative integer below 2^64 read
 * exactly; weight: a finite number ≥ 0. Each (event_id, hit_id) at most once (checked by the hit index).
 *
 * @throws {AppError} `INVALID_DATASET` naming file, line and column, e.g. `truth.csv line 4, column "weight": expected a
 *   finite number ≥ 0, found "-1"`.
 * @example
 * ```ts
 * readTrackTruthCsv('event_id,hit_id,particle_id,weight\n1,1,4503668346847232,0.01\n', 'truth.csv');
 * ```
 */
export function readTrackTruthCsv(text: string, file: string): TrackTruthColumns {
  const cursor = new CsvLineCursor(text, TRACK_TRUTH_COLUMNS.length + IGNORED_TRUTH_COLUMNS.length, { file, errorCode: 'INVALID_DATASET' });
  if (cursor.isEmptyText() || !cursor.nextLine()) {
    throw new AppError('INVALID_DATASET', `${file} is empty; expected the header line "${HEADER}" and one row per hit.`, { file, row: 1, expected: `header "${HEADER}"`, found: '' });
  }
  const names = cursor.headerText().split(',');
  const position = matchTruthHeader(names, file, 'line 1');
  let capacity = 1;
  for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) capacity++;
  const eventIds = new Float64Array(capacity);
  const hitIds = new Float64Array(capacity);
  const weights = new Float64Array(capacity);
  const particles: ParticleKey[] = [];
  const [eventAt, hitAt, particleAt, weightAt] = TRACK_TRUTH_COLUMNS.map((name) => position[name] as number) as [number, number, number, number];
  let rows = 0;
  while (cursor.nextLine()) {
    const row = cursor.lineNumber;
    if (cursor.isEmptyLine()) {
      throw createCsvError('INVALID_DATASET', { file, row, expected: 'a data row (remove empty lines)', found: '', foundDescription: 'an empty line' });
    }
    const fields = cursor.splitFields();
    if (fields !== names.length) {
      throw createCsvError('INVALID_DATASET', {
        file,
        row,
        expected: `${names.length} fields`,
        found: cursor.lineText(),
        foundDescription: `${fields} field${fields === 1 ? '' : 's'} in ${formatFound(cursor.lineText())}`,
      });
    }
    const { fieldStarts: starts, fieldEnds: ends } = cursor;
    const eventId = parseIdField(text, starts[eventAt] as number, ends[eventAt] as number);
    if (eventId < 0) throw createCsvError('INVALID_DATASET', { file, row, column: 'event_id', expected: EXPECTED_BY_KIND.id, found: cursor.fieldText(eventAt) });
    const hitId = parseIdField(text, starts[hitAt] as number, ends[hitAt] as number);
    if (hitId < 0) throw createCsvError('INVALID_DATASET', { file, row, column: 'hit_id', expected: EXPECTED_BY_KIND.id, found: cursor.fieldText(hitAt) });
    const particle = parseParticleId(text, starts[particleAt] as number, ends[particleAt] as number);
    if (particle === null) {
      throw createCsvError('INVALID_DATASET', { file, row, column: 'particle_id', expected: 'a non-negative integer below 2^64', found: cursor.fieldText(particleAt) });
    }
    const weight = parseDecimal(text, starts[weightAt] as number, ends[weightAt] as number);
    if (!(weight >= 0)) throw createCsvError('INVALID_DATASET', { file, row, column: 'weight', expected: EXPECTED_BY_KIND['non-negative'], found: cursor.fieldText(weightAt) });
    eventIds[rows] = eventId;
    hitIds[rows] = hitId;
    weights[rows] = weight;
    particles.push(particle);
    rows++;
  }
  if (rows === 0) {
    throw new AppError('INVALID_DATASET', `${file} has a header but no rows; expected one row per hit.`, { file, row: 2, expected: 'at least one row', found: '0 rows' });
  }
  return { eventIds: eventIds.slice(0, rows), hitIds: hitIds.slice(0, rows), particleRanks: rankParticleIds(particles), weights: weights.slice(0, rows) };
}

/**
 * Reads a tracking truth from a decoded Arrow IPC or Parquet table (columns by name, any numeric type; particle_id
 * exact when stored as a 64-bit integer column, otherwise it must be a safe integer).
 *
 * @throws {AppError} `INVALID_DATASET` naming file, data row (from 1) and column.
 */
export function readTrackTruthTable(table: { numRows: number; columnNames: string[]; columns: Record<string, AnyArrowColumn> }, file: string): TrackTruthColumns {
  matchTruthHeader(table.columnNames, file, 'header');
  const rows = table.numRows;
  if (rows === 0) throw new AppError('INVALID_DATASET', `${file} has no rows; expected one row per hit.`, { file, expected: 'at least one row', found: '0 rows' });
  const numeric = (name: string): ArrayLike<number | bigint> => {
    const column = table.columns[name];
    if (column === undefined || Array.isArray(column) || !ArrayBuffer.isView(column)) {
      throw new AppError('INVALID_DATASET', `${file} column "${name}": expected numbers, found ${Array.isArray(column) ? 'strings' : 'another type'}.`, { file, column: name, expected: 'numbers' });
    }
    return column as ArrayLike<number | bigint>;
  };
  const problem = (k: number, column: string, expected: string, value: unknown) =>
    new AppError('INVALID_DATASET', `${file} row ${k + 1}, column "${column}": expected ${expected}, found ${formatFound(String(value))}`, {
      file,
      row: k + 1,
      column,
      expected,
      found: String(value),
    });
  const asIds = (name: string): Float64Array => {
    const values = numeric(name);
    const out = new Float64Array(rows);
    for (let k = 0; k < rows; k++) {
      const v = Number(values[k]);
      if (!Number.isSafeInteger(v) || v < 0) throw problem(k, name, EXPECTED_BY_KIND.id, values[k]);
      out[k] = v;
    }
    return out;
  };
  const eventIds = asIds('event_id');
  const hitIds = asIds('hit_id');
  const particleValues = numeric('particle_id');
  const particles: ParticleKey[] = new Array(rows);
  for (let k = 0; k < rows; k++) {
    const v = particleValues[k] as number | bigint;
    if (typeof v === 'bigint') {
      if (v < 0n) throw problem(k, 'particle_id', 'a non-negative integer below 2^64', v);
      particles[k] = v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    } else {
      if (!Number.isSafeInteger(v) || v < 0) throw problem(k, 'particle_id', 'a non-negative integer up to 2^53 − 1 (store larger ids as a 64-bit integer column)', v);
      particles[k] = v;
    }
  }
  const weightValues = numeric('weight');
  const weights = new Float64Array(rows);
  for (let k = 0; k < rows; k++) {
    const w = Number(weightValues[k]);
    if (!(w >= 0) || !Number.isFinite(w)) throw problem(k, 'weight', EXPECTED_BY_KIND['non-negative'], weightValues[k]);
    weights[k] = w;
  }
  return { eventIds, hitIds, particleRanks: rankParticleIds(particles), weights };
}

function matchTruthHeader(names: readonly string[], file: string, where: string): Record<string, number> {
  const position: Record<string, number> = {};
  const problem = (what: string) =>
    new AppError('INVALID_DATASET', `${file} ${where}: expected the columns ${HEADER} (any order; tx, ty, tz, tpx, tpy, tpz are ignored), found ${what}`, {
      file,
      ...(where.startsWith('line') ? { row: 1 } : {}),
      expected: `columns ${HEADER}`,
      found: names.join(','),
    });
  names.forEach((name, k) => {
    const isKnown = (TRACK_TRUTH_COLUMNS as readonly string[]).includes(name) || (IGNORED_TRUTH_COLUMNS as readonly string[]).includes(name);
    if (!isKnown) throw problem(`an unknown column ${JSON.stringify(name)}`);
    if (position[name] !== undefined) throw problem(`column ${JSON.stringify(name)} twice`);
    position[name] = k;
  });
  const missing = TRACK_TRUTH_COLUMNS.filter((name) => position[name] === undefined);
  if (missing.length > 0) throw problem(`no column ${missing.map((name) => JSON.stringify(name)).join(', ')}`);
  return position;
}
