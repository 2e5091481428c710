/**
 * The one module that imports jsroot. jsroot reads the file structure — header, keys and directories, streamer
 * info, the TTree object with each branch's basket index and the baskets stored inside it — through our
 * {@link ByteSource}, and serves as the correctness oracle (its own TSelector event loop). Basket decoding itself
 * is ours; nothing outside this file sees a jsroot object (only the plain records of raw-records.ts and opaque
 * handles).
 */
import { FileProxy, openFile } from 'jsroot/io';
import { rntupleProcess } from 'jsroot/rntuple';
import { TSelector, treeProcess } from 'jsroot/tree';
import { AppError } from '@/lib/shared/app-error';
import type { ByteSource } from './byte-source';
import type { RawBasketRecord, RawBranchRecord, RawKeyRecord, RawLeafRecord, RawStreamerElement, RawStreamerInfo, RawTreeRecord } from './raw-records';
import { DIRECTORY_CLASSES, RNTUPLE_CLASS, TREE_CLASSES } from './root-table';

type JsrootObject = Record<string, unknown> & { _typename?: string };
type JsrootList = { arr: (JsrootObject | null | undefined)[] };
type JsrootKey = { fName: string; fClassName: string; fCycle: number; fSeekKey: number; fNbytes: number; fKeylen: number; fObjlen: number };
type JsrootDirectory = { fKeys: JsrootKey[] };
type JsrootFile = JsrootDirectory & {
  fStreamerInfos?: JsrootList | null;
  readObject(name: string, cycle?: number): Promise<JsrootObject>;
  readDirectory(name: string, cycle?: number): Promise<JsrootDirectory>;
  findStreamerInfo(name: string, version?: number, checksum?: number): JsrootObject | null;
};

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

/** An open file as jsroot holds it; opaque outside this module. */
export type JsrootFileHandle = { readonly file: unknown; readonly source: ByteSource };
/** A TTree object as jsroot read it; opaque outside this module, used by the event-loop oracle. */
export type JsrootTreeHandle = { readonly tree: unknown };


function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** The first bytes of a file as text where printable, else as hex (for the message naming what a file starts with). */
function showStart(bytes: Uint8Array): string {
  const printable = bytes.every((b) => b >= 0x20 && b < 0x7f);
  return printable ? JSON.stringify(String.fromCharCode(...bytes)) : `bytes ${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ')}`;
}

/**
 * What is wrong with a file that is not a whole ROOT file, from its header alone: empty, another kind of file (no
 * "root" magic), or shorter than the length its header records (truncated, e.g. an interrupted download). Null when
 * the header looks whole.
 */
async function headerProblem(source: ByteSource): Promise<{ message: string; expected: string; found: string } | null> {
  if (source.sizeBytes === 0) return { message: 'is empty (0 bytes), not a ROOT file', expected: 'a ROOT file', found: '0 bytes' };
  const head = await source.read(0, Math.min(source.sizeBytes, 25));
  if (head.length < 4 || head[0] !== 0x72 || head[1] !== 0x6f || head[2] !== 0x6f || head[3] !== 0x74) {
    return { message: `is not a ROOT file: it starts with ${showStart(head.subarray(0, 4))}, where a ROOT file starts with "root"`, expected: '"root"', found: showStart(head.subarray(0, 4)) };
  }
  if (head.length < 16) return { message: `is truncated: ${source.sizeBytes} bytes, shorter than a ROOT file header`, expected: 'a whole header', found: `${source.sizeBytes} bytes` };
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const version = view.getInt32(4);
  // fEND: where the file's last record ends, a 4-byte offset, or 8 bytes in files written as large (version > 1000000).
  const end = version > 1_000_000 ? (head.length >= 20 ? Number(view.getBigInt64(12)) : Number.NaN) : view.getUint32(12);
  if (Number.isFinite(end) && end > source.sizeBytes) {
    return { message: `is truncated: its header records ${end} bytes but the file has ${source.sizeBytes} (an interrupted download or copy?)`, expected: `${end} bytes`, found: `${source.sizeBytes} bytes` };
  }
  return null;
}

