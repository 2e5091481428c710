import type { RawBasketRecord, RawBranchRecord, RawLeafRecord } from './raw-records';
import type { RootElementType } from './root-types';
import { outputTypeOf, type ReadSpec } from './read-spec';
import { normaliseTypeName, parseFloatRange, type StreamerLookup, specForElement, specForTypeName, type UnsupportedKind, UnsupportedLayoutError } from './streamer-read-spec';
import { flattenValueType, type NumberElement, type ValueType } from './value-type';

/**
 * How the entries of a branch's baskets are decoded.
 * - `fixed`: every entry has the same size and no header (numbers, bools, fixed arrays `x[3][4]`): bulk copies.
 * - `jagged`: raw values whose count comes from the entry's length (`x[n]`, `x[n][4]`, members of split
 *   collections): one bulk copy of the basket.
 * - `vector`: an STL `vector<number>` per entry (byte count, version, size, values).
 * - `leaf-string`: a TLeafC string per entry.
 * - `leaf-list`: several leaves per entry (`a/I:b/F:c[a]/D`), one struct field each.
 * - `values`: anything else, through the streamer interpreter: one value per entry, or items until the entry's end
 *   (optionally after one version header), as ROOT writes members of split collections.
 */
export type EntryDecoder =
  | { kind: 'fixed'; element: NumberElement | 'bool'; dims: number[] }
  | { kind: 'jagged'; element: NumberElement | 'bool'; innerDims: number[] }
  | { kind: 'vector'; element: NumberElement | 'bool' }
  | { kind: 'leaf-string' }
  | { kind: 'leaf-list'; leaves: LeafField[] }
  | { kind: 'values'; spec: ReadSpec; repeat: ValueRepeat };

/**
 * `one` value per entry; items `until-end` of the entry; the same after one version header
 * (`header-then-until-end`, STL members of split collections) or after the one-byte "is array" flag
 * (`flag-then-until-end`, `[n]` array members split into their own branch).
 */
export type ValueRepeat = 'one' | 'until-end' | 'header-then-until-end' | 'flag-then-until-end';

/** One leaf of a leaf list: its read spec per element and how many elements an entry holds. */
export type LeafField = { name: string; spec: ReadSpec; count: { kind: 'fixed'; dims: number[] } | { kind: 'leaf'; leaf: string; innerDims: number[] } };

/** How a branch appears in listings: its kind of layout. */
export type BranchLayout =
  | 'number'
  | 'fixed-array'
  | 'leaf-array'
  | 'leaf-list'
  | 'string'
  | 'vector'
  | 'nested-vector'
  | 'object'
  | 'split-member'
  | 'collection-member'
  | 'split'
  | 'empty'
  | 'unsupported';

export type ColumnPlan = { name: string; type: ValueType; path: number[] };

/** Everything a worker needs to decode a branch: plain data. */
export type DecodePlan = {
  branch: string;
  decoder: EntryDecoder;
  valueType: ValueType;
  hasEntryOffsets: boolean;
};

export type BranchPlan = {
  /** Full branch name. */
  name: string;
  /** Name of the parent branch, null at the top. */
  parent: string | null;
  depth: number;
  /** C++ type as ROOT names it ("vector<float>", "Int_t[3]", "xAOD::TrigDecisionAuxInfo_v1", leaf list titles). */
  typeName: string;
  layout: BranchLayout;
  /** Why the branch has no columns: unsupported (with the next step) or no data of its own. */
  reason: string | null;
  /** The element of a branch of numbers or of (nested) lists of numbers; null for anything else. */
  elementType: RootElementType | null;
  /** Columns the branch becomes, in order; empty for split parents, empty objects and unsupported branches. */
  columns: ColumnPlan[];
  decode: DecodePlan | null;
  entries: number;
  compressedBytes: number;
  uncompressedBytes: number;
  baskets: RawBasketRecord[];
};

