import { describe, expect, it } from 'vitest';
import type { ChallengeListItemDto } from '@/lib/shared/dto/challenge-view-dto';
import type { LeaderboardDto } from '@/lib/shared/dto/leaderboard-dto';
import type { SubmissionDetailDto } from '@/lib/shared/dto/submission-detail-dto';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';
import { formatChallenges } from './format-challenges';
import { formatLeaderboard } from './format-leaderboard';
import { formatSubmission } from './format-submission';
import { formatTable } from './format-table';

const higher = { direction: 'maximize', target: null, directionText: 'higher is better', directionArrow: '↑' } as const;
const metrics = [
  { id: 'ams_best', label: 'AMS (best)', ...higher, primary: true, precision: 4 },
  { id: 'auc', label: 'ROC AUC', ...higher, primary: false, precision: 3 },
] as const;
const coverage = { id: 'coverage', label: 'Coverage', direction: 'minimize', target: 0.6827, directionText: 'closest to 0.6827 is better', directionArrow: '→0.6827', primary: false, precision: 3 } as const;

const submission: SubmissionDto = {
  id: '0b6f5c1e-0000-4000-8000-000000000001',
  challengeSlug: 'higgs-tautau-toy',
  challengeTitle: 'H→ττ toy',
  phaseKey: 'open',
  fileName: 'preds.csv',
  description: 'gradient boosting, 400 trees',
  sizeBytes: 20_000,
  rows: 1500,
  sha256: 'f'.repeat(64),
  status: 'scored',
  source: 'api',
  teamName: null,
  isFinal: false,
  isBaseline: false,
  error: null,
  createdAt: '2026-02-01T10:00:00.000Z',
  finishedAt: '2026-02-01T10:00:03.000Z',
  publicScores: { ams_best: 1.23456, auc: 0.8 },
  privateScores: null,
};

const detail = {
  ...submission,
  task: 'binary-classification',
  phaseTitle: 'Open phase',
  phaseState: 'open',
  isPrivateRevealed: false,
  privateHiddenReason: 'Private-split scores are revealed when the phase closes.',
  submitterName: 'Ada',
  scoredVersion: 'v1',
  metrics: [...metrics],
  variations: [{ name: 'nominal', label: 'nominal' }],
  scores: { public: { nominal: { ams_best: { value: 1.23456, ciLow: 1.1, ciHigh: 1.35 }, auc: { value: 0.8, ciLow: null, ciHigh: null } } } },
  details: {},
  canSelectFinal: true,
} satisfies SubmissionDetailDto;

