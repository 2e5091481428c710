import type { ChallengeListItemDto } from '@/lib/shared/dto/challenge-view-dto';
import { formatTable } from './format-table';

/** `arena challenges`: one line per challenge with its open phase and daily limit. */
export function formatChallenges(challenges: readonly ChallengeListItemDto[]): string {
  if (challenges.length === 0) return 'No challenges are published yet.';
  const rows = challenges.map((c) => [
    c.slug,
    truncate(c.title, 48) + (c.isToy ? ' [toy]' : '') + (c.isDraft ? ' [draft]' : ''),
    c.openPhase ? `${c.openPhase.key} (${c.openPhase.maxPerDay}/day${c.openPhase.closesAt ? `, until ${c.openPhase.closesAt.slice(0, 10)}` : ''})` : 'closed',
    String(c.participantCount),
    String(c.submissionCount),
  ]);
  return formatTable(['slug', 'title', 'open phase', 'participants', 'submissions'], rows, [3, 4]);
}

function truncate(text: string, length: number): string {
  const chars = [...text];
  return chars.length <= length ? text : `${chars.slice(0, length - 1).join('')}…`;
}
