import type { RawBranchRecord, RawStreamerElement } from '@/lib/pipeline/root/raw-records';

/** A branch record as the jsroot adapter makes it, with every field defaulted (a TBranch without leaves). */
export function rawBranchRecord(overrides: Partial<RawBranchRecord>): RawBranchRecord {
  return {
    name: 'x',
    title: 'x',
    branchClass: 'TBranch',
    className: '',
    parentName: '',
    clonesName: '',
    streamerType: null,
    elementKind: null,
    elementId: null,
    classVersion: 0,
    checksum: 0,
    splitLevel: 0,
    leaves: [],
    entryOffsetLen: 0,
    entries: 0,
    totalBytes: 0,
    zipBytes: 0,
    externalFileName: '',
    baskets: [],
    branches: [],
    element: null,
    ...overrides,
  };
}

/** A streamer element (a basic int member unless told otherwise). */
export function streamerElement(overrides: Partial<RawStreamerElement>): RawStreamerElement {
  return { elementClass: 'TStreamerBasicType', name: 'x', title: '', type: 3, typeName: 'int', arrayLength: 0, arrayDim: 0, maxIndex: [], countName: '', xmin: 0, xmax: 0, factor: 0, stlType: 0, containedType: 0, baseVersion: 0, ...overrides };
}
