import { RootWriteBuffer } from './root-write-buffer';

/** One TStreamerElement as ROOT writes it into a TStreamerInfo. */
export type StreamerElementSpec = {
  kind: 'TStreamerBase' | 'TStreamerBasicType' | 'TStreamerString' | 'TStreamerBasicPointer' | 'TStreamerObject' | 'TStreamerObjectAny' | 'TStreamerObjectPointer' | 'TStreamerSTL';
  name: string;
  title: string;
  /** ROOT's EReadWrite type code (kInt = 3, kFloat = 5, kBase = 0, kObject = 61, kSTL = 500, …). */
  type: number;
  size: number;
  typeName: string;
  /** fMaxIndex; for a base class ROOT keeps the base's checksum in fMaxIndex[1]. */
  maxIndex: readonly [number, number, number, number, number];
  baseVersion?: number;
  count?: { countName: string; countClass: string; countVersion: number };
  stl?: { stlType: number; ctype: number };
};

/** A class's TStreamerInfo: name, class version, checksum and members in streaming order. */
export type StreamerInfoSpec = { version: number; checksum: number; elements: readonly StreamerElementSpec[] };

const NO_INDEX = [0, 0, 0, 0, 0] as const;

function base(name: string, title: string, type: number, baseVersion: number, baseChecksum: number): StreamerElementSpec {
  return { kind: 'TStreamerBase', name, title, type, size: 0, typeName: 'BASE', maxIndex: [0, baseChecksum, 0, 0, 0], baseVersion };
}

function member(kind: StreamerElementSpec['kind'], name: string, title: string, type: number, size: number, typeName: string, count?: StreamerElementSpec['count']): StreamerElementSpec {
  return { kind, name, title, type, size, typeName, maxIndex: NO_INDEX, ...(count ? { count } : {}) };
}

/**
 * The streamer infos of the classes a TTree file holds, as ROOT 6.32 writes them (TTree v20, TBranch v13,
 * TBranchElement v10, TLeaf v2, …): names, titles, type codes, sizes and checksums are ROOT's own, read from files
 * ROOT wrote (PHYSLITE_example.root, written by ROOT 6.32/02; TLeafS/D/C from a ROOT 6.10 file and TLeafO from a
 * ROOT 6.14 file, whose versions and checksums are unchanged since). ROOT compares a checksum with its dictionary's
 * before trusting an on-file layout, so they must be exact; `streamer-infos.test.ts` checks them against the files.
 */
