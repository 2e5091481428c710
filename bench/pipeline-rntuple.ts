import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openRootFile } from '@/lib/pipeline/root';
import { decompressRootBuffer } from '@/lib/pipeline/root/codecs/decompress-root-buffer';
import { convertRootToArrow } from '@/lib/pipeline/root/convert-root-to-arrow';
import { PHYSLITE_SHAPED_FIELDS, physliteShapedClusters, writeRNTuple } from '@/lib/pipeline/root/rntuple';
import { pageBytes } from '@/lib/pipeline/root/rntuple/column-types';
import { readClusterPages } from '@/lib/pipeline/root/rntuple/read-cluster-pages';

const NTUPLE = 'EventData';

function flag(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function generate(file: string, events: number, clusterEntries: number) {
  const started = performance.now();
  const result = await writeRNTuple({ path: file, name: NTUPLE, fields: PHYSLITE_SHAPED_FIELDS, clusters: physliteShapedClusters({ events, clusterEntries, seed: 2026 }), compression: { algorithm: 'zlib', level: 1 } });
  return { ...result, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) };
}

/** Peak RSS of converting the whole file (30 columns, 2 decode workers) in a fresh process, in MB. */
function peakRssOfConvert(file: string, jobs: number): { peakRssMB: number; seconds: number } {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'run.ts'), 'pipeline-rntuple', '--rss-child', file, '--jobs', String(jobs)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`RSS child failed: ${child.stderr}`);
  const report = JSON.parse(child.stdout) as { peakRssMB: number };
  return { peakRssMB: report.peakRssMB, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) };
}

async function rssChild(args: string[]) {
  const file = args[args.indexOf('--rss-child') + 1] as string;
  const jobs = flag(args, 'jobs', 2);
  const out = path.join(path.dirname(file), `rss-${process.pid}.arrow`);
  await convertRootToArrow({ input: file, tree: NTUPLE, out, jobs });
  fs.rmSync(out, { force: true });
  return { peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) };
}

/**
 * `npm run bench -- pipeline-rntuple [--events N] [--cluster-entries M] [--repeats R] [--jsroot-events K] [--no-10x]`:
 * writes an RNTuple version of the seeded PHYSLITE-shaped events of `generate-physlite` (30 lep-had fields, ZLIB 1,
 * clusters of 50 000 events) and reports, from one run: our reader on one
 * thread, on two worker threads, reading + inflating the same pages alone (the floor), jsroot's RNTuple event loop
 * (on the first K events), and the peak RSS of converting the file — and a file of 10× the events — to Arrow.
 */
