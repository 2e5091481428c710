import 'server-only';
import { and, count, desc, eq, ilike, inArray, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { phases, scores, submissionSources, submissionStatuses, submissions, teams, users } from '@/db/schema';
import type { OrganiserSubmissionPageDto } from '@/lib/shared/dto/organiser-submission-dto';
import { toMetricColumns } from '../challenges/to-metric-columns';
import type { ServiceContext } from '../context';
import { findPhaseOrThrow } from './find-phase-or-throw';
import { getOrganisedChallengeOrThrow } from './get-organised-challenge-or-throw';

const pageSize = 50;
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());

const inputSchema = z.object({
  slug: z.string().min(1),
  phaseKey: optional(z.string()),
  status: optional(z.enum(submissionStatuses, { error: `status is one of ${submissionStatuses.join(', ')}` })),
  /** Part of the participant's name or e-mail address, case-insensitive. */
  participant: optional(z.string().trim().max(200)),
  source: optional(z.enum(submissionSources, { error: `source is one of ${submissionSources.join(', ')}` })),
  page: z.coerce.number().int().min(1).default(1),
});

export type ListChallengeSubmissionsInput = {
  slug: string;
  phaseKey?: string;
  status?: string;
  participant?: string;
  source?: string;
  page?: number | string;
};

/** `%` and `_` typed by the organiser match themselves, not any text. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Every submission of one challenge, newest first, 50 per page, for its organisers and admins (never another
 * challenge's): participant and team, status and error, source, and the public value of the primary metric under
 * the submission's current scoring version. Filters: phase, status, participant (name or e-mail substring), source.
 */
export async function listChallengeSubmissions(ctx: ServiceContext, input: ListChallengeSubmissionsInput): Promise<OrganiserSubmissionPageDto> {
  const filters = inputSchema.parse(input);
  const { loaded } = await getOrganisedChallengeOrThrow(ctx, filters.slug);
  const conditions: SQL[] = [eq(submissions.challengeId, loaded.challenge.id)];
  if (filters.phaseKey) conditions.push(eq(submissions.phaseId, findPhaseOrThrow(loaded, filters.phaseKey).id));
  if (filters.status) conditions.push(eq(submissions.status, filters.status));
  if (filters.source) conditions.push(eq(submissions.source, filters.source));
  if (filters.participant) {
    const pattern = likePattern(filters.participant);
    const match = or(ilike(users.name, pattern), ilike(users.email, pattern));
    if (match) conditions.push(match);
  }
  const where = and(...conditions);
  const [totalRow] = await ctx.db.select({ n: count() }).from(submissions).innerJoin(users, eq(users.id, submissions.userId)).where(where);
  const rows = await ctx.db
    .select({ submission: submissions, userName: users.name, userEmail: users.email, teamName: teams.name, phaseKey: phases.key })
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.userId))
    .innerJoin(phases, eq(phases.id, submissions.phaseId))
    .leftJoin(teams, eq(teams.id, submissions.teamId))
    .where(where)
    .orderBy(desc(submissions.createdAt), desc(submissions.id))
    .limit(pageSize)
    .offset((filters.page - 1) * pageSize);
  const primary = toMetricColumns(loaded.definition)[0];
  const ids = rows.map((r) => r.submission.id);
  const primaryScores =
    primary && ids.length > 0
      ? await ctx.db
          .select({ submissionId: scores.submissionId, value: scores.value, version: scores.scoringVersion })
          .from(scores)
          .where(and(inArray(scores.submissionId, ids), eq(scores.split, 'public'), eq(scores.variation, 'nominal'), eq(scores.metric, primary.id)))
      : [];
  return {
    rows: rows.map(({ submission, userName, userEmail, teamName, phaseKey }) => ({
      id: submission.id,
      phaseKey,
      participantName: userName,
      participantEmail: userEmail,
      teamName,
      fileName: submission.fileName,
      status: submission.status,
      source: submission.source,
      isBaseline: submission.isBaseline,
      isFinal: submission.isFinal,
      error: submission.error,
      primaryPublicValue: primaryScores.find((s) => s.submissionId === submission.id && s.version === submission.scoredVersion)?.value ?? null,
      scoredVersion: submission.scoredVersion,
      createdAt: submission.createdAt.toISOString(),
    })),
    total: totalRow?.n ?? 0,
    page: filters.page,
    pageSize,
    primaryMetric: { id: primary?.id ?? '', label: primary?.label ?? '', precision: primary?.precision ?? 4 },
  };
}
