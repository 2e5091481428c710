import { AppError } from '@/lib/shared/app-error';

const literal = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/**
 * Offset of the first syntax error in `text`, or null. JSON.parse gives a position for some errors only, and
 * organisers need a line and column to find a missing comma in their editor.
 */
function syntaxErrorOffset(text: string): number | null {
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text.charAt(i);
      if (c === '"') return void i++;
      if (c < ' ') fail();
      i += c === '\\' ? 2 : 1;
    }
    fail();
  };
  const value = (): void => {
    skipSpace();
    const c = text.charAt(i);
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      skipSpace();
      if (text.charAt(i) === close) return void i++;
      for (;;) {
        if (c === '{') {
          skipSpace();
          if (text.charAt(i) !== '"') fail();
          string();
          skipSpace();
          if (text.charAt(i) !== ':') fail();
          i++;
        }
        value();
        skipSpace();
        if (text.charAt(i) === ',') i++;
        else if (text.charAt(i) === close) return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    literal.lastIndex = i;
    const match = literal.exec(text);
    if (!match) fail();
    i += match?.[0].length ?? 0;
  };
  try {
    value();
    skipSpace();
    if (i < text.length) fail();
    return null;
  } catch (offset) {
    if (typeof offset === 'number') return offset;
    throw offset;
  }
}

/** Parses an uploaded definition file; a syntax error names the line and column. */
export function parseDefinitionJson(text: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new AppError('INVALID_CHALLENGE', 'The definition is empty; upload a challenge definition JSON file.');
  try {
    return JSON.parse(body);
  } catch (error) {
    const offset = syntaxErrorOffset(body);
    let where = '';
    if (offset !== null) {
      const lines = body.slice(0, offset).split('\n');
      const found = offset < body.length ? JSON.stringify(body.charAt(offset)) : 'the end of the file';
      where = ` at line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1} (found ${found})`;
    }
    throw new AppError(
      'INVALID_CHALLENGE',
      `The definition is not valid JSON${where}; check for a missing or extra comma, quote or bracket there.`,
      { issues: [{ path: '(file)', message: `not valid JSON${where}` }] },
      { cause: error },
    );
  }
}
