import { XzReadableStream } from 'xz-decompress';

/**
 * The one module that knows how LZMA is decoded. ROOT's "XZ" chunks hold a complete .xz stream (liblzma's
 * `lzma_easy_encoder`, CRC32 check), decoded here by xz-decompress (xz-embedded compiled to WebAssembly, no
 * native code). Returns the number of bytes written into `target`; throws when the stream is corrupt, fails its
 * check, or decodes to more bytes than `target` holds.
 */
export async function decodeXzStream(stream: Uint8Array, target: Uint8Array): Promise<number> {
  const reader = new XzReadableStream(new Blob([stream as Uint8Array<ArrayBuffer>]).stream()).getReader();
  let written = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (written + value.length > target.length) {
      await reader.cancel();
      throw new RangeError(`the xz stream decodes to more than the ${target.length} bytes announced`);
    }
    target.set(value, written);
    written += value.length;
  }
  return written;
}
