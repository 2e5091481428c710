import { AppError } from '@/lib/shared/app-error';
import type { ByteSource } from './byte-source';
import { decodeBasket } from './read-basket';
import { allocateElements, ELEMENT_SIZE_BYTES, type RootBranchInfo, type RootElementType, type RootNumericArray } from './root-types';

/** A decoded branch: one value per entry (`flat`), or per entry a run of `values` between two `offsets` (`vector`). */
export type RootColumn =
  | { name: string; typeName: string; layout: 'flat'; elementType: RootElementType; values: RootNumericArray }
  | { name: string; typeName: string; layout: 'vector'; elementType: RootElementType; values: RootNumericArray; offsets: Int32Array };

export type ReadBranchOptions = {
  /** Called after each basket with the number of entries decoded so far. */
  onBasket?: (entriesDone: number, entriesTotal: number) => void;
};

const IS_LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const BYTE_COUNT_FLAG = 0x40000000;
const VECTOR_ENTRY_HEADER_BYTES = 10;

/** Converts big-endian elements to host order in place (node's Buffer.swapN is native). */
function toHostOrder(bytes: Uint8Array, elementSize: number): void {
  if (!IS_LITTLE_ENDIAN_HOST || elementSize === 1 || bytes.length === 0) return;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (elementSize === 2) buffer.swap16();
  else if (elementSize === 4) buffer.swap32();
  else buffer.swap64();
}

/** A byte buffer that grows by doubling; it always starts at offset 0 of its own ArrayBuffer, so any typed array can view it. */
class GrowableBytes {
  bytes: Uint8Array;
  length = 0;
  constructor(initialBytes: number) {
    this.bytes = new Uint8Array(initialBytes);
  }
  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let capacity = Math.max(64, this.bytes.length * 2);
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}

function copyBytes(target: Uint8Array, targetOffset: number, source: Uint8Array, start: number, count: number): void {
  if (count < 48) {
    for (let k = 0; k < count; k++) target[targetOffset + k] = source[start + k] as number;
  } else {
    target.set(source.subarray(start, start + count), targetOffset);
  }
}

/**
 * Reads a `flat` or `vector` branch basket by basket straight into one typed array (plus entry offsets for
 * vectors): each basket is fetched from the source, decompressed, copied element bytes only, and dropped before
 * the next, so memory holds the column and one basket. Big-endian values are swapped to host order in one pass
 * at the end. Throws `AppError('INVALID_DATASET')` for an unsupported branch (with the reason) or a corrupt
 * basket (naming branch, basket and file).
 */
export async function readBranchColumn(source: ByteSource, branch: RootBranchInfo, options: ReadBranchOptions = {}): Promise<RootColumn> {
  if (branch.layout === 'unsupported' || branch.elementType === null) {
    throw new AppError('INVALID_DATASET', `branch "${branch.name}" of type ${branch.typeName} cannot be read: ${branch.unsupportedReason}.`, {
      column: branch.name,
      found: branch.typeName,
    });
  }
  const elementType = branch.elementType;
  const size = ELEMENT_SIZE_BYTES[elementType];
  const isVector = branch.layout === 'vector';
  const offsets = isVector ? new Int32Array(branch.entries + 1) : null;
  const out = new GrowableBytes(isVector ? Math.max(branch.uncompressedBytes - 10 * branch.entries, 0) : branch.entries * size);
  let entriesDone = 0;
  let elementCount = 0;
  for (let k = 0; k < branch.baskets.length; k++) {
    const location = branch.baskets[k] as (typeof branch.baskets)[number];
    const where = `basket ${k} of branch "${branch.name}" in ${source.name}`;
    const record = await source.read(location.seek, location.sizeBytes);
    const basket = decodeBasket(record, isVector, where);
    if (basket.header.entries !== location.entries || location.firstEntry !== entriesDone) {
      throw new AppError('INVALID_DATASET', `${where}: holds ${basket.header.entries} entries from ${entriesDone}, the branch index says ${location.entries} from ${location.firstEntry}.`, { file: source.name, column: branch.name });
    }
    const { payload, dataEnd } = basket;
    if (!isVector) {
      const bytes = location.entries * size;
      if (dataEnd !== bytes) throw new AppError('INVALID_DATASET', `${where}: ${dataEnd} data bytes for ${location.entries} entries of ${size} bytes.`, { file: source.name, column: branch.name });
      out.reserve(bytes);
      copyBytes(out.bytes, out.length, payload, 0, bytes);
      out.length += bytes;
    } else {
      const starts = basket.entryStarts as Int32Array;
      const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
      out.reserve(Math.max(0, dataEnd - VECTOR_ENTRY_HEADER_BYTES * location.entries));
      const o = offsets as Int32Array;
      for (let i = 0; i < location.entries; i++) {
        const start = starts[i] as number;
        const end = i + 1 < location.entries ? (starts[i + 1] as number) : dataEnd;
        if (end - start < VECTOR_ENTRY_HEADER_BYTES) throw new AppError('INVALID_DATASET', `${where}: entry ${location.firstEntry + i} has ${end - start} bytes, too few for a vector header.`, { file: source.name, column: branch.name });
        const byteCount = view.getUint32(start);
        const count = view.getInt32(start + 6);
        const bytes = count * size;
        if (!(byteCount & BYTE_COUNT_FLAG) || (byteCount & ~BYTE_COUNT_FLAG) !== 6 + bytes || start + VECTOR_ENTRY_HEADER_BYTES + bytes !== end) {
          throw new AppError('INVALID_DATASET', `${where}: entry ${location.firstEntry + i} is not a vector<${elementType}> record (byte count ${byteCount & ~BYTE_COUNT_FLAG}, ${count} elements, ${end - start} bytes).`, { file: source.name, column: branch.name });
        }
        if (out.length + bytes > out.bytes.length) out.reserve(bytes);
        copyBytes(out.bytes, out.length, payload, start + VECTOR_ENTRY_HEADER_BYTES, bytes);
        out.length += bytes;
        elementCount += count;
        o[entriesDone + i + 1] = elementCount;
      }
    }
    entriesDone += location.entries;
    options.onBasket?.(entriesDone, branch.entries);
  }
  if (entriesDone !== branch.entries) {
    throw new AppError('INVALID_DATASET', `branch "${branch.name}" in ${source.name}: baskets hold ${entriesDone} entries, the tree has ${branch.entries}.`, { file: source.name, column: branch.name });
  }
  // Right-size the column so that no growth slack stays alive with it (no copy when there is none).
  let bytes = out.bytes;
  if (out.length !== bytes.length) {
    bytes = new Uint8Array(out.length);
    bytes.set(out.bytes.subarray(0, out.length));
  }
  const exact = bytes.buffer as ArrayBuffer;
  toHostOrder(bytes, size);
  const values = allocateElements(elementType, exact, 0, out.length / size);
  const base = { name: branch.name, typeName: branch.typeName, elementType };
  return isVector ? { ...base, layout: 'vector', values, offsets: offsets as Int32Array } : { ...base, layout: 'flat', values };
}