export const ROOT_STREAMER_INFOS: Readonly<Record<string, StreamerInfoSpec>> = {
  "TObject": { version: 1, checksum: 2417737773, elements: [
    member("TStreamerBasicType", "fUniqueID", "object unique identifier", 13, 4, "unsigned int"),
    member("TStreamerBasicType", "fBits", "bit field status word", 15, 4, "unsigned int"),
  ] },
  "TNamed": { version: 1, checksum: 3753331260, elements: [
    base("TObject", "Basic ROOT object", 66, 1, 2417737773),
    member("TStreamerString", "fName", "object identifier", 65, 24, "TString"),
    member("TStreamerString", "fTitle", "object title", 65, 24, "TString"),
  ] },
  "TList": { version: 5, checksum: 1774568379, elements: [
    base("TSeqCollection", "Sequenceable collection ABC", 0, 0, 4234951622),
  ] },
  "TSeqCollection": { version: 0, checksum: 4234951622, elements: [
    base("TCollection", "Collection abstract base class", 0, 3, 1474546588),
  ] },
  "TCollection": { version: 3, checksum: 1474546588, elements: [
    base("TObject", "Basic ROOT object", 66, 1, 2417737773),
    member("TStreamerString", "fName", "name of the collection", 65, 24, "TString"),
    member("TStreamerBasicType", "fSize", "number of elements in collection", 3, 4, "int"),
  ] },
  "TString": { version: 2, checksum: 95257, elements: [
  ] },
  "TObjArray": { version: 3, checksum: 2845730130, elements: [
    base("TSeqCollection", "Sequenceable collection ABC", 0, 0, 4234951622),
    member("TStreamerBasicType", "fLowerBound", "Lower bound of the array", 3, 4, "int"),
    member("TStreamerBasicType", "fLast", "Last element in array containing an object", 3, 4, "int"),
  ] },
  "TAttLine": { version: 2, checksum: 2483504457, elements: [
    member("TStreamerBasicType", "fLineColor", "Line color", 2, 2, "short"),
    member("TStreamerBasicType", "fLineStyle", "Line style", 2, 2, "short"),
    member("TStreamerBasicType", "fLineWidth", "Line width", 2, 2, "short"),
  ] },
  "TAttFill": { version: 2, checksum: 4292422290, elements: [
    member("TStreamerBasicType", "fFillColor", "Fill area color", 2, 2, "short"),
    member("TStreamerBasicType", "fFillStyle", "Fill area style", 2, 2, "short"),
  ] },
  "TAttMarker": { version: 2, checksum: 689802220, elements: [
    member("TStreamerBasicType", "fMarkerColor", "Marker color index", 2, 2, "short"),
    member("TStreamerBasicType", "fMarkerStyle", "Marker style", 2, 2, "short"),
    member("TStreamerBasicType", "fMarkerSize", "Marker size", 5, 4, "float"),
  ] },
  "ROOT::TIOFeatures": { version: 1, checksum: 446770960, elements: [
    member("TStreamerBasicType", "fIOBits", "", 11, 1, "unsigned char"),
  ] },
  "TTree": { version: 20, checksum: 1919213695, elements: [
    base("TNamed", "The basis for a named object (name, title)", 67, 1, 3753331260),
    base("TAttLine", "Line attributes", 0, 2, 2483504457),
    base("TAttFill", "Fill area attributes", 0, 2, 4292422290),
    base("TAttMarker", "Marker attributes", 0, 2, 689802220),
    member("TStreamerBasicType", "fEntries", "Number of entries", 16, 8, "Long64_t"),
    member("TStreamerBasicType", "fTotBytes", "Total number of bytes in all branches before compression", 16, 8, "Long64_t"),
    member("TStreamerBasicType", "fZipBytes", "Total number of bytes in all branches after compression", 16, 8, "Long64_t"),
    member("TStreamerBasicType", "fSavedBytes", "Number of autosaved bytes", 16, 8, "Long64_t"),
    member("TStreamerBasicType", "fFlushedBytes", "Number of auto-flushed bytes", 16, 8, "Long64_t"),
    member("TStreamerBasicType", "fWeight", "Tree weight (see TTree::SetWeight)", 8, 8, "double"),
    member("TStreamerBasicType", "fTimerInterval", "Timer interval in milliseconds", 3, 4, "int"),
    member("TStreamerBasicType", "fScanField", "Number of runs before prompting in Scan", 3, 4, "int"),
    member("TStreamerBasicType", "fUpdate", "Update frequency for EntryLoop", 3, 4, "int"),
    member("TStreamerBasicType", "fDefaultEntryOffsetLen", "Initial Length of fEntryOffset table in the basket buffers", 3, 4, "int"),
    member("TStreamerBasicType", "fNClusterRange", "Number of Cluster range in addition to the one defined by 'AutoFlush'", 6, 4, "int"),
    member("TStreamerBasicType", "fMaxEntries", "Maximum number of entries in case of circular buffers", 16, 8, "Long64_t"),
    member("TStreamerBasicType", "fMaxEntryLoop", "Maximum number of entries to process", 16, 8, "Long64_t"),
    member("TStreamerBasicType", "fMaxVirtualSize", "Maximum total size of buffers kept in memory", 16, 8, "Long64_t"),
    member("TStreamerBasicType", "fAutoSave", "Autosave tree when fAutoSave entries written or -fAutoSave (compressed) bytes produced", 16, 8, "Long64_t"),
    member("TStreamerBasicType", "fAutoFlush", "Auto-flush tree when fAutoFlush entries written or -fAutoFlush (compressed) bytes produced", 16, 8, "Long64_t"),
    member("TStreamerBasicType", "fEstimate", "Number of entries to estimate histogram limits", 16, 8, "Long64_t"),
    member("TStreamerBasicPointer", "fClusterRangeEnd", "[fNClusterRange] Last entry of a cluster range.", 56, 8, "Long64_t*", { countName: "fNClusterRange", countClass: "TTree", countVersion: 20 }),
    member("TStreamerBasicPointer", "fClusterSize", "[fNClusterRange] Number of entries in each cluster for a given range.", 56, 8, "Long64_t*", { countName: "fNClusterRange", countClass: "TTree", countVersion: 20 }),
    member("TStreamerObjectAny", "fIOFeatures", "IO features to define for newly-written baskets and branches.", 62, 1, "ROOT::TIOFeatures"),
    member("TStreamerObject", "fBranches", "List of Branches", 61, 64, "TObjArray"),
    member("TStreamerObject", "fLeaves", "Direct pointers to individual branch leaves", 61, 64, "TObjArray"),
    member("TStreamerObjectPointer", "fAliases", "List of aliases for expressions based on the tree branches.", 64, 8, "TList*"),
    member("TStreamerObjectAny", "fIndexValues", "Sorted index values", 62, 24, "TArrayD"),
    member("TStreamerObjectAny", "fIndex", "Index of sorted values", 62, 24, "TArrayI"),
    member("TStreamerObjectPointer", "fTreeIndex", "Pointer to the tree Index (if any)", 64, 8, "TVirtualIndex*"),
    member("TStreamerObjectPointer", "fFriends", "pointer to list of friend elements", 64, 8, "TList*"),
    member("TStreamerObjectPointer", "fUserInfo", "pointer to a list of user objects associated to this Tree", 64, 8, "TList*"),
    member("TStreamerObjectPointer", "fBranchRef", "Branch supporting the TRefTable (if any)", 64, 8, "TBranchRef*"),
  ] },
  "TBranch": { version: 13, checksum: 278366892, elements: [
    base("TNamed", "The basis for a named object (name, title)", 67, 1, 3753331260),
    base("TAttFill", "Fill area attributes", 0, 2, 4292422290),
    member("TStreamerBasicType", "fCompress", "Compression level and algorithm", 3, 4, "int"),
    member("TStreamerBasicType", "fBasketSize", "Initial Size of  Basket Buffer", 3, 4, "int"),
    member("TStreamerBasicType", "fEntryOffsetLen", "Initial Length of fEntryOffset table in the basket buffers", 3, 4, "int"),
    member("TStreamerBasicType", "fWriteBasket", "Last basket number written", 3, 4, "int"),
    member("TStreamerBasicType", "fEntryNumber", "Current entry number (last one filled in this branch)", 16, 8, "Long64_t"),
    member("TStreamerObjectAny", "fIOFeatures", "IO features for newly-created baskets.", 62, 1, "ROOT::TIOFeatures"),
    member("TStreamerBasicType", "fOffset", "Offset of this branch", 3, 4, "int"),
    member("TStreamerBasicType", "fMaxBaskets", "Maximum number of Baskets so far", 6, 4, "int"),
    member("TStreamerBasicType", "fSplitLevel", "Branch split level", 3, 4, "int"),
    member("TStreamerBasicType", "fEntries", "Number of entries", 16, 8, "Long64_t"),
    member("TStreamerBasicType", "fFirstEntry", "Number of the first entry in this branch", 16, 8, "Long64_t"),
    member("TStreamerBasicType", "fTotBytes", "Total number of bytes in all leaves before compression", 16, 8, "Long64_t"),
    member("TStreamerBasicType", "fZipBytes", "Total number of bytes in all leaves after compression", 16, 8, "Long64_t"),
    member("TStreamerObject", "fBranches", "-> List of Branches of this branch", 61, 64, "TObjArray"),
    member("TStreamerObject", "fLeaves", "-> List of leaves of this branch", 61, 64, "TObjArray"),
    member("TStreamerObject", "fBaskets", "-> List of baskets of this branch", 61, 64, "TObjArray"),
    member("TStreamerBasicPointer", "fBasketBytes", "[fMaxBaskets] Length of baskets on file", 43, 8, "int*", { countName: "fMaxBaskets", countClass: "TBranch", countVersion: 13 }),
    member("TStreamerBasicPointer", "fBasketEntry", "[fMaxBaskets] Table of first entry in each basket", 56, 8, "Long64_t*", { countName: "fMaxBaskets", countClass: "TBranch", countVersion: 13 }),
    member("TStreamerBasicPointer", "fBasketSeek", "[fMaxBaskets] Addresses of baskets on file", 56, 8, "Long64_t*", { countName: "fMaxBaskets", countClass: "TBranch", countVersion: 13 }),
    member("TStreamerString", "fFileName", "Name of file where buffers are stored (\"\" if in same file as Tree header)", 65, 24, "TString"),
  ] },
  "TBranchElement": { version: 10, checksum: 3880738403, elements: [
    base("TBranch", "Branch descriptor", 0, 13, 278366892),
    member("TStreamerString", "fClassName", "Class name of referenced object", 65, 24, "TString"),
    member("TStreamerString", "fParentName", "Name of parent class", 65, 24, "TString"),
    member("TStreamerString", "fClonesName", "Name of class in TClonesArray (if any)", 65, 24, "TString"),
    member("TStreamerBasicType", "fCheckSum", "CheckSum of class", 13, 4, "unsigned int"),
    member("TStreamerBasicType", "fClassVersion", "Version number of class", 2, 2, "short"),
    member("TStreamerBasicType", "fID", "element serial number in fInfo", 3, 4, "int"),
    member("TStreamerBasicType", "fType", "branch type", 3, 4, "int"),
    member("TStreamerBasicType", "fStreamerType", "branch streamer type", 3, 4, "int"),
    member("TStreamerBasicType", "fMaximum", "Maximum entries for a TClonesArray or variable array", 3, 4, "int"),
    member("TStreamerObjectPointer", "fBranchCount", "pointer to primary branchcount branch", 64, 8, "TBranchElement*"),
    member("TStreamerObjectPointer", "fBranchCount2", "pointer to secondary branchcount branch", 64, 8, "TBranchElement*"),
  ] },
  "TLeaf": { version: 2, checksum: 1830715730, elements: [
    base("TNamed", "The basis for a named object (name, title)", 67, 1, 3753331260),
    member("TStreamerBasicType", "fLen", "Number of fixed length elements", 3, 4, "int"),
    member("TStreamerBasicType", "fLenType", "Number of bytes for this data type", 3, 4, "int"),
    member("TStreamerBasicType", "fOffset", "Offset in ClonesArray object (if one)", 3, 4, "int"),
    member("TStreamerBasicType", "fIsRange", "(=kTRUE if leaf has a range, kFALSE otherwise)", 18, 1, "bool"),
    member("TStreamerBasicType", "fIsUnsigned", "(=kTRUE if unsigned, kFALSE otherwise)", 18, 1, "bool"),
    member("TStreamerObjectPointer", "fLeafCount", "Pointer to Leaf count if variable length (we do not own the counter)", 64, 8, "TLeaf*"),
  ] },
  "TLeafElement": { version: 1, checksum: 2689566867, elements: [
    base("TLeaf", "Leaf: description of a Branch data type", 0, 2, 1830715730),
    member("TStreamerBasicType", "fID", "element serial number in fInfo", 3, 4, "int"),
    member("TStreamerBasicType", "fType", "leaf type", 3, 4, "int"),
  ] },
  "TLeafO": { version: 1, checksum: 44976339, elements: [
    base("TLeaf", "Leaf: description of a Branch data type", 0, 2, 1830715730),
    member("TStreamerBasicType", "fMinimum", "Minimum value if leaf range is specified", 18, 1, "bool"),
    member("TStreamerBasicType", "fMaximum", "Maximum value if leaf range is specified", 18, 1, "bool"),
  ] },
  "TLeafB": { version: 1, checksum: 253643614, elements: [
    base("TLeaf", "Leaf: description of a Branch data type", 0, 2, 1830715730),
    member("TStreamerBasicType", "fMinimum", "Minimum value if leaf range is specified", 1, 1, "char"),
    member("TStreamerBasicType", "fMaximum", "Maximum value if leaf range is specified", 1, 1, "char"),
  ] },
  "TLeafS": { version: 1, checksum: 353169103, elements: [
    base("TLeaf", "Leaf: description of a Branch data type", 0, 2, 1830715730),
    member("TStreamerBasicType", "fMinimum", "Minimum value if leaf range is specified", 2, 2, "short"),
    member("TStreamerBasicType", "fMaximum", "Maximum value if leaf range is specified", 2, 2, "short"),
  ] },
  "TLeafI": { version: 1, checksum: 2120920601, elements: [
    base("TLeaf", "Leaf: description of a Branch data type", 0, 2, 1830715730),
    member("TStreamerBasicType", "fMinimum", "Minimum value if leaf range is specified", 3, 4, "int"),
    member("TStreamerBasicType", "fMaximum", "Maximum value if leaf range is specified", 3, 4, "int"),
  ] },
  "TLeafL": { version: 1, checksum: 3727820898, elements: [
    base("TLeaf", "Leaf: description of a Branch data type", 0, 2, 1830715730),
    member("TStreamerBasicType", "fMinimum", "Minimum value if leaf range is specified", 16, 8, "Long64_t"),
    member("TStreamerBasicType", "fMaximum", "Maximum value if leaf range is specified", 16, 8, "Long64_t"),
  ] },
  "TLeafF": { version: 1, checksum: 987602290, elements: [
    base("TLeaf", "Leaf: description of a Branch data type", 0, 2, 1830715730),
    member("TStreamerBasicType", "fMinimum", "Minimum value if leaf range is specified", 5, 4, "float"),
    member("TStreamerBasicType", "fMaximum", "Maximum value if leaf range is specified", 5, 4, "float"),
  ] },
  "TLeafD": { version: 1, checksum: 294553462, elements: [
    base("TLeaf", "Leaf: description of a Branch data type", 0, 2, 1830715730),
    member("TStreamerBasicType", "fMinimum", "Minimum value if leaf range is specified", 8, 8, "double"),
    member("TStreamerBasicType", "fMaximum", "Maximum value if leaf range is specified", 8, 8, "double"),
  ] },
  "TLeafC": { version: 1, checksum: 4226003699, elements: [
    base("TLeaf", "Leaf: description of a Branch data type", 0, 2, 1830715730),
    member("TStreamerBasicType", "fMinimum", "Minimum value if leaf range is specified", 3, 4, "int"),
    member("TStreamerBasicType", "fMaximum", "Maximum value if leaf range is specified", 3, 4, "int"),
  ] },
};

