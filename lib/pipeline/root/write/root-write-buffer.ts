/** High bit of a byte count (ROOT's kByteCountMask): the 4 bytes before an object give its length, not a tag. */
export const BYTE_COUNT_FLAG = 0x40000000;
/** ROOT's kNewClassTag: the class name follows. */
const NEW_CLASS_TAG = 0xffffffff;
/** ROOT's kClassMask: a reference to a class written earlier in the same buffer. */
const CLASS_TAG_FLAG = 0x80000000;
/** ROOT's kMapOffset: tags are buffer positions + 2, so that no tag is 0 (the null pointer). */
const MAP_OFFSET = 2;

const encoder = new TextEncoder();

/**
 * A growable big-endian buffer that serialises ROOT objects the way TBufferFile does: numbers, TStrings, byte
 * counts with the 0x40000000 flag, object versions, and object pointers with ROOT's class and object tags.
 *
 * Tags are positions in the buffer of the whole record, key header included (the key header is written to the same
 * TBufferFile before the object), so `tagOffset` is the length of the key that will hold these bytes.
 */
export class RootWriteBuffer {
  private bytes: Uint8Array;
  private view: DataView;
  length = 0;
  private readonly classTags = new Map<string, number>();
  private readonly objectTags = new Map<object, number>();

  constructor(
    private readonly tagOffset = 0,
    initialBytes = 1024,
  ) {
    this.bytes = new Uint8Array(initialBytes);
    this.view = new DataView(this.bytes.buffer);
  }

  private ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(value: number): this {
    this.ensure(1);
    this.view.setUint8(this.length, value);
    this.length += 1;
    return this;
  }

  i8(value: number): this {
    this.ensure(1);
    this.view.setInt8(this.length, value);
    this.length += 1;
    return this;
  }

  bool(value: boolean): this {
    return this.u8(value ? 1 : 0);
  }

  i16(value: number): this {
    this.ensure(2);
    this.view.setInt16(this.length, value);
    this.length += 2;
    return this;
  }

  u16(value: number): this {
    this.ensure(2);
    this.view.setUint16(this.length, value);
    this.length += 2;
    return this;
  }

  i32(value: number): this {
    this.ensure(4);
    this.view.setInt32(this.length, value);
    this.length += 4;
    return this;
  }

  u32(value: number): this {
    this.ensure(4);
    this.view.setUint32(this.length, value);
    this.length += 4;
    return this;
  }

  i64(value: number | bigint): this {
    this.ensure(8);
    this.view.setBigInt64(this.length, BigInt(value));
    this.length += 8;
    return this;
  }

  u64(value: number | bigint): this {
    this.ensure(8);
    this.view.setBigUint64(this.length, BigInt(value));
    this.length += 8;
    return this;
  }

  f32(value: number): this {
    this.ensure(4);
    this.view.setFloat32(this.length, value);
    this.length += 4;
    return this;
  }

  f64(value: number): this {
    this.ensure(8);
    this.view.setFloat64(this.length, value);
    this.length += 8;
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  /** A TString: one length byte (or 255 and a 4-byte length from 255 bytes on), then the UTF-8 bytes. */
  tstring(text: string): this {
    const utf8 = encoder.encode(text);
    if (utf8.length < 255) this.u8(utf8.length);
    else this.u8(255).i32(utf8.length);
    return this.raw(utf8);
  }

  /** A NUL-terminated C string (class names after a new-class tag). */
  cstring(text: string): this {
    return this.raw(encoder.encode(text)).u8(0);
  }

  /** Reserves a byte count and returns its position for {@link endByteCount}. */
  beginByteCount(): number {
    const position = this.length;
    this.u32(0);
    return position;
  }

  endByteCount(position: number): void {
    this.view.setUint32(position, (this.length - position - 4) | BYTE_COUNT_FLAG);
  }

  /** A byte count and a class version around `body`, as ROOT's WriteVersion(…, kTRUE) … SetByteCount. */
  versioned(version: number, body: () => void): this {
    const position = this.beginByteCount();
    this.i16(version);
    body();
    this.endByteCount(position);
    return this;
  }

  /** TObject::Streamer: version 1 (no byte count), fUniqueID, fBits (without the in-memory heap flags). */
  tobject(bits = 0): this {
    return this.i16(1).u32(0).u32(bits);
  }

  /** TNamed: byte count, version 1, TObject, fName, fTitle. */
  tnamed(name: string, title: string, bits = 0): this {
    return this.versioned(1, () => {
      this.tobject(bits).tstring(name).tstring(title);
    });
  }

  /**
   * A pointer to an object as TBufferFile::WriteObjectAny writes it: 0 for null; the tag of the object when it was
   * written before in this buffer; otherwise a byte count, the class (a new-class tag and its name the first time,
   * then a reference), and the object itself.
   */
  objectPointer(object: object | null, className: string, writeObject: () => void): this {
    if (object === null) return this.u32(0);
    const seen = this.objectTags.get(object);
    if (seen !== undefined) return this.u32(seen);
    const position = this.beginByteCount();
    const classTag = this.classTags.get(className);
    if (classTag !== undefined) {
      this.u32(classTag | CLASS_TAG_FLAG);
    } else {
      this.classTags.set(className, this.length + this.tagOffset + MAP_OFFSET);
      this.u32(NEW_CLASS_TAG).cstring(className);
    }
    this.objectTags.set(object, position + this.tagOffset + MAP_OFFSET);
    writeObject();
    this.endByteCount(position);
    return this;
  }

  /** The bytes written so far (a view, valid until the next write). */
  view8(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** A copy of the bytes written so far. */
  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}
