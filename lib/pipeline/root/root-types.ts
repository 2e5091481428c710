/** Element types a branch can decode to, with their on-disk (big-endian) size. */
export type RootElementType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64' | 'bool';

export type RootNumericArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

export const ELEMENT_SIZE_BYTES: Readonly<Record<RootElementType, number>> = {
  int8: 1,
  uint8: 1,
  bool: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8,
};

/** Allocates the typed array that holds `length` elements of `type` (bool as 0/1 bytes). */
export function allocateElements(type: RootElementType, buffer: ArrayBuffer, byteOffset: number, length: number): RootNumericArray {
  switch (type) {
    case 'int8':
      return new Int8Array(buffer, byteOffset, length);
    case 'uint8':
    case 'bool':
      return new Uint8Array(buffer, byteOffset, length);
    case 'int16':
      return new Int16Array(buffer, byteOffset, length);
    case 'uint16':
      return new Uint16Array(buffer, byteOffset, length);
    case 'int32':
      return new Int32Array(buffer, byteOffset, length);
    case 'uint32':
      return new Uint32Array(buffer, byteOffset, length);
    case 'int64':
      return new BigInt64Array(buffer, byteOffset, length);
    case 'uint64':
      return new BigUint64Array(buffer, byteOffset, length);
    case 'float32':
      return new Float32Array(buffer, byteOffset, length);
    case 'float64':
      return new Float64Array(buffer, byteOffset, length);
  }
}

/** Where one basket of a branch lies in the file and which entries it holds. */
export type BasketLocation = { seek: number; sizeBytes: number; firstEntry: number; entries: number };

/**
 * What the reader knows about a branch. `layout` says how its baskets are decoded: `flat` (one fixed-size
 * big-endian value per entry, TLeafF/D/I/L/S/B/O), `vector` (a split `vector<T>` of numbers: per entry a
 * byte count with the 0x40000000 flag, a version, an element count, then the elements) or `unsupported`,
 * with the reason in words.
 */
export type RootBranchInfo = {
  name: string;
  /** C++ type as ROOT names it: "float", "vector<float>", "xAOD::EventInfo_v1", … */
  typeName: string;
  layout: 'flat' | 'vector' | 'unsupported';
  elementType: RootElementType | null;
  unsupportedReason: string | null;
  entries: number;
  compressedBytes: number;
  uncompressedBytes: number;
  baskets: BasketLocation[];
  /** Sub-branches of a split object (not read by this reader). */
  subBranchCount: number;
};

/** The plain facts of a branch that the jsroot adapter extracts from the TTree streamer (no jsroot objects). */
export type RawBranchRecord = {
  name: string;
  /** "TBranch" | "TBranchElement" | … */
  branchClass: string;
  /** TBranchElement: the class or container name; empty for TBranch. */
  className: string;
  streamerType: number | null;
  elementKind: number | null;
  leaves: { leafClass: string; title: string; length: number; isUnsigned: boolean; hasCountLeaf: boolean }[];
  entryOffsetLen: number;
  writeBasket: number;
  basketSeek: number[];
  basketBytes: number[];
  basketEntry: number[];
  entries: number;
  totalBytes: number;
  zipBytes: number;
  /** Branch stored in another file (fFileName). */
  externalFileName: string;
  subBranchCount: number;
};

const LEAF_TYPES: Record<string, { signed: RootElementType; unsigned: RootElementType; signedName: string; unsignedName: string }> = {
  TLeafB: { signed: 'int8', unsigned: 'uint8', signedName: 'char', unsignedName: 'unsigned char' },
  TLeafS: { signed: 'int16', unsigned: 'uint16', signedName: 'short', unsignedName: 'unsigned short' },
  TLeafI: { signed: 'int32', unsigned: 'uint32', signedName: 'int', unsignedName: 'unsigned int' },
  TLeafL: { signed: 'int64', unsigned: 'uint64', signedName: 'Long64_t', unsignedName: 'ULong64_t' },
  TLeafF: { signed: 'float32', unsigned: 'float32', signedName: 'float', unsignedName: 'float' },
  TLeafD: { signed: 'float64', unsigned: 'float64', signedName: 'double', unsignedName: 'double' },
  TLeafO: { signed: 'bool', unsigned: 'bool', signedName: 'bool', unsignedName: 'bool' },
};

