import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import { assertRootCompressionSettings, compressRootPayload, DEFAULT_ROOT_COMPRESSION, rootCompressionCode, type RootCompressionSettings } from './compress-root-payload';
import { RootWriteBuffer } from './root-write-buffer';
import { serializeStreamerInfoList, type StreamerInfoSpec } from './streamer-infos';
import { loadZstdEncoder, type ZstdEncoder } from './zstd-encoder';

/** ROOT's TFile::kStartBigFile: past this offset keys and the header use 64-bit seeks. */
export const START_BIG_FILE = 2_000_000_000;
/** ROOT 6.32/02, the release whose class versions (TTree 20, TBranch 13, …) these files carry. */
const ROOT_FILE_VERSION = 63202;
const BIG_FILE_VERSION_OFFSET = 1_000_000;
const BEGIN = 100;
const KEY_VERSION = 4;
const BIG_KEY_VERSION_OFFSET = 1000;
const DIRECTORY_VERSION = 5;
const FREE_VERSION = 1;
const UUID_VERSION = 1;
/** TDirectoryFile::Sizeof(): version, 2 dates, 2 counts, 3 seeks, UUID and 12 spare bytes for 64-bit seeks. */
const DIRECTORY_RECORD_BYTES = 60;
/** ROOT compresses a key's object only from this size on (TKey). */
const MIN_COMPRESSED_OBJECT_BYTES = 256;
/** Each new key moves the end of the last free segment by this much once the file passes 2 GB (TFree::GetBestFree). */
const BIG_FILE_FREE_STEP = 1_000_000_000;

export type RootFileWriterOptions = {
  compression?: RootCompressionSettings;
  /** The file's TNamed title (default ""). */
  title?: string;
  /** The name recorded in the file (default: the base name of the path; set it when writing to a temporary path). */
  fileName?: string;
  /**
   * Unused bytes left after the top directory before the first key (a hole, sparse on disk). For tests of files past
   * 2 GB, whose keys, directory, free list and header switch to 64-bit seeks. Default 0.
   */
  reserveBytes?: number;
  /**
   * Date stamped on every key and on the directory (TDatime). Default 2025-01-01T00:00:00Z, so that the same input
   * gives the same bytes; pass the build time (or a dataset's createdAt) for a meaningful date.
   */
  modifiedAt?: Date;
};

/** Where a key went: its offset, total bytes on disk and header length. */
export type WrittenKey = { seek: number; totalBytes: number; keyBytes: number; objectBytes: number };

/** Where the bytes go: positioned writes to a file, or a growable buffer. */
type ByteSink = { writeAt(bytes: Uint8Array, position: number): void; close(): void; remove(): void };

function fileSink(fd: number, filePath?: string): ByteSink {
  let isOpen = true;
  return {
    writeAt(bytes, position) {
      let done = 0;
      while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done, position + done);
    },
    close() {
      if (isOpen) fs.closeSync(fd);
      isOpen = false;
    },
    remove() {
      if (filePath) fs.rmSync(filePath, { force: true });
    },
  };
}

function memorySink(): ByteSink & { bytes(): Uint8Array } {
  let buffer = new Uint8Array(64 * 1024);
  let length = 0;
  return {
    writeAt(bytes, position) {
      const end = position + bytes.length;
      if (end > buffer.length) {
        let capacity = buffer.length * 2;
        while (capacity < end) capacity *= 2;
        const grown = new Uint8Array(capacity);
        grown.set(buffer.subarray(0, length));
        buffer = grown;
      }
      buffer.set(bytes, position);
      length = Math.max(length, end);
    },
    close() {},
    remove() {
      buffer = new Uint8Array(0);
      length = 0;
    },
    bytes: () => buffer.slice(0, length),
  };
}

type KeyRecord = { className: string; name: string; title: string; cycle: number; header: Uint8Array };

/** A subdirectory (TDirectoryFile): its key's place, the keys listed in it so far and their cycles. */
type Subdirectory = { path: string; name: string; seek: number; keyBytes: number; parentSeek: number; keys: KeyRecord[]; cycles: Map<string, number> };

