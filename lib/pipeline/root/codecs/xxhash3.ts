/**
 * XXH3-64 (seed 0), the checksum RNTuple stores after its anchor, every envelope and, optionally, every page.
 * The one module that imports hash-wasm (a WebAssembly build of the reference xxHash); loaded once per thread.
 */
import { createXXHash3 } from 'hash-wasm';

export type Xxh3 = (bytes: Uint8Array) => bigint;

let loading: Promise<Xxh3> | null = null;

/** Resolves to a synchronous XXH3-64 function (the WebAssembly module is compiled on first use). */
export function loadXxh3(): Promise<Xxh3> {
  loading ??= createXXHash3(0, 0).then((hasher) => (bytes: Uint8Array) => {
    hasher.init();
    hasher.update(bytes);
    const digest = hasher.digest('binary');
    return new DataView(digest.buffer, digest.byteOffset, 8).getBigUint64(0, false);
  });
  return loading;
}
