import { AppError } from '@/lib/shared/app-error';
import { closestNames, globToRegExp } from '../text/closest-names';
import { type ByteSource, openByteSource } from './byte-source';
import { defaultJobs } from './decode-pool';
import {
  type JsrootEntryValue,
  type JsrootFileHandle,
  type JsrootRNTupleValue,
  type JsrootTreeHandle,
  listJsrootKeys,
  openJsrootFile,
  readBranchesWithJsrootEventLoop,
  readJsrootStreamerInfos,
  readJsrootTree,
  readRNTupleWithJsrootEventLoop,
} from './jsroot-adapter';
import { type BranchPlan, planBranchTree } from './plan-branch';
import { readBranchColumn, type RootColumn } from './read-branch';
import type { RawKeyRecord } from './raw-records';
import { type BranchSelection, readTreeBatches, schemaOfSelection } from './read-tree-batches';
import { openRNTuple, type RNTuple } from './rntuple/open-rntuple';
import { collectTable, DIRECTORY_CLASSES, RNTUPLE_CLASS, type RootTable, type TableSelection, TREE_CLASSES } from './root-table';
import { StreamerLookup } from './streamer-read-spec';

export type { ReadBatchesOptions, RootTable } from './root-table';

/** A TTree or an RNTuple among the file's keys: its full path (`dir/sub/name`; `name` is the same) and the cycle read (the highest). */
export type RootTreeSummary = { path: string; name: string; cycle: number };

/** What a selection of branch patterns resolved to. */
export type ColumnSelection = TableSelection & { selection: BranchSelection[] };

/** A TTree: entries, every branch (sub-branches included) with how it is read, and batch-wise reading. */
export type RootTree = RootTable<ColumnSelection> & {
  readonly kind: 'TTree';
  /** Every branch, parents before their sub-branches, in tree order. */
  readonly branches: readonly BranchPlan[];
  /** The branch by its full name, or AppError('NOT_FOUND') naming the closest names. */
  getBranch(name: string): BranchPlan;
  /**
   * Resolves branch patterns to columns: a column name selects that column; a branch name selects all its columns
   * and those of its sub-branches; globs (`*`, `?`) match both. Unsupported branches named exactly fail with their
   * reason; matched by a glob, they fail too unless `skipUnsupported`. Names that match nothing fail with the
   * closest names.
   */
  /** One branch of numbers or vectors of numbers read whole as typed arrays (small trees and tests). */
  readBranch(name: string): Promise<RootColumn>;
  /** The same branches read by jsroot's own TSelector event loop (the reference; slow). */
  readWithJsrootEventLoop(names: readonly string[], options?: { onEntry?: (values: Record<string, unknown>) => void; numEntries?: number }): Promise<Record<string, JsrootEntryValue[]>>;
};

export type RootFile = {
  readonly name: string;
  readonly sizeBytes: number;
  readonly source: ByteSource;
  /** Every key of the file, directories walked (full paths). */
  readonly keys: readonly RawKeyRecord[];
  /** TTrees among the keys, highest cycle of each path. */
  readonly trees: readonly RootTreeSummary[];
  /** RNTuples (`ROOT::RNTuple` anchors) among the keys, directories walked, highest cycle of each path. */
  readonly rntuples: readonly RootTreeSummary[];
  /** A tree by its full path (`dir/sub/tree`, optionally `;cycle`), or AppError('NOT_FOUND') listing the trees. */
  getTree(path: string): Promise<RootTree>;
  /** An RNTuple by its full path (optionally `;cycle`): anchor, header, footer and page lists read and checked. */
  getRNTuple(path: string): Promise<RNTuple>;
  /**
   * The TTree or RNTuple at `path`, dispatching on the class of its key; AppError('NOT_FOUND') listing both kinds
   * (with the closest names), or AppError('BAD_REQUEST') when the key holds something else.
   */
  getTable(path: string): Promise<RootTree | RNTuple>;
  /** Top-level fields of an RNTuple read by jsroot's own RNTuple event loop (a reference where it works; slow). */
  readRNTupleWithJsrootEventLoop(path: string, fieldNames: readonly string[], options?: { onEntry?: (values: Record<string, unknown>) => void; maxEntries?: number }): Promise<Record<string, JsrootRNTupleValue[]>>;
  close(): Promise<void>;
};