/** C++ element names of `vector<T>` that decode to numbers. ROOT writes `long` as 8 bytes on every platform. */
const VECTOR_ELEMENT_TYPES: Record<string, RootElementType> = {
  char: 'int8',
  'signed char': 'int8',
  Char_t: 'int8',
  'unsigned char': 'uint8',
  UChar_t: 'uint8',
  bool: 'bool',
  Bool_t: 'bool',
  short: 'int16',
  Short_t: 'int16',
  'unsigned short': 'uint16',
  UShort_t: 'uint16',
  int: 'int32',
  Int_t: 'int32',
  'unsigned int': 'uint32',
  UInt_t: 'uint32',
  long: 'int64',
  Long_t: 'int64',
  'long long': 'int64',
  Long64_t: 'int64',
  'unsigned long': 'uint64',
  ULong_t: 'uint64',
  'unsigned long long': 'uint64',
  ULong64_t: 'uint64',
  float: 'float32',
  Float_t: 'float32',
  double: 'float64',
  Double_t: 'float64',
};

/** `vector<float>` → "float"; null for anything that is not a single-level vector. */
export function vectorElementName(className: string): string | null {
  const match = /^(?:std::)?vector<\s*([^<>]+?)\s*>$/.exec(className.trim());
  return match ? (match[1] as string).replace(/\s+/g, ' ') : null;
}

/**
 * Decides how a branch is decoded, from the facts in its TTree metadata. Everything that is not a plain number
 * per entry or a split `vector` of numbers is `unsupported`, with a reason that names the type, so a caller can
 * report it instead of skipping it silently.
 */
export function classifyBranch(raw: RawBranchRecord): RootBranchInfo {
  const baskets: BasketLocation[] = [];
  for (let k = 0; k < raw.writeBasket; k++) {
    const firstEntry = raw.basketEntry[k] as number;
    const next = raw.basketEntry[k + 1] ?? raw.entries;
    baskets.push({ seek: raw.basketSeek[k] as number, sizeBytes: raw.basketBytes[k] as number, firstEntry, entries: next - firstEntry });
  }
  const base = {
    name: raw.name,
    entries: raw.entries,
    compressedBytes: raw.zipBytes,
    uncompressedBytes: raw.totalBytes,
    baskets,
    subBranchCount: raw.subBranchCount,
  };
  const unsupported = (typeName: string, reason: string): RootBranchInfo => ({ ...base, typeName, layout: 'unsupported', elementType: null, unsupportedReason: reason });
  let typeName: string;
  let layout: 'flat' | 'vector';
  let elementType: RootElementType;
  if (raw.branchClass === 'TBranch') {
    const leaf = raw.leaves[0];
    if (raw.leaves.length !== 1 || !leaf) return unsupported(`${raw.leaves.length} leaves`, `branches with ${raw.leaves.length} leaves (leaf lists) are not supported`);
    const spec = LEAF_TYPES[leaf.leafClass];
    if (!spec) return unsupported(leaf.leafClass, `leaf type ${leaf.leafClass} is not supported (numbers: TLeafB/S/I/L/F/D/O)`);
    typeName = leaf.isUnsigned ? spec.unsignedName : spec.signedName;
    if (leaf.hasCountLeaf || leaf.length !== 1) return unsupported(`${typeName}[]`, `array leaf ${leaf.title} (${leaf.hasCountLeaf ? 'variable' : `fixed length ${leaf.length}`}) is not supported`);
    layout = 'flat';
    elementType = leaf.isUnsigned ? spec.unsigned : spec.signed;
  } else if (raw.branchClass === 'TBranchElement') {
    typeName = raw.className;
    if (raw.subBranchCount > 0) return unsupported(typeName, `split object ${typeName} with ${raw.subBranchCount} sub-branches is not supported; read its members as separate branches`);
    const element = vectorElementName(raw.className);
    const mapped = element === null ? undefined : VECTOR_ELEMENT_TYPES[element];
    if (!mapped || raw.elementKind !== 0 || raw.streamerType !== -1) {
      const isContainer = /^(?:std::)?vector</.test(typeName);
      const reason = isContainer
        ? `${typeName} is not a vector of numbers (nested vectors, links, strings and objects are not supported)`
        : `object type ${typeName} is not a number or a vector of numbers`;
      return unsupported(typeName, reason);
    }
    if (raw.entryOffsetLen <= 0) return unsupported(typeName, `vector branch without entry offsets (fEntryOffsetLen ${raw.entryOffsetLen}) is not supported`);
    layout = 'vector';
    elementType = mapped;
  } else {
    return unsupported(raw.branchClass, `branch class ${raw.branchClass} is not supported`);
  }
  if (raw.externalFileName) return unsupported(typeName, `its baskets are in another file (${raw.externalFileName})`);
  const savedEntries = baskets.reduce((sum, b) => sum + b.entries, 0);
  if (savedEntries !== raw.entries) {
    return unsupported(typeName, `${raw.entries - savedEntries} of its ${raw.entries} entries are in a basket that was never written to disk (the file was not closed properly)`);
  }
  return { ...base, typeName, layout, elementType, unsupportedReason: null };
}
