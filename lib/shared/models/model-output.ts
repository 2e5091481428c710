import { ModelRunError } from './model-run-error';

/**
 * The outputs a submitted model may have, and how a score is read from them. Shared by the server's runner and the
 * `predict` CLI, so both accept and refuse the same models and name the same offending row.
 */

/** `probability`: [N] or [N, 1]; `two-class`: [N, 2], column 1 is the score (the probability of signal). */
export type OutputLayout = 'probability' | 'two-class';

export const acceptedOutputsText = '[N] or [N, 1] (a probability in [0, 1]) or [N, 2] (two-class probabilities; column 1 is the score)';

/** The layout of an output with these dims for a batch of `rows`, or null when it is none of the accepted ones. */
export function outputLayoutOf(dims: readonly number[], rows: number): OutputLayout | null {
  if (dims.length === 1 && dims[0] === rows) return 'probability';
  if (dims.length === 2 && dims[0] === rows && dims[1] === 1) return 'probability';
  if (dims.length === 2 && dims[0] === rows && dims[1] === 2) return 'two-class';
  return null;
}

export function formatDims(dims: readonly number[] | null): string {
  if (dims === null) return 'not a tensor';
  return `[${dims.map((d) => (d < 0 ? '?' : String(d))).join(', ')}]`;
}

/** Where a batch's rows sit: the table's name and the 1-based row of the batch's first event, and the events' ids. */
export type BatchPlace = { table: string; firstRow: number; ids?: ArrayLike<number> };

/**
 * Reads one score per event from a batch's output, checking the shape and every value: NaN or a value outside
 * [0, 1] stops the run at the first offending row (its 1-based row in the table and its id are named).
 *
 * @throws {ModelRunError} `BAD_OUTPUT`
 */
export function readScores(output: { dims: readonly number[]; dtype: string; data: Float32Array }, rows: number, place: BatchPlace): Float32Array {
  const layout = outputLayoutOf(output.dims, rows);
  if (!layout) {
    throw new ModelRunError('BAD_OUTPUT', `for a batch of ${rows} events of ${place.table} (rows ${place.firstRow}–${place.firstRow + rows - 1}) the model's output has shape ${formatDims(output.dims)}; expected ${acceptedOutputsText}`, {
      table: place.table,
      row: place.firstRow,
      expected: acceptedOutputsText,
      found: formatDims(output.dims),
    });
  }
  if (output.dtype !== 'float32' && output.dtype !== 'float64') {
    throw new ModelRunError('BAD_OUTPUT', `the model's output is of type ${output.dtype}; expected float32 probabilities`, { table: place.table, expected: 'float32', found: output.dtype });
  }
  const stride = layout === 'two-class' ? 2 : 1;
  const offset = layout === 'two-class' ? 1 : 0;
  const { data } = output;
  if (data.length !== rows * stride) {
    throw new ModelRunError('BAD_OUTPUT', `the model's output holds ${data.length} values for shape ${formatDims(output.dims)}`, { table: place.table, found: String(data.length) });
  }
  const scores = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const value = data[r * stride + offset] as number;
    // Written so that NaN fails too.
    if (!(value >= 0 && value <= 1)) {
      const row = place.firstRow + r;
      const id = place.ids?.[r];
      const found = Number.isNaN(value) ? 'NaN' : String(value);
      throw new ModelRunError(
        'BAD_OUTPUT',
        `${place.table} row ${row}${id === undefined ? '' : ` (id ${id})`}: the model's score${stride === 2 ? ' (output column 1)' : ''} is ${found}; expected a probability in [0, 1]`,
        { table: place.table, row, ...(id === undefined ? {} : { id }), expected: 'a probability in [0, 1]', found },
      );
    }
    scores[r] = value;
  }
  return scores;
}
