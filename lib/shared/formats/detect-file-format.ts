/** What a file is, judged by its first bytes; "csv" is whatever is none of the binary formats. */
export type DetectedFileFormat = 'gzip' | 'arrow-file' | 'arrow-stream' | 'parquet' | 'csv';

/** Bytes of the head {@link detectFileFormat} looks at. */
export const fileFormatHeadBytes = 8;

/**
 * Detects a data file's format from its first bytes (the name may lie): gzip `1f 8b`; Arrow IPC file `ARROW1`; Arrow
 * IPC stream, which starts with its schema message: the continuation marker `ff ff ff ff`, or in the pre-1.0 layout
 * directly the message's little-endian length (small, so byte 3 is 0 — a text file never has a NUL there); Parquet
 * `PAR1`; anything else is treated as CSV text.
 *
 * @example
 * ```ts
 * detectFileFormat(new TextEncoder().encode('PAR1…')); // → 'parquet'
 * ```
 */
export function detectFileFormat(head: Uint8Array): DetectedFileFormat {
  const startsWith = (text: string) => text.length <= head.length && [...text].every((char, k) => head[k] === char.charCodeAt(0));
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (startsWith('ARROW1')) return 'arrow-file';
  if (startsWith('PAR1')) return 'parquet';
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff) return 'arrow-stream';
  if (head.length >= 8 && head[3] === 0 && (head[0] !== 0 || head[1] !== 0 || head[2] !== 0)) return 'arrow-stream';
  return 'csv';
}
