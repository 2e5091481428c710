// Each command's modules load when it runs, so that a call starts without reading ROOT, HDF5 or Parquet code it
// does not use (npm run pipeline is precompiled by scripts/build-clis.mjs; see README "Fast CLIs").
import fs from 'node:fs';
import path from 'node:path';
import { AppError, isAppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { FETCH_NAMES, KNOWN_RELEASES } from './fetch/release-catalogue';
import type { TopTaggingVariationInput } from './importers/atlas-top-tagging-hdf5';
import type { FairUniverseVariation } from './importers/fair-universe-parquet';
import type { RecipeBuildQueueClient } from './recipes/recipe-build-queue';
import { DATASET_VERSION_PATTERN, DATASET_VERSION_RULE } from '@/lib/shared/dataset-version-label';

export const PIPELINE_USAGE = `Usage: npm run --silent pipeline -- <command> [options]

Commands:
  toy --out <dir> [--seed n] [--train n] [--test n] [--lumi fb] [--version v] [--created-at iso] [--overwrite]
      Generate the higgs-tautau-toy dataset (defaults: seed 42, 100000 train, 50000 test, 10 fb^-1).
  toy-top-tagging --out <dir> [--seed n] [--train n] [--test n] [--csv] [--version v] [--created-at iso] [--overwrite]
      Generate the top-tagging-toy dataset: large-R jets (top vs QCD), 20 constituents + 15 high-level features, and the
      test variations ces_up, ces_down, cer, cpos (defaults: seed 42, 40000 train, 20000 test; Arrow only unless --csv).
  toy-signal-strength --out <dir> [--seed n] [--train n] [--source n] [--sets n] [--pes-per-set m] [--version v] [--created-at iso] [--overwrite]
      Generate the higgs-signal-strength-toy dataset: labelled H→ττ toy train table, pseudo-experiments and truth_pe
      (defaults: seed 42, 30000 train, 30000 source events, 20 sets × 10 pseudo-experiments).
  fetch <higgsml-2014 | atlas-top-tagging | fair-universe> [--train-shards n] [--test-shards m] [--base-url url] [--version v] [--overwrite]
  fetch physlite --record <id> --file <name> [--base-url url]
      Download a public release into DATA_DIR/downloads/ (resumable, progress on stderr), verify each file's checksum
      (pinned, or published by the record), then import it into DATA_DIR/datasets/<dataset>/<version>/. Hosts:
      FETCH_CERN_OPENDATA_URL / FETCH_ZENODO_URL or --base-url (mirrors, local test servers).
 [--test-fraction f] [--seed n] [--version v] [--created-at iso] [--overwrite]
  toy-trackml --out <dir> [--seed n] [--train n] [--test n] [--particles n] [--version v] [--created-at iso] [--overwrite]
      Generate the trackml-toy dataset: toy tracker events (hits, cells, particles, truth) written in the TrackML layout and
      imported by import-trackml, with the Hough baseline's submission (defaults: seed 42, 30 train and 30 test events,
      300 particles per event).
  trackml-toy-events --out <dir> --events n [--seed n] [--first-event id] [--particles n]
      Write toy events in the TrackML file layout only: event<id>-{hits,cells,particles,truth}.csv per event.
  import-trackml --out <dir> <folder|file.zip>... [--test-events n] [--max-events n] [--baseline] [--dataset id] [--version v] [--created-at iso] [--overwrite]
      Import events in the TrackML layout (folders or a Kaggle TrackML .zip as downloaded; .csv or .csv.gz): the last n events by id
      become the test set (hits and cells only; server-only truth_tracks.arrow); --baseline adds the Hough baseline.
  trackml-baseline --input <test_hits.csv|.arrow|.parquet> --out <submission.csv>
      Run the Hough baseline on every event of a hits table and write event_id,hit_id,track_id.
  import-higgsml-2014 --out <dir> <file.csv | file.csv.gz>... [--test-fraction f] [--seed n] [--version v] [--created-at iso] [--overwrite]
      Import HiggsML 2014 open-data CSV files (KaggleSet b/v → public/private test; otherwise a seeded hold-out).
  import-fair-universe --out <dir> <file.parquet|file.csv> [--metadata <metadata.json>] [--test-fraction f] [--variations 'tes_up:tes=1.03;jes_down:jes=0.97']
      Import FAIR-Universe HiggsML data (first f of the rows → test); each variation adds test@<name> tables.
  import-top-tagging --out <dir> --train <a.h5,b.h5> --test <c.h5> [--max-constituents n] [--variation <name>=<d.h5,e.h5>]...
      Import ATLAS top-tagging HDF5 shards (constituents, 15 high-level features, jet 4-vector, labels, weights); each
      --variation (e.g. ces_up=test_esup_000.h5) adds test@<name> and server-only truth@<name> tables.
  build <recipe.ts | recipe.json | lep-had | hzz-4l | large-r-jets> [--out <dir>] [--inputs <dir>] [--sample name=file,…]
        [--version v] [--created-at iso] [--overwrite] [--jobs n] [--batch-entries n] [--queue [--owner <e-mail>]]
      Build a dataset version from PHYSLITE files with a recipe (recipes/<name>/recipe.ts, any recipe module, or a JSON
      lep-had recipe); default --out DATA_DIR/datasets/<dataset>/<version>. Relative sample files resolve against --inputs
      (default: the recipe file's folder; DATA_DIR/downloads for a built-in recipe); --sample replaces a sample's files.
      --jobs: files processed at once on worker threads (default: all cores); --queue: one job per file on the workers of
      the PostgreSQL queue (npm run worker), merged by a final job, the version registered to --owner (an organiser).
      The bytes are the same either way.
  inspect <file.root | http(s)://…> [--json]
      List every tree (in any directory, as dir/sub/tree) with its entries and every branch, sub-branches included:
      type, layout, the columns it becomes (or why none), compressed and uncompressed bytes; every RNTuple (in any
      directory) with its entries, clusters and columns (type, encodings, bytes) and unreadable fields; then the other objects.
  convert <file.root | http(s)://…> --tree <dir/sub/name> [--branches '<name|glob>,…'] --out <file.arrow> [--skip-unsupported] [--jobs n] [--batch-entries n]
      Write the branches (default: all) of a TTree or the fields of an RNTuple as an Arrow IPC file, batch by batch in
      bounded memory. TTree: one column per branch, leaf or object member, named by its full branch name (x[n] → List<T>,
      x[N] → FixedSizeList<T>, vector<vector<T>> → List<List<T>>, strings → Utf8, bool → Bool). RNTuple: one column per
      leaf field, named by its field path with dots (records flattened, collections → List, std::array → FixedSizeList).
      --jobs: decoding threads (default: all cores); --batch-entries: entries per record batch.
  generate-physlite --events n --seed s --out <file.root> [--compression zlib|lz4|zstd|none[:level]] [--dsid n] [--mc-weights n] [--overwrite]
      Write a seeded PHYSLITE-shaped ROOT file (tree CollectionTree, the 30 lep-had/MET/EventInfo branches of PHYSLITE with
      their types) of any size, for scale tests and benchmarks (defaults: ZLIB level 1, DSID 700322, 10 MC weights).
  systematics --input <file.parquet|file.csv> --out <file.csv> [--tes x] [--jes x] [--soft-met x [--seed n]]
      FAIR-Universe detector systematics + post-selection on the 16 PRI columns; writes 16 PRI + 12 DER columns.
  pseudo-experiments --input <file.parquet|file.csv> --out <dir> --sets n --pes-per-set m --seed s [--expected-yield y] [--created-at iso] [--overwrite]
      Interval-task pseudo-experiments (μ per set, nuisances per PE, Poisson copies, systematics): writes
      pseudo_experiments.arrow/.csv (pe_id + 28 features), server-only truth_pe.arrow and manifest.json.

Progress goes to stderr; the last line on stdout is a JSON summary (inspect prints its listing instead). Exit codes: 0 done, 2 bad input, 1 internal error.`;

export type CliIo = { stdout: (line: string) => void; stderr: (line: string) => void };

/** `repeated` holds every value of a flag that may be given more than once (`--variation a=… --variation b=…`). */
type ParsedArgs = { flags: Map<string, string | true>; repeated: Map<string, string[]>; positionals: string[] };

const VALUE_FLAGS = new Set(['owner', 'inputs', 'sample', 'jobs', 'batch-entries', 'events', 'compression', 'dsid', 'mc-weights', 'out', 'seed', 'train', 'test', 'lumi', 'test-fraction', 'version', 'created-at', 'tree', 'branches', 'input', 'tes', 'jes', 'soft-met', 'metadata', 'variations', 'max-constituents', 'sets', 'pes-per-set', 'expected-yield', 'source', 'variation', 'record', 'file', 'base-url', 'train-shards', 'test-shards', 'particles', 'first-event', 'test-events', 'max-events', 'dataset']);
const REPEATABLE_FLAGS = new Set(['variation', 'sample']);
const BOOLEAN_FLAGS = new Set(['queue', 'overwrite', 'help', 'json', 'skip-unsupported', 'csv', 'baseline']);
const FLAGS_BY_COMMAND: Record<string, readonly string[]> = {
  toy: ['out', 'seed', 'train', 'test', 'lumi', 'version', 'created-at', 'overwrite'],
  'import-higgsml-2014': ['out', 'seed', 'test-fraction', 'version', 'created-at', 'overwrite'],
  fetch: ['record', 'file', 'base-url', 'train-shards', 'test-shards', 'version', 'created-at', 'overwrite'],
  'import-fair-universe': ['out', 'metadata', 'test-fraction', 'variations', 'version', 'created-at', 'overwrite'],
  'toy-top-tagging': ['out', 'seed', 'train', 'test', 'csv', 'version', 'created-at', 'overwrite'],
  'toy-signal-strength': ['out', 'seed', 'train', 'source', 'sets', 'pes-per-set', 'version', 'created-at', 'overwrite'],
  'import-top-tagging': ['out', 'train', 'test', 'max-constituents', 'variation', 'version', 'created-at', 'overwrite'],
  'toy-trackml': ['out', 'seed', 'train', 'test', 'particles', 'version', 'created-at', 'overwrite'],
  'trackml-toy-events': ['out', 'events', 'seed', 'first-event', 'particles'],
  'import-trackml': ['out', 'test-events', 'max-events', 'baseline', 'dataset', 'version', 'created-at', 'overwrite'],
  'trackml-baseline': ['input', 'out'],
  build: ['out', 'inputs', 'sample', 'version', 'created-at', 'overwrite', 'jobs', 'batch-entries', 'queue', 'owner'],
  'pseudo-experiments': ['input', 'out', 'sets', 'pes-per-set', 'seed', 'expected-yield', 'created-at', 'overwrite'],
  inspect: ['json'],
  convert: ['tree', 'branches', 'out', 'skip-unsupported', 'jobs', 'batch-entries'],
  systematics: ['input', 'out', 'tes', 'jes', 'soft-met', 'seed'],
  'generate-physlite': ['events', 'seed', 'out', 'compression', 'dsid', 'mc-weights', 'overwrite'],
};
const COMMAND_LIST = Object.keys(FLAGS_BY_COMMAND).join(', ');

function usageError(message: string): AppError {
  return new AppError('BAD_REQUEST', `${message} (see --help)`);
}

function parseArgs(args: string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  const repeated = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (BOOLEAN_FLAGS.has(name)) {
      flags.set(name, true);
    } else if (VALUE_FLAGS.has(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw usageError(`--${name} needs a value`);
      flags.set(name, value);
      if (REPEATABLE_FLAGS.has(name)) repeated.set(name, [...(repeated.get(name) ?? []), value]);
    } else {
      throw usageError(`unknown option --${name}`);
    }
  }
  // Flags every command reads the same way: a version names a folder, a creation time goes into the manifest.
  const version = flags.get('version');
  if (typeof version === 'string' && !DATASET_VERSION_PATTERN.test(version)) throw usageError(`--version must be a version label (${DATASET_VERSION_RULE}), got "${version}"`);
  const createdAt = flags.get('created-at');
  if (typeof createdAt === 'string' && !(ISO_DATE_TIME.test(createdAt) && Number.isFinite(Date.parse(createdAt)))) {
    throw usageError(`--created-at must be an ISO 8601 date and time such as 2026-01-01T00:00:00Z, got "${createdAt}"`);
  }
  return { flags, repeated, positionals };
}

/** 2026-01-01T00:00:00Z, with optional fractions of a second and a Z or ±hh:mm offset. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** `--variation ces_up=a.h5,b.h5` (repeatable) → variations of the top-tagging importer. */
function parseTopTaggingVariations(values: readonly string[]): TopTaggingVariationInput[] {
  return values.map((value) => {
    const at = value.indexOf('=');
    const name = at > 0 ? value.slice(0, at).trim() : '';
    const files = at > 0 ? value.slice(at + 1).split(',').map((f) => f.trim()).filter(Boolean) : [];
    if (!name || files.length === 0) throw usageError(`--variation needs <name>=<file.h5>[,<file.h5>…], got "${value}"`);
    return { name, files };
  });
}

function integerFlag(flags: ParsedArgs['flags'], name: string, minimum: number): number | undefined {
  const value = flags.get(name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < minimum) {
    throw usageError(`--${name} must be an integer ≥ ${minimum}, got "${String(value)}"`);
  }
  return n;
}

function numberFlag(flags: ParsedArgs['flags'], name: string, isValid: (n: number) => boolean, rule: string): number | undefined {
  const value = flags.get(name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n) || !isValid(n)) throw usageError(`--${name} must be ${rule}, got "${String(value)}"`);
  return n;
}

