import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  crc32,
  entryDataOffset,
  readCentralDirectory,
  readEndOfCentralDirectory,
  readZip64EndRecord,
  ZIP64_END_RECORD_BYTES,
  ZIP_LOCAL_HEADER_BYTES,
  ZIP_TAIL_BYTES,
  ZipFormatError,
} from './zip-records';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'zip-records-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/** Writes an archive with Python's zipfile, an independent writer, and returns its bytes. */
function pythonZip(name: string, body: string): Uint8Array {
  const archive = path.join(tmpRoot, name);
  const made = spawnSync('/usr/bin/python3', ['-c', `import zipfile, sys\nwith zipfile.ZipFile(sys.argv[1], 'w', allowZip64=True) as z:\n${body}`, archive], { encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
  return new Uint8Array(fs.readFileSync(archive));
}

/** Reads the directory the way the file readers do: tail, optional ZIP64 record, directory. */
function directoryOf(bytes: Uint8Array) {
  const end = readEndOfCentralDirectory(bytes.subarray(Math.max(0, bytes.length - ZIP_TAIL_BYTES)));
  const location = end.zip64RecordOffset === null ? end : readZip64EndRecord(bytes.subarray(end.zip64RecordOffset, end.zip64RecordOffset + ZIP64_END_RECORD_BYTES));
  return { end, entries: readCentralDirectory(bytes.subarray(location.directoryOffset, location.directoryOffset + location.directoryBytes), location.entries) };
}

describe('ZIP records', () => {
  it('finds every entry with its method, sizes, CRC-32 and data, behind an archive comment', () => {
    const bytes = pythonZip(
      'plain.zip',
      [
        "  z.writestr('a/stored.csv', 'id,score\\n1,0.5\\n', compress_type=zipfile.ZIP_STORED)",
        "  z.writestr('deflated.txt', 'x' * 5000, compress_type=zipfile.ZIP_DEFLATED)",
        "  z.writestr('a/', '')",
        "  z.comment = b'c' * 300",
      ].join('\n'),
    );
    const { end, entries } = directoryOf(bytes);
    expect(end.zip64RecordOffset).toBeNull();
    expect(entries.map((e) => [e.name, e.method, e.uncompressedBytes, e.isEncrypted])).toEqual([
      ['a/stored.csv', 0, 15, false],
      ['deflated.txt', 8, 5000, false],
      ['a/', 0, 0, false],
    ]);
    const stored = entries[0];
    if (!stored) throw new Error('no entries');
    const start = entryDataOffset(bytes.subarray(stored.localHeaderOffset, stored.localHeaderOffset + ZIP_LOCAL_HEADER_BYTES), stored);
    const data = bytes.subarray(start, start + stored.compressedBytes);
    expect(new TextDecoder().decode(data)).toBe('id,score\n1,0.5\n');
    expect(crc32(data)).toBe(stored.crc32);
  });

  it('follows the ZIP64 locator and reads 64-bit sizes from the extra field', () => {
    // Lowering zipfile's limits makes it write the ZIP64 end record, its locator and 64-bit sizes for small entries.
    const bytes = pythonZip('zip64.zip', "  zipfile.ZIP_FILECOUNT_LIMIT = 1\n  zipfile.ZIP64_LIMIT = 10\n  z.writestr('big.bin', b'0123456789' * 10)\n  z.writestr('small.txt', 'ok')");
    const { end, entries } = directoryOf(bytes);
    expect(end.zip64RecordOffset).not.toBeNull();
    expect(entries.map((e) => [e.name, e.uncompressedBytes])).toEqual([
      ['big.bin', 100],
      ['small.txt', 2],
    ]);
  });

  it('decodes UTF-8 names when the archive flags them', () => {
    const bytes = pythonZip('utf8.zip', "  z.writestr('événements.csv', 'id\\n')");
    expect(directoryOf(bytes).entries[0]?.name).toBe('événements.csv');
  });

  it('continues a CRC-32 across chunks and matches the standard check value', () => {
    const all = new TextEncoder().encode('123456789');
    expect(crc32(all)).toBe(0xcbf43926);
    expect(crc32(all.subarray(4), crc32(all.subarray(0, 4)))).toBe(0xcbf43926);
  });

  it('refuses a file without an end record, a truncated directory and a damaged local header, saying which', () => {
    const bytes = pythonZip('damage.zip', "  z.writestr('one.txt', 'hello')");
    expect(() => readEndOfCentralDirectory(new TextEncoder().encode('id,score\n1,0.5\n'))).toThrow(/no end-of-central-directory record/);
    const { end } = directoryOf(bytes);
    const directory = bytes.subarray(end.directoryOffset, end.directoryOffset + 20);
    expect(() => readCentralDirectory(directory, 1)).toThrow(ZipFormatError);
    expect(() => readCentralDirectory(directory, 1)).toThrow(/damaged central directory entry 1/);
    const garbage = new Uint8Array(ZIP_LOCAL_HEADER_BYTES);
    expect(() => entryDataOffset(garbage, { name: 'one.txt', localHeaderOffset: 0 })).toThrow(/damaged local header for one.txt/);
  });

  it('refuses a ZIP64 end record that is not there', () => {
    expect(() => readZip64EndRecord(new Uint8Array(ZIP64_END_RECORD_BYTES))).toThrow(/no ZIP64 end-of-central-directory record/);
  });
});
