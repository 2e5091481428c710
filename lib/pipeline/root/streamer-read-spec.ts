import type { RawStreamerElement, RawStreamerInfo } from './raw-records';
import type { MemberSpec, ReadSpec } from './read-spec';
import type { NumberElement } from './value-type';

/**
 * What it takes to read a layout this reader does not decode: a class's library (its layout is not in the file, or
 * its own Streamer code defines the bytes), a reader that follows object pointers, or another reader altogether.
 */
export type UnsupportedKind = 'needs-library' | 'pointer' | 'container' | 'other';

/** A layout this reader does not decode; `message` is the reason in words (it names the type and member). */
export class UnsupportedLayoutError extends Error {
  constructor(
    message: string,
    readonly kind: UnsupportedKind = 'other',
  ) {
    super(message);
    this.name = 'UnsupportedLayoutError';
  }
}

/** ROOT streamer type codes (TVirtualStreamerInfo::EReadWrite). */
export const ST = {
  base: 0,
  offsetL: 20,
  offsetP: 40,
  object: 61,
  any: 62,
  objectp: 63,
  objectP: 64,
  tString: 65,
  tObject: 66,
  tNamed: 67,
  anyp: 68,
  anyP: 69,
  stl: 300,
  stlString: 365,
  streamer: 500,
  streamLoop: 501,
} as const;

const BASIC_BY_CODE: Record<number, NumberElement | 'bool' | 'double32' | 'float16' | 'char-star'> = {
  1: 'int8',
  2: 'int16',
  3: 'int32',
  4: 'int64',
  5: 'float32',
  6: 'int32',
  7: 'char-star',
  8: 'float64',
  9: 'double32',
  11: 'uint8',
  12: 'uint16',
  13: 'uint32',
  14: 'uint64',
  15: 'uint32',
  16: 'int64',
  17: 'uint64',
  18: 'bool',
  19: 'float16',
};

/** C++ names of numbers as ROOT writes them; `long` is 8 bytes in ROOT files on every platform. */
const BASIC_BY_NAME: Record<string, NumberElement | 'bool' | 'double32' | 'float16'> = {
  char: 'int8',
  'signed char': 'int8',
  Char_t: 'int8',
  int8_t: 'int8',
  'unsigned char': 'uint8',
  UChar_t: 'uint8',
  uint8_t: 'uint8',
  Byte_t: 'uint8',
  bool: 'bool',
  Bool_t: 'bool',
  short: 'int16',
  'short int': 'int16',
  Short_t: 'int16',
  int16_t: 'int16',
  'unsigned short': 'uint16',
  'unsigned short int': 'uint16',
  UShort_t: 'uint16',
  uint16_t: 'uint16',
  int: 'int32',
  Int_t: 'int32',
  int32_t: 'int32',
  'unsigned int': 'uint32',
  unsigned: 'uint32',
  UInt_t: 'uint32',
  uint32_t: 'uint32',
  long: 'int64',
  'long int': 'int64',
  Long_t: 'int64',
  'long long': 'int64',
  'long long int': 'int64',
  Long64_t: 'int64',
  int64_t: 'int64',
  'unsigned long': 'uint64',
  'unsigned long int': 'uint64',
  ULong_t: 'uint64',
  'unsigned long long': 'uint64',
  'unsigned long long int': 'uint64',
  ULong64_t: 'uint64',
  uint64_t: 'uint64',
  size_t: 'uint64',
  float: 'float32',
  Float_t: 'float32',
  double: 'float64',
  Double_t: 'float64',
  Double32_t: 'double32',
  Float16_t: 'float16',
};

const TARRAYS: Record<string, NumberElement> = { TArrayC: 'int8', TArrayS: 'int16', TArrayI: 'int32', TArrayL: 'int64', TArrayL64: 'int64', TArrayF: 'float32', TArrayD: 'float64' };

const SEQUENCES = new Set(['vector', 'list', 'deque', 'set', 'multiset', 'unordered_set', 'unordered_multiset', 'RVec', 'ROOT::VecOps::RVec']);
const MAPS = new Set(['map', 'multimap', 'unordered_map', 'unordered_multimap']);

/** `std::vector<std::vector<int> >` → `vector<vector<int>>`: no std::, const, or spaces that do not separate words. */
export function normaliseTypeName(name: string): string {
  return name
    .replace(/\bstd::/g, '')
    .replace(/\bconst\s+/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([<>,*&])\s*/g, '$1')
    .trim();
}

