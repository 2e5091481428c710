import type { RecordBatch } from 'apache-arrow';
import { AppError } from '@/lib/shared/app-error';
import type { RootNumericArray } from '../root-types';
import { columnsFromRecordBatch } from './arrow-batch-columns';
import type { TreeBranchSpec } from './branch-types';
import {
  type BranchColumn,
  BranchWriter,
  DEFAULT_ENTRY_OFFSET_LEN,
  NumberBranchWriter,
  type PreparedColumn,
  StringBranchWriter,
  toElementArray,
  VectorBranchWriter,
} from './branch-writers';
import type { RootFileWriter } from './root-file-writer';
import { RootWriteBuffer } from './root-write-buffer';
import { ROOT_STREAMER_INFOS, type StreamerInfoSpec, vectorStreamerInfo } from './streamer-infos';

/** TTree::Branch's default buffer size: baskets are written once they hold about this many bytes. */
export const DEFAULT_BASKET_SIZE_BYTES = 32000;
/** ROOT's default fAutoFlush: flush every basket of the tree once this many compressed bytes were written since the last flush. */
const AUTO_FLUSH_BYTES = 30_000_000;
/** Rows appended to all branches before the auto-flush condition is checked again. */
const ROWS_PER_STEP = 4096;

const TTREE_VERSION = 20;
const TBRANCH_VERSION = 13;
const TBRANCH_ELEMENT_VERSION = 10;
const TLEAF_VERSION = 2;
const TLEAF_SUBCLASS_VERSION = 1;
const TOBJARRAY_VERSION = 3;
const TATT_VERSION = 2;
/** TObject::kMustCleanup, set on every TTree ROOT writes. */
const TTREE_BITS = 0x00000008;
/** TBranch::kDoNotUseBufferMap: baskets of plain numbers and vectors hold no object references. */
const TBRANCH_BITS = 0x00400000;
/** TCollection::kIsOwner on a tree's list of branches. */
const OWNER_BITS = 0x00004000;
const STL_CLASS_VERSION = 6;

export type TreeWriterOptions = {
  name: string;
  title?: string;
  branches: readonly TreeBranchSpec[];
  /** Target basket size (default 32000 bytes, TTree::Branch's default). */
  basketSizeBytes?: number;
  /**
   * Entries per cluster: every branch's basket is written at each multiple (fAutoFlush). By default ROOT's rule:
   * the first flush happens after 30 MB of compressed baskets, and its entry count becomes the cluster size.
   */
  clusterEntries?: number;
};

/** One batch of values: per branch name a column with one value (number, vector or string) per entry. */
export type TreeColumnBatch = Readonly<Record<string, BranchColumn>>;

function assertBranchName(name: string, tree: string, seen: Set<string>): void {
  if (typeof name !== 'string' || name.length === 0 || /[\0\n]/.test(name)) {
    throw new AppError('BAD_REQUEST', `tree "${tree}": branch name ${JSON.stringify(name)} is empty or holds a NUL or newline.`, { column: String(name) });
  }
  if (seen.has(name)) throw new AppError('BAD_REQUEST', `tree "${tree}": branch "${name}" is defined twice.`, { column: name });
  seen.add(name);
}

/**
 * Writes one TTree into a {@link RootFileWriter}: branches as declared, filled batch by batch with
 * {@link appendColumns}; baskets go to the file as they fill, and the TTree record is written by {@link finish}
 * (the file writer calls it on close). Entries of a batch must be given for every branch.
 */
export class TTreeWriter {
  readonly name: string;
  readonly title: string;
  entries = 0;
  private readonly writers: BranchWriter[];
  private readonly byName: Map<string, BranchWriter>;
  private clusterEntries: number | null;
  private flushedZipBytes = 0;
  private isFinished = false;

