import { describe, expect, it } from 'vitest';
import { CsvLineCursor, parseDecimal, parseNonNegativeInteger } from './csv-lines';

const context = { file: 't.csv', errorCode: 'INVALID_SUBMISSION' as const };

function lines(text: string): string[] {
  const cursor = new CsvLineCursor(text, 4, context);
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
    const cursor = new CsvLineCursor('1,2,3,4,5\n,\n', 2, context);
    cursor.nextLine();
    expect(cursor.splitFields()).toBe(5);
    expect([cursor.fieldText(0), cursor.fieldText(1)]).toEqual(['1', '2']);
    cursor.nextLine();
    expect(cursor.splitFields()).toBe(2);
    expect([cursor.fieldText(0), cursor.fieldText(1)]).toEqual(['', '']);
  });
});

describe('CsvLineCursor with RFC 4180 quoting', () => {
  function records(text: string): Array<{ line: number; fields: string[] }> {
    const cursor = new CsvLineCursor(text, 8, context);
    const out: Array<{ line: number; fields: string[] }> = [];
    while (cursor.nextLine()) {
      const count = cursor.splitFields();
      out.push({ line: cursor.lineNumber, fields: Array.from({ length: count }, (_, k) => cursor.fieldText(k)) });
    }
    return out;
  }
  const problem = (text: string) => {
    try {
      records(text);
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  };

  it('reads quoted fields, doubled quotes, commas and line breaks inside quotes, and numbers lines by record start', () => {
    expect(records('"id","score"\r\n"1","0.5"\r\n')).toEqual([
      { line: 1, fields: ['id', 'score'] },
      { line: 2, fields: ['1', '0.5'] },
    ]);
    expect(records('a,"b ""q"" c",d\n"x,y","multi\nline\r\ntext",z\nlast,"",end\n')).toEqual([
      { line: 1, fields: ['a', 'b "q" c', 'd'] },
      { line: 2, fields: ['x,y', 'multi\nline\r\ntext', 'z'] },
      { line: 5, fields: ['last', '', 'end'] },
    ]);
    // A quote inside an unquoted field is just a character.
    expect(records('ab"c,1\n2,3\n')).toEqual([
      { line: 1, fields: ['ab"c', '1'] },
      { line: 2, fields: ['2', '3'] },
    ]);
  });

  it('names the line and field of a quote that never closes or of text after a closing quote', () => {
    expect(problem('id,score\n1,"0.5\n2,0.7\n')).toBe('t.csv line 2: expected field 2 quoted as in RFC 4180 ("…", with "" for a quote inside), found a quote that is never closed');
    expect(problem('id,score\n1,"0.5"x\n')).toMatch(/^t\.csv line 2: expected field 2 quoted .* found text after the closing quote: "\\"0\.5\\"x"$/);
  });

  it('names a file whose lines end with CR alone', () => {
    expect(problem('id,score\r1,0.5\r2,0.25\r')).toBe('t.csv line 1: expected lines ending with LF or CRLF, found lines ending with CR alone (classic Mac OS line endings); save the file with LF or CRLF line endings');
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
