import 'server-only';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Cache tags Next gives the visitors' cached leaderboards, whatever their parameters: every page of the (public) route
 * group carries its layout's implicit tag (the route group is part of the tag, as in the `.meta` files Next writes
 * under .next/server/route-cache), and the visitors' API copy the implicit tag of its route.
 */
export const visitorBoardTags = ['_N_T_/(public)/layout', '_N_T_/api/v1/public-boards/[slug]/[phase]/[split]/route'] as const;

type TagsManifest = Map<string, { stale?: number; expired?: number }>;

/**
 * Next's process-wide record of revalidated tags, which its incremental cache consults on every read. It is loaded
 * with Node's own require from node_modules, the very module instance Next's server uses (a bundled copy would be a
 * different Map), and only where the server runs.
 */
function loadTagsManifest(): TagsManifest | null {
  try {
    const require = createRequire(path.join(process.cwd(), 'package.json'));
    const loaded = require('next/dist/server/lib/incremental-cache/tags-manifest.external.js') as { tagsManifest?: unknown };
    return loaded.tagsManifest instanceof Map ? (loaded.tagsManifest as TagsManifest) : null;
  } catch {
    return null;
  }
}

/**
 * Expires this web server's cached copies of the visitors' leaderboards at once, as `revalidatePath` would inside a
 * request: the next visitor of each board waits for a fresh render instead of being shown the old copy. (The copies
 * are per server and the signal comes from the database, outside any request, hence the tag record itself.) Returns
 * false where there is no Next server in this process (a worker, a test).
 */
export function expireVisitorBoards(at = Date.now()): boolean {
  const manifest = loadTagsManifest();
  if (!manifest) return false;
  for (const tag of visitorBoardTags) manifest.set(tag, { ...manifest.get(tag), expired: at });
  return true;
}
