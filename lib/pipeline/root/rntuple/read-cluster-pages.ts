import type { ByteSource } from '../byte-source';
import type { ClusterColumnPages, ClusterTask } from './decode-cluster';
import type { RNTupleDescriptor } from './read-rntuple-descriptor';
import { rntupleError } from './rntuple-error';
import type { FieldColumns, RNTupleColumnPlan } from './rntuple-schema';

/** Pages closer than this are read with one request (the gap is read and dropped). */
const MERGE_GAP_BYTES = 64 * 1024;

/** The field columns an output column reads: its collections, variants and leaf. */
export function fieldColumnsOf(plan: RNTupleColumnPlan): FieldColumns[] {
  const list: FieldColumns[] = [];
  for (const step of plan.steps) if (step.kind !== 'fixed') list.push(step.columns);
  list.push(plan.leaf.columns);
  return list;
}

/**
 * Reads the pages one cluster needs for the given output columns: for each field the column representation that is
 * primary in this cluster, then every page of those columns (with its checksum), nearby pages in one read. The
 * pages are copied into one buffer owned by the task, so it can move to a worker thread.
 */
export async function readClusterPages(source: ByteSource, descriptor: RNTupleDescriptor, plans: readonly RNTupleColumnPlan[], clusterIndex: number): Promise<ClusterTask> {
  const cluster = descriptor.clusters[clusterIndex];
  if (!cluster) throw new RangeError(`cluster ${clusterIndex} does not exist`);
  const representation: Record<number, number> = {};
  const wanted = new Set<number>();
  for (const plan of plans) {
    for (const columns of fieldColumnsOf(plan)) {
      if (representation[columns.fieldId] !== undefined) continue;
      let chosen = 0;
      for (let r = 0; r < columns.representations.length; r++) {
        const first = (columns.representations[r] as FieldColumns['representations'][number])[0];
        const range = first ? cluster.columns[first.id] : undefined;
        if (range && !range.isSuppressed) {
          chosen = r;
          break;
        }
      }
      representation[columns.fieldId] = chosen;
      for (const column of columns.representations[chosen] ?? []) wanted.add(column.id);
    }
  }
  type Extent = { columnId: number; page: number; offset: number; length: number };
  const extents: Extent[] = [];
  for (const columnId of wanted) {
    const range = cluster.columns[columnId];
    if (!range) continue;
    range.pages.forEach((page, p) => {
      const length = page.locator.size + (page.hasChecksum ? 8 : 0);
      if (page.locator.offset + length > source.sizeBytes) {
        throw rntupleError(
          { file: source.name, ntuple: descriptor.name, column: columnId, cluster: cluster.id, page: p, byteRange: [page.locator.offset, length] },
          `the page lies beyond the end of the ${source.sizeBytes}-byte file; the file is truncated.`,
        );
      }
      if (page.locator.size > descriptor.anchor.maxKeySize) {
        throw rntupleError(
          { file: source.name, ntuple: descriptor.name, column: columnId, cluster: cluster.id, page: p, byteRange: [page.locator.offset, length] },
          `the page is larger than the file's largest key (${descriptor.anchor.maxKeySize} bytes), so it is split over several keys, which this reader does not read.`,
        );
      }
      extents.push({ columnId, page: p, offset: page.locator.offset, length });
    });
  }
  extents.sort((a, b) => a.offset - b.offset);
  const reads: { offset: number; end: number }[] = [];
  for (const e of extents) {
    const last = reads[reads.length - 1];
    if (last && e.offset - last.end <= MERGE_GAP_BYTES) last.end = Math.max(last.end, e.offset + e.length);
    else reads.push({ offset: e.offset, end: e.offset + e.length });
  }
  // One read per run of nearby pages; a single run (the usual case: a cluster's pages are contiguous) is used as
  // read when the source hands over a buffer of its own, else the runs are copied into one buffer the task owns.
  const placed: { offset: number; end: number; at: number }[] = [];
  let buffer: Uint8Array;
  const first = reads.length === 1 ? await source.read((reads[0] as (typeof reads)[number]).offset, (reads[0] as (typeof reads)[number]).end - (reads[0] as (typeof reads)[number]).offset) : null;
  if (first && first.byteOffset === 0 && first.buffer.byteLength === first.length) {
    buffer = first;
    placed.push({ ...(reads[0] as (typeof reads)[number]), at: 0 });
  } else {
    buffer = new Uint8Array(reads.reduce((sum, r) => sum + r.end - r.offset, 0));
    let at = 0;
    for (const r of reads) {
      buffer.set(first ?? (await source.read(r.offset, r.end - r.offset)), at);
      placed.push({ ...r, at });
      at += r.end - r.offset;
    }
  }
  const columns: Record<number, ClusterColumnPages> = {};
  let readIndex = 0;
  for (const e of extents) {
    while ((placed[readIndex] as (typeof placed)[number]).end < e.offset + e.length) readIndex++;
    const r = placed[readIndex] as (typeof placed)[number];
    const range = cluster.columns[e.columnId];
    const page = range?.pages[e.page];
    if (!range || !page) continue;
    const entry = (columns[e.columnId] ??= { columnId: e.columnId, compression: range.compression, pages: [] });
    entry.pages[e.page] = {
      elements: page.elements,
      hasChecksum: page.hasChecksum,
      fileOffset: e.offset,
      size: page.locator.size,
      bytes: buffer.subarray(r.at + e.offset - r.offset, r.at + e.offset - r.offset + e.length),
    };
  }
  return { file: source.name, ntuple: descriptor.name, clusterId: cluster.id, entries: cluster.entries, representation, columns };
}
