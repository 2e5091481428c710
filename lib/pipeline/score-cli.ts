/**
 * Offline scorer: scores a predictions file against a truth file exactly as the server does.
 *
 *   npm run --silent score -- --task binary --truth truth.csv --predictions predictions.csv
 *       [--threshold 0.5] [--background-uncertainty 0.1] [--bootstrap 200 [--seed 1] [--workers N]]
 *   npm run --silent score -- --task interval --truth truth.csv --predictions predictions.csv
 *       [--bootstrap 1000] [--seed 42]
 *   npm run --silent score -- --task tracking --truth truth.csv --predictions submission.csv [--bootstrap 200 [--seed 1]]
 *
 * Files are CSV, or Arrow IPC (`.arrow`, `.feather`, `.ipc`) or Parquet (`.parquet`) by extension.
 *
 * binary: truth `id,label,weight`, predictions `id,score[,class]`. stdout: one JSON object
 *   `{"task":"binary","n":…,"metrics":{<every binary metric id>: number | null}}`, plus `"unbounded":[ids]`
 *   when a value is +Infinity (printed as null: a background rejection with ε_B = 0, an Asimov significance
 *   with no selected background), plus with `--bootstrap B`
 *   `"intervals":{<id>:[p16, p84]}`: the 16th/84th percentiles of B bootstrap replicas whose resampling depends
 *   only on (--seed, default 1; split key "all"; replica number), computed on worker threads for large inputs
 *   (an infinite percentile is printed as null).
 *   --threshold: selection of accuracy, ams and significance_asimov when there is no class column (default 0.5);
 *   --background-uncertainty: r of significance_asimov (default 0).
 * interval: truth `pe_id,mu_true[,set_id]`, predictions `pe_id,mu_hat,delta_mu_hat,p16,p84`. stdout:
 *   `{"task":"interval","n":…,"metrics":{"quantile_score","coverage","interval_width","rmse","mae"}}` pooled over
 *   all pseudo-experiments; with a set_id column also `"sets":k` and `"setBootstrap":{resamples, seed,
 *   quantile_score|coverage|interval_width: {mean, std, p16, p84}}`, FAIR-Universe's final-phase bootstrap over
 *   sets (--bootstrap resamples, default 1000, 0 = none; --seed base seed, default 42).
 * tracking: truth `event_id,hit_id,particle_id,weight` (particle_id 0 = noise; 64-bit ids read exactly), predictions
 *   `event_id,hit_id,track_id` (one row per hit of the truth). stdout:
 *   `{"task":"tracking","n":<hits>,"events":<k>,"metrics":{"trackml_score":…}}`, the mean over events of the TrackML
 *   event score (trackml-library `score_event`); with `--bootstrap B` also `"intervals":{"trackml_score":[p16, p84]}`
 *   from B resamplings of the events (seed --seed, default 1).
 *
 * Invalid input (unknown option, unreadable or malformed file, unscorable truth): exit code 2 and one line on
 * stderr naming the problem (file, line or row, column). Any other failure: exit code 1.
 */
import { isAppError } from '@/lib/shared/app-error';
import { scoreBinaryFiles } from './scoring/score-binary-files';
import { scoreIntervalFiles } from './scoring/score-interval-files';
import { scoreTrackingFiles } from './scoring/score-tracking-files';

const SUPPORTED_TASKS = ['binary', 'interval', 'tracking'] as const;
const USAGE =
  'usage: score --task binary|interval|tracking --truth <file> --predictions <file> [--threshold 0.5] [--background-uncertainty 0.1] [--bootstrap N] [--seed S] [--workers W]';