/** ROOT's TDatime: (year − 1995) << 26 | month << 22 | day << 17 | hour << 12 | minute << 6 | second (UTC fields). */
export function encodeDatime(date: Date): number {
  const year = date.getUTCFullYear();
  if (!(year >= 1995 && year < 1995 + 64)) throw new AppError('BAD_REQUEST', `ROOT dates run from 1995 to 2058; ${date.toISOString()} cannot be stored.`, { found: date.toISOString() });
  return (
    (((year - 1995) << 26) | ((date.getUTCMonth() + 1) << 22) | (date.getUTCDate() << 17) | (date.getUTCHours() << 12) | (date.getUTCMinutes() << 6) | date.getUTCSeconds()) >>>
    0
  );
}

function tstringBytes(text: string): number {
  const n = new TextEncoder().encode(text).length;
  return n < 255 ? 1 + n : 5 + n;
}

/** Length of a TKey header with these strings; 64-bit keys (version > 1000) hold two 8-byte seeks. */
export function keyHeaderBytes(isBig: boolean, className: string, name: string, title: string): number {
  return 18 + (isBig ? 16 : 8) + tstringBytes(className) + tstringBytes(name) + tstringBytes(title);
}

/**
 * Appends ROOT records to a new file, front to back, and finishes it on {@link close}: a TFile header at byte 0,
 * the top directory's record at byte 100 (rewritten at the end with the location of its keys list), then keys as
 * they come (baskets, trees), and at close the StreamerInfo record, the keys list, the free-segments record and the
 * header. Nothing is held back: memory stays at one record, whatever the file size. Files past 2 GB switch to
 * 64-bit seeks where ROOT does (keys beyond 2 GB, the header, the directory, the free list).
 *
 * The UUID of the file and directory is derived from the bytes written (SHA-256), so one input always gives one
 * file; dates come from `modifiedAt`.
 */
export class RootFileWriter {
  readonly filePath: string;
  readonly fileName: string;
  readonly compression: RootCompressionSettings;
  readonly datime: number;
  private readonly title: string;
  private readonly sink: ByteSink;
  private readonly zstd: ZstdEncoder | null;
  private readonly hash: Hash = createHash('sha256');
  private end: number;
  private readonly keys: KeyRecord[] = [];
  private readonly cycles = new Map<string, number>();
  /** Subdirectories by path (`dir/sub`), in the order they were made. */
  private readonly subdirectories = new Map<string, Subdirectory>();
  private isClosed = false;
  /** Top directory: fNbytesName (key header + TNamed strings), where its 60-byte record starts. */
  private readonly directoryNameBytes: number;

  private constructor(filePath: string, sink: ByteSink, options: Required<Pick<RootFileWriterOptions, 'compression' | 'title' | 'fileName'>> & { modifiedAt: Date; reserveBytes?: number }, zstd: ZstdEncoder | null) {
    this.filePath = filePath;
    this.fileName = options.fileName;
    this.sink = sink;
    this.compression = options.compression;
    this.title = options.title;
    this.datime = encodeDatime(options.modifiedAt);
    this.zstd = zstd;
    const keyBytes = keyHeaderBytes(false, 'TFile', this.fileName, this.title);
    this.directoryNameBytes = keyBytes + tstringBytes(this.fileName) + tstringBytes(this.title);
    const directoryEnd = BEGIN + this.directoryNameBytes + DIRECTORY_RECORD_BYTES;
    this.end = directoryEnd + (options.reserveBytes ?? 0);
    // Placeholders for header and directory, rewritten at close; readers of a half-written file find no "root" magic.
    sink.writeAt(new Uint8Array(directoryEnd), 0);
  }

