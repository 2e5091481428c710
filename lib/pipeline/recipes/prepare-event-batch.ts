import type { Data, RecordBatch } from 'apache-arrow';
import { AppError } from '@/lib/shared/app-error';
import { type Collection, filterObjects, type NumberColumn, objectCount } from './columnar/collection';
import { removeOverlaps } from './columnar/overlap-removal';
import { MC_CHANNEL_BRANCH, MC_EVENT_WEIGHTS_BRANCH, type Recipe, type RecipeVariation } from './define-recipe';
import { EventBatch, type EventSource, type MetNoise } from './event-batch';
import { type DrawKey, hashString32, normalFor } from './event-random';

/** The columns of one record batch, as the recipe declared them. */
export type BatchColumns = {
  length: number;
  /** Entry number of each event in its file. */
  entries: Float64Array;
  collections: Map<string, Collection>;
  scalars: Map<string, NumberColumn>;
  /** mcEventWeights[0] of each event. */
  mcWeight: Float64Array;
  dsid: Float64Array;
};

function numbersOf(data: Data, name: string, start: number, length: number): NumberColumn {
  const values = data.values as ArrayLike<number | bigint> | undefined;
  if (!values) throw new AppError('INVALID_DATASET', `branch ${name} is not numeric (found ${String(data.type)}).`, { column: name });
  const from = data.offset + start;
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) out[i] = Number(values[from + i]);
    return out;
  }
  return (values as unknown as Float32Array).subarray(from, from + length);
}

/** A List<number> column as offsets (from 0) and values. */
function listOf(batch: RecordBatch, name: string): { offsets: Int32Array; values: NumberColumn } {
  const data = batch.getChild(name)?.data[0];
  if (!data) throw new AppError('INVALID_DATASET', `branch ${name} is missing from the batch.`, { column: name });
  const raw = data.valueOffsets as Int32Array | undefined;
  const child = data.children[0];
  if (!raw || !child) throw new AppError('INVALID_DATASET', `branch ${name} is not a vector branch (found ${String(data.type)}); a collection field must be vector<number>.`, { column: name });
  const offsets = raw.subarray(data.offset, data.offset + data.length + 1);
  const first = offsets[0] as number;
  const last = offsets[offsets.length - 1] as number;
  const normalised = first === 0 ? offsets : Int32Array.from(offsets, (o) => o - first);
  return { offsets: normalised, values: numbersOf(child, name, first, last - first) };
}

