/**
 * The one module that imports jsroot. jsroot reads the file structure — header, keys, streamer info, the TTree
 * object with each branch's basket index — through our {@link ByteSource}, and serves as the correctness oracle
 * (its own TSelector event loop). Basket decoding itself is ours (read-branch.ts); nothing outside this file sees
 * a jsroot object.
 */
import { FileProxy, openFile } from 'jsroot/io';
import { rntupleProcess } from 'jsroot/rntuple';
import { TSelector, treeProcess } from 'jsroot/tree';
import { AppError } from '@/lib/shared/app-error';
import type { ByteSource } from './byte-source';
import type { RawBranchRecord } from './root-types';

type JsrootObject = Record<string, unknown> & { _typename?: string };
type JsrootList = { arr: JsrootObject[] };
type JsrootKey = { fName: string; fClassName: string; fCycle: number; fSeekKey: number; fKeylen: number; fNbytes: number; fObjlen: number };
type JsrootFile = { fKeys: JsrootKey[]; readObject(name: string): Promise<JsrootObject>; delete?: () => void };

/** jsroot's FileProxy over a ByteSource, so local files and HTTP ranges go through the same code. */
class ByteSourceProxy extends FileProxy {
  constructor(private readonly source: ByteSource) {
    super();
  }
  async openFile() {
    return true;
  }
  getFileName() {
    return this.source.name;
  }
  getFileSize() {
    return this.source.sizeBytes;
  }
  async readBuffer(position: number, length: number) {
    const bytes = await this.source.read(position, length);
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}

export type RawTreeRecord = { name: string; title: string; entries: number; branches: RawBranchRecord[]; handle: unknown };
/** A top-level key: name, class and cycle, and where its record lies (seek, key header, total and object bytes). */
export type RawKeyRecord = { name: string; className: string; cycle: number; seek: number; keyBytes: number; totalBytes: number; objectBytes: number };
export type RawFileRecord = { keys: RawKeyRecord[]; handle: unknown };

async function openJsrootFile(source: ByteSource): Promise<JsrootFile> {
  let file: JsrootFile | false;
  try {
    file = (await openFile(new ByteSourceProxy(source))) as JsrootFile | false;
  } catch (cause) {
    throw new AppError('INVALID_DATASET', `${source.name} is not a readable ROOT file (${cause instanceof Error ? cause.message : String(cause)}).`, { file: source.name }, { cause });
  }
  if (!file) throw new AppError('INVALID_DATASET', `${source.name} is not a readable ROOT file.`, { file: source.name });
  return file;
}

/** Opens the file with jsroot and lists its top-level keys. */
export async function readRootFileKeys(source: ByteSource): Promise<RawFileRecord> {
  const file = await openJsrootFile(source);
  return {
    keys: file.fKeys.map((k) => ({ name: k.fName, className: k.fClassName, cycle: k.fCycle, seek: k.fSeekKey, keyBytes: k.fKeylen, totalBytes: k.fNbytes, objectBytes: k.fObjlen })),
    handle: file,
  };
}

function toNumbers(values: unknown, count: number): number[] {
  const out: number[] = [];
  const array = values as ArrayLike<number | bigint> | undefined;
  for (let i = 0; i < count; i++) out.push(Number(array?.[i] ?? 0));
  return out;
}

function rawBranch(branch: JsrootObject): RawBranchRecord {
  const leaves = ((branch.fLeaves as JsrootList | undefined)?.arr ?? []).map((leaf) => ({
    leafClass: String(leaf._typename),
    title: String(leaf.fTitle ?? leaf.fName ?? ''),
    length: Number(leaf.fLen ?? 1),
    isUnsigned: Boolean(leaf.fIsUnsigned),
    hasCountLeaf: Boolean(leaf.fLeafCount),
  }));
  const writeBasket = Number(branch.fWriteBasket ?? 0);
  return {
    name: String(branch.fName),
    branchClass: String(branch._typename),
    className: String(branch.fClassName ?? ''),
    streamerType: typeof branch.fStreamerType === 'number' ? branch.fStreamerType : null,
    elementKind: typeof branch.fType === 'number' ? branch.fType : null,
    leaves,
    entryOffsetLen: Number(branch.fEntryOffsetLen ?? 0),
    writeBasket,
    basketSeek: toNumbers(branch.fBasketSeek, writeBasket),
    basketBytes: toNumbers(branch.fBasketBytes, writeBasket),
    basketEntry: toNumbers(branch.fBasketEntry, writeBasket + 1),
    entries: Number(branch.fEntries ?? 0),
    totalBytes: Number(branch.fTotBytes ?? 0),
    zipBytes: Number(branch.fZipBytes ?? 0),
    externalFileName: String(branch.fFileName ?? ''),
    subBranchCount: ((branch.fBranches as JsrootList | undefined)?.arr ?? []).length,
  };
}

/** Reads one TTree object (its streamer) and returns the plain facts of its top-level branches. */
export async function readRawTree(fileRecord: RawFileRecord, treeName: string): Promise<RawTreeRecord> {
  const file = fileRecord.handle as JsrootFile;
  const tree = await file.readObject(treeName);
  if (!tree || (tree._typename !== 'TTree' && tree._typename !== 'TNtuple' && tree._typename !== 'TNtupleD')) {
    throw new AppError('INVALID_DATASET', `Key "${treeName}" is a ${tree?._typename ?? 'missing object'}, not a TTree.`, { expected: 'TTree', found: String(tree?._typename) });
  }
  const branches = ((tree.fBranches as JsrootList).arr ?? []).map(rawBranch);
  return { name: treeName, title: String(tree.fTitle ?? ''), entries: Number(tree.fEntries), branches, handle: tree };
}

/** A value per entry as jsroot's event loop hands it over: a number (or bigint) or an array of them. */
export type JsrootEntryValue = number | bigint | boolean | ArrayLike<number | bigint | boolean>;

/**
 * Reads branches with jsroot's own TSelector event loop (treeProcess): the reference our reader must equal, and
 * the baseline of the benchmark. Returns, per branch, one value per entry (arrays copied, since jsroot reuses
 * its buffers). `onEntry` replaces the copy, for a benchmark that only wants to touch the values.
 */
export async function readBranchesWithJsrootEventLoop(
  tree: RawTreeRecord,
  branchNames: readonly string[],
  options: { onEntry?: (values: Record<string, unknown>) => void } = {},
): Promise<Record<string, JsrootEntryValue[]>> {
  const selector = new TSelector();
  const aliases = branchNames.map((_, i) => `b${i}`);
  branchNames.forEach((name, i) => selector.addBranch(name, aliases[i]));
  const out: Record<string, JsrootEntryValue[]> = Object.fromEntries(branchNames.map((n) => [n, []]));
  const onEntry = options.onEntry;
  selector.Process = function process(this: { tgtobj: Record<string, unknown> }) {
    const target = this.tgtobj;
    if (onEntry) {
      onEntry(target);
      return;
    }
    branchNames.forEach((name, i) => {
      const value = target[aliases[i] as string];
      (out[name] as JsrootEntryValue[]).push(ArrayBuffer.isView(value) || Array.isArray(value) ? Array.from(value as ArrayLike<number>) : (value as number));
    });
  };
  await treeProcess(tree.handle, selector);
  return out;
}

/** A value per entry as jsroot's RNTuple event loop hands it over (numbers, strings, arrays, records of them). */
export type JsrootRNTupleValue = unknown;

/**
 * Reads top-level fields of an RNTuple with jsroot's own RNTuple event loop (rntupleProcess): a reference where it
 * works, and a benchmark baseline. jsroot reads only the first cluster group's page list. Values are copied per
 * entry (jsroot reuses its buffers); `onEntry` replaces the copy; `maxEntries` stops after that many entries.
 */
export async function readRNTupleWithJsrootEventLoop(
  fileRecord: RawFileRecord,
  ntupleName: string,
  fieldNames: readonly string[],
  options: { onEntry?: (values: Record<string, unknown>) => void; maxEntries?: number } = {},
): Promise<Record<string, JsrootRNTupleValue[]>> {
  const file = fileRecord.handle as JsrootFile;
  const ntuple = await file.readObject(ntupleName);
  if (!ntuple || ntuple._typename !== 'ROOT::RNTuple') {
    throw new AppError('INVALID_DATASET', `Key "${ntupleName}" is a ${ntuple?._typename ?? 'missing object'}, not an RNTuple.`, { expected: 'ROOT::RNTuple', found: String(ntuple?._typename) });
  }
  const selector = new TSelector();
  const aliases = fieldNames.map((_, i) => `f${i}`);
  fieldNames.forEach((name, i) => selector.addBranch(name, aliases[i]));
  const out: Record<string, JsrootRNTupleValue[]> = Object.fromEntries(fieldNames.map((n) => [n, []]));
  const onEntry = options.onEntry;
  const copy = (value: unknown): unknown => (ArrayBuffer.isView(value) || Array.isArray(value) ? Array.from(value as ArrayLike<unknown>, copy) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)])) : value);
  selector.Process = function process(this: { tgtobj: Record<string, unknown> }) {
    const target = this.tgtobj;
    if (onEntry) {
      onEntry(target);
      return;
    }
    fieldNames.forEach((name, i) => (out[name] as JsrootRNTupleValue[]).push(copy(target[aliases[i] as string])));
  };
  await rntupleProcess(ntuple, selector, options.maxEntries ? { numentries: options.maxEntries } : {});
  return out;
}

