import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScoringError } from './errors';
import { PreparedTrackmlTruth, scoreTrackmlEvents } from './trackml-score';
import { bootstrapTrackingMetrics, computeTrackingMetrics, selectTrackingEvents } from './tracking-metrics';

const fixtures = path.resolve(__dirname, '../tests/fixtures/trackml');
type ReferenceCase = { name: string; hits: number; events: number; event_scores: Record<string, number>; trackml_score: number };
const reference = JSON.parse(fs.readFileSync(path.join(fixtures, 'reference.json'), 'utf8')) as { cases: ReferenceCase[] };

/** Reads a case's CSV files; particle ids exactly (BigInt) and ranked per event, as any reader must. */
function readCase(name: string) {
  const lines = (file: string) => fs.readFileSync(path.join(fixtures, 'cases', name, file), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const truth = lines('truth.csv');
  const eventIds = Float64Array.from(truth, (r) => Number(r[0]));
  const hitIds = truth.map((r) => Number(r[1]));
  const particles = truth.map((r) => BigInt(r[2] as string));
  const distinct = [...new Set(particles)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rankOf = new Map(distinct.map((p, k) => [p, p === 0n ? 0 : k + (distinct[0] === 0n ? 0 : 1)]));
  const particleRanks = Int32Array.from(particles, (p) => rankOf.get(p) as number);
  const weights = Float64Array.from(truth, (r) => Number(r[3]));
  const rowOf = new Map(truth.map((r, k) => [`${r[0]}:${r[1]}`, k]));
  const trackIds = new Float64Array(truth.length);
  for (const r of lines('submission.csv')) trackIds[rowOf.get(`${r[0]}:${r[1]}`) as number] = Number(r[2]);
  return { eventIds, hitIds, particleRanks, weights, trackIds };
}

function prepare(rows: Array<[event: number, particle: number, weight: number]>) {
  return PreparedTrackmlTruth.prepare({
    eventIds: rows.map((r) => r[0]),
    particleRanks: rows.map((r) => r[1]),
    weights: rows.map((r) => r[2]),
  });
}

describe('scoreTrackmlEvents', () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))('matches the pandas reference on case %s (per event and mean)', (name, expected) => {
    const input = readCase(name);
    const truth = PreparedTrackmlTruth.prepare(input);
    const results = scoreTrackmlEvents(truth, input.trackIds);
    expect(results.eventIds.length).toBe(expected.events);
    results.eventIds.forEach((id, e) => {
      expect(results.score[e]).toBeCloseTo(expected.event_scores[String(id)] as number, 12);
    });
    expect(computeTrackingMetrics(results).trackml_score).toBeCloseTo(expected.trackml_score, 12);
  });

  it('gives the tie to the smaller particle id, and a noise tie to noise', () => {
    // Track 0: two hits of particle 3 and two of particle 2 (the majority: 2), then 4 more hits of particle 2 elsewhere.
    const truth = prepare([
      [1, 3, 0.1],
      [1, 3, 0.1],
      [1, 2, 0.1],
      [1, 2, 0.1],
      [1, 0, 0],
      [1, 0, 0],
      [1, 5, 0.3],
      [1, 5, 0.3],
    ]);
    // Track 9 = {noise, noise, particle 5, particle 5}: noise wins the tie, so particle 5's weight is lost.
    const results = scoreTrackmlEvents(truth, [0, 0, 0, 0, 9, 9, 9, 9], true);
    expect(results.score[0]).toBe(0);
    // Particle 5 alone on its track: its whole weight counts.
    expect(scoreTrackmlEvents(truth, [0, 0, 0, 0, 9, 9, 8, 8]).score[0]).toBeCloseTo(0.6 / 1.0, 15);
  });

  it('needs strictly more than half on both sides', () => {
    const truth = prepare([
      [0, 1, 0.25],
      [0, 1, 0.25],
      [0, 2, 0.25],
      [0, 2, 0.25],
    ]);
    expect(scoreTrackmlEvents(truth, [5, 5, 5, 5]).score[0]).toBe(0); // 2 of 4 hits of the track
    expect(scoreTrackmlEvents(truth, [5, 6, 7, 7]).score[0]).toBe(0.5); // particle 2 whole; particle 1 split 1 + 1
  });

  it('scores events independently of row order and of the track ids chosen', () => {
    const input = readCase('random-shuffle-5pct');
    const base = scoreTrackmlEvents(PreparedTrackmlTruth.prepare(input), input.trackIds).score;
    const order = Array.from(input.eventIds.keys()).reverse();
    const permuted = {
      eventIds: order.map((k) => input.eventIds[k] as number),
      particleRanks: order.map((k) => input.particleRanks[k] as number),
      weights: order.map((k) => input.weights[k] as number),
    };
    // Renamed tracks: an injective map to large ids.
    const renamed = order.map((k) => (input.trackIds[k] as number) * 7 + 2 ** 50);
    const again = scoreTrackmlEvents(PreparedTrackmlTruth.prepare(permuted), renamed).score;
    base.forEach((s, e) => expect(again[e]).toBeCloseTo(s, 14));
  });

  it('counts reconstructable, matched, candidate and fake tracks', () => {
    const rows: Array<[number, number, number]> = [];
    for (let k = 0; k < 5; k++) rows.push([3, 1, 0.1]); // particle 1: 5 hits
    for (let k = 0; k < 4; k++) rows.push([3, 2, 0.1]); // particle 2: 4 hits
    for (let k = 0; k < 3; k++) rows.push([3, 4, 0.1 / 3]); // particle 4: 3 hits (not reconstructable)
    for (let k = 0; k < 4; k++) rows.push([3, 0, 0]); // noise
    const truth = prepare(rows);
    // Track 1: particle 1 (good). Track 2: 2 hits of particle 2 + 2 noise (noise wins the tie: fake). Track 3: the
    // other 2 of particle 2 + 3 of particle 4 (majority 4: 3/5, 3/3 → good, real, though not reconstructable).
    // Track 4: 2 noise hits (not a candidate).
    const tracks = [1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 2, 2, 4, 4];
    const results = scoreTrackmlEvents(truth, tracks, true);
    expect([results.reconstructable[0], results.matched[0], results.candidates[0], results.fakes[0]]).toEqual([2, 1, 3, 1]);
    expect(results.score[0]).toBeCloseTo((0.5 + 0.1) / 1.0, 15);
    expect(Array.from(results.details.candidateGood)).toEqual([1, 0, 1]);
    const metrics = computeTrackingMetrics(results);
    expect(metrics.tracking_efficiency).toBe(0.5);
    expect(metrics.tracking_fake_rate).toBeCloseTo(1 / 3, 15);
  });

  it('rejects unusable truths and track ids with typed errors naming the row or event', () => {
    expect(() => prepare([])).toThrow(expect.objectContaining({ code: 'EMPTY' }));
    expect(() => prepare([[0, 1, 0], [0, 1, 0]])).toThrow(/Event 0 has a total hit weight of 0/);
    expect(() => prepare([[0, 1, 1], [-1, 1, 1]])).toThrow(expect.objectContaining({ code: 'INVALID_ID', row: 1 }));
    expect(() => prepare([[0, 1.5, 1]])).toThrow(expect.objectContaining({ code: 'INVALID_ID' }));
    expect(() => prepare([[0, 1, Number.NaN]])).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    expect(() => prepare([[0, 1, -1]])).toThrow(expect.objectContaining({ code: 'NEGATIVE_WEIGHT' }));
    const truth = prepare([[0, 1, 1], [0, 1, 1]]);
    expect(() => scoreTrackmlEvents(truth, [0])).toThrow(expect.objectContaining({ code: 'LENGTH_MISMATCH' }));
    expect(() => scoreTrackmlEvents(truth, [0, -2])).toThrow(expect.objectContaining({ code: 'INVALID_ID', row: 1 }));
    expect(() => scoreTrackmlEvents(truth, [0, 2 ** 53])).toThrow(ScoringError);
  });
});

