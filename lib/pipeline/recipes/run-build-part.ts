import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import type { BuildPlan, PlanPart } from './build-plan';
import { computeRecipeRows } from './compute-recipe-rows';
import { branchesOfRecipe, type Recipe, type RecipeVariation } from './define-recipe';
import { readDsidTable } from './dsid-table';
import type { EventSource } from './event-batch';
import { hashString32, uniformFor } from './event-random';
import { openPhysliteFile } from './open-physlite-file';
import { type PartColumnSpec, PartTableWriter } from './part-table';
import type { Bookkeeping } from './read-bookkeeping';
import { prepareEventBatch, readBatchColumns } from './prepare-event-batch';
import { pickFloat64, pickInt32 } from './columnar/pick-values';

/** Per DSID of a part: events read, rows kept and the signs of their MC weights (for the negative-weight check). */
export type PartDsidStats = { dsid: number; events: number; rows: number; negativeRows: number; positiveRows: number };

/** What a part wrote, besides its row tables. */
export type PartSummary = {
  index: number;
  file: string;
  fileName: string;
  sha256?: string;
  entries: number;
  selectedEvents: number;
  rows: number;
  dsids: PartDsidStats[];
  bookkeeping: Bookkeeping | null;
  /** Rows of each calibration variation: nominal rows matched, and rows not selected nominally that joined the test set. */
  variations: { name: string; matched: number; migratingIn: number }[];
  /** Rows of the weights table (every event's DSID and weight), written when Σw may come from the events read. */
  weightRows: number;
};

/** Variations computed file by file (the others work on the merged tables). */
export function calibrationVariations(recipe: Recipe): Extract<RecipeVariation, { kind: 'scale' | 'resolution' | 'soft-met' }>[] {
  return recipe.variations.filter((v): v is Extract<RecipeVariation, { kind: 'scale' | 'resolution' | 'soft-met' }> => v.kind === 'scale' || v.kind === 'resolution' || v.kind === 'soft-met');
}

/** Columns of a part's row tables: where each row comes from, its event's DSID and MC weight, then the features. */
export function partColumns(recipe: Recipe, isVariation: boolean): PartColumnSpec[] {
  return [
    { name: '_entry', type: 'float64' },
    { name: '_item', type: 'int32' },
    { name: '_dsid', type: 'int32' },
    { name: '_mcWeight', type: 'float64' },
    ...(isVariation ? [{ name: '_nominal', type: 'int32' as const }] : []),
    ...recipe.featureColumns.map((c) => ({ name: c.name, type: c.type })),
  ];
}

export const WEIGHT_COLUMNS: PartColumnSpec[] = [{ name: '_dsid', type: 'int32' }, { name: '_mcWeight', type: 'float64' }];

export const partDirName = (index: number) => `part-${String(index).padStart(5, '0')}`;

/** Whether a recipe build must keep every event's weight (Σw may have to come from the events read). */
export function keepsEventWeights(recipe: Recipe): boolean {
  return recipe.sumOfWeightsFallback === 'events-read';
}