/** The key of each path among those of `classes`, highest cycle first. */
function highestCycles(keys: readonly RawKeyRecord[], isWanted: (className: string) => boolean): Map<string, RawKeyRecord> {
  const highest = new Map<string, RawKeyRecord>();
  for (const key of keys) {
    if (!isWanted(key.className)) continue;
    const seen = highest.get(key.path);
    if (!seen || key.cycle > seen.cycle) highest.set(key.path, key);
  }
  return highest;
}

/**
 * Opens a ROOT file (local path, http(s) URL read with range requests, or a ByteSource). jsroot reads the header,
 * the keys of every directory and the streamer infos; nothing else is read until a tree is asked for, and then only
 * the baskets of the selected branches.
 */
export async function openRootFile(location: string | ByteSource): Promise<RootFile> {
  const source = typeof location === 'string' ? await openByteSource(location) : location;
  let handle: JsrootFileHandle;
  let keys: RawKeyRecord[];
  try {
    handle = await openJsrootFile(source);
    keys = await listJsrootKeys(handle);
  } catch (error) {
    await source.close();
    throw error;
  }
  const lookup = new StreamerLookup(readJsrootStreamerInfos(handle));
  const highestTrees = highestCycles(keys, (c) => TREE_CLASSES.has(c));
  const highestRNTuples = highestCycles(keys, (c) => c === RNTUPLE_CLASS);
  const summaries = (highest: Map<string, RawKeyRecord>) => [...highest.values()].map((k) => ({ path: k.path, name: k.path, cycle: k.cycle }));
  const trees = summaries(highestTrees);
  const rntuples = summaries(highestRNTuples);
  const treeCache = new Map<string, Promise<RootTree>>();
  const rntupleCache = new Map<string, Promise<RNTuple>>();

  /** The key `path` (`dir/name` or `dir/name;cycle`) names among keys of `classes`, or null. */
  const findKey = (path: string, highest: Map<string, RawKeyRecord>, isWanted: (className: string) => boolean): RawKeyRecord | null => {
    const [bare, cycleText] = path.split(';') as [string, string | undefined];
    if (cycleText === undefined) return highest.get(bare) ?? null;
    return keys.find((k) => k.path === bare && k.cycle === Number(cycleText) && isWanted(k.className)) ?? null;
  };
  /** NOT_FOUND naming what the path holds instead (if anything), the objects of that kind and the closest names. */
  const notFound = (path: string, kind: string, listed: readonly RootTreeSummary[]): AppError => {
    const [bare] = path.split(';') as [string];
    const names = listed.map((t) => t.path);
    const other = keys.find((k) => k.path === bare);
    const what = other ? `"${path}" in ${source.name} is a ${other.className}, not ${kind === 'tree' ? 'a TTree' : kind === 'RNTuple' ? 'an RNTuple' : 'a TTree or an RNTuple'}` : `${kind} "${path}" not found in ${source.name}`;
    const label = kind === 'tree' ? 'trees' : kind === 'RNTuple' ? 'RNTuples' : 'trees and RNTuples';
    return new AppError('NOT_FOUND', `${what}; ${label}: ${names.join(', ') || 'none'}${names.length && !other ? `; closest: ${closestNames(bare, names).join(', ')}` : ''}.`, {
      file: source.name,
      expected: names.join(', '),
      found: path,
    });
  };
  const openTree = (key: RawKeyRecord): Promise<RootTree> => {
    const cacheKey = `${key.path};${key.cycle}`;
    let tree = treeCache.get(cacheKey);
    if (!tree) {
      tree = readJsrootTree(handle, key).then(({ record, tree: jsrootTree }) => makeTree(source, record.path, record.entries, record.branches.flatMap((b) => planBranchTree(b, lookup)), jsrootTree));
      treeCache.set(cacheKey, tree);
    }
    return tree;
  };
  const openNTuple = (key: RawKeyRecord): Promise<RNTuple> => {
    const cacheKey = `${key.path};${key.cycle}`;
    let ntuple = rntupleCache.get(cacheKey);
    if (!ntuple) {
      ntuple = openRNTuple(source, { name: key.path, seek: key.seek, keyBytes: key.keyBytes, totalBytes: key.sizeBytes, objectBytes: key.objectBytes });
      rntupleCache.set(cacheKey, ntuple);
    }
    return ntuple;
  };
  const isTree = (c: string) => TREE_CLASSES.has(c);
  const isRNTuple = (c: string) => c === RNTUPLE_CLASS;
  return {
    name: source.name,
    sizeBytes: source.sizeBytes,
    source,
    keys,
    trees,
    rntuples,
    async getTree(path) {
      const key = findKey(path, highestTrees, isTree);
      if (!key) throw notFound(path, 'tree', trees);
      return openTree(key);
    },
    async getRNTuple(path) {
      const key = findKey(path, highestRNTuples, isRNTuple);
      if (!key) throw notFound(path, 'RNTuple', rntuples);
      return openNTuple(key);
    },
    async getTable(path) {
      const tree = findKey(path, highestTrees, isTree);
      if (tree) return openTree(tree);
      const ntuple = findKey(path, highestRNTuples, isRNTuple);
      if (ntuple) return openNTuple(ntuple);
      const [bare] = path.split(';') as [string];
      const other = keys.find((k) => k.path === bare);
      if (other && !DIRECTORY_CLASSES.has(other.className)) {
        const listed = [...trees, ...rntuples].map((t) => t.path);
        throw new AppError('BAD_REQUEST', `"${path}" in ${source.name} is a ${other.className}; only TTrees and RNTuples hold entries to read (${listed.join(', ') || 'this file has none'}).`, {
          file: source.name,
          expected: 'TTree or ROOT::RNTuple',
          found: other.className,
        });
      }
      throw notFound(path, 'TTree or RNTuple', [...trees, ...rntuples]);
    },
    async readRNTupleWithJsrootEventLoop(path, fieldNames, options) {
      const key = findKey(path, highestRNTuples, isRNTuple);
      if (!key) throw notFound(path, 'RNTuple', rntuples);
      return readRNTupleWithJsrootEventLoop(handle, key, fieldNames, options).catch((cause: unknown) => {
        if (cause instanceof AppError) throw cause;
        throw new AppError('INVALID_DATASET', `jsroot's RNTuple event loop cannot read ${fieldNames.join(', ')} of "${key.path}" in ${source.name}: ${cause instanceof Error ? cause.message : String(cause)}`, { file: source.name }, { cause });
      });
    },
    close: () => source.close(),
  };
}

