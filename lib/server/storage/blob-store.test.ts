import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appErrorOf } from '@/tests/support/app-error-of';
import { adoptBlob, blobFilePath, deleteBlob, putBlob, readBlob, sha256Hex } from './blob-store';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-blobs-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

const content = new TextEncoder().encode('id,score\n1,0.5\n');
const sha256 = sha256Hex(content);

function tempFile(dataDir: string, name: string): string {
  const file = path.join(dataDir, 'uploads', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

describe('blob store', () => {
  it('keeps blobs under blobs/<first two hex>/<sha256> and refuses anything but a sha256 digest', () => {
    expect(blobFilePath('/data', sha256)).toBe(path.join('/data', 'blobs', sha256.slice(0, 2), sha256));
    expect(appErrorOf(() => blobFilePath('/data', '../../etc/passwd')).code).toBe('BAD_REQUEST');
  });

  it('adopts a temporary file once: a second adopt of the same bytes keeps the blob and deletes its temporary file', async () => {
    const dataDir = fs.mkdtempSync(path.join(tmpRoot, 'data-'));
    const first = tempFile(dataDir, 'tmp-a');
    expect(await adoptBlob(dataDir, first, sha256)).toEqual({ created: true });
    expect(fs.existsSync(first)).toBe(false);
    const second = tempFile(dataDir, 'tmp-b');
    expect(await adoptBlob(dataDir, second, sha256)).toEqual({ created: false });
    expect(fs.existsSync(second)).toBe(false);
    expect(new Uint8Array(await readBlob(dataDir, sha256))).toEqual(content);
  });

  it('reports exactly one creation when the same bytes are adopted concurrently', async () => {
    const dataDir = fs.mkdtempSync(path.join(tmpRoot, 'data-'));
    const temps = Array.from({ length: 4 }, (_, k) => tempFile(dataDir, `tmp-${k}`));
    const results = await Promise.all(temps.map((temp) => adoptBlob(dataDir, temp, sha256)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(fs.readdirSync(path.join(dataDir, 'uploads'))).toEqual([]);
  });

  it('still stores, reads and deletes bytes for existing callers', async () => {
    const dataDir = fs.mkdtempSync(path.join(tmpRoot, 'data-'));
    expect(await putBlob(dataDir, content)).toEqual({ sha256, created: true });
    expect(await putBlob(dataDir, content)).toEqual({ sha256, created: false });
    expect(new Uint8Array(await readBlob(dataDir, sha256))).toEqual(content);
    await deleteBlob(dataDir, sha256);
    await expect(readBlob(dataDir, sha256)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
