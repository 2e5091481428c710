import type { RecordBatch, Schema } from 'apache-arrow';
import { makeRecordBatch } from '../arrow-batch';
import type { ByteSource } from '../byte-source';
import { sliceDecoded } from '../decoded-data';
import { createDecoder } from '../decode-pool';
import type { DecodedCluster } from './decode-cluster';
import { readClusterPages } from './read-cluster-pages';
import type { RNTupleDescriptor } from './read-rntuple-descriptor';
import type { RNTupleColumnPlan } from './rntuple-schema';

export type RNTupleBatchOptions = {
  /** Threads decoding clusters (the TTree reader's pool); 1 decodes on the calling thread. The batches are the same for any value. */
  jobs: number;
  /** Entries per batch at most (default: a whole cluster); batches never span two clusters. */
  batchEntries?: number;
  entryStart?: number;
  entryStop?: number;
};

/** The TTree reader's cap on decoded data in flight, whatever the thread count. */
const MAX_IN_FLIGHT_BYTES = 256 * 1024 * 1024;

/** Uncompressed bytes of the selected columns in one cluster, from the page lists. */
function clusterBytes(descriptor: RNTupleDescriptor, plans: readonly RNTupleColumnPlan[], index: number): number {
  const cluster = descriptor.clusters[index];
  if (!cluster) return 0;
  const ids = new Set(plans.flatMap((p) => p.physicalColumns));
  let bytes = 0;
  for (const id of ids) {
    const column = descriptor.columns[id];
    for (const page of cluster.columns[id]?.pages ?? []) bytes += Math.ceil((page.elements * (column?.bitsOnStorage ?? 64)) / 8);
  }
  return bytes;
}

/**
 * Reads the selected columns of an RNTuple cluster by cluster as Arrow record batches with the schema `schema`
 * (entries in file order). Each cluster is decoded whole (pages checked, decompressed, decoded) on the calling
 * thread or on the decoding threads the TTree reader uses, the next ones being read meanwhile; at most `jobs + 1`
 * clusters (and ~256 MiB) are in flight, so memory is bounded by the cluster size, not the file. A cluster is one
 * batch, or several of at most `batchEntries` entries; only the clusters overlapping [entryStart, entryStop) are read.
 */
export async function* readRNTupleBatches(source: ByteSource, descriptor: RNTupleDescriptor, plans: readonly RNTupleColumnPlan[], schema: Schema, options: RNTupleBatchOptions): AsyncGenerator<RecordBatch> {
  const start = Math.max(0, options.entryStart ?? 0);
  const stop = Math.min(descriptor.entries, options.entryStop ?? descriptor.entries);
  const wanted = descriptor.clusters.map((c, k) => ({ cluster: c, k })).filter(({ cluster }) => cluster.firstEntry < stop && cluster.firstEntry + cluster.entries > start);
  if (wanted.length === 0) return;
  const largest = Math.max(1, ...wanted.map(({ k }) => clusterBytes(descriptor, plans, k)));
  const window = Math.max(1, Math.min(Math.max(1, options.jobs) + 1, Math.floor(MAX_IN_FLIGHT_BYTES / largest)));
  const decoder = createDecoder(options.jobs);
  const inFlight: Promise<DecodedCluster>[] = [];
  let next = 0;
  const schedule = () => {
    while (inFlight.length < window && next < wanted.length) {
      const { k } = wanted[next++] as (typeof wanted)[number];
      const decoded = readClusterPages(source, descriptor, plans, k).then((task) => decoder.runCluster(task, plans));
      decoded.catch(() => {}); // observed when awaited in order; avoid an unhandled rejection meanwhile
      inFlight.push(decoded);
    }
  };
  const step = Math.max(1, Math.floor(options.batchEntries ?? Number.POSITIVE_INFINITY));
  try {
    schedule();
    for (const { cluster } of wanted) {
      const decoded = await (inFlight.shift() as Promise<DecodedCluster>);
      schedule();
      const from = Math.max(start, cluster.firstEntry) - cluster.firstEntry;
      const to = Math.min(stop, cluster.firstEntry + cluster.entries) - cluster.firstEntry;
      for (let a = from; a < to; ) {
        const b = Math.min(to, a + step);
        yield makeRecordBatch(schema, decoded.columns.map((column) => sliceDecoded(column, a, b)), b - a);
        a = b;
      }
    }
  } finally {
    await Promise.allSettled(inFlight);
    await decoder.close();
  }
}
