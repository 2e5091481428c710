import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Upload scratch files untouched this long belong to an upload that died (a stalled client sends nothing for so long). */
export const scratchMaxIdleMs = 15 * 60_000;

/**
 * Deletes the scratch files interrupted uploads left behind: `DATA_DIR/uploads/tmp-*` (an upload streamed to disk)
 * and `hep-arena-predictions-*` (a compressed upload inflated for checking). With `isSoleProcess` (the embedded
 * database's server, at start) every one goes, since no upload can be running; otherwise only those idle longer than
 * {@link scratchMaxIdleMs}, since another web server sharing DATA_DIR may be receiving one. Returns what was removed.
 */
export async function sweepUploadScratch(dataDir: string, options: { isSoleProcess: boolean; now: Date }): Promise<{ files: number; bytes: number }> {
  const directory = path.join(dataDir, 'uploads');
  let names: string[];
  try {
    names = await fs.readdir(directory);
  } catch {
    return { files: 0, bytes: 0 };
  }
  let files = 0;
  let bytes = 0;
  for (const name of names) {
    if (!name.startsWith('tmp-') && !name.startsWith('hep-arena-predictions-')) continue;
    const file = path.join(directory, name);
    const stat = await fs.stat(file).catch(() => null);
    if (!stat?.isFile()) continue;
    if (!options.isSoleProcess && options.now.getTime() - stat.mtimeMs < scratchMaxIdleMs) continue;
    await fs.rm(file, { force: true });
    files += 1;
    bytes += stat.size;
  }
  return { files, bytes };
}
