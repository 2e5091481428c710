import { describe, expect, it } from 'vitest';
import type { LeaderboardEntryDto } from '@/lib/shared/dto/leaderboard-dto';
import { mergeMyRows } from './merge-my-rows';

const row = (submissionId: string, rank: number | null, value = 1): LeaderboardEntryDto => ({
  rank,
  tieGroup: rank,
  rankInterval: rank === null ? null : [rank, rank],
  userName: submissionId,
  teamName: null,
  isYou: false,
  isBaseline: rank === null,
  selection: null,
  submissionId,
  submittedAt: '2026-01-01T00:00:00.000Z',
  entries: 1,
  isBrowserBaseline: false,
  values: { auc: { value, ciLow: null, ciHigh: null } },
  robustness: {},
});

describe('mergeMyRows', () => {
  const copy = [row('a', 1), row('base', null), row('b', 2), row('c', 3)];

  it('marks the viewer\'s row the copy shows and gives it the live values', () => {
    const merged = mergeMyRows(copy, [{ ...row('b', 2, 0.9), isYou: true }]);
    expect(merged.map((r) => [r.submissionId, r.isYou])).toEqual([['a', false], ['base', false], ['b', true], ['c', false]]);
    expect(merged[2]?.values.auc?.value).toBe(0.9);
  });

  it('inserts a row newer than the copy where its rank puts it, and one from another page at the end', () => {
    const merged = mergeMyRows(copy, [row('new', 2), row('far', 250)]);
    expect(merged.map((r) => r.submissionId)).toEqual(['a', 'base', 'new', 'b', 'c', 'far']);
    expect(merged.filter((r) => r.isYou).map((r) => r.submissionId)).toEqual(['new', 'far']);
  });

  it('leaves the copy as it is for a viewer without rows, and never shows a row twice', () => {
    expect(mergeMyRows(copy, [])).toEqual(copy);
    const merged = mergeMyRows(copy, [row('a', 1), row('a2', 1)]);
    expect(new Set(merged.map((r) => r.submissionId)).size).toBe(merged.length);
  });
});
