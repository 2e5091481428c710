'use client';

import { useCallback, useEffect, useState } from 'react';
import type { DisplayEventDto } from '@/lib/shared/display/display-objects';
import { buildEtaPhiViewCanvas, buildTransverseViewCanvas, describeObject } from './build-event-display-canvases';
import type { JsrootApi } from './jsroot-api';
import { RootPlot } from './root-plot';

type Loaded = { events: DisplayEventDto[] };

/**
 * The event display: one training event at a time in the transverse (x–y) and η–φ views, with its objects listed.
 * Next/previous buttons, the ← and → keys, a jump to an event id, and a shareable link (?event=<id>) per event.
 */
export function EventDisplay({ dataset, version, initialEventId }: { dataset: string; version: string; initialEventId: number | null }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [index, setIndex] = useState(0);
  const [jump, setJump] = useState('');
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    fetch(`/api/datasets/${encodeURIComponent(dataset)}/${encodeURIComponent(version)}/display`, { signal: controller.signal })
      .then(async (response) => {
        const body = (await response.json()) as { events: DisplayEventDto[] } | { error: { message: string } };
        if (!response.ok || 'error' in body) throw new Error('error' in body ? body.error.message : `The server answered ${response.status}.`);
        setLoaded({ events: body.events });
        const start = initialEventId === null ? 0 : body.events.findIndex((e) => e.eventId === initialEventId);
        if (start < 0) setNotice(`Event ${initialEventId} is not in the display sample; showing the first event instead.`);
        setIndex(Math.max(0, start));
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      });
    return () => controller.abort();
  }, [dataset, version, initialEventId]);

  const events = loaded?.events ?? [];
  const event = events[index];
  const count = events.length;
  const go = useCallback((next: number) => {
    if (count === 0) return;
    setNotice(null);
    setIndex(((next % count) + count) % count);
  }, [count]);

  // The address always names the event shown, so it can be shared or bookmarked.
  useEffect(() => {
    if (!event) return;
    const url = new URL(window.location.href);
    url.searchParams.set('event', String(event.eventId));
    window.history.replaceState(null, '', url);
  }, [event]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) return;
      if (e.key === 'ArrowRight' || e.key === 'n') go(index + 1);
      else if (e.key === 'ArrowLeft' || e.key === 'p') go(index - 1);
      else return;
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, index]);

  const buildTransverse = useCallback((api: JsrootApi) => (event ? buildTransverseViewCanvas(api, event) : null), [event]);
  const buildEtaPhi = useCallback((api: JsrootApi) => (event ? buildEtaPhiViewCanvas(api, event) : null), [event]);

  if (error) {
    return (
      <p className="notice" role="alert" data-testid="display-error">
        {error}
      </p>
    );
  }
  if (!loaded) return <p className="muted small">Loading the events…</p>;
  if (!event) return <p className="notice" data-testid="display-error">The display table of this version holds no events.</p>;
  const link = typeof window === 'undefined' ? '' : `${window.location.origin}${window.location.pathname}?event=${event.eventId}`;
  return (
    <section className="event-display" data-testid="event-display" data-event-id={event.eventId}>
      <div className="row">
        <button type="button" className="secondary" onClick={() => go(index - 1)} data-testid="display-previous" aria-label="Previous event">
          ← Previous
        </button>
        <span data-testid="display-position">
          Event <strong data-testid="display-event-id">{event.eventId}</strong> ({index + 1} of {count})
        </span>
        <button type="button" className="secondary" onClick={() => go(index + 1)} data-testid="display-next" aria-label="Next event">
          Next →
        </button>
      </div>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          const id = Number(jump);
          const found = events.findIndex((x) => x.eventId === id);
          if (!Number.isInteger(id) || found < 0) {
            setNotice(`There is no event ${jump || '(empty)'} in the display sample; its ids run from ${events[0]?.eventId} to ${events.at(-1)?.eventId}.`);
            return;
          }
          setNotice(null);
          setIndex(found);
        }}
      >
        <label>
          Jump to event id
          <input type="text" inputMode="numeric" value={jump} onChange={(e) => setJump(e.target.value)} data-testid="display-jump" size={8} />
        </label>
        <button type="submit" className="secondary" data-testid="display-jump-go">
          Show
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="display-copy-link"
          onClick={() => {
            void navigator.clipboard?.writeText(link).then(
              () => setNotice('Link to this event copied.'),
              () => setNotice(`Copy this link: ${link}`),
            );
          }}
        >
          Copy link to this event
        </button>
      </form>
      {notice && (
        <p className="small notice" role="status" data-testid="display-notice">
          {notice}
        </p>
      )}
      <p className="small muted">Keyboard: ← and → (or p and n) step through the events.</p>
      <div className="charts">
        <div>
          <h3>Transverse view (x–y)</h3>
          <RootPlot testId="display-transverse" label={`Transverse view of event ${event.eventId}`} build={buildTransverse} heightPx={360} exportName={`event-${event.eventId}-transverse`} />
        </div>
        <div>
          <h3>η–φ view</h3>
          <RootPlot testId="display-eta-phi" label={`η–φ view of event ${event.eventId}`} build={buildEtaPhi} heightPx={360} exportName={`event-${event.eventId}-eta-phi`} />
        </div>
      </div>
      <div className="table-scroll">
        <table className="table" data-testid="display-objects">
          <thead>
            <tr>
              <th>object</th>
              <th className="num">pT [GeV]</th>
              <th className="num">η</th>
              <th className="num">φ [rad]</th>
              <th className="num">m [GeV]</th>
            </tr>
          </thead>
          <tbody>
            {event.objects.map((o, k) => (
              <tr key={k} title={describeObject(o)}>
                <td>{o.kind.replace(/_/g, ' ')}</td>
                <td className="num">{o.pt.toFixed(1)}</td>
                <td className="num">{o.kind === 'met' ? '—' : o.eta.toFixed(2)}</td>
                <td className="num">{o.phi.toFixed(2)}</td>
                <td className="num">{o.m > 0 ? o.m.toFixed(1) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
