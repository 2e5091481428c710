import type { RootElementType } from '../root-types';

/**
 * A branch of a tree being written:
 * - `number`: one value per entry, a TBranch with one TLeaf (TLeafB/S/I/L/F/D/O, unsigned variants);
 * - `vector`: a `std::vector<T>` per entry, a TBranchElement as `TTree::Branch(name, &vec)` makes it;
 * - `string`: a C string per entry, a TBranch with a TLeafC (`name/C`), which ROOT, RDataFrame and uproot read as
 *   strings.
 * `leafName`/`title` override the leaf's name and the branch title of `number` branches (ATLAS's
 * `EventInfoAuxDyn.runNumber` has leaf `runNumber` and title `runNumber/i`); `elementTypeName` picks the C++
 * spelling of a 64-bit vector element (`long`/`unsigned long` instead of `Long64_t`/`ULong64_t`).
 */
export type TreeBranchSpec =
  | { name: string; kind: 'number'; type: RootElementType; leafName?: string; title?: string }
  | { name: string; kind: 'vector'; type: RootElementType; elementTypeName?: string }
  | { name: string; kind: 'string' };

/** The TLeaf class, type letter (leaf-list code) and byte size of each element type. */
export const LEAF_OF_TYPE: Readonly<Record<RootElementType, { leafClass: string; letter: string; size: number; isUnsigned: boolean }>> = {
  int8: { leafClass: 'TLeafB', letter: 'B', size: 1, isUnsigned: false },
  uint8: { leafClass: 'TLeafB', letter: 'b', size: 1, isUnsigned: true },
  bool: { leafClass: 'TLeafO', letter: 'O', size: 1, isUnsigned: false },
  int16: { leafClass: 'TLeafS', letter: 'S', size: 2, isUnsigned: false },
  uint16: { leafClass: 'TLeafS', letter: 's', size: 2, isUnsigned: true },
  int32: { leafClass: 'TLeafI', letter: 'I', size: 4, isUnsigned: false },
  uint32: { leafClass: 'TLeafI', letter: 'i', size: 4, isUnsigned: true },
  int64: { leafClass: 'TLeafL', letter: 'L', size: 8, isUnsigned: false },
  uint64: { leafClass: 'TLeafL', letter: 'l', size: 8, isUnsigned: true },
  float32: { leafClass: 'TLeafF', letter: 'F', size: 4, isUnsigned: false },
  float64: { leafClass: 'TLeafD', letter: 'D', size: 8, isUnsigned: false },
};

/** C++ element names of `vector<T>` with ROOT's type code (TStreamerSTL fCtype) and ROOT's typedef name. */
type VectorElement = { cppName: string; typeCode: number; rootTypeName: string };

const VECTOR_ELEMENTS: Readonly<Record<RootElementType, VectorElement>> = {
  int8: { cppName: 'char', typeCode: 1, rootTypeName: 'Char_t' },
  uint8: { cppName: 'unsigned char', typeCode: 11, rootTypeName: 'UChar_t' },
  bool: { cppName: 'bool', typeCode: 18, rootTypeName: 'Bool_t' },
  int16: { cppName: 'short', typeCode: 2, rootTypeName: 'Short_t' },
  uint16: { cppName: 'unsigned short', typeCode: 12, rootTypeName: 'UShort_t' },
  int32: { cppName: 'int', typeCode: 3, rootTypeName: 'Int_t' },
  uint32: { cppName: 'unsigned int', typeCode: 13, rootTypeName: 'UInt_t' },
  int64: { cppName: 'Long64_t', typeCode: 16, rootTypeName: 'Long64_t' },
  uint64: { cppName: 'ULong64_t', typeCode: 17, rootTypeName: 'ULong64_t' },
  float32: { cppName: 'float', typeCode: 5, rootTypeName: 'Float_t' },
  float64: { cppName: 'double', typeCode: 8, rootTypeName: 'Double_t' },
};

/** The other C++ spellings of 64-bit elements ROOT knows as distinct classes (vector<long> ≠ vector<Long64_t>). */
const ALTERNATIVE_VECTOR_ELEMENTS: Readonly<Record<string, { type: RootElementType; element: VectorElement }>> = {
  long: { type: 'int64', element: { cppName: 'long', typeCode: 4, rootTypeName: 'Long_t' } },
  'unsigned long': { type: 'uint64', element: { cppName: 'unsigned long', typeCode: 14, rootTypeName: 'ULong_t' } },
};

/** The C++ element of a vector branch, or null when `elementTypeName` does not fit `type`. */
export function vectorElementOf(type: RootElementType, elementTypeName?: string): VectorElement | null {
  if (elementTypeName === undefined || elementTypeName === VECTOR_ELEMENTS[type].cppName) return VECTOR_ELEMENTS[type];
  const alternative = ALTERNATIVE_VECTOR_ELEMENTS[elementTypeName];
  return alternative && alternative.type === type ? alternative.element : null;
}
