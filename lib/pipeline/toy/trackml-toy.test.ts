import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeArrowColumns } from '@/lib/shared/arrow';
import { TOY_DETECTOR_FIELD_T, TOY_DETECTOR_SURFACES } from '@/lib/shared/tracking/trackml-toy-detector';
import { PreparedTrackmlTruth, scoreTrackmlEvents } from '@/scoring/trackml-score';
import { computeTrackmlHitWeights } from '@/scoring/trackml-weights';
import { computeTrackingMetrics } from '@/scoring/tracking-metrics';
import { listTrackmlEvents, readTrackmlEvent, type TrackmlEvent, writeTrackmlEventFiles } from '../importers/trackml-event';
import { findTracksByHough } from '../tracking/hough-track-finder';
import { generateTrackmlToyEvent } from './generate-trackml-toy-events';
import { buildTrackmlToyDataset } from './trackml-toy';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'trackml-toy-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

const events = Array.from({ length: 3 }, (_, k) => generateTrackmlToyEvent({ seed: 11, eventId: 1000 + k, meanParticles: 120, noiseFraction: 0.1 }));

function truthOf(list: readonly TrackmlEvent[]) {
  const eventIds: number[] = [];
  const particleRanks: number[] = [];
  const weights: number[] = [];
  for (const e of list) {
    const truth = e.truth as NonNullable<TrackmlEvent['truth']>;
    truth.particleId.forEach((p, i) => {
      eventIds.push(e.eventId);
      particleRanks.push(Number(p));
      weights.push(truth.weight[i] as number);
    });
  }
  return PreparedTrackmlTruth.prepare({ eventIds, particleRanks, weights });
}

describe('toy TrackML events', () => {
  it('are deterministic per (seed, event) and independent of the other events', () => {
    const again = generateTrackmlToyEvent({ seed: 11, eventId: 1001, meanParticles: 120, noiseFraction: 0.1 });
    expect(Array.from(again.hits.x)).toEqual(Array.from((events[1] as TrackmlEvent).hits.x));
    expect(Array.from(again.truth?.weight ?? [])).toEqual(Array.from(events[1]?.truth?.weight ?? []));
    const otherSeed = generateTrackmlToyEvent({ seed: 12, eventId: 1001, meanParticles: 120, noiseFraction: 0.1 });
    expect(Array.from(otherSeed.hits.x)).not.toEqual(Array.from(again.hits.x));
  });

  it('put every hit on a surface of the detector with TrackML volume, layer and module ids, ids 1 … N in detector order', () => {
    for (const event of events) {
      const { hits } = event;
      const n = hits.hitId.length;
      expect(Array.from(hits.hitId)).toEqual(Array.from({ length: n }, (_, k) => k + 1));
      for (let i = 0; i < n; i++) {
        const surface = TOY_DETECTOR_SURFACES.find((s) => s.volumeId === hits.volumeId[i] && s.layerId === hits.layerId[i]);
        expect(surface, `hit ${i}`).toBeDefined();
        if (!surface) continue;
        const r = Math.hypot(hits.x[i] as number, hits.y[i] as number);
        if (surface.kind === 'barrel') {
          expect(r).toBeCloseTo(surface.positionMm, 2);
          expect(Math.abs(hits.z[i] as number)).toBeLessThanOrEqual(surface.extentMm[1] + 10);
        } else {
          expect(hits.z[i]).toBeCloseTo(surface.positionMm, 3);
          expect(r).toBeGreaterThanOrEqual(surface.extentMm[0] - 10);
          expect(r).toBeLessThanOrEqual(surface.extentMm[1] + 10);
        }
        expect(hits.moduleId[i]).toBeGreaterThanOrEqual(1);
        if (i > 0) {
          const order = (hits.volumeId[i] as number) * 100 + (hits.layerId[i] as number) - ((hits.volumeId[i - 1] as number) * 100 + (hits.layerId[i - 1] as number));
          expect(order >= 0 && (order > 0 || (hits.moduleId[i] as number) >= (hits.moduleId[i - 1] as number))).toBe(true);
        }
      }
    }
  });

  it('give each particle hits on a helix of radius pT / (0.3 B), noise about a tenth of the hits, weights as published', () => {
    for (const event of events) {
      const truth = event.truth as NonNullable<TrackmlEvent['truth']>;
      const particles = event.particles as NonNullable<TrackmlEvent['particles']>;
      const noise = truth.particleId.filter((p) => p === 0n).length;
      expect(noise / truth.particleId.length).toBeGreaterThan(0.05);
      expect(noise / truth.particleId.length).toBeLessThan(0.15);
      let checked = 0;
      particles.particleId.forEach((id, k) => {
        const rows = Array.from(truth.particleId.keys()).filter((i) => truth.particleId[i] === id);
        expect(rows.length, `nhits of particle ${id}`).toBe(particles.nhits[k]);
        const pt = Math.hypot(particles.px[k] as number, particles.py[k] as number);
        if (pt < 2 || rows.length < 3) return;
        // Sagitta of the first three true hits in the transverse plane: radius of the circle through them.
        const [a, b, c] = rows.slice(0, 3).map((i) => [truth.tx[i] as number, truth.ty[i] as number] as const) as [readonly [number, number], readonly [number, number], readonly [number, number]];
        const ab = Math.hypot(b[0] - a[0], b[1] - a[1]);
        const bc = Math.hypot(c[0] - b[0], c[1] - b[1]);
        const ca = Math.hypot(a[0] - c[0], a[1] - c[1]);
        const area2 = Math.abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
        if (area2 < 1e-3) return;
        const radius = (ab * bc * ca) / (2 * area2);
        const expected = (pt * 1000) / (0.3 * TOY_DETECTOR_FIELD_T);
        expect(radius / expected, `particle ${id}, pT ${pt.toFixed(2)} GeV`).toBeGreaterThan(0.5);
        expect(radius / expected).toBeLessThan(2);
        checked++;
      });
      expect(checked).toBeGreaterThan(5);
      // The weights are the TrackML weights of the stored values.
      const indexOf = new Map(Array.from(particles.particleId, (id, k) => [id, k]));
      const recomputed = computeTrackmlHitWeights({
        particleOfHit: Int32Array.from(truth.particleId, (p) => (p === 0n ? -1 : (indexOf.get(p) as number))),
        hitTz: truth.tz,
        particleVz: particles.vz,
        particlePt: Float64Array.from(particles.px, (px, k) => Math.hypot(px, particles.py[k] as number)),
      });
      recomputed.forEach((w, i) => expect(truth.weight[i]).toBeCloseTo(w, 14));
    }
  });

  it('round-trip exactly through the TrackML file layout', async () => {
    const dir = path.join(tmpRoot, 'layout');
    await writeTrackmlEventFiles(dir, events[0] as TrackmlEvent);
    expect(fs.readdirSync(dir).sort()).toEqual(['event000001000-cells.csv', 'event000001000-hits.csv', 'event000001000-particles.csv', 'event000001000-truth.csv']);
    expect(fs.readFileSync(path.join(dir, 'event000001000-hits.csv'), 'utf8').split('\n')[0]).toBe('hit_id,x,y,z,volume_id,layer_id,module_id');
    expect(fs.readFileSync(path.join(dir, 'event000001000-truth.csv'), 'utf8').split('\n')[0]).toBe('hit_id,particle_id,tx,ty,tz,tpx,tpy,tpz,weight');
    const [entry] = listTrackmlEvents([dir]);
    const back = readTrackmlEvent(entry as NonNullable<typeof entry>);
    const original = events[0] as TrackmlEvent;
    expect(Array.from(back.hits.x)).toEqual(Array.from(original.hits.x));
    expect(Array.from(back.cells?.value ?? [])).toEqual(Array.from(original.cells?.value ?? []));
    expect(Array.from(back.truth?.weight ?? [])).toEqual(Array.from(original.truth?.weight ?? []));
    expect(Array.from(back.particles?.particleId ?? [])).toEqual(Array.from(original.particles?.particleId ?? []));
  });

  it('are reconstructed by the Hough baseline well above chance and well below perfection', () => {
    const truth = truthOf(events);
    const trackIds: number[] = [];
    for (const e of events) trackIds.push(...findTracksByHough(e.hits));
    const metrics = computeTrackingMetrics(scoreTrackmlEvents(truth, trackIds));
    expect(metrics.trackml_score).toBeGreaterThan(0.5);
    expect(metrics.trackml_score).toBeLessThan(0.95);
    expect(metrics.tracking_fake_rate).toBeLessThan(0.2);
  });
});

