import { ScoringError } from './errors';
import { TRACKML_MIN_HITS } from './trackml-weights';

/**
 * The TrackML score (Kaggle TrackML Particle Tracking Challenge, 2018; reference: trackml-library
 * `trackml/score.py`, `score_event`), computed for many events at once.
 *
 * Per event, every submitted track is matched to its majority particle: the particle with the most hits on the track;
 * among particles with equally many hits, the one with the smallest particle_id (the reference walks the track's
 * hits sorted by particle_id and only replaces the majority on strictly more hits). Noise (particle_id 0) is a particle
 * like any other here, so it wins such a tie. A track is *good* when more than half of its hits belong to that
 * particle (2·n_major > n_track) and more than half of that particle's hits are on the track (2·n_major >
 * n_particle). The event score is Σ over good tracks of the weights of their majority-particle hits, divided by the
 * event's total weight. The score of many events is their mean.
 *
 * Alongside, per event (not part of the score): reconstructable particles (particle_id ≠ 0 with at least 4 hits),
 * those that are the majority particle of a good track (matched), candidate tracks (submitted tracks with at least 4
 * hits) and the candidates that are not good or whose majority is noise (fakes).
 */

/** Per-hit truth of a tracking task; element i of each array describes hit i, events in any order. */
export type TrackmlTruthInput = {
  /** Event of each hit: non-negative safe integers. */
  eventIds: ArrayLike<number>;
  /**
   * Particle of each hit as an order-preserving integer within its event: 0 for noise (particle_id 0), and for the
   * others any non-negative integers whose order is the order of the particle ids (equal ⇔ same particle). The raw
   * particle_id works when it is a safe integer; ids above 2^53 (real TrackML) are ranked exactly first.
   */
  particleRanks: ArrayLike<number>;
  /** Hit weights: finite, ≥ 0 (the truth `weight` column; used as given, the score divides by their sum per event). */
  weights: ArrayLike<number>;
};

/** The four counts beside each event's score. */
export type TrackmlEventCounts = {
  /** Particles with particle_id ≠ 0 and at least 4 hits. */
  reconstructable: Int32Array;
  /** Reconstructable particles that are the majority particle of a good track. */
  matched: Int32Array;
  /** Submitted tracks with at least 4 hits. */
  candidates: Int32Array;
  /** Candidate tracks that are not good, or good with noise as their majority. */
  fakes: Int32Array;
};

/** Per-event results, events in ascending event id. */
export type TrackmlEventResults = TrackmlEventCounts & {
  eventIds: Float64Array;
  /** TrackML score of each event, in [0, 1] when the weights are normalised. */
  score: Float64Array;
};

/** Per-particle and per-track outcomes, for efficiency and fake-rate plots (see {@link scoreTrackmlEvents}). */
export type TrackmlMatchDetails = {
  /** 1 when the particle (global index, see `PreparedTrackmlTruth.particleStart`) is matched by a good track. */
  particleMatched: Uint8Array;
  /** Candidate tracks (≥ 4 hits), in event order: their event index, majority particle (global index), and 1 when good with a real (non-noise) majority. */
  candidateEvent: Int32Array;
  candidateParticle: Int32Array;
  candidateGood: Uint8Array;
};

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function isId(value: number): boolean {
  return value >= 0 && value <= MAX_SAFE && Math.floor(value) === value;
}

/**
 * A truth prepared once for scoring any number of submissions: hits grouped by event (ascending event id, file order
 * within an event), particles numbered per event (0 = noise, then ascending particle rank), hit counts per particle
 * and total weight per event.
 */
export class PreparedTrackmlTruth {
  /** Distinct event ids, ascending. */
  readonly eventIds: Float64Array;
  /** Hits of event e are grouped positions eventStart[e] … eventStart[e + 1] − 1. */
  readonly eventStart: Int32Array;
  /** Row of the input (and of aligned predictions) at each grouped position. */
  readonly hitRow: Int32Array;
  /** Particle of each grouped hit, numbered within its event (0 = noise). */
  readonly hitParticle: Int32Array;
  /** Weight of each grouped hit. */
  readonly hitWeight: Float64Array;
  /** Global index of event e's particle k is particleStart[e] + k (k = 0 is the event's noise). */
  readonly particleStart: Int32Array;
  /** Hits per particle (global index). */
  readonly particleHits: Int32Array;
  /** Σ weights per event (> 0). */
  readonly totalWeight: Float64Array;
  readonly maxEventHits: number;
  readonly maxEventParticles: number;

