import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Field, Float32, Int32, RecordBatch, RecordBatchFileWriter, Schema, makeData, Struct } from 'apache-arrow';
import * as ort from 'onnxruntime-node';
import { fillFeatureRows } from '@/lib/shared/models/feature-matrix';
import { readScores } from '@/lib/shared/models/model-output';
import { openFeaturesFile } from '@/lib/server/models/open-features-file';
import { predictTable } from '@/lib/server/models/predict-table';
import { openModelSandbox } from '@/lib/server/models/sandbox/model-sandbox';

/**
 * `npm run bench -- models [--events 1000000] [--large-events 5000000] [--batch-size 8192] [--rounds 3]
 * [--heap-limit-mb 96]`: the model runner of
 * issue 15 against native onnxruntime-node in this process, on the same seeded Arrow features files.
 *
 * - end to end (what a scoring job does): features file → batches → model → checked scores → predictions CSV; the
 *   sandboxed runner (runtime in a separate, limited process) vs the same loop calling onnxruntime-node in-process
 *   with the same session options (one intra-op thread, as the sandbox runs);
 * - inference only: in-memory batches through the sandbox vs in-process, to show what the process boundary costs;
 * - memory: peak resident memory of the runner's process (a fresh one per run, with a 96 MiB JavaScript heap: the
 *   5M-event file alone is 560 MB) and of the sandboxed runtime at N and at the large N (bounded by the batch size:
 *   the ratio large/N stays near 1).
 * End-to-end figures are medians of `--rounds` rounds that alternate the variants (the machine's load changes).
 * Target (issue 15): sandboxed events/s ≥ 50 % of native. JSON only.
 */
const models = [
  { name: 'mlp-28-64-32-1', file: 'tests/fixtures/models/bench-mlp-28-64-32-1.onnx', width: 28 },
  { name: 'mlp-80-128-64-32-1 (20 clusters × 4)', file: 'tests/fixtures/models/bench-mlp-80-128-64-32-1.onnx', width: 80 },
] as const;

const limits = { timeLimitMs: 3_600_000, memoryLimitMb: 2048, maxOutputBytes: 64 * 1024 * 1024 };
const fileBatchRows = 65_536;

function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  const value = index >= 0 ? Number(args[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

/** A seeded features file: id + width float32 columns, written a record batch at a time (memory: one batch). */
export async function writeFeaturesFile(file: string, events: number, width: number): Promise<void> {
  const fields = [new Field('id', new Int32(), false), ...Array.from({ length: width }, (_, c) => new Field(`f${c}`, new Float32(), false))];
  const schema = new Schema(fields);
  const writer = new RecordBatchFileWriter();
  const sink = fs.createWriteStream(file);
  const piped = new Promise<void>((resolve, reject) => {
    writer.toNodeStream().pipe(sink).on('finish', () => resolve()).on('error', reject);
  });
  let state = 0x9e3779b9;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  for (let start = 0; start < events; start += fileBatchRows) {
    const rows = Math.min(fileBatchRows, events - start);
    const children = [makeData({ type: new Int32(), length: rows, data: Int32Array.from({ length: rows }, (_, i) => start + i) })];
    for (let c = 0; c < width; c++) children.push(makeData({ type: new Float32(), length: rows, data: Float32Array.from({ length: rows }, () => next() * 4 - 2) }) as never);
    writer.write(new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, children, nullCount: 0 })));
    // Let the batch reach the file before the next one is made.
    while (sink.writableLength > 0) await new Promise((resolve) => setImmediate(resolve));
  }
  writer.finish();
  await piped;
}

type Pass = { events: number; seconds: number; eventsPerSecond: number };

function median(passes: Pass[]): Pass {
  const sorted = [...passes].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond);
  return sorted[Math.floor(sorted.length / 2)] as Pass;
}

