import type { SessionUser } from '../context';

/**
 * Whether a user may run a challenge: its owning organiser, or an admin. Participants and organisers of other
 * challenges may not, whatever their role.
 */
export function canOrganise(user: SessionUser | null, challenge: { createdBy: string | null }): boolean {
  if (!user) return false;
  if (user.role === 'admin') return true;
  return user.role === 'organiser' && challenge.createdBy === user.id;
}
