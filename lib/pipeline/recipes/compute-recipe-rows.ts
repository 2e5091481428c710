import { AppError, isAppError } from '@/lib/shared/app-error';
import type { Recipe } from './define-recipe';
import type { EventBatch, FeatureRows } from './event-batch';
import { pickInt32 } from './columnar/pick-values';

export type FeatureColumnArray = Float32Array | Float64Array | Int32Array;

/** The rows of one batch: which events passed, the rows they give and every feature column. */
export type RecipeRows = {
  /** Index (in the batch) of each selected event. */
  selectedEvents: Int32Array;
  /** For each row: the index in the batch of its event, and its number within the event (0 for event rows). */
  rowEvent: Int32Array;
  rowItem: Int32Array;
  columns: Record<string, FeatureColumnArray>;
};

function describeFailure(error: unknown): string {
  if (isAppError(error)) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Finds the first event whose own computation fails, so that an error names the entry: the batch is re-run event by
 * event. Null when each event alone succeeds (the failure depends on the batch as a whole).
 */
function firstFailingEntry(events: EventBatch, run: (single: EventBatch) => void): { entry: number; error: unknown } | null {
  for (let i = 0; i < events.length; i++) {
    const single = events.take(Int32Array.of(i));
    try {
      run(single);
    } catch (error) {
      return { entry: events.entry(i), error };
    }
  }
  return null;
}

function where(events: EventBatch): string {
  const s = events.source;
  return `${s.file} (sample ${s.sample}${s.variation ? `, variation ${s.variation}` : ''})`;
}

function locate(recipe: Recipe, what: string, events: EventBatch, run: (single: EventBatch) => void, error: unknown): AppError {
  const failing = firstFailingEntry(events, run);
  const entries = events.length > 0 ? `entries ${events.entry(0)}–${events.entry(events.length - 1)}` : 'an empty batch';
  const at = failing ? `entry ${failing.entry}` : entries;
  return new AppError('INVALID_DATASET', `recipe "${recipe.name}": ${what} failed on ${where(events)} ${at}: ${describeFailure(failing?.error ?? error)}`, {
    file: events.source.file,
    row: failing?.entry,
    column: what,
  }, { cause: failing?.error ?? error });
}

function rowsOf(recipe: Recipe, selected: EventBatch): FeatureRows {
  if (recipe.rows === 'events') {
    const event = new Int32Array(selected.length);
    for (let i = 0; i < event.length; i++) event[i] = i;
    return { count: event.length, event, object: null, collection: null };
  }
  const collection = selected.collection(recipe.rows.objects);
  const total = collection.offsets[collection.offsets.length - 1] as number;
  const event = new Int32Array(total);
  const object = new Int32Array(total);
  for (let e = 0; e < selected.length; e++) {
    for (let k = collection.offsets[e] as number; k < (collection.offsets[e + 1] as number); k++) {
      event[k] = e;
      object[k] = k;
    }
  }
  return { count: total, event, object, collection: recipe.rows.objects };
}

function allocate(type: 'float32' | 'float64' | 'int32', n: number): FeatureColumnArray {
  return type === 'float64' ? new Float64Array(n) : type === 'int32' ? new Int32Array(n) : new Float32Array(n);
}

/**
 * Runs a recipe's event selection and features on a prepared batch. A selection or feature that throws, returns the
 * wrong number of values, or returns a value that is not finite (use the recipe's missing value instead) fails with
 * AppError naming the recipe, the feature, the file and the entry.
 */
export function computeRecipeRows(recipe: Recipe, events: EventBatch): RecipeRows {
  let selectedEvents: Int32Array;
  const runSelect = (batch: EventBatch): Int32Array => {
    if (!recipe.select) return Int32Array.from({ length: batch.length }, (_, i) => i);
    const mask = recipe.select(batch);
    if (mask.length !== batch.length) throw new AppError('BAD_REQUEST', `the selection returned ${mask.length} flags for ${batch.length} events`);
    const picked: number[] = [];
    for (let i = 0; i < mask.length; i++) if (mask[i]) picked.push(i);
    return Int32Array.from(picked);
  };
  try {
    selectedEvents = runSelect(events);
  } catch (error) {
    throw locate(recipe, 'the event selection', events, (single) => void runSelect(single), error);
  }
  const selected = events.take(selectedEvents);
  const rows = rowsOf(recipe, selected);
  const rowItem = new Int32Array(rows.count);
  for (let r = 1; r < rows.count; r++) rowItem[r] = rows.event[r] === rows.event[r - 1] ? (rowItem[r - 1] as number) + 1 : 0;
  const columns: Record<string, FeatureColumnArray> = {};
  for (const feature of recipe.features) {
    const label = `feature ${feature.names.length === 1 ? `"${feature.names[0]}"` : `group "${feature.names[0]}"…"${feature.names[feature.names.length - 1]}"`}`;
    const run = (batch: EventBatch, batchRows: FeatureRows): ArrayLike<number>[] => {
      const result = feature.compute(batch, batchRows);
      const arrays = feature.names.length === 1 && !isArrayOfArrays(result) ? [result as ArrayLike<number>] : (result as readonly ArrayLike<number>[]);
      if (!Array.isArray(arrays) || arrays.length !== feature.names.length) {
        throw new AppError('BAD_REQUEST', `it returned ${Array.isArray(arrays) ? arrays.length : 'no'} columns, expected ${feature.names.length} (${feature.names.join(', ')})`);
      }
      arrays.forEach((a, j) => {
        if (a?.length !== batchRows.count) throw new AppError('BAD_REQUEST', `column ${feature.names[j]} has ${a?.length ?? 0} values for ${batchRows.count} rows`);
      });
      return arrays;
    };
    let arrays: ArrayLike<number>[];
    try {
      arrays = run(selected, rows);
    } catch (error) {
      throw locate(recipe, label, selected, (single) => void run(single, rowsOf(recipe, single)), error);
    }
    arrays.forEach((values, j) => {
      const name = feature.names[j] as string;
      const out = allocate(feature.type, rows.count);
      for (let r = 0; r < rows.count; r++) {
        const v = values[r] as number;
        if (!Number.isFinite(v) || (feature.type === 'int32' && !Number.isInteger(v))) {
          const entry = selected.entry(rows.event[r] as number);
          throw new AppError('INVALID_DATASET', `recipe "${recipe.name}": feature "${name}" is ${v} on ${where(selected)} entry ${entry}; ${feature.type === 'int32' && Number.isFinite(v) ? 'an int32 feature must be an integer' : `return the missing value (${recipe.missingValue}) where it is undefined`}.`, {
            file: selected.source.file, row: entry, column: name, found: String(v),
          });
        }
        out[r] = v;
      }
      columns[name] = out;
    });
  }
  const rowEvent = pickInt32(selectedEvents, rows.event);
  return { selectedEvents, rowEvent, rowItem, columns };
}

function isArrayOfArrays(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && typeof value[0] === 'object' && value[0] !== null;
}
