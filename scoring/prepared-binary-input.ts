import { ScoringError } from './errors';
import { reducedRocPointIndices } from './reduced-roc';
import { buildCountedRocOfSortedRows, buildRocFromSortedRows, gatherSortedWeights, ROW_MASK, sortRowsByDescendingScore, type RocBuffers, type RocCurve } from './roc';
import type { BinaryScoringInput } from './types';
import { validateBinaryInput } from './validate-binary-input';

/** Scratch arrays a bootstrap loop reuses from replica to replica (see {@link PreparedBinaryInput.withCounts}). */
export type ReplicaBuffers = RocBuffers & {
  /** Row-order effective weights w_i · c_i (n long). */
  effectiveWeights: Float64Array;
  /** Indices of the reduced ROC (n long). */
  reducedIndices: Uint32Array;
};

/** Allocates {@link ReplicaBuffers} for n events. */
export function createReplicaBuffers(n: number): ReplicaBuffers {
  return {
    thresholds: new Float64Array(n),
    truePositiveWeight: new Float64Array(n),
    falsePositiveWeight: new Float64Array(n),
    sortedCounts: new Uint16Array(n),
    effectiveWeights: new Float64Array(n),
    reducedIndices: new Uint32Array(n),
  };
}

/**
 * The sort of an input: rows by descending score packed with their label (`sortRowsByDescendingScore`), and the
 * scores and weights (all 1 without weights) in that order.
 */
export type SortedRows = { order: Uint32Array; sortedScores: Float64Array; sortedWeights: Float64Array };

/** What a prepared input shares with its replicas: the sort (built on first use) and per-row caches. */
type SharedState = { sorted: SortedRows | undefined; rowCache: Map<unknown, unknown> };

/** How an instance relates to the caller's rows. */
type Space =
  | { kind: 'rows' }
  /** Rows permuted into sorted order: row j of this instance is row order[j] & ROW_MASK of the caller's input. */
  | { kind: 'sorted'; order: Uint32Array };

/**
 * A validated binary input, sorted once, from which every binary metric is computed: the full ROC, its reduced
 * form and the per-row quantities (log-loss terms, selections) are built on first use and then shared.
 *
 * Bootstrap replicas ({@link withCounts}) are PreparedBinaryInputs over the same rows, sort and per-row caches,
 * whose weights are w_i·c_i for multiplicities c_i: every metric runs unchanged on them and each replica costs
 * linear passes only. The bootstrap takes replicas of {@link sortedSpace} (the same events, permuted into sorted
 * order), where every one of those passes reads memory sequentially.
 *
 * @example
 * ```ts
 * const prepared = PreparedBinaryInput.prepare(input); // validates
 * prepared.roc(); prepared.reducedRocIndices(); // sorted and built once, on first use
 * ```
 */
export class PreparedBinaryInput {
  readonly n: number;
  /** Labels of this instance's rows (in sorted order for {@link sortedSpace}). */
  readonly labels: Uint8Array;
  readonly scores: Float64Array;
  /** Weights of this instance's rows (for a replica: w_i·c_i); undefined = every event weighs 1. */
  readonly weights: Float64Array | undefined;
  /** Σw over label 1 and over label 0 of this input (for a replica: of the effective weights). */
  readonly signalWeight: number;
  readonly backgroundWeight: number;

  private readonly shared: SharedState;
  private readonly space: Space;
  /** Replicas only: the multiplicities (this instance's row order) and the scratch arrays. */
  private readonly replica: { counts: Uint16Array; buffers: ReplicaBuffers } | undefined;
  private rocCurve: RocCurve | undefined;
  private reducedIndices: Uint32Array | undefined;
  private sortedView: PreparedBinaryInput | undefined;
  private positions: Uint32Array | undefined;
  private readonly ownCache = new Map<unknown, unknown>();

  private constructor(
    arrays: { labels: Uint8Array; scores: Float64Array; weights: Float64Array | undefined },
    totals: { signalWeight: number; backgroundWeight: number },
    shared: SharedState,
    space: Space,
    replica?: { counts: Uint16Array; buffers: ReplicaBuffers },
  ) {
    this.n = arrays.labels.length;
    this.labels = arrays.labels;
    this.scores = arrays.scores;
    this.weights = arrays.weights;
    this.signalWeight = totals.signalWeight;
    this.backgroundWeight = totals.backgroundWeight;
    this.shared = shared;
    this.space = space;
    this.replica = replica;
  }

