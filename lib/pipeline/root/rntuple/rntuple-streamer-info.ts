import type { StreamerInfoSpec } from '../write/streamer-infos';

/** The persistent members of ROOT::RNTuple (class version 2), the anchor object, in streaming order. */
const ANCHOR_MEMBERS: readonly { name: string; typeName: string; type: number; size: number }[] = [
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

/** The TStreamerInfo of ROOT::RNTuple that files holding RNTuples carry, so that readers can stream the anchor. */
export const RNTUPLE_STREAMER_INFO: StreamerInfoSpec = {
  version: ANCHOR_CLASS_VERSION,
  checksum: classChecksum(ANCHOR_CLASS, ANCHOR_MEMBERS),
  elements: ANCHOR_MEMBERS.map((m) => ({ kind: 'TStreamerBasicType', name: m.name, title: '', type: m.type, size: m.size, typeName: m.typeName, maxIndex: [0, 0, 0, 0, 0] })),
};
