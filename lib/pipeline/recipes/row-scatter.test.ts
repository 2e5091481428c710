import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RowScatter } from './row-scatter';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'row-scatter-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('RowScatter', () => {
  it('returns every row at its position, in order, across buckets, with positions nobody filled left out', () => {
    const positions = 1000;
    const scatter = new RowScatter(tmp, 't', [{ name: 'x', type: 'float64' }, { name: 'k', type: 'int32' }], positions, 37);
    // Positions of a permutation, with every third position left empty, added in chunks of 50 rows.
    const order = Array.from({ length: positions }, (_, i) => (i * 7919) % positions).filter((p) => p % 3 !== 0);
    for (let start = 0; start < order.length; start += 50) {
      const chunk = order.slice(start, start + 50);
      scatter.add(chunk, { x: Float64Array.from(chunk, (p) => p * 0.5), k: Int32Array.from(chunk, (p) => -p) }, chunk.length);
    }
    const seen: number[] = [];
    for (const out of scatter.emit()) {
      out.positions.forEach((p, r) => {
        expect((out.columns.x as Float64Array)[r]).toBe(p * 0.5);
        expect((out.columns.k as Int32Array)[r]).toBe(-p);
        seen.push(p);
      });
    }
    expect(seen).toEqual([...order].sort((a, b) => a - b));
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('refuses a position twice or out of range', () => {
    const scatter = new RowScatter(tmp, 'u', [{ name: 'x', type: 'float32' }], 10, 4);
    expect(() => scatter.add([12], { x: Float32Array.of(1) }, 1)).toThrow(/outside 0…9/);
    scatter.add([3, 3], { x: Float32Array.of(1, 2) }, 2);
    expect(() => [...scatter.emit()]).toThrow(/two rows have position 3/);
  });
});
