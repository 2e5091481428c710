import { AppError } from '@/lib/shared/app-error';

/**
 * Where each (event_id, hit_id) of a tracking truth is: the truth row of a hit, found in constant time. Hit ids of a
 * TrackML event run 1 … N, so each event gets a dense table over its hit-id range; an event with scattered hit ids
 * gets a Map instead. Built once per truth and shared by upload validation and scoring.
 */
export class TrackHitIndex {
  /** Distinct event ids, ascending. */
  readonly eventIds: Float64Array;
  /** Truth row → event id and hit id (for messages about missing hits). */
  readonly rowEventIds: Float64Array;
  readonly rowHitIds: Float64Array;
  /** Smallest and largest hit id and the number of hits of each event (position as in `eventIds`). */
  readonly minHitId: Float64Array;
  readonly maxHitId: Float64Array;
  readonly hitCount: Int32Array;
  private readonly eventPosition: Map<number, number>;
  private readonly lookups: Array<(hitId: number) => number>;

  private constructor(rowEventIds: Float64Array, rowHitIds: Float64Array) {
    this.rowEventIds = rowEventIds;
    this.rowHitIds = rowHitIds;
    const n = rowEventIds.length;
    // Event of each row (rows of an event are usually contiguous), then the rows of each event by counting sort.
    const firstSeen = new Map<number, number>();
    const eventOfRow = new Int32Array(n);
    let lastId = -1;
    let lastIndex = -1;
    for (let row = 0; row < n; row++) {
      const id = rowEventIds[row] as number;
      if (id !== lastId) {
        let index = firstSeen.get(id);
        if (index === undefined) firstSeen.set(id, (index = firstSeen.size));
        lastId = id;
        lastIndex = index;
      }
      eventOfRow[row] = lastIndex;
    }
    this.eventIds = Float64Array.from(firstSeen.keys()).sort();
    this.eventPosition = new Map(Array.from(this.eventIds, (id, k) => [id, k]));
    const events = this.eventIds.length;
    const positionOfSeen = new Int32Array(events);
    for (const [id, seen] of firstSeen) positionOfSeen[seen] = this.eventPosition.get(id) as number;
    const start = new Int32Array(events + 1);
    for (let row = 0; row < n; row++) {
      const e = positionOfSeen[eventOfRow[row] as number] as number;
      eventOfRow[row] = e;
      start[e + 1] = (start[e + 1] as number) + 1;
    }
    for (let e = 0; e < events; e++) start[e + 1] = (start[e + 1] as number) + (start[e] as number);
    const rowsOfEvents = new Int32Array(n);
    const fill = start.slice(0, events);
    for (let row = 0; row < n; row++) {
      const e = eventOfRow[row] as number;
      rowsOfEvents[fill[e] as number] = row;
      fill[e] = (fill[e] as number) + 1;
    }
    this.minHitId = new Float64Array(events);
    this.maxHitId = new Float64Array(events);
    this.hitCount = new Int32Array(events);
    this.lookups = Array.from(this.eventIds, (eventId, k) => {
      const rows = rowsOfEvents.subarray(start[k] as number, start[k + 1] as number);
      let min = Infinity;
      let max = -Infinity;
      for (const row of rows) {
        const hit = rowHitIds[row] as number;
        if (hit < min) min = hit;
        if (hit > max) max = hit;
      }
      this.minHitId[k] = min;
      this.maxHitId[k] = max;
      this.hitCount[k] = rows.length;
      const duplicate = (hit: number, first: number, second: number) =>
        new AppError('INVALID_DATASET', `The tracking truth lists hit ${hit} of event ${eventId} twice (rows ${first} and ${second}); hit ids must be unique within an event.`, {
          row: second,
          column: 'hit_id',
          expected: 'unique hit ids per event',
          found: String(hit),
        });
      if (max - min < 2 * rows.length + 1024) {
        const table = new Int32Array(max - min + 1).fill(-1);
        for (const row of rows) {
          const slot = (rowHitIds[row] as number) - min;
          if (table[slot] !== -1) throw duplicate(rowHitIds[row] as number, table[slot] as number, row);
          table[slot] = row;
        }
        return (hit: number) => (hit >= min && hit <= max ? (table[hit - min] as number) : -1);
      }
      const map = new Map<number, number>();
      for (const row of rows) {
        const hit = rowHitIds[row] as number;
        const first = map.get(hit);
        if (first !== undefined) throw duplicate(hit, first, row);
        map.set(hit, row);
      }
      return (hit: number) => map.get(hit) ?? -1;
    });
  }

  /**
   * The index of a truth's (event_id, hit_id) rows.
   *
   * @throws {AppError} `INVALID_DATASET` for ids that are not non-negative safe integers, columns of different
   *   lengths, no rows, or a hit listed twice in one event.
   */
  static build(eventIds: ArrayLike<number>, hitIds: ArrayLike<number>): TrackHitIndex {
    if (eventIds.length !== hitIds.length) {
      throw new AppError('INVALID_DATASET', `The tracking truth has ${eventIds.length} event ids and ${hitIds.length} hit ids; expected one of each per hit.`);
    }
    if (eventIds.length === 0) throw new AppError('INVALID_DATASET', 'The tracking truth has no hits.', { expected: 'at least one hit', found: '0 rows' });
    const invalid = (row: number, column: string, value: number) =>
      new AppError('INVALID_DATASET', `The tracking truth row ${row}, column "${column}": expected a non-negative integer, found ${value}.`, {
        row,
        column,
        expected: 'a non-negative integer',
        found: String(value),
      });
    for (let row = 0; row < eventIds.length; row++) {
      const eventId = eventIds[row] as number;
      const hitId = hitIds[row] as number;
      if (!Number.isSafeInteger(eventId) || eventId < 0) throw invalid(row, 'event_id', eventId);
      if (!Number.isSafeInteger(hitId) || hitId < 0) throw invalid(row, 'hit_id', hitId);
    }
    return new TrackHitIndex(Float64Array.from(eventIds), Float64Array.from(hitIds));
  }

  /** Number of hits (truth rows). */
  get hits(): number {
    return this.rowEventIds.length;
  }

  /** Position of `eventId` in `eventIds`, or −1. */
  eventOf(eventId: number): number {
    return this.eventPosition.get(eventId) ?? -1;
  }

  /** Truth row of hit `hitId` of the event at position `event` (see {@link eventOf}), or −1. */
  rowOf(event: number, hitId: number): number {
    return (this.lookups[event] as (hitId: number) => number)(hitId);
  }

  /** "events 1000 … 1029 (30 events)" or "event 7", for messages. */
  describeEvents(): string {
    const n = this.eventIds.length;
    if (n === 1) return `event ${this.eventIds[0]}`;
    return `${n} events, ids ${this.eventIds[0]} … ${this.eventIds[n - 1]}`;
  }

  /** "hit ids 1 … 10234" of the event at position `event`, for messages. */
  describeHits(event: number): string {
    const count = this.hitCount[event] as number;
    const min = this.minHitId[event] as number;
    const max = this.maxHitId[event] as number;
    return max - min + 1 === count ? `hit ids ${min} … ${max}` : `${count} hits with ids between ${min} and ${max}`;
  }
}
