import { AppError } from '@/lib/shared/app-error';
import type { StreamedColumnType } from '@/lib/shared/arrow';
import { type ColumnKind, EXPECTED_BY_KIND, isValidValue } from './column-spec';
import { formatFound } from './csv-lines';
import type { AlignedPredictions, IdIndex, PredictionTarget } from './prediction-target';

const MAX_LISTED_MISSING_IDS = 5;

/** Text of column k (in `builder.columns` order) of the current row, as written (CSV) or stored (tables); read only for messages. */
export type FoundText = (k: number) => string;

/** One table the file must cover: "nominal" or a variation (binary), or the pseudo-experiments (interval). */
type Coverage = {
  name: string;
  /** "the test set", "the test set of variation "jes_up"", … as used in messages. */
  label: string;
  index: IdIndex;
  /** values[c][k]: value column c of the row for the k-th id in truth order. */
  values: Float64Array[];
  /** Row (line) number that gave the k-th id; 0 while none has. */
  rowOf: Int32Array;
  count: number;
};

/**
 * Checks the rows of a predictions file against a {@link PredictionTarget} and aligns them to the truth's row order,
 * whatever the file format: the CSV and table readers parse values, this decides what is valid and says what is not.
 * Rules: every id of each table exactly once, unknown ids and variations rejected, scores in [0, 1], interval values
 * finite with delta_mu_hat ≥ 0. Memory is proportional to the target, never to the file.
 *
 * Errors are `AppError('INVALID_SUBMISSION')` with messages `<file> line 12, column "score": expected a number in
 * [0, 1], found "1.7"` (`row 12` for Arrow and Parquet, counting data rows from 1), details `{ file, row, column,
 * expected, found }`.
 */
export class AlignedPredictionsBuilder {
  private fileColumns: string[];
  private readonly coverages: Coverage[];
  private readonly coverageByName: Map<string, Coverage>;
  private readonly allowsVariationColumn: boolean;
  private hasVariationColumn: boolean;
  private rows = 0;

  constructor(
    private readonly target: PredictionTarget,
    private readonly file: string,
    /** "line" for CSV (the header is line 1), "row" for Arrow and Parquet (data rows from 1). */
    private readonly placeWord: 'line' | 'row',
  ) {
    if (target.task === 'interval-estimation') {
      this.coverages = [createCoverage('pe', "the challenge's pseudo-experiments", target.peIds, 4)];
      this.allowsVariationColumn = false;
      this.hasVariationColumn = false;
      this.fileColumns = ['pe_id', 'mu_hat', 'delta_mu_hat', 'p16', 'p84'];
    } else {
      const names = ['nominal', ...target.variations];
      this.coverages = names.map((name) => {
        const index = target.idsByTable.get(name);
        if (!index) throw new AppError('INVALID_DATASET', `The truth has no test set for "${name}"; it cannot check predictions for it.`, { found: name });
        const label = target.variations.length === 0 ? 'the test set' : name === 'nominal' ? 'the nominal test set' : `the test set of variation "${name}"`;
        return createCoverage(name, label, index, 1);
      });
      this.allowsVariationColumn = target.variations.length === 0;
      this.hasVariationColumn = target.variations.length > 0;
      this.fileColumns = this.hasVariationColumn ? ['variation', 'id', 'score'] : ['id', 'score'];
    }
    this.coverageByName = new Map(this.coverages.map((coverage) => [coverage.name, coverage]));
  }

  /** Column names in the order `add…Row` and `FoundText` use (a `variation` column, once accepted, comes first). */
  get columns(): readonly string[] {
    return this.fileColumns;
  }

  /** `"<id>,<score>"`: the fields of a row, for messages. */
  get rowPattern(): string {
    return `"<${this.columns.join('>,<')}>"`;
  }

  /** Checks a CSV header line: exactly the expected names in order (`variation,id,score` also when no variations). */
  acceptCsvHeader(header: string): void {
    const expected = this.columns.join(',');
    if (header === expected) return;
    if (this.allowsVariationColumn && header === `variation,${expected}`) {
      this.useVariationColumn();
      return;
    }
    const names = header.split(',');
    const allowed = new Set(this.allowsVariationColumn ? ['variation', ...this.columns] : this.columns);
    const unknown = names.filter((name) => !allowed.has(name));
    const why = /^\d+,/.test(header)
      ? ' (the header line seems to be missing)'
      : unknown.length > 0
        ? ` (unknown column${unknown.length === 1 ? '' : 's'} ${unknown.map((name) => JSON.stringify(name)).join(', ')})`
        : names.length === this.columns.length && this.columns.every((name) => names.includes(name))
          ? ' (the columns must be in this order)'
          : '';
    throw this.problem({ row: 1, expected: `the header "${expected}"`, found: header, foundDescription: `${formatFound(header)}${why}` });
  }

