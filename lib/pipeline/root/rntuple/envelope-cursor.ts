import { type RNTupleLocation, rntupleError } from './rntuple-error';

/**
 * Little-endian reads over one decompressed envelope, bounds-checked, with RNTuple's record and list frames
 * (a signed 64-bit size, negative for lists, then an item count). A frame is left at the end its size gives,
 * so fields that newer writers append are skipped, as the specification asks.
 */
export class EnvelopeCursor {
  position = 0;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly at: RNTupleLocation,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(message: string): never {
    throw rntupleError(this.at, `${message} (at byte ${this.position} of ${this.bytes.length} in the envelope); the file is corrupt.`);
  }

  private need(count: number, what: string): void {
    if (this.position + count > this.bytes.length) this.fail(`${what} needs ${count} bytes but the envelope ends`);
  }

  u8(): number {
    this.need(1, 'an 8-bit integer');
    return this.view.getUint8(this.position++);
  }
  u16(): number {
    this.need(2, 'a 16-bit integer');
    const v = this.view.getUint16(this.position, true);
    this.position += 2;
    return v;
  }
  u32(): number {
    this.need(4, 'a 32-bit integer');
    const v = this.view.getUint32(this.position, true);
    this.position += 4;
    return v;
  }
  i32(): number {
    this.need(4, 'a 32-bit integer');
    const v = this.view.getInt32(this.position, true);
    this.position += 4;
    return v;
  }
  u64Big(): bigint {
    this.need(8, 'a 64-bit integer');
    const v = this.view.getBigUint64(this.position, true);
    this.position += 8;
    return v;
  }
  i64Big(): bigint {
    this.need(8, 'a 64-bit integer');
    const v = this.view.getBigInt64(this.position, true);
    this.position += 8;
    return v;
  }
  /** An unsigned 64-bit integer that must fit a JavaScript number exactly (sizes, offsets, entry counts). */
  u64(what: string): number {
    const v = this.u64Big();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${what} is ${v}, beyond 2^53`);
    return Number(v);
  }
  i64(what: string): number {
    const v = this.i64Big();
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) this.fail(`${what} is ${v}, beyond ±2^53`);
    return Number(v);
  }
  f64(): number {
    this.need(8, 'a 64-bit float');
    const v = this.view.getFloat64(this.position, true);
    this.position += 8;
    return v;
  }
  string(what: string): string {
    const length = this.u32();
    this.need(length, `${what} (a string of ${length} bytes)`);
    const text = new TextDecoder().decode(this.bytes.subarray(this.position, this.position + length));
    this.position += length;
    return text;
  }

  /** Feature flags: 64-bit words, continued while the top bit is set. Returns the words. */
  featureFlags(): bigint[] {
    const words: bigint[] = [];
    for (;;) {
      const word = this.u64Big();
      words.push(word);
      if ((word & (1n << 63n)) === 0n) return words;
      if (words.length > 64) this.fail('the feature flags do not end');
    }
  }

  private frameStart(what: string): { end: number; size: number; isList: boolean } {
    const start = this.position;
    const raw = this.i64(`the size of ${what}`);
    const size = Math.abs(raw);
    if (size < 8 || start + size > this.bytes.length) {
      this.position = start;
      this.fail(`${what} claims ${size} bytes, but ${this.bytes.length - start} remain`);
    }
    return { end: start + size, size, isList: raw < 0 };
  }

  /** A record frame: `read` parses the known fields, then the cursor moves to the frame's end. */
  record<T>(what: string, read: (end: number) => T): T {
    const frame = this.frameStart(what);
    if (frame.isList) this.fail(`${what} should be a record frame but is a list frame`);
    const value = read(frame.end);
    if (this.position > frame.end) this.fail(`${what} overruns its frame (${frame.size} bytes)`);
    this.position = frame.end;
    return value;
  }

  /**
   * A list frame of `count` items, each read by `item`, then `trailer` (fields inside the frame after the items, as
   * in the page list); the cursor then moves to the frame's end.
   */
  list<T>(what: string, item: (index: number) => T, trailer?: () => void): T[] {
    const frame = this.frameStart(what);
    if (!frame.isList) this.fail(`${what} should be a list frame but is a record frame`);
    const count = this.u32();
    const items: T[] = [];
    for (let i = 0; i < count; i++) {
      items.push(item(i));
      if (this.position > frame.end) this.fail(`item ${i} of ${what} overruns its frame (${frame.size} bytes)`);
    }
    trailer?.();
    if (this.position > frame.end) this.fail(`${what} overruns its frame (${frame.size} bytes)`);
    this.position = frame.end;
    return items;
  }
}
