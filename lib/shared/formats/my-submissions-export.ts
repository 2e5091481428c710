import type { MySubmissionDto } from '@/lib/shared/dto/submission-dto';
import { toCsvField } from './leaderboard-export';

/**
 * The "My submissions" download: one CSV row per submission, split and metric (long format, since challenges differ
 * in their metrics), with the submission's description, status and failure reason, the metric's name and direction
 * from the scoring registry, the value and its 68 % bootstrap interval. A submission without scores has one row with
 * empty metric fields. Text typed by people (descriptions, file names) is neutralised against spreadsheet formulas.
 */
export const mySubmissionsCsvColumns = [
  'submission_id',
  'submitted_at',
  'challenge',
  'phase',
  'file_name',
  'description',
  'status',
  'error',
  'submitted_by',
  'team',
  'final',
  'split',
  'metric',
  'metric_name',
  'better',
  'value',
  'ci_low',
  'ci_high',
] as const;

export function toMySubmissionsCsv(submissions: readonly MySubmissionDto[]): string {
  const lines = [mySubmissionsCsvColumns.join(',')];
  for (const s of submissions) {
    const head = [s.id, s.createdAt, s.challengeSlug, s.phaseKey, s.fileName, s.description, s.status, s.error, s.submitterName, s.teamName, s.isFinal];
    const splits = [['public', s.publicValues] as const, ...(s.privateValues ? [['private', s.privateValues] as const] : [])];
    const rows = splits.flatMap(([split, values]) =>
      s.metrics.filter((m) => values[m.id]).map((m) => [split, m.id, m.label, m.directionText, values[m.id]?.value ?? null, values[m.id]?.ciLow ?? null, values[m.id]?.ciHigh ?? null]),
    );
    for (const row of rows.length > 0 ? rows : [[null, null, null, null, null, null, null]]) lines.push([...head, ...row].map(toCsvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** `my-submissions.csv`, or `my-submissions-<challenge>-<status>.json` when filtered. */
export function getMySubmissionsExportFileName(filter: { challenge?: string; status?: string }, format: 'csv' | 'json'): string {
  const parts = ['my-submissions', filter.challenge, filter.status].filter(Boolean).map((p) => String(p).replace(/[^a-z0-9-]+/gi, '-'));
  return `${parts.join('-')}.${format}`;
}