  /** Creates (or truncates) `filePath`. Throws AppError('BAD_REQUEST') for bad settings, ('CONFLICT') if it cannot be created. */
  static async create(filePath: string, options: RootFileWriterOptions = {}): Promise<RootFileWriter> {
    const compression = options.compression ?? DEFAULT_ROOT_COMPRESSION;
    assertRootCompressionSettings(compression);
    const modifiedAt = options.modifiedAt ?? new Date(Date.UTC(2025, 0, 1));
    encodeDatime(modifiedAt);
    const zstd = compression.algorithm === 'zstd' ? await loadZstdEncoder() : null;
    let fd: number;
    try {
      fd = fs.openSync(filePath, 'w');
    } catch (cause) {
      throw new AppError('CONFLICT', `Cannot create ${filePath}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}; check the folder exists and is writable.`, { file: filePath }, { cause });
    }
    const reserveBytes = options.reserveBytes ?? 0;
    if (!(Number.isSafeInteger(reserveBytes) && reserveBytes >= 0)) throw new AppError('BAD_REQUEST', `reserveBytes must be a whole number ≥ 0, got ${reserveBytes}.`, { found: String(reserveBytes) });
    return new RootFileWriter(filePath, fileSink(fd, filePath), { compression, title: options.title ?? '', fileName: options.fileName ?? path.basename(filePath), modifiedAt, reserveBytes }, zstd);
  }

  /** A writer whose bytes stay in memory (small files: dataset exports); `bytes()` returns them after close. */
  static async createInMemory(fileName: string, options: RootFileWriterOptions = {}): Promise<RootFileWriter & { bytes(): Uint8Array }> {
    const zstd = (options.compression ?? DEFAULT_ROOT_COMPRESSION).algorithm === 'zstd' ? await loadZstdEncoder() : null;
    return RootFileWriter.createInMemorySync(fileName, options, zstd);
  }

  /** {@link createInMemory} without waiting: ZSTD needs the encoder passed in (from loadZstdEncoder). */
  static createInMemorySync(fileName: string, options: RootFileWriterOptions = {}, zstd: ZstdEncoder | null = null): RootFileWriter & { bytes(): Uint8Array } {
    const compression = options.compression ?? DEFAULT_ROOT_COMPRESSION;
    assertRootCompressionSettings(compression);
    if (compression.algorithm === 'zstd' && !zstd) throw new AppError('INTERNAL', 'ZSTD compression needs the encoder from loadZstdEncoder().');
    const modifiedAt = options.modifiedAt ?? new Date(Date.UTC(2025, 0, 1));
    encodeDatime(modifiedAt);
    const sink = memorySink();
    const writer = new RootFileWriter(fileName, sink, { compression, title: options.title ?? '', fileName: options.fileName ?? fileName, modifiedAt }, zstd);
    return Object.assign(writer, { bytes: () => sink.bytes() });
  }

  /** Offset where the next key will start. */
  get position(): number {
    return this.end;
  }

  /** Compresses with the file's settings (ROOT framing), or returns the payload when that would not shrink it. */
  compress(payload: Uint8Array): Uint8Array {
    return compressRootPayload(payload, this.compression, this.zstd);
  }

  /** ROOT's fCompress of this file (e.g. 101). */
  get compressionCode(): number {
    return rootCompressionCode(this.compression);
  }

  private assertOpen(): void {
    if (this.isClosed) throw new AppError('INTERNAL', `${this.fileName} is already closed; nothing more can be written to it.`, { file: this.filePath });
  }

  private writeAt(bytes: Uint8Array, position: number): void {
    this.sink.writeAt(bytes, position);
  }

  private append(bytes: Uint8Array): void {
    this.writeAt(bytes, this.end);
    this.hash.update(bytes);
    this.end += bytes.length;
  }

  /** Whether a key written at `seek` needs 64-bit seeks (version + 1000). */
  static isBigKeyAt(seek: number): boolean {
    return seek > START_BIG_FILE;
  }

  private keyHeader(options: { isBig: boolean; totalBytes: number; objectBytes: number; keyBytes: number; cycle: number; seek: number; parentSeek: number; className: string; name: string; title: string }, capacity = options.keyBytes + 32): RootWriteBuffer {
    const buffer = new RootWriteBuffer(0, capacity);
    buffer.i32(options.totalBytes).i16(options.isBig ? KEY_VERSION + BIG_KEY_VERSION_OFFSET : KEY_VERSION).i32(options.objectBytes).u32(this.datime).i16(options.keyBytes).i16(options.cycle);
    if (options.isBig) buffer.i64(options.seek).i64(options.parentSeek);
    else buffer.i32(options.seek).i32(options.parentSeek);
    buffer.tstring(options.className).tstring(options.name).tstring(options.title);
    return buffer;
  }

