import { AppError, type AppErrorCode, type AppErrorDetails, isAppError } from '@/lib/shared/app-error';
import { type DecodedData, decodedBuffers } from './decoded-data';
import { type ClusterTask, decodeCluster, type DecodedCluster } from './rntuple/decode-cluster';
import type { RNTupleColumnPlan } from './rntuple/rntuple-schema';
import { loadXxh3 } from './codecs/xxhash3';
import { BasketLayoutError, type BasketSlice, decodeEntries } from './decode-entries';
import type { DecodePlan } from './plan-branch';
import type { RawBasketRecord } from './raw-records';
import { basketError, type BasketContext, decodeDiskBasket, decodeEmbeddedBasket } from './read-basket';

/** One unit of decoding work: entries [start, stop) of one branch, with the bytes of the baskets they lie in. */
export type DecodeTask = {
  file: string;
  tree: string;
  plan: DecodePlan;
  start: number;
  stop: number;
  /** The baskets overlapping the range, in entry order; disk baskets carry their record bytes. */
  baskets: { record: RawBasketRecord; bytes: Uint8Array | null }[];
};

/** An error as it crosses a thread boundary. */
export type SerializedError = { code: AppErrorCode; message: string; details: AppErrorDetails } | { code: null; message: string; stack?: string };

export function serializeError(error: unknown): SerializedError {
  if (isAppError(error)) return { code: error.code, message: error.message, details: error.details };
  return { code: null, message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined };
}

export function deserializeError(error: SerializedError): Error {
  if (error.code !== null) return new AppError(error.code, error.message, error.details);
  const out = new Error(error.message);
  if (error.stack) out.stack = error.stack;
  return out;
}

/** Decompresses and decodes the task's baskets; errors name the file, tree, branch, basket and byte range. */
export async function runDecodeTask(task: DecodeTask): Promise<DecodedData> {
  const contextOf = (record: RawBasketRecord): BasketContext => ({ file: task.file, tree: task.tree, branch: task.plan.branch, basket: record });
  const slices: BasketSlice[] = [];
  for (const { record, bytes } of task.baskets) {
    const context = contextOf(record);
    if (record.kind === 'missing') {
      throw basketError(context, 'this basket was never written to the file nor into the TTree object (the writing program did not close the file); the entries it held are lost. Next step: read fewer entries (those before it) or recover the file with ROOT (`TFile::Open(name, "RECOVER")`).');
    }
    const basket = record.kind === 'disk' ? await decodeDiskBasket(bytes as Uint8Array, task.plan.hasEntryOffsets, context) : decodeEmbeddedBasket(record, task.plan.hasEntryOffsets, context);
    if (basket.entries !== record.entries) throw basketError(context, `holds ${basket.entries} entries where the branch's basket index says ${record.entries}; the file is corrupt.`);
    slices.push({ firstEntry: record.firstEntry, basket, index: record.index });
  }
  try {
    return decodeEntries(task.plan, slices, task.start, task.stop);
  } catch (error) {
    if (error instanceof BasketLayoutError) {
      const record = task.baskets.find((b) => b.record.index === error.basketIndex)?.record ?? (task.baskets[0] as { record: RawBasketRecord }).record;
      throw basketError(contextOf(record), `${error.message}; the file is corrupt or the branch's layout is not what its metadata says.`, error);
    }
    throw error;
  }
}

/**
 * Work for a decoding thread: a TTree branch's baskets over an entry range, or the selected columns of one RNTuple
 * cluster (with the plans of those columns).
 */
export type DecodeJob = { kind: 'basket-group'; tasks: DecodeTask[] } | { kind: 'cluster'; task: ClusterTask; plans: RNTupleColumnPlan[] };

/** What a job gives back: decoded data, one per task of a group, or a decoded RNTuple cluster. */
export type DecodeJobResult = DecodedData[] | DecodedCluster;

/** Runs a job on this thread: {@link runDecodeTask} for each task of a group, or the RNTuple cluster decoder. */
export async function runDecodeJob(job: DecodeJob): Promise<DecodeJobResult> {
  if (job.kind === 'basket-group') {
    const out: DecodedData[] = [];
    for (const task of job.tasks) out.push(await runDecodeTask(task));
    return out;
  }
  return decodeCluster(job.task, job.plans, await loadXxh3());
}

/** The input buffers of a job, moved (not copied) to the worker. */
export function transferablesOfJob(job: DecodeJob): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  if (job.kind === 'basket-group') {
    for (const task of job.tasks) for (const b of task.baskets) if (b.bytes) out.add(b.bytes.buffer as ArrayBuffer);
  } else {
    for (const column of Object.values(job.task.columns)) for (const page of column.pages) if (page && page.bytes.buffer instanceof ArrayBuffer) out.add(page.bytes.buffer);
  }
  return [...out];
}

/** The buffers of a result, to transfer instead of copy. */
export function transferListOf(data: DecodeJobResult): ArrayBuffer[] {
  if (Array.isArray(data)) {
    const out: ArrayBuffer[] = [];
    for (const item of data) decodedBuffers(item, out);
    return out;
  }
  if ('clusterId' in data) {
    const out: ArrayBuffer[] = [];
    for (const column of data.columns) decodedBuffers(column, out);
    return out;
  }
  return decodedBuffers(data);
}