/** Class versions of the streamer-info classes themselves (ROOT 6.32). */
const ELEMENT_CLASS_VERSIONS: Readonly<Record<StreamerElementSpec['kind'], number>> = {
  TStreamerBase: 3,
  TStreamerBasicType: 2,
  TStreamerString: 2,
  TStreamerBasicPointer: 2,
  TStreamerObject: 2,
  TStreamerObjectAny: 2,
  TStreamerObjectPointer: 2,
  TStreamerSTL: 3,
};
const STREAMER_ELEMENT_VERSION = 4;
const STREAMER_INFO_VERSION = 9;
const TLIST_VERSION = 5;
const TOBJARRAY_VERSION = 3;
/** TStreamerInfo::kIsCompiled, set on every info ROOT writes. */
const STREAMER_INFO_BITS = 0x00010000;
/** ROOT's class version of every std::vector<T> (the collection proxy's "class version"). */
const STL_CLASS_VERSION = 6;
const STL_VECTOR = 1;
const STL_TYPE_CODE = 500;

/**
 * A class checksum for a class without data members of its own (what ROOT computes for an STL collection): the
 * name's characters folded as id = id·3 + c, modulo 2³². Gives ROOT's checksums of vector<float>, vector<int>, …
 */
export function nameChecksum(className: string): number {
  let id = 0;
  for (const byte of new TextEncoder().encode(className)) id = (Math.imul(id, 3) + byte) >>> 0;
  return id;
}

