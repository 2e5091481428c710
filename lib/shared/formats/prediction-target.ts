/**
 * What a predictions file must cover, derived from a challenge's truth (never containing labels or μ), and the
 * aligned arrays a valid file becomes. Shared by upload validation and the scoring job so both read a file the
 * same way.
 */
import type { TrackHitIndex } from './track-hit-index';

/** Ids of one table in truth row order, and the row of each id. */
export type IdIndex = { ids: Float64Array; rowById: Map<number, number> };

export type PredictionTarget =
  | {
      task: 'binary-classification';
      /**
       * Systematic variation names the file must also cover. Empty: columns `id,score` (a `variation` column, if
       * present, must say "nominal"). Non-empty: columns `variation,id,score` with one row per id of the nominal test
       * set ("nominal") and of each variation's test set.
       */
      variations: string[];
      /** "nominal" and every variation name → the ids its rows must cover exactly once. */
      idsByTable: Map<string, IdIndex>;
    }
  | {
      task: 'interval-estimation';
      /** Columns `pe_id,mu_hat,delta_mu_hat,p16,p84`: one row per pseudo-experiment id, exactly once. */
      peIds: IdIndex;
    }
  | {
      task: 'track-assignment';
      /** Columns `event_id,hit_id,track_id`: one row per hit of every test event, exactly once. */
      hits: TrackHitIndex;
    };

export type AlignedPredictions =
  | {
      task: 'binary-classification';
      /** Per table ("nominal" and each variation): scores in that table's truth row order. */
      scores: Map<string, Float64Array>;
      rows: number;
    }
  | {
      task: 'interval-estimation';
      /** In truth_pe row order. */
      muHat: Float64Array;
      deltaMuHat: Float64Array;
      p16: Float64Array;
      p84: Float64Array;
      rows: number;
    }
  | {
      task: 'track-assignment';
      /** Submitted track id of each hit, in the truth's row order. */
      trackIds: Float64Array;
      rows: number;
    };

/** Formats a predictions file may come in; any of them may be gzip-compressed. */
export const predictionFileFormats = ['csv', 'arrow', 'parquet'] as const;
export type PredictionFileFormat = (typeof predictionFileFormats)[number];

/** Number of rows a complete predictions file for this target has. */
export function countTargetRows(target: PredictionTarget): number {
  if (target.task === 'interval-estimation') return target.peIds.ids.length;
  if (target.task === 'track-assignment') return target.hits.hits;
  return [...target.idsByTable.values()].reduce((sum, index) => sum + index.ids.length, 0);
}

/** Largest accepted predictions file (after decompression for gzip), streamed with bounded memory. */
export const maxPredictionFileBytes = 1024 * 1024 * 1024;
