import type { SubmissionDetailDto } from '@/lib/shared/dto/submission-detail-dto';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';
import { formatMetricInterval, formatMetricValue, formatRelativePercent, formatRelativePercentInterval } from '@/lib/shared/formats/metric-format';
import { formatTable } from './format-table';

/**
 * A submission for the terminal: what, where, its status, then the public scores (with their 68 % bootstrap
 * interval, the direction from the scoring registry and the robustness in percent when the detailed view has them)
 * or the reason it failed.
 */
export function formatSubmission(submission: SubmissionDto | SubmissionDetailDto): string {
  const lines = [
    `Submission ${submission.id}`,
    `  challenge ${submission.challengeSlug}, phase ${submission.phaseKey}${submission.teamName ? `, team ${submission.teamName}` : ''}`,
    submission.model
      ? `  model ${submission.fileName} (${submission.model.format}, ${submission.model.sizeBytes.toLocaleString('en')} bytes, ${submission.source})${submission.model.msPerThousandEvents === null ? '' : `; ran ${submission.model.events?.toLocaleString('en')} events at ${submission.model.msPerThousandEvents.toFixed(2)} ms per 1000`}`
      : `  file ${submission.fileName} (${submission.rows.toLocaleString('en')} rows, ${submission.source})`,
    ...(submission.description ? [`  description ${submission.description}`] : []),
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
    const robustness = submission.scores.public?.systematics;
    const rows = submission.metrics
      .filter((m) => nominal[m.id])
      .map((m) => {
        const value = nominal[m.id];
        const shift = robustness?.[m.id];
        const row = [m.label, formatMetricValue(value?.value, m.precision), formatMetricInterval(value, m.precision) ?? '', m.directionText];
        if (!robustness) return row;
        const shiftInterval = formatRelativePercentInterval(shift);
        return [...row, shift ? `${formatRelativePercent(shift.value)}${shiftInterval ? ` (${shiftInterval})` : ''}` : '—'];
      });
    const headers = ['metric', 'value', '68% interval', 'better', ...(robustness ? ['robustness Δ (smaller is better)'] : [])];
    if (rows.length > 0) return formatTable(headers, rows, [1]);
  }
  const entries = Object.entries(submission.publicScores);
  if (entries.length === 0) return null;
  return formatTable(['metric', 'value'], entries.map(([id, value]) => [id, formatMetricValue(value, 4)]), [1]);
}
