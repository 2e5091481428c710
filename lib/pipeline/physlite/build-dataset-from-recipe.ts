import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { z } from 'zod';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { assertOutDirAvailable, type DatasetColumnSpec, type TestTable, type TruthTable, writeDatasetVersion } from '../datasets/write-dataset-version';
import { computeDerFeatures, DER_COLUMN_NAMES, DER_COLUMNS, FAIR_MISSING_VALUE, PRI_COLUMN_NAMES, PRI_COLUMNS, type PriColumnName } from '../features/der-features';
import { buildLepHadDisplayTable } from '../display/lep-had-display-table';
import { PIPELINE_VERSION } from '../pipeline-version';
import { createRandomStream } from '../random/random-stream';
import { openRootFile } from '../root';
import { applyDetectorSystematics } from '../systematics/detector-systematics';
import { computeLepHadFeatures, DEFAULT_LEP_HAD_SELECTION, type Jagged, PHYSLITE_LEP_HAD_BRANCHES, PHYSLITE_MET_APPROXIMATION } from './physlite-features';
import { normaliseEventWeights, parseSampleMetadataCsv, type SampleMetadata } from './sample-metadata';

const sampleSchema = z.object({
  name: z.string().min(1),
  /** PHYSLITE ROOT files (paths relative to the recipe, or http(s) URLs), holding the recipe's `tree` as a TTree or an RNTuple. */
  files: z.array(z.string().min(1)).min(1),
  label: z.union([z.literal(0), z.literal(1)]),
  /** Physics process, written as detailed_label. */
  process: z.string().min(1),
});

/** A build recipe (JSON): inputs, sample metadata, selection, features, variations, split and luminosity. */
export const recipeSchema = z.object({
  dataset: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  version: z.string().min(1).default('0.1.0'),
  title: z.string().min(1),
  description: z.string().default(''),
  /** Path of the TTree (Run 2 PHYSLITE: CollectionTree) or RNTuple (Run 3: EventData) in each file; its kind may differ between files. */
  tree: z.string().default('CollectionTree'),
  luminosityFb: z.number().positive(),
  /** CSV with dsid, cross_section_pb, k_factor, filter_efficiency, description. */
  sampleMetadata: z.string().min(1),
  samples: z.array(sampleSchema).min(1),
  features: z.literal('lep-had').default('lep-had'),
  selection: z
    .object({
      leptonPtMin: z.number(), leptonEtaMax: z.number(), tauPtMin: z.number(), tauEtaMax: z.number(), jetPtMin: z.number(), jetEtaMax: z.number(),
      overlapDeltaR: z.number(), requireOppositeCharge: z.boolean(), metJetPtMin: z.number(),
    })
    .partial()
    .default({}),
  split: z.object({ testFraction: z.number().gt(0).lt(1).default(0.3), seed: z.number().int().nonnegative().default(1) }).default({ testFraction: 0.3, seed: 1 }),
  variations: z
    .array(
      z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('parametrised'), name: z.string().min(1), tes: z.number().positive().optional(), jes: z.number().positive().optional(), softMet: z.number().nonnegative().optional(), seed: z.number().int().nonnegative().optional() }),
        z.object({ kind: z.literal('alternative-sample'), name: z.string().min(1), samples: z.array(sampleSchema).min(1) }),
      ]),
    )
    .default([]),
  /**
   * Generators such as Sherpa have negative event weights; dataset tables need weights ≥ 0. 'error' (default) stops
   * the build naming the count; 'clip-to-zero' sets them to 0 after the normalisation (Σw still includes them), which
   * biases yields and is recorded in the manifest.
   */
  negativeWeights: z.enum(['error', 'clip-to-zero']).default('error'),
  licence: z.string().default('CC0-1.0'),
  citation: z.string().default('ATLAS Collaboration, ATLAS Open Data for Research (PHYSLITE), CERN Open Data Portal.'),
});
export type BuildRecipe = z.infer<typeof recipeSchema>;

