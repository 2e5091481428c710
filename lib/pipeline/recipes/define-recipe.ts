import { z } from 'zod';
import { AppError } from '@/lib/shared/app-error';
import type { DisplayTable } from '@/lib/shared/display/display-objects';
import type { Collection } from './columnar/collection';
import type { EventBatch, FeatureRows } from './event-batch';
import { datasetVersionLabel } from '@/lib/shared/dataset-version-label';

/** Column names every dataset version has already; features may not use them. */
const RESERVED_COLUMNS = ['event_id', 'id', 'label', 'weight', 'detailed_label', 'split', 'object', 'pt', 'eta', 'phi', 'm'];
/** The FAIR-Universe primary features a `fair-systematics` variation varies. */
export const FAIR_PRI_FEATURES = [
  'PRI_lep_pt', 'PRI_lep_eta', 'PRI_lep_phi', 'PRI_had_pt', 'PRI_had_eta', 'PRI_had_phi', 'PRI_jet_leading_pt', 'PRI_jet_leading_eta', 'PRI_jet_leading_phi',
  'PRI_jet_subleading_pt', 'PRI_jet_subleading_eta', 'PRI_jet_subleading_phi', 'PRI_n_jets', 'PRI_jet_all_pt', 'PRI_met', 'PRI_met_phi',
] as const;

const fn = <T,>(what: string) => z.custom<T>((value) => typeof value === 'function', { message: `${what} must be a function` });
const name = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, { message: 'use lower-case letters, digits, "_", "-" or "." (starting with a letter or digit)' });

const sampleSchema = z.strictObject({
  name: z.string().min(1),
  /** PHYSLITE files: paths (relative to the build's inputs folder), globs (`*`, `?`, `**`) or http(s) URLs. */
  files: z.array(z.string().min(1)).min(1),
  label: z.union([z.literal(0), z.literal(1)], { error: (issue) => `expected 0 (background) or 1 (signal), found ${JSON.stringify(issue.input)}` }),
  /** Physics process, written as detailed_label. */
  process: z.string().min(1),
});

const dsidRowSchema = z.strictObject({
  dsid: z.number().int().positive(),
  crossSectionPb: z.number().positive(),
  kFactor: z.number().positive(),
  filterEfficiency: z.number().gt(0).lte(1),
  /** Σ of the nominal MC weight over all generated events, for files that carry no bookkeeping. */
  sumOfWeights: z.number().refine((v) => v !== 0 && Number.isFinite(v), { message: 'must be a finite non-zero number' }).optional(),
  description: z.string().default(''),
});

const cutsSchema = z.strictObject({
  /** pT > ptMinGeV (GeV; PHYSLITE stores MeV). */
  ptMinGeV: z.number().nonnegative().optional(),
  ptMaxGeV: z.number().positive().optional(),
  /** |η| < absEtaMax. */
  absEtaMax: z.number().positive().optional(),
  /** Working points and quality flags stored as branches (e.g. DFCommonElectronsLHLoose): every one must be non-zero. */
  flags: z.array(z.string().min(1)).default([]),
  /** Any other object cut: one flag per object of the collection. */
  where: fn<(collection: Collection) => ArrayLike<number | boolean>>('where').optional(),
});

const collectionSchema = z.strictObject({
  /** Branch prefix of the container, e.g. AnalysisElectronsAuxDyn (its fields are `<branch>.<field>`). */
  branch: z.string().min(1),
  fields: z.array(z.string().min(1)).min(1),
  select: cutsSchema.default({ flags: [] }),
});

const variationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('alternative-sample'), name, samples: z.array(sampleSchema).min(1) }),
  /** Energy or momentum scale of a calibrated collection: the fields (default pt, m, e where declared) × factor. */
  z.strictObject({ kind: z.literal('scale'), name, collection: z.string().min(1), factor: z.number().positive(), fields: z.array(z.string().min(1)).optional() }),
  /** Resolution: each object's fields (default pt, m, e) × max(0, 1 + N(0, sigma)), seeded per event and object. */
  z.strictObject({ kind: z.literal('resolution'), name, collection: z.string().min(1), sigma: z.number().positive(), seed: z.number().int().nonnegative(), fields: z.array(z.string().min(1)).optional() }),
  /** Soft-MET: N(0, sigmaGeV) added to each MET component, seeded per event (recipes add it through missingTransverseMomentum). */
  z.strictObject({ kind: z.literal('soft-met'), name, sigmaGeV: z.number().positive(), seed: z.number().int().nonnegative() }),
  /** FAIR-Universe TES/JES/soft-MET (systematics.py v4) on the 16 PRI features of the nominal test set, then its post-selection. */
  z.strictObject({ kind: z.literal('fair-systematics'), name, tes: z.number().positive().optional(), jes: z.number().positive().optional(), softMet: z.number().nonnegative().optional(), seed: z.number().int().nonnegative().optional() }),
]);

const featureSchema = z.strictObject({
  names: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'feature names are letters, digits and "_"' })).min(1),
  units: z.array(z.string()).min(1),
  descriptions: z.array(z.string().min(1)).min(1),
  type: z.enum(['float32', 'float64', 'int32']).default('float32'),
  compute: fn<(events: EventBatch, rows: FeatureRows) => ArrayLike<number> | readonly ArrayLike<number>[]>('compute'),
});

const recipeSchema = z.strictObject({
  /** The recipe's id (kebab-case), e.g. hzz-4l. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'use lower-case letters, digits and "-"' }),
  dataset: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'use lower-case letters, digits and "-"' }),
  version: datasetVersionLabel.default('0.1.0'),
  title: z.string().min(1),
  description: z.string().default(''),
  tree: z.string().min(1).default('CollectionTree'),
  luminosityFb: z.number().positive(),
  samples: z.array(sampleSchema).min(1),
  /** σ, k-factor, filter efficiency (and optionally Σw) per DSID: rows, or a CSV file (relative to the inputs folder). */
  dsidTable: z.union([z.array(dsidRowSchema).min(1), z.string().min(1)]),
  /** Where Σw comes from when a file has no CutBookkeepers: the table only (default), or the sum over every event read. */
  sumOfWeightsFallback: z.enum(['table', 'events-read']).default('table'),
  collections: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { message: 'collection names are letters, digits and "_"' }), collectionSchema),
  /** Event-level branches the selection or features read (EventInfo weights and DSID are always read). */
  eventBranches: z.array(z.string().min(1)).default([]),
  /** Applied in order after the object selections: drop objects of `remove` within ΔR < deltaR of any object of `near`. */
  overlapRemoval: z.array(z.strictObject({ remove: z.string().min(1), near: z.string().min(1), deltaR: z.number().positive() })).default([]),
  /** Event selection: one flag per event of the batch (after object selection and overlap removal). Default: every event. */
  select: fn<(events: EventBatch) => ArrayLike<number | boolean>>('select').optional(),
  /** One row per selected event (default) or per selected object of a collection (e.g. large-R jets). */
  rows: z.union([z.literal('events'), z.strictObject({ objects: z.string().min(1) })]).default('events'),
  features: z.array(featureSchema).min(1),
  missingValue: z.number(),
  weights: z.strictObject({ negative: z.enum(['error', 'clip-to-zero']).default('error') }).default({ negative: 'error' }),
  split: z.strictObject({ testFraction: z.number().gt(0).lt(1).default(0.3), seed: z.number().int().nonnegative().default(1) }).default({ testFraction: 0.3, seed: 1 }),
  variations: z.array(variationSchema).default([]),
  /** The events@display table from the first training rows (at most 500). */
  display: fn<(train: { eventId: Int32Array; features: Readonly<Record<string, ArrayLike<number>>> }) => DisplayTable>('display').optional(),
  licence: z.string().default('CC0-1.0'),
  citation: z.string().default('ATLAS Collaboration, ATLAS Open Data for Research (PHYSLITE), CERN Open Data Portal.'),
  /** Notes written into the manifest's description and recipe (e.g. how MET is approximated). */
  notes: z.array(z.string()).default([]),
  /** Settings of the recipe's own code (thresholds a factory was called with), recorded in the manifest. */
  parameters: z.record(z.string(), z.unknown()).default({}),
});