/**
 * Sub-branches of objects whose top branch name does not end in "." are named by the member alone, so two objects
 * of one class split in a tree give two columns of one name: the later ones are named `parent/member` (uproot's
 * path notation) so that every column of a tree has its own name.
 */
function withUniqueColumnNames(branches: BranchPlan[]): BranchPlan[] {
  const seen = new Set<string>();
  return branches.map((plan) => {
    if (!plan.columns.some((c) => seen.has(c.name))) {
      for (const c of plan.columns) seen.add(c.name);
      return plan;
    }
    const columns = plan.columns.map((c) => {
      let name = c.name;
      for (let k = 2; seen.has(name); k++) name = `${plan.parent ?? plan.name}/${c.name}${k > 2 ? `;${k - 1}` : ''}`;
      seen.add(name);
      return { ...c, name };
    });
    return { ...plan, columns };
  });
}

function makeTree(source: ByteSource, path: string, entries: number, planned: BranchPlan[], jsrootTree: JsrootTreeHandle): RootTree {
  const branches = withUniqueColumnNames(planned);
  const byName = new Map<string, BranchPlan>();
  for (const b of branches) if (!byName.has(b.name)) byName.set(b.name, b);
  const columnOwner = new Map<string, BranchPlan>();
  for (const b of branches) for (const c of b.columns) if (!columnOwner.has(c.name)) columnOwner.set(c.name, b);
  const allNames = [...new Set([...byName.keys(), ...columnOwner.keys()])];
  const notFound = (name: string, what = `branch "${name}" not found`) =>
    new AppError('NOT_FOUND', `${what} in ${path} of ${source.name}; closest: ${closestNames(name, allNames).join(', ')}.`, {
      file: source.name,
      column: name,
      expected: closestNames(name, allNames).join(', '),
      found: name,
    });
  // Plans come parents first, each followed by its whole subtree (deeper plans), so a subtree is a contiguous run.
  const descendants = (plan: BranchPlan): BranchPlan[] => {
    const start = branches.indexOf(plan);
    let end = start + 1;
    while (end < branches.length && (branches[end] as BranchPlan).depth > plan.depth) end++;
    return branches.slice(start, end);
  };
  const baseMetadata = { source_file: source.name, source_size_bytes: String(source.sizeBytes), tree: path, entries: String(entries) };

  const tree: RootTree = {
    kind: 'TTree',
    path,
    fileName: source.name,
    entries,
    branches,
    getBranch(name) {
      const branch = byName.get(name);
      if (!branch) throw notFound(name);
      return branch;
    },
    selectColumns(patterns, options = {}) {
      const list = patterns === undefined ? ['*'] : (typeof patterns === 'string' ? patterns.split(',') : [...patterns]).map((p) => p.trim()).filter(Boolean);
      if (list.length === 0) throw new AppError('BAD_REQUEST', 'no branch names or patterns given.');
      const picked = new Map<BranchPlan, Set<string>>();
      const skipped = new Map<string, string>();
      const refuse: BranchPlan[] = [];
      const take = (plan: BranchPlan, columns: readonly string[], explicit: boolean) => {
        if (plan.decode) {
          const set = picked.get(plan) ?? new Set<string>();
          for (const c of columns) set.add(c);
          picked.set(plan, set);
        } else if (plan.layout === 'unsupported') {
          if (explicit || !options.skipUnsupported) refuse.push(plan);
          else skipped.set(plan.name, plan.reason ?? '');
        } else if (plan.layout === 'empty') {
          skipped.set(plan.name, plan.reason ?? '');
        }
      };
      const takeBranch = (plan: BranchPlan, explicit: boolean) => {
        for (const d of descendants(plan)) take(d, d.columns.map((c) => c.name), explicit && d === plan);
      };
      for (const pattern of list) {
        if (!/[*?]/.test(pattern)) {
          const branch = byName.get(pattern);
          const owner = columnOwner.get(pattern);
          if (branch) takeBranch(branch, true);
          else if (owner) take(owner, [pattern], true);
          else throw notFound(pattern);
          continue;
        }
        const regex = globToRegExp(pattern);
        let matched = false;
        for (const plan of branches) {
          if (regex.test(plan.name)) {
            matched = true;
            take(plan, plan.columns.map((c) => c.name), false);
            continue;
          }
          const columns = plan.columns.filter((c) => regex.test(c.name)).map((c) => c.name);
          if (columns.length > 0) {
            matched = true;
            take(plan, columns, false);
          }
        }
        if (!matched) throw notFound(pattern.replace(/[*?]/g, ''), `no branch matches "${pattern}"`);
      }
      if (refuse.length > 0) {
        const unique = [...new Set(refuse)];
        const described = unique.map((b) => `"${b.name}" (${b.typeName}): ${b.reason}`).join(' ');
        throw new AppError('BAD_REQUEST', `${unique.length} selected branch(es) of ${path} in ${source.name} cannot be converted: ${described} Narrow --branches or pass --skip-unsupported.`, {
          file: source.name,
          column: unique.map((b) => b.name).join(', '),
        });
      }
      const selection: BranchSelection[] = branches.filter((b) => picked.has(b)).map((plan) => ({ plan, columns: plan.columns.filter((c) => picked.get(plan)?.has(c.name)) }));
      if (selection.length === 0) {
        const reasons = [...skipped].slice(0, 3).map(([n, r]) => `${n}: ${r}`).join('; ');
        throw new AppError('BAD_REQUEST', `none of the branches selected by "${list.join(',')}" in ${path} of ${source.name} has columns to read${reasons ? ` (${reasons})` : ''}.`, { file: source.name });
      }
      const metadata = { ...baseMetadata, skipped_branches: JSON.stringify([...skipped].map(([name, reason]) => ({ name, reason }))), ...options.metadata };
      const compressedBytes = selection.reduce((sum, { plan }) => sum + plan.compressedBytes, 0);
      return { selection, skipped: [...skipped].map(([name, reason]) => ({ name, reason })), schema: schemaOfSelection(selection, metadata), compressedBytes };
    },
    readBatches(options = {}) {
      const { selection, schema } = tree.selectColumns(options.branches, { skipUnsupported: options.skipUnsupported });
      return readTreeBatches(source, { path, entries }, selection, schema, {
        jobs: options.jobs ?? defaultJobs(),
        batchEntries: options.batchEntries,
        entryStart: options.entryStart,
        entryStop: options.entryStop,
      });
    },
    readTable(options = {}) {
      return collectTable(tree.selectColumns(options.branches, { skipUnsupported: options.skipUnsupported }).schema, tree.readBatches(options));
    },
    readBranch(name) {
      return readBranchColumn(source, path, tree.getBranch(name));
    },
    readWithJsrootEventLoop(names, options) {
      for (const name of names) if (!byName.has(name)) throw notFound(name);
      return readBranchesWithJsrootEventLoop(jsrootTree, names, options);
    },
  };
  return tree;
}
