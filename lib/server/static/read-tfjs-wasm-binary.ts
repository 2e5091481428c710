import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';

const allowed = new Set(['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']);

/** One of the three TF.js WASM binaries by name, or null for any other name (no path is ever built from input). */
export async function readTfjsWasmBinary(name: string): Promise<Buffer | null> {
  if (!allowed.has(name)) return null;
  return fs.readFile(path.resolve('node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist', name));
}
