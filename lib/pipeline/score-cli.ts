/**
 * Offline scorer: scores a predictions file against a truth file exactly as the server does.
 *
 *   npm run --silent score -- --task binary --truth truth.csv --predictions predictions.csv
 *
 * stdout: one JSON object, `{"task":"binary","n":<rows>,"metrics":{"auc":<number>,"ams_best":<number>}}`.
 * Invalid input (unknown option, unreadable or malformed file, unscorable truth): exit code 2 and one line on
 * stderr naming the problem (file, line, column). Any other failure: exit code 1.
 */
import { isAppError } from '@/lib/shared/app-error';
import { scoreBinaryFiles } from './scoring/score-binary-files';

const SUPPORTED_TASKS = ['binary'] as const;
const USAGE = 'usage: score --task binary --truth <truth.csv> --predictions <predictions.csv>';

type ScoreCliOptions = { task: string; truth: string; predictions: string };

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): ScoreCliOptions | 'help' {
  const values: Partial<Record<keyof ScoreCliOptions, string>> = {};
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    const match = /^--(task|truth|predictions)(?:=(.*))?$/.exec(arg);
    if (!match) {
      throw new UsageError(
        arg.startsWith('-') ? `unknown option "${arg}"; ${USAGE}` : `unexpected argument "${arg}"; ${USAGE}`,
      );
    }
    const name = match[1] as keyof ScoreCliOptions;
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
  return values as ScoreCliOptions;
}

function main(argv: readonly string[]): number {
  try {
    const options = parseArgs(argv);
    if (options === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (!(SUPPORTED_TASKS as readonly string[]).includes(options.task)) {
      throw new UsageError(`unknown task "${options.task}"; supported tasks: ${SUPPORTED_TASKS.join(', ')}`);
    }
    const report = scoreBinaryFiles({ truthPath: options.truth, predictionsPath: options.predictions });
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

process.exitCode = main(process.argv.slice(2));