function stringFlag(flags: ParsedArgs['flags'], name: string): string | undefined {
  const value = flags.get(name);
  return typeof value === 'string' ? value : undefined;
}

/** `tes_up:tes=1.03;jes_down:jes=0.97` → variations; parameters tes, jes, soft-met, seed. */
function parseVariations(text: string | undefined): FairUniverseVariation[] {
  if (!text) return [];
  return text.split(';').map((part) => {
    const [name, parameters = ''] = part.split(':');
    const variation: FairUniverseVariation = { name: (name ?? '').trim() };
    for (const assignment of parameters.split(',').filter(Boolean)) {
      const [key, value] = assignment.split('=').map((s) => s.trim());
      const n = Number(value);
      if (!Number.isFinite(n)) throw usageError(`--variations: "${assignment}" in "${part}" needs a number`);
      if (key === 'tes') variation.tes = n;
      else if (key === 'jes') variation.jes = n;
      else if (key === 'soft-met') variation.softMet = n;
      else if (key === 'seed') variation.seed = n;
      else throw usageError(`--variations: unknown parameter "${key}" in "${part}"; use tes, jes, soft-met, seed`);
    }
    return variation;
  });
}

/**
 * The data-pipeline command line (`lib/pipeline/cli.ts` is its entry point). Returns the exit code: 0 on success,
 * 2 for bad arguments or bad input data (one line on stderr says why), 1 for unexpected failures.
 */
