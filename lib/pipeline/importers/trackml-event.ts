import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { AppError } from '@/lib/shared/app-error';
import { formatFloat32 } from '@/lib/shared/arrow';
import { CsvLineCursor, createCsvError, formatFound, parseDecimal, parseNonNegativeInteger } from '@/lib/shared/formats/csv-lines';
import { listZipEntries } from './zip-archive';

/**
 * One event in the TrackML file layout (Kaggle TrackML Particle Tracking Challenge; trackml-library
 * `trackml/dataset.py`): four CSV files `event<9-digit id>-{hits,cells,particles,truth}.csv` (optionally `.csv.gz`).
 *
 * - hits: hit_id, x, y, z (mm), volume_id, layer_id, module_id
 * - cells: hit_id, ch0, ch1 (channel numbers in the module), value (deposited charge)
 * - particles: particle_id, [particle_type,] vx, vy, vz (mm), px, py, pz (GeV), q, nhits
 * - truth: hit_id, particle_id (0 = noise), tx, ty, tz, tpx, tpy, tpz, weight
 *
 * particle_id is a 64-bit integer (above 2^53 in the real data), kept exact as BigInt64.
 */
export type TrackmlEvent = {
  eventId: number;
  hits: { hitId: Int32Array; x: Float32Array; y: Float32Array; z: Float32Array; volumeId: Int32Array; layerId: Int32Array; moduleId: Int32Array };
  cells: { hitId: Int32Array; ch0: Int32Array; ch1: Int32Array; value: Float32Array } | null;
  particles: {
    particleId: BigInt64Array;
    particleType?: Int32Array;
    vx: Float32Array;
    vy: Float32Array;
    vz: Float32Array;
    px: Float32Array;
    py: Float32Array;
    pz: Float32Array;
    q: Int32Array;
    nhits: Int32Array;
  } | null;
  truth: {
    hitId: Int32Array;
    particleId: BigInt64Array;
    tx: Float32Array;
    ty: Float32Array;
    tz: Float32Array;
    tpx: Float32Array;
    tpy: Float32Array;
    tpz: Float32Array;
    /** Float64 here; TrackML stores float32. */
    weight: Float64Array;
  } | null;
};

export const TRACKML_PARTS = ['hits', 'cells', 'particles', 'truth'] as const;
export type TrackmlPart = (typeof TRACKML_PARTS)[number];

type ColumnKind = 'int' | 'float32' | 'float64' | 'int64';
type PartColumns = ReadonlyArray<readonly [csvName: string, field: string, kind: ColumnKind, required: boolean]>;

/** CSV columns of each part, in TrackML order, with the field of {@link TrackmlEvent} they fill. */
export const TRACKML_COLUMNS: Record<TrackmlPart, PartColumns> = {
  hits: [
    ['hit_id', 'hitId', 'int', true],
    ['x', 'x', 'float32', true],
    ['y', 'y', 'float32', true],
    ['z', 'z', 'float32', true],
    ['volume_id', 'volumeId', 'int', true],
    ['layer_id', 'layerId', 'int', true],
    ['module_id', 'moduleId', 'int', true],
  ],
  cells: [
    ['hit_id', 'hitId', 'int', true],
    ['ch0', 'ch0', 'int', true],
    ['ch1', 'ch1', 'int', true],
    ['value', 'value', 'float32', true],
  ],
  particles: [
    ['particle_id', 'particleId', 'int64', true],
    ['particle_type', 'particleType', 'int', false],
    ['vx', 'vx', 'float32', true],
    ['vy', 'vy', 'float32', true],
    ['vz', 'vz', 'float32', true],
    ['px', 'px', 'float32', true],
    ['py', 'py', 'float32', true],
    ['pz', 'pz', 'float32', true],
    ['q', 'q', 'int', true],
    ['nhits', 'nhits', 'int', true],
  ],
  truth: [
    ['hit_id', 'hitId', 'int', true],
    ['particle_id', 'particleId', 'int64', true],
    ['tx', 'tx', 'float32', true],
    ['ty', 'ty', 'float32', true],
    ['tz', 'tz', 'float32', true],
    ['tpx', 'tpx', 'float32', true],
    ['tpy', 'tpy', 'float32', true],
    ['tpz', 'tpz', 'float32', true],
    ['weight', 'weight', 'float64', true],
  ],
};

