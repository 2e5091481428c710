import 'server-only';
import { z } from 'zod';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { numericColumn, trainingGroups } from '@/lib/shared/histograms/compute-default-histograms';
import { fillHistogram1d, type RowGroups } from '@/lib/shared/histograms/fill-histogram-1d';
import { fillHistogram2d } from '@/lib/shared/histograms/fill-histogram-2d';
import type { FeatureHistogramDto, FeatureInfoDto, VariationHistogramDto } from '@/lib/shared/histograms/histogram-types';
import { parseBinning } from '@/lib/shared/histograms/parse-binning';
import { sumGroupsByClass } from '@/lib/shared/histograms/sum-groups-by-class';
import type { ServiceContext } from '../context';
import { getHistogramCache } from './get-histogram-cache';
import { getVisibleDatasetVersionOrThrow } from './get-visible-dataset-version-or-throw';
import { loadPublicDatasetTable } from './load-public-dataset-table';

const optionalText = z.string().trim().max(200).nullish();
const inputSchema = z.object({
  dataset: z.string().min(1).max(200),
  version: z.string().min(1).max(200),
  feature: z.string({ error: 'Name a feature: ?feature=<column>.' }).min(1, { error: 'Name a feature: ?feature=<column>.' }).max(200),
  bins: optionalText,
  min: optionalText,
  max: optionalText,
  variation: optionalText,
  feature2: optionalText,
  bins2: optionalText,
  min2: optionalText,
  max2: optionalText,
});

const ALL_EVENTS: RowGroups = { index: new Uint8Array(0), names: ['all events'], labels: [null] };

function featureInfo(manifest: DatasetManifest, name: string): FeatureInfoDto {
  const column = manifest.columns.find((c) => c.name === name);
  return { name, unit: column?.unit ?? '', description: column?.description ?? '' };
}

function assertFeature(manifest: DatasetManifest, name: string, parameter: string): void {
  if (!manifest.featureColumns.includes(name)) {
    throw new AppError('NOT_FOUND', `${parameter} "${name}" is not a feature of ${manifest.dataset} ${manifest.version}; available features: ${manifest.featureColumns.join(', ')}.`, {
      column: parameter,
      found: name,
      available: manifest.featureColumns,
    });
  }
}

/**
 * Histograms of one feature of a dataset version's TRAINING table, weighted and split by process and by class, with
 * the requested binning (default: the cached one). Optionally the same feature in a systematic variation: the
 * public varied test table `test@<name>` against the nominal `test` table, both unweighted and without labels (the
 * only variation tables participants have; nothing of the truth is read), and a second feature for a 2D histogram per
 * class. Unknown version, feature or variation → NOT_FOUND listing what exists; a bad binning → BAD_REQUEST saying why.
 */
export async function getFeatureHistogram(ctx: ServiceContext, input: z.input<typeof inputSchema>): Promise<FeatureHistogramDto> {
  const query = inputSchema.parse(input);
  const { row, manifest } = await getVisibleDatasetVersionOrThrow(ctx, query.dataset, query.version);
  assertFeature(manifest, query.feature, 'feature');
  if (query.feature2) assertFeature(manifest, query.feature2, 'feature2');
  let variationMeta: NonNullable<DatasetManifest['variations']>[number] | undefined;
  if (query.variation) {
    const names = new Set(manifest.files.map((f) => f.name));
    const available = (manifest.variations ?? []).filter((v) => names.has(`test@${v.name}.arrow`));
    variationMeta = available.find((v) => v.name === query.variation);
    if (!variationMeta) {
      throw new AppError(
        'NOT_FOUND',
        `"${query.variation}" is not a variation of ${manifest.dataset} ${manifest.version}; available variations: ${available.map((v) => v.name).join(', ') || 'none (this version has no systematic variations)'}.`,
        { column: 'variation', found: query.variation, available: available.map((v) => v.name) },
      );
    }
  }
  const cache = await getHistogramCache(ctx.dataDir, row.storageDir, manifest);
  const cached = cache.features[query.feature];
  if (!cached) throw new AppError('INTERNAL', `The histogram cache of ${manifest.dataset} ${manifest.version} lacks feature ${query.feature}.`);
  const { binning, isDefault } = parseBinning({ bins: query.bins, min: query.min, max: query.max }, cached.binning);
  const missingValue = manifest.missingValue;

  let processes = cached.processes;
  let classes = cached.classes.length > 0 ? cached.classes : cached.processes;
  const needsTrain = !isDefault || query.feature2;
  const train = needsTrain ? await loadPublicDatasetTable(ctx.dataDir, row.storageDir, manifest, 'train.arrow') : null;
  const groups = train ? trainingGroups(train) : null;
  if (train && groups && !isDefault) {
    const values = numericColumn(train, query.feature);
    const weights = numericColumn(train, 'weight');
    processes = fillHistogram1d(values, weights, groups.processes, binning, missingValue);
    classes = groups.processColumn ? (sumGroupsByClass(processes) ?? fillHistogram1d(values, weights, groups.classes, binning, missingValue)) : processes;
  }

  let variation: VariationHistogramDto | null = null;
  if (variationMeta) {
    const [nominal, varied] = await Promise.all([
      loadPublicDatasetTable(ctx.dataDir, row.storageDir, manifest, 'test.arrow'),
      loadPublicDatasetTable(ctx.dataDir, row.storageDir, manifest, `test@${variationMeta.name}.arrow`),
    ]);
    const fill = (table: typeof nominal) =>
      fillHistogram1d(numericColumn(table, query.feature), null, { ...ALL_EVENTS, index: new Uint8Array(table.numRows) }, binning, missingValue)[0] as FeatureHistogramDto['processes'][number];
    variation = {
      name: variationMeta.name,
      kind: variationMeta.kind,
      description: variationMeta.description,
      compared:
        variationMeta.kind === 'parametrised'
          ? `Event counts of the test set with ${variationMeta.name} applied (test@${variationMeta.name}) over the nominal test set: the same events, shifted by the variation; unweighted, because test labels and weights are hidden.`
          : `Event counts of the alternative test sample ${variationMeta.name} (test@${variationMeta.name}) over the nominal test set, each normalised to its number of events (different events); unweighted, because test labels and weights are hidden.`,
      nominal: fill(nominal),
      varied: fill(varied),
    };
  }

  let hist2d: FeatureHistogramDto['hist2d'] = null;
  if (query.feature2 && train && groups) {
    const cached2 = cache.features[query.feature2];
    if (!cached2) throw new AppError('INTERNAL', `The histogram cache of ${manifest.dataset} ${manifest.version} lacks feature ${query.feature2}.`);
    const binningY = parseBinning({ bins: query.bins2, min: query.min2, max: query.max2 }, cached2.binning, '2').binning;
    const binningX = { ...binning, bins: Math.min(binning.bins, 100) };
    const y = { ...binningY, bins: Math.min(binningY.bins, 100) };
    hist2d = {
      feature: featureInfo(manifest, query.feature2),
      binningX,
      binningY: y,
      classes: fillHistogram2d(numericColumn(train, query.feature), numericColumn(train, query.feature2), numericColumn(train, 'weight'), groups.classes, binningX, y, missingValue),
    };
  }

  return {
    dataset: manifest.dataset,
    version: manifest.version,
    table: 'train',
    feature: featureInfo(manifest, query.feature),
    missingValue,
    binning,
    isDefaultBinning: isDefault,
    processes,
    classes,
    variation,
    hist2d,
  };
}