export async function runPipelineCli(argv: string[], io: CliIo, deps: { openBuildQueue?: () => Promise<RecipeBuildQueueClient> } = {}): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === '--help' || command === 'help') {
      io.stdout(PIPELINE_USAGE);
      return 0;
    }
    if (command === undefined) throw usageError(`missing command; expected one of ${COMMAND_LIST}`);
    const allowed = FLAGS_BY_COMMAND[command];
    if (!allowed) throw usageError(`unknown command "${command}"; expected one of ${COMMAND_LIST}`);
    const { flags, repeated, positionals } = parseArgs(rest);
    if (flags.has('help')) {
      io.stdout(PIPELINE_USAGE);
      return 0;
    }
    for (const name of flags.keys()) {
      if (!allowed.includes(name)) throw usageError(`option --${name} does not apply to ${command}`);
    }
    const onProgress = (message: string) => io.stderr(`[pipeline] ${message}`);
    if (command === 'inspect') {
      const [input, ...extra] = positionals;
      if (!input || extra.length > 0) throw usageError('inspect needs exactly one ROOT file or URL');
      const { formatRootFileInspection, inspectRootFile } = await import('./root/inspect-root-file');
      const inspection = await inspectRootFile(input);
      if (flags.get('json') === true) io.stdout(JSON.stringify(inspection));
      else for (const line of formatRootFileInspection(inspection)) io.stdout(line);
      return 0;
    }
    if (command === 'convert') {
      const [input, ...extra] = positionals;
      if (!input || extra.length > 0) throw usageError('convert needs exactly one ROOT file or URL');
      const tree = stringFlag(flags, 'tree');
      const branches = stringFlag(flags, 'branches');
      const outFile = stringFlag(flags, 'out');
      if (!tree || !outFile) throw usageError('convert needs --tree <dir/sub/tree> and --out <file.arrow> (and optionally --branches <names or globs>)');
      const result = await (await import('./root/convert-root-to-arrow')).convertRootToArrow({
        input,
        tree,
        branches,
        out: outFile,
        skipUnsupported: flags.get('skip-unsupported') === true,
        jobs: integerFlag(flags, 'jobs', 1),
        batchEntries: integerFlag(flags, 'batch-entries', 1),
        onProgress,
      });
      io.stdout(JSON.stringify(result));
      return 0;
    }
    if (command === 'fetch') {
      const [name, ...extra] = positionals;
      if (!name || extra.length > 0) throw usageError(`fetch needs exactly one release name: ${FETCH_NAMES.join(', ')}`);
      const host = name === 'physlite' ? 'cern-opendata' : KNOWN_RELEASES.find((r) => r.name === name)?.host;
      const baseUrl = stringFlag(flags, 'base-url');
      const { env } = await import('@/lib/env');
      const result = await (await import('./fetch/fetch-release')).fetchRelease({
        name,
        dataDir: env.DATA_DIR,
        hostUrls: { 'cern-opendata': env.FETCH_CERN_OPENDATA_URL, zenodo: env.FETCH_ZENODO_URL, ...(baseUrl && host ? { [host]: baseUrl } : {}) },
        record: stringFlag(flags, 'record'),
        file: stringFlag(flags, 'file'),
        trainShards: integerFlag(flags, 'train-shards', 1),
        testShards: integerFlag(flags, 'test-shards', 1),
        version: stringFlag(flags, 'version'),
        createdAt: stringFlag(flags, 'created-at'),
        overwrite: flags.get('overwrite') === true,
        onProgress: (message) => io.stderr(`[fetch] ${message}`),
      });
      io.stdout(JSON.stringify(result));
      return 0;
    }
    if (command === 'systematics') {
      const input = stringFlag(flags, 'input');
      const outFile = stringFlag(flags, 'out');
      if (!input || !outFile) throw usageError('systematics needs --input <file.parquet|file.csv> and --out <file.csv>');
      if (positionals.length > 0) throw usageError(`systematics takes no positional arguments, got ${positionals.join(' ')}`);
      const softMet = numberFlag(flags, 'soft-met', (n) => n >= 0, 'a number ≥ 0');
      if (flags.has('seed') && !softMet) throw usageError('--seed only applies with --soft-met > 0');
      const result = await (await import('./systematics/run-systematics-file')).runSystematicsFile({
        input,
        out: outFile,
        tes: numberFlag(flags, 'tes', (n) => n > 0, 'a positive number'),
        jes: numberFlag(flags, 'jes', (n) => n > 0, 'a positive number'),
        softMet,
        seed: integerFlag(flags, 'seed', 0),
        onProgress,
      });
      io.stdout(JSON.stringify(result));
      return 0;
    }
    if (command === 'generate-physlite') {
      const outFile = stringFlag(flags, 'out');
      const events = integerFlag(flags, 'events', 0);
      const seed = integerFlag(flags, 'seed', 0);
      if (!outFile || events === undefined || seed === undefined) throw usageError('generate-physlite needs --events n, --seed s and --out <file.root>');
      if (positionals.length > 0) throw usageError(`generate-physlite takes no positional arguments, got ${positionals.join(' ')}`);
      if (fs.existsSync(outFile) && flags.get('overwrite') !== true) throw new AppError('CONFLICT', `${outFile} already exists; choose another --out or pass --overwrite.`, { file: outFile });
      const compressionText = stringFlag(flags, 'compression');
      const { parseRootCompression } = await import('./root/write/compress-root-payload');
      const summary = await (await import('./root/write/write-physlite-shaped-file')).writePhysliteShapedFile({
        out: outFile,
        events,
        seed,
        compression: compressionText === undefined ? undefined : parseRootCompression(compressionText),
        dsid: integerFlag(flags, 'dsid', 0),
        mcEventWeightCount: integerFlag(flags, 'mc-weights', 1),
        onProgress,
      });
      io.stdout(JSON.stringify(summary));
      return 0;
    }
    if (command === 'pseudo-experiments') {
      const input = stringFlag(flags, 'input');
      const outDir = stringFlag(flags, 'out');
      if (!input || !outDir) throw usageError('pseudo-experiments needs --input <file.parquet|file.csv> and --out <dir>');
      if (positionals.length > 0) throw usageError(`pseudo-experiments takes no positional arguments, got ${positionals.join(' ')}`);
      const sets = integerFlag(flags, 'sets', 1);
      const experimentsPerSet = integerFlag(flags, 'pes-per-set', 1);
      const seed = integerFlag(flags, 'seed', 0);
      if (sets === undefined || experimentsPerSet === undefined || seed === undefined) throw usageError('pseudo-experiments needs --sets n, --pes-per-set m and --seed s');
      const summary = await (await import('./systematics/run-pseudo-experiments-file')).runPseudoExperimentsFile({
        input,
        outDir: path.resolve(outDir),
        sets,
        experimentsPerSet,
        seed,
        expectedYield: numberFlag(flags, 'expected-yield', (n) => n > 0, 'a positive number'),
        createdAt: stringFlag(flags, 'created-at'),
        overwrite: flags.get('overwrite') === true,
        onProgress,
      });
      io.stdout(JSON.stringify(summary));
      return 0;
    }
    if (command === 'trackml-toy-events') {
      const outDir = stringFlag(flags, 'out');
      const events = integerFlag(flags, 'events', 1);
      if (!outDir || events === undefined) throw usageError('trackml-toy-events needs --out <dir> and --events n');
      if (positionals.length > 0) throw usageError(`trackml-toy-events takes no positional arguments, got ${positionals.join(' ')}`);
      const result = await (await import('./toy/trackml-toy')).writeTrackmlToyEvents({
        outDir: path.resolve(outDir),
        events,
        seed: integerFlag(flags, 'seed', 0) ?? 42,
        firstEventId: integerFlag(flags, 'first-event', 0),
        meanParticles: integerFlag(flags, 'particles', 1),
        onProgress,
      });
      io.stdout(JSON.stringify({ outDir: path.resolve(outDir), ...result }));
      return 0;
    }
    if (command === 'trackml-baseline') {
      const input = stringFlag(flags, 'input');
      const outFile = stringFlag(flags, 'out');
      if (!input || !outFile) throw usageError('trackml-baseline needs --input <hits file> and --out <submission.csv>');
      if (positionals.length > 0) throw usageError(`trackml-baseline takes no positional arguments, got ${positionals.join(' ')}`);
      io.stdout(JSON.stringify(await (await import('./tracking/run-hough-baseline-file')).runHoughBaselineFile({ input, out: outFile, onProgress })));
      return 0;
    }
    if (command === 'build') {
      const [recipe, ...extra] = positionals;
      if (!recipe || extra.length > 0) throw usageError('build needs exactly one recipe file (.ts or .json) or built-in recipe name');
      const { runBuildCommand } = await import('./recipes/run-build-command');
      const summary = await runBuildCommand({
        recipe,
        out: stringFlag(flags, 'out'),
        inputs: stringFlag(flags, 'inputs'),
        samples: repeated.get('sample') ?? [],
        version: stringFlag(flags, 'version'),
        createdAt: stringFlag(flags, 'created-at'),
        overwrite: flags.get('overwrite') === true,
        jobs: integerFlag(flags, 'jobs', 1),
        batchEntries: integerFlag(flags, 'batch-entries', 1),
        queue: flags.get('queue') === true,
        owner: stringFlag(flags, 'owner'),
        openQueue: deps.openBuildQueue,
        onProgress,
      });
      io.stdout(JSON.stringify(summary));
      return 0;
    }
    const out = stringFlag(flags, 'out');
    if (!out) throw usageError(`${command} needs --out <dir>`);
    const outDir = path.resolve(out);
    const common = {
      outDir,
      overwrite: flags.get('overwrite') === true,
      version: stringFlag(flags, 'version'),
      createdAt: stringFlag(flags, 'created-at'),
      onProgress,
    };
    let manifest: DatasetManifest;
    if (command === 'toy') {
      if (positionals.length > 0) throw usageError(`toy takes no file arguments, got ${positionals.join(' ')}`);
      manifest = await (await import('./toy/higgs-tautau-toy')).buildHiggsTautauToyDataset({
        ...common,
        seed: integerFlag(flags, 'seed', 0),
        trainEvents: integerFlag(flags, 'train', 3),
        testEvents: integerFlag(flags, 'test', 3),
        luminosityFb: numberFlag(flags, 'lumi', (n) => n > 0, 'a positive number'),
      });
    } else if (command === 'toy-top-tagging') {
      if (positionals.length > 0) throw usageError(`toy-top-tagging takes no file arguments, got ${positionals.join(' ')}`);
      manifest = await (await import('./toy/top-tagging-toy')).buildTopTaggingToyDataset({
        ...common,
        seed: integerFlag(flags, 'seed', 0),
        trainJets: integerFlag(flags, 'train', 2),
        testJets: integerFlag(flags, 'test', 2),
        writeCsv: flags.get('csv') === true,
      });
    } else if (command === 'toy-signal-strength') {
      if (positionals.length > 0) throw usageError(`toy-signal-strength takes no file arguments, got ${positionals.join(' ')}`);
      manifest = await (await import('./toy/higgs-signal-strength-toy')).buildHiggsSignalStrengthToyDataset({
        ...common,
        seed: integerFlag(flags, 'seed', 0),
        trainEvents: integerFlag(flags, 'train', 3),
        sourceEvents: integerFlag(flags, 'source', 3),
        sets: integerFlag(flags, 'sets', 1),
        experimentsPerSet: integerFlag(flags, 'pes-per-set', 1),
      });
    } else if (command === 'toy-trackml') {
      if (positionals.length > 0) throw usageError(`toy-trackml takes no file arguments, got ${positionals.join(' ')}`);
      manifest = await (await import('./toy/trackml-toy')).buildTrackmlToyDataset({
        ...common,
        seed: integerFlag(flags, 'seed', 0),
        trainEvents: integerFlag(flags, 'train', 1),
        testEvents: integerFlag(flags, 'test', 1),
        meanParticles: integerFlag(flags, 'particles', 1),
      });
    } else if (command === 'import-trackml') {
      if (positionals.length === 0) throw usageError('import-trackml needs at least one folder of TrackML event files');
      manifest = await (await import('./importers/trackml-events')).importTrackmlEvents({
        ...common,
        inputs: positionals,
        testEvents: integerFlag(flags, 'test-events', 1),
        maxEvents: integerFlag(flags, 'max-events', 2),
        baseline: flags.get('baseline') === true,
        dataset: stringFlag(flags, 'dataset'),
      });
    } else if (command === 'import-fair-universe') {
      const [input, ...extra] = positionals;
      if (!input || extra.length > 0) throw usageError('import-fair-universe needs exactly one Parquet or CSV file');
      manifest = await (await import('./importers/fair-universe-parquet')).importFairUniverseParquet({
        ...common,
        input,
        metadataFile: stringFlag(flags, 'metadata'),
        testFraction: numberFlag(flags, 'test-fraction', (n) => n > 0 && n < 1, 'strictly between 0 and 1'),
        variations: parseVariations(stringFlag(flags, 'variations')),
      });
    } else if (command === 'import-top-tagging') {
      const list = (name: string) => (stringFlag(flags, name) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      if (list('train').length === 0 || list('test').length === 0) throw usageError('import-top-tagging needs --train <files> and --test <files>');
      manifest = await (await import('./importers/atlas-top-tagging-hdf5')).importTopTaggingHdf5({
        ...common,
        train: list('train'),
        test: list('test'),
        maxConstituents: integerFlag(flags, 'max-constituents', 1),
        variations: parseTopTaggingVariations(repeated.get('variation') ?? []),
      });
    } else {
      if (positionals.length === 0) throw usageError('import-higgsml-2014 needs at least one CSV file');
      manifest = await (await import('./importers/higgsml-2014-csv')).importHiggsml2014Csv({
        ...common,
        inputs: positionals,
        seed: integerFlag(flags, 'seed', 0),
        testFraction: numberFlag(flags, 'test-fraction', (n) => n > 0 && n < 1, 'strictly between 0 and 1'),
      });
    }
    io.stdout(
      JSON.stringify({
        dataset: manifest.dataset,
        version: manifest.version,
        outDir: common.outDir,
        rows: Object.fromEntries(manifest.files.map((f) => [f.name, f.rows])),
      }),
    );
    return 0;
  } catch (error) {
    if (isAppError(error)) {
      io.stderr(`error: ${error.message.replace(/\s*\n\s*/g, ' ')}`);
      return 2;
    }
    io.stderr(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