/** features file → sandboxed runner → predictions CSV (the scoring job's path). */
async function sandboxedEndToEnd(modelFile: string, features: string, columns: string[], batchSize: number, outFile: string) {
  const sandbox = await openModelSandbox({ format: 'onnx', bytes: new Uint8Array(fs.readFileSync(modelFile)) }, limits);
  const opened = await openFeaturesFile(features, path.basename(features), 'INVALID_DATASET');
  const out = fs.openSync(outFile, 'w');
  try {
    const started = performance.now();
    const { events } = await predictTable(sandbox, opened.table, {
      table: 'bench',
      file: features,
      errorCode: 'INVALID_DATASET',
      columns,
      batchSize,
      onScores: (ids, scores) => {
        let text = '';
        for (let r = 0; r < ids.length; r++) text += `${ids[r]},${scores[r]}\n`;
        fs.writeSync(out, text);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    return { pass: { events, seconds, eventsPerSecond: events / seconds }, runtimePeakRssBytes: sandbox.peakMemoryBytes() };
  } finally {
    fs.closeSync(out);
    await opened.close();
    await sandbox.close();
  }
}

/** The same loop with onnxruntime-node called in this process (no sandbox). */
async function nativeEndToEnd(session: ort.InferenceSession, features: string, columns: string[], batchSize: number, outFile: string): Promise<Pass> {
  const opened = await openFeaturesFile(features, path.basename(features), 'INVALID_DATASET');
  const out = fs.openSync(outFile, 'w');
  const input = session.inputNames[0] as string;
  const output = session.outputNames[0] as string;
  try {
    const started = performance.now();
    let events = 0;
    for await (const batch of opened.table.batches) {
      for (let from = 0; from < batch.numRows; from += batchSize) {
        const rows = Math.min(batchSize, batch.numRows - from);
        const x = new Float32Array(rows * columns.length);
        const ids = new Float64Array(rows);
        fillFeatureRows(batch, columns, from, rows, x, ids, { file: features, errorCode: 'INVALID_DATASET' });
        const result = (await session.run({ [input]: new ort.Tensor('float32', x, [rows, columns.length]) }))[output] as ort.Tensor;
        const scores = readScores({ dims: [...result.dims], dtype: result.type, data: result.data as Float32Array }, rows, { table: 'bench', firstRow: batch.rowStart + from + 1 });
        let text = '';
        for (let r = 0; r < rows; r++) text += `${ids[r]},${scores[r]}\n`;
        fs.writeSync(out, text);
        events += rows;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    return { events, seconds, eventsPerSecond: events / seconds };
  } finally {
    fs.closeSync(out);
    await opened.close();
  }
}

/** Inference only: the same in-memory batches through the sandbox (3 in flight) and in-process. */
async function inferenceOnly(modelFile: string, session: ort.InferenceSession, width: number, events: number, batchSize: number) {
  const x = new Float32Array(batchSize * width).map((_, i) => ((i * 7919) % 1000) / 250 - 2);
  const batches = Math.ceil(events / batchSize);
  const input = session.inputNames[0] as string;
  let started = performance.now();
  for (let b = 0; b < batches; b++) await session.run({ [input]: new ort.Tensor('float32', x, [batchSize, width]) });
  const nativeSeconds = (performance.now() - started) / 1000;
  const sandbox = await openModelSandbox({ format: 'onnx', bytes: new Uint8Array(fs.readFileSync(modelFile)) }, limits);
  try {
    started = performance.now();
    const inFlight: Array<Promise<unknown>> = [];
    for (let b = 0; b < batches; b++) {
      inFlight.push(sandbox.run(x, batchSize, width));
      if (inFlight.length >= 3) await inFlight.shift();
    }
    await Promise.all(inFlight);
  } finally {
    await sandbox.close();
  }
  const sandboxSeconds = (performance.now() - started) / 1000;
  const n = batches * batchSize;
  return { events: n, nativeEventsPerSecond: n / nativeSeconds, sandboxedEventsPerSecond: n / sandboxSeconds, ratio: nativeSeconds / sandboxSeconds };
}

export async function runModelsBench(args: string[]) {
  const events = option(args, 'events', 1_000_000);
  const largeEvents = option(args, 'large-events', 5_000_000);
  const batchSize = option(args, 'batch-size', 8192);
  const rounds = option(args, 'rounds', 3);
  const heapLimitMb = option(args, 'heap-limit-mb', 96);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-bench-models-'));
  try {
    const results = [];
    for (const model of models) {
      const columns = Array.from({ length: model.width }, (_, c) => `f${c}`);
      const features = path.join(dir, `features-${model.width}-${events}.arrow`);
      await writeFeaturesFile(features, events, model.width);
      const session = await ort.InferenceSession.create(model.file, { intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
      const sessionDefaultThreads = await ort.InferenceSession.create(model.file);
      // Warm both paths once on a small file, then measure.
      const warm = path.join(dir, `warm-${model.width}.arrow`);
      await writeFeaturesFile(warm, 20_000, model.width);
      await nativeEndToEnd(session, warm, columns, batchSize, path.join(dir, 'warm-native.csv'));
      await sandboxedEndToEnd(model.file, warm, columns, batchSize, path.join(dir, 'warm-sandbox.csv'));

      // Rounds alternate the three variants, so that the machine's changing load falls on each alike; medians are reported.
      const passes = { native: [] as Pass[], nativeAllThreads: [] as Pass[], sandboxed: [] as Pass[] };
      let runtimePeak = 0;
      for (let round = 0; round < rounds; round++) {
        passes.native.push(await nativeEndToEnd(session, features, columns, batchSize, path.join(dir, 'native.csv')));
        const run = await sandboxedEndToEnd(model.file, features, columns, batchSize, path.join(dir, 'sandbox.csv'));
        passes.sandboxed.push(run.pass);
        runtimePeak = Math.max(runtimePeak, run.runtimePeakRssBytes);
        passes.nativeAllThreads.push(await nativeEndToEnd(sessionDefaultThreads, features, columns, batchSize, path.join(dir, 'native-threads.csv')));
      }
      const native = median(passes.native);
      const nativeAllThreads = median(passes.nativeAllThreads);
      const sandboxed = { pass: median(passes.sandboxed), runtimePeakRssBytes: runtimePeak };
      const identical = fs.readFileSync(path.join(dir, 'native.csv'), 'utf8') === fs.readFileSync(path.join(dir, 'sandbox.csv'), 'utf8');
      const inference = await inferenceOnly(model.file, session, model.width, events, batchSize);
      fs.rmSync(features, { force: true });
      results.push({
        model: model.name,
        events,
        batchSize,
        endToEnd: {
          sandboxed: sandboxed.pass,
          nativeOneThread: native,
          nativeDefaultThreads: nativeAllThreads,
          ratioToNative: sandboxed.pass.eventsPerSecond / native.eventsPerSecond,
          ratioToNativeDefaultThreads: sandboxed.pass.eventsPerSecond / nativeAllThreads.eventsPerSecond,
          predictionsIdenticalToNative: identical,
        },
        inferenceOnly: inference,
        rounds: { sandboxedEventsPerSecond: passes.sandboxed.map((p) => p.eventsPerSecond), nativeOneThreadEventsPerSecond: passes.native.map((p) => p.eventsPerSecond) },
        runtimeProcessPeakRssBytes: sandboxed.runtimePeakRssBytes,
      });
    }

    // Memory at N and at the large size (the 28-feature model), each run in a fresh process so that its peak is its own:
    // bounded by the batch size, not by the number of events.
    const memory: Array<{ events: number; runnerProcessPeakRssBytes: number; runtimeProcessPeakRssBytes: number; eventsPerSecond: number }> = [];
    const small = models[0];
    for (const n of [events, largeEvents]) {
      const features = path.join(dir, `memory-${n}.arrow`);
      await writeFeaturesFile(features, n, small.width);
      // A small JavaScript heap for the runner: a runner that held the events (5M × 28 float32 = 560 MB) could not finish.
      const run = spawnSync(process.execPath, [`--max-old-space-size=${heapLimitMb}`, '--conditions=react-server', '--import', 'tsx', 'bench/models-memory-run.ts', small.file, features, String(small.width), String(batchSize), path.join(dir, 'memory.csv')], {
        encoding: 'utf8',
        timeout: 1_800_000,
      });
      fs.rmSync(features, { force: true });
      if (run.status !== 0) throw new Error(`the memory run of ${n} events failed: ${run.stderr}`);
      const report = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { events: number; eventsPerSecond: number; runnerPeakRssBytes: number; runtimePeakRssBytes: number };
      memory.push({ events: report.events, runnerProcessPeakRssBytes: report.runnerPeakRssBytes, runtimeProcessPeakRssBytes: report.runtimePeakRssBytes, eventsPerSecond: report.eventsPerSecond });
    }
    const [atN, atLarge] = memory;
    return {
      bench: 'models',
      machine: { cpus: os.availableParallelism(), note: 'shared machine: ratios are measured in the same run; absolute rates vary with load' },
      target: { sandboxedToNativeEventsPerSecond: 0.5 },
      models: results,
      memory: {
        model: small.name,
        runnerHeapLimitMb: heapLimitMb,
        runs: memory,
        runnerPeakRatioLargeToSmall: atN && atLarge ? atLarge.runnerProcessPeakRssBytes / atN.runnerProcessPeakRssBytes : null,
        runtimePeakRatioLargeToSmall: atN && atLarge ? atLarge.runtimeProcessPeakRssBytes / atN.runtimeProcessPeakRssBytes : null,
      },
      passes: results.every((r) => r.endToEnd.ratioToNative >= 0.5),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
