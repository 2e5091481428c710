/**
 * What the team page and the API receive about a team. Lives with the team services because this agent did not own
 * lib/shared/dto/; it is type-only, so client components may import it (move to lib/shared/dto/team-dto.ts).
 */
export type TeamMemberDto = { name: string; role: 'owner' | 'member'; joinedAt: string; isYou: boolean };

export type TeamDto = {
  id: string;
  name: string;
  challengeSlug: string;
  createdAt: string;
  /** The viewer created the team: only they may rotate its invite code. */
  isOwner: boolean;
  /** Only members see the code (it lets anyone signed in join); null for everyone else. */
  inviteCode: string | null;
  /** `/challenges/<slug>/team?invite=<code>` for members, else null. */
  invitePath: string | null;
  /** Owner first, then by joining order. */
  members: TeamMemberDto[];
};

/** What an invite link says before joining: which team, of which challenge, who runs it and how many are in it. */
export type TeamInviteDto = { teamName: string; challengeSlug: string; challengeTitle: string; ownerName: string | null; memberCount: number };
