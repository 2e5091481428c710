import 'server-only';
import type { RecipeBuild, RecipeBuildPart } from '@/db/schema';
import type { RecipeBuildDto } from '@/lib/shared/dto/recipe-build-dto';

/** A build's rows as its DTO, with the progress figures computed from its parts at `now`. */
export function toRecipeBuildDto(build: RecipeBuild, parts: readonly RecipeBuildPart[], now: Date, datasetVersion: RecipeBuildDto['datasetVersion']): RecipeBuildDto {
  const sorted = [...parts].sort((a, b) => a.partIndex - b.partIndex);
  const entriesDone = sorted.reduce((s, p) => s + p.entriesDone, 0);
  const known = sorted.filter((p) => p.entriesTotal !== null).map((p) => p.entriesTotal as number);
  const mean = known.length > 0 ? known.reduce((s, n) => s + n, 0) / known.length : 0;
  const entriesEstimate = Math.round(known.reduce((s, n) => s + n, 0) + mean * (Math.max(build.filesTotal, sorted.length) - known.length));
  const end = build.finishedAt ?? now;
  const seconds = build.startedAt ? Math.max(1e-3, (end.getTime() - build.startedAt.getTime()) / 1000) : 0;
  const eventsPerSecond = seconds > 0 ? entriesDone / seconds : 0;
  const isActive = build.status === 'planning' || build.status === 'running' || build.status === 'merging';
  const etaSeconds = isActive && eventsPerSecond > 0 && known.length > 0 ? Math.max(0, (entriesEstimate - entriesDone) / eventsPerSecond) : build.status === 'done' ? 0 : null;
  return {
    id: build.id,
    recipe: build.recipe,
    dataset: build.dataset,
    version: build.version,
    title: build.title,
    status: build.status,
    error: build.error,
    createdAt: build.createdAt.toISOString(),
    startedAt: build.startedAt?.toISOString() ?? null,
    finishedAt: build.finishedAt?.toISOString() ?? null,
    filesDone: sorted.filter((p) => p.status === 'done').length,
    files: build.filesTotal,
    entriesDone,
    entriesEstimate,
    eventsPerSecond,
    etaSeconds,
    datasetVersion,
    parts: sorted.map((p) => ({
      index: p.partIndex, sample: p.sample, variation: p.variation, file: p.file, status: p.status, entriesDone: p.entriesDone, entriesTotal: p.entriesTotal,
      selectedEvents: p.selectedEvents, attempts: p.attempts, worker: p.worker, error: p.error,
    })),
  };
}
