/** What a file is, judged by its first bytes; "csv" is whatever is none of the binary formats or UTF-16 text. */
export type DetectedFileFormat = 'gzip' | 'zip' | 'utf-16' | 'arrow-file' | 'arrow-stream' | 'parquet' | 'csv';

const isTextByte = (b: number | undefined) => b !== undefined && ((b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d);

/** Bytes of the head {@link detectFileFormat} looks at. */
export const fileFormatHeadBytes = 8;

/**
 * Detects a data file's format from its first bytes (the name may lie): gzip `1f 8b`; zip `PK 03 04` (or `PK 05 06`,
 * an empty zip); UTF-16 text, by its byte-order mark `ff fe` / `fe ff` or, without one, by ASCII characters
 * alternating with NUL bytes (so it is named as such instead of being mistaken for an Arrow stream); Arrow IPC file
 * `ARROW1`; Arrow IPC stream, which starts with its schema message: the continuation marker `ff ff ff ff`, or in the
 * pre-1.0 layout directly the message's little-endian length (small, so byte 3 is 0 — a text file never has a NUL
 * there); Parquet `PAR1`; anything else is treated as CSV text.
 *
 * @example
 * ```ts
 * detectFileFormat(new TextEncoder().encode('PAR1…')); // → 'parquet'
 * ```
 */
export function detectFileFormat(head: Uint8Array): DetectedFileFormat {
  const startsWith = (text: string) => text.length <= head.length && [...text].every((char, k) => head[k] === char.charCodeAt(0));
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))) return 'zip';
  if ((head[0] === 0xff && head[1] === 0xfe && !(head[2] === 0xff && head[3] === 0xff)) || (head[0] === 0xfe && head[1] === 0xff)) return 'utf-16';
  if (head.length >= 8) {
    const isLittleEndianText = [0, 2, 4, 6].every((k) => isTextByte(head[k]) && head[k + 1] === 0);
    const isBigEndianText = [0, 2, 4, 6].every((k) => head[k] === 0 && isTextByte(head[k + 1]));
    if (isLittleEndianText || isBigEndianText) return 'utf-16';
  }
  if (startsWith('ARROW1')) return 'arrow-file';
  if (startsWith('PAR1')) return 'parquet';
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff) return 'arrow-stream';
  if (head.length >= 8 && head[3] === 0 && (head[0] !== 0 || head[1] !== 0 || head[2] !== 0)) return 'arrow-stream';
  return 'csv';
}
