import fs from 'node:fs';
import zlib from 'node:zlib';
import { createMemoryByteSource, openRootFile } from '@/lib/pipeline/root';
import { parseBasketHeader } from '@/lib/pipeline/root/read-basket';
import { fixturePath } from '@/tests/support/fixtures';

/** ~30 branches an H→ττ or Z→ℓℓ analysis reads: leptons, taus, jets, MET terms and event info. */
export const PIPELINE_BENCH_BRANCHES = [
  'AnalysisElectronsAuxDyn.pt', 'AnalysisElectronsAuxDyn.eta', 'AnalysisElectronsAuxDyn.phi', 'AnalysisElectronsAuxDyn.m', 'AnalysisElectronsAuxDyn.charge',
  'AnalysisMuonsAuxDyn.pt', 'AnalysisMuonsAuxDyn.eta', 'AnalysisMuonsAuxDyn.phi', 'AnalysisMuonsAuxDyn.charge',
  'AnalysisTauJetsAuxDyn.pt', 'AnalysisTauJetsAuxDyn.eta', 'AnalysisTauJetsAuxDyn.phi', 'AnalysisTauJetsAuxDyn.m', 'AnalysisTauJetsAuxDyn.charge',
  'AnalysisJetsAuxDyn.pt', 'AnalysisJetsAuxDyn.eta', 'AnalysisJetsAuxDyn.phi', 'AnalysisJetsAuxDyn.m',
  'AnalysisPhotonsAuxDyn.pt', 'AnalysisPhotonsAuxDyn.eta', 'AnalysisPhotonsAuxDyn.phi',
  'MET_Core_AnalysisMETAuxDyn.mpx', 'MET_Core_AnalysisMETAuxDyn.mpy', 'MET_Core_AnalysisMETAuxDyn.sumet',
  'EventInfoAuxDyn.eventNumber', 'EventInfoAuxDyn.runNumber', 'EventInfoAuxDyn.mcChannelNumber', 'EventInfoAuxDyn.mcEventWeights',
  'EventInfoAuxDyn.averageInteractionsPerCrossing', 'EventInfoAuxDyn.actualInteractionsPerCrossing',
];

/** Runs `pass` until at least `minMs` of work (and 5 passes) are done; returns ms per pass (median) and the total. */
async function measure(minMs: number, pass: () => Promise<unknown> | unknown) {
  const times: number[] = [];
  const start = performance.now();
  while (performance.now() - start < minMs || times.length < 5) {
    const t0 = performance.now();
    await pass();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { passes: times.length, totalMs: Number((performance.now() - start).toFixed(1)), medianMs: times[Math.floor(times.length / 2)] as number };
}

/**
 * Our columnar reader vs jsroot's TSelector event loop (treeProcess) on the same branches of the PHYSLITE fixture, and
 * vs zlib-inflating the same baskets — all in one run, each repeated to ≥ 1 s of work. Both readers get the file from
 * memory, so the figures compare decoding, not the disk.
 */
export async function runPipelineBench(args: string[]) {
  const fileArg = args.indexOf('--file');
  const filePath = fileArg >= 0 ? (args[fileArg + 1] as string) : fixturePath('physlite/PHYSLITE_example.root');
  const minMs = 1000;
  const bytes = new Uint8Array(fs.readFileSync(filePath));
  const file = await openRootFile(createMemoryByteSource(bytes, filePath));
  const tree = await file.getTree('CollectionTree');
  const branches = PIPELINE_BENCH_BRANCHES.map((name) => tree.getBranch(name));
  const events = tree.entries;

  let checksum = 0;
  const ours = await measure(minMs, async () => {
    for (const b of branches) {
      const column = await tree.readBranch(b.name);
      checksum += column.values.length;
    }
  });

  const records = branches.flatMap((b) => b.baskets.map((k) => bytes.subarray(k.seek, k.seek + k.sizeBytes)));
  const inflate = await measure(minMs, () => {
    for (const record of records) {
      const header = parseBasketHeader(record, 'bench');
      // Skip ROOT's 9-byte chunk header; the rest is the zlib stream (the fixture's baskets are single-chunk ZLIB).
      checksum += zlib.inflateSync(record.subarray(header.keyBytes + 9)).length;
    }
  });

  let touched = 0;
  const jsroot = await measure(minMs, () =>
    tree.readWithJsrootEventLoop(PIPELINE_BENCH_BRANCHES, {
      onEntry: () => {
        touched++;
      },
    }),
  );
  await file.close();

  const ourEventsPerSecond = events / (ours.medianMs / 1000);
  const jsrootEventsPerSecond = events / (jsroot.medianMs / 1000);
  return {
    bench: 'pipeline',
    file: filePath,
    events,
    branches: PIPELINE_BENCH_BRANCHES.length,
    compressedBytes: branches.reduce((s, b) => s + b.compressedBytes, 0),
    ours: { ...ours, eventsPerSecond: Math.round(ourEventsPerSecond) },
    jsrootEventLoop: { ...jsroot, eventsPerSecond: Math.round(jsrootEventsPerSecond), entriesSeen: touched },
    zlibInflateSameBaskets: inflate,
    ratioEventsPerSecondOursOverJsroot: Number((ourEventsPerSecond / jsrootEventsPerSecond).toFixed(1)),
    ratioTimeOursOverInflate: Number((ours.medianMs / inflate.medianMs).toFixed(2)),
    targets: { ratioEventsPerSecondOursOverJsroot: '≥ 50', ratioTimeOursOverInflate: '≤ 3' },
    checksum,
    node: process.version,
  };
}