/** `event000001000`: the file-name prefix of an event. */
export function trackmlEventPrefix(eventId: number): string {
  return `event${String(eventId).padStart(9, '0')}`;
}

/**
 * A float32 value as CSV text that reads back to the same float32: with at most 4 decimals when that is exact
 * (generated values are rounded so), else the shortest round-trip form (`formatFloat32`, slower).
 */
export function formatFloat32Column(value: number): string {
  const k = Math.round(value * 10000);
  if (Math.fround(k / 10000) !== value || !Number.isSafeInteger(k)) return formatFloat32(value);
  const sign = k < 0 ? '-' : '';
  const magnitude = Math.abs(k);
  const whole = Math.floor(magnitude / 10000);
  let fraction = magnitude - whole * 10000;
  if (fraction === 0) return `${sign}${whole}`;
  let digits = 4;
  while (fraction % 10 === 0) {
    fraction /= 10;
    digits--;
  }
  return `${sign}${whole}.${String(fraction).padStart(digits, '0')}`;
}

/** A double rounded to 4 decimals (the precision the toy stores), for exact fast CSV text. */
export function roundTo4Decimals(value: number): number {
  return Math.round(value * 10000) / 10000;
}

function formatValue(kind: ColumnKind, value: number | bigint): string {
  if (kind === 'float32') return formatFloat32Column(value as number);
  return String(value);
}

/** The CSV text of one part of an event (TrackML column order; floats as the shortest text that reads back exactly). */
export function trackmlPartToCsv(event: TrackmlEvent, part: TrackmlPart): string {
  const table = event[part] as Record<string, ArrayLike<number | bigint> | undefined> | null;
  if (!table) throw new AppError('INTERNAL', `Event ${event.eventId} has no ${part} to write.`);
  const columns = TRACKML_COLUMNS[part].filter(([, field]) => table[field] !== undefined);
  const rows = (table[columns[0]?.[1] as string] as ArrayLike<number>).length;
  const lines = new Array<string>(rows + 1);
  lines[0] = columns.map(([name]) => name).join(',');
  const fields = new Array<string>(columns.length);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < columns.length; c++) {
      const [, field, kind] = columns[c] as PartColumns[number];
      fields[c] = formatValue(kind, (table[field] as ArrayLike<number | bigint>)[i] as number | bigint);
    }
    lines[i + 1] = fields.join(',');
  }
  return `${lines.join('\n')}\n`;
}

/** Writes an event's parts as `<dir>/event<id>-<part>.csv` (missing parts are skipped). */
export async function writeTrackmlEventFiles(dir: string, event: TrackmlEvent): Promise<void> {
  await fs.promises.mkdir(dir, { recursive: true });
  for (const part of TRACKML_PARTS) {
    if (!event[part]) continue;
    await fs.promises.writeFile(path.join(dir, `${trackmlEventPrefix(event.eventId)}-${part}.csv`), trackmlPartToCsv(event, part));
  }
}

/** One file of an event: a name for messages (a path, or `archive.zip:entry`) and its bytes, read on demand. */
export type TrackmlEventFile = { label: string; read: () => Uint8Array };

/** One event's files found in folders or archives: part → file. */
export type TrackmlEventFiles = { eventId: number; prefix: string; files: Partial<Record<TrackmlPart, TrackmlEventFile>> };

const EVENT_FILE = /^(?:.*[/\\])?event(\d{9})-(hits|cells|particles|truth)\.csv(\.gz)?$/;

/**
 * The events in folders, ZIP archives (as Kaggle distributed them: train_sample.zip, train_1.zip, …) or given as
 * files, in the TrackML layout, by ascending event id. Anything that is not an event file is ignored; an event part
 * present twice (`.csv` and `.csv.gz`, or in two inputs) is an error.
 *
 * @throws {AppError} `BAD_REQUEST` for an input that does not exist, `INVALID_DATASET` for duplicate parts.
 */
