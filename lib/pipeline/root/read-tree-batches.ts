import { Field, type RecordBatch, Schema } from 'apache-arrow';
import { AppError } from '@/lib/shared/app-error';
import { arrowTypeOf, makeRecordBatch } from './arrow-batch';
import { type ByteSource, ownsItsBuffer } from './byte-source';
import { type DecodedData, flattenDecoded } from './decoded-data';
import { createDecoder, type Decoder } from './decode-pool';
import type { DecodeTask } from './decode-task';
import { DEFAULT_BATCH_BYTES, planBatchRanges } from './plan-batches';
import type { BranchPlan, ColumnPlan } from './plan-branch';
import type { RawBasketRecord } from './raw-records';

/** Selected columns grouped by the branch they come from, in output order. */
export type BranchSelection = { plan: BranchPlan; columns: ColumnPlan[] };

export type TreeBatchOptions = {
  /** Worker threads decoding baskets; 1 decodes on the calling thread. */
  jobs: number;
  /** Entries per batch; default: about 16 MiB of uncompressed data per batch across the selected branches. */
  batchEntries?: number;
  entryStart?: number;
  entryStop?: number;
};

/** The Arrow schema of a selection: one non-nullable field per column, with the ROOT branch, type and layout as metadata. */
export function schemaOfSelection(selection: readonly BranchSelection[], metadata: Record<string, string>): Schema {
  const fields = selection.flatMap(({ plan, columns }) =>
    columns.map((c) => new Field(c.name, arrowTypeOf(c.type), false, new Map([['root.branch', plan.name], ['root.type', plan.typeName], ['root.layout', plan.layout]]))),
  );
  return new Schema(fields, new Map(Object.entries(metadata)));
}

const MAX_GAP_BYTES = 256 * 1024;
const MAX_IN_FLIGHT_BYTES = 256 * 1024 * 1024;
const MAX_READ_BYTES = 64 * 1024 * 1024;

type DiskBasket = Extract<RawBasketRecord, { kind: 'disk' }>;

/**
 * Reads the disk baskets a batch needs with as few reads as possible: sorted by position, neighbours less than
 * 256 KiB apart are read together (ROOT writes a cluster's baskets side by side). Each basket's bytes are a view
 * into its read; with `owned`, every read is a buffer of its own (copied when the source shares its memory), so
 * the views can move to a worker thread with their reads.
 */
export async function readBasketBytes(source: ByteSource, baskets: readonly DiskBasket[], owned = false): Promise<Map<RawBasketRecord, Uint8Array>> {
  const sorted = [...new Set(baskets)].sort((a, b) => a.seek - b.seek);
  const out = new Map<RawBasketRecord, Uint8Array>();
  let i = 0;
  while (i < sorted.length) {
    const first = sorted[i] as DiskBasket;
    let end = first.seek + first.sizeBytes;
    let j = i + 1;
    while (j < sorted.length) {
      const next = sorted[j] as DiskBasket;
      if (next.seek - end > MAX_GAP_BYTES || next.seek + next.sizeBytes - first.seek > MAX_READ_BYTES) break;
      end = Math.max(end, next.seek + next.sizeBytes);
      j++;
    }
    const read = await source.read(first.seek, end - first.seek);
    const bytes = owned && !ownsItsBuffer(read) ? read.slice() : read;
    for (let k = i; k < j; k++) {
      const basket = sorted[k] as DiskBasket;
      out.set(basket, bytes.subarray(basket.seek - first.seek, basket.seek - first.seek + basket.sizeBytes));
    }
    i = j;
  }
  return out;
}

function basketsIn(baskets: readonly RawBasketRecord[], start: number, stop: number): RawBasketRecord[] {
  return baskets.filter((b) => b.firstEntry < stop && b.firstEntry + b.entries > start);
}

/**
 * Reads the selected branches of a tree batch by batch as Arrow record batches with a fixed schema. Batches follow
 * the clusters (entry ranges where every selected branch starts a basket); each branch's slice of a batch is one
 * decode task, run on the calling thread or on worker threads, and at most `jobs + 1` batches (and ~256 MiB) are in
 * flight, so memory is bounded by the batch size, not the file. The output is the same for any `jobs`.
 */
