import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { ChallengeListItemDto } from '@/lib/shared/dto/challenge-view-dto';
import type { LeaderboardDto } from '@/lib/shared/dto/leaderboard-dto';
import type { SubmissionDetailDto } from '@/lib/shared/dto/submission-detail-dto';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';
import { ArenaHttpError } from './arena-http-error';
import { arenaUsage } from './arena-usage';
import { createArenaClient, type ArenaClient, type FetchLike } from './create-arena-client';
import { formatChallenges } from './format-challenges';
import { formatLeaderboard } from './format-leaderboard';
import { formatSubmission } from './format-submission';
import { parseArenaArgs, type ArenaCommand } from './parse-arena-args';
import { UsageError } from './usage-error';

export type ArenaIo = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard output as a byte stream, for `download --out -`. */
  stdoutStream?: NodeJS.WritableStream;
  fetch?: FetchLike;
  sleep?: (ms: number) => Promise<void>;
  /**
   * The caller's working directory, against which --file and --out are resolved. `npm run` starts the CLI in the
   * project folder, so arena.ts passes npm's INIT_CWD (where the command was typed) when there is one.
   */
  cwd?: string;
};

export const exitCodes = { ok: 0, failed: 1, error: 2 } as const;

const finished = new Set(['scored', 'failed']);
/** A URL path with every interpolated part percent-encoded (slugs, file names and ids come from the user). */
const apiPath = (template: TemplateStringsArray, ...parts: string[]) => template.reduce((out, s, i) => out + s + (i < parts.length ? encodeURIComponent(parts[i] ?? '') : ''), '');

/** Runs one `arena` command line and returns its exit code (0 ok/scored, 1 failed, 2 usage/HTTP/network error). */
export async function runArena(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: ArenaIo): Promise<number> {
  try {
    const { command, url, token, json } = parseArenaArgs(argv, env);
    if (command.name === 'help') {
      io.stdout(arenaUsage);
      return exitCodes.ok;
    }
    const client = createArenaClient({ url, token, fetch: io.fetch });
    return await runCommand(command, client, { json, io, sleep: io.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))) });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`arena: ${error.message}\nRun "npm run arena -- --help" for the commands and options.\n`);
      return exitCodes.error;
    }
    if (error instanceof ArenaHttpError) {
      io.stderr(`arena: ${error.message}\n`);
      return exitCodes.error;
    }
    io.stderr(`arena: ${error instanceof Error ? error.message : String(error)}\n`);
    return exitCodes.error;
  }
}

type Run = { json: boolean; io: ArenaIo; sleep: (ms: number) => Promise<void> };

async function runCommand(command: Exclude<ArenaCommand, { name: 'help' }>, client: ArenaClient, run: Run): Promise<number> {
  const { io, json } = run;
  const print = (value: unknown, text: () => string) => io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
  switch (command.name) {
    case 'challenges': {
      const challenges = await client.getJson<ChallengeListItemDto[]>('/api/v1/challenges');
      print(challenges, () => formatChallenges(challenges));
      return exitCodes.ok;
    }
    case 'leaderboard': {
      const query = new URLSearchParams({ split: command.split, ...(command.phase ? { phase: command.phase } : {}) });
      const board = await client.getJson<LeaderboardDto>(`${apiPath`/api/v1/challenges/${command.challenge}/leaderboard`}?${query}`);
      print(board, () => formatLeaderboard(board));
      return exitCodes.ok;
    }
    case 'status': {
      const detail = await client.getJson<SubmissionDetailDto>(apiPath`/api/v1/submissions/${command.id}`);
      print(detail, () => formatSubmission(detail));
      return detail.status === 'failed' ? exitCodes.failed : exitCodes.ok;
    }
    case 'download':
      return download(command, client, run);
    case 'submit':
      return submit(command, client, run);
  }
}

