import { BigEndianWriter } from './big-endian-writer';

/** The persistent members of ROOT::RNTuple (class version 2), the anchor object, in streaming order. */
export const ANCHOR_MEMBERS: readonly { name: string; typeName: string; type: number; size: number }[] = [
  ...['fVersionEpoch', 'fVersionMajor', 'fVersionMinor', 'fVersionPatch'].map((name) => ({ name, typeName: 'unsigned short', type: 12, size: 2 })),
  ...['fSeekHeader', 'fNBytesHeader', 'fLenHeader', 'fSeekFooter', 'fNBytesFooter', 'fLenFooter', 'fMaxKeySize'].map((name) => ({ name, typeName: 'ULong64_t', type: 17, size: 8 })),
];
export const ANCHOR_CLASS = 'ROOT::RNTuple';
export const ANCHOR_CLASS_VERSION = 2;

/** TClass's member checksum (ROOT's kLatestCheckSum without bases or arrays): id = id·3 + c over names and types. */
export function classChecksum(className: string, members: readonly { name: string; typeName: string }[]): number {
  let id = 0;
  const add = (text: string) => {
    for (let i = 0; i < text.length; i++) id = (Math.imul(id, 3) + text.charCodeAt(i)) >>> 0;
  };
  add(className);
  for (const member of members) {
    add(member.name);
    add(member.typeName);
  }
  return id;
}

const NEW_CLASS_TAG = 0xffffffff;
const CLASS_MASK = 0x80000000;
const MAP_OFFSET = 2;

/**
 * The streamer-info record of a file holding RNTuples: a TList with the TStreamerInfo of ROOT::RNTuple (11 basic
 * members), streamed as ROOT's TBufferFile does (byte counts, new-class tags, class references as offsets from
 * the start of the key). `keyBytes` is the length of the key header the object will follow.
 */
export function serializeRNTupleStreamerInfo(keyBytes: number): Uint8Array {
  const w = new BigEndianWriter();
  const classOffsets = new Map<string, number>();
  const writeClassTag = (className: string) => {
    const known = classOffsets.get(className);
    if (known !== undefined) {
      w.u32((known | CLASS_MASK) >>> 0);
      return;
    }
    classOffsets.set(className, w.length + keyBytes + MAP_OFFSET);
    w.u32(NEW_CLASS_TAG).cstring(className);
  };
  const tobject = (bits: number) => w.u16(1).u32(0).u32(bits);
  const tnamed = (name: string, title: string, bits: number) => {
    const at = w.beginByteCount();
    w.u16(1);
    tobject(bits);
    w.tstring(name).tstring(title);
    w.endByteCount(at);
  };

  const list = w.beginByteCount();
  w.u16(5); // TList version
  tobject(0);
  w.tstring(''); // fName
  w.u32(1); // one object

  const infoWithClass = w.beginByteCount();
  writeClassTag('TStreamerInfo');
  const info = w.beginByteCount();
  w.u16(9); // TStreamerInfo version
  tnamed(ANCHOR_CLASS, '', 0x00010000);
  w.u32(classChecksum(ANCHOR_CLASS, ANCHOR_MEMBERS));
  w.u32(ANCHOR_CLASS_VERSION);
  const arrayWithClass = w.beginByteCount();
  writeClassTag('TObjArray');
  const array = w.beginByteCount();
  w.u16(3); // TObjArray version
  tobject(0);
  w.tstring('');
  w.u32(ANCHOR_MEMBERS.length);
  w.u32(0); // lower bound
  for (const member of ANCHOR_MEMBERS) {
    const elementWithClass = w.beginByteCount();
    writeClassTag('TStreamerBasicType');
    const basic = w.beginByteCount();
    w.u16(2); // TStreamerBasicType version
    const element = w.beginByteCount();
    w.u16(4); // TStreamerElement version
    tnamed(member.name, '', 0);
    w.u32(member.type).u32(member.size).u32(0).u32(0);
    for (let i = 0; i < 5; i++) w.u32(0); // fMaxIndex
    w.tstring(member.typeName);
    w.endByteCount(element);
    w.endByteCount(basic);
    w.endByteCount(elementWithClass);
  }
  w.endByteCount(array);
  w.endByteCount(arrayWithClass);
  w.endByteCount(info);
  w.endByteCount(infoWithClass);
  w.u8(0); // the object's option string (empty)
  w.endByteCount(list);
  return w.result();
}
