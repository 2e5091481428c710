import { describe, expect, it } from 'vitest';
import { columnTypeOf, type ColumnTypeInfo } from './column-types';
import { type ClusterTask, decodeCluster } from './decode-cluster';
import { encodePage, type WritableElements } from './encode-page';
import type { ColumnDescriptor, FieldDescriptor } from './rntuple-descriptor';
import { planRNTupleColumns } from './rntuple-schema';
import { loadXxh3 } from '../codecs/xxhash3';

const typeNamed = (name: string) => {
  for (let code = 0; code < 0x20; code++) if (columnTypeOf(code)?.name === name) return columnTypeOf(code) as ColumnTypeInfo;
  throw new Error(name);
};
function field(id: number, name: string, typeName: string, role: FieldDescriptor['role'], parentId = id): FieldDescriptor {
  return { id, fieldVersion: 0, typeVersion: 0, parentId, role, roleCode: ['leaf', 'collection', 'record', 'variant'].indexOf(role), flags: 0, name, typeName, typeAlias: '', description: '', arraySize: null, sourceFieldId: null };
}
function column(id: number, fieldId: number, typeName: string, extra: Partial<ColumnDescriptor> = {}): ColumnDescriptor {
  return { id, typeCode: typeNamed(typeName).code, bitsOnStorage: typeNamed(typeName).bits, fieldId, flags: 0, representationIndex: 0, firstElementIndex: 0, isDeferredSuppressed: false, valueRange: null, ...extra };
}
function page(values: WritableElements, typeName: string) {
  const bytes = encodePage(values, typeNamed(typeName));
  return { elements: values.length, hasChecksum: false, fileOffset: 1000, size: bytes.length, bytes };
}
const task = (entries: number, columns: ClusterTask['columns'], representation: Record<number, number> = {}): ClusterTask => ({ file: 'synthetic.root', ntuple: 'nt', clusterId: 3, entries, representation, columns });

describe('decodeCluster', () => {
  it('reads each field from the representation that is primary in the cluster (Real32 in one, Real16 in another)', async () => {
    const fields = [field(0, 'real', 'float', 'leaf')];
    const columns = [column(0, 0, 'Real32'), column(1, 0, 'Real16', { representationIndex: 1 })];
    const { columns: plans } = planRNTupleColumns(fields, columns, []);
    const xxh3 = await loadXxh3();
    const first = await decodeCluster(task(2, { 0: { columnId: 0, compression: 0, pages: [page(new Float32Array([1.5, 2.25]), 'Real32')] } }, { 0: 0 }), plans, xxh3);
    const second = await decodeCluster(task(2, { 1: { columnId: 1, compression: 0, pages: [page(new Uint16Array([0x3c00, 0xc000]) as unknown as WritableElements, 'Real16')] } }, { 0: 1 }), plans, xxh3);
    expect(first.columns[0]).toEqual({ kind: 'number', element: 'float32', values: new Float32Array([1.5, 2.25]) });
    expect(second.columns[0]).toEqual({ kind: 'number', element: 'float32', values: new Float32Array([1, -2]) });
  });

  it('fills a deferred column with zeros before its first stored element', async () => {
    const fields = [field(0, 'late', 'std::int32_t', 'leaf')];
    const { columns: plans } = planRNTupleColumns(fields, [column(0, 0, 'SplitInt32', { flags: 1, firstElementIndex: 3 })], []);
    const decoded = await decodeCluster(task(5, { 0: { columnId: 0, compression: 0, pages: [page(new Int32Array([7, -8]), 'SplitInt32')] } }), plans, await loadXxh3());
    expect(decoded.columns[0]).toEqual({ kind: 'number', element: 'int32', values: new Int32Array([0, 0, 0, 7, -8]) });
  });

  it('refuses a column with fewer elements than the entries need, naming the field, column and cluster', async () => {
    const { columns: plans } = planRNTupleColumns([field(0, 'x', 'float', 'leaf')], [column(0, 0, 'SplitReal32')], []);
    await expect(decodeCluster(task(3, { 0: { columnId: 0, compression: 0, pages: [page(new Float32Array([1, 2]), 'SplitReal32')] } }), plans, () => 0n)).rejects.toThrow(
      'synthetic.root, RNTuple "nt", field "x", column 0, cluster 3: has 2 elements (SplitReal32), but the cluster\'s entries and collections need 3; the file is corrupt.',
    );
  });

  it('splits a variant into one list per alternative, following the switch column', async () => {
    const fields = [field(0, 'v', 'std::variant<std::int32_t,float>', 'variant'), field(1, '_0', 'std::int32_t', 'leaf', 0), field(2, '_1', 'float', 'leaf', 0)];
    const { columns: plans } = planRNTupleColumns(fields, [column(0, 0, 'Switch'), column(1, 1, 'Int32'), column(2, 2, 'Real32')], []);
    const switches = new Uint8Array(36);
    const view = new DataView(switches.buffer);
    [[0, 1], [0, 2], [1, 1]].forEach(([index, tag], i) => {
      view.setUint32(12 * i, index as number, true);
      view.setInt32(12 * i + 8, tag as number, true);
    });
    const decoded = await decodeCluster(
      task(3, {
        0: { columnId: 0, compression: 0, pages: [{ elements: 3, hasChecksum: false, fileOffset: 0, size: 36, bytes: switches }] },
        1: { columnId: 1, compression: 0, pages: [page(new Int32Array([10, 11]), 'Int32')] },
        2: { columnId: 2, compression: 0, pages: [page(new Float32Array([0.5]), 'Real32')] },
      }),
      plans,
      await loadXxh3(),
    );
    expect(plans.map((p) => p.name)).toEqual(['v._0', 'v._1']);
    expect(decoded.columns).toEqual([
      { kind: 'list', offsets: new Int32Array([0, 1, 1, 2]), item: { kind: 'number', element: 'int32', values: new Int32Array([10, 11]) } },
      { kind: 'list', offsets: new Int32Array([0, 0, 1, 1]), item: { kind: 'number', element: 'float32', values: new Float32Array([0.5]) } },
    ]);
  });
});