/** Splits `a<b,c<d>>` into its template name and arguments; plain names have no arguments. */
export function parseTemplate(name: string): { base: string; args: string[] } {
  const open = name.indexOf('<');
  if (open < 0 || !name.endsWith('>')) return { base: name, args: [] };
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < name.length - 1; i++) {
    const ch = name[i];
    if (ch === '<') depth++;
    else if (ch === '>') depth--;
    else if (ch === ',' && depth === 0) {
      args.push(name.slice(start, i));
      start = i + 1;
    }
  }
  args.push(name.slice(start, name.length - 1));
  return { base: name.slice(0, open), args };
}

/** ROOT's TStreamerElement::GetRange: `[xmin, xmax(, nbits)]` in a title (pi, 2pi, pi/2, pi/4 understood). */
export function parseFloatRange(title: string): { xmin: number; xmax: number; factor: number; nbits: number } | null {
  let left = title.indexOf('[');
  if (left < 0) return null;
  let right = title.indexOf(']', left);
  if (right < 0) return null;
  let comma = title.indexOf(',', left);
  if (comma < 0 || comma > right) {
    left = title.indexOf('[', right);
    if (left < 0) return null;
    right = title.indexOf(']', left);
    if (right < 0) return null;
    comma = title.indexOf(',', left);
    if (comma < 0 || comma > right) return null;
  }
  const comma2 = title.indexOf(',', comma + 1);
  let nbits = 32;
  let maxEnd = right;
  if (comma2 >= 0 && comma2 < right) {
    const parsed = Number.parseInt(title.slice(comma2 + 1, right).trim(), 10);
    nbits = Number.isInteger(parsed) && parsed >= 2 && parsed <= 32 ? parsed : 32;
    maxEnd = comma2;
  }
  const value = (text: string) => {
    const t = text.toLowerCase().replace(/\s+/g, '');
    if (!t.includes('pi')) return Number.parseFloat(t) || 0;
    const sign = t.startsWith('-') ? -1 : 1;
    const body = t.replace(/^[-+]/, '');
    const magnitude = body === '2pi' || body === '2*pi' || body === 'twopi' ? 2 * Math.PI : body === 'pi/2' ? Math.PI / 2 : body === 'pi/4' ? Math.PI / 4 : Math.PI;
    return sign * magnitude;
  };
  let xmin = value(title.slice(left + 1, comma));
  const xmax = value(title.slice(comma + 1, maxEnd));
  const bigint = nbits < 32 ? 2 ** nbits : 0xffffffff;
  let factor = 0;
  if (xmin < xmax) factor = bigint / (xmax - xmin);
  else if (nbits < 15) xmin = nbits + 0.1;
  return { xmin, xmax, factor, nbits };
}

function basicSpec(kind: NumberElement | 'bool' | 'double32' | 'float16' | 'char-star', range?: { xmin: number; factor: number }): ReadSpec {
  if (kind === 'bool') return { op: 'bool' };
  if (kind === 'char-star') return { op: 'char-star' };
  if (kind === 'double32' || kind === 'float16') {
    const factor = range?.factor ?? 0;
    const xmin = range?.xmin ?? 0;
    return { op: kind, factor, xmin, nbits: factor > 0 ? 0 : Math.round(xmin) };
  }
  return { op: 'number', element: kind };
}

/** Finds streamer infos by class name (spaces and std:: ignored), preferring the requested version. */
export class StreamerLookup {
  private readonly byName = new Map<string, RawStreamerInfo[]>();
  constructor(infos: readonly RawStreamerInfo[]) {
    for (const info of infos) {
      const key = normaliseTypeName(info.className);
      this.byName.set(key, [...(this.byName.get(key) ?? []), info]);
    }
  }
  find(className: string, version?: number): RawStreamerInfo | undefined {
    const list = this.byName.get(normaliseTypeName(className));
    if (!list) return undefined;
    return (version === undefined ? undefined : list.find((i) => i.classVersion === version)) ?? list[list.length - 1];
  }
}

/** Where a value sits: a top-level branch value, a member of an object, or an item inside a container. */
export type SpecContext = 'top' | 'member' | 'item';

/**
 * The read spec of a value of C++ type `typeName`: numbers, strings, STL sequences (nested ones without their own
 * header), `pair<…>` and classes with streamer info. Throws {@link UnsupportedLayoutError} for maps, bitsets,
 * pointers in containers and classes without streamer info.
 */
