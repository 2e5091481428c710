import type { RecipeBuildDto } from '@/lib/shared/dto/recipe-build-dto';

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

const STATUS_BADGE: Record<RecipeBuildDto['status'], string> = { planning: 'badge', running: 'badge open', merging: 'badge open', done: 'badge open', failed: 'badge closed' };

export function BuildStatusBadge({ status }: { status: RecipeBuildDto['status'] }) {
  return (
    <span className={STATUS_BADGE[status]} data-testid="build-status">
      {status}
    </span>
  );
}

/** Files done, events read, events/s and the time to go of a build, in one line (with a progress bar). */
export function BuildProgressLine({ build }: { build: RecipeBuildDto }) {
  const fraction = build.entriesEstimate > 0 ? Math.min(1, build.entriesDone / build.entriesEstimate) : build.status === 'done' ? 1 : 0;
  return (
    <span className="small" data-testid="build-progress">
      <progress value={fraction} max={1} aria-label="events read" /> {build.filesDone}/{build.files} files · {build.entriesDone.toLocaleString('en')}/{build.entriesEstimate.toLocaleString('en')} events ·{' '}
      {Math.round(build.eventsPerSecond).toLocaleString('en')} events/s · {build.status === 'done' ? 'done' : build.etaSeconds === null ? 'ETA –' : `ETA ${formatSeconds(build.etaSeconds)}`}
    </span>
  );
}
