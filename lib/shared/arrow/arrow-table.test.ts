import { Float64, Table, tableFromArrays, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowTableToCsv, decodeArrowTable, encodeArrowTable, formatFloat32 } from './index';
import { encodeCsvRows, formatCsvRows } from './arrow-table-to-csv';

function sampleColumns() {
  return {
    id: Int32Array.from([0, 1, 2, -2147483648, 2147483647]),
    f64: Float64Array.from([0.1, -1e300, 5e-324, Math.PI, -25]),
    f32: Float32Array.from([0.1, 32.117, -25, 3.4028234663852886e38, 1.401298464324817e-45]),
    i8: Int8Array.from([-128, 127, 0, -1, 1]),
    u8: Uint8Array.from([0, 1, 255, 1, 0]),
    label: ['htautau', 'ztautau', 'ztautau', 'ttbar', 'htautau'],
    note: ['a,b', 'say "hi"', '', 'τ→ℓνν', 'line\nbreak'],
  };
}

describe('encodeArrowTable / decodeArrowTable', () => {
  it('round-trips every column type, the column order and the schema metadata', () => {
    const columns = sampleColumns();
    const metadata = { dataset: 'higgs-tautau-toy', sources: JSON.stringify([{ name: 'x' }]), empty: '' };
    const decoded = decodeArrowTable(encodeArrowTable(columns, metadata));
    expect(decoded.numRows).toBe(5);
    expect(decoded.columnNames).toEqual(Object.keys(columns));
    expect(decoded.metadata).toEqual(metadata);
    for (const [name, column] of Object.entries(columns)) {
      expect(decoded.columns[name]?.constructor).toBe(column.constructor);
      expect(Array.from(decoded.columns[name] as ArrayLike<unknown>)).toEqual(Array.from(column as ArrayLike<unknown>));
    }
  });

  it('stores low-cardinality strings as a dictionary and others as Utf8, both decoding to the same strings', () => {
    const labels = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 'signal' : 'background'));
    const unique = Array.from({ length: 100 }, (_, i) => `event-${i}`);
    const bytes = encodeArrowTable({ labels, unique });
    const table = tableFromIPC(bytes);
    expect(String(table.schema.fields[0]?.type)).toMatch(/^Dictionary/);
    expect(String(table.schema.fields[1]?.type)).toBe('Utf8');
    const decoded = decodeArrowTable(bytes);
    expect(decoded.columns.labels).toEqual(labels);
    expect(decoded.columns.unique).toEqual(unique);
    const forced = decodeArrowTable(encodeArrowTable({ labels }, {}, { stringEncoding: 'utf8' }));
    expect(forced.columns.labels).toEqual(labels);
  });

  it('writes the IPC file format (ARROW1 magic) and identical bytes for identical input', () => {
    const a = encodeArrowTable(sampleColumns(), { k: 'v' });
    const b = encodeArrowTable(sampleColumns(), { k: 'v' });
    expect(new TextDecoder().decode(a.subarray(0, 6))).toBe('ARROW1');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('returns one contiguous owned typed array per column even when the file has several record batches', () => {
    const utf8 = (values: string[]) => vectorFromArray(values, new Utf8());
    const first = new Table({ x: vectorFromArray(Float32Array.from([1, 2, 3])), s: utf8(['a', 'b', 'c']) });
    const second = new Table({ x: vectorFromArray(Float32Array.from([4, 5])), s: utf8(['d', 'é']) });
    const bytes = tableToIPC(first.concat(second), 'file');
    expect(tableFromIPC(bytes).batches.length).toBe(2);
    const decoded = decodeArrowTable(bytes);
    expect(decoded.numRows).toBe(5);
    expect(decoded.columns.x).toBeInstanceOf(Float32Array);
    expect(Array.from(decoded.columns.x as Float32Array)).toEqual([1, 2, 3, 4, 5]);
    expect(decoded.columns.s).toEqual(['a', 'b', 'c', 'd', 'é']);
    bytes.fill(0);
    expect(Array.from(decoded.columns.x as Float32Array)).toEqual([1, 2, 3, 4, 5]);
  });

  it('decodes dictionary-encoded strings spread over several batches of an IPC stream', () => {
    const first = tableFromArrays({ s: ['ttbar', 'htautau', 'ttbar'] });
    const second = tableFromArrays({ s: ['ztautau', 'ztautau'] });
    const decoded = decodeArrowTable(tableToIPC(first.concat(second), 'stream'));
    expect(decoded.columns.s).toEqual(['ttbar', 'htautau', 'ttbar', 'ztautau', 'ztautau']);
  });

  it('round-trips an empty table', () => {
    const decoded = decodeArrowTable(encodeArrowTable({ x: new Float64Array(0), s: [] }));
    expect(decoded.numRows).toBe(0);
    expect(decoded.columnNames).toEqual(['x', 's']);
  });

  it('rejects columns of different lengths, naming both columns', () => {
    expect(() => encodeArrowTable({ a: new Float32Array(3), b: new Float32Array(2) })).toThrow(/"b" has 2 rows but column "a" has 3/);
  });

  it('rejects a column with nulls, naming the column', () => {
    const bytes = tableToIPC(new Table({ ok: vectorFromArray(Float64Array.from([1, 2])), bad: vectorFromArray([1.5, null], new Float64()) }), 'file');
    expect(() => decodeArrowTable(bytes)).toThrow(/Column "bad" has 1 null values/);
  });

  it('rejects bytes that are not Arrow IPC', () => {
    expect(() => decodeArrowTable(new TextEncoder().encode('EventId,Label\n1,s\n'))).toThrow(/not a readable Arrow IPC/);
  });
});

