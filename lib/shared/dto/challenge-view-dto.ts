import type { ChallengeDto, ChallengeSummaryDto } from './challenge-dto';

/** Whether the viewer sees a draft (visible only to its organisers and admins) and may organise the challenge. */
export type ChallengeVisibilityDto = { isDraft: boolean; canOrganise: boolean };

export type ChallengeListItemDto = ChallengeSummaryDto & ChallengeVisibilityDto;

export type ChallengeViewDto = ChallengeDto & ChallengeVisibilityDto;