  constructor(
    private readonly file: RootFileWriter,
    options: TreeWriterOptions,
  ) {
    if (typeof options.name !== 'string' || options.name.length === 0 || /[/;\0]/.test(options.name)) {
      throw new AppError('BAD_REQUEST', `tree name ${JSON.stringify(options.name)} must be non-empty without "/", ";" or NUL.`, { found: String(options.name) });
    }
    this.name = options.name;
    this.title = options.title ?? '';
    const basketSize = options.basketSizeBytes ?? DEFAULT_BASKET_SIZE_BYTES;
    if (!Number.isInteger(basketSize) || basketSize < 64 || basketSize > 256 * 1024 * 1024) {
      throw new AppError('BAD_REQUEST', `tree "${this.name}": basket size ${basketSize} must be an integer from 64 bytes to 256 MiB.`, { expected: '64…268435456', found: String(basketSize) });
    }
    if (options.clusterEntries !== undefined && !(Number.isInteger(options.clusterEntries) && options.clusterEntries > 0)) {
      throw new AppError('BAD_REQUEST', `tree "${this.name}": clusterEntries must be a positive integer, got ${options.clusterEntries}.`, { found: String(options.clusterEntries) });
    }
    this.clusterEntries = options.clusterEntries ?? null;
    if (options.branches.length === 0) throw new AppError('BAD_REQUEST', `tree "${this.name}" needs at least one branch.`);
    const seen = new Set<string>();
    this.writers = options.branches.map((spec) => {
      assertBranchName(spec.name, this.name, seen);
      switch (spec.kind) {
        case 'number':
          return new NumberBranchWriter(spec, this.name, basketSize, file);
        case 'vector':
          return new VectorBranchWriter(spec, this.name, basketSize, file);
        case 'string':
          return new StringBranchWriter(spec, this.name, basketSize, file);
        default:
          throw new AppError('BAD_REQUEST', `tree "${this.name}": branch "${(spec as TreeBranchSpec).name}" has unknown kind "${(spec as { kind: string }).kind}"; use number, vector or string.`);
      }
    });
    this.byName = new Map(this.writers.map((w) => [w.spec.name, w]));
  }

  get branches(): readonly TreeBranchSpec[] {
    return this.writers.map((w) => w.spec);
  }

  private prepare(batch: TreeColumnBatch): { rows: number; columns: PreparedColumn[] } {
    for (const key of Object.keys(batch)) {
      if (!this.byName.has(key)) throw new AppError('BAD_REQUEST', `tree "${this.name}" has no branch "${key}"; branches: ${[...this.byName.keys()].join(', ')}.`, { column: key });
    }
    let rows = -1;
    const columns = this.writers.map((writer): PreparedColumn => {
      const { spec } = writer;
      const column = batch[spec.name];
      if (column === undefined) throw new AppError('BAD_REQUEST', `tree "${this.name}": the batch has no column for branch "${spec.name}"; every batch fills every branch.`, { column: spec.name });
      let prepared: PreparedColumn;
      let length: number;
      if (spec.kind === 'string') {
        if (!Array.isArray(column)) throw new AppError('BAD_REQUEST', `branch "${spec.name}" is a string branch; give an array of strings.`, { column: spec.name, expected: 'string[]' });
        const strings = column as readonly unknown[];
        strings.forEach((s, i) => {
          if (typeof s !== 'string') throw new AppError('BAD_REQUEST', `branch "${spec.name}" row ${i}: ${String(s)} is not a string.`, { column: spec.name, row: i, expected: 'string', found: typeof s });
          if (s.includes('\0')) throw new AppError('BAD_REQUEST', `branch "${spec.name}" row ${i}: the string holds a NUL character, which a C string (TLeafC) cannot store.`, { column: spec.name, row: i });
        });
        prepared = { strings: strings as string[] };
        length = strings.length;
      } else if (spec.kind === 'vector') {
        const jagged = column as { values?: RootNumericArray | ArrayLike<number>; offsets?: ArrayLike<number> };
        if (!jagged || typeof jagged !== 'object' || !jagged.values || !jagged.offsets) {
          throw new AppError('BAD_REQUEST', `branch "${spec.name}" is a vector branch; give { values, offsets } (offsets: one more than the entries).`, { column: spec.name, expected: '{ values, offsets }' });
        }
        const values = toElementArray(spec.type, jagged.values, spec.name);
        const offsets = jagged.offsets;
        length = offsets.length - 1;
        if (length < 0) throw new AppError('BAD_REQUEST', `branch "${spec.name}": offsets must hold at least one value (0 for no entries).`, { column: spec.name });
        let previous = offsets[0] as number;
        if (!(Number.isInteger(previous) && previous >= 0)) throw new AppError('BAD_REQUEST', `branch "${spec.name}": offsets start at ${previous}, expected an integer ≥ 0.`, { column: spec.name, row: 0, found: String(previous) });
        for (let i = 1; i <= length; i++) {
          const next = offsets[i] as number;
          if (!(Number.isInteger(next) && next >= previous)) {
            throw new AppError('BAD_REQUEST', `branch "${spec.name}" row ${i - 1}: offsets go from ${previous} to ${next}; they must be integers that never decrease.`, { column: spec.name, row: i - 1, found: `${previous} → ${next}` });
          }
          previous = next;
        }
        if (previous > values.length) {
          throw new AppError('BAD_REQUEST', `branch "${spec.name}": the last offset is ${previous} but there are only ${values.length} values.`, { column: spec.name, expected: `≤ ${values.length}`, found: String(previous) });
        }
        prepared = { values, offsets };
      } else {
        const values = toElementArray(spec.type, column as ArrayLike<number>, spec.name);
        prepared = { values, offsets: null };
        length = values.length;
      }
      if (rows === -1) rows = length;
      else if (length !== rows) {
        throw new AppError('BAD_REQUEST', `tree "${this.name}": branch "${spec.name}" has ${length} entries in this batch, "${this.writers[0]?.spec.name}" has ${rows}; every column of a batch needs the same length.`, {
          column: spec.name,
          expected: String(rows),
          found: String(length),
        });
      }
      return prepared;
    });
    return { rows: Math.max(rows, 0), columns };
  }

