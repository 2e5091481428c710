import { ByteWriter } from './byte-writer';

/** Big-endian writes of ROOT's TFile records (keys, directories, streamed objects). */
export class BigEndianWriter extends ByteWriter {
  constructor() {
    super(false);
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
  /** Reserves a 4-byte byte count; `endByteCount` writes the bytes written since, with ROOT's 0x40000000 flag. */
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
}