export async function runPipelineRNTupleBench(args: string[]) {
  if (args.includes('--rss-child')) return rssChild(args);
  const events = flag(args, 'events', 1_000_000);
  const clusterEntries = flag(args, 'cluster-entries', 50_000);
  const repeats = flag(args, 'repeats', 3);
  const jsrootEvents = Math.min(events, flag(args, 'jsroot-events', 50_000));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-bench-rntuple-'));
  try {
    const file = path.join(dir, 'physlite-shaped.root');
    const written = await generate(file, events, clusterEntries);
    const root = await openRootFile(file);
    const ntuple = await root.getRNTuple(NTUPLE);
    const columns = ntuple.columns;
    const d = ntuple.descriptor;
    let uncompressedBytes = 0;
    for (const cluster of d.clusters) for (const [id, range] of cluster.columns.entries()) for (const page of range.pages) uncompressedBytes += pageBytes(page.elements, d.columns[id]?.bitsOnStorage ?? 0);

    // Wall time, and CPU time of the whole process (all threads): on a shared machine the CPU times still compare.
    const timed = async (run: () => Promise<void>) => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      await run();
      const used = process.cpuUsage(cpu);
      return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
    };
    const readAll = (jobs: number) =>
      timed(async () => {
        let rows = 0;
        for await (const batch of ntuple.readBatches({ jobs })) rows += batch.numRows;
        if (rows !== events) throw new Error(`read ${rows} rows of ${events}`);
      });
    const inflateOnly = () =>
      timed(async () => {
      let bytes = 0;
      for (let k = 0; k < d.clusters.length; k++) {
        const task = await readClusterPages(root.source, d, columns, k);
        for (const [id, column] of Object.entries(task.columns)) {
          const bits = d.columns[Number(id)]?.bitsOnStorage ?? 0;
          for (const page of column.pages) {
            const length = pageBytes(page.elements, bits);
            bytes += page.size === length ? length : (await decompressRootBuffer(page.bytes.subarray(0, page.size), length)).length;
          }
        }
      }
      if (bytes !== uncompressedBytes) throw new Error(`inflated ${bytes} bytes, expected ${uncompressedBytes}`);
      });
    // Interleaved, so that load from other processes on a shared machine hits all three alike.
    type Timing = { wallMs: number; cpuMs: number };
    const times = { one: [] as Timing[], two: [] as Timing[], inflate: [] as Timing[] };
    await readAll(1);
    for (let r = 0; r < repeats; r++) {
      times.one.push(await readAll(1));
      times.inflate.push(await inflateOnly());
      times.two.push(await readAll(2));
    }
    const one = median(times.one.map((t) => t.wallMs));
    const two = median(times.two.map((t) => t.wallMs));
    const inflate = median(times.inflate.map((t) => t.wallMs));
    const oneCpu = median(times.one.map((t) => t.cpuMs));
    const inflateCpu = median(times.inflate.map((t) => t.cpuMs));
    const summary = (list: Timing[]) => ({
      medianWallMs: Math.round(median(list.map((t) => t.wallMs))),
      medianCpuMs: Math.round(median(list.map((t) => t.cpuMs))),
      runsWallMs: list.map((t) => Math.round(t.wallMs)),
      runsCpuMs: list.map((t) => Math.round(t.cpuMs)),
    });

    let jsroot: { events: number; wallMs: number; cpuMs: number; eventsPerSecond: number; eventsPerCpuSecond: number } | { error: string };
    try {
      let seen = 0;
      const t = await timed(async () => {
        await root.readRNTupleWithJsrootEventLoop(NTUPLE, PHYSLITE_SHAPED_FIELDS.map((f) => f.name), { maxEntries: jsrootEvents, onEntry: () => void seen++ });
      });
      jsroot = { events: seen, wallMs: Math.round(t.wallMs), cpuMs: Math.round(t.cpuMs), eventsPerSecond: Math.round(seen / (t.wallMs / 1000)), eventsPerCpuSecond: Math.round(seen / (t.cpuMs / 1000)) };
    } catch (error) {
      jsroot = { error: error instanceof Error ? error.message : String(error) };
    }
    await root.close();

    const rss1 = peakRssOfConvert(file, 2);
    fs.rmSync(file, { force: true });
    let rss10: { events: number; generationSeconds: number; fileSizeBytes: number; peakRssMB: number; seconds: number } | 'skipped' = 'skipped';
    if (!args.includes('--no-10x')) {
      const big = path.join(dir, 'physlite-shaped-10x.root');
      const bigWritten = await generate(big, 10 * events, clusterEntries);
      rss10 = { events: 10 * events, generationSeconds: bigWritten.seconds, fileSizeBytes: bigWritten.sizeBytes, ...peakRssOfConvert(big, 2) };
    }
    const ours1 = events / (one / 1000);
    const ours2 = events / (two / 1000);
    const ours1PerCpu = events / (oneCpu / 1000);
    return {
      bench: 'pipeline-rntuple',
      events,
      fields: PHYSLITE_SHAPED_FIELDS.length,
      columns: columns.length,
      clusters: d.clusters.length,
      fileSizeBytes: written.sizeBytes,
      compressedPageBytes: d.compressedBytes,
      uncompressedPageBytes: uncompressedBytes,
      generationSeconds: written.seconds,
      repeats,
      ours1Thread: { ...summary(times.one), eventsPerSecond: Math.round(ours1), eventsPerCpuSecond: Math.round(ours1PerCpu) },
      ours2Workers: { ...summary(times.two), eventsPerSecond: Math.round(ours2) },
      readAndInflateSamePagesAlone: summary(times.inflate),
      jsrootRNTupleEventLoop: jsroot,
      ratioEventsPerSecondOurs1ThreadOverJsroot: 'eventsPerSecond' in jsroot ? Number((ours1 / jsroot.eventsPerSecond).toFixed(1)) : null,
      ratioEventsPerSecondOurs2WorkersOverJsroot: 'eventsPerSecond' in jsroot ? Number((ours2 / jsroot.eventsPerSecond).toFixed(1)) : null,
      ratioEventsPerCpuSecondOurs1ThreadOverJsroot: 'eventsPerSecond' in jsroot ? Number((ours1PerCpu / jsroot.eventsPerCpuSecond).toFixed(1)) : null,
      ratioTimeOurs1ThreadOverInflate: Number((one / inflate).toFixed(2)),
      ratioCpuTimeOurs1ThreadOverInflate: Number((oneCpu / inflateCpu).toFixed(2)),
      ratioThroughput2WorkersOver1Thread: Number((one / two).toFixed(2)),
      peakRssMB: { convert1x: rss1.peakRssMB, convert10x: rss10 === 'skipped' ? 'skipped' : rss10.peakRssMB },
      convert10x: rss10,
      targets: { ratioEventsPerSecondOverJsroot: '≥ 50', ratioTimeOurs1ThreadOverInflate: '≤ 1.5', ratioThroughput2WorkersOver1Thread: '≥ 1.7', peakRssMB: '≤ 1024' },
      machine: { cpus: os.availableParallelism(), loadAverage1m: Number(os.loadavg()[0]?.toFixed(2)) },
      node: process.version,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}


