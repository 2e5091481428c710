/**
 * A step of a queued build, in a process of its own: `node --import tsx lib/pipeline/recipes/run-build-step.ts
 * --build-dir <dir> --data-dir <dir> --step plan|part|merge [--part n]`. The worker that starts it (lib/server/jobs)
 * gets progress and the outcome over the IPC channel; when that worker dies the channel closes and this process exits,
 * so a killed worker leaves nothing running.
 */
import type { BuildStepMessage } from '@/lib/shared/recipes/recipe-build-request';
import { serializeError } from '../root/decode-task';
import { mergeQueuedBuild, planQueuedBuild, runQueuedPart } from './queued-build-steps';

function send(message: BuildStepMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) {
      process.stdout.write(`${JSON.stringify(message)}\n`);
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  process.on('disconnect', () => process.exit(3));
  const buildDir = argument('build-dir');
  const dataDir = argument('data-dir');
  const step = argument('step');
  if (!buildDir || !dataDir || !step) throw new Error('run-build-step needs --build-dir, --data-dir and --step');
  const ctx = { buildDir, dataDir };
  if (step === 'plan') {
    const { plan, title } = await planQueuedBuild(ctx);
    await send({ type: 'planned', dataset: plan.dataset, version: plan.version, title, parts: plan.parts.map((p) => ({ index: p.index, sample: p.sample, variation: p.variation, file: p.file.split('/').pop() ?? p.file })) });
  } else if (step === 'part') {
    const partIndex = Number(argument('part'));
    let last = 0;
    const summary = await runQueuedPart(ctx, partIndex, (entriesDone, entriesTotal) => {
      if (Date.now() - last < 250 && entriesDone < entriesTotal) return;
      last = Date.now();
      void send({ type: 'progress', entriesDone, entriesTotal });
    });
    await send({ type: 'part-done', entries: summary.entries, selectedEvents: summary.selectedEvents, rows: summary.rows });
  } else if (step === 'merge') {
    const merged = await mergeQueuedBuild(ctx);
    await send({ type: 'merged', ...merged });
  } else {
    throw new Error(`unknown step "${step}"`);
  }
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    const serialized = serializeError(error);
    await send({ type: 'error', code: serialized.code ?? 'INTERNAL', message: serialized.message, details: serialized.code ? (serialized.details as Record<string, unknown>) : { stack: serialized.stack } });
    process.exit(serialized.code ? 2 : 1);
  },
);
