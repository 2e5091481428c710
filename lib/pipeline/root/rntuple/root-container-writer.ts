import fs from 'node:fs';
import path from 'node:path';
import { BigEndianWriter } from './big-endian-writer';

const BEGIN = 100;
const BIG_KEY_VERSION = 4 + 1000;
const BIG_DIRECTORY_VERSION = 5 + 1000;
const BIG_FILE_VERSION = 1_000_000;
/** The ROOT release the file says it was written with (6.34.00), as TFile's version number. */
const ROOT_VERSION = 63400;
const FLUSH_BYTES = 4 << 20;

/** ROOT's TDatime packing: years since 1995, month, day, hour, minute, second. */
export function rootDatime(date: Date): number {
  return (
    (((date.getUTCFullYear() - 1995) << 26) |
      ((date.getUTCMonth() + 1) << 22) |
      (date.getUTCDate() << 17) |
      (date.getUTCHours() << 12) |
      (date.getUTCMinutes() << 6) |
      date.getUTCSeconds()) >>>
    0
  );
}

export type WrittenKey = { seek: number; keyBytes: number; totalBytes: number; objectBytes: number; header: Uint8Array };

/**
 * Writes a ROOT file (TFile container, 64-bit "big file" layout throughout) record by record: the file header and
 * top directory, then keys in the order they come, then — at `finish` — the streamer info, the directory's key
 * list and the free-segments record, and the header rewritten with their locations. Writes go through a 4 MiB
 * buffer; memory never holds the file.
 */
export async function createRootContainerWriter(filePath: string, options: { compression: number; date?: Date; title?: string }) {
  const handle = await fs.promises.open(filePath, 'w');
  const fileName = path.basename(filePath);
  const title = options.title ?? '';
  const datime = rootDatime(options.date ?? new Date());
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let end = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const joined = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await handle.write(joined, 0, joined.length, end - joined.length);
  };
  const append = async (bytes: Uint8Array) => {
    pending.push(bytes);
    pendingBytes += bytes.length;
    end += bytes.length;
    if (pendingBytes >= FLUSH_BYTES) await flush();
  };
  const keyHeader = (seek: number, className: string, name: string, keyTitle: string, objectBytes: number, storedBytes: number, cycle = 1) => {
    const w = new BigEndianWriter();
    const nbytesAt = w.length;
    w.u32(0).u16(BIG_KEY_VERSION).u32(objectBytes).u32(datime);
    const keyLenAt = w.length;
    w.u16(0).u16(cycle).u64(seek).u64(BEGIN).tstring(className).tstring(name).tstring(keyTitle);
    const keyBytes = w.length;
    w.setU32(nbytesAt, keyBytes + storedBytes);
    const bytes = w.result();
    new DataView(bytes.buffer).setUint16(keyLenAt, keyBytes, false);
    return bytes;
  };
  const directoryRecord = (seekKeys: number, nbytesKeys: number) => {
    const named = new BigEndianWriter().tstring(fileName).tstring(title).result();
    const dir = new BigEndianWriter();
    dir.raw(named).u16(BIG_DIRECTORY_VERSION).u32(datime).u32(datime).u32(nbytesKeys);
    const nbytesNameAt = dir.length;
    dir.u32(0).u64(BEGIN).u64(0).u64(seekKeys).u16(1);
    for (let i = 0; i < 16; i++) dir.u8(0); // UUID
    const object = dir.result();
    const header = keyHeader(BEGIN, 'TFile', fileName, title, object.length, object.length);
    new DataView(object.buffer).setUint32(nbytesNameAt, header.length + named.length, false);
    return { header, object, nbytesName: header.length + named.length };
  };
  const fileHeader = (fields: { end: number; seekFree: number; nbytesFree: number; nbytesName: number; seekInfo: number; nbytesInfo: number }) => {
    const w = new BigEndianWriter();
    w.raw(new TextEncoder().encode('root')).u32(BIG_FILE_VERSION + ROOT_VERSION).u32(BEGIN);
    w.u64(fields.end).u64(fields.seekFree).u32(fields.nbytesFree).u32(1).u32(fields.nbytesName).u8(8).u32(options.compression).u64(fields.seekInfo).u32(fields.nbytesInfo);
    w.u16(1);
    for (let i = 0; i < 16; i++) w.u8(0);
    const bytes = new Uint8Array(BEGIN);
    bytes.set(w.result());
    return bytes;
  };

  // Placeholders, rewritten by finish() once the key list and streamer info exist.
  await append(new Uint8Array(BEGIN));
  const topDirectory = directoryRecord(0, 0);
  await append(topDirectory.header);
  await append(topDirectory.object);
  const listed: WrittenKey[] = [];

  return {
    get position() {
      return end;
    },
    /**
     * Appends a key and its object (`stored` bytes on disk for `objectBytes` in memory); `listed` keys appear in
     * the directory (RBlobs do not).
     */
    async writeKey(className: string, name: string, keyTitle: string, stored: Uint8Array, objectBytes = stored.length, isListed = false): Promise<WrittenKey> {
      const seek = end;
      const header = keyHeader(seek, className, name, keyTitle, objectBytes, stored.length);
      await append(header);
      await append(stored);
      const key = { seek, keyBytes: header.length, totalBytes: header.length + stored.length, objectBytes, header };
      if (isListed) listed.push(key);
      return key;
    },
    /** The object's offset when a key of this class and name is written next (for objects that hold their own seek). */
    keyBytesFor(className: string, name: string, keyTitle: string): number {
      return keyHeader(0, className, name, keyTitle, 0, 0).length;
    },
    async finish(streamerInfo: (keyBytes: number) => Uint8Array): Promise<number> {
      const infoKeyBytes = keyHeader(0, 'TList', 'StreamerInfo', 'Doubly linked list', 0, 0).length;
      const info = streamerInfo(infoKeyBytes);
      const infoKey = await this.writeKey('TList', 'StreamerInfo', 'Doubly linked list', info);
      const keyList = new BigEndianWriter().u32(listed.length);
      for (const key of listed) keyList.raw(key.header);
      const keyListObject = keyList.result();
      const seekKeys = end;
      const keysKey = await this.writeKey('TFile', fileName, title, keyListObject);
      const seekFree = end;
      const freeObject = new BigEndianWriter().u16(1001);
      const freeHeaderBytes = keyHeader(0, 'TFile', fileName, title, 0, 0).length;
      const freeFirst = seekFree + freeHeaderBytes + 2 + 16;
      freeObject.u64(freeFirst).u64(2_000_000_000_000);
      const freeKey = await this.writeKey('TFile', fileName, title, freeObject.result());
      await flush();
      const directory = directoryRecord(seekKeys, keysKey.totalBytes);
      await handle.write(directory.header, 0, directory.header.length, BEGIN);
      await handle.write(directory.object, 0, directory.object.length, BEGIN + directory.header.length);
      const header = fileHeader({ end, seekFree, nbytesFree: freeKey.totalBytes, nbytesName: directory.nbytesName, seekInfo: infoKey.seek, nbytesInfo: infoKey.totalBytes });
      await handle.write(header, 0, header.length, 0);
      await handle.close();
      return end;
    },
    async abort(): Promise<void> {
      await handle.close().catch(() => {});
    },
  };
}
