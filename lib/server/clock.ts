import 'server-only';
import { env } from '@/lib/env';

/**
 * The platform's clock. Tests of phase transitions and daily limits move it forward through the test-only clock
 * endpoint, which exists only when ARENA_TEST_CLOCK=true; in production the offset is always 0.
 */
const state = globalThis as typeof globalThis & { __hepArenaClockOffsetMs?: number };

export function platformNow(): Date {
  return new Date(Date.now() + (state.__hepArenaClockOffsetMs ?? 0));
}

export function isTestClockEnabled(): boolean {
  return env.ARENA_TEST_CLOCK;
}

/** Sets the clock to `at` (or back to real time with null). Refused unless the test clock is enabled. */
export function setTestClock(at: Date | null): Date {
  if (!env.ARENA_TEST_CLOCK) throw new Error('The test clock is disabled; set ARENA_TEST_CLOCK=true (tests only).');
  state.__hepArenaClockOffsetMs = at ? at.getTime() - Date.now() : 0;
  return platformNow();
}
