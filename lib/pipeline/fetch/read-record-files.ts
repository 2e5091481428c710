import { AppError } from '@/lib/shared/app-error';
import { parsePublishedChecksum } from './file-checksum';
import type { Checksum, ReleaseHost } from './release-catalogue';

/** A file as a record lists it: name, size, published checksum and the address to download it from. */
export type RecordFile = { name: string; sizeBytes: number | null; checksum: Checksum | null; url: string };

const EOS_PREFIX = /^root:\/\/eospublic\.cern\.ch\//;

/**
 * The files a record publishes, from the host's record API: CERN Open Data `GET <base>/api/records/<id>`
 * (`metadata.files[]`: `uri` root://eospublic.cern.ch//eos/…, `size`, `checksum` "adler32:…"; large records list
 * their files in `…_file_index.json` files, which are read too) or Zenodo `GET <base>/api/records/<id>` (`files[]`:
 * `key`, `size`, `checksum` "md5:…"). EOS addresses are served over HTTP at `<base>/eos/…`.
 *
 * @throws {AppError} `UNAVAILABLE` when the API cannot be reached or answers with an error, naming the URL.
 */
export async function readRecordFiles(host: ReleaseHost, baseUrl: string, record: string): Promise<RecordFile[]> {
  const base = baseUrl.replace(/\/+$/, '');
  const json = (await getJson(`${base}/api/records/${encodeURIComponent(record)}`)) as Record<string, unknown>;
  if (host === 'zenodo') {
    const files = Array.isArray(json.files) ? (json.files as Record<string, unknown>[]) : [];
    return files.map((f) => {
      const name = String(f.key ?? '');
      const links = (f.links ?? {}) as Record<string, unknown>;
      return { name, sizeBytes: typeof f.size === 'number' ? f.size : null, checksum: parsePublishedChecksum(f.checksum), url: typeof links.self === 'string' ? links.self : `${base}/records/${record}/files/${encodeURIComponent(name)}?download=1` };
    });
  }
  const metadata = (json.metadata ?? {}) as Record<string, unknown>;
  const listed = [...(Array.isArray(metadata.files) ? metadata.files : []), ...(Array.isArray(metadata._files) ? metadata._files : [])] as Record<string, unknown>[];
  const files: RecordFile[] = [];
  const seen = new Set<string>();
  const add = (entry: Record<string, unknown>) => {
    const uri = String(entry.uri ?? '');
    const name = uri.split('/').pop() || String(entry.key ?? entry.filename ?? '');
    if (!name || seen.has(name)) return;
    seen.add(name);
    files.push({ name, sizeBytes: typeof entry.size === 'number' ? entry.size : null, checksum: parsePublishedChecksum(entry.checksum), url: uri.replace(EOS_PREFIX, base) });
  };
  for (const entry of listed) {
    add(entry);
    const uri = String(entry.uri ?? '');
    if (uri.endsWith('_file_index.json')) {
      const index = await getJson(uri.replace(EOS_PREFIX, base));
      for (const item of Array.isArray(index) ? (index as Record<string, unknown>[]) : []) add(item);
    }
  }
  return files;
}

async function getJson(url: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' } });
  } catch (cause) {
    throw new AppError('UNAVAILABLE', `Cannot reach ${url} (${(cause as Error).cause instanceof Error ? ((cause as Error).cause as Error).message : (cause as Error).message}); check the network or set the base URL (see --help).`, { file: url }, { cause });
  }
  if (!response.ok) throw new AppError('UNAVAILABLE', `${url} answered HTTP ${response.status}; the record's file list could not be read.`, { file: url, found: String(response.status) });
  try {
    return await response.json();
  } catch (cause) {
    throw new AppError('UNAVAILABLE', `${url} did not answer with JSON; the record's file list could not be read.`, { file: url }, { cause });
  }
}