async function submit(command: Extract<ArenaCommand, { name: 'submit' }>, client: ArenaClient, run: Run): Promise<number> {
  const { io, json } = run;
  const file = path.resolve(io.cwd ?? process.cwd(), command.file);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new UsageError(`--${command.kind === 'model' ? 'model' : 'file'} ${command.file}: no such file (looked for ${file}).`);
  const fileName = command.fileName ?? path.basename(file);
  const query = new URLSearchParams({
    fileName,
    ...(command.description ? { description: command.description } : {}),
    ...(command.phase ? { phase: command.phase } : {}),
    ...(command.kind ? { kind: command.kind } : {}),
  });
  io.stderr(`Uploading ${fileName} (${formatBytes(stat.size)}) to ${command.challenge} …\n`);
  const body = Readable.toWeb(fs.createReadStream(file)) as ReadableStream<Uint8Array>;
  const created = await client.postStream<SubmissionDto>(`${apiPath`/api/v1/challenges/${command.challenge}/submissions`}?${query}`, body);
  io.stderr(
    created.model
      ? `Accepted model ${created.id} (${created.model.format}, checked by ${created.model.runtime}); status ${created.status}.\n`
      : `Accepted as submission ${created.id} (${created.rows.toLocaleString('en')} rows); status ${created.status}.\n`,
  );
  if (!command.wait || finished.has(created.status)) {
    io.stdout(json ? `${JSON.stringify(created, null, 2)}\n` : `${created.id}\n`);
    return created.status === 'failed' ? exitCodes.failed : exitCodes.ok;
  }

  const deadline = Date.now() + command.timeoutSeconds * 1000;
  let status: string = created.status;
  for (let attempt = 0; ; attempt++) {
    await run.sleep(Math.min(5000, 500 * 2 ** Math.min(attempt, 3)));
    const detail = await client.getJson<SubmissionDetailDto>(apiPath`/api/v1/submissions/${created.id}`);
    if (detail.status !== status) {
      status = detail.status;
      io.stderr(`status: ${status}\n`);
    }
    if (finished.has(detail.status)) {
      io.stdout(json ? `${JSON.stringify(detail, null, 2)}\n` : `${formatSubmission(detail)}\n`);
      return detail.status === 'scored' ? exitCodes.ok : exitCodes.failed;
    }
    if (Date.now() >= deadline) {
      io.stderr(`arena: gave up waiting after ${command.timeoutSeconds} s; submission ${created.id} is still ${status}. Check later with: npm run arena -- status ${created.id}\n`);
      return exitCodes.error;
    }
  }
}

async function download(command: Extract<ArenaCommand, { name: 'download' }>, client: ArenaClient, run: Run): Promise<number> {
  const response = await client.getFile(apiPath`/api/v1/challenges/${command.challenge}/files/${command.file}`);
  if (!response.body) throw new ArenaHttpError('The server sent no file body.', response.status, null);
  const expected = response.headers.get('x-content-sha256');
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  const hashing = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const toStdout = command.out === '-';
  const target = toStdout ? null : path.resolve(run.io.cwd ?? process.cwd(), command.out ?? path.basename(command.file));
  // Written next to the target and renamed at the end, so an interrupted download never looks complete.
  const partial = target ? `${target}.part` : null;
  const sink = toStdout ? (run.io.stdoutStream ?? process.stdout) : fs.createWriteStream(partial ?? '');
  try {
    await response.body.pipeThrough(hashing).pipeTo(Writable.toWeb(sink as Writable) as WritableStream<Uint8Array>, { preventClose: toStdout });
  } catch (error) {
    if (partial) fs.rmSync(partial, { force: true });
    throw new ArenaHttpError(`The download of ${command.file} broke off after ${formatBytes(bytes)}: ${error instanceof Error ? error.message : String(error)}`, null, null, { cause: error });
  }
  const sha256 = hash.digest('hex');
  if (expected && expected !== sha256) {
    if (partial) fs.rmSync(partial, { force: true });
    throw new ArenaHttpError(`${command.file} arrived damaged: sha256 ${sha256}, expected ${expected}. Please download it again.`, null, null);
  }
  if (target && partial) {
    fs.renameSync(partial, target);
    const summary = { file: command.file, path: target, sizeBytes: bytes, sha256 };
    run.io.stdout(run.json ? `${JSON.stringify(summary, null, 2)}\n` : `Saved ${command.file} (${formatBytes(bytes)}, sha256 ${sha256.slice(0, 12)}… verified) to ${target}\n`);
  }
  return exitCodes.ok;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