  private constructor(fields: Omit<PreparedTrackmlTruth, 'hits' | 'events'>) {
    this.eventIds = fields.eventIds;
    this.eventStart = fields.eventStart;
    this.hitRow = fields.hitRow;
    this.hitParticle = fields.hitParticle;
    this.hitWeight = fields.hitWeight;
    this.particleStart = fields.particleStart;
    this.particleHits = fields.particleHits;
    this.totalWeight = fields.totalWeight;
    this.maxEventHits = fields.maxEventHits;
    this.maxEventParticles = fields.maxEventParticles;
  }

  /** Number of hits. */
  get hits(): number {
    return this.hitRow.length;
  }

  /** Number of events. */
  get events(): number {
    return this.eventIds.length;
  }

  /**
   * Validates and prepares a truth.
   *
   * @throws {ScoringError} `LENGTH_MISMATCH`; `EMPTY` (no hits); `INVALID_ID` (an event id or particle rank that is
   *   not a non-negative safe integer); `NON_FINITE` / `NEGATIVE_WEIGHT` (a weight), each naming the first offending
   *   row; `ZERO_WEIGHT` when an event's weights sum to 0 (its score would be 0/0), naming the event.
   */
  static prepare(input: TrackmlTruthInput): PreparedTrackmlTruth {
    const { eventIds, particleRanks, weights } = input;
    const n = eventIds.length;
    if (particleRanks.length !== n || weights.length !== n) {
      throw new ScoringError('LENGTH_MISMATCH', `Every hit needs an event, a particle and a weight; found ${n} event ids, ${particleRanks.length} particles and ${weights.length} weights.`);
    }
    if (n === 0) throw new ScoringError('EMPTY', 'Cannot score a truth without hits; expected at least one hit, found 0.');
    if (n > 2 ** 31 - 1) throw new ScoringError('INVALID_PARAMETER', `At most 2^31 − 1 hits can be scored at once; found ${n}.`);

    // Events: distinct ids ascending, and each hit's event index (hits of an event are usually contiguous).
    const eventOf = new Int32Array(n);
    const indexOfEvent = new Map<number, number>();
    let lastId = -1;
    let lastIndex = -1;
    for (let i = 0; i < n; i++) {
      const id = eventIds[i] as number;
      if (id !== lastId) {
        if (!isId(id)) throw new ScoringError('INVALID_ID', `Event ids must be non-negative integers; found ${id} at row ${i}.`, i);
        let index = indexOfEvent.get(id);
        if (index === undefined) {
          index = indexOfEvent.size;
          indexOfEvent.set(id, index);
        }
        lastId = id;
        lastIndex = index;
      }
      eventOf[i] = lastIndex;
      const rank = particleRanks[i] as number;
      if (!isId(rank)) throw new ScoringError('INVALID_ID', `Particle ranks must be non-negative integers; found ${rank} at row ${i}.`, i);
      const w = weights[i] as number;
      if (!Number.isFinite(w)) throw new ScoringError('NON_FINITE', `Hit weights must be finite numbers; found ${w} at row ${i}.`, i);
      if (w < 0) throw new ScoringError('NEGATIVE_WEIGHT', `Hit weights must be ≥ 0; found ${w} at row ${i}.`, i);
    }
    const events = indexOfEvent.size;
    const sortedIds = Float64Array.from(indexOfEvent.keys()).sort();
    const remap = new Int32Array(events);
    sortedIds.forEach((id, k) => {
      remap[indexOfEvent.get(id) as number] = k;
    });

    // Counting sort of the hits by event (stable).
    const eventStart = new Int32Array(events + 1);
    for (let i = 0; i < n; i++) {
      const e = remap[eventOf[i] as number] as number;
      eventOf[i] = e;
      eventStart[e + 1] = (eventStart[e + 1] as number) + 1;
    }
    let maxEventHits = 0;
    for (let e = 0; e < events; e++) {
      maxEventHits = Math.max(maxEventHits, eventStart[e + 1] as number);
      eventStart[e + 1] = (eventStart[e + 1] as number) + (eventStart[e] as number);
    }
    const next = eventStart.slice(0, events);
    const hitRow = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const e = eventOf[i] as number;
      hitRow[next[e] as number] = i;
      next[e] = (next[e] as number) + 1;
    }

