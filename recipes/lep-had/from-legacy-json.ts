import { z } from 'zod';
import { AppError } from '@/lib/shared/app-error';
import { describeSchemaIssues, type Recipe } from '@/lib/pipeline/recipes';
import { lepHadRecipe } from './lep-had';
import { datasetVersionLabel } from '@/lib/shared/dataset-version-label';

const sampleSchema = z.strictObject({
  name: z.string().min(1),
  /** PHYSLITE ROOT files (paths relative to the recipe, or http(s) URLs). */
  files: z.array(z.string().min(1)).min(1),
  label: z.union([z.literal(0), z.literal(1)], { error: (issue) => `expected 0 (background) or 1 (signal), found ${JSON.stringify(issue.input)}` }),
  /** Physics process, written as detailed_label. */
  process: z.string().min(1),
});

/** The JSON recipe of `pipeline build recipe.json` (the lep-had recipe with its settings), as before recipes were code. */
export const legacyJsonRecipeSchema = z.strictObject({
  dataset: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  version: datasetVersionLabel.default('0.1.0'),
  title: z.string().min(1),
  description: z.string().default(''),
  tree: z.string().default('CollectionTree'),
  luminosityFb: z.number().positive(),
  /** CSV with dsid, cross_section_pb, k_factor, filter_efficiency, [sum_of_weights,] description. */
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
  split: z.strictObject({ testFraction: z.number().gt(0).lt(1).default(0.3), seed: z.number().int().nonnegative().default(1) }).default({ testFraction: 0.3, seed: 1 }),
  variations: z
    .array(
      z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('parametrised'), name: z.string().min(1), tes: z.number().positive().optional(), jes: z.number().positive().optional(), softMet: z.number().nonnegative().optional(), seed: z.number().int().nonnegative().optional() }),
        z.strictObject({ kind: z.literal('alternative-sample'), name: z.string().min(1), samples: z.array(sampleSchema).min(1) }),
      ]),
    )
    .default([]),
  /**
   * Generators such as Sherpa have negative event weights; dataset tables need weights ≥ 0. 'error' (default) stops
   * the build naming the count; 'clip-to-zero' sets them to 0 after the normalisation (Σw still includes them).
   */
  negativeWeights: z.enum(['error', 'clip-to-zero']).default('error'),
  /**
   * Σw of a DSID whose files carry no CutBookkeepers and whose row in the table has no sum_of_weights: from every event
   * read ('events-read', the behaviour of JSON recipes so far, right for whole unskimmed samples), or an error ('table').
   */
  sumOfWeightsFallback: z.enum(['table', 'events-read']).default('events-read'),
  licence: z.string().default('CC0-1.0'),
  citation: z.string().default('ATLAS Collaboration, ATLAS Open Data for Research (PHYSLITE), CERN Open Data Portal.'),
});

/** A JSON lep-had recipe as a recipe: paths in it resolve against the JSON file's folder (the build's inputs folder). */
export function recipeFromLegacyJson(json: unknown, fileName: string): Recipe {
  const parsed = legacyJsonRecipeSchema.safeParse(json);
  if (!parsed.success) {
    const { where, message } = describeSchemaIssues(legacyJsonRecipeSchema, parsed.error.issues, json);
    throw new AppError('BAD_REQUEST', `Recipe ${fileName}: ${where}: ${message}.`, { file: fileName, column: where });
  }
  const r = parsed.data;
  return lepHadRecipe({
    name: 'lep-had',
    dataset: r.dataset,
    version: r.version,
    title: r.title,
    description: r.description,
    tree: r.tree,
    luminosityFb: r.luminosityFb,
    samples: r.samples,
    dsidTable: r.sampleMetadata,
    sumOfWeightsFallback: r.sumOfWeightsFallback,
    selection: r.selection,
    split: r.split,
    weights: { negative: r.negativeWeights },
    variations: r.variations.map((v) => (v.kind === 'parametrised' ? { kind: 'fair-systematics' as const, name: v.name, tes: v.tes, jes: v.jes, softMet: v.softMet, seed: v.seed } : v)),
    licence: r.licence,
    citation: r.citation,
  });
}
