import 'server-only';
import { inArray } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { submissionModels, type SubmissionModel } from '@/db/schema';
import type { SubmissionModelDto } from '@/lib/shared/dto/model-dto';

/** The model figures (format, size, inference time per 1 000 events, …) of those submissions that are models. */
export async function findModelFigures(db: Database, submissionIds: readonly string[]): Promise<Map<string, SubmissionModelDto>> {
  if (submissionIds.length === 0) return new Map();
  const rows = await db.select().from(submissionModels).where(inArray(submissionModels.submissionId, [...submissionIds]));
  return new Map(rows.map((row) => [row.submissionId, toSubmissionModelDto(row)]));
}

export function toSubmissionModelDto(row: SubmissionModel): SubmissionModelDto {
  return {
    format: row.format,
    sizeBytes: row.sizeBytes,
    runtime: row.runtime,
    msPerThousandEvents: row.inferenceMs !== null && row.events ? (row.inferenceMs / row.events) * 1000 : null,
    events: row.events,
    peakMemoryBytes: row.peakMemoryBytes,
    failureKind: row.failureKind,
    hasPredictions: row.predictionsSha256 !== null,
  };
}