export function specForTypeName(typeName: string, lookup: StreamerLookup, context: SpecContext, seen: string[] = []): ReadSpec {
  const name = normaliseTypeName(typeName);
  const basic = BASIC_BY_NAME[name];
  if (basic) return basicSpec(basic);
  if (name === 'string' || name === 'TString') return name === 'string' && context === 'member' ? { op: 'headed', item: { op: 'string' } } : { op: 'string' };
  // ROOT's TArrayC/S/I/L/F/D stream themselves as a 4-byte length and the values, with no version header.
  const tarray = TARRAYS[name];
  if (tarray) return { op: 'sequence', header: false, item: basicSpec(tarray) };
  if (name.endsWith('*')) throw new UnsupportedLayoutError(`${name} is a pointer; objects behind pointers are written with class tags and references, which this reader does not follow`, 'pointer');
  const { base, args } = parseTemplate(name);
  if (SEQUENCES.has(base) && args.length >= 1) {
    const item = specForTypeName(args[0] as string, lookup, 'item', seen);
    return { op: 'sequence', header: context !== 'item', item };
  }
  if (base === 'DataVector' && args.length >= 1 && !lookup.find(name)) {
    // ATLAS DataVector<T> without its own streamer info: a collection of T written like vector<T*>.
    return { op: 'sequence', header: context !== 'item', item: specForClass(args[0] as string, lookup, 'yes', seen) };
  }
  if (MAPS.has(base)) throw new UnsupportedLayoutError(`${name} is a map, which this reader does not decode`, 'container');
  if (base === 'bitset') throw new UnsupportedLayoutError(`${name} is a bitset, which this reader does not decode`, 'container');
  if (base === 'pair' && args.length === 2 && !lookup.find(name)) {
    return {
      op: 'object',
      className: name,
      header: 'yes',
      members: [
        { name: 'first', spec: specForTypeName(args[0] as string, lookup, 'member', seen) },
        { name: 'second', spec: specForTypeName(args[1] as string, lookup, 'member', seen) },
      ],
    };
  }
  return specForClass(name, lookup, context === 'top' ? 'detect' : 'yes', seen);
}

/** An object of class `className` from its streamer info (members in order, base classes first as ROOT writes them). */
export function specForClass(className: string, lookup: StreamerLookup, header: 'yes' | 'no' | 'detect', seen: string[] = [], version?: number): ReadSpec {
  const name = normaliseTypeName(className);
  if (seen.includes(name)) throw new UnsupportedLayoutError(`class ${name} contains itself (${[...seen, name].join(' → ')}); recursive types are not decoded`);
  const info = lookup.find(name, version);
  if (!info) {
    // ATLAS ElementLink<T> / DataLink<T> all store their base (ElementLinkBase: m_persKey, m_persIndex; DataLinkBase: m_persKey);
    // a file that wrote no element of some T has no streamer info for that T's link but has the base's.
    const linkBase = /^ElementLink</.test(name) ? 'ElementLinkBase' : /^DataLink</.test(name) ? 'DataLinkBase' : null;
    if (linkBase && lookup.find(linkBase)) return { op: 'object', className: name, header, members: [{ name: linkBase, isBase: true, spec: specForClass(linkBase, lookup, 'yes', [...seen, name]) }] };
    throw new UnsupportedLayoutError(`the file has no streamer info for class ${name}, so its members are unknown`, 'needs-library');
  }
  const members: MemberSpec[] = [];
  const inner = [...seen, name];
  for (const element of info.elements) {
    if (element.name === 'This' && (element.type === ST.streamer || element.type === ST.stl)) {
      // A collection class streamed through its collection proxy (DataVector<T>, xAOD containers): the object is
      // the container; the title names the contained type, `<T> Used to call the proper TStreamerInfo case`.
      const contained = /^<(.+?)>/.exec(element.title)?.[1];
      if (!contained) throw new UnsupportedLayoutError(`collection class ${name} does not name its contained type`);
      const itemName = normaliseTypeName(contained).replace(/\*$/, '');
      const item = specForTypeName(itemName, lookup, 'item', inner);
      return { op: 'sequence', header: header !== 'no', item };
    }
    members.push(specForElement(element, lookup, name, inner));
  }
  return { op: 'object', className: name, header, members };
}

function describeElement(className: string, element: RawStreamerElement): string {
  return `member ${element.name} (${element.typeName}) of ${className}`;
}

