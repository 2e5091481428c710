import 'server-only';
import { z } from 'zod';
import type { ChallengeChangeDto } from '@/lib/shared/dto/organised-challenge-dto';
import type { ServiceContext } from '../context';
import { assertCanCreateChallenges } from './assert-can-create-challenges';
import { createChallengeDraft } from './create-challenge-draft';
import { parseDefinitionJson } from './parse-definition-json';

const inputSchema = z.object({
  definitionJson: z.string().max(2_000_000, { error: 'The definition file is larger than 2 MB; keep large data out of it.' }),
});

/**
 * Creates a draft challenge, owned by the caller, from an uploaded definition file (the format of
 * challenges/schema.ts). Organisers and admins only; every problem of the file is named by its path.
 */
export async function createChallengeFromDefinition(ctx: ServiceContext, input: { definitionJson: string }): Promise<ChallengeChangeDto> {
  const { definitionJson } = inputSchema.parse(input);
  assertCanCreateChallenges(ctx);
  return createChallengeDraft(ctx, parseDefinitionJson(definitionJson), 'definition');
}
