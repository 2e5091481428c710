import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { DISPLAY_SAMPLE_LIMIT } from '@/lib/shared/display/display-objects';
import { type DatasetVersionWriter, openDatasetVersionWriter } from '../datasets/dataset-version-writer';
import type { PriColumns } from '../features/der-features';
import { PIPELINE_VERSION } from '../pipeline-version';
import { createRandomStream } from '../random/random-stream';
import { applyDetectorSystematics, createSoftMetStreams } from '../systematics/detector-systematics';
import { type BuildPlan, type PlanPart } from './build-plan';
import { FAIR_PRI_FEATURES, type Recipe, type RecipeVariation } from './define-recipe';
import { type DsidTable, readDsidTable } from './dsid-table';
import { type PartColumns, readPartTable } from './part-table';
import { RowScatter } from './row-scatter';
import { calibrationVariations, keepsEventWeights, type PartSummary, partColumns, partDirName, readPartSummary, WEIGHT_COLUMNS } from './run-build-part';
import type { SampleMetadata } from './sample-metadata';

/** Where the Σw of a DSID came from. */
export type SumOfWeightsSource = 'bookkeeping' | 'table' | 'events-read';

type Normalisation = { dsid: number; scale: number; sumOfWeights: number; source: SumOfWeightsSource; detail: string; eventsRead: number; generatedEvents: number };
type SampleGroup = { sample: string; sampleIndex: number; label: 0 | 1; process: string; parts: PlanPart[]; variation: string | null };

export type MergeBuildPartsOptions = {
  plan: BuildPlan;
  recipe: Recipe;
  partsDir: string;
  outDir: string;
  overwrite?: boolean;
  createdAt?: string;
  /** Folder for the merge's scratch files (default: beside the parts). */
  scratchDir?: string;
  /** Rows per scratch bucket of the reordering (default 65,536); tests make it small to cross bucket boundaries. */
  bucketRows?: number;
  /**
   * Threads that encode the version's files while this thread orders the rows (default 1; 2 shares the formats of
   * every table out between two threads). The bytes do not depend on it.
   */
  writerThreads?: number;
  onProgress?: (message: string) => void;
};

function groupsOf(parts: readonly PlanPart[], variation: string | null): SampleGroup[] {
  const groups: SampleGroup[] = [];
  for (const part of parts) {
    if (part.variation !== variation) continue;
    let group = groups.find((g) => g.sampleIndex === part.sampleIndex);
    if (!group) {
      group = { sample: part.sample, sampleIndex: part.sampleIndex, label: part.label, process: part.process, parts: [], variation };
      groups.push(group);
    }
    group.parts.push(part);
  }
  return groups;
}

/**
 * Σw and the weight scale σ·k·ε·L/Σw of every DSID of a sample: from the files' CutBookkeepers when every file of the
 * DSID has them, else from the table's sum_of_weights, else (when the recipe allows it) from every event read; never
 * from the selected events. Then the negative-weight check.
 */
