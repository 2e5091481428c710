import type { Submission } from '@/db/schema';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';

export function toSubmissionDto(
  row: Submission,
  challenge: { slug: string; title: string; phaseKey: string; teamName?: string | null },
  publicScores: Record<string, number>,
  privateScores: Record<string, number> | null,
): SubmissionDto {
  return {
    id: row.id,
    challengeSlug: challenge.slug,
    challengeTitle: challenge.title,
    phaseKey: challenge.phaseKey,
    fileName: row.fileName,
    description: row.description,
    sizeBytes: row.sizeBytes,
    rows: row.rows,
    sha256: row.sha256,
    status: row.status,
    source: row.source,
    teamName: challenge.teamName ?? null,
    isFinal: row.isFinal,
    isBaseline: row.isBaseline,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    publicScores,
    privateScores,
  };
}
