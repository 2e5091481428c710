import { AppError } from '@/lib/shared/app-error';
import { type Collection, type NumberColumn, takeEvents } from './columnar/collection';
import { pickFloat64 } from './columnar/pick-values';

/** Where a batch of events comes from (for error messages and per-event random numbers). */
export type EventSource = { recipe: string; sample: string; sampleIndex: number; file: string; fileIndex: number; variation: string | null };

/** Missing transverse momentum added by a soft-MET variation, per event (MeV); null outside such a variation. */
export type MetNoise = { x: Float64Array; y: Float64Array };

type EventBatchInit = {
  length: number;
  /** Collections after the recipe's object selections and overlap removal. */
  collections: ReadonlyMap<string, Collection>;
  /** Collections as read (after a calibration variation, before any selection). */
  raw: ReadonlyMap<string, Collection>;
  /** Event-level branches by full branch name. */
  scalars: ReadonlyMap<string, NumberColumn>;
  /** Entry number of each event in its file. */
  entries: Float64Array;
  source: EventSource;
  metNoise: MetNoise | null;
};

/**
 * A batch of events as a recipe sees it: its collections (selected and as read), event-level branches, where the
 * events come from and, in a soft-MET variation, the noise to add to the missing transverse momentum.
 */
export class EventBatch {
  readonly length: number;
  readonly source: EventSource;
  readonly metNoise: MetNoise | null;
  private readonly init: EventBatchInit;
  private readonly memos = new Map<string, unknown>();

  constructor(init: EventBatchInit) {
    this.init = init;
    this.length = init.length;
    this.source = init.source;
    this.metNoise = init.metNoise;
  }

  /** The recipe's name for the variation being built (null for the nominal). */
  get variation(): string | null {
    return this.source.variation;
  }

  /** A collection after the recipe's object selection and overlap removal. */
  collection(name: string): Collection {
    return this.lookup(this.init.collections, name, 'collection');
  }

  /** A collection as read from the file (a calibration variation applied), before object selection. */
  raw(name: string): Collection {
    return this.lookup(this.init.raw, name, 'collection');
  }

  /** An event-level branch (one value per event), by its full branch name, e.g. `EventInfoAuxDyn.averageInteractionsPerCrossing`. */
  scalar(branch: string): NumberColumn {
    return this.lookup(this.init.scalars, branch, 'event branch');
  }

  /** The entry number in its file of event `index` of this batch. */
  entry(index: number): number {
    return this.init.entries[index] as number;
  }

  /** Entry numbers of the events of this batch. */
  get entries(): Float64Array {
    return this.init.entries;
  }

  /**
   * A value computed once per batch and shared by the features that need it (e.g. the chosen leptons of each event):
   * `events.memo('leptons', () => chooseLeptons(events))`.
   */
  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  /** The batch restricted to some of its events (ascending indices), e.g. the selected ones. */
  take(events: Int32Array): EventBatch {
    const pick = <T,>(map: ReadonlyMap<string, T>, f: (value: T) => T) => new Map([...map].map(([k, v]) => [k, f(v)]));
    const at = (values: ArrayLike<number>) => pickFloat64(values, events);
    return new EventBatch({
      length: events.length,
      collections: pick(this.init.collections, (c) => takeEvents(c, events)),
      raw: pick(this.init.raw, (c) => takeEvents(c, events)),
      scalars: pick(this.init.scalars, at),
      entries: at(this.init.entries),
      source: this.source,
      metNoise: this.metNoise ? { x: at(this.metNoise.x), y: at(this.metNoise.y) } : null,
    });
  }

  private lookup<T>(map: ReadonlyMap<string, T>, name: string, what: string): T {
    const found = map.get(name);
    if (found === undefined) {
      throw new AppError('BAD_REQUEST', `recipe "${this.source.recipe}" asks for ${what} "${name}", which it does not declare; declared: ${[...map.keys()].join(', ') || 'none'}.`, { column: name });
    }
    return found;
  }
}

/** The rows a recipe's features are computed for: one per selected event, or one per selected object of a collection. */
export type FeatureRows = {
  readonly count: number;
  /** Event (index into the batch of selected events) of each row. */
  readonly event: Int32Array;
  /** For object rows: the object's index in the collection's fields; null for event rows. */
  readonly object: Int32Array | null;
  /** For object rows: the collection the rows are objects of. */
  readonly collection: string | null;
};

/** Missing transverse momentum (MeV) as minus the vector sum of the given collections' objects, plus a soft-MET variation's noise. */
export function missingTransverseMomentum(events: EventBatch, collections: readonly Collection[]): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(events.length);
  const y = new Float64Array(events.length);
  for (const c of collections) {
    const pt = c.fields.pt;
    const phi = c.fields.phi;
    if (!pt || !phi) throw new AppError('BAD_REQUEST', `missingTransverseMomentum needs the pt and phi fields of "${c.name}".`, { column: c.name });
    for (let e = 0; e < events.length; e++) {
      for (let k = c.offsets[e] as number; k < (c.offsets[e + 1] as number); k++) {
        x[e] = (x[e] as number) - (pt[k] as number) * Math.cos(phi[k] as number);
        y[e] = (y[e] as number) - (pt[k] as number) * Math.sin(phi[k] as number);
      }
    }
  }
  if (events.metNoise) {
    for (let e = 0; e < events.length; e++) {
      x[e] = (x[e] as number) + (events.metNoise.x[e] as number);
      y[e] = (y[e] as number) + (events.metNoise.y[e] as number);
    }
  }
  return { x, y };
}
