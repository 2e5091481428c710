/** A growable byte buffer with fixed-endianness integer writes: the base of the TFile and RNTuple envelope writers. */
export class ByteWriter {
  protected bytes = new Uint8Array(1024);
  protected view = new DataView(this.bytes.buffer);
  length = 0;

  constructor(protected readonly littleEndian: boolean) {}

  protected reserve(extra: number): void {
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
    this.view.setUint16(this.length, v, this.littleEndian);
    this.length += 2;
    return this;
  }
  u32(v: number): this {
    this.reserve(4);
    this.view.setUint32(this.length, v >>> 0, this.littleEndian);
    this.length += 4;
    return this;
  }
  i32(v: number): this {
    this.reserve(4);
    this.view.setInt32(this.length, v, this.littleEndian);
    this.length += 4;
    return this;
  }
  u64(v: number | bigint): this {
    this.reserve(8);
    this.view.setBigUint64(this.length, BigInt(v), this.littleEndian);
    this.length += 8;
    return this;
  }
  i64(v: number | bigint): this {
    this.reserve(8);
    this.view.setBigInt64(this.length, BigInt(v), this.littleEndian);
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
}