export type RecipeInput = z.input<typeof recipeSchema>;
export type RecipeDefinition = z.output<typeof recipeSchema>;
export type RecipeSample = z.output<typeof sampleSchema>;
export type RecipeVariation = z.output<typeof variationSchema>;
export type RecipeFeature = z.output<typeof featureSchema>;
export type DsidRow = z.output<typeof dsidRowSchema>;
export type ObjectCuts = z.output<typeof cutsSchema>;

/** A validated recipe: its definition plus what the engine derives from it. */
export type Recipe = RecipeDefinition & {
  /** Every feature column in order, with unit, description and Arrow type. */
  readonly featureColumns: readonly { name: string; unit: string; description: string; type: 'float32' | 'float64' | 'int32' }[];
};

/** A single feature column computed by `compute` (one value per row). */
export function feature(
  columnName: string,
  meta: { unit: string; description: string; type?: 'float32' | 'float64' | 'int32' },
  compute: (events: EventBatch, rows: FeatureRows) => ArrayLike<number>,
): z.input<typeof featureSchema> {
  return { names: [columnName], units: [meta.unit], descriptions: [meta.description], type: meta.type, compute };
}

/**
 * Several columns computed together (e.g. the leading-N objects padded to N), one array per column in `names` order.
 * `unit` and `description` are one for all columns or one per column.
 */
export function featureGroup(
  names: readonly string[],
  meta: { unit: string | readonly string[]; description: string | readonly string[]; type?: 'float32' | 'float64' | 'int32' },
  compute: (events: EventBatch, rows: FeatureRows) => readonly ArrayLike<number>[],
): z.input<typeof featureSchema> {
  const descriptions = typeof meta.description === 'string' ? names.map((n) => `${meta.description} (${n})`) : [...meta.description];
  const units = typeof meta.unit === 'string' ? names.map(() => meta.unit as string) : [...meta.unit];
  return { names: [...names], units, descriptions, type: meta.type, compute };
}

type AnySchema = z.core.$ZodType;
type SchemaDef = { type: string; shape?: Record<string, AnySchema>; innerType?: AnySchema; element?: AnySchema; valueType?: AnySchema; options?: AnySchema[]; values?: unknown[] };
const defOf = (schema: AnySchema) => schema._zod.def as SchemaDef;

/** The value at a path of the input (for the error message), or undefined. */
function valueAt(input: unknown, at: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of at) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/**
 * The object schemas that may apply at a path of the input: through defaults, optionals, arrays and records, and of
 * a union the options whose `kind` matches the input's (all of them where it has none).
 */
function objectSchemasAt(schema: AnySchema, input: unknown, at: readonly PropertyKey[], anyKind = false): AnySchema[] {
  const def = defOf(schema);
  if (def.type === 'default' || def.type === 'optional' || def.type === 'nullable' || def.type === 'prefault') return objectSchemasAt(def.innerType as AnySchema, input, at, anyKind);
  if (def.type === 'union') {
    const kind = anyKind ? undefined : valueAt(input, ['kind']);
    const matching = (def.options ?? []).filter((o) => {
      const literal = defOf(o).shape?.kind;
      return kind === undefined || !literal || (defOf(literal).values ?? []).includes(kind);
    });
    return matching.flatMap((o) => objectSchemasAt(o, input, at, anyKind));
  }
  if (at.length === 0) return def.type === 'object' ? [schema] : [];
  const [key, ...rest] = at;
  const next = valueAt(input, [key as PropertyKey]);
  if (def.type === 'object') return def.shape?.[key as string] ? objectSchemasAt(def.shape[key as string] as AnySchema, next, rest, anyKind) : [];
  if (def.type === 'array') return objectSchemasAt(def.element as AnySchema, next, rest, anyKind);
  if (def.type === 'record') return objectSchemasAt(def.valueType as AnySchema, next, rest, anyKind);
  return [];
}

/**
 * A validation problem of `input` against `schema` in words: an unknown (often misspelt) key with the keys allowed
 * there, an unknown `kind` with the kinds there are, else zod's message.
 */