/** Opens the file with jsroot: header, top-level keys and streamer infos. */
export async function openJsrootFile(source: ByteSource): Promise<JsrootFileHandle> {
  // The header is looked at only when jsroot cannot open the file: a file that opens costs no extra read (a range
  // request, for a remote one).
  const refuse = async (cause?: unknown): Promise<never> => {
    const options = cause === undefined ? undefined : { cause };
    const problem = await headerProblem(source).catch(() => null);
    if (problem) throw new AppError('INVALID_DATASET', `${source.name} ${problem.message}.`, { file: source.name, expected: problem.expected, found: problem.found }, options);
    throw new AppError('INVALID_DATASET', `${source.name} is not a readable ROOT file${options ? ` (${describe(cause)})` : ''}.`, { file: source.name }, options);
  };
  let file: JsrootFile | false;
  try {
    file = (await openFile(new ByteSourceProxy(source))) as JsrootFile | false;
  } catch (cause) {
    return refuse(cause);
  }
  if (!file) return refuse();
  return { file, source };
}

/**
 * Every key of the file, directories included and walked recursively; each key's `path` is its full
 * `dir/sub/name`. A directory that cannot be read fails naming it and its byte range.
 */
export async function listJsrootKeys(handle: JsrootFileHandle): Promise<RawKeyRecord[]> {
  const file = handle.file as JsrootFile;
  const out: RawKeyRecord[] = [];
  const walk = async (directory: JsrootDirectory, prefix: string) => {
    for (const key of directory.fKeys) {
      const path = `${prefix}${key.fName}`;
      out.push({
        path,
        name: key.fName,
        className: key.fClassName,
        cycle: key.fCycle,
        seek: Number(key.fSeekKey),
        sizeBytes: Number(key.fNbytes),
        keyBytes: Number(key.fKeylen),
        objectBytes: Number(key.fObjlen),
      });
      if (!DIRECTORY_CLASSES.has(key.fClassName)) continue;
      let sub: JsrootDirectory;
      try {
        sub = await file.readDirectory(path, key.fCycle);
      } catch (cause) {
        throw badKey(handle, path, key, cause);
      }
      if (!sub?.fKeys) throw badKey(handle, path, key, new Error('no key list'));
      await walk(sub, `${path}/`);
    }
  };
  await walk(file, '');
  return out;
}

function badKey(handle: JsrootFileHandle, path: string, key: { fSeekKey?: number; fNbytes?: number; seek?: number; sizeBytes?: number }, cause: unknown): AppError {
  const seek = Number(key.fSeekKey ?? key.seek ?? 0);
  const size = Number(key.fNbytes ?? key.sizeBytes ?? 0);
  return new AppError(
    'INVALID_DATASET',
    `${handle.source.name}: the key of "${path}" (bytes ${seek}–${seek + size}) cannot be read: ${describe(cause)}. The file is truncated or corrupt.`,
    { file: handle.source.name, column: path, byteRange: `${seek}-${seek + size}` },
    { cause },
  );
}

function toNumbers(values: unknown, count: number): number[] {
  const out: number[] = [];
  const array = values as ArrayLike<number | bigint> | undefined;
  for (let i = 0; i < count; i++) out.push(Number(array?.[i] ?? 0));
  return out;
}

function listOf(value: unknown): JsrootObject[] {
  return ((value as JsrootList | undefined)?.arr ?? []).filter((x): x is JsrootObject => Boolean(x));
}