/** A next step that works for each kind of unsupported layout (besides leaving the branch out with --skip-unsupported). */
const NEXT_STEPS: Record<UnsupportedKind, string> = {
  'needs-library':
    "Next step: leave it out (--skip-unsupported); to read it, load the library that defines the class in ROOT and write the tree again with the object split into member branches (split level 99, e.g. `tree->Branch(name, &object, 32000, 99)` or RDataFrame's Snapshot), whose members this reader decodes",
  pointer: 'Next step: leave it out (--skip-unsupported), or read it with uproot (`uproot.open(file)[tree][branch].array()`), which follows object pointers',
  container: 'Next step: leave it out (--skip-unsupported), or read it with uproot (`uproot.open(file)[tree][branch].array()`), which reads STL maps and bitsets',
  other: 'Next step: leave it out (--skip-unsupported), or read it with uproot (`uproot.open(file)[tree][branch].array()`)',
};

const LEAF_TYPES: Record<string, { signed: NumberElement | 'bool'; unsigned: NumberElement | 'bool'; name: string; unsignedName: string }> = {
  TLeafB: { signed: 'int8', unsigned: 'uint8', name: 'char', unsignedName: 'unsigned char' },
  TLeafS: { signed: 'int16', unsigned: 'uint16', name: 'short', unsignedName: 'unsigned short' },
  TLeafI: { signed: 'int32', unsigned: 'uint32', name: 'int', unsignedName: 'unsigned int' },
  TLeafL: { signed: 'int64', unsigned: 'uint64', name: 'Long64_t', unsignedName: 'ULong64_t' },
  TLeafG: { signed: 'int64', unsigned: 'uint64', name: 'long', unsignedName: 'unsigned long' },
  TLeafF: { signed: 'float32', unsigned: 'float32', name: 'float', unsignedName: 'float' },
  TLeafD: { signed: 'float64', unsigned: 'float64', name: 'double', unsignedName: 'double' },
  TLeafO: { signed: 'bool', unsigned: 'bool', name: 'bool', unsignedName: 'bool' },
};

/** Dimensions written in a leaf title: `x[3][4]` → fixed [3, 4]; `x[n][4]` → variable with count `n`, inner [4]. */
function leafDims(leaf: RawLeafRecord): { variable: boolean; dims: number[] } {
  const title = leaf.title.replace(/\/.*$/, '');
  const brackets = [...title.matchAll(/\[([^\]]*)\]/g)].map((m) => (m[1] as string).trim());
  // A range such as x[0,1,20] (Double32/Float16 leaves) is not a dimension.
  const dims = brackets.filter((b) => !b.includes(','));
  const variable = leaf.countLeafName !== null;
  const numbers = dims.filter((d) => /^\d+$/.test(d)).map(Number);
  if (!variable && numbers.length === 0 && leaf.length > 1 && leaf.leafClass !== 'TLeafC') return { variable, dims: [leaf.length] };
  return { variable, dims: numbers };
}

function elementSpec(element: NumberElement | 'bool'): ReadSpec {
  return element === 'bool' ? { op: 'bool' } : { op: 'number', element };
}

function wrapFixed(type: ValueType, dims: readonly number[]): ValueType {
  let out = type;
  for (const size of [...dims].reverse()) out = { kind: 'fixed-list', size, item: out };
  return out;
}

function baseType(element: NumberElement | 'bool'): ValueType {
  return element === 'bool' ? { kind: 'bool' } : { kind: 'number', element };
}

/** The value type an entry decoder produces. */
export function valueTypeOf(decoder: EntryDecoder): ValueType {
  switch (decoder.kind) {
    case 'fixed':
      return wrapFixed(baseType(decoder.element), decoder.dims);
    case 'jagged':
      return { kind: 'list', item: wrapFixed(baseType(decoder.element), decoder.innerDims) };
    case 'vector':
      return { kind: 'list', item: baseType(decoder.element) };
    case 'leaf-string':
      return { kind: 'string' };
    case 'leaf-list':
      return {
        kind: 'struct',
        fields: decoder.leaves.map((leaf) => {
          const item = outputTypeOf(leaf.spec) as ValueType;
          const type: ValueType = leaf.count.kind === 'fixed' ? wrapFixed(item, leaf.count.dims) : { kind: 'list', item: wrapFixed(item, leaf.count.innerDims) };
          return { name: leaf.name, type };
        }),
      };
    case 'values': {
      const item = outputTypeOf(decoder.spec);
      if (!item) return { kind: 'struct', fields: [] };
      return decoder.repeat === 'one' ? item : { kind: 'list', item };
    }
  }
}