function describeSchemaIssue(schema: AnySchema, issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    const allowed = [...new Set(objectSchemasAt(schema, input, issue.path).flatMap((o) => Object.keys(defOf(o).shape ?? {})))];
    return `unknown key${issue.keys.length === 1 ? '' : 's'} ${keys}${allowed.length > 0 ? `; the keys here are ${allowed.join(', ')}` : ''}`;
  }
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
    const options = objectSchemasAt(schema, input, issue.path.slice(0, -1), true);
    const kinds = options.flatMap((o) => {
      const literal = defOf(o).shape?.[issue.discriminator as string];
      return literal ? (defOf(literal).values ?? []) : [];
    });
    const found = JSON.stringify(valueAt(input, issue.path));
    return kinds.length > 0 ? `must be one of ${kinds.map((k) => JSON.stringify(k)).join(', ')}, found ${found}` : `${issue.message}, found ${found}`;
  }
  return issue.message;
}

/** Every problem (the first five) as "path: message; path: message", so that a misspelt key is named beside the required key it leaves missing. */
export function describeSchemaIssues(schema: AnySchema, issues: readonly z.core.$ZodIssue[], input: unknown): { where: string; message: string } {
  const [first, ...others] = issues.slice(0, 5).map((issue) => ({ where: issue.path.join('.') || '(root)', message: describeSchemaIssue(schema, issue, input) }));
  const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
  return { where: first?.where ?? '(root)', message: `${first?.message ?? 'invalid'}${others.map((o) => `; ${o.where}: ${o.message}`).join('')}${more}` };
}

function fail(recipeName: string, where: string, message: string): never {
  throw new AppError('BAD_REQUEST', `recipe "${recipeName}" is invalid: ${where}: ${message}`, { column: where });
}

/**
 * Validates a recipe when it is loaded (like defineChallenge): every problem is named by its path, e.g.
 * `recipe "hzz-4l" is invalid: variations.1.collection: "taus" is not a collection of the recipe (electrons, muons)`.
 */
