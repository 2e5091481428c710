import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { phases, submissionModels, type Submission } from '@/db/schema';
import { formatFloat32 } from '@/lib/shared/arrow';
import { AppError } from '@/lib/shared/app-error';
import { assertFeatureColumns } from '@/lib/shared/models/feature-matrix';
import { describeModelRunError, isModelRunError } from '@/lib/shared/models/model-run-error';
import { assertModelSignature } from '@/lib/shared/models/model-signature';
import { readModelBytes } from '@/lib/shared/models/read-model-bytes';
import type { LoadedChallenge } from '../challenges/get-challenge-or-throw';
import { adoptBlob, blobFilePath } from '../storage/blob-store';
import { findPhaseDefinition } from './find-phase-definition';
import { openFeaturesFile } from './open-features-file';
import { predictTable } from './predict-table';
import { openModelSandbox } from './sandbox/model-sandbox';

export type ModelRunResult = { predictionsPath: string; predictionsSha256: string; events: number; inferenceMs: number; peakMemoryBytes: number };

/**
 * The model part of the scoring job: runs a submitted model (sandboxed, under its phase's limits) over the nominal
 * test set and every variation's test set, server-only ones included, and writes what it predicts as a predictions
 * file (`variation,id,score`, or `id,score` without variations) into the blob store, so that it is validated and
 * scored exactly like an uploaded file. The run's figures (events, wall time, peak memory) or its failure class are
 * recorded on the submission's model row.
 *
 * @throws {AppError} `SCORING_FAILED` with `<KIND>: <reason>` (TIMEOUT, OUT_OF_MEMORY, BAD_OUTPUT naming table, row
 *   and id, RUNTIME_ERROR with the runtime's message); `INVALID_DATASET` when a test file is missing or unreadable.
 */
export async function runSubmissionModel(deps: { db: Database; dataDir: string; now: () => Date }, submission: Submission, loaded: LoadedChallenge): Promise<ModelRunResult> {
  const { db, dataDir } = deps;
  const { definition, manifest, datasetVersion } = loaded;
  if (!definition.model) throw new AppError('SCORING_FAILED', `Challenge "${definition.slug}" no longer declares a model input, so the model cannot be run.`);
  const [phase] = await db.select({ key: phases.key }).from(phases).where(eq(phases.id, submission.phaseId));
  const { modelLimits } = findPhaseDefinition(definition, phase?.key ?? '');
  const columns = definition.model.inputColumns;
  const tables = [{ name: 'nominal', file: 'test.arrow' }, ...definition.scoring.variations.map((v) => ({ name: v.name, file: `test@${v.name}.arrow` }))];
  const hasVariations = tables.length > 1;

  const pkg = readModelBytes(new Uint8Array(await fs.readFile(blobFilePath(dataDir, submission.sha256))), submission.fileName, modelLimits.maxSizeBytes);
  const tempPath = path.join(dataDir, 'uploads', `tmp-run-${crypto.randomBytes(12).toString('hex')}`);
  await fs.mkdir(path.dirname(tempPath), { recursive: true });
  const hash = crypto.createHash('sha256');
  const out = await fs.open(tempPath, 'wx');
  const write = async (text: string) => {
    hash.update(text);
    await out.write(text);
  };
  let sandbox: Awaited<ReturnType<typeof openModelSandbox>> | null = null;
  let isAdopted = false;
  try {
    await write(hasVariations ? 'variation,id,score\n' : 'id,score\n');
    sandbox = await openModelSandbox(pkg, { timeLimitMs: modelLimits.timeLimitSeconds * 1000, memoryLimitMb: modelLimits.memoryLimitMb, maxOutputBytes: modelLimits.maxOutputBytes });
    assertModelSignature(sandbox.signature, columns.length, submission.fileName);
    const started = performance.now();
    let events = 0;
    for (const table of tables) {
      const where = `${table.file} of dataset ${manifest.dataset} ${manifest.version}`;
      const opened = await openFeaturesFile(path.join(dataDir, datasetVersion.storageDir, table.file), where, 'INVALID_DATASET');
      try {
        assertFeatureColumns(opened.table, columns, where, 'INVALID_DATASET');
        const prefix = hasVariations ? `${table.name},` : '';
        const result = await predictTable(sandbox, opened.table, {
          table: table.name === 'nominal' ? 'the test set' : `the ${table.name} test set`,
          file: where,
          errorCode: 'INVALID_DATASET',
          columns,
          batchSize: modelLimits.batchSize,
          onScores: (ids, scores) => {
            let text = '';
            for (let r = 0; r < ids.length; r++) text += `${prefix}${ids[r]},${formatFloat32(scores[r] as number)}\n`;
            return write(text);
          },
        });
        events += result.events;
      } finally {
        await opened.close();
      }
    }
    const inferenceMs = performance.now() - started;
    const peakMemoryBytes = sandbox.peakMemoryBytes();
    await sandbox.close();
    await out.close();
    const predictionsSha256 = hash.digest('hex');
    await adoptBlob(dataDir, tempPath, predictionsSha256);
    isAdopted = true;
    await db
      .update(submissionModels)
      .set({ events, inferenceMs, peakMemoryBytes, predictionsSha256, failureKind: null, ranAt: deps.now() })
      .where(eq(submissionModels.submissionId, submission.id));
    return { predictionsPath: blobFilePath(dataDir, predictionsSha256), predictionsSha256, events, inferenceMs, peakMemoryBytes };
  } catch (error) {
    if (isModelRunError(error)) {
      await db.update(submissionModels).set({ failureKind: error.kind, ranAt: deps.now() }).where(eq(submissionModels.submissionId, submission.id));
      throw new AppError('SCORING_FAILED', `The model run failed — ${describeModelRunError(error)}.`, { modelFailure: error.kind, ...error.details }, { cause: error });
    }
    if (error instanceof AppError && error.code === 'INVALID_SUBMISSION') {
      await db.update(submissionModels).set({ failureKind: 'RUNTIME_ERROR', ranAt: deps.now() }).where(eq(submissionModels.submissionId, submission.id));
      throw new AppError('SCORING_FAILED', `The model run failed — RUNTIME_ERROR: ${error.message}`, { modelFailure: 'RUNTIME_ERROR' }, { cause: error });
    }
    throw error;
  } finally {
    await sandbox?.close();
    await out.close().catch(() => {});
    if (!isAdopted) await fs.rm(tempPath, { force: true });
  }
}