function rawElement(element: JsrootObject): RawStreamerElement {
  return {
    elementClass: String(element._typename ?? ''),
    name: String(element.fName ?? ''),
    title: String(element.fTitle ?? ''),
    type: Number(element.fType ?? 0),
    typeName: String(element.fTypeName ?? ''),
    arrayLength: Number(element.fArrayLength ?? 0),
    arrayDim: Number(element.fArrayDim ?? 0),
    maxIndex: Array.from((element.fMaxIndex as ArrayLike<number> | undefined) ?? [], Number),
    countName: String(element.fCountName ?? ''),
    xmin: Number(element.fXmin ?? 0),
    xmax: Number(element.fXmax ?? 0),
    factor: Number(element.fFactor ?? 0),
    stlType: Number(element.fSTLtype ?? 0),
    containedType: Number(element.fCtype ?? 0),
    baseVersion: Number(element.fBaseVersion ?? 0),
  };
}

/** The file's streamer infos (class layouts), as plain records. */
export function readJsrootStreamerInfos(handle: JsrootFileHandle): RawStreamerInfo[] {
  const file = handle.file as JsrootFile;
  return listOf(file.fStreamerInfos)
    .filter((si) => si._typename === 'TStreamerInfo')
    .map((si) => ({
      className: String(si.fName),
      classVersion: Number(si.fClassVersion ?? 0),
      checksum: Number(si.fCheckSum ?? 0),
      elements: listOf(si.fElements).map(rawElement),
    }));
}

function rawLeaf(leaf: JsrootObject): RawLeafRecord {
  const count = leaf.fLeafCount as JsrootObject | null | undefined;
  return {
    leafClass: String(leaf._typename),
    name: String(leaf.fName ?? ''),
    title: String(leaf.fTitle ?? leaf.fName ?? ''),
    length: Number(leaf.fLen ?? 1),
    lengthType: Number(leaf.fLenType ?? 0),
    offset: Number(leaf.fOffset ?? 0),
    isUnsigned: Boolean(leaf.fIsUnsigned),
    countLeafName: count ? String(count.fName) : null,
    elementType: typeof leaf.fType === 'number' ? leaf.fType : null,
  };
}

/** A basket that jsroot read as part of the TTree object (written before the file was closed, never flushed). */
function embeddedBasket(basket: JsrootObject | undefined | null, index: number, firstEntry: number, entries: number): RawBasketRecord {
  const buffer = basket?.fBufferRef as { arr?: DataView; length?: number } | undefined;
  if (!basket || !buffer?.arr) return { kind: 'missing', index, firstEntry, entries };
  const length = Number(buffer.length ?? buffer.arr.byteLength);
  const data = new Uint8Array(length);
  data.set(new Uint8Array(buffer.arr.buffer, buffer.arr.byteOffset, length));
  const offsets = basket.fEntryOffset as ArrayLike<number> | undefined;
  return {
    kind: 'embedded',
    index,
    firstEntry,
    entries: Number(basket.fNevBuf ?? entries),
    keyBytes: Number(basket.fKeylen ?? 0),
    entryBytes: Number(basket.fNevBufSize ?? 0),
    data,
    entryOffsets: offsets && offsets.length > 0 ? Int32Array.from(offsets) : null,
  };
}

function rawBaskets(branch: JsrootObject): RawBasketRecord[] {
  const writeBasket = Number(branch.fWriteBasket ?? 0);
  const entries = Number(branch.fEntries ?? 0);
  const seeks = toNumbers(branch.fBasketSeek, writeBasket + 1);
  const sizes = toNumbers(branch.fBasketBytes, writeBasket + 1);
  const firsts = toNumbers(branch.fBasketEntry, writeBasket + 1);
  const inTree = ((branch.fBaskets as JsrootList | undefined)?.arr ?? []) as (JsrootObject | null | undefined)[];
  const out: RawBasketRecord[] = [];
  for (let k = 0; k <= writeBasket; k++) {
    const firstEntry = firsts[k] as number;
    const next = k < writeBasket ? (firsts[k + 1] as number) : entries;
    const count = next - firstEntry;
    if (k === writeBasket && count <= 0 && !inTree[k]) break;
    if (k < writeBasket && (seeks[k] as number) > 0 && (sizes[k] as number) > 0) {
      out.push({ kind: 'disk', index: k, firstEntry, entries: count, seek: seeks[k] as number, sizeBytes: sizes[k] as number });
    } else {
      const embedded = embeddedBasket(inTree[k], k, firstEntry, count);
      if (embedded.kind === 'embedded' && embedded.entries === 0 && count === 0) continue;
      out.push(embedded);
    }
  }
  return out;
}

