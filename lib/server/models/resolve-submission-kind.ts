import 'server-only';
import fs from 'node:fs/promises';
import type { PhaseSubmissionKind } from '@/challenges/schema';
import { AppError } from '@/lib/shared/app-error';
import { formatByteSize } from '@/lib/shared/formats/format-byte-size';

export const requestedSubmissionKinds = ['auto', 'predictions', 'model'] as const;
export type RequestedSubmissionKind = (typeof requestedSubmissionKinds)[number];

/**
 * Refuses, before anything is read, an upload whose declared kind the phase does not take, and says the most the
 * upload may weigh (a model phase caps the upload at its model size limit as it streams in).
 *
 * @throws {AppError} `INVALID_SUBMISSION` naming the phase and what it takes.
 */
export function assertPhaseTakes(phase: { title: string; submissions: PhaseSubmissionKind }, requested: RequestedSubmissionKind): void {
  if (phase.submissions === 'predictions' && requested === 'model') {
    throw new AppError('INVALID_SUBMISSION', `"${phase.title}" takes predictions files, not models; run your model on the test set and upload its predictions.`, {
      expected: 'a predictions file',
      found: 'a model',
    });
  }
  if (phase.submissions === 'models' && requested === 'predictions') {
    throw new AppError('INVALID_SUBMISSION', `"${phase.title}" takes models only (ONNX, or TF.js zipped with its weights): its test data stays on the server, so there is nothing to predict offline.`, {
      expected: 'a model',
      found: 'a predictions file',
    });
  }
}

/**
 * Whether an upload to a phase is a model: always in a `models` phase, never in a `predictions` one; in a `both`
 * phase as declared, or else by what it is (a `.onnx` name, or a zip holding a `model.json`).
 *
 * @throws {AppError} `PAYLOAD_TOO_LARGE` when a model is larger than the phase's model size limit.
 */
export async function resolveIsModel(
  phase: { submissions: PhaseSubmissionKind; maxModelBytes: number },
  requested: RequestedSubmissionKind,
  upload: { tempPath: string; fileName: string; sizeBytes: number },
): Promise<boolean> {
  let isModel: boolean;
  if (phase.submissions === 'predictions') isModel = false;
  else if (phase.submissions === 'models') isModel = true;
  else if (requested !== 'auto') isModel = requested === 'model';
  else isModel = /\.onnx$/i.test(upload.fileName) || (await isZipWithModelJson(upload.tempPath));
  if (isModel && upload.sizeBytes > phase.maxModelBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `${upload.fileName} is ${formatByteSize(upload.sizeBytes)}, larger than this phase's model size limit of ${formatByteSize(phase.maxModelBytes)}.`, {
      file: upload.fileName,
      expected: `at most ${phase.maxModelBytes} bytes`,
      found: `${upload.sizeBytes} bytes`,
    });
  }
  return isModel;
}

/** A zip whose central directory names a model.json (read from the end of the file; nothing is unpacked). */
async function isZipWithModelJson(filePath: string): Promise<boolean> {
  const handle = await fs.open(filePath, 'r');
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (head.readUInt32LE(0) !== 0x04034b50) return false;
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 1024 * 1024);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    return tail.includes('model.json');
  } finally {
    await handle.close();
  }
}