  /**
   * Appends a TBasket record: the key (always 64-bit, as ROOT writes baskets), the TBasket header that `basketHeader`
   * writes (its length is part of fKeylen), and the payload compressed with the file's settings.
   */
  appendBasket(options: { branchName: string; treeName: string; cycle: number; basketHeaderBytes: number; basketHeader: (buffer: RootWriteBuffer) => void; payload: Uint8Array }): WrittenKey {
    this.assertOpen();
    const keyBytes = keyHeaderBytes(true, 'TBasket', options.branchName, options.treeName) + options.basketHeaderBytes;
    const stored = this.compress(options.payload);
    const seek = this.end;
    const totalBytes = keyBytes + stored.length;
    // TBasket::WriteBuffer sets the key's cycle to the basket's number (a 16-bit field).
    const cycle = ((options.cycle + 0x8000) & 0xffff) - 0x8000;
    const header = this.keyHeader({ isBig: true, totalBytes, objectBytes: options.payload.length, keyBytes, cycle, seek, parentSeek: BEGIN, className: 'TBasket', name: options.branchName, title: options.treeName }, totalBytes);
    options.basketHeader(header);
    if (header.length !== keyBytes) throw new AppError('INTERNAL', `basket header of ${options.branchName} is ${header.length} bytes, expected ${keyBytes}.`);
    // One write per basket: key and payload together.
    header.raw(stored);
    this.append(header.view8());
    return { seek, totalBytes, keyBytes, objectBytes: options.payload.length };
  }

  /**
   * Appends an object under a new key of the top directory, or of the subdirectory `directory` (`dir/sub`, made on
   * first use), listed in that directory's keys list. `serialize` receives the key length, which ROOT's object and
   * class tags count from, and returns the object's bytes. Objects from 256 bytes on are compressed, as TKey does.
   */
  appendObject(className: string, name: string, title: string, serialize: (keyBytes: number) => Uint8Array, directory?: string): WrittenKey {
    this.assertOpen();
    const parent = directory ? this.makeDirectory(directory) : null;
    const cycles = parent?.cycles ?? this.cycles;
    const cycle = (cycles.get(name) ?? 0) + 1;
    cycles.set(name, cycle);
    return this.appendKey(className, name, title, cycle, serialize, true, true, parent);
  }

  /**
   * Appends bytes as they are under an unlisted `RBlob` key (of `directory`, if given), the way RNTuple stores its
   * pages and envelopes (which find them by offset, not by key). The bytes are not compressed here: RNTuple
   * compresses them itself.
   */
  appendBlob(payload: Uint8Array, directory?: string): WrittenKey {
    this.assertOpen();
    return this.appendKey('RBlob', '', '', 1, () => payload, false, false, directory ? this.makeDirectory(directory) : null);
  }

  /**
   * The subdirectory at `path` (`dir/sub`), made with its parents if new: a `TDirectory` key listed in its parent,
   * whose 60-byte record (TDirectoryFile::Sizeof) is written now and rewritten at close with its keys list's place.
   */
  private makeDirectory(path: string): Subdirectory {
    const known = this.subdirectories.get(path);
    if (known) return known;
    const names = path.split('/');
    if (names.some((n) => n === '' || n.includes(';'))) throw new AppError('BAD_REQUEST', `directory "${path}" must be names separated by "/", without empty names or ";".`, { found: path });
    const parent = names.length > 1 ? this.makeDirectory(names.slice(0, -1).join('/')) : null;
    const name = names[names.length - 1] as string;
    const parentCycles = parent?.cycles ?? this.cycles;
    if (parentCycles.has(name)) throw new AppError('BAD_REQUEST', `"${path}" already names an object; a directory needs a name of its own.`, { found: path });
    parentCycles.set(name, 1);
    const written = this.appendKey('TDirectory', name, '', 1, () => new Uint8Array(DIRECTORY_RECORD_BYTES), true, false, parent);
    const directory: Subdirectory = { path, name, seek: written.seek, keyBytes: written.keyBytes, parentSeek: parent?.seek ?? BEGIN, keys: [], cycles: new Map() };
    this.subdirectories.set(path, directory);
    return directory;
  }

