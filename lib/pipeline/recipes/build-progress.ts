/** Progress of a build: files done, events read, events/s and an estimated time to finish. */
export type BuildProgressSnapshot = {
  filesDone: number;
  files: number;
  entriesDone: number;
  /** Entries of the files opened so far, plus the mean of those for files not opened yet. */
  entriesEstimate: number;
  eventsPerSecond: number;
  /** Seconds to go, null before anything was read. */
  etaSeconds: number | null;
};

/** Collects per-file progress (from threads, processes or queued jobs) into one snapshot. */
export class BuildProgress {
  private readonly done = new Map<number, number>();
  private readonly totals = new Map<number, number>();
  private readonly finished = new Set<number>();
  private readonly started: number;

  constructor(private readonly files: number, private readonly now: () => number = () => performance.now()) {
    this.started = now();
  }

  update(part: number, entriesDone: number, entriesTotal: number): void {
    this.done.set(part, entriesDone);
    this.totals.set(part, entriesTotal);
  }

  finish(part: number, entries: number): void {
    this.update(part, entries, entries);
    this.finished.add(part);
  }

  snapshot(): BuildProgressSnapshot {
    const entriesDone = [...this.done.values()].reduce((s, n) => s + n, 0);
    const known = [...this.totals.values()];
    const mean = known.length > 0 ? known.reduce((s, n) => s + n, 0) / known.length : 0;
    const entriesEstimate = Math.round(known.reduce((s, n) => s + n, 0) + mean * (this.files - known.length));
    const seconds = Math.max(1e-3, (this.now() - this.started) / 1000);
    const eventsPerSecond = entriesDone / seconds;
    const etaSeconds = eventsPerSecond > 0 && known.length > 0 ? Math.max(0, (entriesEstimate - entriesDone) / eventsPerSecond) : null;
    return { filesDone: this.finished.size, files: this.files, entriesDone, entriesEstimate, eventsPerSecond, etaSeconds };
  }
}

/** One line for a terminal: `3/10 files, 600,000/2,000,000 events, 250,000 events/s, ETA 6 s`. */
export function formatBuildProgress(s: BuildProgressSnapshot): string {
  const eta = s.etaSeconds === null ? 'ETA –' : `ETA ${formatSeconds(s.etaSeconds)}`;
  return `${s.filesDone}/${s.files} files, ${s.entriesDone.toLocaleString('en')}/${s.entriesEstimate.toLocaleString('en')} events, ${Math.round(s.eventsPerSecond).toLocaleString('en')} events/s, ${eta}`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
