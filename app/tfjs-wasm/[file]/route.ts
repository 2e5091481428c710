// GET /tfjs-wasm/[file]: the TF.js WASM backend binaries for the browser baseline, served from the installed package.
import { readTfjsWasmBinary } from '@/lib/server/static/read-tfjs-wasm-binary';

export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  const binary = await readTfjsWasmBinary((await params).file);
  if (!binary) return new Response('not found', { status: 404 });
  return new Response(new Uint8Array(binary), {
    headers: { 'content-type': 'application/wasm', 'cache-control': 'public, max-age=86400' },
  });
}