const OPTION_NAMES = ['task', 'truth', 'predictions', 'threshold', 'background-uncertainty', 'bootstrap', 'seed', 'workers'] as const;
type OptionName = (typeof OPTION_NAMES)[number];

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Partial<Record<OptionName, string>> | 'help' {
  const values: Partial<Record<OptionName, string>> = {};
  const pattern = new RegExp(`^--(${OPTION_NAMES.join('|')})(?:=(.*))?$`);
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    const match = pattern.exec(arg);
    if (!match) {
      throw new UsageError(
        arg.startsWith('-') ? `unknown option "${arg}"; ${USAGE}` : `unexpected argument "${arg}"; ${USAGE}`,
      );
    }
    const name = match[1] as OptionName;
    let value = match[2];
    if (value === undefined) {
      value = argv[k + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`option --${name} needs a value; ${USAGE}`);
      k++;
    }
    if (values[name] !== undefined) throw new UsageError(`option --${name} is given twice; ${USAGE}`);
    values[name] = value;
  }
  const missing = (['task', 'truth', 'predictions'] as const).filter((name) => values[name] === undefined);
  if (missing.length > 0) {
    throw new UsageError(`missing ${missing.map((name) => `--${name}`).join(', ')}; ${USAGE}`);
  }
  return values;
}

function numberOption(values: Partial<Record<OptionName, string>>, name: OptionName, rule: 'finite' | 'non-negative' | 'count' | 'integer'): number | undefined {
  const text = values[name];
  if (text === undefined) return undefined;
  const value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : Number.NaN;
  const valid =
    rule === 'finite'
      ? Number.isFinite(value)
      : rule === 'non-negative'
        ? Number.isFinite(value) && value >= 0
        : rule === 'count'
          ? Number.isSafeInteger(value) && value >= 0
          : Number.isSafeInteger(value);
  if (!valid) {
    const expected = { finite: 'a finite number', 'non-negative': 'a number ≥ 0', count: 'an integer ≥ 0', integer: 'an integer' }[rule];
    throw new UsageError(`option --${name} expects ${expected}; found "${text}"`);
  }
  return value;
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    const values = parseArgs(argv);
    if (values === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const task = values.task as string;
    if (!(SUPPORTED_TASKS as readonly string[]).includes(task)) {
      throw new UsageError(`unknown task "${task}"; supported tasks: ${SUPPORTED_TASKS.join(', ')}`);
    }
    const truthPath = values.truth as string;
    const predictionsPath = values.predictions as string;
    const replicas = numberOption(values, 'bootstrap', 'count');
    const workers = numberOption(values, 'workers', 'count');
    let report: unknown;
    if (task === 'binary') {
      const seed = numberOption(values, 'seed', 'integer') ?? 1;
      const threshold = numberOption(values, 'threshold', 'finite');
      const backgroundRelativeUncertainty = numberOption(values, 'background-uncertainty', 'non-negative');
      report = await scoreBinaryFiles({
        truthPath,
        predictionsPath,
        ...(threshold === undefined ? {} : { threshold }),
        ...(backgroundRelativeUncertainty === undefined ? {} : { backgroundRelativeUncertainty }),
        ...(replicas === undefined ? {} : { bootstrap: { replicas, seed, ...(workers === undefined ? {} : { workers }) } }),
      });
    } else if (task === 'tracking') {
      for (const name of ['threshold', 'background-uncertainty', 'workers'] as const) {
        if (values[name] !== undefined) throw new UsageError(`option --${name} applies to --task binary only`);
      }
      const seed = numberOption(values, 'seed', 'integer') ?? 1;
      report = await scoreTrackingFiles({ truthPath, predictionsPath, ...(replicas === undefined ? {} : { bootstrap: { replicas, seed } }) });
    } else {
      for (const name of ['threshold', 'background-uncertainty', 'workers'] as const) {
        if (values[name] !== undefined) throw new UsageError(`option --${name} applies to --task binary only`);
      }
      const seed = numberOption(values, 'seed', 'count');
      report = await scoreIntervalFiles({
        truthPath,
        predictionsPath,
        setBootstrap: { ...(replicas === undefined ? {} : { resamples: replicas }), ...(seed === undefined ? {} : { seed }) },
      });
    }
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || isAppError(error)) {
      process.stderr.write(`score: ${oneLine(error.message)}\n`);
      return 2;
    }
    process.stderr.write(`score: internal error: ${oneLine(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
    return 1;
  }
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' | ');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`score: internal error: ${oneLine(String(error))}\n`);
    process.exitCode = 1;
  },
);