  /**
   * Appends a batch: for each branch, `number` → a typed array (or plain array) of values, `vector` → `{ values,
   * offsets }` with offsets of length entries + 1, `string` → an array of strings. Throws AppError('BAD_REQUEST')
   * naming the branch and row for a missing column, a length mismatch, offsets that decrease or overrun, a value out
   * of the type's range; nothing of that batch is written then.
   */
  appendColumns(batch: TreeColumnBatch): void {
    if (this.isFinished) throw new AppError('INTERNAL', `tree "${this.name}" is finished; no more entries can be appended.`);
    const { rows, columns } = this.prepare(batch);
    let done = 0;
    while (done < rows) {
      let step = Math.min(ROWS_PER_STEP, rows - done);
      if (this.clusterEntries !== null) {
        const toBoundary = this.clusterEntries - (this.entries % this.clusterEntries);
        step = Math.min(step, toBoundary);
      }
      this.writers.forEach((writer, i) => writer.append(columns[i] as PreparedColumn, done, done + step));
      done += step;
      this.entries += step;
      if (this.clusterEntries !== null) {
        if (this.entries % this.clusterEntries === 0) this.flushCluster();
      } else if (this.zipBytes() - this.flushedZipBytes >= AUTO_FLUSH_BYTES) {
        this.clusterEntries = this.entries;
        this.flushCluster();
      }
    }
  }

  /** Appends an Arrow record batch whose columns are named as the branches (see treeBranchesFromArrowSchema). */
  appendRecordBatch(batch: RecordBatch): void {
    this.appendColumns(columnsFromRecordBatch(batch, this.branches));
  }

  private zipBytes(): number {
    return this.writers.reduce((sum, w) => sum + w.zipBytes, 0);
  }

  private flushCluster(): void {
    for (const writer of this.writers) writer.flushBasket();
    this.flushedZipBytes = this.zipBytes();
  }

  /** Writes the last baskets and the TTree record (once). */
  finish(): void {
    if (this.isFinished) return;
    this.isFinished = true;
    for (const writer of this.writers) writer.flushBasket();
    this.file.appendObject('TTree', this.name, this.title, (keyBytes) => this.serialize(keyBytes));
  }

