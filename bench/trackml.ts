import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scoreTrackingFiles } from '@/lib/pipeline/scoring/score-tracking-files';
import { readPredictionsFile } from '@/lib/server/submissions/read-predictions-file';
import { TrackHitIndex } from '@/lib/shared/formats/track-hit-index';
import { PreparedTrackmlTruth, scoreTrackmlEvents } from '@/scoring/trackml-score';
import { computeTrackmlHitWeights } from '@/scoring/trackml-weights';
import { computeTrackingMetrics } from '@/scoring/tracking-metrics';
import { medianMs, medianMsAsync, round } from './timing';

/** Target of issue 18: scoring takes at most this many times as long as sorting the hits by (track, particle). */
const TARGET_RATIO = 3;

/** Seeded xorshift32, so every run scores the same hits. */
function makeRandom(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

/**
 * A synthetic tracking test set: `events` events of about `hitsPerEvent` hits, particles of 1–20 hits (TrackML-like
 * weights from `computeTrackmlHitWeights`), 10 % noise, and a realistic imperfect submission: 5 % of the hits moved
 * to a random track of the event, 10 % of the particles split in two, 5 % merged pairwise; track ids are random
 * integers below 2^40, hit ids 1 … N per event, hits of an event in a random order.
 */
function makeTestSet(events: number, hitsPerEvent: number, seed = 18) {
  const random = makeRandom(seed);
  const eventIds: number[] = [];
  const hitIds: number[] = [];
  const particleRanks: number[] = [];
  const weights: number[] = [];
  const trackIds: number[] = [];
  for (let e = 0; e < events; e++) {
    const particleOfHit: number[] = [];
    const tz: number[] = [];
    const particleVz: number[] = [];
    const particlePt: number[] = [];
    while (particleOfHit.length < hitsPerEvent * 0.9) {
      const p = particleVz.length;
      particleVz.push((random() - 0.5) * 100);
      particlePt.push(0.1 * Math.exp(random() * 4));
      const nhits = 1 + Math.floor(random() * 20);
      for (let k = 0; k < nhits; k++) {
        particleOfHit.push(p);
        tz.push((particleVz[p] as number) + (k + random()) * 100);
      }
    }
    while (particleOfHit.length < hitsPerEvent) {
      particleOfHit.push(-1);
      tz.push((random() - 0.5) * 6000);
    }
    const n = particleOfHit.length;
    const w = computeTrackmlHitWeights({ particleOfHit: Int32Array.from(particleOfHit), hitTz: tz, particleVz, particlePt });
    // Tracks: one per particle (random id), noise hits alone; then splits, merges and moved hits.
    const trackOfParticle = particleVz.map(() => Math.floor(random() * 2 ** 40));
    for (let p = 0; p + 1 < trackOfParticle.length; p += 2) if (random() < 0.05) trackOfParticle[p + 1] = trackOfParticle[p] as number;
    const splitAt = particleVz.map(() => (random() < 0.1 ? Math.floor(random() * 20) : Infinity));
    const seen = new Int32Array(particleVz.length);
    const tracks = particleOfHit.map((p) => {
      if (p < 0) return Math.floor(random() * 2 ** 40);
      const k = seen[p] as number;
      seen[p] = k + 1;
      return k >= (splitAt[p] as number) ? (trackOfParticle[p] as number) + 1 : (trackOfParticle[p] as number);
    });
    for (let i = 0; i < n; i++) if (random() < 0.05) tracks[i] = tracks[Math.floor(random() * n)] as number;
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const i of order) {
      eventIds.push(1000 + e);
      hitIds.push(i + 1);
      particleRanks.push((particleOfHit[i] as number) + 1);
      weights.push(w[i] as number);
      trackIds.push(tracks[i] as number);
    }
  }
  return {
    eventIds: Float64Array.from(eventIds),
    hitIds: Float64Array.from(hitIds),
    particleRanks: Int32Array.from(particleRanks),
    weights: Float64Array.from(weights),
    trackIds: Float64Array.from(trackIds),
  };
}

