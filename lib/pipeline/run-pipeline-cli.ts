import path from 'node:path';
import { AppError, isAppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { importHiggsml2014Csv } from './importers/higgsml-2014-csv';
import { buildHiggsTautauToyDataset } from './toy/higgs-tautau-toy';

export const PIPELINE_USAGE = `Usage: npm run --silent pipeline -- <command> [options]

Commands:
  toy --out <dir> [--seed n] [--train n] [--test n] [--lumi fb] [--version v] [--created-at iso] [--overwrite]
      Generate the higgs-tautau-toy dataset (defaults: seed 42, 100000 train, 50000 test, 10 fb^-1).
  import-higgsml-2014 --out <dir> <file.csv>... [--test-fraction f] [--seed n] [--version v] [--created-at iso] [--overwrite]
      Import HiggsML 2014 open-data CSV files (KaggleSet b/v → public/private test; otherwise a seeded hold-out).

Progress goes to stderr; the last line on stdout is a JSON summary. Exit codes: 0 done, 2 bad input, 1 internal error.`;

export type CliIo = { stdout: (line: string) => void; stderr: (line: string) => void };

type ParsedArgs = { flags: Map<string, string | true>; positionals: string[] };

const VALUE_FLAGS = new Set(['out', 'seed', 'train', 'test', 'lumi', 'test-fraction', 'version', 'created-at']);
const BOOLEAN_FLAGS = new Set(['overwrite', 'help']);
const FLAGS_BY_COMMAND: Record<string, readonly string[]> = {
  toy: ['out', 'seed', 'train', 'test', 'lumi', 'version', 'created-at', 'overwrite'],
  'import-higgsml-2014': ['out', 'seed', 'test-fraction', 'version', 'created-at', 'overwrite'],
};

function usageError(message: string): AppError {
  return new AppError('BAD_REQUEST', `${message} (see --help)`);
}

function parseArgs(args: string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
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
    } else {
      throw usageError(`unknown option --${name}`);
    }
  }
  return { flags, positionals };
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

/**
 * The data-pipeline command line (`lib/pipeline/cli.ts` is its entry point). Returns the exit code: 0 on success,
 * 2 for bad arguments or bad input data (one line on stderr says why), 1 for unexpected failures.
 */
export async function runPipelineCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === '--help' || command === 'help') {
      io.stdout(PIPELINE_USAGE);
      return 0;
    }
    if (command === undefined) throw usageError('missing command; expected toy or import-higgsml-2014');
    const allowed = FLAGS_BY_COMMAND[command];
    if (!allowed) throw usageError(`unknown command "${command}"; expected toy or import-higgsml-2014`);
    const { flags, positionals } = parseArgs(rest);
    if (flags.has('help')) {
      io.stdout(PIPELINE_USAGE);
      return 0;
    }
    for (const name of flags.keys()) {
      if (!allowed.includes(name)) throw usageError(`option --${name} does not apply to ${command}`);
    }
    const out = stringFlag(flags, 'out');
    if (!out) throw usageError(`${command} needs --out <dir>`);
    const outDir = path.resolve(out);
    const onProgress = (message: string) => io.stderr(`[pipeline] ${message}`);
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
      manifest = await buildHiggsTautauToyDataset({
        ...common,
        seed: integerFlag(flags, 'seed', 0),
        trainEvents: integerFlag(flags, 'train', 3),
        testEvents: integerFlag(flags, 'test', 3),
        luminosityFb: numberFlag(flags, 'lumi', (n) => n > 0, 'a positive number'),
      });
    } else {
      if (positionals.length === 0) throw usageError('import-higgsml-2014 needs at least one CSV file');
      manifest = await importHiggsml2014Csv({
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