function rawBranch(file: JsrootFile, branch: JsrootObject): RawBranchRecord {
  const elementId = typeof branch.fID === 'number' ? branch.fID : null;
  const className = String(branch.fClassName ?? '');
  const classVersion = Number(branch.fClassVersion ?? 0);
  const checksum = Number(branch.fCheckSum ?? 0);
  let element: RawStreamerElement | null = null;
  if (elementId !== null && elementId >= 0 && className) {
    const info = file.findStreamerInfo(className, classVersion, checksum || undefined) ?? file.findStreamerInfo(className, classVersion) ?? file.findStreamerInfo(className);
    const found = listOf(info?.fElements)[elementId];
    if (found) element = rawElement(found);
  }
  return {
    name: String(branch.fName),
    title: String(branch.fTitle ?? ''),
    branchClass: String(branch._typename),
    className,
    parentName: String(branch.fParentName ?? ''),
    clonesName: String(branch.fClonesName ?? ''),
    streamerType: typeof branch.fStreamerType === 'number' ? branch.fStreamerType : null,
    elementKind: typeof branch.fType === 'number' ? branch.fType : null,
    elementId,
    classVersion,
    checksum,
    splitLevel: Number(branch.fSplitLevel ?? 0),
    leaves: listOf(branch.fLeaves).map(rawLeaf),
    entryOffsetLen: Number(branch.fEntryOffsetLen ?? 0),
    entries: Number(branch.fEntries ?? 0),
    totalBytes: Number(branch.fTotBytes ?? 0),
    zipBytes: Number(branch.fZipBytes ?? 0),
    externalFileName: String(branch.fFileName ?? ''),
    baskets: rawBaskets(branch),
    branches: listOf(branch.fBranches).map((sub) => rawBranch(file, sub)),
    element,
  };
}

/** Reads one TTree object and returns its plain record and a handle for the event-loop oracle. */
export async function readJsrootTree(handle: JsrootFileHandle, key: RawKeyRecord): Promise<{ record: RawTreeRecord; tree: JsrootTreeHandle }> {
  const file = handle.file as JsrootFile;
  let tree: JsrootObject;
  try {
    tree = await file.readObject(key.path, key.cycle);
  } catch (cause) {
    throw badKey(handle, key.path, key, cause);
  }
  if (!tree || !TREE_CLASSES.has(String(tree._typename))) {
    throw new AppError('INVALID_DATASET', `${handle.source.name}: key "${key.path}" (bytes ${key.seek}–${key.seek + key.sizeBytes}) holds a ${tree?._typename ?? 'missing object'}, not a TTree.`, {
      file: handle.source.name,
      expected: 'TTree',
      found: String(tree?._typename),
    });
  }
  const record: RawTreeRecord = {
    path: key.path,
    title: String(tree.fTitle ?? ''),
    entries: Number(tree.fEntries ?? 0),
    branches: listOf(tree.fBranches).map((b) => rawBranch(file, b)),
  };
  return { record, tree: { tree } };
}

/** A value per entry as jsroot's event loop hands it over: numbers, bigints, strings, arrays and objects of them. */
export type JsrootEntryValue = unknown;

/** Deep copy of what jsroot hands over (it reuses its buffers between entries); typed arrays become plain arrays. */
function copyValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(copyValue);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = copyValue(v);
  return out;
}

/**
 * A TSelector that reads `names` (branches or RNTuple fields) and, per entry, hands the values to `onEntry` or
 * appends a deep copy of each to `out` (jsroot reuses its buffers between entries).
 */
