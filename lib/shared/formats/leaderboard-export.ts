import type { LeaderboardDto } from '@/lib/shared/dto/leaderboard-dto';

/**
 * Leaderboard downloads. The CSV has one row per board row in board order and, per metric, the value and its
 * 68 % bootstrap interval; per robustness metric, the relative systematic uncertainty and its interval.
 *
 * Participant and team names are typed by users and end up in spreadsheets: a text cell that a spreadsheet would
 * read as a formula (first character `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with `'` (OWASP
 * "CSV injection"). Numbers are written by this module, never neutralised, and keep their sign.
 */

export type LeaderboardExportFormat = 'csv' | 'json';

type Cell = string | number | boolean | null;

const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/** `=HYPERLINK("x")` → `'=HYPERLINK("x")`; text that cannot start a formula is returned unchanged. */
export function neutraliseSpreadsheetFormula(text: string): string {
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0] ?? '') ? `'${text}` : text;
}

/** RFC 4180 quoting: a field with a comma, quote, CR or LF (or edge spaces, which some readers trim) is quoted, quotes doubled. */
function quoteCsvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV field: text neutralised and quoted, numbers in full precision (±Infinity as `inf`/`-inf`), null empty. */
export function toCsvField(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  if (typeof cell === 'number') {
    if (Number.isNaN(cell)) return '';
    if (cell === Infinity) return 'inf';
    if (cell === -Infinity) return '-inf';
    return String(cell);
  }
  return quoteCsvField(neutraliseSpreadsheetFormula(cell));
}

/** The CSV header of a board: fixed columns, then `<metric>`, `<metric>_ci_low`, `<metric>_ci_high`, then robustness. */
export function getLeaderboardCsvColumns(board: Pick<LeaderboardDto, 'metrics' | 'robustnessMetrics'> & { rows?: LeaderboardDto['rows'] }): string[] {
  return [
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
    ...board.metrics.flatMap((m) => [m.id, `${m.id}_ci_low`, `${m.id}_ci_high`]),
    ...board.robustnessMetrics.flatMap((m) => [`${m.id}_robustness`, `${m.id}_robustness_ci_low`, `${m.id}_robustness_ci_high`]),
    // Boards with model submissions: their format, size and inference time per 1 000 events (empty for files).
    ...(hasModelRows(board) ? ['model_format', 'model_size_bytes', 'model_ms_per_1000_events'] : []),
  ];
}

function hasModelRows(board: { rows?: LeaderboardDto['rows'] }): boolean {
  return (board.rows ?? []).some((row) => row.model);
}

/** The board as CSV (CRLF line ends, header first); see the module comment for the columns and escaping. */
export function toLeaderboardCsv(board: LeaderboardDto): string {
  const lines = [getLeaderboardCsvColumns(board).map(toCsvField).join(',')];
  const hasModels = hasModelRows(board);
  for (const row of board.rows) {
    const cells: Cell[] = [
      row.rank,
      row.rankInterval?.[0] ?? null,
      row.rankInterval?.[1] ?? null,
      row.tieGroup,
      row.userName,
      row.teamName,
      row.isBaseline,
      row.isBrowserBaseline,
      row.selection,
      row.entries,
      row.submittedAt,
      ...board.metrics.flatMap((m) => {
        const v = row.values[m.id];
        return [v?.value ?? null, v?.ciLow ?? null, v?.ciHigh ?? null];
      }),
      ...board.robustnessMetrics.flatMap((m) => {
        const v = row.robustness[m.id];
        return [v?.value ?? null, v?.ciLow ?? null, v?.ciHigh ?? null];
      }),
      ...(hasModels ? [row.model?.format ?? null, row.model?.sizeBytes ?? null, row.model?.msPerThousandEvents ?? null] : []),
    ];
    lines.push(cells.map(toCsvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** `higgs-tautau-toy-open-public-leaderboard.csv`: slug and phase key are already restricted to [a-z0-9-]. */
export function getLeaderboardExportFileName(board: Pick<LeaderboardDto, 'challengeSlug' | 'phaseKey' | 'split'>, format: LeaderboardExportFormat): string {
  const safe = (part: string) => part.replace(/[^a-z0-9-]+/gi, '-');
  return `${safe(board.challengeSlug)}-${safe(board.phaseKey)}-${board.split}-leaderboard.${format}`;
}
