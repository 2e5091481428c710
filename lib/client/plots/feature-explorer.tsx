'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FeatureHistogramDto, FeatureInfoDto, HistogramGroupDto } from '@/lib/shared/histograms/histogram-types';
import { buildFeatureHistogramCanvas, type FeaturePlotMode } from './build-feature-histogram-canvas';
import { buildHistogram2dCanvas } from './build-histogram-2d-canvas';
import { buildVariationOverlayCanvas, buildVariationRatioCanvas } from './build-variation-canvases';
import type { JsrootApi } from './jsroot-api';
import { RootPlot } from './root-plot';

type Query = { feature: string; bins: string; min: string; max: string; variation: string; feature2: string };

const format = (x: number) => (Math.abs(x) >= 1000 || (Math.abs(x) < 0.01 && x !== 0) ? x.toExponential(3) : x.toLocaleString('en', { maximumFractionDigits: 3 }));

function sumOver(groups: HistogramGroupDto[], pick: (g: HistogramGroupDto) => number): number {
  return groups.reduce((total, g) => total + pick(g), 0);
}

/**
 * The histogram explorer: any feature of the version's training table, stacked by process (weighted) or overlaid by
 * class and normalised, with log y, binning and range, a systematic variation's ratio panel and a 2D histogram per
 * class against a second feature. Each plot exports as PNG, SVG and ROOT JSON.
 */
