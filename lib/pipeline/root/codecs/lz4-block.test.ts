import { describe, expect, it } from 'vitest';
import { decodeLz4Block } from './lz4-block';

describe('decodeLz4Block', () => {
  it('decodes literals followed by an overlapping match (a run)', () => {
    // token 0x15: 1 literal, match length 5+4; literal "a"; offset 1 → "a" repeated 10 times; then 2 literals "bc".
    const block = Uint8Array.of(0x15, 0x61, 0x01, 0x00, 0x20, 0x62, 0x63);
    const out = new Uint8Array(12);
    expect(decodeLz4Block(block, out)).toBe(12);
    expect(new TextDecoder().decode(out)).toBe('aaaaaaaaaabc');
  });

  it('decodes extended literal and match lengths (the 255-byte continuation)', () => {
    const literals = Array.from({ length: 300 }, (_, i) => i % 251);
    // 300 literals: 15 + 255 + 30; match offset 300, length 4 + 15 + 1 = 20.
    const block = Uint8Array.of(0xff, 255, 30, ...literals, 0x2c, 0x01, 1);
    const out = new Uint8Array(320);
    expect(decodeLz4Block(block, out)).toBe(320);
    expect(Array.from(out.subarray(300))).toEqual(literals.slice(0, 20));
  });

  it('rejects a match offset that points before the start of the output', () => {
    expect(() => decodeLz4Block(Uint8Array.of(0x10, 0x61, 0x05, 0x00), new Uint8Array(16))).toThrow(/match offset 5 at output 1/);
  });

  it('rejects output that would overrun the target instead of writing past it', () => {
    expect(() => decodeLz4Block(Uint8Array.of(0x30, 0x61, 0x62, 0x63), new Uint8Array(2))).toThrow(/overruns/);
  });
});