  /**
   * Checks the columns of an Arrow or Parquet table (any order, each once, no others, numbers and strings where
   * expected) and returns their names in `columns` order.
   */
  acceptTableColumns(names: readonly string[], types: Record<string, StreamedColumnType>): string[] {
    const allowed = new Set(this.allowsVariationColumn ? ['variation', ...this.columns] : this.columns);
    const header = this.columns.join(',');
    const problem = (what: string, column: string) =>
      new AppError('INVALID_SUBMISSION', `${this.file} header: expected the columns ${header} (any order), found ${what}.`, {
        file: this.file,
        column,
        expected: `columns ${header}`,
        found: names.join(','),
      });
    const unknown = names.filter((name) => !allowed.has(name));
    if (unknown.length > 0) {
      const list = unknown.map((name) => JSON.stringify(name)).join(', ');
      throw problem(`the unknown column${unknown.length === 1 ? '' : 's'} ${list}`, unknown[0] as string);
    }
    const repeated = names.find((name, k) => names.indexOf(name) !== k);
    if (repeated !== undefined) throw problem(`column ${JSON.stringify(repeated)} twice`, repeated);
    const missing = this.columns.filter((name) => !names.includes(name));
    if (missing.length > 0) throw problem(`no column ${missing.map((name) => JSON.stringify(name)).join(', ')}`, missing[0] as string);
    if (names.includes('variation') && !this.hasVariationColumn) this.useVariationColumn();

    for (const [k, name] of this.columns.entries()) {
      const type = types[name] as StreamedColumnType;
      const wantsStrings = name === 'variation';
      if (type.kind === (wantsStrings ? 'string' : 'number')) continue;
      const found = type.kind === 'other' ? `a column of type ${type.description}` : `a column of ${type.kind === 'string' ? 'strings' : 'numbers'}`;
      const expected = wantsStrings ? `strings (${this.expectedVariation()})` : `numbers (${this.expectedValue(k)})`;
      throw new AppError('INVALID_SUBMISSION', `${this.file} column "${name}": expected ${expected}, found ${found}.`, {
        file: this.file,
        column: name,
        expected,
        found,
      });
    }
    return [...this.columns];
  }

  /** One row of a binary file; `variation` is null when the file has no variation column, `id` -1 when unparsable. */
  addBinaryRow(variation: string | null, id: number, score: number, row: number, found: FoundText): void {
    let coverage = this.coverages[0] as Coverage;
    if (variation !== null) {
      const named = this.coverageByName.get(variation);
      if (!named) throw this.problem({ row, column: 'variation', expected: this.expectedVariation(), found: found(0) });
      coverage = named;
    }
    const idColumn = this.hasVariationColumn ? 1 : 0;
    const position = this.positionOf(coverage, id, row, idColumn, found);
    if (!isValidValue('unit-interval', score)) {
      throw this.problem({ row, column: 'score', expected: EXPECTED_BY_KIND['unit-interval'], found: found(idColumn + 1) });
    }
    (coverage.values[0] as Float64Array)[position] = score;
    this.record(coverage, position, row);
  }

  /** One row of an interval file (`pe_id` -1 when unparsable). */
  addIntervalRow(peId: number, muHat: number, deltaMuHat: number, p16: number, p84: number, row: number, found: FoundText): void {
    const coverage = this.coverages[0] as Coverage;
    const position = this.positionOf(coverage, peId, row, 0, found);
    const values = [muHat, deltaMuHat, p16, p84];
    for (let c = 0; c < 4; c++) {
      const value = values[c] as number;
      if (!isValidValue(intervalKinds[c] as ColumnKind, value)) {
        throw this.problem({ row, column: this.columns[c + 1], expected: this.expectedValue(c + 1), found: found(c + 1) });
      }
      (coverage.values[c] as Float64Array)[position] = value;
    }
    this.record(coverage, position, row);
  }

  /**
   * The aligned predictions once every row was added.
   *
   * @throws {AppError} when the file has no rows or misses ids (how many, and the first few).
   */
  finish(): AlignedPredictions {
    const expectedRows = this.coverages.reduce((sum, coverage) => sum + coverage.index.ids.length, 0);
    if (this.rows === 0 && expectedRows > 0) {
      const unit = this.target.task === 'interval-estimation' ? 'pseudo-experiment' : this.coverages.length > 1 ? "id of the nominal test set and of each variation's test set" : 'id of the test set';
      const isCsv = this.placeWord === 'line';
      throw new AppError('INVALID_SUBMISSION', `${this.file} has ${isCsv ? 'a header but no rows' : 'no rows'}; expected ${expectedRows} rows, one per ${unit}.`, {
        file: this.file,
        ...(isCsv ? { row: 2 } : {}),
        expected: `${expectedRows} rows`,
        found: '0 rows',
      });
    }
    for (const coverage of this.coverages) this.assertComplete(coverage);
    if (this.target.task === 'interval-estimation') {
      const [muHat, deltaMuHat, p16, p84] = (this.coverages[0] as Coverage).values as [Float64Array, Float64Array, Float64Array, Float64Array];
      return { task: 'interval-estimation', muHat, deltaMuHat, p16, p84, rows: this.rows };
    }
    return { task: 'binary-classification', scores: new Map(this.coverages.map((c) => [c.name, c.values[0] as Float64Array])), rows: this.rows };
  }

  private useVariationColumn(): void {
    this.hasVariationColumn = true;
    this.fileColumns = ['variation', ...this.fileColumns];
  }