/** `branch` + field path → column name; a branch name ending in "." (ROOT's split-object convention) takes no extra dot. */
export function columnName(branch: string, suffix: readonly string[]): string {
  if (suffix.length === 0) return branch;
  return `${branch}${branch.endsWith('.') ? '' : '.'}${suffix.join('.')}`;
}

function leafSpec(leaf: RawLeafRecord): { spec: ReadSpec; typeName: string } | null {
  if (leaf.leafClass === 'TLeafD32' || leaf.leafClass === 'TLeafF16') {
    const range = parseFloatRange(leaf.title);
    const op = leaf.leafClass === 'TLeafD32' ? 'double32' : 'float16';
    const factor = range?.factor ?? 0;
    const xmin = range?.xmin ?? 0;
    return { spec: { op, factor, xmin, nbits: factor > 0 ? 0 : Math.round(xmin) }, typeName: op === 'double32' ? 'Double32_t' : 'Float16_t' };
  }
  const known = LEAF_TYPES[leaf.leafClass];
  if (!known) return null;
  return { spec: elementSpec(leaf.isUnsigned ? known.unsigned : known.signed), typeName: leaf.isUnsigned ? known.unsignedName : known.name };
}

type Planned = { typeName: string; layout: BranchLayout; decoder: EntryDecoder };

function planLeafBranch(raw: RawBranchRecord): Planned {
  const leaves = raw.leaves;
  if (leaves.length === 0) throw new UnsupportedLayoutError('the branch has no leaves');
  if (leaves.length === 1) {
    const leaf = leaves[0] as RawLeafRecord;
    if (leaf.leafClass === 'TLeafC') return { typeName: 'char*', layout: 'string', decoder: { kind: 'leaf-string' } };
    const read = leafSpec(leaf);
    if (!read) throw new UnsupportedLayoutError(`leaf type ${leaf.leafClass} is not decoded (numbers: TLeafB/S/I/L/G/F/D/O/D32/F16, strings: TLeafC)`);
    const { variable, dims } = leafDims(leaf);
    if (variable) {
      const typeName = `${read.typeName}[${leaf.countLeafName}]${dims.map((d) => `[${d}]`).join('')}`;
      const decoder: EntryDecoder = read.spec.op === 'number' || read.spec.op === 'bool'
        ? { kind: 'jagged', element: read.spec.op === 'bool' ? 'bool' : read.spec.element, innerDims: dims }
        : { kind: 'values', spec: dims.reduceRight<ReadSpec>((item, size) => ({ op: 'fixed', size, item }), read.spec), repeat: 'until-end' };
      return { typeName, layout: 'leaf-array', decoder };
    }
    const typeName = `${read.typeName}${dims.map((d) => `[${d}]`).join('')}`;
    const layout: BranchLayout = dims.length > 0 ? 'fixed-array' : 'number';
    if (read.spec.op === 'number' || read.spec.op === 'bool') return { typeName, layout, decoder: { kind: 'fixed', element: read.spec.op === 'bool' ? 'bool' : read.spec.element, dims } };
    return { typeName, layout, decoder: { kind: 'values', spec: dims.reduceRight<ReadSpec>((item, size) => ({ op: 'fixed', size, item }), read.spec), repeat: 'one' } };
  }
  const names = new Set(leaves.map((l) => l.name));
  const fields: LeafField[] = leaves.map((leaf) => {
    if (leaf.leafClass === 'TLeafC') return { name: leaf.name, spec: { op: 'string' }, count: { kind: 'fixed', dims: [] } };
    const read = leafSpec(leaf);
    if (!read) throw new UnsupportedLayoutError(`leaf ${leaf.name} of type ${leaf.leafClass} is not decoded`);
    const { variable, dims } = leafDims(leaf);
    if (!variable) return { name: leaf.name, spec: read.spec, count: { kind: 'fixed', dims } };
    if (!leaf.countLeafName || !names.has(leaf.countLeafName)) {
      throw new UnsupportedLayoutError(`leaf ${leaf.name} of the leaf list takes its length from ${leaf.countLeafName}, a leaf of another branch`);
    }
    return { name: leaf.name, spec: read.spec, count: { kind: 'leaf', leaf: leaf.countLeafName, innerDims: dims } };
  });
  return { typeName: raw.title, layout: 'leaf-list', decoder: { kind: 'leaf-list', leaves: fields } };
}

