import { AppError } from '@/lib/shared/app-error';
import { closestNames, globToRegExp } from '../text/closest-names';
import { type ByteSource, openByteSource } from './byte-source';
import {
  type JsrootEntryValue,
  type JsrootRNTupleValue,
  type RawFileRecord,
  type RawTreeRecord,
  readBranchesWithJsrootEventLoop,
  readRawTree,
  readRNTupleWithJsrootEventLoop,
  readRootFileKeys,
} from './jsroot-adapter';
import { readBranchColumn, type ReadBranchOptions, type RootColumn } from './read-branch';
import { openRNTuple, type RNTuple } from './rntuple';
import { classifyBranch, type RootBranchInfo } from './root-types';

export type RootTreeSummary = { name: string; cycle: number };

/** A TTree: its entry count, its top-level branches (supported or not, with the reason) and column reads. */
export type RootTree = {
  readonly name: string;
  readonly fileName: string;
  readonly entries: number;
  readonly branches: readonly RootBranchInfo[];
  /** The branch, or AppError('NOT_FOUND') naming the closest branch names. */
  getBranch(name: string): RootBranchInfo;
  /**
   * Branches matching comma-separated globs (`AnalysisJetsAuxDyn.*,EventInfoAuxDyn.eventNumber`), in tree order.
   * A pattern without wildcards must name an existing branch; a pattern that matches nothing fails with the
   * closest names.
   */
  selectBranches(patterns: string | readonly string[]): RootBranchInfo[];
  readBranch(name: string, options?: ReadBranchOptions): Promise<RootColumn>;
  /** The same branches read by jsroot's own TSelector event loop (the reference; slow). */
  readWithJsrootEventLoop(names: readonly string[], options?: { onEntry?: (values: Record<string, unknown>) => void }): Promise<Record<string, JsrootEntryValue[]>>;
};

export type RootFile = {
  readonly name: string;
  readonly sizeBytes: number;
  readonly source: ByteSource;
  /** TTrees among the top-level keys (highest cycle of each name). */
  readonly trees: readonly RootTreeSummary[];
  /** RNTuples (`ROOT::RNTuple` anchors) among the top-level keys (highest cycle of each name). */
  readonly rntuples: readonly RootTreeSummary[];
  getTree(name: string): Promise<RootTree>;
  /** The RNTuple's metadata (anchor, header, footer, page lists, checked); AppError('NOT_FOUND') naming the closest. */
  getRNTuple(name: string): Promise<RNTuple>;
  /** Top-level fields of an RNTuple read by jsroot's own RNTuple event loop (a reference where it works; slow). */
  readRNTupleWithJsrootEventLoop(
    name: string,
    fieldNames: readonly string[],
    options?: { onEntry?: (values: Record<string, unknown>) => void; maxEntries?: number },
  ): Promise<Record<string, JsrootRNTupleValue[]>>;
  close(): Promise<void>;
};

/**
 * Opens a ROOT file (local path, http(s) URL read with range requests, or a ByteSource). jsroot reads the keys and
 * streamer info; nothing else is read until a tree or a branch is asked for.
 */
