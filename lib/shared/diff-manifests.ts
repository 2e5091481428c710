import type { DatasetManifest } from './dataset-manifest';
import type { DatasetDiffDto } from './dto/dataset-catalogue-dto';
import type { TrainingSummaryDto } from './histograms/histogram-types';

const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Leaves of a JSON value as path → value text ("selection.tauPtMin" → "25"); arrays are leaves. */
function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, '{}');
    for (const [key, inner] of entries) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix || '(recipe)', show(value));
  }
  return out;
}

/**
 * What changed from one dataset version to another, from their manifests (and training summaries when known):
 * row counts per public table, columns added, removed or redescribed, recipe settings, sources (by name: checksum or
 * DOI changed), per-process training rows and yields, and the other descriptive fields. Server-only files are left
 * out of the row counts.
 */
export function diffManifests(from: DatasetManifest, to: DatasetManifest, summaries: { from: TrainingSummaryDto | null; to: TrainingSummaryDto | null } = { from: null, to: null }): DatasetDiffDto {
  const tables = (m: DatasetManifest) => new Map(m.files.filter((f) => f.format === 'arrow' && !f.serverOnly && !f.role.startsWith('truth')).map((f) => [f.name.replace(/\.arrow$/, ''), f.rows]));
  const tablesFrom = tables(from);
  const tablesTo = tables(to);
  const tableNames = [...new Set([...tablesFrom.keys(), ...tablesTo.keys()])];
  const rows = tableNames.map((table) => ({ table, from: tablesFrom.get(table) ?? null, to: tablesTo.get(table) ?? null }));

  const columnsFrom = new Map(from.columns.map((c) => [c.name, `${c.unit ? `[${c.unit}] ` : ''}${c.description}`]));
  const columnsTo = new Map(to.columns.map((c) => [c.name, `${c.unit ? `[${c.unit}] ` : ''}${c.description}`]));
  const columns = {
    added: [...columnsTo.keys()].filter((n) => !columnsFrom.has(n)),
    removed: [...columnsFrom.keys()].filter((n) => !columnsTo.has(n)),
    changed: [...columnsTo.keys()].filter((n) => columnsFrom.has(n) && columnsFrom.get(n) !== columnsTo.get(n)).map((name) => ({ name, from: columnsFrom.get(name) as string, to: columnsTo.get(name) as string })),
  };

  const recipeFrom = flatten(from.recipe);
  const recipeTo = flatten(to.recipe);
  const recipe = [...new Set([...recipeFrom.keys(), ...recipeTo.keys()])]
    .filter((p) => recipeFrom.get(p) !== recipeTo.get(p))
    .map((path) => ({ path, from: recipeFrom.get(path) ?? null, to: recipeTo.get(path) ?? null }));

  const sourceText = (s: DatasetManifest['sources'][number]) => [s.sha256 ? `sha256 ${s.sha256}` : '', s.doi ? `DOI ${s.doi}` : '', s.note ?? ''].filter(Boolean).join(' · ');
  const sourcesFrom = new Map(from.sources.map((s) => [s.name, sourceText(s)]));
  const sourcesTo = new Map(to.sources.map((s) => [s.name, sourceText(s)]));
  const sources = {
    added: [...sourcesTo.keys()].filter((n) => !sourcesFrom.has(n)),
    removed: [...sourcesFrom.keys()].filter((n) => !sourcesTo.has(n)),
    changed: [...sourcesTo.keys()].filter((n) => sourcesFrom.has(n) && sourcesFrom.get(n) !== sourcesTo.get(n)).map((name) => ({ name, from: sourcesFrom.get(name) as string, to: sourcesTo.get(name) as string })),
  };

  const processNames = [...new Set([...(summaries.from?.processes ?? []), ...(summaries.to?.processes ?? [])].map((p) => p.name))];
  const processes = processNames
    .map((name) => ({ name, from: summaries.from?.processes.find((p) => p.name === name) ?? null, to: summaries.to?.processes.find((p) => p.name === name) ?? null }))
    .filter((p) => p.from?.rows !== p.to?.rows || p.from?.sumOfWeights !== p.to?.sumOfWeights);

  const fields: Array<[string, unknown, unknown]> = [
    ['title', from.title, to.title],
    ['description', from.description, to.description],
    ['licence', from.licence, to.licence],
    ['citation', from.citation, to.citation],
    ['toy data', from.isToy, to.isToy],
    ['pipeline version', from.pipelineVersion, to.pipelineVersion],
    ['luminosity (fb⁻¹)', from.luminosityFb, to.luminosityFb],
    ['expected yields of the test set', from.expectedYields, to.expectedYields],
    ['missing value', from.missingValue, to.missingValue],
    ['variations', (from.variations ?? []).map((v) => v.name), (to.variations ?? []).map((v) => v.name)],
  ];
  const other = fields.filter(([, a, b]) => show(a) !== show(b)).map(([field, a, b]) => ({ field, from: show(a), to: show(b) }));
  return { dataset: to.dataset, from: from.version, to: to.version, rows, columns, recipe, sources, processes, other };
}
