import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { challenges } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import type { ChallengeChangeDto } from '@/lib/shared/dto/organised-challenge-dto';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import { getOrganisedChallengeOrThrow } from './get-organised-challenge-or-throw';
import { announceBoardChange } from '../leaderboards/announce-board-change';

const inputSchema = z.object({ slug: z.string().min(1) });

/** Makes a draft visible to everyone (listed, open for submissions in its open phase). Organisers and admins only. */
export async function publishChallenge(ctx: ServiceContext, input: { slug: string }): Promise<ChallengeChangeDto> {
  const { slug } = inputSchema.parse(input);
  const { loaded, user } = await getOrganisedChallengeOrThrow(ctx, slug);
  const { challenge, definition } = loaded;
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await announceBoardChange(tx, slug);
    // Only a draft changes, so two clicks cannot publish twice.
    const updated = await tx
      .update(challenges)
      .set({ publishedAt: now, updatedAt: now })
      .where(and(eq(challenges.id, challenge.id), isNull(challenges.publishedAt)))
      .returning({ id: challenges.id });
    if (updated.length === 0) {
      throw new AppError('CONFLICT', `"${definition.title}" is published already (since ${challenge.publishedAt?.toISOString() ?? 'earlier'}).`);
    }
    await recordAuditEvent(tx, { actorId: user.id, action: 'challenge.publish', challengeId: challenge.id, target: `challenge:${slug}`, at: now });
  });
  return { slug, title: definition.title, revision: challenge.revision, isDraft: false, isRevisionBumped: false };
}
