import type { Vector } from 'apache-arrow';
import type { RootFile } from '../root';

/** What a file's own bookkeeping says about the events it was made from. */
export type Bookkeeping = {
  /** Σ of the nominal MC weight over every event the production processed (the generated events), as recorded. */
  sumOfEventWeights: number;
  /** Events processed (before any derivation skimming). */
  acceptedEvents: number;
  /** Where the numbers come from, e.g. `MetaData/CutBookkeepers AllExecutedEvents (cycle 5, StreamAOD)`. */
  source: string;
  /** DSID recorded in the file's metadata (TruthMetaData mcChannelNumber or FileMetaData mcProcID), when present. */
  dsid: number | null;
  /** Incomplete bookkeepers (jobs that processed only part of an input) present in the file. */
  incompleteEntries: number;
};

const PREFIX = 'CutBookkeepersAux';

/**
 * The CutBookkeepers of an xAOD (PHYSLITE) file's `MetaData` tree: among the complete bookkeepers named
 * `AllExecutedEvents`, the one of the highest cycle (preferring input stream StreamAOD) counts every event the
 * production chain processed for this file, with Σ of the nominal event weight: the Σw that normalises an MC sample
 * (summed over the sample's files). Null when the file has no MetaData tree or no such bookkeeper.
 */
export async function readBookkeeping(file: RootFile): Promise<Bookkeeping | null> {
  if (!file.trees.some((t) => t.path === 'MetaData')) return null;
  const tree = await file.getTree('MetaData');
  const wanted = ['name', 'cycle', 'inputStream', 'nAcceptedEvents', 'sumOfEventWeights'].map((m) => `${PREFIX}.${m}`);
  if (!hasColumns(tree, wanted)) return null;
  const table = await tree.readTable({ branches: wanted, jobs: 1 });
  if (table.numRows === 0) return null;
  const list = (name: string): unknown[] => {
    const cell = table.getChild(`${PREFIX}.${name}`)?.get(0) as Vector | null | undefined;
    return cell ? Array.from(cell.toArray() as ArrayLike<unknown>) : [];
  };
  const names = list('name').map(String);
  const cycles = list('cycle').map(Number);
  const streams = list('inputStream').map(String);
  const accepted = list('nAcceptedEvents').map(Number);
  const sums = list('sumOfEventWeights').map(Number);
  let best = -1;
  for (let i = 0; i < names.length; i++) {
    if (names[i] !== 'AllExecutedEvents') continue;
    if (best < 0) {
      best = i;
      continue;
    }
    const higherCycle = (cycles[i] as number) > (cycles[best] as number);
    const sameCycleAod = cycles[i] === cycles[best] && streams[i] === 'StreamAOD' && streams[best] !== 'StreamAOD';
    if (higherCycle || sameCycleAod) best = i;
  }
  if (best < 0) return null;
  return {
    sumOfEventWeights: sums[best] as number,
    acceptedEvents: accepted[best] as number,
    source: `MetaData/CutBookkeepers AllExecutedEvents (cycle ${cycles[best]}, ${streams[best]})`,
    dsid: await readMetadataDsid(file),
    incompleteEntries: await countIncomplete(file),
  };
}

function hasColumns(tree: Awaited<ReturnType<RootFile['getTree']>>, names: readonly string[]): boolean {
  try {
    tree.selectColumns([...names]);
    return true;
  } catch {
    return false;
  }
}

async function readMetadataDsid(file: RootFile): Promise<number | null> {
  const tree = await file.getTree('MetaData');
  for (const name of ['TruthMetaDataAux.mcChannelNumber', 'FileMetaDataAuxDyn.mcProcID']) {
    if (!hasColumns(tree, [name])) continue;
    const table = await tree.readTable({ branches: [name], jobs: 1 });
    const cell = table.getChild(name)?.get(0) as Vector | number | null | undefined;
    const value = cell && typeof cell === 'object' ? Number((cell.toArray() as ArrayLike<number>)[0]) : Number(cell);
    if (Number.isInteger(value) && value > 0) return value;
  }
  return null;
}

async function countIncomplete(file: RootFile): Promise<number> {
  const tree = await file.getTree('MetaData');
  const name = 'IncompleteCutBookkeepersAux.name';
  if (!hasColumns(tree, [name])) return 0;
  const table = await tree.readTable({ branches: [name], jobs: 1 });
  const cell = table.getChild(name)?.get(0) as Vector | null | undefined;
  return cell ? cell.length : 0;
}