/** Fast decoders for specs that are plain numbers, fixed arrays of numbers or STL vectors of numbers. */
function fastDecoder(spec: ReadSpec, repeat: ValueRepeat): EntryDecoder {
  const dims: number[] = [];
  let inner = spec;
  while (inner.op === 'fixed') {
    dims.push(inner.size);
    inner = inner.item;
  }
  const element = inner.op === 'number' ? inner.element : inner.op === 'bool' ? 'bool' : null;
  if (element && repeat === 'one') return { kind: 'fixed', element, dims };
  if (element && repeat === 'until-end') return { kind: 'jagged', element, innerDims: dims };
  if (repeat === 'one' && spec.op === 'sequence' && spec.header && (spec.item.op === 'number' || spec.item.op === 'bool')) {
    return { kind: 'vector', element: spec.item.op === 'bool' ? 'bool' : spec.item.element };
  }
  return { kind: 'values', spec, repeat };
}

function layoutOfSpec(spec: ReadSpec): BranchLayout {
  const inner = spec.op === 'headed' ? spec.item : spec;
  if (inner.op === 'sequence') return inner.item.op === 'sequence' || inner.item.op === 'object' ? 'nested-vector' : 'vector';
  if (inner.op === 'string' || inner.op === 'char-star') return 'string';
  if (inner.op === 'object') return 'object';
  if (inner.op === 'fixed') return 'fixed-array';
  return 'number';
}

function planElementBranch(raw: RawBranchRecord, lookup: StreamerLookup): Planned {
  const id = raw.elementId ?? -1;
  const kind = raw.elementKind ?? 0;
  if (id < 0) {
    const typeName = raw.className;
    const spec = specForTypeName(typeName, lookup, 'top');
    return { typeName, layout: layoutOfSpec(spec), decoder: fastDecoder(spec, 'one') };
  }
  const element = raw.element;
  if (!element) throw new UnsupportedLayoutError(`the file has no streamer info for member ${id} of ${raw.className} (version ${raw.classVersion})`);
  const member = specForElement(element, lookup, normaliseTypeName(raw.className));
  const typeName = element.elementClass === 'TStreamerBase' ? element.name : element.typeName;
  if (kind === 31 || kind === 41) {
    // A member of a split TClonesArray (31) or STL collection (41): the entry holds that member of every item.
    let spec = member.spec;
    if (spec.op === 'headed') return { typeName: `${typeName}[]`, layout: 'collection-member', decoder: { kind: 'values', spec: spec.item, repeat: 'header-then-until-end' } };
    if (spec.op === 'sequence') return { typeName: `${typeName}[]`, layout: 'collection-member', decoder: { kind: 'values', spec: { ...spec, header: false }, repeat: 'header-then-until-end' } };
    if (spec.op === 'tobject' || spec.op === 'skip-pointer') throw new UnsupportedLayoutError(`member ${element.name} (${element.typeName}) of ${raw.className} is ${spec.op === 'tobject' ? "TObject's bookkeeping" : 'an object pointer'}, which is not decoded`, spec.op === 'tobject' ? 'other' : 'pointer');
    if (spec.op === 'counted') throw new UnsupportedLayoutError(`member ${element.name} of ${raw.className} is a variable-length array inside a split collection, which is not decoded`);
    spec = member.isBase ? member.spec : spec;
    return { typeName: `${typeName}[]`, layout: 'collection-member', decoder: fastDecoder(spec, 'until-end') };
  }
  if (member.spec.op === 'tobject' || member.spec.op === 'skip-pointer') {
    throw new UnsupportedLayoutError(`member ${element.name} (${element.typeName}) of ${raw.className} is ${member.spec.op === 'tobject' ? "TObject's bookkeeping" : 'an object pointer'}, which is not decoded`, member.spec.op === 'tobject' ? 'other' : 'pointer');
  }
  if (member.spec.op === 'counted') {
    // A `[n]` array member split into its own branch: the "is array" byte, then n values (n from the entry length).
    const item = member.spec.item;
    if (item.op !== 'number' && item.op !== 'bool') throw new UnsupportedLayoutError(`member ${element.name} of ${raw.className} is a variable-length array of ${item.op}`);
    return { typeName: `${typeName}[${member.spec.count}]`, layout: 'split-member', decoder: { kind: 'values', spec: item, repeat: 'flag-then-until-end' } };
  }
  const layout = layoutOfSpec(member.spec);
  return { typeName, layout: layout === 'number' ? 'split-member' : layout, decoder: fastDecoder(member.spec, 'one') };
}

