import { createNestedBatchBuilder, type NestedColumnEntry, type RecordBatch } from '@/lib/shared/arrow';
import type { ByteSource } from '../byte-source';
import { type ClusterTask, decodeCluster, type DecodedCluster } from './decode-cluster';
import { createDecodeClusterPool } from './decode-cluster-pool';
import { readClusterPages } from './read-cluster-pages';
import type { RNTupleDescriptor } from './read-rntuple-descriptor';
import type { RNTupleColumnPlan } from './rntuple-schema';
import { loadXxh3 } from './xxhash3';

export type ReadRNTupleBatchesOptions = {
  /** Decode on this many worker threads (1: on the calling thread). The batches are the same for any value. */
  jobs?: number;
  /** Schema-level Arrow metadata of every batch. */
  metadata?: Record<string, string>;
  /** Called after each cluster with the clusters and entries done so far. */
  onCluster?: (progress: { clustersDone: number; clusters: number; entriesDone: number; entries: number }) => void;
};

/** Arrow field metadata of an output column: its C++ type, field path and column encodings. */
export function rntupleFieldMetadata(plan: RNTupleColumnPlan, descriptor: RNTupleDescriptor): Record<string, string> {
  return { 'root.type': plan.typeName, 'root.field': plan.fieldPath, 'root.columns': plan.physicalColumns.map((id) => String(descriptor.columns[id]?.typeCode ?? '')).join(',') };
}

/**
 * Reads an RNTuple cluster by cluster and yields one Arrow record batch per cluster (entries in file order), so
 * memory holds the clusters being decoded — `jobs` of them at most — never the whole file. With `jobs` > 1 the
 * clusters are decoded on worker threads while the next ones are read; the output is identical.
 */
export async function* readRNTupleBatches(source: ByteSource, descriptor: RNTupleDescriptor, plans: readonly RNTupleColumnPlan[], options: ReadRNTupleBatchesOptions = {}): AsyncGenerator<RecordBatch> {
  const build = createNestedBatchBuilder(options.metadata ?? {});
  for await (const decoded of readRNTupleClusterColumns(source, descriptor, plans, options)) {
    yield build(decoded.columns.map((column, i): NestedColumnEntry => ({ name: (plans[i] as RNTupleColumnPlan).name, column, metadata: rntupleFieldMetadata(plans[i] as RNTupleColumnPlan, descriptor) })));
  }
}

/** The decoded columns of each cluster, in order, as {@link readRNTupleBatches} turns them into record batches. */
export async function* readRNTupleClusterColumns(source: ByteSource, descriptor: RNTupleDescriptor, plans: readonly RNTupleColumnPlan[], options: Omit<ReadRNTupleBatchesOptions, 'metadata'> = {}): AsyncGenerator<DecodedCluster> {
  const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
  const clusters = descriptor.clusters.length;
  let entriesDone = 0;
  const report = (k: number, entries: number) => {
    entriesDone += entries;
    options.onCluster?.({ clustersDone: k + 1, clusters, entriesDone, entries: descriptor.entries });
  };
  if (jobs === 1 || clusters <= 1) {
    const xxh3 = await loadXxh3();
    for (let k = 0; k < clusters; k++) {
      const task = await readClusterPages(source, descriptor, plans, k);
      const decoded = decodeCluster(task, plans, xxh3);
      report(k, decoded.entries);
      yield decoded;
    }
    return;
  }
  const pool = createDecodeClusterPool(Math.min(jobs, clusters), plans);
  const inFlight: Promise<DecodedCluster>[] = [];
  let next = 0;
  const launch = () => {
    const k = next++;
    const decoded = readClusterPages(source, descriptor, plans, k).then((task: ClusterTask) => pool.decode(task));
    decoded.catch(() => {}); // awaited in order below; avoids an unhandled rejection while earlier clusters finish
    inFlight.push(decoded);
  };
  try {
    while (next < clusters && inFlight.length < jobs) launch();
    for (let k = 0; k < clusters; k++) {
      const decoded = await (inFlight.shift() as Promise<DecodedCluster>);
      if (next < clusters) launch();
      report(k, decoded.entries);
      yield decoded;
    }
  } finally {
    await pool.close();
  }
}
