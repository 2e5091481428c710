import 'server-only';
import { AppError } from '@/lib/shared/app-error';
import type { RecipeBuildDto } from '@/lib/shared/dto/recipe-build-dto';
import type { ServiceContext } from '../context';
import { assertCanCreateChallenges } from '../organiser/assert-can-create-challenges';
import { readRecipeBuild } from './read-recipe-build';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One build with its progress, for the organiser who started it or an admin (anyone else: not found). */
export async function getRecipeBuild(ctx: ServiceContext, buildId: string): Promise<RecipeBuildDto> {
  assertCanCreateChallenges(ctx);
  const notFound = new AppError('NOT_FOUND', `There is no dataset build "${buildId}" of yours.`);
  if (!uuidPattern.test(buildId)) throw notFound;
  let build: Awaited<ReturnType<typeof readRecipeBuild>>;
  try {
    build = await readRecipeBuild(ctx.db, buildId, ctx.now());
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') throw notFound;
    throw error;
  }
  if (ctx.user.role !== 'admin' && build.ownerId !== ctx.user.id) throw notFound;
  const { ownerId: _ownerId, ...dto } = build;
  return dto;
}