function sameOffsets(a: Int32Array, b: Int32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Collections, event branches, weights and DSIDs of a record batch; `firstEntry` is the entry of its first row. */
export function readBatchColumns(batch: RecordBatch, recipe: Recipe, firstEntry: number, fileName: string): BatchColumns {
  const length = batch.numRows;
  const collections = new Map<string, Collection>();
  for (const [name, declared] of Object.entries(recipe.collections)) {
    let offsets: Int32Array | null = null;
    const fields: Record<string, NumberColumn> = {};
    for (const field of declared.fields) {
      const branch = `${declared.branch}.${field}`;
      const list = listOf(batch, branch);
      if (offsets && !sameOffsets(offsets, list.offsets)) {
        throw new AppError('INVALID_DATASET', `${fileName}: branch ${branch} has a different number of objects per event than ${declared.branch}.${declared.fields[0]}; the fields of collection "${name}" must belong to one container.`, {
          file: fileName, column: branch,
        });
      }
      offsets ??= list.offsets;
      fields[field] = list.values;
    }
    collections.set(name, { name, offsets: offsets as Int32Array, fields });
  }
  const scalars = new Map<string, NumberColumn>();
  for (const branch of [MC_CHANNEL_BRANCH, ...recipe.eventBranches]) {
    const data = batch.getChild(branch)?.data[0];
    if (!data) throw new AppError('INVALID_DATASET', `branch ${branch} is missing from the batch.`, { column: branch });
    if (data.valueOffsets) throw new AppError('INVALID_DATASET', `${fileName}: event branch ${branch} holds a vector per event; eventBranches take one number per event.`, { file: fileName, column: branch });
    scalars.set(branch, numbersOf(data, branch, 0, length));
  }
  const weights = listOf(batch, MC_EVENT_WEIGHTS_BRANCH);
  const mcWeight = new Float64Array(length);
  for (let e = 0; e < length; e++) {
    if ((weights.offsets[e + 1] as number) <= (weights.offsets[e] as number)) {
      throw new AppError('INVALID_DATASET', `${fileName} entry ${firstEntry + e}: ${MC_EVENT_WEIGHTS_BRANCH} is empty; is this MC?`, { file: fileName, row: firstEntry + e, column: MC_EVENT_WEIGHTS_BRANCH });
    }
    mcWeight[e] = weights.values[weights.offsets[e] as number] as number;
  }
  const dsidColumn = scalars.get(MC_CHANNEL_BRANCH) as NumberColumn;
  const entries = new Float64Array(length);
  for (let e = 0; e < length; e++) entries[e] = firstEntry + e;
  return { length, entries, collections, scalars, mcWeight, dsid: Float64Array.from(dsidColumn) };
}

const DEFAULT_VARIED_FIELDS = ['pt', 'm', 'e'];

function variedFields(recipe: Recipe, variation: Extract<RecipeVariation, { kind: 'scale' | 'resolution' }>): string[] {
  const declared = recipe.collections[variation.collection]?.fields ?? [];
  return variation.fields ?? DEFAULT_VARIED_FIELDS.filter((f) => declared.includes(f));
}

/** A calibration variation applied to the collections as read: a scale, or a per-object smearing seeded per event. */
function applyCalibration(raw: Map<string, Collection>, recipe: Recipe, variation: RecipeVariation | null, source: EventSource, entries: Float64Array): Map<string, Collection> {
  if (!variation || (variation.kind !== 'scale' && variation.kind !== 'resolution')) return raw;
  const target = raw.get(variation.collection) as Collection;
  const fields = { ...target.fields };
  const factors = new Float64Array(objectCount(target));
  if (variation.kind === 'scale') {
    factors.fill(variation.factor);
  } else {
    const stream = hashString32(`resolution/${variation.name}/${variation.seed}`);
    const sample = hashString32(source.sample);
    for (let e = 0; e < entries.length; e++) {
      for (let k = target.offsets[e] as number; k < (target.offsets[e + 1] as number); k++) {
        const key: DrawKey = { stream, sample, file: source.fileIndex, entry: entries[e] as number, item: k - (target.offsets[e] as number) };
        factors[k] = Math.max(0, 1 + variation.sigma * normalFor(key));
      }
    }
  }
  for (const field of variedFields(recipe, variation)) {
    const values = target.fields[field] as NumberColumn;
    fields[field] = Float64Array.from(values, (v, k) => v * (factors[k] as number));
  }
  const out = new Map(raw);
  out.set(variation.collection, { name: target.name, offsets: target.offsets, fields });
  return out;
}

function softMetNoise(variation: RecipeVariation | null, source: EventSource, entries: Float64Array): MetNoise | null {
  if (!variation || variation.kind !== 'soft-met') return null;
  const stream = hashString32(`soft-met/${variation.name}/${variation.seed}`);
  const sample = hashString32(source.sample);
  const sigmaMeV = variation.sigmaGeV * 1000;
  const x = new Float64Array(entries.length);
  const y = new Float64Array(entries.length);
  for (let e = 0; e < entries.length; e++) {
    const key: DrawKey = { stream, sample, file: source.fileIndex, entry: entries[e] as number, item: 0 };
    x[e] = sigmaMeV * normalFor(key, 0);
    y[e] = sigmaMeV * normalFor(key, 1);
  }
  return { x, y };
}

function selectObjects(collection: Collection, recipe: Recipe, name: string): Collection {
  const cuts = recipe.collections[name]?.select;
  if (!cuts || (cuts.ptMinGeV === undefined && cuts.ptMaxGeV === undefined && cuts.absEtaMax === undefined && cuts.flags.length === 0 && !cuts.where)) return collection;
  const total = objectCount(collection);
  const keep = new Uint8Array(total).fill(1);
  const pt = collection.fields.pt;
  const eta = collection.fields.eta;
  for (let k = 0; k < total; k++) {
    if (cuts.ptMinGeV !== undefined && !((pt?.[k] as number) > cuts.ptMinGeV * 1000)) keep[k] = 0;
    else if (cuts.ptMaxGeV !== undefined && !((pt?.[k] as number) < cuts.ptMaxGeV * 1000)) keep[k] = 0;
    else if (cuts.absEtaMax !== undefined && !(Math.abs(eta?.[k] as number) < cuts.absEtaMax)) keep[k] = 0;
    else {
      for (const flag of cuts.flags) {
        if (!(collection.fields[flag] as NumberColumn)[k]) {
          keep[k] = 0;
          break;
        }
      }
    }
  }
  if (cuts.where) {
    const extra = cuts.where(collection);
    if (extra.length !== total) {
      throw new AppError('BAD_REQUEST', `recipe "${recipe.name}": collections.${name}.select.where returned ${extra.length} flags for ${total} objects.`, { column: `collections.${name}.select.where` });
    }
    for (let k = 0; k < total; k++) if (!extra[k]) keep[k] = 0;
  }
  return filterObjects(collection, keep);
}

/**
 * The events of a batch as the recipe's selection and features see them: the variation's calibration applied to the
 * collections as read, then each collection's object selection, then the overlap removals in order.
 */
export function prepareEventBatch(columns: BatchColumns, recipe: Recipe, variation: RecipeVariation | null, source: EventSource): EventBatch {
  const raw = applyCalibration(columns.collections, recipe, variation, source, columns.entries);
  const selected = new Map<string, Collection>();
  for (const [name, collection] of raw) selected.set(name, selectObjects(collection, recipe, name));
  for (const o of recipe.overlapRemoval) selected.set(o.remove, removeOverlaps(selected.get(o.remove) as Collection, selected.get(o.near) as Collection, o.deltaR));
  return new EventBatch({ length: columns.length, collections: selected, raw, scalars: columns.scalars, entries: columns.entries, source, metNoise: softMetNoise(variation, source, columns.entries) });
}
