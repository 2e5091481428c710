/**
 * `npm run bench -- <name> [options]`: runs one benchmark; each prints one JSON report with its figures and
 * ratios against a baseline measured in the same run (machines here are noisy: ratios, not absolute times).
 */
import { runBaselineBench } from './baseline';
import { runScoringBench } from './scoring';

const benches: Record<string, (args: string[]) => Promise<unknown>> = {
  scoring: runScoringBench,
  baseline: runBaselineBench,
  pipeline: (args) => import('./pipeline').then((m) => m.runPipelineBench(args)),
  'pipeline-rntuple': (args) => import('./pipeline-rntuple').then((m) => m.runPipelineRNTupleBench(args)),
  load: (args) => import('./load').then((m) => m.runLoadBench(args)),
  'root-write': (args) => import('./root-write').then((m) => m.runRootWriteBench(args)),
  importers: (args) => import('./importers').then((m) => m.runImportersBench(args)),
  histograms: (args) => import('./histograms').then((m) => m.runHistogramsBench(args)),
  trackml: (args) => import('./trackml').then((m) => m.runTrackmlBench(args)),
  models: (args) => import('./models').then((m) => m.runModelsBench(args)),
  'cli-startup': (args) => import('./cli-startup').then((m) => m.runCliStartupBench(args)),
  build: (args) => import('./build').then((m) => m.runBuildBench(args)),
  'live-status': (args) => import('./live-status').then((m) => m.runLiveStatusBench(args)),
};

async function main() {
  const [name, ...args] = process.argv.slice(2);
  const bench = name ? benches[name] : undefined;
  if (!bench) {
    console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [options]; scoring: [--events N] [--bootstrap-events M] [--replicas B] [--repeats R]; trackml: [--events 100] [--hits-per-event 10000] [--repeats 5]`);
    process.exit(2);
  }
  console.log(JSON.stringify(await bench(args), null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
