'use client';

import { useMemo, useState } from 'react';
import type { RocAxis, RocCurve } from '@/lib/client/plots/build-roc-canvas';
import { CoveragePlot } from '@/lib/client/plots/coverage-plot';
import { IntervalPlot } from '@/lib/client/plots/interval-plot';
import { RocAxisSelect } from '@/lib/client/plots/roc-axis-select';
import { RocPlot } from '@/lib/client/plots/roc-plot';
import { ScoreDistributionPlot } from '@/lib/client/plots/score-distribution-plot';
import { EventDisplayPlot, EventScoresPlot, TrackingRatePlot } from '@/lib/client/plots/tracking-plots';
import type { ScoreDetailData } from '@/lib/shared/dto/score-detail-dto';
import type { SubmissionDetailDto } from '@/lib/shared/dto/submission-detail-dto';

type Split = 'public' | 'private';

/** The plots of a scored submission, for one split and test set at a time (both selectable). */
export function SubmissionPlots({ details, variations }: { details: SubmissionDetailDto['details']; variations: SubmissionDetailDto['variations'] }) {
  const splits = (['public', 'private'] as const).filter((s) => details[s] && Object.keys(details[s] ?? {}).length > 0);
  const [split, setSplit] = useState<Split>(splits[0] ?? 'public');
  const [variation, setVariation] = useState('nominal');
  const [rocAxis, setRocAxis] = useState<RocAxis>('rejection');
  const ofSplit = details[split] ?? {};
  const shownVariations = variations.filter((v) => ofSplit[v.name]);
  const detail: ScoreDetailData | undefined = ofSplit[variation] ?? ofSplit.nominal;
  const variationName = ofSplit[variation] ? variation : 'nominal';
  const nominal = ofSplit.nominal;

  const rocCurves = useMemo<RocCurve[]>(() => {
    if (detail?.kind !== 'binary') return [];
    const labelOf = (name: string) => variations.find((v) => v.name === name)?.label ?? name;
    const curves: RocCurve[] = [{ label: labelOf(variationName), ...detail.roc }];
    if (variationName !== 'nominal' && nominal?.kind === 'binary') curves.push({ label: labelOf('nominal'), ...nominal.roc, isReference: true });
    return curves;
  }, [detail, nominal, variationName, variations]);

  if (splits.length === 0 || !detail) return <p className="muted">No plot data was stored for this submission.</p>;
  return (
    <div data-testid="submission-plots">
      <div className="row">
        {splits.length > 1 && (
          <label>
            split
            <select value={split} onChange={(e) => setSplit(e.target.value as Split)} data-testid="plot-split">
              {splits.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        )}
        {shownVariations.length > 1 && (
          <label>
            test set
            <select value={variationName} onChange={(e) => setVariation(e.target.value)} data-testid="plot-variation">
              {shownVariations.map((v) => (
                <option key={v.name} value={v.name}>
                  {v.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {detail.kind === 'binary' && <RocAxisSelect value={rocAxis} onChange={setRocAxis} />}
      </div>
      {detail.kind === 'binary' ? (
        <div className="charts">
          <section>
            <h3>ROC curve</h3>
            <RocPlot curves={rocCurves} axis={rocAxis} />
          </section>
          <section>
            <h3>Score distributions</h3>
            <ScoreDistributionPlot histogram={detail.histogram} />
          </section>
        </div>
      ) : detail.kind === 'interval' ? (
        <div className="charts">
          <section>
            <h3>Intervals per pseudo-experiment</h3>
            <IntervalPlot pe={detail.pe} />
            {detail.pe.muTrue === null && <p className="muted small">True μ values are shown once the phase has closed.</p>}
          </section>
          <section>
            <h3>Coverage by true μ</h3>
            <CoveragePlot coverageByMu={detail.coverageByMu} targetCoverage={detail.targetCoverage} />
          </section>
        </div>
      ) : (
        <div className="charts">
          <section>
            <h3>TrackML score per event</h3>
            <EventScoresPlot events={detail.events} />
          </section>
          <section>
            <h3>Efficiency and fake rate against p<sub>T</sub></h3>
            <TrackingRatePlot bins={detail.byPt} variable="pt" />
          </section>
          <section>
            <h3>Efficiency and fake rate against η</h3>
            <TrackingRatePlot bins={detail.byEta} variable="eta" />
          </section>
          {detail.display && (
            <div className="charts" style={{ gridColumn: '1 / -1' }}>
              <section>
                <h3>Event {detail.display.eventId}, x–y view</h3>
                <EventDisplayPlot display={detail.display} view="xy" />
              </section>
              <section>
                <h3>Event {detail.display.eventId}, r–z view</h3>
                <EventDisplayPlot display={detail.display} view="rz" />
                <p className="muted small">
                  {detail.display.x.length.toLocaleString('en')} of {detail.display.hits.toLocaleString('en')} hits, coloured by your {detail.display.tracks.toLocaleString('en')}{' '}
                  tracks (colours repeat; tracks of fewer than 3 hits in grey). Efficiency: particles with at least 4 hits matched by a track; fake rate: your tracks
                  of at least 4 hits that match no particle, each binned by the track&apos;s majority particle.
                </p>
              </section>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