/** The member spec of one streamer element of class `className`. */
export function specForElement(element: RawStreamerElement, lookup: StreamerLookup, className: string, seen: string[] = []): MemberSpec {
  const type = element.type;
  if (element.elementClass === 'TStreamerBase' || (type === ST.base && element.typeName === 'BASE')) {
    if (element.name === 'TObject') return { name: null, spec: { op: 'tobject' } };
    const base = specForClass(element.name, lookup, 'yes', seen, element.baseVersion || undefined);
    return base.op === 'object' ? { name: element.name, isBase: true, spec: base } : { name: element.name, spec: base };
  }
  const range = { xmin: element.xmin, factor: element.factor };
  if (type > 0 && type < 20) {
    const kind = type === 11 && /^(Bool_t|bool)$/.test(element.typeName) ? 'bool' : BASIC_BY_CODE[type];
    if (!kind) throw new UnsupportedLayoutError(`${describeElement(className, element)} has streamer type ${type}, which this reader does not decode`);
    return { name: element.name, spec: basicSpec(kind, range) };
  }
  if (type > ST.offsetL && type < ST.offsetP) {
    const kind = type - ST.offsetL === 11 && /^(Bool_t|bool)$/.test(element.typeName) ? 'bool' : BASIC_BY_CODE[type - ST.offsetL];
    if (!kind || kind === 'char-star') throw new UnsupportedLayoutError(`${describeElement(className, element)} is an array of streamer type ${type - ST.offsetL}, which this reader does not decode`);
    const dims = element.arrayDim > 0 ? element.maxIndex.slice(0, element.arrayDim) : [element.arrayLength];
    let spec = basicSpec(kind, range);
    for (const size of [...dims].reverse()) spec = { op: 'fixed', size, item: spec };
    return { name: element.name, spec };
  }
  if (type > ST.offsetP && type < ST.offsetP + 20) {
    const kind = BASIC_BY_CODE[type - ST.offsetP];
    if (!kind || kind === 'char-star') throw new UnsupportedLayoutError(`${describeElement(className, element)} is a pointer array of streamer type ${type - ST.offsetP}, which this reader does not decode`);
    if (!element.countName) throw new UnsupportedLayoutError(`${describeElement(className, element)} is a variable-length array without a count member`);
    return { name: element.name, spec: { op: 'counted', count: element.countName, item: basicSpec(kind, range) } };
  }
  switch (type) {
    case ST.tString:
      return { name: element.name, spec: { op: 'string' } };
    case ST.tObject:
      return { name: null, spec: { op: 'tobject' } };
    case ST.tNamed:
    case ST.object:
    case ST.any: {
      if (element.typeName === 'TString') return { name: element.name, spec: { op: 'string' } };
      const object = specForTypeName(element.typeName, lookup, 'member', seen);
      const spec: ReadSpec = element.arrayLength > 1 ? { op: 'fixed', size: element.arrayLength, item: object } : object;
      return { name: element.name, spec };
    }
    case ST.offsetL + ST.object:
    case ST.offsetL + ST.any:
      return { name: element.name, spec: { op: 'fixed', size: element.arrayLength, item: specForTypeName(element.typeName, lookup, 'member', seen) } };
    case ST.objectp:
    case ST.objectP:
    case ST.anyp:
    case ST.anyP:
      // Objects behind pointers carry class tags and may be references to earlier objects: skipped, not decoded.
      return { name: null, spec: { op: 'skip-pointer' } };
    case ST.stl:
    case ST.streamer:
    case ST.stlString: {
      const isString = element.elementClass === 'TStreamerSTLstring' || element.stlType === ST.stlString || normaliseTypeName(element.typeName) === 'string';
      if (isString) return { name: element.name, spec: { op: 'headed', item: { op: 'string' } } };
      if (type === ST.streamer && element.elementClass !== 'TStreamerSTL') throw new UnsupportedLayoutError(`${describeElement(className, element)} has a custom streamer, whose byte layout only its own code knows`, 'needs-library');
      return { name: element.name, spec: specForTypeName(element.typeName, lookup, 'member', seen) };
    }
    case ST.streamLoop:
    case ST.offsetL + ST.streamLoop:
      throw new UnsupportedLayoutError(`${describeElement(className, element)} is an array of objects with a custom streamer, which this reader does not decode`, 'needs-library');
    default:
      throw new UnsupportedLayoutError(`${describeElement(className, element)} has streamer type ${type}, which this reader does not decode`);
  }
}
