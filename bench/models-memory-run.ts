/**
 * One run of the model runner in a fresh process, for `npm run bench -- models`: features file → sandboxed runtime →
 * predictions CSV, then one JSON line with this process's peak resident memory (VmHWM) and the runtime
 * process's peak. A fresh process per run, so that the peak belongs to this run alone.
 *
 *   node --conditions=react-server --import tsx bench/models-memory-run.ts <model.onnx> <features.arrow> <width> <batch> <out.csv>
 */
import fs from 'node:fs';
import path from 'node:path';
import { openFeaturesFile } from '@/lib/server/models/open-features-file';
import { predictTable } from '@/lib/server/models/predict-table';
import { openModelSandbox } from '@/lib/server/models/sandbox/model-sandbox';

/**
 * This process's peak resident memory: VmHWM, the high-water mark of its own address space. (getrusage's maxrss is
 * not used: Linux carries it over exec from the process that spawned this one, here the much larger bench.)
 */
function peakRssBytes(): number {
  const match = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
}

async function main() {
  const [modelFile, features, widthText, batchText, outFile] = process.argv.slice(2);
  if (!modelFile || !features || !widthText || !batchText || !outFile) throw new Error('usage: models-memory-run.ts <model> <features> <width> <batch> <out>');
  const columns = Array.from({ length: Number(widthText) }, (_, c) => `f${c}`);
  const sandbox = await openModelSandbox({ format: 'onnx', bytes: new Uint8Array(fs.readFileSync(modelFile)) }, { timeLimitMs: 3_600_000, memoryLimitMb: 2048, maxOutputBytes: 64 * 1024 * 1024 });
  const opened = await openFeaturesFile(features, path.basename(features), 'INVALID_DATASET');
  const out = fs.openSync(outFile, 'w');
  const started = performance.now();
  const { events } = await predictTable(sandbox, opened.table, {
    table: 'bench',
    file: features,
    errorCode: 'INVALID_DATASET',
    columns,
    batchSize: Number(batchText),
    onScores: (ids, scores) => {
      let text = '';
      for (let r = 0; r < ids.length; r++) text += `${ids[r]},${scores[r]}\n`;
      fs.writeSync(out, text);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  fs.closeSync(out);
  await opened.close();
  const runtimePeak = sandbox.peakMemoryBytes();
  await sandbox.close();
  process.stdout.write(`${JSON.stringify({ events, eventsPerSecond: events / seconds, runnerPeakRssBytes: peakRssBytes(), runtimePeakRssBytes: runtimePeak })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
