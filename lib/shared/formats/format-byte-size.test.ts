import { describe, expect, it } from 'vitest';
import { formatByteSize } from './format-byte-size';

describe('formatByteSize', () => {
  it('writes binary units with at most two decimals and no trailing zeros', () => {
    expect([0, 999, 1024, 1536, 1024 ** 2 * 1.25, 1024 ** 3, 1024 ** 3 + 1].map(formatByteSize)).toEqual(['0 B', '999 B', '1 KiB', '1.5 KiB', '1.25 MiB', '1 GiB', '1 GiB']);
  });
});
