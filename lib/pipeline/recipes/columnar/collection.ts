import { AppError } from '@/lib/shared/app-error';

/** Numbers of one field of a collection (or of an event-level branch), one value per object or per event. */
export type NumberColumn = ArrayLike<number>;

/**
 * A jagged collection of objects (electrons, jets, …) over a batch of events, struct-of-arrays like an awkward
 * record array: `offsets[e] … offsets[e + 1]` are the objects of event e, and every field holds one value per object.
 * Values are as stored (PHYSLITE: MeV, rad).
 */
export type Collection = {
  readonly name: string;
  /** Events + 1 entries, starting at 0. */
  readonly offsets: Int32Array;
  readonly fields: Readonly<Record<string, NumberColumn>>;
};

/** Events of a collection. */
export function eventCount(collection: Collection): number {
  return collection.offsets.length - 1;
}

/** Objects of a collection (all events). */
export function objectCount(collection: Collection): number {
  return collection.offsets[collection.offsets.length - 1] as number;
}

/** The values of one field, or AppError naming the fields the collection has. */
export function fieldOf(collection: Collection, field: string): NumberColumn {
  const values = collection.fields[field];
  if (!values) {
    throw new AppError('BAD_REQUEST', `collection "${collection.name}" has no field "${field}"; it has ${Object.keys(collection.fields).join(', ') || 'no fields'} (declare the field in the recipe's collections).`, {
      column: `${collection.name}.${field}`,
    });
  }
  return values;
}

/** Objects per event. */
export function counts(collection: Collection): Int32Array {
  const n = eventCount(collection);
  const out = new Int32Array(n);
  for (let e = 0; e < n; e++) out[e] = (collection.offsets[e + 1] as number) - (collection.offsets[e] as number);
  return out;
}

function allocateLike(values: NumberColumn, length: number): Float32Array | Float64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array {
  if (values instanceof Float32Array) return new Float32Array(length);
  if (values instanceof Int32Array) return new Int32Array(length);
  if (values instanceof Uint32Array) return new Uint32Array(length);
  if (values instanceof Int16Array) return new Int16Array(length);
  if (values instanceof Uint16Array) return new Uint16Array(length);
  if (values instanceof Int8Array) return new Int8Array(length);
  if (values instanceof Uint8Array) return new Uint8Array(length);
  return new Float64Array(length);
}

/** The objects whose `keep` flag is set (one flag per object), in their order: an object selection. */
export function filterObjects(collection: Collection, keep: ArrayLike<number | boolean>): Collection {
  const total = objectCount(collection);
  if (keep.length !== total) {
    throw new AppError('INTERNAL', `filterObjects on "${collection.name}": ${keep.length} flags for ${total} objects.`);
  }
  const n = eventCount(collection);
  const offsets = new Int32Array(n + 1);
  const kept: number[] = [];
  for (let e = 0; e < n; e++) {
    for (let k = collection.offsets[e] as number; k < (collection.offsets[e + 1] as number); k++) if (keep[k]) kept.push(k);
    offsets[e + 1] = kept.length;
  }
  return { name: collection.name, offsets, fields: gather(collection.fields, kept) };
}

function gather(fields: Readonly<Record<string, NumberColumn>>, indices: readonly number[] | Int32Array): Record<string, NumberColumn> {
  const out: Record<string, NumberColumn> = {};
  for (const [name, values] of Object.entries(fields)) {
    const column = allocateLike(values, indices.length);
    for (let i = 0; i < indices.length; i++) column[i] = values[indices[i] as number] as number;
    out[name] = column;
  }
  return out;
}

/** The collection restricted to some events (indices into this batch, ascending), e.g. the selected ones. */
export function takeEvents(collection: Collection, events: Int32Array): Collection {
  const offsets = new Int32Array(events.length + 1);
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as number;
    offsets[i + 1] = (offsets[i] as number) + (collection.offsets[e + 1] as number) - (collection.offsets[e] as number);
  }
  const objects = new Int32Array(offsets[events.length] as number);
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as number;
    let at = offsets[i] as number;
    for (let k = collection.offsets[e] as number; k < (collection.offsets[e + 1] as number); k++) objects[at++] = k;
  }
  return { name: collection.name, offsets, fields: gather(collection.fields, objects) };
}

/**
 * Objects of each event sorted by a field (descending by default, e.g. pT order); ties keep their stored order. The
 * stored PHYSLITE collections are pT-ordered already; a scale or smearing variation can change that order.
 */
export function sortObjects(collection: Collection, field: string, order: 'descending' | 'ascending' = 'descending'): Collection {
  const key = fieldOf(collection, field);
  const n = eventCount(collection);
  const indices = new Int32Array(objectCount(collection));
  for (let i = 0; i < indices.length; i++) indices[i] = i;
  const sign = order === 'descending' ? -1 : 1;
  for (let e = 0; e < n; e++) {
    const start = collection.offsets[e] as number;
    const end = collection.offsets[e + 1] as number;
    if (end - start < 2) continue;
    const slice = Array.from(indices.subarray(start, end));
    slice.sort((a, b) => sign * ((key[a] as number) - (key[b] as number)) || a - b);
    indices.set(slice, start);
  }
  return { name: collection.name, offsets: collection.offsets, fields: gather(collection.fields, indices) };
}

/** A collection from per-event lists of field values (tests, constructed events). */
export function collectionFromLists(name: string, events: readonly Record<string, readonly number[]>[], fieldNames?: readonly string[]): Collection {
  const names = fieldNames ?? Object.keys(events[0] ?? {});
  const offsets = new Int32Array(events.length + 1);
  const values: Record<string, number[]> = Object.fromEntries(names.map((f) => [f, [] as number[]]));
  events.forEach((event, e) => {
    const lengths = names.map((f) => event[f]?.length ?? 0);
    const length = lengths[0] ?? 0;
    if (lengths.some((l) => l !== length)) throw new AppError('BAD_REQUEST', `collectionFromLists "${name}" event ${e}: fields have different lengths (${lengths.join(', ')}).`);
    for (const f of names) (values[f] as number[]).push(...(event[f] ?? []));
    offsets[e + 1] = (offsets[e] as number) + length;
  });
  return { name, offsets, fields: Object.fromEntries(names.map((f) => [f, Float32Array.from(values[f] as number[])])) };
}
