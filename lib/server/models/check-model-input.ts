import 'server-only';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import type { DefinitionIssueDto } from '@/lib/shared/dto/organised-challenge-dto';

/**
 * What a challenge that takes models needs from its dataset version: every declared input column among the
 * dataset's feature columns, and the test features of the nominal set and of every variation (server-only ones
 * included) as Arrow files the runner can read. Empty when the definition takes no models.
 */
export function checkModelInput(definition: ChallengeDefinition, manifest: DatasetManifest): DefinitionIssueDto[] {
  if (!definition.model) return [];
  const issues: DefinitionIssueDto[] = [];
  const label = `${manifest.dataset} ${manifest.version}`;
  const features = new Set(manifest.featureColumns);
  definition.model.inputColumns.forEach((column, i) => {
    if (!features.has(column)) {
      issues.push({ path: `model.inputColumns.${i}`, message: `dataset ${label} has no feature column "${column}" (it has ${manifest.featureColumns.slice(0, 10).join(', ')}${manifest.featureColumns.length > 10 ? ', …' : ''})` });
    }
  });
  const fileNames = new Set(manifest.files.map((f) => f.name));
  const tables = ['test', ...definition.scoring.variations.map((v) => `test@${v.name}`)];
  tables.forEach((table, i) => {
    if (!fileNames.has(`${table}.arrow`)) {
      issues.push({ path: i === 0 ? 'model' : `scoring.variations.${i - 1}.name`, message: `dataset ${label} has no ${table}.arrow, the test features a submitted model is run on` });
    }
  });
  return issues;
}
