import Link from 'next/link';
import { formatBytes, formatDateTime } from '@/app/_components/format';
import { MetricDirection } from '@/app/_components/metric-direction';
import { MetricWithInterval } from '@/app/_components/metric-with-interval';
import type { LeaderboardDto, LeaderboardEntryDto } from '@/lib/shared/dto/leaderboard-dto';
import { BoardColumns } from './board-columns';
import { RelativeUncertainty } from './relative-uncertainty';

function rowClassName(row: LeaderboardEntryDto): string | undefined {
  const names = [row.isYou && 'you', row.isBaseline && 'baseline-row'].filter(Boolean);
  return names.length > 0 ? names.join(' ') : undefined;
}

function RankCell({ row }: { row: LeaderboardEntryDto }) {
  if (row.rank === null) {
    return (
      <span className="muted" title="Organiser baseline: shown for reference, not ranked" data-testid="leaderboard-rank">
        —
      </span>
    );
  }
  const [best, worst] = row.rankInterval ?? [row.rank, row.rank];
  return (
    <>
      <span data-testid="leaderboard-rank">{row.rank}</span>
      {best !== worst && (
        <div className="muted small" data-testid="rank-interval" title={`Given the bootstrap, this entry could rank anywhere from ${best} to ${worst}`}>
          {best}–{worst}
        </div>
      )}
    </>
  );
}

function WhoCell({ row }: { row: LeaderboardEntryDto }) {
  return (
    <>
      {row.isYou ? (
        <Link href={`/submissions/${row.submissionId}`} data-testid="submission-link" title="Your ranked entry">
          {row.userName}
        </Link>
      ) : (
        <span className={row.isBaseline ? 'baseline-name' : undefined}>{row.userName}</span>
      )}{' '}
      {row.teamName && (
        <span className="badge" data-testid="team-badge" title={`Team ${row.teamName}`}>
          team
        </span>
      )}{' '}
      {row.isYou && (
        <span className="badge you-badge" data-testid="you-badge">
          you
        </span>
      )}{' '}
      {row.isBaseline && (
        <span className="badge organiser-baseline" data-testid="baseline-badge" title="Reference entry by the organisers: pinned, not ranked">
          organiser baseline
        </span>
      )}{' '}
      {row.isBrowserBaseline && (
        <span className="badge baseline" data-testid="browser-baseline-badge" title="Trained in the browser with the platform's TF.js baseline">
          browser baseline
        </span>
      )}{' '}
      {row.selection === 'selected' && (
        <span className="badge selected" data-testid="selection-badge" data-selection="selected" title="Chosen by its owner as a final submission">
          selected
        </span>
      )}
      {row.selection === 'best-public' && (
        <span
          className="badge fallback"
          data-testid="selection-badge"
          data-selection="best-public"
          title="No final submission was selected, so the best public entry stands in"
        >
          best public fallback
        </span>
      )}
    </>
  );
}

/** A model entry's inference time per 1 000 events and size; a dash for a predictions file. */
function ModelCells({ row }: { row: LeaderboardEntryDto }) {
  const model = row.model;
  return (
    <>
      <td className="num col-extra" data-testid="model-time" title={model ? `${model.format === 'onnx' ? 'ONNX' : 'TF.js'} model run by ${model.runtime}` : 'a predictions file'}>
        {model?.msPerThousandEvents != null ? `${model.msPerThousandEvents.toFixed(2)} ms` : <span className="muted">—</span>}
      </td>
      <td className="num col-extra" data-testid="model-size">
        {model ? formatBytes(model.sizeBytes) : <span className="muted">—</span>}
      </td>
    </>
  );
}

/** The board in the service's order: ranked rows by the primary metric, organiser baselines pinned in place. */
export function LeaderboardTable({ board }: { board: LeaderboardDto }) {
  const primary = board.metrics[0];
  const hasModels = board.rows.some((row) => row.model);
  // On phones only rank, name and the primary metric are shown at first; the rest are `col-extra`.
  const extra = (isPrimary = false) => (isPrimary ? undefined : 'col-extra');
  const extraCount = 1 + (board.metrics.length - 1) + board.robustnessMetrics.length + (hasModels ? 2 : 0) + 2;
  return (
    <BoardColumns extraColumns={extraCount}>
    <div className="table-scroll">
      <table className="table leaderboard" data-testid="leaderboard" data-split={board.split} data-phase={board.phaseKey}>
        <thead>
          <tr>
            <th title="Position by the primary metric; below it, the ranks the paired bootstrap allows">#</th>
            <th className="col-extra" title="Entries in one group are statistically tied with the group's first entry (95 % interval of paired bootstrap differences contains 0)">
              tie group
            </th>
            <th>participant or team</th>
            {board.metrics.map((m) => (
              <th key={m.id} className={`num ${extra(m.id === primary?.id) ?? ''}`} data-testid="metric-header" data-metric={m.id} data-direction={m.direction}>
                {m.label} <MetricDirection metric={m} />
                {m.id === primary?.id && <div className="muted small">ranked by</div>}
              </th>
            ))}
            {board.robustnessMetrics.map((m) => (
              <th
                key={`robustness-${m.id}`}
                className="num col-extra"
                data-testid="robustness-header"
                data-metric={m.id}
                title={`Relative systematic uncertainty of ${m.label} over ${board.variations.length} variation${board.variations.length === 1 ? '' : 's'}, groups added in quadrature; smaller is better`}
              >
                Δ{m.label} syst. <span className="direction">↓</span>
              </th>
            ))}
            {hasModels && (
              <>
                <th className="num col-extra" title="Wall time of the model's run per 1 000 events (nominal test set and every variation)">
                  inference / 1k events
                </th>
                <th className="num col-extra">model size</th>
              </>
            )}
            <th className="num col-extra">entries</th>
            <th className="col-extra">submitted</th>
          </tr>
        </thead>
        <tbody>
          {board.rows.map((row) => (
            <tr
              key={row.submissionId}
              className={rowClassName(row)}
              data-testid="leaderboard-row"
              data-rank={row.rank ?? ''}
              data-you={row.isYou ? 'true' : undefined}
              data-baseline={row.isBaseline ? 'true' : undefined}
              data-selection={row.selection ?? undefined}
            >
              <td>
                <RankCell row={row} />
              </td>
              <td className="col-extra">
                {row.tieGroup !== null ? (
                  <span className={`tie-group tie-group-${((row.tieGroup - 1) % 4) + 1}`} data-testid="tie-group" title={`Tie group ${row.tieGroup}`}>
                    {row.tieGroup}
                  </span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td>
                <WhoCell row={row} />
              </td>
              {board.metrics.map((m) => (
                <td key={m.id} className={`num ${extra(m.id === primary?.id) ?? ''}`} data-testid="metric-value" data-metric={m.id}>
                  <MetricWithInterval value={row.values[m.id]} precision={m.precision} />
                </td>
              ))}
              {board.robustnessMetrics.map((m) => (
                <td key={`robustness-${m.id}`} className="num col-extra" data-testid="robustness-value" data-metric={m.id}>
                  <RelativeUncertainty value={row.robustness[m.id]} />
                </td>
              ))}
              {hasModels && <ModelCells row={row} />}
              <td className="num col-extra" data-testid="entry-count">
                {row.entries}
              </td>
              <td className="small col-extra" title="When the ranked entry was submitted">
                {formatDateTime(row.submittedAt)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    </BoardColumns>
  );
}
