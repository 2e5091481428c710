import { AppError } from '@/lib/shared/app-error';
import type { StreamedColumnType } from '@/lib/shared/arrow';
import { EXPECTED_BY_KIND } from './column-spec';
import { formatFound } from './csv-lines';
import type { AlignedPredictions } from './prediction-target';
import type { TrackHitIndex } from './track-hit-index';

/** Columns of a track-assignment submission, in CSV order (the Kaggle TrackML format). */
export const TRACK_ASSIGNMENT_COLUMNS = ['event_id', 'hit_id', 'track_id'] as const;

const MAX_LISTED_MISSING_HITS = 5;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Text of column k (0 event_id, 1 hit_id, 2 track_id) of the current row, as written; read only for messages. */
export type FoundField = (k: number) => string;

/**
 * Checks the rows of a track-assignment file against the hits of a tracking truth and aligns the track ids to the
 * truth's row order, whatever the file format: every hit of every test event exactly once, integer ids, track_id ≥ 0
 * (any non-negative integer up to 2^53 − 1; tracks are numbered per event, so the same id in two events names two
 * tracks). Memory is proportional to the number of hits, never to the file.
 *
 * Errors are `AppError('INVALID_SUBMISSION')` with messages `<file> line 12, column "hit_id": expected a hit id of
 * event 1000 (hit ids 1 … 10234), found "0", which is not a hit of that event` (`row 12` for Arrow and Parquet,
 * counting data rows from 1), details `{ file, row, column, expected, found }`.
 */
export class TrackAssignmentBuilder {
  private readonly trackIds: Float64Array;
  /** Line (row) that gave each truth row's hit; 0 while none has. */
  private readonly rowOf: Int32Array;
  private rows = 0;

  constructor(
    private readonly hits: TrackHitIndex,
    private readonly file: string,
    /** "line" for CSV (the header is line 1), "row" for Arrow and Parquet (data rows from 1). */
    private readonly placeWord: 'line' | 'row',
  ) {
    this.trackIds = new Float64Array(hits.hits);
    this.rowOf = new Int32Array(hits.hits);
  }

  /** `"<event_id>,<hit_id>,<track_id>"`, for messages. */
  get rowPattern(): string {
    return `"<${TRACK_ASSIGNMENT_COLUMNS.join('>,<')}>"`;
  }

  /**
   * Checks a CSV header line: the three names, each once, no others (any order; `event_id,hit_id,track_id` is the
   * Kaggle order). Returns the field position of event_id, hit_id and track_id.
   */
  acceptCsvHeader(header: string): [number, number, number] {
    const expected = TRACK_ASSIGNMENT_COLUMNS.join(',');
    const names = header.split(',');
    const positions = TRACK_ASSIGNMENT_COLUMNS.map((name) => names.indexOf(name)) as [number, number, number];
    if (names.length === 3 && positions.every((p) => p >= 0)) return positions;
    const unknown = names.filter((name) => !(TRACK_ASSIGNMENT_COLUMNS as readonly string[]).includes(name));
    const missing = TRACK_ASSIGNMENT_COLUMNS.filter((name) => !names.includes(name));
    const why = /^\d+,/.test(header)
      ? ' (the header line seems to be missing)'
      : unknown.length > 0
        ? ` (unknown column${unknown.length === 1 ? '' : 's'} ${unknown.map((name) => JSON.stringify(name)).join(', ')})`
        : missing.length > 0
          ? ` (no column ${missing.map((name) => JSON.stringify(name)).join(', ')})`
          : ' (a column twice)';
    throw this.problem({ row: 1, expected: `the header "${expected}" (columns in any order)`, found: header, foundDescription: `${formatFound(header)}${why}` });
  }

  /** Checks the columns of an Arrow or Parquet table: the three names, any order, each once, numbers. */
  acceptTableColumns(names: readonly string[], types: Record<string, StreamedColumnType>): void {
    const header = TRACK_ASSIGNMENT_COLUMNS.join(',');
    const problem = (what: string, column: string) =>
      new AppError('INVALID_SUBMISSION', `${this.file} header: expected the columns ${header} (any order), found ${what}.`, {
        file: this.file,
        column,
        expected: `columns ${header}`,
        found: names.join(','),
      });
    const unknown = names.filter((name) => !(TRACK_ASSIGNMENT_COLUMNS as readonly string[]).includes(name));
    if (unknown.length > 0) throw problem(`the unknown column${unknown.length === 1 ? '' : 's'} ${unknown.map((name) => JSON.stringify(name)).join(', ')}`, unknown[0] as string);
    const repeated = names.find((name, k) => names.indexOf(name) !== k);
    if (repeated !== undefined) throw problem(`column ${JSON.stringify(repeated)} twice`, repeated);
    const missing = TRACK_ASSIGNMENT_COLUMNS.filter((name) => !names.includes(name));
    if (missing.length > 0) throw problem(`no column ${missing.map((name) => JSON.stringify(name)).join(', ')}`, missing[0] as string);
    for (const name of TRACK_ASSIGNMENT_COLUMNS) {
      const type = types[name] as StreamedColumnType;
      if (type.kind === 'number') continue;
      const found = type.kind === 'other' ? `a column of type ${type.description}` : 'a column of strings';
      throw new AppError('INVALID_SUBMISSION', `${this.file} column "${name}": expected numbers (${EXPECTED_BY_KIND.id}), found ${found}.`, {
        file: this.file,
        column: name,
        expected: EXPECTED_BY_KIND.id,
        found,
      });
    }
  }