/** The TStreamerInfo ROOT writes for `vector<T>`: one TStreamerSTL "This" with the element's type code. */
export function vectorStreamerInfo(className: string, elementRootTypeName: string, elementTypeCode: number): StreamerInfoSpec {
  return {
    version: STL_CLASS_VERSION,
    checksum: nameChecksum(className),
    elements: [
      {
        kind: 'TStreamerSTL',
        name: 'This',
        title: `<${elementRootTypeName}> Used to call the proper TStreamerInfo case`,
        type: STL_TYPE_CODE,
        size: 0,
        typeName: className,
        maxIndex: NO_INDEX,
        stl: { stlType: STL_VECTOR, ctype: elementTypeCode },
      },
    ],
  };
}

function writeElement(buffer: RootWriteBuffer, element: StreamerElementSpec): void {
  buffer.objectPointer(element, element.kind, () => {
    buffer.versioned(ELEMENT_CLASS_VERSIONS[element.kind], () => {
      buffer.versioned(STREAMER_ELEMENT_VERSION, () => {
        buffer.tnamed(element.name, element.title);
        buffer.i32(element.type).i32(element.size).i32(0).i32(0);
        for (const index of element.maxIndex) buffer.u32(index);
        buffer.tstring(element.typeName);
      });
      if (element.kind === 'TStreamerBase') buffer.i32(element.baseVersion ?? 0);
      if (element.kind === 'TStreamerBasicPointer') {
        const count = element.count ?? { countName: '', countClass: '', countVersion: 0 };
        buffer.i32(count.countVersion).tstring(count.countName).tstring(count.countClass);
      }
      if (element.kind === 'TStreamerSTL') buffer.i32(element.stl?.stlType ?? STL_VECTOR).i32(element.stl?.ctype ?? 0);
    });
  });
}

