import 'server-only';
import type { DatabaseHandle } from '@/db/client';
import { boardChangeChannel } from './announce-board-change';

/**
 * Calls `onChange` with the challenge slug of every board change announced by any process on this database (see
 * announceBoardChange), and with null after the listening connection was lost and restored (changes may have been
 * missed, so everything counts as changed). Returns the function that stops watching.
 */
export async function watchBoardChanges(handle: Pick<DatabaseHandle, 'listen'>, onChange: (challengeSlug: string | null) => void): Promise<() => Promise<void>> {
  return handle.listen(boardChangeChannel, (slug) => onChange(slug || null), () => onChange(null));
}