  /**
   * Validates the input (see `validateBinaryInput`); the sort by descending score happens once, on the first
   * use of the ROC.
   *
   * @throws {ScoringError} when the input is invalid.
   */
  static prepare(input: BinaryScoringInput): PreparedBinaryInput {
    const totals = validateBinaryInput(input);
    return new PreparedBinaryInput(
      { labels: input.labels, scores: input.scores, weights: input.weights },
      totals,
      { sorted: undefined, rowCache: new Map() },
      { kind: 'rows' },
    );
  }

  /**
   * {@link prepare} for an input whose sort is already known — the {@link sortedRows} of an equal input, e.g.
   * computed on another thread — so that it is not sorted again. Only the lengths of `sorted` are checked.
   *
   * @throws {ScoringError} when the input is invalid or `sorted` has another length.
   */
  static prepareSorted(input: BinaryScoringInput, sorted: SortedRows): PreparedBinaryInput {
    const prepared = PreparedBinaryInput.prepare(input);
    const n = prepared.n;
    if (sorted.order.length !== n || sorted.sortedScores.length !== n || sorted.sortedWeights.length !== n) {
      throw new ScoringError('LENGTH_MISMATCH', `A sort must have one entry per event; expected ${n}, found ${sorted.order.length}.`);
    }
    prepared.shared.sorted = sorted;
    return prepared;
  }

  /** The sort of this input (built on first use), to reuse with {@link prepareSorted}. */
  sortedRows(): SortedRows {
    return this.sorted();
  }

  /** The full weighted ROC (one point per distinct score), built on first use. */
  roc(): RocCurve {
    if (this.rocCurve === undefined) {
      const { sortedScores, order, sortedWeights } = this.sorted();
      const replica = this.replica;
      if (replica === undefined) {
        this.rocCurve = buildRocFromSortedRows(sortedScores, order, sortedWeights, undefined);
      } else if (this.space.kind === 'sorted') {
        // Effective weights are already in sorted order: a sequential pass.
        this.rocCurve = buildRocFromSortedRows(sortedScores, order, this.weights as Float64Array, undefined, replica.buffers);
      } else {
        this.rocCurve = buildRocFromSortedRows(sortedScores, order, sortedWeights, replica.counts, replica.buffers);
      }
    }
    return this.rocCurve;
  }

  /** Indices into {@link roc} of the reduced curve (scikit-learn `drop_intermediate`), built on first use. */
  reducedRocIndices(): Uint32Array {
    this.reducedIndices ??= reducedRocPointIndices(this.roc(), this.replica?.buffers.reducedIndices);
    return this.reducedIndices;
  }

  /**
   * A per-row quantity that depends only on labels, scores and parameters (never on weights), built once and
   * shared with every replica. `key` identifies the quantity (compared with `Map` semantics).
   */
  rowQuantity<T>(key: unknown, build: () => T): T {
    const cache = this.shared.rowCache;
    if (cache.has(key)) return cache.get(key) as T;
    const value = build();
    cache.set(key, value);
    return value;
  }

  /** Whether per-row quantity `key` has been built already (see {@link rowQuantity}). */
  hasRowQuantity(key: unknown): boolean {
    return this.shared.rowCache.has(key);
  }

  /**
   * A quantity of this input alone (it depends on the weights, so replicas do not share it), built once.
   * `key` identifies the quantity (compared with `Map` semantics).
   */
  ownQuantity<T>(key: unknown, build: () => T): T {
    if (this.ownCache.has(key)) return this.ownCache.get(key) as T;
    const value = build();
    this.ownCache.set(key, value);
    return value;
  }

  /** Whether this is a bootstrap replica (see {@link withCounts}). */
  get isReplica(): boolean {
    return this.replica !== undefined;
  }

  /**
   * A per-row vector given in the caller's row order (e.g. a submitted class column), in this instance's row
   * order: itself, or permuted for {@link sortedSpace} (built once per vector).
   */
  alignRowVector(values: Uint8Array): Uint8Array {
    const space = this.space;
    if (space.kind === 'rows') return values;
    return this.rowQuantity(values, () => {
      const { order } = space;
      const rowMask = ROW_MASK;
      const out = new Uint8Array(this.n);
      for (let j = 0; j < this.n; j++) out[j] = values[(order[j] as number) & rowMask] as number;
      return out;
    });
  }

