import { describe, expect, it } from 'vitest';
import type { ColumnDescriptor, FieldDescriptor } from './rntuple-descriptor';
import { describeValueType } from '../value-type';
import { planRNTupleColumns } from './rntuple-schema';

let nextField = 0;
function field(name: string, typeName: string, role: FieldDescriptor['role'], parentId?: number, extra: Partial<FieldDescriptor> = {}): FieldDescriptor {
  const id = nextField++;
  const roleCode = ['leaf', 'collection', 'record', 'variant', 'streamer'].indexOf(role);
  return { id, fieldVersion: 0, typeVersion: 0, parentId: parentId ?? id, role, roleCode, flags: 0, name, typeName, typeAlias: '', description: '', arraySize: null, sourceFieldId: null, ...extra };
}
function column(id: number, fieldId: number, typeCode: number, representationIndex = 0): ColumnDescriptor {
  return { id, typeCode, bitsOnStorage: 32, fieldId, flags: 0, representationIndex, firstElementIndex: 0, isDeferredSuppressed: false, valueRange: null };
}

describe('planRNTupleColumns: field tree → output columns', () => {
  it('flattens records into dotted names, drops the _0 of collections and the :_0 of base classes, and keeps ATLAS names readable', () => {
    nextField = 0;
    const aux = field('AnalysisJetsAuxDyn:pt', 'std::vector<float>', 'collection');
    const item = field('_0', 'float', 'leaf', aux.id);
    const link = field('links', 'std::vector<ElementLink<X>>', 'collection');
    const element = field('_0', 'ElementLink<X>', 'record', link.id);
    const base = field(':_0', 'ElementLinkBase', 'record', element.id);
    const key = field('m_persKey', 'std::uint32_t', 'leaf', base.id);
    const { columns, unsupported } = planRNTupleColumns([aux, item, link, element, base, key], [column(0, aux.id, 0x1b), column(1, item.id, 0x18), column(2, link.id, 0x1b), column(3, key.id, 0x14)], []);
    expect(unsupported).toEqual([]);
    expect(columns.map((c) => [c.name, c.fieldPath, describeValueType(c.type)])).toEqual([
      ['AnalysisJetsAuxDyn.pt', 'AnalysisJetsAuxDyn:pt', 'list<float32>'],
      ['links.m_persKey', 'links.m_persKey', 'list<uint32>'],
    ]);
  });

  it('reports a top-level field it cannot read with the reason, instead of dropping it silently', () => {
    nextField = 0;
    const streamed = field('blob', 'TH1F', 'streamer');
    const future = field('future', 'float', 'leaf');
    const text = field('words', 'std::map<int,int>', 'leaf');
    const fine = field('fine', 'double', 'leaf');
    const { columns, unsupported } = planRNTupleColumns([streamed, future, text, fine], [column(0, streamed.id, 0x1b), column(1, streamed.id, 0x01), column(2, future.id, 0x7f), column(3, text.id, 0x18), column(4, fine.id, 0x19)], []);
    expect(columns.map((c) => c.name)).toEqual(['fine']);
    expect(unsupported).toEqual([
      { name: 'blob', fieldPath: 'blob', typeName: 'TH1F', reason: 'field "blob" (TH1F) is stored with ROOT\'s streamer as opaque bytes' },
      { name: 'future', fieldPath: 'future', typeName: 'float', reason: 'column 2 of field "future" has column type 0x7f, newer than format 1.0' },
      { name: 'words', fieldPath: 'words', typeName: 'std::map<int,int>', reason: 'leaf field "words" has type std::map<int,int>, which is not a number, bool or std::string' },
    ]);
  });

  it('groups a field’s columns by representation, so each cluster can use the one that is primary there', () => {
    nextField = 0;
    const real = field('real', 'float', 'leaf');
    const { columns } = planRNTupleColumns([real], [column(0, real.id, 0x0c, 0), { ...column(1, real.id, 0x0b, 1), bitsOnStorage: 16 }], []);
    expect(columns[0]?.leaf.columns.representations.map((r) => r.map((c) => c.id))).toEqual([[0], [1]]);
  });

  it('reads projected fields through their alias columns, and cardinalities as sizes', () => {
    nextField = 0;
    const untyped = field('_collection0', '', 'collection');
    const record = field('_0', '', 'record', untyped.id);
    const pt = field('Jet_pt', 'float', 'leaf', record.id);
    const projected = field('Jet_pt', 'ROOT::VecOps::RVec<float>', 'collection', undefined, { sourceFieldId: untyped.id, flags: 2 });
    const projectedItem = field('_0', 'float', 'leaf', projected.id, { flags: 2 });
    const count = field('nJet', 'ROOT::RNTupleCardinality<std::uint32_t>', 'leaf', undefined, { flags: 2 });
    const { columns } = planRNTupleColumns(
      [untyped, record, pt, projected, projectedItem, count],
      [column(0, untyped.id, 0x1b), column(1, pt.id, 0x18)],
      [{ physicalColumnId: 0, fieldId: projected.id }, { physicalColumnId: 1, fieldId: projectedItem.id }, { physicalColumnId: 0, fieldId: count.id }],
    );
    expect(columns.map((c) => [c.name, describeValueType(c.type), c.isProjected, c.physicalColumns])).toEqual([
      ['_collection0.Jet_pt', 'list<float32>', false, [0, 1]],
      ['Jet_pt', 'list<float32>', true, [0, 1]],
      ['nJet', 'uint32', true, [0]],
    ]);
  });
});