  private appendKey(className: string, name: string, title: string, cycle: number, serialize: (keyBytes: number) => Uint8Array, listed: boolean, compress = true, directory: Subdirectory | null = null): WrittenKey {
    const seek = this.end;
    const isBig = RootFileWriter.isBigKeyAt(seek);
    const keyBytes = keyHeaderBytes(isBig, className, name, title);
    const object = serialize(keyBytes);
    const stored = compress && object.length >= MIN_COMPRESSED_OBJECT_BYTES ? this.compress(object) : object;
    const totalBytes = keyBytes + stored.length;
    const header = this.keyHeader({ isBig, totalBytes, objectBytes: object.length, keyBytes, cycle, seek, parentSeek: directory?.seek ?? BEGIN, className, name, title });
    this.append(header.view8());
    this.append(stored);
    if (listed) (directory?.keys ?? this.keys).push({ className, name, title, cycle, header: header.toBytes() });
    return { seek, totalBytes, keyBytes, objectBytes: object.length };
  }

  /** The keys list of a directory: the key of the list itself, the number of keys, then each key's header. */
  private appendKeysList(className: string, name: string, title: string, keys: readonly KeyRecord[], directory: Subdirectory | null): WrittenKey {
    return this.appendKey(
      className,
      name,
      title,
      1,
      () => {
        const buffer = new RootWriteBuffer(0, 64 + keys.reduce((sum, k) => sum + k.header.length, 0));
        buffer.i32(keys.length);
        for (const key of keys) buffer.raw(key.header);
        return buffer.toBytes();
      },
      false,
      false,
      directory,
    );
  }

  /** A subdirectory's record (TDirectoryFile::FillBuffer): dates, keys list size and place, its own and its parent's seek, UUID. */
  private subdirectoryRecord(directory: Subdirectory, keysList: WrittenKey, uuid: Uint8Array): Uint8Array {
    const isBig = keysList.seek > START_BIG_FILE || directory.seek > START_BIG_FILE;
    const buffer = new RootWriteBuffer(0, DIRECTORY_RECORD_BYTES);
    buffer.i16(isBig ? DIRECTORY_VERSION + 1000 : DIRECTORY_VERSION).u32(this.datime).u32(this.datime).i32(keysList.totalBytes).i32(directory.keyBytes);
    if (isBig) buffer.i64(directory.seek).i64(directory.parentSeek).i64(keysList.seek);
    else buffer.i32(directory.seek).i32(directory.parentSeek).i32(keysList.seek);
    buffer.i16(UUID_VERSION).raw(uuid);
    buffer.raw(new Uint8Array(DIRECTORY_RECORD_BYTES - buffer.length));
    return buffer.toBytes();
  }