  /**
   * The same events with rows permuted into sorted order (descending score, ties in descending row index):
   * every metric gives the same value on it, up to the order of floating-point sums. Bootstrap replicas are
   * taken of this view so that every pass over them is sequential. Built once.
   */
  sortedSpace(): PreparedBinaryInput {
    if (this.space.kind === 'sorted') return this;
    if (this.replica !== undefined) throw new ScoringError('INVALID_PARAMETER', 'A bootstrap replica has no sorted view of its own.');
    if (this.sortedView === undefined) {
      const sorted = this.sorted();
      const labels = new Uint8Array(this.n);
      for (let j = 0; j < this.n; j++) labels[j] = (sorted.order[j] as number) >>> 31;
      this.sortedView = new PreparedBinaryInput(
        { labels, scores: sorted.sortedScores, weights: this.weights === undefined ? undefined : sorted.sortedWeights },
        { signalWeight: this.signalWeight, backgroundWeight: this.backgroundWeight },
        { sorted, rowCache: new Map() },
        { kind: 'sorted', order: sorted.order },
      );
    }
    return this.sortedView;
  }

  /**
   * The sort: packed rows (row | label << 31, see `sortRowsByDescendingScore`) by descending score, for this
   * instance's caller: sortOrder()[j] & ROW_MASK is the caller's row at sorted position j. Built once.
   */
  sortOrder(): Uint32Array {
    return this.sorted().order;
  }

  /**
   * positions[row] = this instance's row index of the caller's row `row` (the inverse of the sort for
   * {@link sortedSpace}, the identity otherwise): where a resampled row's count goes. Built once.
   */
  rowPositions(): Uint32Array {
    if (this.positions === undefined) {
      const positions = new Uint32Array(this.n);
      const space = this.space;
      const rowMask = ROW_MASK;
      if (space.kind === 'rows') for (let i = 0; i < this.n; i++) positions[i] = i;
      else for (let j = 0; j < this.n; j++) positions[(space.order[j] as number) & rowMask] = j;
      this.positions = positions;
    }
    return this.positions;
  }

  /**
   * The bootstrap replica with multiplicity `counts[k]` for this instance's row k: weights become w_k·counts[k].
   * Returns undefined when a class has zero total weight in the replica (its metrics are undefined). `buffers`
   * are reused: the previous replica built on them becomes invalid.
   *
   * @throws {ScoringError} `LENGTH_MISMATCH` when counts has another length.
   */
  withCounts(counts: Uint16Array, buffers: ReplicaBuffers): PreparedBinaryInput | undefined {
    const { n, labels, weights } = this;
    if (counts.length !== n) {
      throw new ScoringError('LENGTH_MISMATCH', `Replica counts must have one value per event; expected ${n}, found ${counts.length}.`);
    }
    if (this.replica !== undefined) throw new ScoringError('INVALID_PARAMETER', 'Replicas are taken of a prepared input, not of a replica.');
    const effective = buffers.effectiveWeights;
    if (this.space.kind === 'sorted') {
      // Rows are in sorted order: effective weights and the replica's ROC come from one sequential pass.
      const { sortedScores, order, sortedWeights } = this.sorted();
      const roc = buildCountedRocOfSortedRows(sortedScores, order, sortedWeights, counts, effective, buffers);
      if (roc.totalSignalWeight === 0 || roc.totalBackgroundWeight === 0) return undefined;
      const replica = new PreparedBinaryInput(
        { labels, scores: this.scores, weights: effective.subarray(0, n) },
        { signalWeight: roc.totalSignalWeight, backgroundWeight: roc.totalBackgroundWeight },
        this.shared,
        this.space,
        { counts, buffers },
      );
      replica.rocCurve = roc;
      return replica;
    }
    let signalWeight = 0;
    let backgroundWeight = 0;
    for (let i = 0; i < n; i++) {
      const w = (weights === undefined ? 1 : (weights[i] as number)) * (counts[i] as number);
      const label = labels[i] as number;
      effective[i] = w;
      signalWeight += w * label;
      backgroundWeight += w * (1 - label);
    }
    if (signalWeight === 0 || backgroundWeight === 0) return undefined;
    return new PreparedBinaryInput(
      { labels, scores: this.scores, weights: effective.subarray(0, n) },
      { signalWeight, backgroundWeight },
      this.shared,
      this.space,
      { counts, buffers },
    );
  }

  private sorted(): SortedRows {
    if (this.shared.sorted === undefined) {
      const { order, sortedScores } = sortRowsByDescendingScore(this.scores, this.labels);
      this.shared.sorted = { order, sortedScores, sortedWeights: gatherSortedWeights(order, this.weights) };
    }
    return this.shared.sorted;
  }
}
