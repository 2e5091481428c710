import { Field, Float32, Int32, makeData, RecordBatch, Schema, Struct, tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { createArrowFileEncoder } from './arrow-file-encoder';

function batchOf(schema: Schema, columns: (Float32Array | Int32Array)[]): RecordBatch {
  const children = columns.map((values, i) => makeData({ type: schema.fields[i]?.type as Float32, length: values.length, nullCount: 0, data: values }));
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: columns[0]?.length ?? 0, nullCount: 0, children }));
}

describe('createArrowFileEncoder', () => {
  const schema = new Schema([new Field('x', new Float32(), false), new Field('n', new Int32(), false)], new Map([['source_file', 'a.root']]));

  it('writes batches as they come into one Arrow file whose schema and metadata are the encoder’s', () => {
    const encoder = createArrowFileEncoder(schema);
    // The batches' own schema carries no metadata; the file's comes from the encoder.
    const bare = new Schema(schema.fields);
    const chunks = [
      ...encoder.write(batchOf(bare, [new Float32Array([1, 2]), new Int32Array([3, 4])])),
      ...encoder.write(batchOf(bare, [new Float32Array([5]), new Int32Array([6])])),
      ...encoder.finish(),
    ];
    const table = tableFromIPC(Buffer.concat(chunks));
    expect(table.batches).toHaveLength(2);
    expect(Array.from(table.getChild('x')?.toArray() ?? [])).toEqual([1, 2, 5]);
    expect(Array.from(table.getChild('n')?.toArray() ?? [])).toEqual([3, 4, 6]);
    expect(table.schema.metadata.get('source_file')).toBe('a.root');
  });

  it('refuses a batch whose columns differ from the schema, naming both, instead of starting a second file', () => {
    const encoder = createArrowFileEncoder(schema);
    const other = new Schema([new Field('x', new Float32(), false), new Field('m', new Int32(), false)]);
    expect(() => encoder.write(batchOf(other, [new Float32Array([1]), new Int32Array([2])]))).toThrow(
      "A record batch's columns (x: Float32, m: Int32) differ from the file's schema (x: Float32, n: Int32).",
    );
  });
});
