import { revalidatePath } from 'next/cache';
import { NextResponse } from 'next/server';
import { isTestClockEnabled, setTestClock } from '@/lib/server/clock';
import { testClockBodySchema } from '@/lib/shared/api/api-schemas';

export const dynamic = 'force-dynamic';

/** Test-only: moves the platform clock. 404 unless ARENA_TEST_CLOCK=true, so it does not exist in production. */
export async function POST(request: Request) {
  if (!isTestClockEnabled()) return NextResponse.json({ error: { code: 'NOT_FOUND', message: 'Not found.' } }, { status: 404 });
  const parsed = testClockBodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return NextResponse.json({ error: { code: 'BAD_REQUEST', message: 'Send {"at": ISO-8601 time or null}.' } }, { status: 400 });
  const now = setTestClock(parsed.data.at ? new Date(parsed.data.at) : null);
  // Phases open and close with the clock: the visitors' cached boards are rendered afresh.
  revalidatePath('/public-boards/[slug]/[phase]/[split]/[page]', 'page');
  return NextResponse.json({ now: now.toISOString() });
}