  private positionOf(coverage: Coverage, id: number, row: number, idColumn: number, found: FoundText): number {
    const column = this.columns[idColumn] as string;
    if (!(Number.isSafeInteger(id) && id >= 0)) throw this.problem({ row, column, expected: EXPECTED_BY_KIND.id, found: found(idColumn) });
    const position = coverage.index.rowById.get(id);
    if (position === undefined) {
      const text = found(idColumn);
      const where = this.target.task === 'interval-estimation' ? 'not one of them' : `not in ${coverage.label}`;
      throw this.problem({ row, column, expected: `an id of ${coverage.label}`, found: text, foundDescription: `${formatFound(text)}, which is ${where}` });
    }
    const firstRow = coverage.rowOf[position] as number;
    if (firstRow !== 0) {
      const text = found(idColumn);
      const error = this.problem({
        row,
        column,
        expected: this.coverages.length > 1 ? 'each id exactly once per variation' : 'each id exactly once',
        found: text,
        foundDescription: `${formatFound(text)} again (already on ${this.placeWord} ${firstRow})`,
      });
      error.details.firstRow = firstRow;
      throw error;
    }
    return position;
  }

  private record(coverage: Coverage, position: number, row: number): void {
    coverage.rowOf[position] = row;
    coverage.count++;
    this.rows++;
  }

  private assertComplete(coverage: Coverage): void {
    const { ids } = coverage.index;
    const expectedCount = ids.length;
    if (coverage.count === expectedCount) return;
    const missingCount = expectedCount - coverage.count;
    const missing: number[] = [];
    for (let k = 0; k < expectedCount && missing.length < MAX_LISTED_MISSING_IDS; k++) {
      if (coverage.rowOf[k] === 0) missing.push(ids[k] as number);
    }
    const listed = missing.join(', ') + (missingCount > missing.length ? ', …' : '');
    const details = { file: this.file, expected: `${expectedCount} rows`, found: `${coverage.count} rows`, missingCount, missingIds: missing };
    if (this.target.task === 'interval-estimation') {
      throw new AppError(
        'INVALID_SUBMISSION',
        `${this.file} is missing ${missingCount} of the ${expectedCount} pseudo-experiments (pe_id ${listed}); expected exactly one row per pseudo-experiment.`,
        details,
      );
    }
    const perVariation = this.coverages.length > 1;
    if (perVariation && coverage.count === 0) {
      throw new AppError(
        'INVALID_SUBMISSION',
        `${this.file} has no rows with variation "${coverage.name}"; expected ${expectedCount} rows, one per id of ${coverage.label}.`,
        { ...details, variation: coverage.name },
      );
    }
    throw new AppError(
      'INVALID_SUBMISSION',
      `${this.file} is missing ${missingCount} of the ${expectedCount} ids of ${coverage.label} (${listed}); expected exactly one row per id${perVariation ? ' and variation' : ''}.`,
      perVariation ? { ...details, variation: coverage.name } : details,
    );
  }

  private expectedVariation(): string {
    if (this.coverages.length === 1) return '"nominal"';
    return `"nominal" or a variation of the challenge (${this.coverages.slice(1).map((c) => JSON.stringify(c.name)).join(', ')})`;
  }

  /** The "expected …" phrase of column k of `columns`. */
  private expectedValue(k: number): string {
    const name = this.columns[k];
    if (name === 'variation') return this.expectedVariation();
    if (name === 'id' || name === 'pe_id') return EXPECTED_BY_KIND.id;
    if (name === 'score') return EXPECTED_BY_KIND['unit-interval'];
    return EXPECTED_BY_KIND[intervalKinds[k - 1] as ColumnKind];
  }

  /** `<file> line 12, column "score": expected …, found …` (`row 12` for tables), as `createCsvError` words it. */
  private problem(p: { row: number; column?: string; expected: string; found: string; foundDescription?: string }): AppError {
    const place = `${this.file} ${this.placeWord} ${p.row}${p.column === undefined ? '' : `, column "${p.column}"`}`;
    const quoted = p.found.startsWith('"') && this.placeWord === 'line' ? ' (plain CSV: remove the quotes)' : '';
    const found = p.foundDescription ?? `${formatFound(p.found)}${quoted}`;
    const details: Record<string, unknown> = { file: this.file, row: p.row, expected: p.expected, found: p.found };
    if (p.column !== undefined) details.column = p.column;
    return new AppError('INVALID_SUBMISSION', `${place}: expected ${p.expected}, found ${found}`, details);
  }
}

/** Kinds of mu_hat, delta_mu_hat, p16, p84. p16 > p84 is legal: an inverted interval is scored by its |width|. */
const intervalKinds: ColumnKind[] = ['interval-value', 'interval-width', 'interval-value', 'interval-value'];

function createCoverage(name: string, label: string, index: IdIndex, valueColumns: number): Coverage {
  const n = index.ids.length;
  return {
    name,
    label,
    index,
    values: Array.from({ length: valueColumns }, () => new Float64Array(n)),
    rowOf: new Int32Array(n),
    count: 0,
  };
}