function normaliseSample(group: SampleGroup, summaries: readonly PartSummary[], table: DsidTable, recipe: Recipe, partsDir: string): Normalisation[] {
  const order: number[] = [];
  const filesOf = new Map<number, PartSummary[]>();
  for (const part of group.parts) {
    const summary = summaries[part.index] as PartSummary;
    const dsids = summary.dsids.map((d) => d.dsid);
    if (dsids.length === 0 && summary.bookkeeping?.dsid) dsids.push(summary.bookkeeping.dsid);
    if (summary.bookkeeping && dsids.length > 1) {
      throw new AppError('INVALID_DATASET', `${summary.fileName} holds events of DSIDs ${dsids.join(', ')} but one set of CutBookkeepers; its Σw cannot be shared out between them.`, { file: summary.file });
    }
    for (const dsid of dsids) {
      if (!filesOf.has(dsid)) {
        filesOf.set(dsid, []);
        order.push(dsid);
      }
      filesOf.get(dsid)?.push(summary);
    }
  }
  const out: Normalisation[] = [];
  for (const dsid of order) {
    const metadata = table.rows.get(dsid) as SampleMetadata;
    if (!metadata) {
      throw new AppError('INVALID_DATASET', `sample ${group.sample}: DSID ${dsid} (from the files' metadata) is not in ${table.name}; add its cross-section, k-factor and filter efficiency.`, { file: table.name, column: 'dsid', found: String(dsid) });
    }
    const files = filesOf.get(dsid) as PartSummary[];
    const eventsRead = files.reduce((s, f) => s + (f.dsids.find((d) => d.dsid === dsid)?.events ?? 0), 0);
    const withBookkeeping = files.filter((f) => f.bookkeeping);
    let sumOfWeights: number;
    let source: SumOfWeightsSource;
    let detail: string;
    let generatedEvents = eventsRead;
    if (withBookkeeping.length === files.length) {
      sumOfWeights = 0;
      generatedEvents = 0;
      for (const f of files) {
        sumOfWeights += f.bookkeeping?.sumOfEventWeights as number;
        generatedEvents += f.bookkeeping?.acceptedEvents as number;
      }
      source = 'bookkeeping';
      detail = `${files[0]?.bookkeeping?.source} summed over ${files.length} file(s)`;
    } else if (metadata.sumOfWeights !== undefined) {
      sumOfWeights = metadata.sumOfWeights;
      source = 'table';
      detail = `sum_of_weights of ${table.name}${withBookkeeping.length > 0 ? ` (only ${withBookkeeping.length} of ${files.length} files carry CutBookkeepers)` : ''}`;
    } else if (keepsEventWeights(recipe)) {
      // The recipe says these files are whole samples: Σ of the weight of every event read, in file and event order.
      sumOfWeights = 0;
      for (const f of files) {
        for (const chunk of readPartTable(path.join(partsDir, partDirName(f.index), 'weights.bin'), WEIGHT_COLUMNS)) {
          const d = chunk.columns._dsid as Int32Array;
          const w = chunk.columns._mcWeight as Float64Array;
          for (let i = 0; i < chunk.rows; i++) if (d[i] === dsid) sumOfWeights += w[i] as number;
        }
      }
      source = 'events-read';
      detail = `Σ mcEventWeights[0] over all ${eventsRead} events read (the recipe's sumOfWeightsFallback: the files are taken to be whole, unskimmed samples)`;
    } else {
      const missing = files.filter((f) => !f.bookkeeping).map((f) => f.fileName);
      throw new AppError('INVALID_DATASET', `sample ${group.sample}: DSID ${dsid} has no Σw: ${missing.join(', ')} carr${missing.length === 1 ? 'ies' : 'y'} no CutBookkeepers (MetaData tree) and ${table.name} gives no sum_of_weights for it; add sum_of_weights (Σ of mcEventWeights[0] over all generated events) to the table.`, {
        file: table.name, column: 'sum_of_weights', found: String(dsid),
      });
    }
    if (!(sumOfWeights !== 0 && Number.isFinite(sumOfWeights))) {
      throw new AppError('INVALID_DATASET', `DSID ${dsid}: the sum of mcEventWeights[0] is ${sumOfWeights}; cannot normalise.`, { column: 'mcEventWeights' });
    }
    const scale = (metadata.crossSectionPb * metadata.kFactor * metadata.filterEfficiency * recipe.luminosityFb * 1000) / sumOfWeights;
    out.push({ dsid, scale, sumOfWeights, source, detail, eventsRead, generatedEvents });
  }
  let negative = 0;
  for (const part of group.parts) {
    for (const d of (summaries[part.index] as PartSummary).dsids) {
      const n = out.find((o) => o.dsid === d.dsid) as Normalisation;
      negative += n.scale > 0 ? d.negativeRows : d.positiveRows;
    }
  }
  if (negative > 0 && recipe.weights.negative === 'error') {
    throw new AppError('INVALID_DATASET', `sample ${group.sample}: ${negative} selected events have negative weights (mcEventWeights[0] < 0); set "negativeWeights": "clip-to-zero" in the recipe to clip them to 0 (biases the yields).`, {
      column: 'mcEventWeights', found: `${negative} negative`,
    });
  }
  return out;
}