function isVariableSize(decoder: EntryDecoder): boolean {
  return decoder.kind !== 'fixed';
}

/**
 * Decides how a branch is decoded from the facts of its TTree metadata and the file's streamer infos. Every
 * branch gets a plan: its columns (a leaf list or an object becomes one column per leaf or member), or no columns
 * with the reason — a split parent (read its members), an object without data members, or an unsupported layout
 * with a next step that works.
 */
export function planBranch(raw: RawBranchRecord, lookup: StreamerLookup, parent: string | null, depth: number): BranchPlan {
  const base = {
    name: raw.name,
    parent,
    depth,
    entries: raw.entries,
    compressedBytes: raw.zipBytes,
    uncompressedBytes: raw.totalBytes,
    baskets: raw.baskets,
  };
  const typeNameGuess = raw.className || raw.leaves[0]?.leafClass || raw.branchClass;
  const none = { elementType: null };
  if (raw.branches.length > 0) {
    return { ...base, ...none, typeName: typeNameGuess, layout: 'split', reason: `split into ${raw.branches.length} member branch${raw.branches.length === 1 ? '' : 'es'}; select them (or "${raw.name}*")`, columns: [], decode: null };
  }
  let planned: Planned;
  try {
    if (raw.externalFileName) throw new UnsupportedLayoutError(`its baskets are in another file (${raw.externalFileName}); open that file`);
    if (raw.branchClass === 'TBranch') planned = planLeafBranch(raw);
    else if (raw.branchClass === 'TBranchElement') planned = planElementBranch(raw, lookup);
    else if (raw.branchClass === 'TBranchObject') planned = { typeName: raw.className, layout: 'object', decoder: fastDecoder(specForTypeName(raw.className, lookup, 'top'), 'one') };
    else throw new UnsupportedLayoutError(`branch class ${raw.branchClass} is not decoded`);
  } catch (error) {
    if (!(error instanceof UnsupportedLayoutError)) throw error;
    return { ...base, ...none, typeName: typeNameGuess, layout: 'unsupported', reason: `${error.message}. ${NEXT_STEPS[error.kind]}.`, columns: [], decode: null };
  }
  const hasEntryOffsets = raw.entryOffsetLen > 0;
  if (isVariableSize(planned.decoder) && !hasEntryOffsets && raw.entries > 0 && !(planned.decoder.kind === 'values' && planned.decoder.repeat === 'one') && planned.decoder.kind !== 'leaf-list') {
    return { ...base, ...none, typeName: planned.typeName, layout: 'unsupported', reason: `its entries vary in size but the branch keeps no entry offsets (fEntryOffsetLen 0). ${NEXT_STEPS.other}.`, columns: [], decode: null };
  }
  const valueType = valueTypeOf(planned.decoder);
  const columns = flattenValueType(valueType).map((c) => ({ name: columnName(raw.name, c.suffix), type: c.type, path: c.path }));
  if (columns.length === 0) {
    return { ...base, ...none, typeName: planned.typeName, layout: 'empty', reason: `${planned.typeName} has no data members of its own to store${/^(DataVector<|xAOD::)/.test(planned.typeName) ? ' (xAOD keeps the values in the Aux/AuxDyn branches)' : ''}`, columns: [], decode: null };
  }
  return { ...base, elementType: elementOf(valueType), typeName: planned.typeName, layout: planned.layout, reason: null, columns, decode: { branch: raw.name, decoder: planned.decoder, valueType, hasEntryOffsets } };
}

function elementOf(type: ValueType): RootElementType | null {
  if (type.kind === 'number') return type.element;
  if (type.kind === 'bool') return 'bool';
  if (type.kind === 'list' || type.kind === 'fixed-list') return elementOf(type.item);
  return null;
}

/** Plans of a branch and all its sub-branches, parents first, in tree order. */
export function planBranchTree(raw: RawBranchRecord, lookup: StreamerLookup, parent: string | null = null, depth = 0): BranchPlan[] {
  return [planBranch(raw, lookup, parent, depth), ...raw.branches.flatMap((sub) => planBranchTree(sub, lookup, raw.name, depth + 1))];
}