async function sha256OfLocalFile(file: string): Promise<string | undefined> {
  if (/^https?:\/\//i.test(file)) return undefined;
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Whether an event selected only in a variation joins the test set: a seeded hash of the event, the same in every variation. */
export function isTestByHash(recipe: Recipe, source: Pick<EventSource, 'sample' | 'fileIndex'>, entry: number, item: number): boolean {
  const key = { stream: hashString32(`split/${recipe.dataset}/${recipe.split.seed}`), sample: hashString32(source.sample), file: source.fileIndex, entry, item };
  return uniformFor(key) < recipe.split.testFraction;
}

export type RunBuildPartOptions = {
  plan: BuildPlan;
  recipe: Recipe;
  partIndex: number;
  /** Folder of the build's parts; this part goes to `<partsDir>/part-NNNNN`. */
  partsDir: string;
  /** Decoding threads for this file (1 when files run in parallel). */
  jobs?: number;
  onProgress?: (entriesDone: number, entriesTotal: number) => void;
};

/**
 * Processes one input file of a build: reads its batches, runs the recipe's selection and features (and every
 * calibration variation on the same batches), and writes the rows to `part-NNNNN/` under a temporary name renamed at
 * the end, so that a part is either complete or absent. Running a part twice gives the same bytes; a second run that
 * finds the part in place leaves it as it is.
 */
export async function runBuildPart(options: RunBuildPartOptions): Promise<PartSummary> {
  const { plan, recipe } = options;
  const part = plan.parts[options.partIndex] as PlanPart;
  if (!part) throw new AppError('INTERNAL', `The plan of ${plan.dataset} has no part ${options.partIndex}.`);
  const finalDir = path.join(options.partsDir, partDirName(part.index));
  const existing = readPartSummary(finalDir);
  if (existing) return existing;
  const table = readDsidTable(recipe, plan.dsidTableFile);
  const variations = part.group === 'nominal' ? calibrationVariations(recipe) : [];
  const keepWeights = keepsEventWeights(recipe);
  await fs.promises.mkdir(options.partsDir, { recursive: true });
  const tmpDir = `${finalDir}.tmp-${randomBytes(6).toString('hex')}`;
  await fs.promises.mkdir(tmpDir);
  const writers: PartTableWriter[] = [];
  try {
    const file = await openPhysliteFile(part.file, { tree: recipe.tree, branches: branchesOfRecipe(recipe) });
    const nominal = new PartTableWriter(path.join(tmpDir, 'nominal.bin'), partColumns(recipe, false));
    writers.push(nominal);
    const variedWriters = variations.map((v) => new PartTableWriter(path.join(tmpDir, `variation-${v.name}.bin`), partColumns(recipe, true)));
    writers.push(...variedWriters);
    const weights = keepWeights ? new PartTableWriter(path.join(tmpDir, 'weights.bin'), WEIGHT_COLUMNS) : null;
    if (weights) writers.push(weights);
    const stats = new Map<number, PartDsidStats>();
    const variationCounts = variations.map((v) => ({ name: v.name, matched: 0, migratingIn: 0 }));
    let bookkeeping: Bookkeeping | null;
    let selectedEvents = 0;
    let entriesDone = 0;
    try {
      bookkeeping = await file.readBookkeeping();
      const source = (variation: string | null): EventSource => ({ recipe: recipe.name, sample: part.sample, sampleIndex: part.sampleIndex, file: file.name, fileIndex: part.fileIndex, variation });
      for await (const batch of file.readBatches({ batchEntries: plan.batchEntries ?? undefined, jobs: options.jobs })) {
        const columns = readBatchColumns(batch, recipe, entriesDone, file.name);
        for (let e = 0; e < columns.length; e++) {
          const dsid = columns.dsid[e] as number;
          let s = stats.get(dsid);
          if (!s) {
            if (!table.rows.has(dsid)) {
              throw new AppError('INVALID_DATASET', `sample ${part.sample}: DSID ${dsid} (EventInfoAuxDyn.mcChannelNumber) is not in ${table.name}; add its cross-section, k-factor and filter efficiency (first seen in ${file.name} entry ${columns.entries[e]}).`, {
                file: table.name, column: 'dsid', found: String(dsid), row: columns.entries[e],
              });
            }
            s = { dsid, events: 0, rows: 0, negativeRows: 0, positiveRows: 0 };
            stats.set(dsid, s);
          }
          s.events++;
        }
        weights?.append({ _dsid: columns.dsid, _mcWeight: columns.mcWeight }, columns.length);

        const events = prepareEventBatch(columns, recipe, null, source(null));
        const rows = computeRecipeRows(recipe, events);
        const n = rows.rowEvent.length;
        const rowDsid = pickInt32(columns.dsid, rows.rowEvent);
        const rowWeight = pickFloat64(columns.mcWeight, rows.rowEvent);
        for (let r = 0; r < n; r++) {
          const s = stats.get(rowDsid[r] as number) as PartDsidStats;
          s.rows++;
          if ((rowWeight[r] as number) < 0) s.negativeRows++;
          else if ((rowWeight[r] as number) > 0) s.positiveRows++;
        }
        const nominalBase = nominal.rows;
        nominal.append({ _entry: pickFloat64(columns.entries, rows.rowEvent), _item: rows.rowItem, _dsid: rowDsid, _mcWeight: rowWeight, ...rows.columns }, n);
        selectedEvents += rows.selectedEvents.length;

        if (variations.length > 0) {
          // Nominal rows of each event of the batch: the first row's index and the count, to match varied rows by (event, item).
          const firstRow = new Int32Array(columns.length).fill(-1);
          const rowCount = new Int32Array(columns.length);
          for (let r = 0; r < n; r++) {
            const e = rows.rowEvent[r] as number;
            if (firstRow[e] === -1) firstRow[e] = r;
            rowCount[e] = (rowCount[e] as number) + 1;
          }
          variations.forEach((variation, v) => {
            const varied = computeRecipeRows(recipe, prepareEventBatch(columns, recipe, variation, source(variation.name)));
            const keep: number[] = [];
            const nominalIndex: number[] = [];
            for (let r = 0; r < varied.rowEvent.length; r++) {
              const e = varied.rowEvent[r] as number;
              const item = varied.rowItem[r] as number;
              if (item < (rowCount[e] as number)) {
                keep.push(r);
                nominalIndex.push(nominalBase + (firstRow[e] as number) + item);
                (variationCounts[v] as { matched: number }).matched++;
              } else if (isTestByHash(recipe, source(null), columns.entries[e] as number, item)) {
                keep.push(r);
                nominalIndex.push(-1);
                (variationCounts[v] as { migratingIn: number }).migratingIn++;
              }
            }
            const keptEvents = pickInt32(varied.rowEvent, keep);
            const out: Record<string, ArrayLike<number>> = {
              _entry: pickFloat64(columns.entries, keptEvents),
              _item: pickInt32(varied.rowItem, keep),
              _dsid: pickInt32(columns.dsid, keptEvents),
              _mcWeight: pickFloat64(columns.mcWeight, keptEvents),
              _nominal: Int32Array.from(nominalIndex),
            };
            for (const [name, values] of Object.entries(varied.columns)) out[name] = pickFloat64(values, keep);
            (variedWriters[v] as PartTableWriter).append(out, keep.length);
          });
        }
        entriesDone += columns.length;
        options.onProgress?.(entriesDone, file.entries);
      }
    } finally {
      await file.close();
    }
    for (const w of writers.splice(0)) w.close();
    const summary: PartSummary = {
      index: part.index,
      file: part.file,
      fileName: file.name,
      sha256: await sha256OfLocalFile(part.file),
      entries: file.entries,
      selectedEvents,
      rows: nominal.rows,
      dsids: [...stats.values()],
      bookkeeping,
      variations: variationCounts,
      weightRows: weights?.rows ?? 0,
    };
    await fs.promises.writeFile(path.join(tmpDir, 'summary.json'), `${JSON.stringify(summary, null, 1)}\n`);
    try {
      await fs.promises.rename(tmpDir, finalDir);
    } catch (error) {
      // Another run of the same part (a retried job) finished first: its output is the same.
      if (!['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
      await fs.promises.rm(tmpDir, { recursive: true, force: true });
    }
    return readPartSummary(finalDir) ?? summary;
  } catch (error) {
    for (const w of writers) {
      try {
        w.close();
      } catch {
        // already closed
      }
    }
    await fs.promises.rm(tmpDir, { recursive: true, force: true });
    throw error;
  }
}

/** The summary of a finished part, or null when the part is not (completely) written. */
export function readPartSummary(partDir: string): PartSummary | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(partDir, 'summary.json'), 'utf8')) as PartSummary;
  } catch {
    return null;
  }
}