    // Particles numbered within each event: 0 = noise (rank 0), then distinct ranks ascending.
    const hitParticle = new Int32Array(n);
    const hitWeight = new Float64Array(n);
    const particleStart = new Int32Array(events + 1);
    const totalWeight = new Float64Array(events);
    const particleCounts: Int32Array[] = [];
    let maxEventParticles = 0;
    for (let e = 0; e < events; e++) {
      const from = eventStart[e] as number;
      const to = eventStart[e + 1] as number;
      const localOf = localParticleNumbering(particleRanks, hitRow, from, to);
      const counts = new Int32Array(localOf.particles);
      let total = 0;
      for (let g = from; g < to; g++) {
        const row = hitRow[g] as number;
        const local = localOf.of(particleRanks[row] as number);
        hitParticle[g] = local;
        counts[local] = (counts[local] as number) + 1;
        const w = weights[row] as number;
        hitWeight[g] = w;
        total += w;
      }
      if (!(total > 0)) {
        throw new ScoringError(
          'ZERO_WEIGHT',
          `Event ${sortedIds[e]} has a total hit weight of 0, so its score would be 0/0; every scored event needs hits with positive weight (a particle with at least ${TRACKML_MIN_HITS} hits).`,
        );
      }
      totalWeight[e] = total;
      particleCounts.push(counts);
      particleStart[e + 1] = (particleStart[e] as number) + localOf.particles;
      maxEventParticles = Math.max(maxEventParticles, localOf.particles);
    }
    const particleHits = new Int32Array(particleStart[events] as number);
    particleCounts.forEach((counts, e) => particleHits.set(counts, particleStart[e] as number));
    return new PreparedTrackmlTruth({
      eventIds: sortedIds,
      eventStart,
      hitRow,
      hitParticle,
      hitWeight,
      particleStart,
      particleHits,
      totalWeight,
      maxEventHits,
      maxEventParticles,
    });
  }
}

/** Dense, order-preserving numbering of the particle ranks of grouped hits from … to − 1; rank 0 (noise) ↦ 0. */
function localParticleNumbering(ranks: ArrayLike<number>, hitRow: Int32Array, from: number, to: number): { particles: number; of: (rank: number) => number } {
  let min = Infinity;
  let max = -Infinity;
  for (let g = from; g < to; g++) {
    const r = ranks[hitRow[g] as number] as number;
    if (r < min) min = r;
    if (r > max) max = r;
  }
  const n = to - from;
  if (max - min <= 4 * n + 1024) {
    const span = max - min + 1;
    const table = new Int32Array(span);
    for (let g = from; g < to; g++) table[(ranks[hitRow[g] as number] as number) - min] = 1;
    let next = 1;
    for (let k = 0; k < span; k++) {
      if (table[k] === 0) continue;
      table[k] = k + min === 0 ? 0 : next++;
    }
    return { particles: next, of: (rank) => table[rank - min] as number };
  }
  const distinct = new Set<number>();
  for (let g = from; g < to; g++) distinct.add(ranks[hitRow[g] as number] as number);
  const sorted = Float64Array.from(distinct).sort();
  const map = new Map<number, number>();
  let next = 1;
  for (const rank of sorted) map.set(rank, rank === 0 ? 0 : next++);
  return { particles: next, of: (rank) => map.get(rank) as number };
}