export function listTrackmlEvents(inputs: readonly string[]): TrackmlEventFiles[] {
  const byId = new Map<number, TrackmlEventFiles>();
  const add = (file: string, read: () => Uint8Array = () => new Uint8Array(fs.readFileSync(file))) => {
    const match = EVENT_FILE.exec(file);
    if (!match) return;
    const eventId = Number(match[1]);
    const part = match[2] as TrackmlPart;
    let entry = byId.get(eventId);
    if (!entry) byId.set(eventId, (entry = { eventId, prefix: trackmlEventPrefix(eventId), files: {} }));
    const previous = entry.files[part];
    if (previous) {
      throw new AppError('INVALID_DATASET', `Event ${eventId} has two ${part} files: ${previous.label} and ${file}; keep one.`, { file, expected: `one ${part} file`, found: `${previous.label}, ${file}` });
    }
    entry.files[part] = { label: file, read };
  };
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch (cause) {
      throw new AppError('BAD_REQUEST', `${input} does not exist; pass folders (or files) holding event<id>-hits.csv, -cells.csv, -particles.csv and -truth.csv.`, { file: input }, { cause });
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(input).sort()) add(path.join(input, name));
    } else if (input.toLowerCase().endsWith('.zip')) {
      for (const zipEntry of listZipEntries(input)) add(`${input}:${zipEntry.name}`, zipEntry.read);
    } else {
      add(input);
    }
  }
  return [...byId.values()].sort((a, b) => a.eventId - b.eventId);
}

