import type { Xxh3 } from '../codecs/xxhash3';

/** Little-endian writes of RNTuple envelopes: frames (record and list) with their sizes patched when closed. */
export class EnvelopeWriter {
  private bytes = new Uint8Array(1024);
  private view = new DataView(this.bytes.buffer);
  length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
  u8(v: number): this {
    this.reserve(1);
    this.view.setUint8(this.length++, v);
    return this;
  }
  u16(v: number): this {
    this.reserve(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
    return this;
  }
  u32(v: number): this {
    this.reserve(4);
    this.view.setUint32(this.length, v >>> 0, true);
    this.length += 4;
    return this;
  }
  i32(v: number): this {
    this.reserve(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
    return this;
  }
  u64(v: number | bigint): this {
    this.reserve(8);
    this.view.setBigUint64(this.length, BigInt(v), true);
    this.length += 8;
    return this;
  }
  i64(v: number | bigint): this {
    this.reserve(8);
    this.view.setBigInt64(this.length, BigInt(v), true);
    this.length += 8;
    return this;
  }
  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }
  /** A copy of the bytes written. */
  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
  string(text: string): this {
    const encoded = new TextEncoder().encode(text);
    return this.u32(encoded.length).raw(encoded);
  }
  /** A record frame around what `write` adds. */
  record(write: () => void): this {
    const at = this.length;
    this.i64(0);
    write();
    this.view.setBigInt64(at, BigInt(this.length - at), true);
    return this;
  }
  /** A list frame of `items.length` items, each added by `write`, then `trailer` inside the frame. */
  list<T>(items: readonly T[], write: (item: T, index: number) => void, trailer?: () => void): this {
    const at = this.length;
    this.i64(0).u32(items.length);
    items.forEach(write);
    trailer?.();
    this.view.setBigInt64(at, -BigInt(this.length - at), true);
    return this;
  }
  /** A standard file locator (32-bit size, 64-bit offset). */
  locator(offset: number, size: number): this {
    return this.i32(size).u64(offset);
  }
  /** The envelope: preamble (type id, length including the checksum), payload, XXH3-64 of both. */
  envelope(type: number, xxh3: Xxh3): Uint8Array {
    const total = 8 + this.length + 8;
    const out = new Uint8Array(total);
    const view = new DataView(out.buffer);
    view.setBigUint64(0, BigInt(type) | (BigInt(total) << 16n), true);
    out.set(this.bytes.subarray(0, this.length), 8);
    view.setBigUint64(total - 8, xxh3(out.subarray(0, total - 8)), true);
    return out;
  }
}