/**
 * Scores a submission, given as one track id per truth row (in the truth's input row order), on every event of a
 * prepared truth: the TrackML score per event (see the module comment) and the counts beside it. Linear in the
 * number of hits: track ids are numbered per event with a hash table and the hits bucketed by track, so no sort.
 *
 * With `withDetails`, also the per-particle and per-candidate-track outcomes ({@link TrackmlMatchDetails}).
 *
 * Reference: trackml-library `trackml/score.py` (`_analyze_tracks`, `score_event`); reference values from
 * tests/fixtures/scoring/make_trackml_reference.py, which reimplements it with pandas.
 *
 * Edge cases: a track id that is not a non-negative safe integer → `ScoringError('INVALID_ID')` naming the row;
 * `trackIds` of another length → `LENGTH_MISMATCH`. A submission that puts every hit in one track scores the weight
 * of a particle only if it holds more than half of all hits; one track per hit scores 0 except for 1-hit particles
 * (which weigh 0).
 *
 * @example
 * ```ts
 * const truth = PreparedTrackmlTruth.prepare({ eventIds, particleRanks, weights });
 * scoreTrackmlEvents(truth, trackIds).score; // → Float64Array [0.91…, 0.88…] (one per event)
 * ```
 */
export function scoreTrackmlEvents(truth: PreparedTrackmlTruth, trackIds: ArrayLike<number>): TrackmlEventResults;
export function scoreTrackmlEvents(truth: PreparedTrackmlTruth, trackIds: ArrayLike<number>, withDetails: true): TrackmlEventResults & { details: TrackmlMatchDetails };
export function scoreTrackmlEvents(truth: PreparedTrackmlTruth, trackIds: ArrayLike<number>, withDetails = false): TrackmlEventResults & { details?: TrackmlMatchDetails } {
  const n = truth.hits;
  if (trackIds.length !== n) throw new ScoringError('LENGTH_MISMATCH', `A submission needs one track id per hit; found ${trackIds.length} track ids for ${n} hits.`);
  const events = truth.events;
  const { eventStart, hitRow, hitParticle, hitWeight, particleStart, particleHits, totalWeight } = truth;

  let capacity = 16;
  while (capacity < 2 * truth.maxEventHits) capacity *= 2;
  const keys = new Float64Array(capacity);
  const values = new Int32Array(capacity);
  const trackOf = new Int32Array(truth.maxEventHits);
  const trackCount = new Int32Array(truth.maxEventHits + 1);
  const byTrack = new Int32Array(truth.maxEventHits);
  const particleCount = new Int32Array(truth.maxEventParticles);
  const particleWeight = new Float64Array(truth.maxEventParticles);
  const touched = new Int32Array(truth.maxEventParticles);

  const score = new Float64Array(events);
  const reconstructable = new Int32Array(events);
  const matched = new Int32Array(events);
  const candidates = new Int32Array(events);
  const fakes = new Int32Array(events);
  const particleMatched = withDetails ? new Uint8Array(particleHits.length) : null;
  const candidateEvent: number[] = [];
  const candidateParticle: number[] = [];
  const candidateGood: number[] = [];

  for (let e = 0; e < events; e++) {
    const from = eventStart[e] as number;
    const to = eventStart[e + 1] as number;
    const hits = to - from;
    // Number the event's track ids 0 … tracks − 1 (open addressing, linear probing; −1 marks a free slot). The table is
    // sized to this event (a power of two ≥ 2·hits), so many small events beside one large one cost no more than it.
    let size = 16;
    let shift = 28;
    while (size < 2 * hits) {
      size *= 2;
      shift--;
    }
    const mask = size - 1;
    keys.fill(-1, 0, size);
    let tracks = 0;
    for (let g = from; g < to; g++) {
      const row = hitRow[g] as number;
      const id = trackIds[row] as number;
      if (!isId(id)) throw new ScoringError('INVALID_ID', `Track ids must be non-negative integers; found ${id} at row ${row}.`, row);
      const low = id % 4294967296;
      // Fibonacci hashing of the 64-bit id folded to 32 bits: the top bits of the product pick the slot.
      let slot = Math.imul(low ^ ((id - low) / 4294967296), 0x9e3779b1) >>> shift;
      for (;;) {
        const key = keys[slot] as number;
        if (key === id) break;
        if (key === -1) {
          keys[slot] = id;
          values[slot] = tracks++;
          break;
        }
        slot = (slot + 1) & mask;
      }
      trackOf[g - from] = values[slot] as number;
    }
    // Bucket the hits by track.
    trackCount.fill(0, 0, tracks + 1);
    for (let k = 0; k < hits; k++) {
      const t = trackOf[k] as number;
      trackCount[t + 1] = (trackCount[t + 1] as number) + 1;
    }
    for (let t = 0; t < tracks; t++) trackCount[t + 1] = (trackCount[t + 1] as number) + (trackCount[t] as number);
    for (let k = 0; k < hits; k++) {
      const t = trackOf[k] as number;
      byTrack[trackCount[t] as number] = from + k;
      trackCount[t] = (trackCount[t] as number) + 1;
    }
    // trackCount[t] is now the end of track t; track t starts at trackCount[t − 1] (0 for t = 0).
    const pStart = particleStart[e] as number;
    let goodWeight = 0;
    let trackBegin = 0;
    for (let t = 0; t < tracks; t++) {
      const trackEnd = trackCount[t] as number;
      const trackHits = trackEnd - trackBegin;
      let distinct = 0;
      for (let k = trackBegin; k < trackEnd; k++) {
        const g = byTrack[k] as number;
        const p = hitParticle[g] as number;
        const c = particleCount[p] as number;
        if (c === 0) touched[distinct++] = p;
        particleCount[p] = c + 1;
        particleWeight[p] = (particleWeight[p] as number) + (hitWeight[g] as number);
      }
      // Majority: most hits, ties to the smallest particle (particles are numbered in particle_id order).
      let major = -1;
      let majorHits = 0;
      for (let k = 0; k < distinct; k++) {
        const p = touched[k] as number;
        const c = particleCount[p] as number;
        if (c > majorHits || (c === majorHits && p < major)) {
          major = p;
          majorHits = c;
        }
      }
      const isGood = 2 * majorHits > trackHits && 2 * majorHits > (particleHits[pStart + major] as number);
      if (isGood) {
        goodWeight += particleWeight[major] as number;
        if (major !== 0 && (particleHits[pStart + major] as number) >= TRACKML_MIN_HITS) {
          matched[e] = (matched[e] as number) + 1;
          if (particleMatched) particleMatched[pStart + major] = 1;
        }
      }
      if (trackHits >= TRACKML_MIN_HITS) {
        candidates[e] = (candidates[e] as number) + 1;
        // A good track of noise hits is no particle's track: it counts as a fake too.
        const isReal = isGood && major !== 0;
        if (!isReal) fakes[e] = (fakes[e] as number) + 1;
        if (withDetails) {
          candidateEvent.push(e);
          candidateParticle.push(pStart + major);
          candidateGood.push(isReal ? 1 : 0);
        }
      }
      for (let k = 0; k < distinct; k++) {
        const p = touched[k] as number;
        particleCount[p] = 0;
        particleWeight[p] = 0;
      }
      trackBegin = trackEnd;
    }
    const particles = (particleStart[e + 1] as number) - pStart;
    for (let p = 1; p < particles; p++) if ((particleHits[pStart + p] as number) >= TRACKML_MIN_HITS) reconstructable[e] = (reconstructable[e] as number) + 1;
    score[e] = goodWeight / (totalWeight[e] as number);
  }
  const results: TrackmlEventResults & { details?: TrackmlMatchDetails } = { eventIds: truth.eventIds, score, reconstructable, matched, candidates, fakes };
  if (particleMatched) {
    results.details = {
      particleMatched,
      candidateEvent: Int32Array.from(candidateEvent),
      candidateParticle: Int32Array.from(candidateParticle),
      candidateGood: Uint8Array.from(candidateGood),
    };
  }
  return results;
}