describe('buildTrackmlToyDataset', () => {
  const build = (name: string) =>
    buildTrackmlToyDataset({ outDir: path.join(tmpRoot, name, '1.0.0'), seed: 5, trainEvents: 2, testEvents: 3, meanParticles: 50, createdAt: '2026-01-01T00:00:00.000Z' });

  it('writes byte-identical files for the same seed, with server-only truth and the baseline submission', async () => {
    const first = await build('a');
    const second = await build('b');
    expect(second.files).toEqual(first.files);
    const byName = new Map(first.files.map((f) => [f.name, f]));
    for (const name of ['train_hits.arrow', 'train_cells.arrow', 'train_particles.arrow', 'train_truth.arrow', 'test_hits.arrow', 'test_cells.arrow', 'test_hits.csv', 'baseline_submission.csv']) {
      expect(byName.get(name)?.serverOnly, name).toBe(false);
    }
    expect(byName.get('truth_tracks.arrow')?.serverOnly).toBe(true);
    expect(first.isToy).toBe(true);
    expect(first.recipe.testEvents).toEqual([1002, 1003, 1004]);
    // No truth leaks into the participants' test files.
    const testHits = decodeArrowColumns(new Uint8Array(fs.readFileSync(path.join(tmpRoot, 'a', '1.0.0', 'test_hits.arrow'))));
    expect(testHits.columnNames).toEqual(['event_id', 'hit_id', 'x', 'y', 'z', 'volume_id', 'layer_id', 'module_id']);
    const truth = decodeArrowColumns(new Uint8Array(fs.readFileSync(path.join(tmpRoot, 'a', '1.0.0', 'truth_tracks.arrow'))));
    expect(truth.numRows).toBe(testHits.numRows);
    expect(truth.columns.particle_id).toBeInstanceOf(BigInt64Array);
    // Scratch event files are gone.
    expect(fs.readdirSync(path.join(tmpRoot, 'a')).sort()).toEqual(['1.0.0']);
  });
});
