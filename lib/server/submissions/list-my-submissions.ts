import 'server-only';
import { desc, eq, inArray } from 'drizzle-orm';
import { challenges, phases, scores, submissions } from '@/db/schema';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';
import { assertSignedIn } from '../assert-signed-in';
import type { ServiceContext } from '../context';
import { toPhaseDto } from '../challenges/to-phase-dto';
import { toSubmissionDto } from './to-submission-dto';

/** The signed-in user's submissions, newest first, with public scores (private ones once the phase closed). */
export async function listMySubmissions(ctx: ServiceContext, options: { limit?: number } = {}): Promise<SubmissionDto[]> {
  assertSignedIn(ctx);
  const rows = await ctx.db
    .select({ submission: submissions, slug: challenges.slug, title: challenges.title, phase: phases })
    .from(submissions)
    .innerJoin(challenges, eq(challenges.id, submissions.challengeId))
    .innerJoin(phases, eq(phases.id, submissions.phaseId))
    .where(eq(submissions.userId, ctx.user.id))
    .orderBy(desc(submissions.createdAt))
    .limit(options.limit ?? 200);
  const ids = rows.map((r) => r.submission.id);
  const scoreRows = ids.length
    ? await ctx.db.select().from(scores).where(inArray(scores.submissionId, ids))
    : [];
  const now = ctx.now();
  return rows.map(({ submission, slug, title, phase }) => {
    const mine = scoreRows.filter((s) => s.submissionId === submission.id && s.variation === 'nominal');
    const isClosed = toPhaseDto(phase, now).state === 'closed';
    const bySplit = (split: string) => Object.fromEntries(mine.filter((s) => s.split === split).map((s) => [s.metric, s.value]));
    return toSubmissionDto(submission, { slug, title, phaseKey: phase.key }, bySplit('public'), isClosed ? bySplit('private') : null);
  });
}
