import { getPredictionColumns } from '@/lib/shared/code-snippets';
import type { ChallengeViewDto } from '@/lib/shared/dto/challenge-view-dto';
import { maxPredictionFileBytes, predictionFileFormats } from '@/lib/shared/formats/prediction-target';

/**
 * GET /api/v1/challenges/{slug}: what a script needs to take part — phases and limits, metrics (with their
 * direction), the task and the predictions columns, and every public file with its download URL. The pages'
 * markdown is left out; the web pages have it.
 */
export function toChallengeResource(challenge: ChallengeViewDto, origin: string) {
  const api = `/api/v1/challenges/${encodeURIComponent(challenge.slug)}`;
  const absolute = (path: string) => new URL(path, origin).toString();
  const variations = challenge.scoring.variations ?? [];
  return {
    slug: challenge.slug,
    title: challenge.title,
    summary: challenge.summary,
    task: challenge.task,
    isToy: challenge.isToy,
    isDraft: challenge.isDraft,
    revision: challenge.revision,
    openPhase: challenge.openPhase,
    phases: challenge.phases,
    metrics: challenge.metrics,
    publicFraction: challenge.publicFraction,
    scoring: challenge.scoring,
    submission: {
      columns: getPredictionColumns(challenge.task, variations.map((v) => v.name)),
      formats: [...predictionFileFormats],
      gzip: true,
      maxBytes: maxPredictionFileBytes,
      url: absolute(`${api}/submissions`),
    },
    // Phases that take models: the model's input columns, what each phase takes and its limits (null: predictions only).
    model: challenge.model ?? null,
    dataset: {
      id: challenge.dataset.id,
      version: challenge.dataset.version,
      title: challenge.dataset.title,
      licence: challenge.dataset.licence,
      citation: challenge.dataset.citation,
      featureColumns: challenge.dataset.featureColumns,
      missingValue: challenge.dataset.missingValue,
    },
    files: challenge.dataset.downloads.map((f) => ({ ...f, url: absolute(`${api}/files/${encodeURIComponent(f.name)}`) })),
    leaderboardUrl: absolute(`${api}/leaderboard`),
  };
}