type WeightedGroup = SampleGroup & { normalisation: Normalisation[] };

/** The normalised weight of each row of a chunk (clipped at 0 when the recipe says so). */
function weightsOf(chunk: PartColumns, rows: number, group: WeightedGroup, recipe: Recipe): Float64Array {
  const dsid = chunk._dsid as Int32Array;
  const mc = chunk._mcWeight as Float64Array;
  const out = new Float64Array(rows);
  let last = -1;
  let scale = 0;
  for (let i = 0; i < rows; i++) {
    if (dsid[i] !== last) {
      last = dsid[i] as number;
      scale = (group.normalisation.find((n) => n.dsid === last) as Normalisation).scale;
    }
    let w = (mc[i] as number) * scale;
    if (w < 0 && recipe.weights.negative === 'clip-to-zero') w = 0;
    out[i] = w;
  }
  return out;
}

function featuresOf(recipe: Recipe, chunk: PartColumns): Record<string, Float32Array | Float64Array | Int32Array> {
  return Object.fromEntries(recipe.featureColumns.map((c) => [c.name, chunk[c.name] as Float32Array]));
}

function* partChunks(partsDir: string, part: PlanPart, table: string, recipe: Recipe, isVariation: boolean): Generator<{ rows: number; columns: PartColumns }> {
  const file = path.join(partsDir, partDirName(part.index), table);
  if (!fs.existsSync(file)) return;
  yield* readPartTable(file, partColumns(recipe, isVariation));
}

function variationEntry(v: RecipeVariation): NonNullable<DatasetManifest['variations']>[number] {
  switch (v.kind) {
    case 'alternative-sample':
      return { name: v.name, kind: 'alternative-sample', description: `Alternative samples ${v.samples.map((s) => s.name).join(', ')} processed like the nominal.` };
    case 'fair-systematics':
      return { name: v.name, kind: 'parametrised', description: 'FAIR-Universe TES/JES/soft-MET on the test set, then the post-selection.', parameters: { tes: v.tes ?? 1, jes: v.jes ?? 1, softMet: v.softMet ?? 0 } };
    case 'scale':
      return { name: v.name, kind: 'parametrised', description: `${v.collection} ${(v.fields ?? ['pt', 'm', 'e']).join('/')} scaled by ${v.factor}, then the same object and event selection and features on the test events.`, parameters: { factor: v.factor } };
    case 'resolution':
      return { name: v.name, kind: 'parametrised', description: `${v.collection} ${(v.fields ?? ['pt', 'm', 'e']).join('/')} smeared by 1 + N(0, ${v.sigma}) per object (seed ${v.seed}), then the same selection and features on the test events.`, parameters: { sigma: v.sigma, seed: v.seed } };
    case 'soft-met':
      return { name: v.name, kind: 'parametrised', description: `N(0, ${v.sigmaGeV} GeV) added to each missing-transverse-momentum component per event (seed ${v.seed}), then the same selection and features on the test events.`, parameters: { sigmaGeV: v.sigmaGeV, seed: v.seed } };
  }
}

/** The recipe as the manifest records it: everything declared, functions by name only. */
export function describeRecipe(recipe: Recipe, plan: BuildPlan): Record<string, unknown> {
  return {
    name: recipe.name,
    source: plan.recipe.kind === 'builtin' ? `recipes/${plan.recipe.name}/recipe.ts` : path.basename(plan.recipe.path),
    sha256: plan.recipeSha256,
    dataset: recipe.dataset,
    version: recipe.version,
    title: recipe.title,
    tree: recipe.tree,
    luminosityFb: recipe.luminosityFb,
    samples: recipe.samples,
    dsidTable: typeof recipe.dsidTable === 'string' ? recipe.dsidTable : recipe.dsidTable,
    sumOfWeightsFallback: recipe.sumOfWeightsFallback,
    collections: Object.fromEntries(Object.entries(recipe.collections).map(([name, c]) => [name, { branch: c.branch, fields: c.fields, select: { ...c.select, where: c.select.where ? 'custom' : undefined } }])),
    eventBranches: recipe.eventBranches,
    overlapRemoval: recipe.overlapRemoval,
    rows: recipe.rows,
    features: recipe.featureColumns.map((c) => c.name),
    split: recipe.split,
    weights: recipe.weights,
    variations: recipe.variations,
    notes: recipe.notes,
    parameters: recipe.parameters,
    files: plan.parts.length,
  };
}

