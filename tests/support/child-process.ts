import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/** A node process started by a test, with every whole line it printed (stdout and stderr) as it arrives. */
export type ChildWithLines = {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the exit code once the process has exited and its output has been read to the end. */
  exited: Promise<number | null>;
};

/** How long after exit to wait for the last output, in case a grandchild still holds the pipe open. */
const OUTPUT_GRACE_MS = 5_000;

/**
 * Starts `node --conditions=react-server --import tsx <args>` (node itself, not the tsx wrapper, so that signals reach
 * the script). Output is split into lines across chunk boundaries: a line the operating system delivered in two reads
 * is one line here, so a test that looks for `scored <id>` never misses it.
 */
export function startNodeScript(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildWithLines {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', ...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const streams = [child.stdout, child.stderr].filter((s): s is Readable => s !== null);
  const ended = streams.map((stream) => collectLines(stream, lines));
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      const grace = new Promise<void>((r) => setTimeout(r, OUTPUT_GRACE_MS).unref());
      void Promise.race([Promise.all(ended), grace]).then(() => resolve(code));
    });
  });
  return { child, lines, exited };
}

function collectLines(stream: Readable, into: string[]): Promise<void> {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) if (line.length > 0) into.push(line);
  });
  return new Promise((resolve) => {
    stream.on('close', () => {
      if (pending.length > 0) into.push(pending);
      pending = '';
      resolve();
    });
  });
}

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, intervalMs = 100): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
