import 'server-only';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BuildStepMessage } from '@/lib/shared/recipes/recipe-build-request';
import { BUILD_NODE_FLAGS } from '@/lib/shared/recipes/build-node-flags';

export type BuildStep = { kind: 'plan' } | { kind: 'part'; partIndex: number } | { kind: 'merge' };

export type BuildStepOutcome =
  | { ok: true; messages: BuildStepMessage[] }
  | { ok: false; error: { code: string; message: string; details: Record<string, unknown> }; isInputError: boolean };

export type RunningBuildStep = { readonly child: ChildProcess; readonly done: Promise<BuildStepOutcome>; kill(): void };

/**
 * The build engine lives in lib/pipeline and runs in a process of its own (the server must not bundle it, and a step
 * may take long and much memory): `node scripts/cli.mjs lib/pipeline/recipes/run-build-step.ts`, from the precompiled
 * bundle like every CLI (a step per input file would otherwise spend half a second compiling). The process exits when
 * this one dies (its IPC channel closes), so a killed worker leaves no step running.
 */
export function runBuildStepProcess(options: { buildDir: string; dataDir: string; step: BuildStep; onMessage?: (message: BuildStepMessage) => void }): RunningBuildStep {
  const root = process.cwd();
  const script = path.join(root, 'lib', 'pipeline', 'recipes', 'run-build-step.ts');
  if (!existsSync(script)) throw new Error(`the build step script ${script} was not found; workers run from the repository's root folder`);
  // Through the CLI launcher: the step starts from its precompiled bundle (rebuilt first when a source changed), with
  // the node flags `npm run pipeline` has.
  const args = [...BUILD_NODE_FLAGS, path.join(root, 'scripts', 'cli.mjs'), path.relative(root, script), '--build-dir', options.buildDir, '--data-dir', options.dataDir, '--step', options.step.kind];
  if (options.step.kind === 'part') args.push('--part', String(options.step.partIndex));
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const messages: BuildStepMessage[] = [];
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString());
    if (stderr.length > 50) stderr.splice(0, stderr.length - 50);
  });
  child.on('message', (message: BuildStepMessage) => {
    messages.push(message);
    options.onMessage?.(message);
  });
  const done = new Promise<BuildStepOutcome>((resolve) => {
    child.on('error', (error) => resolve({ ok: false, error: { code: 'INTERNAL', message: `the build step could not start: ${error.message}`, details: {} }, isInputError: false }));
    child.on('exit', (code, signal) => {
      const reported = messages.find((m): m is Extract<BuildStepMessage, { type: 'error' }> => m.type === 'error');
      if (code === 0 && !reported) return resolve({ ok: true, messages });
      if (reported) return resolve({ ok: false, error: { code: reported.code, message: reported.message, details: reported.details }, isInputError: code === 2 });
      const tail = stderr.join('').trim().split('\n').slice(-3).join(' ');
      resolve({ ok: false, error: { code: 'INTERNAL', message: `the build step stopped (${signal ? `signal ${signal}` : `exit code ${code}`})${tail ? `: ${tail}` : ''}`, details: {} }, isInputError: false });
    });
  });
  return {
    child,
    done,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
