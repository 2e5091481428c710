import type { DatasetManifest } from './dataset-manifest';

/** The first DOI a manifest names (a source's `doi`, or one quoted in the citation text), or null. */
export function findDatasetDoi(manifest: Pick<DatasetManifest, 'sources' | 'citation'>): string | null {
  const fromSource = manifest.sources.find((s) => s.doi)?.doi;
  if (fromSource) return fromSource;
  const match = /\b(10\.\d{4,9}\/[^\s;,)]+[^\s;,).])/.exec(manifest.citation);
  return match?.[1] ?? null;
}

const escapeBibtex = (text: string) => text.replace(/[{}\\]/g, (c) => `\\${c}`).replace(/[%&#_$]/g, (c) => `\\${c}`);

/**
 * How to cite a dataset version: the manifest's citation as plain text (with the version and DOI appended when the
 * text lacks them), and a BibTeX `@misc` entry with key `<dataset>_<version>` built from the same facts.
 */
export function formatCitation(manifest: Pick<DatasetManifest, 'dataset' | 'version' | 'title' | 'citation' | 'sources' | 'createdAt' | 'licence' | 'isToy'>): { text: string; bibtex: string } {
  const doi = findDatasetDoi(manifest);
  const year = /^\d{4}/.exec(manifest.createdAt)?.[0] ?? '';
  const parts = [manifest.citation.trim().replace(/\.?$/, '.')];
  if (!manifest.citation.includes(manifest.version)) parts.push(`Dataset ${manifest.dataset}, version ${manifest.version}.`);
  if (doi && !manifest.citation.includes(doi)) parts.push(`DOI: ${doi}.`);
  const key = `${manifest.dataset}_${manifest.version}`.replace(/[^A-Za-z0-9_:.-]/g, '_');
  const fields: Array<[string, string]> = [
    ['title', `{${escapeBibtex(manifest.title)}}`],
    ['author', `{${manifest.isToy ? 'HEP Arena' : escapeBibtex(authorOf(manifest.citation))}}`],
    ['howpublished', `{${escapeBibtex(`Dataset ${manifest.dataset}, version ${manifest.version}`)}}`],
    ['version', `{${escapeBibtex(manifest.version)}}`],
    ...(year ? ([['year', `{${year}}`]] as Array<[string, string]>) : []),
    ...(doi ? ([['doi', `{${escapeBibtex(doi)}}`]] as Array<[string, string]>) : []),
    ['note', `{${escapeBibtex(`${manifest.citation.trim()} Licence: ${manifest.licence}.`)}}`],
  ];
  const bibtex = `@misc{${key},\n${fields.map(([name, value]) => `  ${name.padEnd(12)} = ${value}`).join(',\n')}\n}\n`;
  return { text: parts.join(' '), bibtex };
}

/** The author part of a citation: the text before its first comma or period ("ATLAS Collaboration"). */
function authorOf(citation: string): string {
  const head = citation.split(/[,.]/)[0]?.trim();
  return head && head.length > 0 && head.length < 80 ? head : 'Unknown';
}
