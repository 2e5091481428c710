import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DecodedData } from './decoded-data';
import { decodeEntries } from './decode-entries';
import { planBranch } from './plan-branch';
import { rawBranchRecord } from '@/tests/support/raw-branch-records';
import type { RawBranchRecord, RawLeafRecord, RawStreamerElement } from './raw-records';
import { parseFloatRange, StreamerLookup } from './streamer-read-spec';

/** Made by tests/fixtures/root/make_double32_float16_reference.py from ROOT's own write and read algorithms. */
type ReferenceCase = { kind: 'double32' | 'float16'; title: string; inputs: number[]; bytes: string; bytesPerValue: number; expected: number[] };
const cases = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../tests/fixtures/root/double32-float16.json'), 'utf8')) as ReferenceCase[];

const hex = (text: string) => Uint8Array.from(text.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
const lookup = new StreamerLookup([]);

const rawBranch = rawBranchRecord;

function leaf(leafClass: string, title: string, length = 1): RawLeafRecord {
  return { leafClass, name: 'x', title, length, lengthType: 0, offset: 0, isUnsigned: false, countLeafName: null, elementType: null };
}

/** One basket over `payload` with the given entry starts (or fixed-size entries). */
function decode(raw: RawBranchRecord, payload: Uint8Array, entries: number, entryStarts: Int32Array | null, entryBytes: number): DecodedData {
  const plan = planBranch(raw, lookup, null, 0);
  if (!plan.decode) throw new Error(`not decodable: ${plan.reason}`);
  return decodeEntries(plan.decode, [{ firstEntry: 0, index: 0, basket: { entries, payload, dataEnd: payload.length, entryStarts, entryBytes } }], 0, entries);
}

const valuesOf = (data: DecodedData): number[] => {
  if (data.kind === 'number') return Array.from(data.values as ArrayLike<number>);
  if (data.kind === 'list' || data.kind === 'fixed-list') return valuesOf(data.item);
  throw new Error(data.kind);
};

describe('Double32_t and Float16_t, with and without a range, equal ROOT’s own read algorithm', () => {
  it.each(cases.map((c) => [`${c.kind} ${c.title}`, c] as const))('%s as a TLeafD32/TLeafF16 leaf: one value per entry', (_name, c) => {
    const bytes = hex(c.bytes);
    const raw = rawBranch({ leaves: [leaf(c.kind === 'double32' ? 'TLeafD32' : 'TLeafF16', c.title)], entries: c.inputs.length });
    const plan = planBranch(raw, lookup, null, 0);
    expect(plan.columns).toEqual([{ name: 'x', type: { kind: 'number', element: c.kind === 'double32' ? 'float64' : 'float32' }, path: [] }]);
    const got = valuesOf(decode(raw, bytes, c.inputs.length, null, c.bytesPerValue));
    expect(got).toEqual(c.expected.map((v) => (c.kind === 'float16' ? Math.fround(v) : v)));
  });

  it.each(cases.map((c) => [`${c.kind} ${c.title}`, c] as const))('%s as a split member of a collection (List per entry)', (_name, c) => {
    const bytes = hex(c.bytes);
    const range = parseFloatRange(c.title) ?? { xmin: 0, xmax: 0, factor: 0 };
    const element: RawStreamerElement = {
      elementClass: 'TStreamerBasicType',
      name: 'x',
      title: c.title.replace(/^x/, ''),
      type: c.kind === 'double32' ? 9 : 19,
      typeName: c.kind === 'double32' ? 'Double32_t' : 'Float16_t',
      arrayLength: 0,
      arrayDim: 0,
      maxIndex: [],
      countName: '',
      xmin: range.xmin,
      xmax: range.xmax,
      factor: range.factor,
      stlType: 0,
      containedType: 0,
      baseVersion: 0,
    };
    const raw = rawBranch({ branchClass: 'TBranchElement', className: 'Hit', elementKind: 41, elementId: 0, streamerType: element.type, element, entryOffsetLen: 10, leaves: [leaf('TLeafElement', 'x[hits_]')] });
    // 15 values in entries of 4, 0, 6 and 5 items.
    const size = c.bytesPerValue;
    const starts = Int32Array.from([0, 4, 4, 10].map((k) => k * size));
    const data = decode(raw, bytes, 4, starts, 0);
    expect(data.kind).toBe('list');
    expect(data.kind === 'list' && Array.from(data.offsets)).toEqual([0, 4, 4, 10, 15]);
    expect(valuesOf(data)).toEqual(c.expected.map((v) => (c.kind === 'float16' ? Math.fround(v) : v)));
  });

  it('reads the range of a title the way ROOT does (pi forms, default 32 bits, nbits kept in xmin without a range)', () => {
    expect(parseFloatRange('x[-pi,pi,16]')).toEqual({ xmin: -Math.PI, xmax: Math.PI, factor: 65536 / (2 * Math.PI), nbits: 16 });
    expect(parseFloatRange('//[0, 2pi]')).toEqual({ xmin: 0, xmax: 2 * Math.PI, factor: 0xffffffff / (2 * Math.PI), nbits: 32 });
    expect(parseFloatRange('[0,0,10]')).toEqual({ xmin: 10.1, xmax: 0, factor: 0, nbits: 10 });
    expect(parseFloatRange('x[3][0,1,12]')?.factor).toBe(4096);
    expect(parseFloatRange('no range')).toBeNull();
  });

  it('reads a fixed array of Double32_t leaves (x[3] with a range) as FixedSizeList<Float64>', () => {
    const c = cases.find((k) => k.kind === 'double32' && k.title === 'x[0,1,20]') as ReferenceCase;
    const raw = rawBranch({ leaves: [leaf('TLeafD32', 'x[3][0,1,20]', 3)], entries: 5 });
    const plan = planBranch(raw, lookup, null, 0);
    expect(plan.typeName).toBe('Double32_t[3]');
    expect(plan.columns[0]?.type).toEqual({ kind: 'fixed-list', size: 3, item: { kind: 'number', element: 'float64' } });
    const data = decode(raw, hex(c.bytes), 5, null, 3 * c.bytesPerValue);
    expect(valuesOf(data)).toEqual(c.expected);
  });
});
