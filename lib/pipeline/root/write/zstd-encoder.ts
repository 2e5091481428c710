/**
 * The one module that imports the ZSTD compressor (@bokuweb/zstd-wasm: the reference zstd library compiled to
 * WebAssembly; Node 20's zlib has no zstd).
 */
import { compress, init } from '@bokuweb/zstd-wasm';

export type ZstdEncoder = (input: Uint8Array, level: number) => Uint8Array;

let loading: Promise<ZstdEncoder> | null = null;

/** Loads the WebAssembly module once and returns a synchronous "compress into one zstd frame" function. */
export function loadZstdEncoder(): Promise<ZstdEncoder> {
  loading ??= init().then(() => (input: Uint8Array, level: number) => compress(input, level));
  return loading;
}