export function defineRecipe(input: RecipeInput): Recipe {
  const parsed = recipeSchema.safeParse(input);
  const recipeName = typeof input === 'object' && input !== null && 'name' in input ? String((input as { name: unknown }).name) : 'unknown';
  if (!parsed.success) {
    const { where, message } = describeSchemaIssues(recipeSchema, parsed.error.issues, input);
    fail(recipeName, where, message);
  }
  const recipe = parsed.data;
  const collections = Object.keys(recipe.collections);
  const isCollection = (c: string) => collections.includes(c);
  const list = collections.join(', ') || 'none';

  for (const [cName, c] of Object.entries(recipe.collections)) {
    if (new Set(c.fields).size !== c.fields.length) fail(recipe.name, `collections.${cName}.fields`, 'fields are listed twice');
    for (const flag of c.select.flags) {
      if (!c.fields.includes(flag)) fail(recipe.name, `collections.${cName}.select.flags`, `"${flag}" is not among the collection's fields (${c.fields.join(', ')}); declare it so its branch is read`);
    }
    for (const needed of [c.select.ptMinGeV, c.select.ptMaxGeV].some((v) => v !== undefined) ? ['pt'] : []) {
      if (!c.fields.includes(needed)) fail(recipe.name, `collections.${cName}.select`, `a pT cut needs the field "pt"`);
    }
    if (c.select.absEtaMax !== undefined && !c.fields.includes('eta')) fail(recipe.name, `collections.${cName}.select`, 'an η cut needs the field "eta"');
  }
  recipe.overlapRemoval.forEach((o, i) => {
    for (const key of ['remove', 'near'] as const) {
      if (!isCollection(o[key])) fail(recipe.name, `overlapRemoval.${i}.${key}`, `"${o[key]}" is not a collection of the recipe (${list})`);
      const fields = recipe.collections[o[key]]?.fields ?? [];
      if (!fields.includes('eta') || !fields.includes('phi')) fail(recipe.name, `overlapRemoval.${i}.${key}`, `"${o[key]}" needs the fields eta and phi for ΔR`);
    }
  });
  if (recipe.rows !== 'events' && !isCollection(recipe.rows.objects)) fail(recipe.name, 'rows.objects', `"${recipe.rows.objects}" is not a collection of the recipe (${list})`);

  const featureColumns: Recipe['featureColumns'][number][] = [];
  recipe.features.forEach((f, i) => {
    if (f.descriptions.length !== f.names.length) fail(recipe.name, `features.${i}.descriptions`, `${f.descriptions.length} descriptions for ${f.names.length} columns`);
    if (f.units.length !== f.names.length) fail(recipe.name, `features.${i}.units`, `${f.units.length} units for ${f.names.length} columns`);
    f.names.forEach((n, j) => {
      if (RESERVED_COLUMNS.includes(n)) fail(recipe.name, `features.${i}.names.${j}`, `"${n}" is a column every dataset has already (${RESERVED_COLUMNS.join(', ')})`);
      if (featureColumns.some((c) => c.name === n)) fail(recipe.name, `features.${i}.names.${j}`, `"${n}" is computed by an earlier feature too`);
      featureColumns.push({ name: n, unit: f.units[j] as string, description: f.descriptions[j] as string, type: f.type });
    });
  });

  const variationNames = new Set<string>();
  recipe.variations.forEach((v, i) => {
    if (variationNames.has(v.name)) fail(recipe.name, `variations.${i}.name`, `"${v.name}" is used by an earlier variation`);
    variationNames.add(v.name);
    if (v.kind === 'scale' || v.kind === 'resolution') {
      if (!isCollection(v.collection)) fail(recipe.name, `variations.${i}.collection`, `"${v.collection}" is not a collection of the recipe (${list})`);
      const declared = recipe.collections[v.collection]?.fields ?? [];
      for (const field of v.fields ?? []) {
        if (!declared.includes(field)) fail(recipe.name, `variations.${i}.fields`, `"${field}" is not a field of "${v.collection}" (${declared.join(', ')})`);
      }
      if (!v.fields && !declared.includes('pt')) fail(recipe.name, `variations.${i}.fields`, `"${v.collection}" has no pt field; name the fields to vary`);
    }
    if (v.kind === 'fair-systematics') {
      const missing = FAIR_PRI_FEATURES.filter((p) => !featureColumns.some((c) => c.name === p));
      if (missing.length > 0) fail(recipe.name, `variations.${i}`, `fair-systematics varies the 16 FAIR-Universe PRI features; the recipe lacks ${missing.join(', ')}`);
    }
  });
  if (typeof recipe.dsidTable !== 'string') {
    const seen = new Set<number>();
    recipe.dsidTable.forEach((row, i) => {
      if (seen.has(row.dsid)) fail(recipe.name, `dsidTable.${i}.dsid`, `DSID ${row.dsid} appears twice`);
      seen.add(row.dsid);
    });
  }
  // Sample names are unique within the nominal samples and within each alternative sample set (they key Σw and the random streams).
  const groups = [recipe.samples.map((s, i) => [s, `samples.${i}`] as const), ...recipe.variations.map((v, i) => (v.kind === 'alternative-sample' ? v.samples.map((s, j) => [s, `variations.${i}.samples.${j}`] as const) : []))];
  for (const group of groups) {
    const sampleNames = new Set<string>();
    for (const [s, where] of group) {
      if (sampleNames.has(s.name)) fail(recipe.name, `${where}.name`, `sample name "${s.name}" is used twice`);
      sampleNames.add(s.name);
    }
  }
  return Object.freeze({ ...recipe, featureColumns });
}

/** Branches a recipe reads: the EventInfo weight and DSID, its event branches and every field of every collection. */
export function branchesOfRecipe(recipe: RecipeDefinition): string[] {
  const branches = [MC_EVENT_WEIGHTS_BRANCH, MC_CHANNEL_BRANCH, ...recipe.eventBranches];
  for (const c of Object.values(recipe.collections)) for (const f of c.fields) branches.push(`${c.branch}.${f}`);
  return [...new Set(branches)];
}

export const MC_EVENT_WEIGHTS_BRANCH = 'EventInfoAuxDyn.mcEventWeights';
export const MC_CHANNEL_BRANCH = 'EventInfoAuxDyn.mcChannelNumber';