  /** The classes whose streamer infos the file needs for this tree, with their infos. */
  streamerInfos(): { name: string; info: StreamerInfoSpec }[] {
    const out: { name: string; info: StreamerInfoSpec }[] = [];
    const add = (name: string, info?: StreamerInfoSpec) => {
      if (!out.some((i) => i.name === name)) out.push({ name, info: info ?? (ROOT_STREAMER_INFOS[name] as StreamerInfoSpec) });
    };
    for (const name of ['TNamed', 'TObject', 'TList', 'TSeqCollection', 'TCollection', 'TString', 'TAttLine', 'TAttFill', 'TAttMarker', 'TTree', 'TBranch', 'TLeaf']) add(name);
    for (const writer of this.writers) {
      if (writer instanceof VectorBranchWriter) {
        add('TBranchElement');
        add('TLeafElement');
        add(writer.className, vectorStreamerInfo(writer.className, writer.elementRootTypeName, writer.elementTypeCode));
      } else {
        add(writer.leaf.leafClass);
      }
    }
    add('ROOT::TIOFeatures');
    add('TObjArray');
    return out;
  }

  private serialize(keyBytes: number): Uint8Array {
    const b = new RootWriteBuffer(keyBytes, 4096 + this.writers.reduce((sum, w) => sum + 200 + 20 * Math.max(10, w.basketCount + 1), 0));
    const zipBytes = this.zipBytes();
    const totalBytes = this.writers.reduce((sum, w) => sum + w.totalBytes, 0);
    b.versioned(TTREE_VERSION, () => {
      b.tnamed(this.name, this.title, TTREE_BITS);
      b.versioned(TATT_VERSION, () => b.i16(602).i16(1).i16(1)); // TAttLine: ROOT's default tree colour kBlue+2
      b.versioned(TATT_VERSION, () => b.i16(0).i16(1001)); // TAttFill
      b.versioned(TATT_VERSION, () => b.i16(1).i16(1).f32(1)); // TAttMarker
      b.i64(this.entries).i64(totalBytes).i64(zipBytes).i64(0).i64(this.flushedZipBytes);
      b.f64(1); // fWeight
      b.i32(0).i32(25).i32(0).i32(DEFAULT_ENTRY_OFFSET_LEN).i32(0); // fTimerInterval, fScanField, fUpdate, fDefaultEntryOffsetLen, fNClusterRange
      b.i64(1_000_000_000_000).i64(1_000_000_000_000).i64(0).i64(-300_000_000); // fMaxEntries, fMaxEntryLoop, fMaxVirtualSize, fAutoSave
      b.i64(this.clusterEntries ?? -AUTO_FLUSH_BYTES).i64(1_000_000); // fAutoFlush, fEstimate
      b.u8(0).u8(0); // fClusterRangeEnd, fClusterSize: no extra cluster ranges
      writeIOFeatures(b);
      b.versioned(TOBJARRAY_VERSION, () => {
        b.tobject(OWNER_BITS).tstring('').i32(this.writers.length).i32(0);
        for (const writer of this.writers) writeBranch(b, writer, this.file.compressionCode);
      });
      b.versioned(TOBJARRAY_VERSION, () => {
        b.tobject().tstring('').i32(this.writers.length).i32(0);
        for (const writer of this.writers) writeLeafPointer(b, writer.leaf);
      });
      b.u32(0); // fAliases
      b.i32(0).i32(0); // fIndexValues (TArrayD), fIndex (TArrayI): empty
      b.u32(0).u32(0).u32(0).u32(0); // fTreeIndex, fFriends, fUserInfo, fBranchRef
    });
    return b.toBytes();
  }
}

/** ROOT::TIOFeatures: a "foreign" class, so version 0 and its checksum, then fIOBits. */
function writeIOFeatures(b: RootWriteBuffer): void {
  const position = b.beginByteCount();
  b.i16(0).u32((ROOT_STREAMER_INFOS['ROOT::TIOFeatures'] as StreamerInfoSpec).checksum).u8(0);
  b.endByteCount(position);
}

function emptyObjArray(b: RootWriteBuffer): void {
  b.versioned(TOBJARRAY_VERSION, () => b.tobject().tstring('').i32(0).i32(0));
}

