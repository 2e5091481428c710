import { AppError } from '@/lib/shared/app-error';
import { RootFileWriter, type RootFileWriterOptions } from './root-file-writer';
import type { StreamerInfoSpec } from './streamer-infos';
import { TTreeWriter, type TreeWriterOptions } from './ttree-writer';

/** A ROOT file being written: add trees, fill them batch by batch, then close (or abort). */
export type RootFileOutput = {
  readonly filePath: string;
  /** Declares a tree; its baskets are written as batches are appended, its TTree record at close. */
  addTree(options: TreeWriterOptions): TTreeWriter;
  /** Writes the TTree records, streamer infos, keys list, free segments and header, and closes the file. */
  close(): void;
  /** Closes and deletes the unfinished file. */
  abort(): void;
};

/**
 * Creates a ROOT file at `filePath` (replacing any file there) that holds one or more TTrees. Trees may be filled
 * in turn or interleaved; memory stays at one basket per branch. On an error, call `abort()` so that no
 * half-written file is left behind.
 */
export async function createRootFile(filePath: string, options: RootFileWriterOptions = {}): Promise<RootFileOutput> {
  return outputOf(await RootFileWriter.create(filePath, options), filePath);
}

/** The same, with the file kept in memory (for small files such as dataset exports); `bytes()` after `close()`. */
export async function createInMemoryRootFile(fileName: string, options: RootFileWriterOptions = {}): Promise<RootFileOutput & { bytes(): Uint8Array }> {
  const file = await RootFileWriter.createInMemory(fileName, options);
  return Object.assign(outputOf(file, fileName), { bytes: () => file.bytes() });
}

/** {@link createInMemoryRootFile} without waiting (not for ZSTD, whose encoder loads asynchronously). */
export function createInMemoryRootFileSync(fileName: string, options: RootFileWriterOptions = {}): RootFileOutput & { bytes(): Uint8Array } {
  const file = RootFileWriter.createInMemorySync(fileName, options);
  return Object.assign(outputOf(file, fileName), { bytes: () => file.bytes() });
}

function outputOf(file: RootFileWriter, filePath: string): RootFileOutput {
  const trees: TTreeWriter[] = [];
  let isDone = false;
  return {
    filePath,
    addTree(treeOptions) {
      if (isDone) throw new AppError('INTERNAL', `${filePath} is closed; no tree can be added.`, { file: filePath });
      if (trees.some((t) => t.name === treeOptions.name)) {
        throw new AppError('BAD_REQUEST', `${file.fileName} already has a tree "${treeOptions.name}"; tree names must be unique.`, { file: filePath, found: treeOptions.name });
      }
      const tree = new TTreeWriter(file, treeOptions);
      trees.push(tree);
      return tree;
    },
    close() {
      if (isDone) return;
      isDone = true;
      try {
        for (const tree of trees) tree.finish();
        const infos: { name: string; info: StreamerInfoSpec }[] = [];
        for (const tree of trees) {
          for (const entry of tree.streamerInfos()) if (!infos.some((i) => i.name === entry.name)) infos.push(entry);
        }
        file.close(infos);
      } catch (error) {
        file.abort();
        throw error;
      }
    },
    abort() {
      isDone = true;
      file.abort();
    },
  };
}
