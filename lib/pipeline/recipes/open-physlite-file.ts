import type { RecordBatch } from 'apache-arrow';
import { AppError, isAppError } from '@/lib/shared/app-error';
import { openRootFile, type RootFile } from '../root';
import { type Bookkeeping, readBookkeeping } from './read-bookkeeping';

/** An opened PHYSLITE sample file: its events as Arrow record batches and its own bookkeeping of generated events. */
export type PhysliteFile = {
  readonly name: string;
  /** Entries of the event tree. */
  readonly entries: number;
  /** The branches' columns, batch by batch (bounded memory), with `Container.member` names as PHYSLITE writes them. */
  readBatches(options: { batchEntries?: number; jobs?: number }): AsyncIterable<RecordBatch>;
  /** The CutBookkeepers of the file's MetaData tree, or null when it has none. */
  readBookkeeping(): Promise<Bookkeeping | null>;
  close(): Promise<void>;
};

/**
 * The one way a recipe build reads a sample file: opens it (local path or http(s) URL), finds the recipe's `tree` as a
 * TTree or an RNTuple (the kind may differ from file to file) and yields batches of the branches the recipe needs.
 * A file that cannot be read fails with AppError('INVALID_DATASET') naming the file and the reason.
 */
export async function openPhysliteFile(location: string, options: { tree: string; branches: readonly string[] }): Promise<PhysliteFile> {
  let root: RootFile;
  try {
    root = await openRootFile(location);
  } catch (error) {
    throw unreadable(location, error);
  }
  try {
    // A TTree (Run 2 PHYSLITE) or an RNTuple (Run 3): the same column names (`Container:member` reads as `Container.member`).
    const table = await root.getTable(options.tree);
    // Resolves the branch names now, so that a missing branch fails before any event is read (with the closest names).
    table.selectColumns([...options.branches]);
    return {
      name: root.name,
      entries: table.entries,
      readBatches: ({ batchEntries, jobs }) => table.readBatches({ branches: [...options.branches], batchEntries, jobs: jobs ?? 1 }),
      readBookkeeping: () => readBookkeeping(root),
      close: () => root.close(),
    };
  } catch (error) {
    await root.close().catch(() => {});
    throw unreadable(location, error);
  }
}

function unreadable(location: string, error: unknown): AppError {
  if (isAppError(error)) {
    const message = error.message.includes(location) || error.message.includes(location.split('/').pop() ?? location) ? error.message : `${location}: ${error.message}`;
    return new AppError(error.code === 'NOT_FOUND' || error.code === 'INVALID_DATASET' ? 'INVALID_DATASET' : error.code, message, { ...error.details, file: error.details?.file ?? location }, { cause: error });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError('INVALID_DATASET', `Cannot read ${location}: ${reason}.`, { file: location }, { cause: error });
}