function writeLeafPointer(b: RootWriteBuffer, leaf: BranchWriter['leaf']): void {
  b.objectPointer(leaf, leaf.leafClass, () => {
    b.versioned(TLEAF_SUBCLASS_VERSION, () => {
      b.versioned(TLEAF_VERSION, () => {
        b.tnamed(leaf.name, leaf.title);
        b.i32(leaf.len).i32(leaf.lenType).i32(0).bool(false).bool(leaf.isUnsigned).u32(0); // …, fOffset, fIsRange, fIsUnsigned, fLeafCount
      });
      switch (leaf.leafClass) {
        case 'TLeafElement':
          b.i32(-1).i32(-1); // fID, fType
          break;
        case 'TLeafB':
          b.i8(leaf.minimum).i8(leaf.maximum);
          break;
        case 'TLeafO':
          b.bool(leaf.minimum !== 0).bool(leaf.maximum !== 0);
          break;
        case 'TLeafS':
          b.i16(leaf.minimum).i16(leaf.maximum);
          break;
        case 'TLeafI':
        case 'TLeafC':
          b.i32(leaf.minimum).i32(leaf.maximum);
          break;
        case 'TLeafL':
          b.i64(leaf.minimum).i64(leaf.maximum);
          break;
        case 'TLeafF':
          b.f32(leaf.minimum).f32(leaf.maximum);
          break;
        case 'TLeafD':
          b.f64(leaf.minimum).f64(leaf.maximum);
          break;
        default:
          throw new AppError('INTERNAL', `no streamer for leaf class ${leaf.leafClass}.`);
      }
    });
  });
}

function writeBranchBody(b: RootWriteBuffer, writer: BranchWriter, title: string, compressionCode: number): void {
  const baskets = writer.basketCount;
  // TBranch::Streamer writes the basket tables with at least 10 slots, the slot after the last basket included.
  const maxBaskets = Math.max(10, baskets + 1);
  b.versioned(TBRANCH_VERSION, () => {
    b.tnamed(writer.spec.name, title, TBRANCH_BITS);
    b.versioned(TATT_VERSION, () => b.i16(0).i16(1001)); // TAttFill
    b.i32(compressionCode).i32(writer.basketSize).i32(writer.entryOffsetLen).i32(baskets).i64(writer.entries);
    writeIOFeatures(b);
    b.i32(0).i32(maxBaskets).i32(0).i64(writer.entries).i64(0).i64(writer.totalBytes).i64(writer.zipBytes); // fOffset, fMaxBaskets, fSplitLevel, fEntries, fFirstEntry, …
    emptyObjArray(b); // fBranches
    b.versioned(TOBJARRAY_VERSION, () => {
      b.tobject().tstring('').i32(1).i32(0);
      writeLeafPointer(b, writer.leaf);
    });
    emptyObjArray(b); // fBaskets: every basket is on disk
    b.u8(1);
    for (let i = 0; i < maxBaskets; i++) b.i32(i < baskets ? (writer.basketBytes[i] as number) : 0);
    b.u8(1);
    for (let i = 0; i < maxBaskets; i++) b.i64(i <= baskets ? (writer.basketEntries[i] as number) : 0);
    b.u8(1);
    for (let i = 0; i < maxBaskets; i++) b.i64(i < baskets ? (writer.basketSeeks[i] as number) : 0);
    b.tstring(''); // fFileName
  });
}

function writeBranch(b: RootWriteBuffer, writer: BranchWriter, compressionCode: number): void {
  if (writer instanceof VectorBranchWriter) {
    b.objectPointer(writer, 'TBranchElement', () => {
      b.versioned(TBRANCH_ELEMENT_VERSION, () => {
        writeBranchBody(b, writer, writer.spec.name, compressionCode);
        b.tstring(writer.className).tstring('').tstring(''); // fClassName, fParentName, fClonesName
        b.u32(vectorStreamerInfo(writer.className, writer.elementRootTypeName, writer.elementTypeCode).checksum).i16(STL_CLASS_VERSION);
        b.i32(-1).i32(0).i32(-1).i32(0); // fID, fType (top-level), fStreamerType, fMaximum
        b.u32(0).u32(0); // fBranchCount, fBranchCount2
      });
    });
    return;
  }
  const title = writer instanceof NumberBranchWriter || writer instanceof StringBranchWriter ? writer.title : writer.spec.name;
  b.objectPointer(writer, 'TBranch', () => writeBranchBody(b, writer, title, compressionCode));
}