function readText(source: TrackmlEventFile): string {
  const file = source.label;
  let bytes = source.read();
  if (file.endsWith('.gz')) {
    try {
      bytes = new Uint8Array(zlib.gunzipSync(bytes));
    } catch (cause) {
      throw new AppError('INVALID_DATASET', `${file} is not readable gzip data; compress it again or unpack it.`, { file }, { cause });
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new AppError('INVALID_DATASET', `${file} is not UTF-8 text; TrackML files are plain CSV.`, { file }, { cause });
  }
}

/** A signed decimal integer (digits, optional leading minus), or NaN. */
function parseSignedInteger(text: string, start: number, end: number): number {
  if (start < end && text.charCodeAt(start) === 45) {
    const value = parseNonNegativeInteger(text, start + 1, end);
    return value < 0 ? Number.NaN : -value;
  }
  const value = parseNonNegativeInteger(text, start, end);
  return value < 0 ? Number.NaN : value;
}

/** A signed 64-bit integer written in decimal, or null. */
function parseInt64(text: string, start: number, end: number): bigint | null {
  const isNegative = start < end && text.charCodeAt(start) === 45;
  const from = isNegative ? start + 1 : start;
  if (end - from <= 15) {
    const value = parseNonNegativeInteger(text, from, end);
    if (value < 0) return null;
    return BigInt(isNegative ? -value : value);
  }
  if (end - from > 19) return null;
  for (let k = from; k < end; k++) {
    const digit = text.charCodeAt(k) - 48;
    if (digit < 0 || digit > 9) return null;
  }
  const value = BigInt(text.slice(start, end));
  return value >= -(1n << 63n) && value < 1n << 63n ? value : null;
}

/**
 * Reads one part of an event from its CSV file: the header names the TrackML columns (any order; `particle_type`
 * optional), each value by its kind. Returns typed arrays by field name.
 *
 * @throws {AppError} `INVALID_DATASET` naming file, line and column, e.g. `event000001000-hits.csv line 7, column "x":
 *   expected a finite number, found "nan"`.
 */
export function readTrackmlPart(source: TrackmlEventFile, part: TrackmlPart): Record<string, Int32Array | Float32Array | Float64Array | BigInt64Array> {
  const text = readText(source);
  const spec = TRACKML_COLUMNS[part];
  const name = path.basename(source.label);
  const cursor = new CsvLineCursor(text, spec.length + 1, { file: name, errorCode: 'INVALID_DATASET' });
  if (cursor.isEmptyText() || !cursor.nextLine()) {
    throw new AppError('INVALID_DATASET', `${name} is empty; expected the header ${spec.filter((c) => c[3]).map((c) => c[0]).join(',')}.`, { file: name, row: 1 });
  }
  const header = cursor.headerText().split(',');
  const positions = spec.map(([column]) => header.indexOf(column));
  const unknown = header.filter((h) => !spec.some(([column]) => column === h));
  const missing = spec.filter(([, , , required], k) => required && positions[k] === -1).map(([column]) => column);
  if (unknown.length > 0 || missing.length > 0 || new Set(header).size !== header.length) {
    const expected = spec.map(([column, , , required]) => (required ? column : `[${column}]`)).join(',');
    const what = missing.length > 0 ? `no column ${missing.map((m) => JSON.stringify(m)).join(', ')}` : unknown.length > 0 ? `the unknown column ${JSON.stringify(unknown[0])}` : 'a repeated column';
    throw new AppError('INVALID_DATASET', `${name} line 1: expected the TrackML ${part} columns ${expected} (any order), found ${what}.`, {
      file: name,
      row: 1,
      expected,
      found: header.join(','),
    });
  }
  let capacity = 0;
  for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) capacity++;
  capacity = Math.max(capacity, 1);
  const arrays = spec.map(([, , kind], k) => {
    if (positions[k] === -1) return null;
    return kind === 'int' ? new Int32Array(capacity) : kind === 'float32' ? new Float32Array(capacity) : kind === 'float64' ? new Float64Array(capacity) : new BigInt64Array(capacity);
  });
  let rows = 0;
  while (cursor.nextLine()) {
    const row = cursor.lineNumber;
    if (cursor.isEmptyLine()) {
      throw createCsvError('INVALID_DATASET', { file: name, row, expected: 'a data row (remove empty lines)', found: '', foundDescription: 'an empty line' });
    }
    const fields = cursor.splitFields();
    if (fields !== header.length) {
      throw createCsvError('INVALID_DATASET', { file: name, row, expected: `${header.length} fields`, found: cursor.lineText(), foundDescription: `${fields} fields in ${formatFound(cursor.lineText())}` });
    }
    for (let k = 0; k < spec.length; k++) {
      const at = positions[k] as number;
      if (at < 0) continue;
      const [column, , kind] = spec[k] as PartColumns[number];
      const start = cursor.fieldStarts[at] as number;
      const end = cursor.fieldEnds[at] as number;
      const target = arrays[k] as Int32Array | Float32Array | Float64Array | BigInt64Array;
      if (kind === 'int64') {
        const value = parseInt64(text, start, end);
        if (value === null) throw createCsvError('INVALID_DATASET', { file: name, row, column, expected: 'a 64-bit integer', found: cursor.fieldText(at) });
        (target as BigInt64Array)[rows] = value;
      } else if (kind === 'int') {
        const value = parseSignedInteger(text, start, end);
        if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) {
          throw createCsvError('INVALID_DATASET', { file: name, row, column, expected: 'a 32-bit integer', found: cursor.fieldText(at) });
        }
        (target as Int32Array)[rows] = value;
      } else {
        const value = parseDecimal(text, start, end);
        if (!Number.isFinite(value)) throw createCsvError('INVALID_DATASET', { file: name, row, column, expected: 'a finite number', found: cursor.fieldText(at) });
        (target as Float32Array | Float64Array)[rows] = value;
      }
    }
    rows++;
  }
  const out: Record<string, Int32Array | Float32Array | Float64Array | BigInt64Array> = {};
  spec.forEach(([, field], k) => {
    const array = arrays[k];
    if (array) out[field] = array.slice(0, rows) as Int32Array | Float32Array | Float64Array | BigInt64Array;
  });
  return out;
}

/**
 * Reads an event's files and checks that they agree: hit ids unique, the truth covering exactly the hits, every
 * truth particle_id (other than 0) listed in particles, weights finite and ≥ 0.
 *
 * @throws {AppError} `INVALID_DATASET` naming the file and what disagrees.
 */