  /**
   * Finishes the file: the keys list of each subdirectory, the StreamerInfo record (`infos`, in order), the keys
   * list of the top directory, the free segment after the end, then the directories' records and the header with
   * their final seeks. Closes the file.
   */
  close(infos: readonly { name: string; info: StreamerInfoSpec }[]): void {
    this.assertOpen();
    try {
      // Each subdirectory's keys list, then its record rewritten in place (a TDirectory key, as ROOT names TDirectoryFile's).
      const subdirectoryLists = [...this.subdirectories.values()].map((directory) => ({ directory, keysList: this.appendKeysList('TDirectory', directory.name, '', directory.keys, directory) }));
      const info = this.appendKey('TList', 'StreamerInfo', 'Doubly linked list', 1, (keyBytes) => serializeStreamerInfoList(infos, keyBytes), false);
      const keysList = this.appendKeysList('TFile', this.fileName, this.title, this.keys, null);
      // The free segment runs from the end of the file to 2 GB (or the next 1 GB step past it); its own record sits
      // just before that end, so its size (10 or 18 bytes) must be known first.
      const freeSeek = this.end;
      const isBigFreeKey = RootFileWriter.isBigKeyAt(freeSeek);
      const freeKeyBytes = keyHeaderBytes(isBigFreeKey, 'TFile', this.fileName, this.title);
      const estimateEnd = freeSeek + freeKeyBytes + 18;
      let freeLast = START_BIG_FILE;
      while (freeLast <= estimateEnd) freeLast += BIG_FILE_FREE_STEP;
      const isBigFree = freeLast > START_BIG_FILE;
      const fileEnd = freeSeek + freeKeyBytes + (isBigFree ? 18 : 10);
      const free = this.appendKey(
        'TFile',
        this.fileName,
        this.title,
        1,
        () => {
          const buffer = new RootWriteBuffer(0, 32);
          if (isBigFree) buffer.i16(FREE_VERSION + 1000).i64(fileEnd).i64(freeLast);
          else buffer.i16(FREE_VERSION).i32(fileEnd).i32(freeLast);
          return buffer.toBytes();
        },
        false,
        false,
      );
      if (this.end !== fileEnd) throw new AppError('INTERNAL', `free segment of ${this.fileName} starts at ${fileEnd} but the file ends at ${this.end}.`);
      const digest = this.hash.digest();
      const uuid = digest.subarray(0, 16);
      for (const { directory, keysList: list } of subdirectoryLists) {
        const own = createHash('sha256').update(digest).update(directory.path).digest().subarray(0, 16);
        this.writeAt(this.subdirectoryRecord(directory, list, own), directory.seek + directory.keyBytes);
      }
      this.writeAt(this.directoryRecord(keysList, uuid), BEGIN);
      this.writeAt(this.fileHeader({ info, free, uuid }), 0);
    } finally {
      this.isClosed = true;
      this.sink.close();
    }
  }

  /** Closes the file without finishing it (after an error) and removes it. */
  abort(): void {
    if (!this.isClosed) {
      this.isClosed = true;
      this.sink.close();
    }
    this.sink.remove();
  }

  private directoryRecord(keysList: WrittenKey, uuid: Uint8Array): Uint8Array {
    const objectBytes = this.directoryNameBytes - keyHeaderBytes(false, 'TFile', this.fileName, this.title) + DIRECTORY_RECORD_BYTES;
    const keyBytes = keyHeaderBytes(false, 'TFile', this.fileName, this.title);
    const buffer = this.keyHeader({ isBig: false, totalBytes: keyBytes + objectBytes, objectBytes, keyBytes, cycle: 1, seek: BEGIN, parentSeek: 0, className: 'TFile', name: this.fileName, title: this.title });
    buffer.tstring(this.fileName).tstring(this.title);
    const isBig = keysList.seek > START_BIG_FILE;
    buffer.i16(isBig ? DIRECTORY_VERSION + 1000 : DIRECTORY_VERSION).u32(this.datime).u32(this.datime).i32(keysList.totalBytes).i32(this.directoryNameBytes);
    if (isBig) buffer.i64(BEGIN).i64(0).i64(keysList.seek);
    else buffer.i32(BEGIN).i32(0).i32(keysList.seek);
    buffer.i16(UUID_VERSION).raw(uuid);
    const padding = keyBytes + objectBytes - buffer.length;
    buffer.raw(new Uint8Array(padding));
    return buffer.toBytes();
  }

  private fileHeader(parts: { info: WrittenKey; free: WrittenKey; uuid: Uint8Array }): Uint8Array {
    const isBig = this.end > START_BIG_FILE;
    const buffer = new RootWriteBuffer(0, BEGIN);
    buffer.raw(new TextEncoder().encode('root')).i32(isBig ? ROOT_FILE_VERSION + BIG_FILE_VERSION_OFFSET : ROOT_FILE_VERSION).i32(BEGIN);
    if (isBig) buffer.i64(this.end).i64(parts.free.seek);
    else buffer.i32(this.end).i32(parts.free.seek);
    buffer.i32(parts.free.totalBytes).i32(1).i32(this.directoryNameBytes).u8(isBig ? 8 : 4).i32(this.compressionCode);
    if (isBig) buffer.i64(parts.info.seek);
    else buffer.i32(parts.info.seek);
    buffer.i32(parts.info.totalBytes).i16(UUID_VERSION).raw(parts.uuid);
    buffer.raw(new Uint8Array(BEGIN - buffer.length));
    return buffer.toBytes();
  }
}
