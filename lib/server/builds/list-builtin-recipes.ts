import 'server-only';
import { builtinRecipes } from '@/recipes';
import type { RecipeSummaryDto } from '@/lib/shared/dto/recipe-build-dto';
import type { ServiceContext } from '../context';
import { assertCanCreateChallenges } from '../organiser/assert-can-create-challenges';

/** The recipes of the repository (recipes/<name>/recipe.ts) an organiser can build from the organiser page. */
export async function listBuiltinRecipes(ctx: ServiceContext): Promise<RecipeSummaryDto[]> {
  assertCanCreateChallenges(ctx);
  return builtinRecipes.map((r) => ({
    name: r.name,
    title: r.title,
    description: r.description,
    dataset: r.dataset,
    version: r.version,
    samples: r.samples.map((s) => ({ name: s.name, label: s.label, process: s.process, files: s.files })),
    dsidTable: typeof r.dsidTable === 'string' ? r.dsidTable : `${r.dsidTable.length} DSIDs in the recipe`,
    features: r.featureColumns.length,
    rows: r.rows === 'events' ? 'one row per event' : `one row per ${r.rows.objects} object`,
    variations: r.variations.map((v) => ({ name: v.name, kind: v.kind })),
  }));
}