export async function openRootFile(location: string | ByteSource): Promise<RootFile> {
  const source = typeof location === 'string' ? await openByteSource(location) : location;
  let record: RawFileRecord;
  try {
    record = await readRootFileKeys(source);
  } catch (error) {
    await source.close();
    throw error;
  }
  const byName = new Map<string, number>();
  for (const key of record.keys) {
    if (key.className === 'TTree' || key.className === 'TNtuple' || key.className === 'TNtupleD') byName.set(key.name, Math.max(byName.get(key.name) ?? 0, key.cycle));
  }
  const trees = [...byName].map(([name, cycle]) => ({ name, cycle }));
  const rntupleKeys = new Map<string, RawFileRecord['keys'][number]>();
  for (const key of record.keys) {
    const known = rntupleKeys.get(key.name);
    if (key.className === 'ROOT::RNTuple' && (!known || known.cycle < key.cycle)) rntupleKeys.set(key.name, key);
  }
  const rntuples = [...rntupleKeys.values()].map(({ name, cycle }) => ({ name, cycle }));
  const rntupleCache = new Map<string, Promise<RNTuple>>();
  const cache = new Map<string, Promise<RootTree>>();
  const getRNTuple = (name: string): Promise<RNTuple> => {
    const key = rntupleKeys.get(name);
    if (!key) {
      const names = rntuples.map((t) => t.name);
      throw new AppError('NOT_FOUND', `RNTuple "${name}" not found in ${source.name}; RNTuples: ${names.join(', ') || 'none'}${names.length ? `; closest: ${closestNames(name, names).join(', ')}` : ''}.`, {
        file: source.name,
        expected: names.join(', '),
        found: name,
      });
    }
    let ntuple = rntupleCache.get(name);
    if (!ntuple) {
      ntuple = openRNTuple(source, key);
      rntupleCache.set(name, ntuple);
    }
    return ntuple;
  };
  return {
    name: source.name,
    sizeBytes: source.sizeBytes,
    source,
    trees,
    rntuples,
    getRNTuple,
    async readRNTupleWithJsrootEventLoop(name, fieldNames, options) {
      const ntuple = await getRNTuple(name);
      return readRNTupleWithJsrootEventLoop(record, `${name};${rntupleKeys.get(name)?.cycle ?? 1}`, fieldNames, options).catch((cause: unknown) => {
        throw new AppError('INVALID_DATASET', `jsroot's RNTuple event loop cannot read ${fieldNames.join(', ')} of "${ntuple.name}" in ${source.name}: ${cause instanceof Error ? cause.message : String(cause)}`, { file: source.name }, { cause });
      });
    },
    getTree(name) {
      if (!byName.has(name)) {
        const names = trees.map((t) => t.name);
        throw new AppError('NOT_FOUND', `tree "${name}" not found in ${source.name}; trees: ${names.join(', ') || 'none'}${names.length ? `; closest: ${closestNames(name, names).join(', ')}` : ''}.`, {
          file: source.name,
          expected: names.join(', '),
          found: name,
        });
      }
      let tree = cache.get(name);
      if (!tree) {
        tree = readRawTree(record, `${name};${byName.get(name)}`).then((raw) => makeTree(source, { ...raw, name }));
        cache.set(name, tree);
      }
      return tree;
    },
    close: () => source.close(),
  };
}

function makeTree(source: ByteSource, raw: RawTreeRecord): RootTree {
  const branches = raw.branches.map(classifyBranch);
  const byName = new Map(branches.map((b) => [b.name, b]));
  const names = branches.map((b) => b.name);
  const notFound = (name: string, what = `branch "${name}" not found`) =>
    new AppError('NOT_FOUND', `${what} in ${raw.name} of ${source.name}; closest: ${closestNames(name, names).join(', ')}.`, {
      file: source.name,
      column: name,
      expected: closestNames(name, names).join(', '),
      found: name,
    });
  const tree: RootTree = {
    name: raw.name,
    fileName: source.name,
    entries: raw.entries,
    branches,
    getBranch(name) {
      const branch = byName.get(name);
      if (!branch) throw notFound(name);
      return branch;
    },
    selectBranches(patterns) {
      const list = (typeof patterns === 'string' ? patterns.split(',') : [...patterns]).map((p) => p.trim()).filter(Boolean);
      if (list.length === 0) throw new AppError('BAD_REQUEST', 'no branch names or patterns given.');
      const selected = new Set<string>();
      for (const pattern of list) {
        if (!/[*?]/.test(pattern)) {
          selected.add(tree.getBranch(pattern).name);
          continue;
        }
        const regex = globToRegExp(pattern);
        const matches = names.filter((n) => regex.test(n));
        if (matches.length === 0) throw notFound(pattern.replace(/[*?]/g, ''), `no branch matches "${pattern}"`);
        for (const m of matches) selected.add(m);
      }
      return branches.filter((b) => selected.has(b.name));
    },
    readBranch(name, options) {
      return readBranchColumn(source, tree.getBranch(name), options);
    },
    readWithJsrootEventLoop(names, options) {
      for (const name of names) tree.getBranch(name);
      return readBranchesWithJsrootEventLoop(raw, names, options);
    },
  };
  return tree;
}
