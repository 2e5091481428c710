import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';

export type TruthReveal = {
  /** Whether anything derived from the hidden truth (private-split scores, true μ) may be shown. */
  isRevealed: boolean;
  /** Phases still open or upcoming among all challenges scored on this truth (this challenge's included). */
  openPhases: number;
  /** Whether one of those phases belongs to another challenge. */
  isOpenElsewhere: boolean;
};

/**
 * Whether the hidden truth a challenge is scored on may be revealed at `now`: only when every phase of every
 * challenge scored on that truth has closed. "That truth" is the challenge's dataset version and every other version
 * holding one of its server-only files (same sha256), drafts included, so neither a second challenge on the same
 * data nor a closed earlier phase can serve as an oracle for a phase still open.
 */
export async function getTruthReveal(db: Pick<Database, 'execute'>, challenge: { id: string; datasetVersionId: string }, now: Date): Promise<TruthReveal> {
  const result = await db.execute<{ open_phases: number; open_elsewhere: number }>(sql`
    WITH truth_files AS (
      SELECT f->>'sha256' AS sha256
      FROM dataset_versions dv, jsonb_array_elements(dv.manifest->'files') f
      WHERE dv.id = ${challenge.datasetVersionId} AND (f->>'serverOnly')::boolean
    ),
    same_truth AS (
      SELECT ${challenge.datasetVersionId}::uuid AS id
      UNION
      SELECT dv.id
      FROM dataset_versions dv, jsonb_array_elements(dv.manifest->'files') f
      WHERE (f->>'serverOnly')::boolean AND f->>'sha256' IN (SELECT sha256 FROM truth_files)
    )
    SELECT count(*)::int AS open_phases, count(*) FILTER (WHERE c.id <> ${challenge.id})::int AS open_elsewhere
    FROM phases p
    JOIN challenges c ON c.id = p.challenge_id
    WHERE c.dataset_version_id IN (SELECT id FROM same_truth)
      AND (p.closes_at IS NULL OR p.closes_at > ${now.toISOString()}::timestamptz)
  `);
  const row = (result as unknown as { rows: { open_phases: number; open_elsewhere: number }[] }).rows[0];
  const openPhases = Number(row?.open_phases ?? 0);
  return { isRevealed: openPhases === 0, openPhases, isOpenElsewhere: Number(row?.open_elsewhere ?? 0) > 0 };
}
