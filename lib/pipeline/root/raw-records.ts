/**
 * The plain facts the jsroot adapter extracts from a ROOT file: keys, streamer infos and TTree metadata (branches,
 * leaves, basket index, baskets stored inside the TTree object). No jsroot object crosses this boundary, so every
 * record can be copied to a worker thread as it is.
 */

/** A key of a directory: what it holds and where its record lies in the file. */
export type RawKeyRecord = {
  /** Full path from the top directory, `dir/sub/name`. */
  path: string;
  name: string;
  className: string;
  cycle: number;
  /** File offset and length of the key record (header + object), for messages about a bad key. */
  seek: number;
  sizeBytes: number;
  /** Length of the key header (the object starts at `seek + keyBytes`) and of the object uncompressed. */
  keyBytes: number;
  objectBytes: number;
};

/** One member (or base class) of a class as the file's streamer info describes it. */
export type RawStreamerElement = {
  /** "TStreamerBasicType", "TStreamerBase", "TStreamerSTL", "TStreamerObjectAny", … */
  elementClass: string;
  name: string;
  title: string;
  /** ROOT's streamer type code (TStreamerInfo::EReadWrite: 1…19 numbers, +20 fixed arrays, +40 arrays with a count, 61… objects, 300 STL, 500 custom streamers). */
  type: number;
  typeName: string;
  arrayLength: number;
  arrayDim: number;
  maxIndex: number[];
  /** Count member of a `[n]` array (TStreamerBasicPointer / TStreamerLoop). */
  countName: string;
  /** Double32_t / Float16_t range as ROOT derives it from the title `[xmin, xmax, nbits]`. */
  xmin: number;
  xmax: number;
  factor: number;
  /** TStreamerSTL: container kind (1 vector, 2 list, 3 deque, 4 map, 5 multimap, 6 set, 7 multiset, 8 bitset, 365 string). */
  stlType: number;
  /** TStreamerSTL: streamer type of the contained basic type, 61 for objects, 0 if unknown. */
  containedType: number;
  /** TStreamerBase: version of the base class. */
  baseVersion: number;
};

export type RawStreamerInfo = { className: string; classVersion: number; checksum: number; elements: RawStreamerElement[] };

export type RawLeafRecord = {
  /** "TLeafI", "TLeafF", "TLeafC", "TLeafElement", "TLeafD32", "TLeafF16", … */
  leafClass: string;
  name: string;
  /** `x[n]`, `x[3][4]`, or for TLeafD32/TLeafF16 the range `x[0,1,20]`. */
  title: string;
  /** Number of fixed elements per entry (product of the fixed dimensions; the maximum length for TLeafC). */
  length: number;
  /** Bytes per element. */
  lengthType: number;
  /** Byte offset of this leaf inside the entry of a leaf list. */
  offset: number;
  isUnsigned: boolean;
  /** Name of the leaf that holds the per-entry count of a variable-length array (`x[n]`). */
  countLeafName: string | null;
  /** TLeafElement: the streamer type it reads (fType) and the element index (fID). */
  elementType: number | null;
};

/** Where one basket of a branch lies: on disk as a TKey record, or inside the TTree object (uncompressed). */
export type RawBasketRecord =
  | { kind: 'disk'; index: number; firstEntry: number; entries: number; seek: number; sizeBytes: number }
  | {
      kind: 'embedded';
      index: number;
      firstEntry: number;
      entries: number;
      /** Key length of the basket (entry offsets count from the start of the key). */
      keyBytes: number;
      /** fNevBufSize: bytes per entry of fixed-size branches. */
      entryBytes: number;
      /** The entry data (key-relative bytes `keyBytes … fLast`). */
      data: Uint8Array;
      /** Key-relative start of each entry; null for fixed-size entries. */
      entryOffsets: Int32Array | null;
    }
  | { kind: 'missing'; index: number; firstEntry: number; entries: number };

export type RawBranchRecord = {
  /** fName: ROOT's full branch name (`AnalysisJetsAuxDyn.pt`, `hits.pos.x`). */
  name: string;
  title: string;
  /** "TBranch" | "TBranchElement" | "TBranchObject" | "TBranchSTL" | … */
  branchClass: string;
  /** TBranchElement: the class holding the element (fClassName); for top-level branches the branch's type. */
  className: string;
  parentName: string;
  clonesName: string;
  /** fStreamerType: streamer type of the element read by this branch, −1 for a whole object or container. */
  streamerType: number | null;
  /** fType: 0 leaf or top object, 1 base class, 2 object member, 3 TClonesArray, 4 STL container, 31/41 members of them. */
  elementKind: number | null;
  /** fID: index of the element in the class's streamer info, −1 whole object, −2 split top-level object. */
  elementId: number | null;
  classVersion: number;
  checksum: number;
  splitLevel: number;
  leaves: RawLeafRecord[];
  entryOffsetLen: number;
  entries: number;
  totalBytes: number;
  zipBytes: number;
  /** Branch stored in another file (fFileName). */
  externalFileName: string;
  baskets: RawBasketRecord[];
  branches: RawBranchRecord[];
  /** For fID ≥ 0: the streamer element of `className` (version `classVersion`) that this branch reads. */
  element: RawStreamerElement | null;
};

export type RawTreeRecord = {
  /** Full path, `dir/sub/tree`. */
  path: string;
  title: string;
  entries: number;
  branches: RawBranchRecord[];
};
