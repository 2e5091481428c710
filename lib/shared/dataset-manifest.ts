import { z } from 'zod';
import { datasetVersionLabel } from './dataset-version-label';

/**
 * manifest.json of a dataset version (../shared/docs/DATA.md "Outputs"). Written by lib/pipeline, read by the
 * server when a version is registered, and shown on the data page.
 */
export const datasetFileSchema = z.object({
  /** File name inside the version folder, e.g. "train.arrow". */
  name: z.string().min(1),
  /**
   * pseudo_experiments / truth_pe: interval tasks (events of every pseudo-experiment; server-only μ and nuisances per
   * pe_id). display: `events@display.arrow`, the selected objects of a bounded sample of training events, for the
   * event display (no labels, no weights).
   */
  role: z.enum(['train', 'test', 'truth', 'export', 'pseudo_experiments', 'truth_pe', 'display']),
  /** root: one TTree named as the table (train, test, test_<variation>), a branch per column. */
  format: z.enum(['arrow', 'csv', 'parquet', 'root']),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sizeBytes: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  /** True for files that never leave the server (truth). */
  serverOnly: z.boolean(),
});

export const datasetColumnSchema = z.object({
  name: z.string().min(1),
  unit: z.string(),
  description: z.string(),
});

export const datasetManifestSchema = z.object({
  /** Stable dataset id, e.g. "higgs-tautau-toy". */
  dataset: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** Version label, e.g. "1.0.0" (a folder name: see DATASET_VERSION_PATTERN). */
  version: datasetVersionLabel,
  title: z.string().min(1),
  /** True for generated toy data; the UI marks such data as toy. */
  isToy: z.boolean(),
  createdAt: z.string(),
  pipelineVersion: z.string(),
  description: z.string(),
  licence: z.string(),
  citation: z.string(),
  /** What produced the data: generator and seed, or source files with sha256 and DOI. */
  sources: z.array(
    z.object({ name: z.string(), sha256: z.string().optional(), doi: z.string().optional(), note: z.string().optional() }),
  ),
  recipe: z.record(z.string(), z.unknown()),
  luminosityFb: z.number().positive().nullable(),
  /**
   * Expected weighted yields per class that each scored split of the test set is renormalised to (the HiggsML
   * 2014 KaggleWeight semantics), so AMS values are comparable between public and private splits.
   */
  expectedYields: z.object({ signal: z.number().positive(), background: z.number().positive() }),
  /** Truth column carrying a fixed public/private assignment ("public" | "private"), when the source has one. */
  fixedSplitColumn: z.string().nullable(),
  /** Value that marks a missing feature (−999 in HiggsML 2014, −25 in FAIR-Universe and toy data). */
  missingValue: z.number(),
  featureColumns: z.array(z.string()).min(1),
  columns: z.array(datasetColumnSchema),
  files: z.array(datasetFileSchema).min(1),
  /** Systematic variations of the test set (files `test@<name>.*`, server-only `truth@<name>.arrow`). */
  variations: z
    .array(z.object({ name: z.string().min(1), kind: z.enum(['parametrised', 'alternative-sample']), description: z.string(), parameters: z.record(z.string(), z.number()).optional() }))
    .optional(),
  /** Per-sample normalisation inputs (DSID, cross-section, k-factor, filter efficiency, Σw, luminosity) of MC builds. */
  sampleMetadata: z.array(z.record(z.string(), z.union([z.string(), z.number()]))).optional(),
});

export type DatasetManifest = z.infer<typeof datasetManifestSchema>;
export type DatasetFile = z.infer<typeof datasetFileSchema>;