describe('arrowTableToCsv', () => {
  it('writes the header and values so that every Float32 reads back to the identical float32', () => {
    const values = new Float32Array(20_000);
    let state = 12345;
    for (let i = 0; i < values.length; i++) {
      state = (Math.imul(state, 1103515245) + 12345) | 0;
      const mantissa = (state >>> 0) / 2 ** 32;
      values[i] = (mantissa - 0.5) * 10 ** ((i % 24) - 12);
    }
    values.set([-25, -999, 0, 1e-45, 3.4e38, 125.123, 0.1], 0);
    const csv = arrowTableToCsv(encodeArrowTable({ v: values }));
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('v');
    expect(lines).toHaveLength(values.length + 1);
    lines.slice(1).forEach((text, i) => expect(Math.fround(Number(text))).toBe(values[i]));
    expect(lines.slice(1, 8)).toEqual(['-25', '-999', '0', '1e-45', '3.4e+38', '125.123', '0.1']);
  });

  it('writes the shortest float32 decimal, not the float64 expansion', () => {
    expect(formatFloat32(Math.fround(32.117))).toBe('32.117');
    expect(formatFloat32(Math.fround(-0.485))).toBe('-0.485');
    expect(formatFloat32(Math.fround(1582.3646240234375))).toBe('1582.3646');
    expect(formatFloat32(Number.NaN)).toBe('NaN');
    expect(formatFloat32(-Infinity)).toBe('-inf');
  });

  it('agrees with a linear search for the shortest round-tripping precision, on rounded and arbitrary float32 values', () => {
    const shortest = (v: number) => {
      for (let p = 1; p <= 9; p++) {
        const text = v.toPrecision(p);
        if (Math.fround(Number(text)) === v) return Number(text);
      }
      throw new Error(`no precision round-trips ${v}`);
    };
    const bits = new Uint32Array(1);
    const asFloat = new Float32Array(bits.buffer);
    let state = 99;
    const mismatches: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) | 0;
      bits[0] = state;
      const arbitrary = asFloat[0] as number;
      const rounded = Math.fround(Math.round(((state >>> 8) / 2 ** 24) * 5_000_000 - 1_000_000) / 1000);
      for (const v of [arbitrary, rounded]) {
        if (!Number.isFinite(v)) continue;
        const text = formatFloat32(v);
        if (Number(text) !== shortest(v) || Math.fround(Number(text)) !== v || /\.\d*0$/.test(text)) mismatches.push(`${v} → ${text}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('writes integers plainly, Float64 in shortest round-trip form and quotes strings that need it', () => {
    const csv = arrowTableToCsv(decodeArrowTable(encodeArrowTable(sampleColumns())), { columns: ['id', 'f64', 'u8', 'note'] });
    const expected = [
      'id,f64,u8,note',
      '0,0.1,0,"a,b"',
      '1,-1e+300,1,"say ""hi"""',
      '2,5e-324,255,',
      '-2147483648,3.141592653589793,1,τ→ℓνν',
      '2147483647,-25,0,"line\nbreak"',
      '',
    ].join('\n');
    expect(csv).toBe(expected);
  });

  it('rejects an unknown column name, listing the available ones', () => {
    expect(() => arrowTableToCsv(encodeArrowTable({ a: new Int32Array(1) }), { columns: ['b'] })).toThrow(/"b".*it has a/);
  });
});

describe('formatFloat32 against the bisection it replaced', () => {
  /** The previous implementation: bisection over 1…9 significant digits (kept here as the reference). */
  function byBisection(value: number): string {
    const target = Math.fround(value);
    let low = 1;
    let high = 9;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (Math.fround(Number(target.toPrecision(middle))) === target) high = middle;
      else low = middle + 1;
    }
    const text = target.toPrecision(low);
    return text.includes('e') ? String(Number(text)) : text;
  }

  it('writes the same shortest text for float32 values of every exponent (random bit patterns)', () => {
    const bits = new Uint32Array(1);
    const float = new Float32Array(bits.buffer);
    let state = 12345;
    let checked = 0;
    for (let i = 0; i < 200_000; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      bits[0] = state;
      const v = float[0] as number;
      if (!Number.isFinite(v) || (Number.isInteger(v) && Math.abs(v) <= 16_777_216)) continue;
      if (Math.abs(v) < 4096 && Math.fround(Math.round(v * 1000) / 1000) === v) continue;
      expect(formatFloat32(v)).toBe(byBisection(v));
      checked++;
    }
    expect(checked).toBeGreaterThan(150_000);
    // And values of the size physics features have (GeV, rad, ratios), which mostly need 7 to 9 digits.
    for (let i = 0; i < 100_000; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const v = Math.fround(((state / 4294967296) * 2 - 1) * 10 ** ((i % 9) - 3));
      expect(formatFloat32(v)).toBe(byBisection(v));
    }
  });
});

describe('formatFloat32 without strings against the toPrecision search', () => {
  /** The toPrecision search the arithmetic path replaces for fixed-point values (kept here as the reference). */
  function byToPrecision(value: number): string {
    const target = Math.fround(value);
    let text = target.toPrecision(7);
    if (Math.fround(Number(text)) === target) {
      for (let p = 6; p >= 1; p--) {
        const shorter = target.toPrecision(p);
        if (Math.fround(Number(shorter)) !== target) break;
        text = shorter;
      }
    } else {
      for (let p = 8; ; p++) {
        text = target.toPrecision(p);
        if (Math.fround(Number(text)) === target) break;
      }
    }
    return text.includes('e') ? String(Number(text)) : text;
  }

  it('writes the same text for values of every size, for dyadic values that sit exactly on rounding ties and near powers of ten', () => {
    let state = 2024;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
    const values: number[] = [];
    for (let i = 0; i < 150_000; i++) values.push(Math.fround(((next() / 4294967296) * 2 - 1) * 10 ** ((i % 16) - 8)));
    // n / 2^m is exact in binary and ends in a 5 in decimal: toPrecision's half-up ties at some precision.
    for (let m = 1; m <= 24; m++) for (let i = 0; i < 5_000; i++) values.push(Math.fround((next() % 20_000_000) / 2 ** m), Math.fround(-(next() % 999_999) / 2 ** m));
    for (let k = -7; k <= 7; k++) {
      let v = Math.fround(10 ** k);
      for (let i = 0; i < 40; i++) {
        values.push(v, -v);
        v = Math.fround(v * (1 - 2 ** -23));
      }
    }
    const mismatches: string[] = [];
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      const text = formatFloat32(v);
      if (text !== byToPrecision(v)) mismatches.push(`${v}: ${text} instead of ${byToPrecision(v)}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});

describe('encodeCsvRows', () => {
  it('gives the UTF-8 bytes of formatCsvRows for every column type, sentinels, non-finite values and quoted strings', () => {
    let state = 77;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296;
    const n = 20_000;
    const f32 = Float32Array.from({ length: n }, (_, i) => (i % 17 === 0 ? -25 : i % 29 === 0 ? Math.round(next() * 4000) / 1000 : (next() * 2 - 1) * 10 ** ((i % 18) - 9)));
    f32.set([Number.NaN, Infinity, -Infinity, -0, 0, 16_777_216, 16_777_218, 3.4e38, 1e-45, 0.1, -0.485], 0);
    const f64 = Float64Array.from({ length: n }, (_, i) => (next() - 0.5) * 10 ** ((i % 30) - 15));
    f64.set([Number.NaN, -Infinity, 5e-324], 0);
    const i32 = Int32Array.from({ length: n }, () => Math.floor((next() - 0.5) * 2 ** 32));
    i32.set([-2147483648, 2147483647, 0, -1], 0);
    const u8 = Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
    const i8 = Int8Array.from({ length: n }, () => Math.floor(next() * 256) - 128);
    const words = ['ztautau', 'a,b', 'say "hi"', 'τ→ℓνν', 'line\nbreak', '', '𝛕'];
    const strings = Array.from({ length: n }, (_, i) => words[i % words.length] as string);
    const columns = [i32, f32, f64, u8, i8, strings];
    for (const newline of ['\n', '\r\n']) {
      const bytes = encodeCsvRows(columns, n, newline);
      expect(Buffer.from(bytes).equals(Buffer.from(new TextEncoder().encode(formatCsvRows(columns, n, newline))))).toBe(true);
    }
    expect(new TextDecoder().decode(encodeCsvRows([Float32Array.of(Math.fround(32.117), -0.5, 1582.3646240234375)], 3))).toBe('32.117\n-0.5\n1582.3646\n');
  });
});