  /**
   * One row. Values that did not parse as integers come as −1 (CSV) or as the stored number (tables); either way they
   * are rejected with the text `found(k)`.
   */
  addRow(eventId: number, hitId: number, trackId: number, row: number, found: FoundField): void {
    const { hits } = this;
    if (!isId(eventId)) throw this.problem({ row, column: 'event_id', expected: EXPECTED_BY_KIND.id, found: found(0) });
    const event = hits.eventOf(eventId);
    if (event < 0) {
      const text = found(0);
      throw this.problem({
        row,
        column: 'event_id',
        expected: `a test event (${hits.describeEvents()})`,
        found: text,
        foundDescription: `${formatFound(text)}, which is not a test event`,
      });
    }
    if (!isId(hitId)) throw this.problem({ row, column: 'hit_id', expected: EXPECTED_BY_KIND.id, found: found(1) });
    const position = hits.rowOf(event, hitId);
    if (position < 0) {
      const text = found(1);
      throw this.problem({
        row,
        column: 'hit_id',
        expected: `a hit id of event ${eventId} (${hits.describeHits(event)})`,
        found: text,
        foundDescription: `${formatFound(text)}, which is not a hit of that event`,
      });
    }
    const firstRow = this.rowOf[position] as number;
    if (firstRow !== 0) {
      const text = found(1);
      const error = this.problem({
        row,
        column: 'hit_id',
        expected: 'each hit of each event exactly once',
        found: text,
        foundDescription: `hit ${formatFound(text)} of event ${eventId} again (already on ${this.placeWord} ${firstRow})`,
      });
      error.details.firstRow = firstRow;
      throw error;
    }
    if (!isId(trackId)) throw this.problem({ row, column: 'track_id', expected: EXPECTED_BY_KIND.id, found: found(2) });
    this.trackIds[position] = trackId;
    this.rowOf[position] = row;
    this.rows++;
  }

  /**
   * The aligned track ids once every row was added.
   *
   * @throws {AppError} when the file has no rows or misses hits (how many, and the first few with their events).
   */
  finish(): AlignedPredictions {
    const expected = this.hits.hits;
    const isCsv = this.placeWord === 'line';
    if (this.rows === 0) {
      throw new AppError('INVALID_SUBMISSION', `${this.file} has ${isCsv ? 'a header but no rows' : 'no rows'}; expected ${expected} rows, one per hit of every test event (${this.hits.describeEvents()}).`, {
        file: this.file,
        ...(isCsv ? { row: 2 } : {}),
        expected: `${expected} rows`,
        found: '0 rows',
      });
    }
    if (this.rows < expected) {
      const missingCount = expected - this.rows;
      const missing: string[] = [];
      const missingHits: Array<{ eventId: number; hitId: number }> = [];
      const missingEvents = new Set<number>();
      for (let k = 0; k < expected; k++) {
        if (this.rowOf[k] !== 0) continue;
        const eventId = this.hits.rowEventIds[k] as number;
        missingEvents.add(eventId);
        if (missing.length < MAX_LISTED_MISSING_HITS) {
          const hitId = this.hits.rowHitIds[k] as number;
          missing.push(`event ${eventId} hit ${hitId}`);
          missingHits.push({ eventId, hitId });
        }
      }
      const listed = missing.join(', ') + (missingCount > missing.length ? ', …' : '');
      throw new AppError(
        'INVALID_SUBMISSION',
        `${this.file} is missing ${missingCount} of the ${expected} hits, in ${missingEvents.size} of the ${this.hits.eventIds.length} test events (${listed}); expected exactly one row per hit of every test event.`,
        { file: this.file, expected: `${expected} rows`, found: `${this.rows} rows`, missingCount, missingHits },
      );
    }
    return { task: 'track-assignment', trackIds: this.trackIds, rows: this.rows };
  }

  /** `<file> line 12, column "hit_id": expected …, found …` (`row 12` for tables). */
  private problem(p: { row: number; column?: string; expected: string; found: string; foundDescription?: string }): AppError {
    const place = `${this.file} ${this.placeWord} ${p.row}${p.column === undefined ? '' : `, column "${p.column}"`}`;
    const quoted = p.found.startsWith('"') && this.placeWord === 'line' ? ' (plain CSV: remove the quotes)' : '';
    const found = p.foundDescription ?? `${formatFound(p.found)}${quoted}`;
    const details: Record<string, unknown> = { file: this.file, row: p.row, expected: p.expected, found: p.found };
    if (p.column !== undefined) details.column = p.column;
    return new AppError('INVALID_SUBMISSION', `${place}: expected ${p.expected}, found ${found}`, details);
  }
}

function isId(value: number): boolean {
  return value >= 0 && value <= MAX_SAFE && Math.floor(value) === value;
}