describe('tracking metrics over events', () => {
  const events = {
    score: Float64Array.of(0.9, 0.5, 0.7, 0.1),
    reconstructable: Int32Array.of(10, 10, 20, 5),
    matched: Int32Array.of(9, 5, 14, 1),
    candidates: Int32Array.of(10, 8, 15, 0),
    fakes: Int32Array.of(1, 3, 1, 0),
  };

  it('averages scores over events and pools the counts', () => {
    const m = computeTrackingMetrics(events);
    expect(m.trackml_score).toBeCloseTo(0.55, 15);
    expect(m.tracking_efficiency).toBeCloseTo(29 / 45, 15);
    expect(m.tracking_fake_rate).toBeCloseTo(5 / 33, 15);
    expect(computeTrackingMetrics(selectTrackingEvents(events, [3])).tracking_fake_rate).toBe(0);
  });

  it('resamples events with the shared paired rule: same replicas for the same seed and split, mean near the value', () => {
    const a = bootstrapTrackingMetrics(events, { seed: 5, splitKey: 'public', replicas: 300 });
    const b = bootstrapTrackingMetrics(events, { seed: 5, splitKey: 'public', replicas: 300 });
    const c = bootstrapTrackingMetrics(events, { seed: 5, splitKey: 'private', replicas: 300 });
    expect(Array.from(a.trackml_score)).toEqual(Array.from(b.trackml_score));
    expect(Array.from(a.trackml_score)).not.toEqual(Array.from(c.trackml_score));
    const mean = a.trackml_score.reduce((s, v) => s + v, 0) / 300;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.65);
    for (const v of a.tracking_efficiency) expect(v).toBeGreaterThanOrEqual(0);
    expect(() => bootstrapTrackingMetrics(events, { seed: 5, splitKey: 'public', replicas: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
  });
});