/** A file's header, top-level keys and streamer infos as jsroot reads them (to check files the writer makes). */
export type RootFileLayout = {
  version: number;
  end: number;
  seekInfo: number;
  nbytesInfo: number;
  seekFree: number;
  nbytesFree: number;
  compression: number;
  keys: { className: string; name: string; title: string; cycle: number; seek: number; totalBytes: number; objectBytes: number; keyBytes: number }[];
  streamerInfos: { name: string; version: number; checksum: number; elements: Record<string, unknown>[] }[];
};

/** Reads the layout of a ROOT file with jsroot: header fields, keys (the StreamerInfo key included) and streamer infos. */
export async function readRootFileLayout(source: ByteSource): Promise<RootFileLayout> {
  const file = (await openJsrootFile(source)) as JsrootFile & Record<string, unknown>;
  const keys = (file.fKeys as unknown as JsrootObject[]).map((k) => ({
    className: String(k.fClassName),
    name: String(k.fName),
    title: String(k.fTitle),
    cycle: Number(k.fCycle),
    seek: Number(k.fSeekKey),
    totalBytes: Number(k.fNbytes),
    objectBytes: Number(k.fObjlen),
    keyBytes: Number(k.fKeylen),
  }));
  const infos = ((file.fStreamerInfos as JsrootList | undefined)?.arr ?? []).filter((i) => i._typename === 'TStreamerInfo');
  return {
    version: Number(file.fVersion),
    end: Number(file.fEND),
    seekInfo: Number(file.fSeekInfo),
    nbytesInfo: Number(file.fNbytesInfo),
    seekFree: Number(file.fSeekFree),
    nbytesFree: Number(file.fNbytesFree),
    compression: Number(file.fCompress),
    keys,
    streamerInfos: infos.map((info) => ({
      name: String(info.fName),
      version: Number(info.fClassVersion),
      checksum: Number(info.fCheckSum),
      elements: ((info.fElements as JsrootList | undefined)?.arr ?? []).map((element) => {
        const { _typename, fName, fTitle, fType, fSize, fTypeName, fMaxIndex, fBaseVersion, fCountName, fCountClass, fSTLtype, fCtype } = element;
        const fields = { kind: _typename, name: fName, title: fTitle, type: fType, size: fSize, typeName: fTypeName, maxIndex: Array.from(fMaxIndex as ArrayLike<number>), baseVersion: fBaseVersion, countName: fCountName, countClass: fCountClass, stlType: fSTLtype, ctype: fCtype };
        return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      }),
    })),
  };
}