function collectingSelector(names: readonly string[], onEntry?: (values: Record<string, unknown>) => void): { selector: InstanceType<typeof TSelector>; out: Record<string, unknown[]> } {
  const selector = new TSelector();
  const aliases = names.map((_, i) => `v${i}`);
  names.forEach((name, i) => selector.addBranch(name, aliases[i]));
  const out: Record<string, unknown[]> = Object.fromEntries(names.map((n) => [n, []]));
  selector.Process = function process(this: { tgtobj: Record<string, unknown> }) {
    const target = this.tgtobj;
    if (onEntry) {
      onEntry(target);
      return;
    }
    names.forEach((name, i) => (out[name] as unknown[]).push(copyValue(target[aliases[i] as string])));
  };
  return { selector, out };
}

/**
 * Reads branches with jsroot's own TSelector event loop (treeProcess): the reference our reader must equal, and
 * the baseline of the benchmark. Returns, per branch, one value per entry (deep-copied). `onEntry` replaces the
 * copy, for a benchmark that only wants to touch the values; `numEntries` stops after that many entries.
 */
export async function readBranchesWithJsrootEventLoop(
  tree: JsrootTreeHandle,
  branchNames: readonly string[],
  options: { onEntry?: (values: Record<string, unknown>) => void; numEntries?: number } = {},
): Promise<Record<string, JsrootEntryValue[]>> {
  const { selector, out } = collectingSelector(branchNames, options.onEntry);
  // jsroot reports the branches it cannot follow on the console; the caller gets them as a rejection instead.
  const saved = { log: console.log, warn: console.warn, error: console.error };
  const messages: string[] = [];
  console.log = console.warn = console.error = (...args: unknown[]) => void messages.push(args.map(String).join(' '));
  try {
    await treeProcess(tree.tree, selector, options.numEntries === undefined ? undefined : { numentries: options.numEntries });
  } catch (cause) {
    throw new Error(`jsroot's event loop failed: ${describe(cause)}${messages.length ? ` (${messages.slice(0, 3).join('; ')})` : ''}`, { cause });
  } finally {
    Object.assign(console, saved);
  }
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
  handle: JsrootFileHandle,
  key: RawKeyRecord,
  fieldNames: readonly string[],
  options: { onEntry?: (values: Record<string, unknown>) => void; maxEntries?: number } = {},
): Promise<Record<string, JsrootRNTupleValue[]>> {
  const file = handle.file as JsrootFile;
  let ntuple: JsrootObject;
  try {
    ntuple = await file.readObject(key.path, key.cycle);
  } catch (cause) {
    throw badKey(handle, key.path, key, cause);
  }
  if (!ntuple || ntuple._typename !== RNTUPLE_CLASS) {
    throw new AppError('INVALID_DATASET', `${handle.source.name}: key "${key.path}" is a ${ntuple?._typename ?? 'missing object'}, not an RNTuple.`, { file: handle.source.name, expected: 'ROOT::RNTuple', found: String(ntuple?._typename) });
  }
  const { selector, out } = collectingSelector(fieldNames, options.onEntry);
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
  const file = (await openJsrootFile(source)).file as JsrootFile & Record<string, unknown>;
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
  const infos = listOf(file.fStreamerInfos).filter((i) => i._typename === 'TStreamerInfo');
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
      elements: listOf(info.fElements).map((element) => {
        const { _typename, fName, fTitle, fType, fSize, fTypeName, fMaxIndex, fBaseVersion, fCountName, fCountClass, fSTLtype, fCtype } = element;
        const fields = { kind: _typename, name: fName, title: fTitle, type: fType, size: fSize, typeName: fTypeName, maxIndex: Array.from(fMaxIndex as ArrayLike<number>), baseVersion: fBaseVersion, countName: fCountName, countClass: fCountClass, stlType: fSTLtype, ctype: fCtype };
        return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      }),
    })),
  };
}
