import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appErrorOfAsync } from '@/tests/fixtures/predictions/prediction-targets';
import { receiveUpload } from './receive-upload';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-upload-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

function freshDataDir(): string {
  return fs.mkdtempSync(path.join(tmpRoot, 'data-'));
}
const uploadsOf = (dataDir: string) => (fs.existsSync(path.join(dataDir, 'uploads')) ? fs.readdirSync(path.join(dataDir, 'uploads')) : []);
const sha256 = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex');

const bytes = new TextEncoder().encode('id,score\n1,0.5\n2,0.25\n');

describe('receiveUpload', () => {
  it('writes bytes, a web stream and an async iterable to a temporary file with the sha256 of the raw bytes', async () => {
    const bodies = [
      bytes,
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.subarray(0, 5));
          controller.enqueue(bytes.subarray(5));
          controller.close();
        },
      }),
      (async function* () {
        for (let k = 0; k < bytes.length; k += 3) yield bytes.subarray(k, k + 3);
      })(),
    ];
    for (const body of bodies) {
      const dataDir = freshDataDir();
      const upload = await receiveUpload(dataDir, body, { fileName: 'predictions.csv' });
      expect(path.dirname(upload.tempPath)).toBe(path.join(dataDir, 'uploads'));
      expect(path.basename(upload.tempPath)).toMatch(/^tmp-[0-9a-f]+$/);
      expect(new Uint8Array(fs.readFileSync(upload.tempPath))).toEqual(bytes);
      expect(upload.sha256).toBe(sha256(bytes));
      expect(upload.sizeBytes).toBe(bytes.length);
      await upload.discard();
      await upload.discard();
      expect(uploadsOf(dataDir)).toEqual([]);
    }
  });

  it('stops reading a body at once when it passes maxBytes and leaves no file behind', async () => {
    const dataDir = freshDataDir();
    let pulled = 0;
    let isClosed = false;
    async function* endless() {
      try {
        for (;;) {
          pulled++;
          yield new Uint8Array(1000);
        }
      } finally {
        isClosed = true;
      }
    }
    const error = await appErrorOfAsync(() => receiveUpload(dataDir, endless(), { fileName: 'huge.csv', maxBytes: 4500 }));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toBe('huge.csv is larger than the limit of 4500 bytes (4.39 KiB); compress it with gzip or save it as Parquet, then upload it again.');
    expect(error.details.file).toBe('huge.csv');
    expect(pulled).toBe(5);
    expect(isClosed).toBe(true);
    expect(uploadsOf(dataDir)).toEqual([]);
  });

  it('applies the 1 GiB limit of predictions files by default', async () => {
    // A chunk that claims to be one byte over 1 GiB, so the default can be checked without allocating it.
    class OversizedChunk extends Uint8Array {
      override get length() {
        return 2 ** 30 + 1;
      }
    }
    const error = await appErrorOfAsync(() => receiveUpload(freshDataDir(), new OversizedChunk(0), { fileName: 'predictions.csv' }));
    expect(error.message).toContain('predictions.csv is larger than the limit of 1073741824 bytes (1 GiB)');
  });

  it('receives an empty body as an empty file, leaving the verdict to the reader, which knows the expected header', async () => {
    const dataDir = freshDataDir();
    const received = await receiveUpload(dataDir, new Uint8Array(0), { fileName: 'empty.csv' });
    expect(received.sizeBytes).toBe(0);
    await received.discard();
    expect(uploadsOf(dataDir)).toEqual([]);
  });

  it('turns a failing body stream (a client that went away) into BAD_REQUEST, keeping the cause and no file', async () => {
    const dataDir = freshDataDir();
    const disconnect = new Error('aborted');
    async function* interrupted() {
      yield bytes;
      throw disconnect;
    }
    const error = await appErrorOfAsync(() => receiveUpload(dataDir, interrupted(), { fileName: 'predictions.csv' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe('The upload of predictions.csv was interrupted before it was complete; nothing was stored. Please upload it again.');
    expect(error.cause).toBe(disconnect);
    expect(uploadsOf(dataDir)).toEqual([]);
  });
});
