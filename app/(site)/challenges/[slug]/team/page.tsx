import Link from 'next/link';
import { formatDateTime } from '@/app/_components/format';
import { findTeamInvite } from '@/lib/server/teams/find-team-invite';
import { getMyTeam } from '@/lib/server/teams/get-my-team';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';
import { getChallengeOr404 } from '../get-challenge-or-404';
import { createTeamAction, joinTeamAction, leaveTeamAction, rotateInviteCodeAction } from './actions';
import { InviteLink } from './_components/invite-link';
import { TeamActionForm } from './_components/team-action-form';
import { challengePageMetadata } from '../challenge-page-metadata';

export const dynamic = 'force-dynamic';

export function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  return challengePageMetadata(params, 'Team');
}

export default async function TeamPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { ctx, challenge } = await getChallengeOr404((await params).slug);
  const inviteCode = parseRouteQuery('/challenges/[slug]/team', await searchParams).invite ?? '';
  const here = `/challenges/${challenge.slug}/team${inviteCode ? `?invite=${encodeURIComponent(inviteCode)}` : ''}`;
  if (!ctx.user) {
    return (
      <p className="notice">
        <Link href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`}>Sign in</Link> or <Link href="/sign-up">create an account</Link> to
        form or join a team.
      </p>
    );
  }
  const [team, invite] = await Promise.all([getMyTeam(ctx, challenge.slug), inviteCode ? findTeamInvite(ctx, inviteCode) : Promise.resolve(null)]);
  const isInviteHere = invite !== null && invite.challengeSlug === challenge.slug;
  const rules = (
    <p className="small muted">
      A team shares the submission limits, the final selection and one leaderboard row. You can be in one team per challenge;
      when you join, your earlier submissions in running phases become the team&apos;s, so a join that would take the team past a
      phase&apos;s limit is refused. Members who have submitted for the team stay in it; the owner leaves last, which dissolves the
      team.
    </p>
  );

  if (team) {
    return (
      <article data-testid="my-team">
        <h2>
          Team <span data-testid="team-name">{team.name}</span>
        </h2>
        <table className="table">
          <thead>
            <tr>
              <th>member</th>
              <th>role</th>
              <th>joined</th>
            </tr>
          </thead>
          <tbody>
            {team.members.map((m) => (
              <tr key={`${m.name}-${m.joinedAt}`} data-testid="team-member">
                <td>
                  {m.name}
                  {m.isYou && <span className="muted"> (you)</span>}
                </td>
                <td>{m.role}</td>
                <td className="small">{formatDateTime(m.joinedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {team.invitePath && team.inviteCode && (
          <section className="panel">
            <h3>Invite team-mates</h3>
            <p className="small">Anyone signed in who opens this link can join your team.</p>
            <InviteLink invitePath={team.invitePath} inviteCode={team.inviteCode} />
            {team.isOwner && (
              <TeamActionForm
                action={rotateInviteCodeAction}
                challengeSlug={challenge.slug}
                submitLabel="New invite link"
                pendingLabel="Changing…"
                confirmText="Replace the invite link? The current link stops working."
                className="row"
              />
            )}
          </section>
        )}
        <TeamActionForm
          action={leaveTeamAction}
          challengeSlug={challenge.slug}
          submitLabel={team.isOwner && team.members.length === 1 ? 'Dissolve team' : 'Leave team'}
          pendingLabel="Leaving…"
          confirmText={`Leave team "${team.name}"?`}
          className="row"
        />
        {rules}
      </article>
    );
  }

  return (
    <article>
      <h2>Team</h2>
      {inviteCode && (
        <p className={isInviteHere ? 'notice' : 'error'} data-testid="team-invite" data-team={invite?.teamName ?? ''}>
          {isInviteHere ? (
            <>
              You are invited to join team <strong>{invite.teamName}</strong>
              {invite.ownerName ? <> of {invite.ownerName}</> : null} ({invite.memberCount} {invite.memberCount === 1 ? 'member' : 'members'}) in this challenge.
              Press <em>Join team</em> below to join it; its members then share your entries&apos; limits and one leaderboard row.
            </>
          ) : invite ? (
            <>
              This invite is for team <strong>{invite.teamName}</strong> of another challenge,{' '}
              <a href={`/challenges/${invite.challengeSlug}/team?invite=${encodeURIComponent(inviteCode)}`}>{invite.challengeTitle}</a>.
            </>
          ) : (
            <>This invite code belongs to no team (it may have been replaced by a new link): ask the team owner for the current one.</>
          )}
        </p>
      )}
      <p>You are competing on your own in this challenge. Create a team or join one with its invite link or code.</p>
      <div className="charts">
        <section className="panel">
          <h3>Join a team</h3>
          <TeamActionForm
            action={joinTeamAction}
            challengeSlug={challenge.slug}
            submitLabel={isInviteHere ? `Join team ${invite.teamName}` : 'Join team'}
            pendingLabel="Joining…"
            testId="join-team"
          >
            <label>
              Invite link or code
              <input name="inviteCode" type="text" required defaultValue={inviteCode} autoComplete="off" />
            </label>
          </TeamActionForm>
        </section>
        <section className="panel">
          <h3>Create a team</h3>
          <TeamActionForm action={createTeamAction} challengeSlug={challenge.slug} submitLabel="Create team" pendingLabel="Creating…" testId="create-team">
            <label>
              Team name
              <input name="name" type="text" required minLength={2} maxLength={60} />
            </label>
          </TeamActionForm>
        </section>
      </div>
      {rules}
    </article>
  );
}
