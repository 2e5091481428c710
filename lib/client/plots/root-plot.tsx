'use client';

import { useEffect, useRef, useState } from 'react';
import type { JsrootApi } from './jsroot-api';
import { exportPng, exportRootJson, exportSvg } from './export-root-plot';
import { loadJsroot } from './load-jsroot';

type DrawState = 'loading' | 'drawn' | 'empty' | 'failed';

/**
 * A JSROOT drawing in a box of fixed height. `build` turns the loaded API into the object to draw (null: nothing to
 * draw); keep it stable (useCallback) so the plot redraws only when its data change. The container carries
 * `data-testid` and, once JSROOT has finished drawing, `data-drawn="true"`, which end-to-end tests wait for.
 */
export function RootPlot({
  testId,
  label,
  build,
  emptyMessage = 'Nothing to plot.',
  heightPx = 360,
  exportName,
}: {
  testId: string;
  /** Accessible name of the figure. */
  label: string;
  build: (api: JsrootApi) => object | null;
  emptyMessage?: string;
  heightPx?: number;
  /** When set, PNG, SVG and ROOT JSON export buttons are shown under the plot; files are named after it. */
  exportName?: string;
}) {
  const boxRef = useRef<HTMLDivElement>(null);
  // Draws into one element run one after another, so a redraw never interleaves with a drawing in progress.
  const queueRef = useRef<Promise<unknown>>(Promise.resolve());
  const apiRef = useRef<JsrootApi | null>(null);
  const isDrawnRef = useRef(false);
  const objectRef = useRef<object | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const [state, setState] = useState<DrawState>('loading');

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    let isCurrent = true;
    setState('loading');
    queueRef.current = queueRef.current
      .then(async () => {
        if (!isCurrent) return;
        const api = await loadJsroot();
        apiRef.current = api;
        if (!isCurrent) return;
        isDrawnRef.current = false;
        api.cleanup(box);
        const obj = build(api);
        objectRef.current = obj;
        if (!obj) {
          setState('empty');
          return;
        }
        await api.draw(box, obj, '');
        isDrawnRef.current = true;
        if (isCurrent) setState('drawn');
      })
      .catch((error: unknown) => {
        console.error(`plot "${label}" could not be drawn`, error);
        if (isCurrent) setState('failed');
      });
    return () => {
      isCurrent = false;
      // Queued behind any drawing in progress, so JSROOT's painters and listeners are released in order.
      queueRef.current = queueRef.current
        .then(() => {
          isDrawnRef.current = false;
          apiRef.current?.cleanup(box);
        })
        .catch((error: unknown) => console.error(`plot "${label}" could not be cleaned up`, error));
    };
  }, [build, label]);

  // Redraw at the new width when the layout changes; JSROOT keeps the drawing's state (zoom) across resizes.
  useEffect(() => {
    const box = boxRef.current;
    if (!box || typeof ResizeObserver === 'undefined') return;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        if (isDrawnRef.current) apiRef.current?.resize(box);
      });
    });
    observer.observe(box);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, []);

  return (
    <figure className="root-plot" style={{ margin: 0 }}>
      <div
        ref={boxRef}
        role="img"
        aria-label={label}
        aria-busy={state === 'loading'}
        data-testid={testId}
        data-drawn={state === 'drawn' ? 'true' : 'false'}
        style={{ width: '100%', height: `${heightPx}px`, display: state === 'empty' ? 'none' : 'block' }}
      />
      {state === 'loading' && <figcaption className="muted small">Loading JSROOT…</figcaption>}
      {state === 'empty' && <figcaption className="muted small">{emptyMessage}</figcaption>}
      {exportName && state === 'drawn' && (
        <div className="plot-export row small" data-testid={`${testId}-export`}>
          <span className="muted">Export:</span>
          {(['png', 'svg', 'json'] as const).map((format) => (
            <button
              key={format}
              type="button"
              className="secondary"
              data-testid={`${testId}-export-${format}`}
              onClick={() => {
                const box = boxRef.current;
                const api = apiRef.current;
                if (!box || !api || !objectRef.current) return;
                setExportError(null);
                const run = async () => {
                  if (format === 'png') await exportPng(box, exportName);
                  else if (format === 'svg') exportSvg(box, exportName);
                  else exportRootJson(api, objectRef.current as object, exportName);
                };
                run().catch((error: unknown) => setExportError(error instanceof Error ? error.message : String(error)));
              }}
            >
              {format === 'json' ? 'ROOT JSON' : format.toUpperCase()}
            </button>
          ))}
          {exportError && <span className="error">{exportError}</span>}
        </div>
      )}
      {state === 'failed' && (
        <figcaption className="error small" role="alert">
          The plot could not be drawn; reload the page to try again.
        </figcaption>
      )}
    </figure>
  );
}