describe('CLI output', () => {
  it('aligns table columns, numbers to the right', () => {
    expect(formatTable(['name', 'n'], [['a', '1'], ['longer', '100']], [1])).toBe('name      n\n------  ---\na         1\nlonger  100');
  });

  it('prints a scored submission with each public metric, its 68 % interval and direction, in the challenge\'s order and precision', () => {
    const text = formatSubmission(detail);
    expect(text).toContain(`Submission ${submission.id}`);
    expect(text).toContain('file preds.csv (1,500 rows, api)');
    expect(text).toContain('description gradient boosting, 400 trees');
    expect(text).toContain('status scored at 2026-02-01T10:00:03.000Z');
    const lines = text.split('\n');
    const ams = lines.find((l) => l.includes('AMS (best)')) ?? '';
    expect(ams).toMatch(/AMS \(best\)\s+1\.2346\s+1\.1000–1\.3500\s+higher is better/);
    expect(lines.find((l) => l.includes('ROC AUC'))).toMatch(/ROC AUC\s+0\.800\s+higher is better/);
    expect(lines.indexOf(ams)).toBeLessThan(lines.findIndex((l) => l.includes('ROC AUC')));
  });

  it('labels every direction as the metric registry does: coverage is best closest to 0.6827, never "lower is better"', () => {
    const interval = {
      ...detail,
      metrics: [coverage],
      scores: { public: { nominal: { coverage: { value: 0.655, ciLow: 0.61, ciHigh: 0.7 } } } },
    } satisfies SubmissionDetailDto;
    const line = formatSubmission(interval).split('\n').find((l) => l.includes('Coverage')) ?? '';
    expect(line).toMatch(/Coverage\s+0\.655\s+0\.610–0\.700\s+closest to 0\.6827 is better/);
    expect(line).not.toContain('lower is better');
  });

  it('writes the robustness in percent with its interval, as the leaderboard and the submission page do', () => {
    const withRobustness = {
      ...detail,
      scores: { public: { ...detail.scores.public, systematics: { ams_best: { value: 0.0428, ciLow: 0.0097, ciHigh: 0.0759 } } } },
    } satisfies SubmissionDetailDto;
    const line = formatSubmission(withRobustness).split('\n').find((l) => l.includes('AMS (best)')) ?? '';
    expect(line).toMatch(/higher is better\s+4\.28 % \(0\.97–7\.59 %\)$/);
  });

  it('falls back to the plain public scores of a submission without the detailed view', () => {
    expect(formatSubmission(submission)).toMatch(/ams_best\s+1\.2346\n\s+auc\s+0\.8000/);
  });

  it('prints the reason of a failed submission, and no scores', () => {
    const text = formatSubmission({ ...detail, status: 'failed', error: 'preds.csv line 4: score "high" is not a number.' });
    expect(text).toContain('Error: preds.csv line 4: score "high" is not a number.');
    expect(text).not.toContain('Public scores');
  });

  it('lists challenges with their open phase and limits', () => {
    const challenges: ChallengeListItemDto[] = [
      {
        slug: 'higgs-tautau-toy',
        title: 'H→ττ toy',
        summary: '',
        task: 'binary-classification',
        isToy: true,
        openPhase: { id: 'p', key: 'open', title: 'Open', opensAt: '2026-01-01T00:00:00Z', closesAt: null, maxPerDay: 20, maxTotal: null, state: 'open' },
        participantCount: 3,
        submissionCount: 12,
        isDraft: false,
        canOrganise: false,
      },
    ];
    const text = formatChallenges(challenges);
    expect(text.split('\n')[0]).toMatch(/^slug\s+title\s+open phase\s+participants\s+submissions$/);
    expect(text).toMatch(/higgs-tautau-toy\s+H→ττ toy \[toy\]\s+open \(20\/day\)\s+3\s+12/);
    expect(formatChallenges([])).toBe('No challenges are published yet.');
  });

  it('prints the leaderboard with ranks, tie groups, intervals, your row marked and baselines unranked', () => {
    const row = { rankInterval: null, teamName: null, selection: null, submittedAt: '2026-02-01T10:00:00Z', isBrowserBaseline: false, robustness: {} };
    const board: LeaderboardDto = {
      challengeSlug: 'higgs-tautau-toy',
      phaseKey: 'open',
      split: 'public',
      isPrivateRevealed: false,
      phaseTitle: 'Open phase',
      phases: [{ key: 'open', title: 'Open phase', state: 'open' }],
      metrics: [...metrics],
      robustnessMetrics: [],
      variations: [],
      rows: [
        { ...row, rank: 1, tieGroup: 1, userName: 'Ada', isYou: true, isBaseline: false, submissionId: 'a', entries: 3, values: { ams_best: { value: 1.5, ciLow: 1.4, ciHigh: 1.6 }, auc: { value: 0.81, ciLow: null, ciHigh: null } } },
        { ...row, rank: null, tieGroup: null, userName: 'Organisers', isYou: false, isBaseline: true, submissionId: 'b', entries: 1, values: { ams_best: { value: 1.1, ciLow: null, ciHigh: null } } },
      ],
    };
    const lines = formatLeaderboard(board).split('\n');
    expect(lines[0]).toBe('higgs-tautau-toy · Open phase (open) · public leaderboard');
    expect(lines[2]).toMatch(/^rank\s+tie\s+name\s+AMS \(best\) ↑ ★\s+ROC AUC ↑\s+entries$/);
    expect(lines[4]).toMatch(/^\s*1\s+1\s+\* Ada\s+1\.5000 \(1\.4000–1\.6000\)\s+0\.810\s+3$/);
    expect(lines[5]).toMatch(/^\s*—\s+Organisers \(baseline\)\s+1\.1000\s+—\s+1$/);
    expect(lines).toContain('↑ AMS (best): higher is better');
    expect(lines.at(-1)).toBe('Private scores stay hidden until the phase closes.');
  });
});
