/** A growable big-endian byte buffer for ROOT's TFile records (keys, directories, streamed objects). */
export class BigEndianWriter {
  private bytes = new Uint8Array(256);
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
    this.view.setUint8(this.length, v);
    this.length += 1;
    return this;
  }
  u16(v: number): this {
    this.reserve(2);
    this.view.setUint16(this.length, v, false);
    this.length += 2;
    return this;
  }
  u32(v: number): this {
    this.reserve(4);
    this.view.setUint32(this.length, v >>> 0, false);
    this.length += 4;
    return this;
  }
  i32(v: number): this {
    this.reserve(4);
    this.view.setInt32(this.length, v, false);
    this.length += 4;
    return this;
  }
  u64(v: number | bigint): this {
    this.reserve(8);
    this.view.setBigUint64(this.length, BigInt(v), false);
    this.length += 8;
    return this;
  }
  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }
  /** A TString: one length byte (or 255 and a 32-bit length) and the characters. */
  tstring(text: string): this {
    const encoded = new TextEncoder().encode(text);
    if (encoded.length < 255) this.u8(encoded.length);
    else this.u8(255).u32(encoded.length);
    return this.raw(encoded);
  }
  /** A NUL-terminated C string (class names after a new-class tag). */
  cstring(text: string): this {
    return this.raw(new TextEncoder().encode(text)).u8(0);
  }
  /** Reserves a 4-byte byte count; `end` writes the bytes written since, with ROOT's 0x40000000 flag. */
  beginByteCount(): number {
    const at = this.length;
    this.u32(0);
    return at;
  }
  endByteCount(at: number): this {
    this.view.setUint32(at, (0x40000000 | (this.length - at - 4)) >>> 0, false);
    return this;
  }
  setU32(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0, false);
  }
  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}
