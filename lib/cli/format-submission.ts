import type { MetricValueDto } from '@/lib/shared/dto/leaderboard-dto';
import type { SubmissionDetailDto } from '@/lib/shared/dto/submission-detail-dto';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';
import { formatTable } from './format-table';

/**
 * A submission for the terminal: what, where, its status, then the public scores (with their 68 % bootstrap
 * interval when the detailed view has them) or the reason it failed.
 */
export function formatSubmission(submission: SubmissionDto | SubmissionDetailDto): string {
  const lines = [
    `Submission ${submission.id}`,
    `  challenge ${submission.challengeSlug}, phase ${submission.phaseKey}${submission.teamName ? `, team ${submission.teamName}` : ''}`,
    submission.model
      ? `  model ${submission.fileName} (${submission.model.format}, ${submission.model.sizeBytes.toLocaleString('en')} bytes, ${submission.source})${submission.model.msPerThousandEvents === null ? '' : `; ran ${submission.model.events?.toLocaleString('en')} events at ${submission.model.msPerThousandEvents.toFixed(2)} ms per 1000`}`
      : `  file ${submission.fileName} (${submission.rows.toLocaleString('en')} rows, ${submission.source})`,
    `  status ${submission.status}${submission.finishedAt ? ` at ${submission.finishedAt}` : ''}`,
  ];
  if (submission.status === 'failed') {
    lines.push('', `Error: ${submission.error ?? 'scoring failed without a reason (please report this).'}`);
    return lines.join('\n');
  }
  if (submission.status !== 'scored') return lines.join('\n');
  const scores = formatPublicScores(submission);
  if (scores) lines.push('', 'Public scores:', ...scores.split('\n').map((l) => `  ${l}`));
  return lines.join('\n');
}

function formatPublicScores(submission: SubmissionDto | SubmissionDetailDto): string | null {
  const nominal = 'scores' in submission ? submission.scores.public?.nominal : undefined;
  if ('metrics' in submission && nominal) {
    const rows = submission.metrics
      .filter((m) => nominal[m.id])
      .map((m) => {
        const value = nominal[m.id] as MetricValueDto;
        return [m.label, fixed(value.value, m.precision), interval(value, m.precision), m.direction === 'maximize' ? 'higher is better' : 'lower is better'];
      });
    if (rows.length > 0) return formatTable(['metric', 'value', '68% interval', ''], rows, [1]);
  }
  const entries = Object.entries(submission.publicScores);
  if (entries.length === 0) return null;
  return formatTable(['metric', 'value'], entries.map(([id, value]) => [id, fixed(value, 4)]), [1]);
}

function fixed(value: number | null, precision: number): string {
  if (value === null) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  return value.toFixed(precision);
}

function interval(value: MetricValueDto, precision: number): string {
  return value.ciLow === null || value.ciHigh === null ? '' : `${fixed(value.ciLow, precision)}–${fixed(value.ciHigh, precision)}`;
}