export async function* readTreeBatches(
  source: ByteSource,
  tree: { path: string; entries: number },
  selection: readonly BranchSelection[],
  schema: Schema,
  options: TreeBatchOptions,
): AsyncGenerator<RecordBatch> {
  const start = Math.max(0, options.entryStart ?? 0);
  const stop = Math.min(tree.entries, options.entryStop ?? tree.entries);
  for (const { plan } of selection) {
    if (!plan.decode) throw new AppError('BAD_REQUEST', `branch "${plan.name}" of ${tree.path} in ${source.name} cannot be read: ${plan.reason}`, { file: source.name, column: plan.name });
    if (plan.entries < stop) {
      throw new AppError('INVALID_DATASET', `branch "${plan.name}" of ${tree.path} in ${source.name} has ${plan.entries} entries but the tree has ${tree.entries}; read it on its own or up to entry ${plan.entries}.`, { file: source.name, column: plan.name });
    }
  }
  const bytesPerEntry = selection.reduce((sum, { plan }) => sum + plan.uncompressedBytes / Math.max(1, plan.entries), 0);
  // The batch size never depends on the thread count, so the output is the same for any `jobs`.
  const target = options.batchEntries ?? Math.max(1, Math.floor(DEFAULT_BATCH_BYTES / Math.max(1, bytesPerEntry)));
  // One batch per thread plus one in flight, but never more than ~256 MiB of decoded data (many-core machines).
  const batchBytes = Math.max(1, target * bytesPerEntry);
  const window = Math.max(2, Math.min(Math.max(1, options.jobs) + 1, Math.floor(MAX_IN_FLIGHT_BYTES / batchBytes)));
  const ranges = planBatchRanges(
    selection.map(({ plan }) => plan.baskets),
    start,
    stop,
    target,
  );
  const decoder: Decoder = createDecoder(options.jobs);
  const inFlight: Promise<RecordBatch>[] = [];
  let next = 0;
  const schedule = () => {
    while (inFlight.length < window && next < ranges.length) {
      const [from, to] = ranges[next++] as [number, number];
      const batch = decodeBatch(source, tree.path, selection, schema, decoder, from, to);
      batch.catch(() => {}); // observed when awaited in order; avoid an unhandled rejection meanwhile
      inFlight.push(batch);
    }
  };
  try {
    schedule();
    while (inFlight.length > 0) {
      const batch = await (inFlight.shift() as Promise<RecordBatch>);
      schedule();
      yield batch;
    }
  } finally {
    await Promise.allSettled(inFlight);
    await decoder.close();
  }
}

/**
 * Splits the selected branches (by index) into at most `groups` runs of neighbouring branches with about the same
 * compressed bytes in the batch, one run per decoding thread. Neighbouring branches' baskets lie side by side in
 * the file, so each run is read with few reads and its reads belong to it alone.
 */
function groupBranches(perBranch: readonly RawBasketRecord[][], groups: number): number[][] {
  const weights = perBranch.map((baskets) => baskets.reduce((sum, b) => sum + (b.kind === 'disk' ? b.sizeBytes : 1), 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const out: number[][] = [];
  let current: number[] = [];
  let done = 0;
  weights.forEach((w, i) => {
    current.push(i);
    done += w;
    if (done >= (total * (out.length + 1)) / groups && out.length < groups - 1) {
      out.push(current);
      current = [];
    }
  });
  if (current.length > 0) out.push(current);
  return out;
}

async function readBytesNamingBranches(source: ByteSource, tree: string, selection: readonly BranchSelection[], perBranch: readonly RawBasketRecord[][], indices: readonly number[], from: number, to: number, owned: boolean) {
  const disk = indices.flatMap((i) => (perBranch[i] as RawBasketRecord[]).filter((b): b is DiskBasket => b.kind === 'disk'));
  try {
    return await readBasketBytes(source, disk, owned);
  } catch (error) {
    if (error instanceof AppError && disk.length > 0) {
      const names = [...new Set(indices.filter((i) => (perBranch[i] as RawBasketRecord[]).some((b) => b.kind === 'disk')).map((i) => (selection[i] as BranchSelection).plan.name))];
      throw new AppError('INVALID_DATASET', `${error.message} (reading the baskets of entries ${from}–${to - 1} of tree "${tree}", branches ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''})`, { ...error.details, tree }, { cause: error });
    }
    throw error;
  }
}

function taskOf(source: ByteSource, tree: string, plan: BranchPlan, baskets: readonly RawBasketRecord[], bytes: Map<RawBasketRecord, Uint8Array>, from: number, to: number): DecodeTask {
  return {
    file: source.name,
    tree,
    plan: plan.decode as NonNullable<BranchPlan['decode']>,
    start: from,
    stop: to,
    baskets: baskets.map((record) => ({ record, bytes: record.kind === 'disk' ? (bytes.get(record) as Uint8Array) : null })),
  };
}

/**
 * Decodes entries [from, to) of the selected branches into one record batch. The branches are split into one group
 * per thread (one group on the calling thread), each group read on its own; on worker threads its reads move (are
 * not copied) to the thread that decodes it.
 */
async function decodeBatch(source: ByteSource, tree: string, selection: readonly BranchSelection[], schema: Schema, decoder: Decoder, from: number, to: number): Promise<RecordBatch> {
  const perBranch = selection.map(({ plan }) => basketsIn(plan.baskets, from, to));
  const results = new Array<DecodedData>(selection.length);
  await Promise.all(
    groupBranches(perBranch, decoder.jobs).map(async (group) => {
      const bytes = await readBytesNamingBranches(source, tree, selection, perBranch, group, from, to, decoder.jobs > 1);
      const decoded = await decoder.runGroup(group.map((i) => taskOf(source, tree, (selection[i] as BranchSelection).plan, perBranch[i] as RawBasketRecord[], bytes, from, to)));
      group.forEach((i, k) => (results[i] = decoded[k] as DecodedData));
    }),
  );
  const columns: DecodedData[] = selection.flatMap(({ columns: picked }, i) => picked.map((c) => flattenDecoded(results[i] as DecodedData, c.path)));
  return makeRecordBatch(schema, columns, to - from);
}
