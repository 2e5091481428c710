import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32, listZipEntries } from './zip-archive';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'zip-archive-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/** Writes an archive with Python's zipfile (an independent writer): entries name → (text, compression). */
function pythonZip(archive: string, script: string): void {
  const made = spawnSync('/usr/bin/python3', ['-c', `import zipfile, sys\nwith zipfile.ZipFile(sys.argv[1], 'w') as z:\n${script}`, archive], { encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
}

describe('listZipEntries', () => {
  it('checks entries with the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('reads stored and deflated entries, skipping folders', () => {
    const archive = path.join(tmpRoot, 'mixed.zip');
    pythonZip(
      archive,
      [
        "    z.writestr('data/', '')",
        "    z.writestr('data/stored.csv', 'a,b\\n1,2\\n', compress_type=zipfile.ZIP_STORED)",
        "    z.writestr('data/deflated.csv', 'x,y\\n' + '3,4\\n' * 5000, compress_type=zipfile.ZIP_DEFLATED)",
      ].join('\n'),
    );
    const entries = listZipEntries(archive);
    expect(entries.map((e) => e.name)).toEqual(['data/stored.csv', 'data/deflated.csv']);
    const text = (k: number) => new TextDecoder().decode(entries[k]?.read());
    expect(text(0)).toBe('a,b\n1,2\n');
    expect(text(1)).toBe(`x,y\n${'3,4\n'.repeat(5000)}`);
    expect(entries[1]?.compressedSize).toBeLessThan(entries[1]?.size as number);
  });

  it('reads a ZIP64 archive (more than 65 535 entries)', () => {
    const archive = path.join(tmpRoot, 'many.zip');
    pythonZip(archive, ["    for k in range(65540):", "        z.writestr(f'e/{k}.txt', str(k))"].join('\n'));
    const entries = listZipEntries(archive);
    expect(entries).toHaveLength(65540);
    expect(new TextDecoder().decode(entries[65539]?.read())).toBe('65539');
  }, 60_000);

  it('names the archive and the entry of damaged data', () => {
    const archive = path.join(tmpRoot, 'damaged.zip');
    pythonZip(archive, "    z.writestr('a.csv', 'hello,world\\n' * 100, compress_type=zipfile.ZIP_DEFLATED)");
    const bytes = fs.readFileSync(archive);
    bytes[40] = (bytes[40] as number) ^ 0xff; // inside the deflated data of the only entry
    fs.writeFileSync(archive, bytes);
    const [entry] = listZipEntries(archive);
    expect(() => entry?.read()).toThrow(/damaged\.zip:a\.csv cannot be read: (its deflate data cannot be inflated|it inflates to|its CRC-32 does not match)/);
    fs.writeFileSync(path.join(tmpRoot, 'not.zip'), 'hello');
    expect(() => listZipEntries(path.join(tmpRoot, 'not.zip'))).toThrow(/not\.zip cannot be read: it has no end-of-central-directory record \(it is not a ZIP archive/);
  });
});
