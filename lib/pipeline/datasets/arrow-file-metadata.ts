import type { DatasetManifest } from '@/lib/shared/dataset-manifest';

/**
 * Arrow schema metadata of one file of a dataset version: the provenance of the manifest repeated, so that a file
 * downloaded alone still says where it came from (DATA.md "Outputs"). `extra` fields follow the role.
 */
export function arrowFileMetadata(
  manifest: Pick<DatasetManifest, 'dataset' | 'version' | 'title' | 'pipelineVersion' | 'licence' | 'citation' | 'sources' | 'missingValue'>,
  file: { role: string; seed: number; columnNames: string[]; columnSpecs: readonly { name: string; unit: string; description: string }[] },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    dataset: manifest.dataset,
    version: manifest.version,
    title: manifest.title,
    role: file.role,
    ...extra,
    pipeline_version: manifest.pipelineVersion,
    licence: manifest.licence,
    citation: manifest.citation,
    sources: JSON.stringify(manifest.sources),
    missing_value: String(manifest.missingValue),
    seed: String(file.seed),
    columns: JSON.stringify(file.columnNames.map((name) => file.columnSpecs.find((c) => c.name === name))),
  };
}