type SampleRows = {
  pri: Record<PriColumnName, number[]>;
  label: number[];
  weight: number[];
  process: string[];
  metadata: Record<string, string | number>[];
  sources: { name: string; sha256?: string; note: string }[];
};

function emptyRows(): SampleRows {
  return { pri: Object.fromEntries(PRI_COLUMN_NAMES.map((n) => [n, []])) as unknown as Record<PriColumnName, number[]>, label: [], weight: [], process: [], metadata: [], sources: [] };
}

/** A List<number> column of a record batch as values + offsets (the batch's own buffers, no copy). */
function jaggedOf(batch: RecordBatch, name: string): Jagged {
  const data = batch.getChild(name)?.data[0];
  const values = data?.children[0]?.values as ArrayLike<number> | undefined;
  if (!data || !data.valueOffsets || !values) throw new AppError('INVALID_DATASET', `branch ${name} is not a vector branch.`, { column: name });
  return { values, offsets: data.valueOffsets as Int32Array };
}

/** A flat column of a record batch as its typed array. */
function flatOf(batch: RecordBatch, name: string): ArrayLike<number> {
  const values = batch.getChild(name)?.data[0]?.values as ArrayLike<number> | undefined;
  if (!values) throw new AppError('INVALID_DATASET', `branch ${name} is missing from the batch.`, { column: name });
  return values;
}

