import { importFairUniverseParquet } from '@/lib/pipeline/importers/fair-universe-parquet';
import { importHiggsml2014Csv } from '@/lib/pipeline/importers/higgsml-2014-csv';
import { sha256OfFile } from '@/lib/pipeline/io/sha256-of-file';

/**
 * The floor of `bench/importers.ts`: a child that starts like the pipeline CLI (tsx, the importer modules, h5wasm with
 * `--h5wasm`) and reads every input once (sha256), without importing anything.
 */
async function main() {
  const args = process.argv.slice(2);
  void importFairUniverseParquet;
  void importHiggsml2014Csv;
  if (args.includes('--h5wasm')) {
    const { default: h5wasm } = await import('h5wasm/node');
    await h5wasm.ready;
  }
  for (const file of args.filter((a) => !a.startsWith('--'))) await sha256OfFile(file);
}

void main();
