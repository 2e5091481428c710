import { UsageError } from './usage-error';

export const defaultArenaUrl = 'http://127.0.0.1:3000';

export type ArenaCommand =
  | { name: 'help' }
  | { name: 'challenges' }
  | {
      name: 'submit';
      challenge: string;
      file: string;
      fileName: string | null;
      description: string | null;
      phase: string | null;
      wait: boolean;
      timeoutSeconds: number;
      kind?: 'model';
    }
  | { name: 'status'; id: string }
  | { name: 'download'; challenge: string; file: string; out: string | null }
  | { name: 'leaderboard'; challenge: string; phase: string | null; split: 'public' | 'private' };

export type ArenaInvocation = { command: ArenaCommand; url: string; token: string | null; json: boolean };

type Spec = { values: string[]; flags: string[]; positional: number; needsToken: boolean };

const globalValues = ['url', 'token'];
const globalFlags = ['json', 'help'];

const specs: Record<Exclude<ArenaCommand['name'], 'help'>, Spec> = {
  challenges: { values: [], flags: [], positional: 0, needsToken: false },
  submit: { values: ['challenge', 'file', 'model', 'name', 'description', 'phase', 'timeout'], flags: ['wait'], positional: 0, needsToken: true },
  status: { values: ['id'], flags: [], positional: 1, needsToken: true },
  download: { values: ['challenge', 'file', 'out'], flags: [], positional: 0, needsToken: true },
  leaderboard: { values: ['challenge', 'phase', 'split'], flags: [], positional: 0, needsToken: false },
};

const isCommandName = (name: string): name is keyof typeof specs => Object.hasOwn(specs, name);

/**
 * Parses `arena <command> [options]`. Options take `--name value` or `--name=value` and may come before or after
 * the command; ARENA_URL and ARENA_TOKEN fill in --url and --token. Throws UsageError naming what is wrong.
 */
export function parseArenaArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ArenaInvocation {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h') {
      flags.add('help');
      continue;
    }
    if (arg === '--') continue;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (eq !== -1) {
      values.set(name, arg.slice(eq + 1));
    } else if (isFlag(name, positional[0])) {
      flags.add(name);
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`--${name} needs a value.`);
      values.set(name, next);
      i++;
    }
  }

  const url = normaliseUrl(values.get('url') ?? env.ARENA_URL ?? defaultArenaUrl);
  const token = (values.get('token') ?? env.ARENA_TOKEN ?? '').trim() || null;
  const json = flags.has('json');
  const [commandName, ...rest] = positional;
  if (flags.has('help') || commandName === undefined || commandName === 'help') return { command: { name: 'help' }, url, token, json };
  if (!isCommandName(commandName)) throw new UsageError(`Unknown command "${commandName}"; the commands are ${Object.keys(specs).join(', ')}.`);

  const spec = specs[commandName];
  for (const name of values.keys()) {
    if (!spec.values.includes(name) && !globalValues.includes(name)) throw new UsageError(`${commandName} takes no option --${name}.`);
  }
  for (const name of flags) {
    if (!spec.flags.includes(name) && !globalFlags.includes(name)) throw new UsageError(`${commandName} takes no option --${name}.`);
  }
  if (rest.length > spec.positional) throw new UsageError(`Unexpected argument "${rest[spec.positional]}" after ${commandName}.`);
  if (spec.needsToken && !token) {
    throw new UsageError(`${commandName} needs an API token: set ARENA_TOKEN or pass --token (create one at ${url}/settings/tokens).`);
  }
  const required = (name: string) => {
    const value = values.get(name)?.trim();
    if (!value) throw new UsageError(`${commandName} needs --${name} <${name === 'challenge' ? 'slug' : name}>.`);
    return value;
  };
  const optional = (name: string) => values.get(name)?.trim() || null;

  let command: ArenaCommand;
  switch (commandName) {
    case 'challenges':
      command = { name: 'challenges' };
      break;
    case 'submit': {
      const timeout = values.get('timeout');
      const timeoutSeconds = timeout === undefined ? 600 : Number(timeout);
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout must be a number of seconds > 0, not "${timeout}".`);
      if (timeout !== undefined && !flags.has('wait')) throw new UsageError('--timeout only applies with --wait.');
      // --model <path> uploads a model (ONNX, or a TF.js zip) instead of a predictions file (--file).
      const model = optional('model');
      if (model !== null && values.has('file')) throw new UsageError('give either --file (a predictions file) or --model (a model), not both.');
      command = {
        name: 'submit',
        challenge: required('challenge'),
        file: model ?? required('file'),
        fileName: optional('name'),
        description: optional('description'),
        phase: optional('phase'),
        wait: flags.has('wait'),
        timeoutSeconds,
        ...(model !== null ? { kind: 'model' as const } : {}),
      };
      break;
    }
    case 'status': {
      const id = rest[0] ?? values.get('id');
      if (!id) throw new UsageError('status needs a submission id: arena status <submission-id>.');
      command = { name: 'status', id };
      break;
    }
    case 'download':
      command = { name: 'download', challenge: required('challenge'), file: required('file'), out: optional('out') };
      break;
    case 'leaderboard': {
      const split = optional('split') ?? 'public';
      if (split !== 'public' && split !== 'private') throw new UsageError(`--split must be "public" or "private", not "${split}".`);
      command = { name: 'leaderboard', challenge: required('challenge'), phase: optional('phase'), split };
      break;
    }
  }
  return { command, url, token, json };
}

/** Boolean options never take a value; `--out -` and friends do. */
function isFlag(name: string, commandName: string | undefined): boolean {
  if (globalFlags.includes(name)) return true;
  const spec = commandName && isCommandName(commandName) ? specs[commandName] : undefined;
  return spec ? spec.flags.includes(name) : name === 'wait';
}

function normaliseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url / ARENA_URL must be an http(s) URL such as ${defaultArenaUrl}, not "${raw}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url / ARENA_URL must start with http:// or https://, not "${raw}".`);
  return url.toString().replace(/\/+$/, '');
}