export function readTrackmlEvent(entry: TrackmlEventFiles, parts: readonly TrackmlPart[] = TRACKML_PARTS): TrackmlEvent {
  const missing = parts.filter((part) => part !== 'cells' && !entry.files[part]);
  if (missing.length > 0) {
    throw new AppError('INVALID_DATASET', `Event ${entry.eventId} has no ${missing.map((m) => `${entry.prefix}-${m}.csv`).join(', ')}; every event needs hits, particles and truth (cells are optional).`, {
      file: `${entry.prefix}-${missing[0]}.csv`,
    });
  }
  const read = (part: TrackmlPart) => {
    const source = entry.files[part];
    return source && parts.includes(part) ? readTrackmlPart(source, part) : null;
  };
  const hits = read('hits') as TrackmlEvent['hits'] | null;
  const event: TrackmlEvent = {
    eventId: entry.eventId,
    hits: hits as TrackmlEvent['hits'],
    cells: read('cells') as TrackmlEvent['cells'],
    particles: read('particles') as TrackmlEvent['particles'],
    truth: read('truth') as TrackmlEvent['truth'],
  };
  assertConsistent(event, entry);
  return event;
}

function assertConsistent(event: TrackmlEvent, entry: TrackmlEventFiles): void {
  const file = (part: TrackmlPart) => path.basename(entry.files[part]?.label ?? `${entry.prefix}-${part}.csv`);
  const rowOfHit = new Map<number, number>();
  event.hits.hitId.forEach((id, row) => {
    if (id < 0) throw new AppError('INVALID_DATASET', `${file('hits')} line ${row + 2}, column "hit_id": expected a non-negative integer, found ${id}.`, { file: file('hits'), row: row + 2, column: 'hit_id' });
    const first = rowOfHit.get(id);
    if (first !== undefined) {
      throw new AppError('INVALID_DATASET', `${file('hits')} line ${row + 2}, column "hit_id": expected each hit id once, found ${id} again (already on line ${first + 2}).`, {
        file: file('hits'),
        row: row + 2,
        column: 'hit_id',
      });
    }
    rowOfHit.set(id, row);
  });
  if (event.cells) {
    event.cells.hitId.forEach((id, row) => {
      if (!rowOfHit.has(id)) throw new AppError('INVALID_DATASET', `${file('cells')} line ${row + 2}, column "hit_id": expected a hit of ${file('hits')}, found ${id}.`, { file: file('cells'), row: row + 2, column: 'hit_id' });
    });
  }
  const { truth, particles } = event;
  if (!truth) return;
  if (truth.hitId.length !== event.hits.hitId.length) {
    throw new AppError('INVALID_DATASET', `${file('truth')} has ${truth.hitId.length} rows but ${file('hits')} has ${event.hits.hitId.length} hits; the truth needs exactly one row per hit.`, {
      file: file('truth'),
      expected: `${event.hits.hitId.length} rows`,
      found: `${truth.hitId.length} rows`,
    });
  }
  const known = new Set<bigint>(particles ? Array.from(particles.particleId) : []);
  const seen = new Set<number>();
  truth.hitId.forEach((id, row) => {
    const where = `${file('truth')} line ${row + 2}`;
    if (!rowOfHit.has(id)) throw new AppError('INVALID_DATASET', `${where}, column "hit_id": expected a hit of ${file('hits')}, found ${id}.`, { file: file('truth'), row: row + 2, column: 'hit_id' });
    if (seen.has(id)) throw new AppError('INVALID_DATASET', `${where}, column "hit_id": expected each hit once, found ${id} again.`, { file: file('truth'), row: row + 2, column: 'hit_id' });
    seen.add(id);
    const particle = truth.particleId[row] as bigint;
    if (particle < 0n) throw new AppError('INVALID_DATASET', `${where}, column "particle_id": expected 0 (noise) or a particle id ≥ 0, found ${particle}.`, { file: file('truth'), row: row + 2, column: 'particle_id' });
    if (particle !== 0n && particles && !known.has(particle)) {
      throw new AppError('INVALID_DATASET', `${where}, column "particle_id": expected a particle of ${file('particles')}, found ${particle}.`, { file: file('truth'), row: row + 2, column: 'particle_id' });
    }
    const weight = truth.weight[row] as number;
    if (!(weight >= 0)) throw new AppError('INVALID_DATASET', `${where}, column "weight": expected a finite number ≥ 0, found ${weight}.`, { file: file('truth'), row: row + 2, column: 'weight' });
  });
}
