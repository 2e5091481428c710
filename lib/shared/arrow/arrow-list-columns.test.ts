import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { decodeArrowColumns, decodeArrowTable, encodeArrowTable } from './index';

describe('List and wide integer columns', () => {
  it('round-trips List<float> with empty rows, 64-bit and 16-bit integers, and field metadata', () => {
    const jets = { kind: 'list' as const, values: Float32Array.from([43.5, 21.25, 100, 7.5]), offsets: Int32Array.from([0, 2, 2, 3, 4]) };
    const columns = {
      'AnalysisJetsAuxDyn.pt': jets,
      'EventInfoAuxDyn.eventNumber': BigUint64Array.from([7608691n, 2n ** 63n + 5n, 0n, 1n]),
      index: BigInt64Array.from([-1n, 0n, 1n, 2n ** 62n]),
      n: Uint32Array.from([1, 4294967295, 0, 3]),
      s16: Int16Array.from([-32768, 0, 1, 32767]),
      u16: Uint16Array.from([0, 65535, 1, 2]),
    };
    const bytes = encodeArrowTable(columns, { source: 'PHYSLITE_example.root' }, { fieldMetadata: { 'AnalysisJetsAuxDyn.pt': { 'root.type': 'vector<float>' } } });
    const schema = tableFromIPC(bytes).schema;
    expect(String(schema.fields[0]?.type)).toBe('List<Float32>');
    expect(String(schema.fields[1]?.type)).toBe('Uint64');
    const decoded = decodeArrowColumns(bytes);
    expect(decoded.numRows).toBe(4);
    expect(decoded.columnNames).toEqual(Object.keys(columns));
    expect(decoded.fieldMetadata['AnalysisJetsAuxDyn.pt']).toEqual({ 'root.type': 'vector<float>' });
    expect(decoded.metadata).toEqual({ source: 'PHYSLITE_example.root' });
    const list = decoded.columns['AnalysisJetsAuxDyn.pt'];
    expect(list).toEqual(jets);
    for (const name of ['EventInfoAuxDyn.eventNumber', 'index', 'n', 's16', 'u16'] as const) {
      expect(decoded.columns[name]).toEqual(columns[name]);
      expect(decoded.columns[name]?.constructor).toBe(columns[name].constructor);
    }
  });

  it('writes rows that apache-arrow reads back as the per-event lists', () => {
    const bytes = encodeArrowTable({ pt: { kind: 'list', values: Float64Array.from([1, 2, 3]), offsets: Int32Array.from([0, 1, 1, 3]) } });
    const rows = tableFromIPC(bytes).getChild('pt')?.toArray().map((row: { toArray(): Float64Array }) => Array.from(row.toArray()));
    expect(rows).toEqual([[1], [], [2, 3]]);
  });

  it('rejects list offsets that do not cover the values, naming the column', () => {
    expect(() => encodeArrowTable({ pt: { kind: 'list', values: Float32Array.from([1, 2]), offsets: Int32Array.from([0, 1]) } })).toThrow(/List column "pt" has offsets from 0 to 1 over 2 values/);
  });

  it('keeps decodeArrowTable strict: a list column is refused there with its type', () => {
    const bytes = encodeArrowTable({ pt: { kind: 'list', values: Float32Array.from([1]), offsets: Int32Array.from([0, 1]) } });
    expect(() => decodeArrowTable(bytes)).toThrow(/Column "pt" has Arrow type List<Float32>/);
  });
});