/**
 * Merges the parts of a build into a dataset version, streaming: Σw per DSID and sample, weights, the seeded split
 * (a permutation of all selected rows: the first testFraction are the test set, ids in that order), the variations,
 * the display table, and every file of the version batch by batch through the dataset writer. The result depends only
 * on the plan and the parts, so a build on one thread, on N threads or across machines gives the same bytes.
 */
export async function mergeBuildParts(options: MergeBuildPartsOptions): Promise<DatasetManifest> {
  const { plan, recipe, partsDir } = options;
  const progress = options.onProgress ?? (() => {});
  const summaries = plan.parts.map((part) => {
    const summary = readPartSummary(path.join(partsDir, partDirName(part.index)));
    if (!summary) throw new AppError('INTERNAL', `Part ${part.index} (${part.file}) of the build of ${plan.dataset} is missing; it must be built before the merge.`, { file: part.file });
    return summary;
  });
  const table = readDsidTable(recipe, plan.dsidTableFile);
  const scratch = options.scratchDir ?? path.join(partsDir, '..', `merge-scratch`);
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  let writer: DatasetVersionWriter | null = null;
  try {
    const nominal: WeightedGroup[] = groupsOf(plan.parts, null).map((g) => ({ ...g, normalisation: normaliseSample(g, summaries, table, recipe, partsDir) }));
    // Yields over the selected rows (natural order), before the split.
    const yields = { signal: 0, background: 0 };
    let n = 0;
    for (const group of nominal) {
      for (const part of group.parts) {
        for (const chunk of partChunks(partsDir, part, 'nominal.bin', recipe, false)) {
          const w = weightsOf(chunk.columns, chunk.rows, group, recipe);
          for (let i = 0; i < chunk.rows; i++) {
            if (group.label === 1) yields.signal += w[i] as number;
            else yields.background += w[i] as number;
          }
          n += chunk.rows;
        }
      }
    }
    if (!(yields.signal > 0 && yields.background > 0)) {
      throw new AppError('INVALID_DATASET', `The selection keeps signal weight ${yields.signal} and background weight ${yields.background}; a dataset needs both (check the samples' labels and the selection).`);
    }
    const { testFraction, seed } = recipe.split;
    const nTest = Math.round(testFraction * n);
    if (nTest < 1 || nTest >= n) throw new AppError('INVALID_DATASET', `${n} selected events cannot be split with testFraction ${testFraction}: train and test each need at least one event.`);
    const nTrain = n - nTest;
    const alternatives = recipe.variations.filter((v) => v.kind === 'alternative-sample').map((v) => ({ variation: v, groups: groupsOf(plan.parts, v.name).map((g) => ({ ...g, normalisation: normaliseSample(g, summaries, table, recipe, partsDir) })) }));

    // Position of every selected row: its place in the seeded permutation.
    const order = createRandomStream(seed, `${recipe.dataset}/split`).permutation(n);
    const positionOf = new Int32Array(n);
    for (let i = 0; i < n; i++) positionOf[order[i] as number] = i;
    const processes = [...new Set(plan.parts.filter((p) => p.group === 'nominal').map((p) => p.process))];
    const firstTrainPosition = new Array<number>(processes.length).fill(Infinity);
    const carried = [...recipe.featureColumns.map((c) => ({ name: c.name, type: c.type })), { name: '_weight', type: 'float64' as const }, { name: '_label', type: 'int32' as const }, { name: '_process', type: 'int32' as const }];
    const testScatter = new RowScatter(scratch, 'test', carried, nTest, options.bucketRows);
    const trainScatter = new RowScatter(scratch, 'train', carried, nTrain, options.bucketRows);
    const nominalOffset = new Map<number, number>();
    let global = 0;
    for (const group of nominal) {
      const processIndex = processes.indexOf(group.process);
      for (const part of group.parts) {
        nominalOffset.set(part.index, global);
        for (const chunk of partChunks(partsDir, part, 'nominal.bin', recipe, false)) {
          const testPositions = new Int32Array(chunk.rows);
          const trainPositions = new Int32Array(chunk.rows);
          for (let i = 0; i < chunk.rows; i++) {
            const position = positionOf[global + i] as number;
            testPositions[i] = position < nTest ? position : -1;
            trainPositions[i] = position >= nTest ? position - nTest : -1;
            if (position >= nTest && position < (firstTrainPosition[processIndex] as number)) firstTrainPosition[processIndex] = position;
          }
          const columns: PartColumns = { ...chunk.columns, _weight: weightsOf(chunk.columns, chunk.rows, group, recipe), _label: new Int32Array(chunk.rows).fill(group.label), _process: new Int32Array(chunk.rows).fill(processIndex) };
          testScatter.add(testPositions, columns, chunk.rows);
          trainScatter.add(trainPositions, columns, chunk.rows);
          global += chunk.rows;
        }
      }
    }
    const trainProcesses = processes.map((p, i) => ({ p, first: firstTrainPosition[i] as number })).filter((x) => Number.isFinite(x.first)).sort((a, b) => a.first - b.first).map((x) => x.p);

    const sampleMetadata: Record<string, string | number>[] = [];
    const addMetadata = (groups: WeightedGroup[], variation: string | null) => {
      for (const g of groups) {
        for (const norm of g.normalisation) {
          const m = table.rows.get(norm.dsid) as SampleMetadata;
          sampleMetadata.push({
            sample: g.sample, dsid: norm.dsid, crossSectionPb: m.crossSectionPb, kFactor: m.kFactor, filterEfficiency: m.filterEfficiency, sumOfWeights: norm.sumOfWeights,
            sumOfWeightsSource: norm.source, sumOfWeightsDetail: norm.detail, generatedEvents: norm.generatedEvents, eventsRead: norm.eventsRead, luminosityFb: recipe.luminosityFb, description: m.description,
            ...(variation ? { variation } : {}),
          });
        }
      }
    };
    addMetadata(nominal, null);
    for (const a of alternatives) addMetadata(a.groups, a.variation.name);
    const sourceOf = (part: PlanPart) => {
      const s = summaries[part.index] as PartSummary;
      const rows = recipe.rows === 'events' ? '' : `, ${s.rows} rows (${recipe.rows.objects})`;
      const note = `sample ${part.sample}: ${s.entries} events, ${s.selectedEvents} selected${rows}`;
      return { name: s.fileName, sha256: s.sha256, note: part.variation ? `variation ${part.variation}: ${note}` : note };
    };
    const sumSources = [...new Set(sampleMetadata.map((m) => m.sumOfWeightsSource))].join(', ');
    const description = `${recipe.description ? `${recipe.description} ` : ''}${recipe.notes.length > 0 ? `${recipe.notes.join(' ')} ` : ''}Weights: mcEventWeights[0] · σ · k · ε_filter · L / Σw at ${recipe.luminosityFb} fb⁻¹, Σw from ${sumSources} (per DSID in sampleMetadata).`;
    writer = await openDatasetVersionWriter({
      outDir: options.outDir,
      overwrite: options.overwrite,
      onProgress: progress,
      writeParquet: true,
      threads: options.writerThreads ?? 1,
      featureColumns: recipe.featureColumns.map((c) => ({ name: c.name, unit: c.unit, description: c.description })),
      featureType: (name) => recipe.featureColumns.find((c) => c.name === name)?.type ?? 'float32',
      detailedLabels: { values: trainProcesses, rows: nTrain },
      variations: recipe.variations.map((v) => v.name),
      manifest: {
        dataset: recipe.dataset,
        version: recipe.version,
        title: recipe.title,
        isToy: false,
        createdAt: options.createdAt ?? new Date().toISOString(),
        pipelineVersion: PIPELINE_VERSION,
        description,
        licence: recipe.licence,
        citation: recipe.citation,
        sources: plan.parts.map(sourceOf),
        recipe: describeRecipe(recipe, plan),
        luminosityFb: recipe.luminosityFb,
        expectedYields: yields,
        fixedSplitColumn: null,
        missingValue: recipe.missingValue,
        sampleMetadata,
        variations: recipe.variations.map(variationEntry),
      },
    });

    // Test rows in permutation order (ids 0…nTest−1), with the FAIR-Universe variations applied chunk by chunk.
    const fair = recipe.variations.filter((v): v is Extract<RecipeVariation, { kind: 'fair-systematics' }> => v.kind === 'fair-systematics');
    const fairStreams = fair.map((v) => ((v.softMet ?? 0) > 0 ? createSoftMetStreams(v.seed, nTest, v.softMet as number) : undefined));
    const featureNames = new Set(recipe.featureColumns.map((c) => c.name));
    for (const chunk of testScatter.emit()) {
      const features = featuresOf(recipe, chunk.columns);
      const label = Uint8Array.from(chunk.columns._label as Int32Array);
      const weight = Float64Array.from(chunk.columns._weight as Float64Array, (w) => w / testFraction);
      await writer.appendTest({ id: chunk.positions, features, label, weight });
      for (let v = 0; v < fair.length; v++) {
        const variation = fair[v] as Extract<RecipeVariation, { kind: 'fair-systematics' }>;
        const pri = Object.fromEntries(FAIR_PRI_FEATURES.map((name) => [name, features[name]])) as unknown as PriColumns;
        const result = applyDetectorSystematics(pri, { tes: variation.tes, jes: variation.jes, softMet: variation.softMet, seed: variation.seed, softMetStreams: fairStreams[v] });
        const kept = result.keptRows;
        const varied: Record<string, Float32Array | Float64Array | Int32Array> = {};
        for (const c of recipe.featureColumns) {
          const fromSystematics = (result.pri as Record<string, Float32Array>)[c.name] ?? (result.der as Record<string, Float32Array>)[c.name];
          varied[c.name] = fromSystematics ?? Float32Array.from(kept, (k) => (features[c.name] as Float32Array)[k] as number);
        }
        for (const name of Object.keys(varied)) if (!featureNames.has(name)) delete varied[name];
        await writer.appendVariation(variation.name, { id: Int32Array.from(kept, (k) => chunk.positions[k] as number), features: varied, label: Uint8Array.from(kept, (k) => label[k] as number), weight: Float64Array.from(kept, (k) => weight[k] as number) });
      }
    }
    progress(`test: ${nTest} rows`);

    const display = { eventId: [] as number[], features: Object.fromEntries(recipe.featureColumns.map((c) => [c.name, [] as number[]])) };
    for (const chunk of trainScatter.emit()) {
      const features = featuresOf(recipe, chunk.columns);
      const eventId = Int32Array.from(chunk.positions, (p) => p);
      await writer.appendTrain({
        eventId,
        features,
        label: Uint8Array.from(chunk.columns._label as Int32Array),
        weight: Float64Array.from(chunk.columns._weight as Float64Array, (w) => w / (1 - testFraction)),
        detailedLabel: Array.from(chunk.columns._process as Int32Array, (p) => processes[p] as string),
      });
      for (let i = 0; i < chunk.rows && display.eventId.length < DISPLAY_SAMPLE_LIMIT; i++) {
        display.eventId.push(eventId[i] as number);
        for (const c of recipe.featureColumns) (display.features[c.name] as number[]).push((features[c.name] as Float32Array)[i] as number);
      }
    }
    progress(`train: ${nTrain} rows`);
    if (recipe.display) {
      writer.setDisplay(recipe.display({
        eventId: Int32Array.from(display.eventId),
        features: Object.fromEntries(recipe.featureColumns.map((c) => [c.name, c.type === 'float64' ? Float64Array.from(display.features[c.name] as number[]) : c.type === 'int32' ? Int32Array.from(display.features[c.name] as number[]) : Float32Array.from(display.features[c.name] as number[])])),
      }));
    }

    let nextId = nTest;
    const calibration = calibrationVariations(recipe);
    for (const variation of recipe.variations) {
      if (variation.kind === 'alternative-sample') {
        const alternative = alternatives.find((a) => a.variation.name === variation.name) as (typeof alternatives)[number];
        let rows = 0;
        for (const group of alternative.groups) {
          for (const part of group.parts) {
            for (const chunk of partChunks(partsDir, part, 'nominal.bin', recipe, false)) {
              const id = Int32Array.from({ length: chunk.rows }, (_, i) => nextId + rows + i);
              await writer.appendVariation(variation.name, { id, features: featuresOf(recipe, chunk.columns), label: new Uint8Array(chunk.rows).fill(group.label), weight: weightsOf(chunk.columns, chunk.rows, group, recipe) });
              rows += chunk.rows;
            }
          }
        }
        nextId += rows;
        progress(`variation ${variation.name}: ${rows} test events`);
      } else if (calibration.includes(variation as (typeof calibration)[number])) {
        // Rows of nominal test events keep their place and id; rows selected only in the variation come after, shuffled.
        let migrating = 0;
        for (const p of plan.parts) if (p.group === 'nominal') migrating += (summaries[p.index] as PartSummary).variations.find((v) => v.name === variation.name)?.migratingIn ?? 0;
        const migratingOrder = createRandomStream(seed, `${recipe.dataset}/variation/${variation.name}`).permutation(migrating);
        const migratingPosition = new Int32Array(migrating);
        for (let i = 0; i < migrating; i++) migratingPosition[migratingOrder[i] as number] = i;
        const scatter = new RowScatter(scratch, `variation-${variation.name}`, carried, nTest + migrating, options.bucketRows);
        let k = 0;
        for (const group of nominal) {
          for (const part of group.parts) {
            for (const chunk of partChunks(partsDir, part, `variation-${variation.name}.bin`, recipe, true)) {
              const positions = new Int32Array(chunk.rows);
              const nominalRow = chunk.columns._nominal as Int32Array;
              for (let i = 0; i < chunk.rows; i++) {
                const local = nominalRow[i] as number;
                if (local >= 0) {
                  const position = positionOf[(nominalOffset.get(part.index) as number) + local] as number;
                  positions[i] = position < nTest ? position : -1;
                } else {
                  positions[i] = nTest + (migratingPosition[k++] as number);
                }
              }
              const columns: PartColumns = { ...chunk.columns, _weight: weightsOf(chunk.columns, chunk.rows, group, recipe), _label: new Int32Array(chunk.rows).fill(group.label), _process: new Int32Array(chunk.rows) };
              scatter.add(positions, columns, chunk.rows);
            }
          }
        }
        let rows = 0;
        for (const chunk of scatter.emit()) {
          const id = Int32Array.from(chunk.positions, (p) => (p < nTest ? p : nextId + (p - nTest)));
          await writer.appendVariation(variation.name, {
            id,
            features: featuresOf(recipe, chunk.columns),
            label: Uint8Array.from(chunk.columns._label as Int32Array),
            weight: Float64Array.from(chunk.columns._weight as Float64Array, (w) => w / testFraction),
          });
          rows += chunk.rows;
        }
        nextId += migrating;
        progress(`variation ${variation.name}: ${rows} test events (${migrating} selected only in the variation)`);
      } else {
        progress(`variation ${variation.name}: test events with the FAIR-Universe systematics applied`);
      }
    }
    const manifest = await writer.finish();
    writer = null;
    return manifest;
  } finally {
    if (writer) await writer.abort();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
