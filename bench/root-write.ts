import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { openRootFile } from '@/lib/pipeline/root';
import { decodeBasket } from '@/lib/pipeline/root/read-basket';
import { createRootFile } from '@/lib/pipeline/root/write/create-root-file';
import type { TreeColumnBatch } from '@/lib/pipeline/root/write/ttree-writer';
import { PHYSLITE_SHAPED_BRANCHES, PHYSLITE_TREE_NAME, physliteShapedBatches } from '@/lib/pipeline/root/write/write-physlite-shaped-file';

function intArg(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} needs a positive integer, got ${args[at + 1]}`);
  return value;
}

/**
 * `npm run bench -- root-write [--events N] [--pool M]`: writes N (default 1 000 000) PHYSLITE-shaped events — the 30
 * branches of `generate-physlite`, ZLIB level 1, ROOT's 32 000-byte baskets — and compares the time with
 * zlib-deflating (level 1) the very same basket payloads alone, the floor any writer pays. The events come from a
 * pool of M (default 100 000) generated beforehand and appended again and again, so event generation is not timed.
 * Peak RSS is the process's, pool included.
 */
export async function runRootWriteBench(args: string[]) {
  const events = intArg(args, '--events', 1_000_000);
  const poolEvents = Math.min(intArg(args, '--pool', 100_000), events);
  const batchEvents = 10_000;
  const pool: TreeColumnBatch[] = [...physliteShapedBatches({ events: poolEvents, seed: 1, batchEvents })];
  const poolRows = pool.map((batch) => (batch['EventInfoAuxDyn.runNumber'] as Uint32Array).length);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-bench-root-write-'));
  const out = path.join(dir, 'physlite-shaped.root');
  try {
    const rssBeforeWriteMb = process.memoryUsage().rss / 1e6;
    const started = performance.now();
    const file = await createRootFile(out, { compression: { algorithm: 'zlib', level: 1 } });
    const tree = file.addTree({ name: PHYSLITE_TREE_NAME, branches: PHYSLITE_SHAPED_BRANCHES });
    let written = 0;
    for (let k = 0; written < events; k++) {
      const batch = pool[k % pool.length] as TreeColumnBatch;
      const rows = poolRows[k % pool.length] as number;
      if (written + rows > events) {
        // The last, partial batch: the first rows of a pool batch.
        const need = events - written;
        tree.appendColumns(Object.fromEntries(Object.entries(batch).map(([name, column]) => [name, 'offsets' in (column as object) ? { ...(column as { values: Float32Array; offsets: Int32Array }), offsets: (column as unknown as { offsets: Int32Array }).offsets.subarray(0, need + 1) } : (column as Float32Array).subarray(0, need)])));
        written += need;
      } else {
        tree.appendColumns(batch);
        written += rows;
      }
    }
    file.close();
    const writeMs = performance.now() - started;
    const fileBytes = fs.statSync(out).size;

    // The same basket payloads, deflated alone: read each basket back, inflate it (not timed), time the deflate.
    const root = await openRootFile(out);
    let deflateMs = 0;
    let payloadBytes = 0;
    let baskets = 0;
    let deflatedBytes = 0;
    const readTree = await root.getTree(PHYSLITE_TREE_NAME);
    for (const branch of readTree.branches) {
      for (const location of branch.baskets) {
        const record = await root.source.read(location.seek, location.sizeBytes);
        const { payload, header } = decodeBasket(record, branch.layout === 'vector', branch.name);
        const whole = payload.subarray(0, header.objectBytes);
        const t0 = performance.now();
        deflatedBytes += zlib.deflateSync(whole, { level: 1 }).length;
        deflateMs += performance.now() - t0;
        payloadBytes += whole.length;
        baskets++;
      }
    }
    await root.close();
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    return {
      bench: 'root-write',
      events,
      branches: PHYSLITE_SHAPED_BRANCHES.length,
      compression: 'ZLIB level 1',
      baskets,
      fileBytes,
      uncompressedBasketBytes: payloadBytes,
      write: { ms: Math.round(writeMs), eventsPerSecond: Math.round(events / (writeMs / 1000)), uncompressedMBPerSecond: Number((payloadBytes / 1e6 / (writeMs / 1000)).toFixed(1)) },
      zlibDeflateSameBaskets: { ms: Math.round(deflateMs), compressedBytes: deflatedBytes },
      ratioWriteTimeOverDeflate: Number((writeMs / deflateMs).toFixed(2)),
      memory: { rssBeforeWriteMb: Math.round(rssBeforeWriteMb), peakRssMb: Math.round(peakRssMb), poolEvents },
      note: 'One run on a shared 2-core machine: compare the ratio, not the absolute times. Peak RSS includes the pre-generated event pool.',
      node: process.version,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