async function sha256OfLocalFile(file: string): Promise<string | undefined> {
  if (/^https?:\/\//i.test(file)) return undefined;
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function processSamples(
  samples: BuildRecipe['samples'],
  recipe: BuildRecipe,
  resolve: (p: string) => string,
  metadataByDsid: Map<number, SampleMetadata>,
  metadataFile: string,
  progress: (m: string) => void,
  options: { jobs?: number; batchEntries?: number } = {},
): Promise<SampleRows> {
  const out = emptyRows();
  const selection = { ...DEFAULT_LEP_HAD_SELECTION, ...recipe.selection };
  for (const sample of samples) {
    type Part = { pri: Record<PriColumnName, Float32Array>; mcWeight: Float64Array; dsid: Uint32Array };
    const parts: Part[] = [];
    const sumByDsid = new Map<number, number>();
    const eventsByDsid = new Map<number, number>();
    for (const file of sample.files.map(resolve)) {
      const started = performance.now();
      const root = await openRootFile(file);
      try {
        // A TTree or an RNTuple: the same column names (RNTuple's `Container:member` reads as `Container.member`) and types.
        const tree = await root.getTable(recipe.tree);
        const names = Object.values(PHYSLITE_LEP_HAD_BRANCHES).flat();
        let selected = 0;
        let first = 0;
        // Batch by batch (TTree baskets' entry ranges, RNTuple clusters): memory holds a batch and the selected events' features, whatever the file size.
        for await (const batch of tree.readBatches({ branches: names, jobs: options.jobs, batchEntries: options.batchEntries })) {
          const four = (c: readonly string[]) => ({ pt: jaggedOf(batch, c[0] as string), eta: jaggedOf(batch, c[1] as string), phi: jaggedOf(batch, c[2] as string), charge: jaggedOf(batch, c[3] as string) });
          const b = PHYSLITE_LEP_HAD_BRANCHES;
          const features = computeLepHadFeatures({ electrons: four(b.electrons), muons: four(b.muons), taus: four(b.taus), jets: { pt: jaggedOf(batch, b.jets[0]), eta: jaggedOf(batch, b.jets[1]), phi: jaggedOf(batch, b.jets[2]) } }, selection);
          const weights = jaggedOf(batch, b.event[0]);
          const dsidColumn = flatOf(batch, b.event[1]);
          const mcWeight = new Float64Array(batch.numRows);
          for (let e = 0; e < batch.numRows; e++) {
            if ((weights.offsets[e + 1] as number) <= (weights.offsets[e] as number)) throw new AppError('INVALID_DATASET', `${root.name} entry ${first + e}: EventInfoAuxDyn.mcEventWeights is empty; is this MC?`, { file: root.name, row: first + e });
            mcWeight[e] = weights.values[weights.offsets[e] as number] as number;
            const dsid = dsidColumn[e] as number;
            sumByDsid.set(dsid, (sumByDsid.get(dsid) ?? 0) + (mcWeight[e] as number));
            eventsByDsid.set(dsid, (eventsByDsid.get(dsid) ?? 0) + 1);
          }
          parts.push({ pri: features.pri, mcWeight: Float64Array.from(features.events, (e) => mcWeight[e] as number), dsid: Uint32Array.from(features.events, (e) => dsidColumn[e] as number) });
          selected += features.events.length;
          first += batch.numRows;
        }
        const seconds = (performance.now() - started) / 1000;
        out.sources.push({ name: path.basename(file), sha256: await sha256OfLocalFile(file), note: `sample ${sample.name}: ${tree.entries} events, ${selected} selected` });
        progress(`${sample.name}: ${root.name}: ${tree.entries} events, ${selected} selected (${Math.round(tree.entries / Math.max(seconds, 1e-6))} events/s)`);
      } finally {
        await root.close();
      }
    }
    for (const [dsid, sumOfWeights] of sumByDsid) {
      const metadata = metadataByDsid.get(dsid);
      if (!metadata) {
        throw new AppError('INVALID_DATASET', `sample ${sample.name}: DSID ${dsid} (EventInfoAuxDyn.mcChannelNumber) is not in ${path.basename(metadataFile)}; add its cross-section, k-factor and filter efficiency.`, {
          file: metadataFile, column: 'dsid', found: String(dsid),
        });
      }
      out.metadata.push({ sample: sample.name, dsid, crossSectionPb: metadata.crossSectionPb, kFactor: metadata.kFactor, filterEfficiency: metadata.filterEfficiency, sumOfWeights, generatedEvents: eventsByDsid.get(dsid) ?? 0, luminosityFb: recipe.luminosityFb, description: metadata.description });
    }
    let negative = 0;
    for (const part of parts) {
      for (let i = 0; i < part.dsid.length; i++) {
        const dsid = part.dsid[i] as number;
        let w = normaliseEventWeights([part.mcWeight[i] as number], metadataByDsid.get(dsid) as SampleMetadata, recipe.luminosityFb, sumByDsid.get(dsid) as number)[0] as number;
        if (w < 0) {
          negative++;
          if (recipe.negativeWeights === 'clip-to-zero') w = 0;
        }
        for (const name of PRI_COLUMN_NAMES) out.pri[name].push(part.pri[name][i] as number);
        out.label.push(sample.label);
        out.weight.push(w);
        out.process.push(sample.process);
      }
    }
    if (negative > 0 && recipe.negativeWeights === 'error') {
      throw new AppError('INVALID_DATASET', `sample ${sample.name}: ${negative} selected events have negative weights (mcEventWeights[0] < 0); set "negativeWeights": "clip-to-zero" in the recipe to clip them to 0 (biases the yields).`, {
        column: 'mcEventWeights', found: `${negative} negative`,
      });
    }
    if (negative > 0) progress(`${sample.name}: ${negative} negative weights clipped to 0`);
  }
  return out;
}

function withDer(pri: Record<PriColumnName, Float32Array>): Record<string, Float32Array> {
  const der = computeDerFeatures(pri, FAIR_MISSING_VALUE);
  return { ...pri, ...Object.fromEntries(DER_COLUMN_NAMES.map((n) => [n, Float32Array.from(der[n])])) };
}

export type BuildDatasetFromRecipeOptions = {
  recipePath: string;
  outDir: string;
  overwrite?: boolean;
  createdAt?: string;
  /** Threads decoding ROOT baskets (default: the number of cores). */
  jobs?: number;
  /** Entries per record batch read from each file (default: about 16 MiB of the branches read). */
  batchEntries?: number;
  onProgress?: (m: string) => void;
};

/**
 * `pipeline build <recipe.json>`: a dataset version from PHYSLITE files. Every sample's files are read with the
 * columnar reader, lep-had features computed ({@link computeLepHadFeatures}), per-event weights normalised with the
 * organiser's DSID table and Σ mcEventWeights[0] over all events of the sample's files; the events are split with
 * a seeded permutation (weights ÷ (1 − f) in train and ÷ f in test, so both parts estimate the full yield).
 * Variations: `parametrised` (FAIR TES/JES/soft-MET + post-selection on the test set) and `alternative-sample`
 * (other files processed like the nominal, written as a whole as test@<name>).
 */
export async function buildDatasetFromRecipe(options: BuildDatasetFromRecipeOptions): Promise<DatasetManifest> {
  const progress = options.onProgress ?? (() => {});
  let json: unknown;
  try {
    json = JSON.parse(await fs.promises.readFile(options.recipePath, 'utf8'));
  } catch (cause) {
    throw new AppError('BAD_REQUEST', `Cannot read recipe ${options.recipePath}: ${cause instanceof Error ? cause.message : String(cause)}.`, { file: options.recipePath }, { cause });
  }
  const parsed = recipeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('BAD_REQUEST', `Recipe ${path.basename(options.recipePath)}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}.`, { file: options.recipePath, column: issue?.path.join('.') });
  }
  const recipe = parsed.data;
  assertOutDirAvailable(options.outDir, options.overwrite === true);
  const baseDir = path.dirname(path.resolve(options.recipePath));
  const resolve = (p: string) => (/^https?:\/\//i.test(p) ? p : path.resolve(baseDir, p));
  const metadataFile = resolve(recipe.sampleMetadata);
  const metadataByDsid = parseSampleMetadataCsv(await fs.promises.readFile(metadataFile, 'utf8'), path.basename(metadataFile));

  const nominal = await processSamples(recipe.samples, recipe, resolve, metadataByDsid, metadataFile, progress, { jobs: options.jobs, batchEntries: options.batchEntries });
  const n = nominal.label.length;
  const yields = { signal: 0, background: 0 };
  nominal.label.forEach((l, i) => (l === 1 ? (yields.signal += nominal.weight[i] as number) : (yields.background += nominal.weight[i] as number)));
  if (!(yields.signal > 0 && yields.background > 0)) {
    throw new AppError('INVALID_DATASET', `The selection keeps signal weight ${yields.signal} and background weight ${yields.background}; a dataset needs both (check the samples' labels and the selection).`);
  }
  const { testFraction, seed } = recipe.split;
  const nTest = Math.round(testFraction * n);
  if (nTest < 1 || nTest >= n) throw new AppError('INVALID_DATASET', `${n} selected events cannot be split with testFraction ${testFraction}: train and test each need at least one event.`);
  const order = createRandomStream(seed, `${recipe.dataset}/split`).permutation(n);
  const testRows = order.subarray(0, nTest);
  const trainRows = order.subarray(nTest);
  const priOf = (rows: ArrayLike<number>) => Object.fromEntries(PRI_COLUMN_NAMES.map((name) => [name, Float32Array.from(rows, (r) => nominal.pri[name][r] as number)])) as Record<PriColumnName, Float32Array>;
  const testIds = Int32Array.from({ length: nTest }, (_, i) => i);
  const testWeight = Float64Array.from(testRows, (r) => (nominal.weight[r] as number) / testFraction);
  const testLabel = Uint8Array.from(testRows, (r) => nominal.label[r] as number);
  const testPri = priOf(testRows);

  const variations: { name: string; test: TestTable; truth: TruthTable }[] = [];
  let nextId = nTest;
  for (const variation of recipe.variations) {
    if (variation.kind === 'parametrised') {
      const result = applyDetectorSystematics(testPri, variation);
      const ids = Int32Array.from(result.keptRows, (k) => testIds[k] as number);
      variations.push({ name: variation.name, test: { id: ids, features: { ...result.pri, ...result.der } }, truth: { id: ids, label: Uint8Array.from(result.keptRows, (k) => testLabel[k] as number), weight: Float64Array.from(result.keptRows, (k) => testWeight[k] as number) } });
    } else {
      const rows = await processSamples(variation.samples, recipe, resolve, metadataByDsid, metadataFile, progress, { jobs: options.jobs, batchEntries: options.batchEntries });
      const all = Int32Array.from({ length: rows.label.length }, (_, i) => i);
      const pri = Object.fromEntries(PRI_COLUMN_NAMES.map((name) => [name, Float32Array.from(rows.pri[name])])) as Record<PriColumnName, Float32Array>;
      const ids = Int32Array.from(all, (i) => nextId + i);
      nextId += all.length;
      nominal.sources.push(...rows.sources.map((s) => ({ ...s, note: `variation ${variation.name}: ${s.note}` })));
      nominal.metadata.push(...rows.metadata.map((m) => ({ ...m, variation: variation.name })));
      variations.push({ name: variation.name, test: { id: ids, features: withDer(pri) }, truth: { id: ids, label: Uint8Array.from(rows.label), weight: Float64Array.from(rows.weight) } });
    }
    progress(`variation ${variation.name}: ${variations.at(-1)?.test.id.length} test events`);
  }

  const trainIds = Int32Array.from({ length: n - nTest }, (_, i) => i);
  const trainFeatures = withDer(priOf(trainRows));
  const featureColumns: DatasetColumnSpec[] = [...PRI_COLUMNS, ...DER_COLUMNS].map((c) => (c.name === 'PRI_met' ? { ...c, description: `Missing transverse momentum (approximation): ${PHYSLITE_MET_APPROXIMATION}` } : c));
  return writeDatasetVersion({
    outDir: options.outDir,
    overwrite: options.overwrite,
    onProgress: progress,
    writeParquet: true,
    featureColumns,
    variations,
    manifest: {
      dataset: recipe.dataset,
      version: recipe.version,
      title: recipe.title,
      isToy: false,
      createdAt: options.createdAt ?? new Date().toISOString(),
      pipelineVersion: PIPELINE_VERSION,
      description: `${recipe.description ? `${recipe.description} ` : ''}Built from ATLAS PHYSLITE with the lepton + hadronic-tau selection (HiggsML-style features in GeV). ${PHYSLITE_MET_APPROXIMATION} Weights: mcEventWeights[0] · σ · k · ε_filter · L / Σ mcEventWeights[0] at ${recipe.luminosityFb} fb⁻¹.`,
      licence: recipe.licence,
      citation: recipe.citation,
      sources: nominal.sources,
      recipe: { ...recipe, selection: { ...DEFAULT_LEP_HAD_SELECTION, ...recipe.selection }, metApproximation: PHYSLITE_MET_APPROXIMATION },
      luminosityFb: recipe.luminosityFb,
      expectedYields: yields,
      fixedSplitColumn: null,
      missingValue: FAIR_MISSING_VALUE,
      sampleMetadata: nominal.metadata,
      variations: recipe.variations.map((v) =>
        v.kind === 'parametrised'
          ? { name: v.name, kind: 'parametrised' as const, description: 'FAIR-Universe TES/JES/soft-MET on the test set, then the post-selection.', parameters: { tes: v.tes ?? 1, jes: v.jes ?? 1, softMet: v.softMet ?? 0 } }
          : { name: v.name, kind: 'alternative-sample' as const, description: `Alternative samples ${v.samples.map((s) => s.name).join(', ')} processed like the nominal.` },
      ),
    },
    train: {
      eventId: trainIds,
      features: trainFeatures,
      label: Uint8Array.from(trainRows, (r) => nominal.label[r] as number),
      weight: Float64Array.from(trainRows, (r) => (nominal.weight[r] as number) / (1 - testFraction)),
      detailedLabel: Array.from(trainRows, (r) => nominal.process[r] as string),
    },
    test: { id: testIds, features: withDer(testPri) },
    truth: { id: testIds, label: testLabel, weight: testWeight },
    display: buildLepHadDisplayTable(trainIds, trainFeatures, FAIR_MISSING_VALUE),
  });
}