/**
 * Serialises the file's "StreamerInfo" record: a TList of TStreamerInfo objects, each with its TObjArray of
 * elements, exactly as TFile::WriteStreamerInfo lays it out. `tagOffset` is the key length of the record.
 */
export function serializeStreamerInfoList(infos: readonly { name: string; info: StreamerInfoSpec }[], tagOffset: number): Uint8Array {
  const buffer = new RootWriteBuffer(tagOffset, 16 * 1024);
  buffer.versioned(TLIST_VERSION, () => {
    buffer.tobject().tstring('').i32(infos.length);
    for (const { name, info } of infos) {
      buffer.objectPointer(info, 'TStreamerInfo', () => {
        buffer.versioned(STREAMER_INFO_VERSION, () => {
          buffer.tnamed(name, '', STREAMER_INFO_BITS);
          buffer.u32(info.checksum).i32(info.version);
          buffer.objectPointer(info.elements, 'TObjArray', () => {
            buffer.versioned(TOBJARRAY_VERSION, () => {
              buffer.tobject().tstring('').i32(info.elements.length).i32(0);
              for (const element of info.elements) writeElement(buffer, element);
            });
          });
        });
      });
      buffer.tstring(''); // the TList entry's option string
    }
  });
  return buffer.toBytes();
}