export function FeatureExplorer({
  dataset,
  version,
  features,
  variations,
  missingValue,
}: {
  dataset: string;
  version: string;
  features: FeatureInfoDto[];
  variations: Array<{ name: string; description: string }>;
  missingValue: number;
}) {
  const [query, setQuery] = useState<Query>({ feature: features[0]?.name ?? '', bins: '', min: '', max: '', variation: '', feature2: '' });
  const [draft, setDraft] = useState({ bins: '', min: '', max: '' });
  const [mode, setMode] = useState<FeaturePlotMode>('stack');
  const [logy, setLogy] = useState(false);
  const [data, setData] = useState<FeatureHistogramDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isLoading, setIsLoading] = useState(false);

  useEffect(() => {
    if (!query.feature) return;
    const params = new URLSearchParams({ feature: query.feature });
    for (const key of ['bins', 'min', 'max', 'variation', 'feature2'] as const) if (query[key]) params.set(key, query[key]);
    const controller = new AbortController();
    setIsLoading(true);
    setError(null);
    fetch(`/api/datasets/${encodeURIComponent(dataset)}/${encodeURIComponent(version)}/histograms?${params}`, { signal: controller.signal })
      .then(async (response) => {
        const body = (await response.json()) as FeatureHistogramDto | { error: { message: string } };
        if (!response.ok || 'error' in body) throw new Error('error' in body ? body.error.message : `The server answered ${response.status}.`);
        setData(body);
        setDraft({ bins: String(body.binning.bins), min: String(body.binning.min), max: String(body.binning.max) });
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        if (!controller.signal.aborted) setIsLoading(false);
      });
    return () => controller.abort();
  }, [dataset, version, query]);

  const buildMain = useCallback((api: JsrootApi) => (data ? buildFeatureHistogramCanvas(api, data, { mode, logy }) : null), [data, mode, logy]);
  const buildOverlay = useCallback((api: JsrootApi) => (data ? buildVariationOverlayCanvas(api, data, logy) : null), [data, logy]);
  const buildRatio = useCallback((api: JsrootApi) => (data ? buildVariationRatioCanvas(api, data) : null), [data]);
  const builders2d = useMemo(() => (data?.hist2d?.classes ?? []).map((g) => ({ group: g, build: (api: JsrootApi) => (data ? buildHistogram2dCanvas(api, data, g) : null) })), [data]);

  const feature = features.find((f) => f.name === query.feature);
  const groups = data ? (mode === 'stack' ? data.processes : data.classes) : [];
  const total = sumOver(groups, (g) => g.total[1]);
  const missing = sumOver(groups, (g) => g.missing[1]);
  const under = sumOver(groups, (g) => g.underflow[1]);
  const over = sumOver(groups, (g) => g.overflow[1]);
  const name = `${dataset}-${version}-${query.feature}`;

  return (
    <section className="explorer" data-testid="feature-explorer">
      <div className="row">
        <label>
          Feature
          <select value={query.feature} onChange={(e) => setQuery({ ...query, feature: e.target.value, bins: '', min: '', max: '' })} data-testid="explorer-feature">
            {features.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Show
          <select value={mode} onChange={(e) => setMode(e.target.value as FeaturePlotMode)} data-testid="explorer-mode">
            <option value="stack">stacked by process (expected events)</option>
            <option value="normalised">by class, normalised (shapes)</option>
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={logy} onChange={(e) => setLogy(e.target.checked)} data-testid="explorer-logy" /> log y
        </label>
      </div>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ ...query, ...draft });
        }}
      >
        <label>
          Bins
          <input type="text" inputMode="numeric" value={draft.bins} onChange={(e) => setDraft({ ...draft, bins: e.target.value })} data-testid="explorer-bins" size={5} />
        </label>
        <label>
          From
          <input type="text" inputMode="decimal" value={draft.min} onChange={(e) => setDraft({ ...draft, min: e.target.value })} data-testid="explorer-min" size={7} />
        </label>
        <label>
          To
          <input type="text" inputMode="decimal" value={draft.max} onChange={(e) => setDraft({ ...draft, max: e.target.value })} data-testid="explorer-max" size={7} />
        </label>
        <button type="submit" className="secondary" data-testid="explorer-apply">
          Apply binning
        </button>
      </form>
      <div className="row">
        <label>
          Systematic variation
          <select value={query.variation} onChange={(e) => setQuery({ ...query, variation: e.target.value })} data-testid="explorer-variation" disabled={variations.length === 0}>
            <option value="">{variations.length === 0 ? 'none in this version' : 'none'}</option>
            {variations.map((v) => (
              <option key={v.name} value={v.name}>
                {v.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Second feature (2D)
          <select value={query.feature2} onChange={(e) => setQuery({ ...query, feature2: e.target.value })} data-testid="explorer-feature2">
            <option value="">none</option>
            {features
              .filter((f) => f.name !== query.feature)
              .map((f) => (
                <option key={f.name} value={f.name}>
                  {f.name}
                </option>
              ))}
          </select>
        </label>
      </div>

      {feature && (
        <p className="small" data-testid="explorer-feature-text">
          <strong>{feature.name}</strong>
          {feature.unit && feature.unit !== 'dimensionless' ? ` (in ${feature.unit})` : ''}: {feature.description || 'no description in the manifest.'}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="explorer-error">
          {error}
        </p>
      )}
      {isLoading && <p className="muted small">Computing the histogram…</p>}
      {data && (
        <>
          <RootPlot testId="explorer-main-plot" label={`Histogram of ${data.feature.name}`} build={buildMain} exportName={name} emptyMessage="No training event has a value here." />
          <p className="small muted" data-testid="explorer-counts">
            {mode === 'stack'
              ? 'Each colour is one physics process; the height of the stack is the number of events expected in the bin (the sum of their weights). '
              : 'Each class is scaled to area 1, so you compare shapes: where a feature separates signal from background, the two curves differ. '}
            {total.toLocaleString('en')} training events: {missing.toLocaleString('en')} have no value (the missing-value marker {format(missingValue)}, counted
            apart and not drawn), {under.toLocaleString('en')} lie below and {over.toLocaleString('en')} above the range shown.
          </p>
          {data.variation && (
            <div className="panel" data-testid="explorer-variation-panel">
              <h3>
                Variation {data.variation.name} against nominal
              </h3>
              <p className="small">{data.variation.description}</p>
              <p className="small muted" data-testid="explorer-variation-compared">
                {data.variation.compared} A ratio of 1 means the variation does not change this feature; a ratio above 1 means more events in that bin.
              </p>
              <RootPlot testId="explorer-variation-plot" label={`${data.feature.name}: nominal and ${data.variation.name}`} build={buildOverlay} exportName={`${name}-${data.variation.name}`} heightPx={280} />
              <RootPlot testId="explorer-ratio-plot" label={`${data.variation.name} / nominal ratio of ${data.feature.name}`} build={buildRatio} exportName={`${name}-${data.variation.name}-ratio`} heightPx={200} />
            </div>
          )}
          {data.hist2d && (
            <div className="panel" data-testid="explorer-2d-panel">
              <h3>
                {data.feature.name} against {data.hist2d.feature.name}, per class
              </h3>
              <p className="small muted">
                Each cell&apos;s colour is the expected number of events with both values in it (up to 100 bins per axis). Events where either value is
                missing are counted apart.
              </p>
              <div className="charts">
                {builders2d.map(({ group, build }) => (
                  <div key={group.name}>
                    <p className="small">
                      <strong>{group.name}</strong> ({group.total[1].toLocaleString('en')} events, {group.missing[1].toLocaleString('en')} with a missing value)
                    </p>
                    <RootPlot testId={`explorer-2d-${group.name}`} label={`2D histogram for ${group.name}`} build={build} exportName={`${name}-vs-${data.hist2d?.feature.name}-${group.name}`} heightPx={320} />
                  </div>
                ))}
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}
