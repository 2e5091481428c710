import 'server-only';
import { isDatabaseUnavailableError } from '@/db/client';

/**
 * Runs `attempt` again while it fails because the database cannot be reached, for about five seconds (a restarting
 * server is usually back well within them); any other error is thrown at once. Null when the database stayed away.
 */
export async function retryWhileUnavailable<T>(attempt: () => Promise<T>): Promise<{ value: T } | null> {
  for (let tries = 0; tries < 20; tries++) {
    try {
      return { value: await attempt() };
    } catch (error) {
      if (!isDatabaseUnavailableError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return null;
}
