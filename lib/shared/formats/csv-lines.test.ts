import { describe, expect, it } from 'vitest';
import { CsvLineCursor, parseDecimal, parseNonNegativeInteger } from './csv-lines';

function lines(text: string): string[] {
  const cursor = new CsvLineCursor(text, 4);
  const out: string[] = [];
  while (cursor.nextLine()) out.push(cursor.lineText());
  return out;
}

describe('CsvLineCursor', () => {
  it('treats one final newline as the end of the last line, not as an empty line', () => {
    expect(lines('a\nb\n')).toEqual(['a', 'b']);
    expect(lines('a\nb')).toEqual(['a', 'b']);
    expect(lines('a\nb\n\n')).toEqual(['a', 'b', '']);
    expect(lines('')).toEqual([]);
  });

  it('strips CR of CRLF and skips a byte-order mark', () => {
    expect(lines('\uFEFFa,b\r\nc\r\n')).toEqual(['a,b', 'c']);
  });

  it('counts every field but records at most its capacity', () => {
    const cursor = new CsvLineCursor('1,2,3,4,5\n,\n', 2);
    cursor.nextLine();
    expect(cursor.splitFields()).toBe(5);
    expect([cursor.fieldText(0), cursor.fieldText(1)]).toEqual(['1', '2']);
    cursor.nextLine();
    expect(cursor.splitFields()).toBe(2);
    expect([cursor.fieldText(0), cursor.fieldText(1)]).toEqual(['', '']);
  });
});

describe('field parsers', () => {
  const decimal = (s: string) => parseDecimal(s, 0, s.length);
  const integer = (s: string) => parseNonNegativeInteger(s, 0, s.length);

  it('accepts plain decimal numbers with optional sign, point and exponent', () => {
    expect(['0', '1', '0.5', '.5', '5.', '-0.25', '+1', '1e-3', '2.5E+2'].map(decimal)).toEqual([0, 1, 0.5, 0.5, 5, -0.25, 1, 0.001, 250]);
  });

  it('rejects what Number() would quietly accept or turn into non-finite values', () => {
    for (const s of ['', ' 1', '1 ', '0x1', 'NaN', 'Infinity', 'inf', '1e', '.', '-', '1e400', '1,5', '"1"']) {
      expect(Number.isNaN(decimal(s)), s).toBe(true);
    }
  });

  it('accepts digit-only integers up to 2^53 − 1', () => {
    expect(['0', '42', '007', '9007199254740991'].map(integer)).toEqual([0, 42, 7, 9007199254740991]);
    expect(['', '-1', '1.0', '1e3', ' 1', '9007199254740993'].map(integer)).toEqual([-1, -1, -1, -1, -1, -1]);
  });

  it('stops at the end offset it is given', () => {
    expect(parseDecimal('0.25,9', 0, 4)).toBe(0.25);
    expect(parseNonNegativeInteger('12,34', 3, 5)).toBe(34);
  });
});