function numberArg(args: string[], name: string, fallback: number): number {
  const k = args.indexOf(name);
  if (k < 0) return fallback;
  const value = Number(args[k + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${args[k + 1]}`);
  return value;
}

/**
 * `npm run bench -- trackml [--events 100] [--hits-per-event 10000] [--repeats 5]`
 *
 * Scoring a test set of events × hits (default 100 × 10 000 = 1M hits) against sorting its hits by (track, particle),
 * measured in the same run (medians of a few repeats):
 *
 * - baseline `sortKeys`: per event, a Float64Array of keys track·P + particle sorted natively: the cheapest way to
 *   put the hits in (track, particle) order, as the reference `score.py` does with `sort_values`;
 * - baseline `sortHits`: per event, the hit indices sorted by (track, particle) with a comparator (the permutation a
 *   scorer walking the sorted hits with their weights needs);
 * - `score`: `scoreTrackmlEvents` + `computeTrackingMetrics` on a prepared truth (the server keeps it prepared);
 * - `prepareAndScore`: the same including `PreparedTrackmlTruth.prepare` (the offline scorer's in-memory work).
 *
 * Target: score / sortKeys ≤ 3. Also reported: reading the 1M-row submission CSV the server's way (streamed,
 * validated, aligned) and the whole offline scorer on CSV files, with their ratio to sortKeys for scale.
 */
export async function runTrackmlBench(args: string[]) {
  const events = numberArg(args, '--events', 100);
  const hitsPerEvent = numberArg(args, '--hits-per-event', 10_000);
  const repeats = numberArg(args, '--repeats', 5);
  const set = makeTestSet(events, hitsPerEvent);
  const hits = set.eventIds.length;

  // Rows of each event (the test set lists events one after another).
  const eventStart: number[] = [0];
  for (let i = 1; i < hits; i++) if (set.eventIds[i] !== set.eventIds[i - 1]) eventStart.push(i);
  eventStart.push(hits);
  const maxParticles = 1 + set.particleRanks.reduce((m, p) => Math.max(m, p), 0);

  const sortKeysMs = medianMs(repeats, () => {
    for (let e = 0; e + 1 < eventStart.length; e++) {
      const from = eventStart[e] as number;
      const to = eventStart[e + 1] as number;
      const keys = new Float64Array(to - from);
      for (let i = from; i < to; i++) keys[i - from] = (set.trackIds[i] as number) * maxParticles + (set.particleRanks[i] as number);
      keys.sort();
    }
  });
  const sortHitsMs = medianMs(Math.min(repeats, 3), () => {
    for (let e = 0; e + 1 < eventStart.length; e++) {
      const from = eventStart[e] as number;
      const to = eventStart[e + 1] as number;
      const order = Uint32Array.from({ length: to - from }, (_, k) => from + k);
      order.sort((a, b) => (set.trackIds[a] as number) - (set.trackIds[b] as number) || (set.particleRanks[a] as number) - (set.particleRanks[b] as number));
    }
  });

  const prepared = PreparedTrackmlTruth.prepare(set);
  let trackml = 0;
  const scoreMs = medianMs(repeats, () => {
    trackml = computeTrackingMetrics(scoreTrackmlEvents(prepared, set.trackIds)).trackml_score;
  });
  const prepareAndScoreMs = medianMs(repeats, () => {
    computeTrackingMetrics(scoreTrackmlEvents(PreparedTrackmlTruth.prepare(set), set.trackIds));
  });

  // Files: the submission and the truth as CSV, read the server's way and by the offline scorer.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-trackml-'));
  try {
    const submissionPath = path.join(dir, 'submission.csv');
    const truthPath = path.join(dir, 'truth.csv');
    const submission = ['event_id,hit_id,track_id'];
    const truth = ['event_id,hit_id,particle_id,weight'];
    for (let i = 0; i < hits; i++) {
      submission.push(`${set.eventIds[i]},${set.hitIds[i]},${set.trackIds[i]}`);
      truth.push(`${set.eventIds[i]},${set.hitIds[i]},${set.particleRanks[i] === 0 ? 0 : (set.particleRanks[i] as number) * 4096 + 7},${set.weights[i]}`);
    }
    fs.writeFileSync(submissionPath, `${submission.join('\n')}\n`);
    fs.writeFileSync(truthPath, `${truth.join('\n')}\n`);
    const index = TrackHitIndex.build(set.eventIds, set.hitIds);
    const fileRepeats = Math.min(repeats, 3);
    const readSubmissionMs = await medianMsAsync(fileRepeats, () => readPredictionsFile(submissionPath, 'submission.csv', { task: 'track-assignment', hits: index }, { tempDir: dir }));
    let offline = 0;
    const offlineMs = await medianMsAsync(fileRepeats, async () => {
      offline = (await scoreTrackingFiles({ truthPath, predictionsPath: submissionPath })).metrics.trackml_score;
    });
    const ratio = scoreMs / sortKeysMs;
    return {
      bench: 'trackml',
      node: process.version,
      machine: { cpus: os.availableParallelism(), loadAverage1m: round(os.loadavg()[0] ?? 0) },
      repeats,
      events,
      hits,
      trackmlScore: round(trackml, 6),
      offlineScoreAgrees: Math.abs(offline - trackml) < 1e-12,
      baseline: {
        sortKeysMedianMs: round(sortKeysMs),
        sortHitsMedianMs: round(sortHitsMs),
        what: 'per event: sortKeys = Float64Array keys track·P + particle sorted natively; sortHits = hit indices sorted by (track, particle) with a comparator',
      },
      scoring: {
        scoreMedianMs: round(scoreMs),
        prepareAndScoreMedianMs: round(prepareAndScoreMs),
        ratioToSortKeys: round(ratio, 3),
        ratioToSortHits: round(scoreMs / sortHitsMs, 3),
        prepareAndScoreRatioToSortKeys: round(prepareAndScoreMs / sortKeysMs, 3),
        target: `score / sortKeys ≤ ${TARGET_RATIO}`,
        met: ratio <= TARGET_RATIO,
      },
      files: {
        submissionCsvBytes: fs.statSync(submissionPath).size,
        readSubmissionCsvMedianMs: round(readSubmissionMs),
        offlineScorerOnCsvMedianMs: round(offlineMs),
        readSubmissionRatioToSortKeys: round(readSubmissionMs / sortKeysMs, 3),
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
