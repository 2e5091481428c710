import type { Phase } from '@/db/schema';

/**
 * Why a challenge takes no submissions at `now`, in words a participant can act on: the phase that closed last
 * (late submissions are refused) or the next one to open.
 */
export function describePhaseClosure(title: string, phases: Phase[], now: Date): string {
  const upcoming = phases.filter((p) => p.opensAt > now).sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime())[0];
  const closed = phases
    .filter((p) => p.closesAt && p.closesAt <= now)
    .sort((a, b) => (b.closesAt?.getTime() ?? 0) - (a.closesAt?.getTime() ?? 0))[0];
  const parts = [`"${title}" takes no submissions now.`];
  if (closed?.closesAt) parts.push(`Phase "${closed.title}" closed at ${closed.closesAt.toISOString()}; late submissions are not accepted.`);
  if (upcoming) parts.push(`Phase "${upcoming.title}" opens at ${upcoming.opensAt.toISOString()}.`);
  return parts.join(' ');
}
