import { describe, expect, it } from 'vitest';
import type { DecodedData } from './decoded-data';
import { decodeEntries } from './decode-entries';
import { planBranch } from './plan-branch';
import { rawBranchRecord, streamerElement } from '@/tests/support/raw-branch-records';
import type { RawBranchRecord } from './raw-records';
import { StreamerLookup } from './streamer-read-spec';

const element = streamerElement;

/** A member of a split collection of Track objects, float fPx by default. */
function branch(overrides: Partial<RawBranchRecord>): RawBranchRecord {
  return rawBranchRecord({
    name: 'tracks.fPx',
    title: '',
    branchClass: 'TBranchElement',
    className: 'Track',
    elementKind: 31,
    elementId: 0,
    classVersion: 1,
    splitLevel: 99,
    leaves: [{ leafClass: 'TLeafElement', name: 'fPx', title: 'fPx[tracks_]', length: 1, lengthType: 4, offset: 0, isUnsigned: false, countLeafName: 'tracks_', elementType: 5 }],
    entryOffsetLen: 40,
    entries: 3,
    ...overrides,
  });
}

/** Big-endian bytes of the given writers, one per entry, with the entry starts. */
function entriesOf(...entries: ((view: DataView) => number)[][]): { payload: Uint8Array; starts: Int32Array } {
  const payload = new Uint8Array(256);
  const starts: number[] = [];
  let at = 0;
  for (const writers of entries) {
    starts.push(at);
    for (const write of writers) at += write(new DataView(payload.buffer, at));
  }
  return { payload: payload.slice(0, at), starts: Int32Array.from(starts) };
}
const f32 = (x: number) => (v: DataView) => (v.setFloat32(0, x), 4);
const i32 = (x: number) => (v: DataView) => (v.setInt32(0, x), 4);
const u8 = (x: number) => (v: DataView) => (v.setUint8(0, x), 1);

function decodeAll(raw: RawBranchRecord, payload: Uint8Array, starts: Int32Array): DecodedData {
  const plan = planBranch(raw, new StreamerLookup([]), null, 1);
  if (!plan.decode) throw new Error(plan.reason ?? 'no plan');
  return decodeEntries(plan.decode, [{ firstEntry: 0, index: 0, basket: { entries: starts.length, payload, dataEnd: payload.length, entryStarts: starts, entryBytes: 0 } }], 0, starts.length);
}

describe('planBranch and decodeEntries on members of split collections', () => {
  it('reads a member of a split TClonesArray (fType 31) as List<T>, one item per object of the entry', () => {
    const raw = branch({ element: element({ name: 'fPx', type: 5, typeName: 'float' }) });
    const { payload, starts } = entriesOf([f32(1.5), f32(-2)], [], [f32(3)]);
    const plan = planBranch(raw, new StreamerLookup([]), 'tracks', 1);
    expect([plan.layout, plan.typeName, plan.columns.map((c) => c.name)]).toEqual(['collection-member', 'float[]', ['tracks.fPx']]);
    const data = decodeAll(raw, payload, starts);
    expect(data.kind === 'list' && [Array.from(data.offsets), Array.from((data.item as { values: Float32Array }).values)]).toEqual([[0, 2, 2, 3], [1.5, -2, 3]]);
  });

  it('reads a fixed-array member of split objects (float fCov[3]) as List<FixedSizeList<T>>', () => {
    const raw = branch({ name: 'tracks.fCov', element: element({ name: 'fCov', type: 25, typeName: 'float', arrayLength: 3, arrayDim: 1, maxIndex: [3, 0, 0, 0, 0] }) });
    const { payload, starts } = entriesOf([f32(1), f32(2), f32(3), f32(4), f32(5), f32(6)], [f32(7), f32(8), f32(9)]);
    const plan = planBranch(raw, new StreamerLookup([]), 'tracks', 1);
    expect(plan.columns[0]?.type).toEqual({ kind: 'list', item: { kind: 'fixed-list', size: 3, item: { kind: 'number', element: 'float32' } } });
    const data = decodeAll(raw, payload, starts);
    expect(data.kind === 'list' && Array.from(data.offsets)).toEqual([0, 2, 3]);
  });

  it('reads a split `int* fHits //[fN]` member: the "is array" byte, then the values up to the entry end', () => {
    const raw = branch({ name: 'fHits', elementKind: 0, leaves: [], element: element({ name: 'fHits', type: 43, typeName: 'int*', countName: 'fN' }) });
    const { payload, starts } = entriesOf([u8(1), i32(4), i32(5)], [u8(0)], [u8(1), i32(-1)]);
    const data = decodeAll(raw, payload, starts);
    expect(data.kind === 'list' && [Array.from(data.offsets), Array.from((data.item as { values: Int32Array }).values)]).toEqual([[0, 2, 2, 3], [4, 5, -1]]);
  });

  it('names maps, pointers and classes without streamer info with a reason and a next step', () => {
    const lookup = new StreamerLookup([]);
    const map = planBranch(branch({ name: 'm', elementKind: 0, elementId: -1, className: 'map<int,float>', leaves: [] }), lookup, null, 0);
    expect(map.reason).toMatch(/^map<int,float> is a map, which this reader does not decode\. Next step: leave it out \(--skip-unsupported\), or read it with uproot .* which reads STL maps and bitsets\.$/);
    const pointer = planBranch(branch({ name: 'p', elementKind: 0, elementId: 0, element: element({ name: 'p', type: 64, typeName: 'TObject*' }) }), lookup, null, 0);
    expect(pointer.reason).toMatch(/member p \(TObject\*\) of Track is an object pointer, which is not decoded\. Next step: .*which follows object pointers/);
    const unknown = planBranch(branch({ name: 'u', elementKind: 0, elementId: -1, className: 'MyEvent', leaves: [] }), lookup, null, 0);
    expect(unknown.reason).toMatch(/the file has no streamer info for class MyEvent, so its members are unknown\. Next step: leave it out .* load the library that defines the class in ROOT/);
    expect([map.layout, pointer.layout, unknown.layout]).toEqual(['unsupported', 'unsupported', 'unsupported']);
  });

  it('reads a TArrayF member (a length and the values, no version header) as List<Float32>', () => {
    const raw = branch({ name: 'fWeights', elementKind: 0, elementId: 0, leaves: [], element: element({ elementClass: 'TStreamerObjectAny', name: 'fWeights', type: 62, typeName: 'TArrayF' }) });
    const { payload, starts } = entriesOf([i32(2), f32(0.5), f32(2)], [i32(0)], [i32(1), f32(-1)]);
    const data = decodeAll(raw, payload, starts);
    expect(data.kind === 'list' && [Array.from(data.offsets), Array.from((data.item as { values: Float32Array }).values)]).toEqual([[0, 2, 2, 3], [0.5, 2, -1]]);
  });
});
