import 'server-only';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { submissions } from '@/db/schema';

/**
 * Moves a user's entries made without a team in the given phases into their new team, so the team's limits and
 * board row include them. With `clearFinalSelection` the moved entries stop being selected as final: the team's
 * own selection stands (at most two per team).
 */
export async function adoptSoloSubmissions(
  tx: Pick<Database, 'update'>,
  input: { challengeId: string; userId: string; teamId: string; phaseIds: string[]; clearFinalSelection: boolean },
): Promise<void> {
  if (input.phaseIds.length === 0) return;
  await tx
    .update(submissions)
    .set(input.clearFinalSelection ? { teamId: input.teamId, isFinal: false } : { teamId: input.teamId })
    .where(
      and(
        eq(submissions.challengeId, input.challengeId),
        eq(submissions.userId, input.userId),
        isNull(submissions.teamId),
        inArray(submissions.phaseId, input.phaseIds),
      ),
    );
}
