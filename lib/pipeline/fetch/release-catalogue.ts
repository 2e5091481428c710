import { AppError } from '@/lib/shared/app-error';

export type ChecksumAlgorithm = 'sha256' | 'md5' | 'adler32';
export type Checksum = { algorithm: ChecksumAlgorithm; value: string };

/** Where a release is published; each has a base URL that `fetch` lets you override (tests, mirrors). */
export type ReleaseHost = 'cern-opendata' | 'zenodo';

export const DEFAULT_HOST_URLS: Readonly<Record<ReleaseHost, string>> = {
  'cern-opendata': 'https://opendata.cern.ch',
  zenodo: 'https://zenodo.org',
};

/** One file of a release: its name, its path under the host's base URL, and how it becomes the importer's input. */
export type ReleaseFile = {
  name: string;
  path: string;
  /** A checksum pinned here; otherwise the one the record publishes (read from the host's API at fetch time). */
  checksum?: Checksum;
  /** `gunzip`: the importer reads the decompressed file; `zip`: the named members are extracted (optional ones when present). */
  unpack?: { kind: 'gunzip' } | { kind: 'zip'; members: string[]; optionalMembers?: string[] };
  /** Which importer input the (unpacked) file is. */
  role: 'input' | 'train' | 'test' | 'metadata';
};

export type KnownRelease = {
  name: 'higgsml-2014' | 'atlas-top-tagging' | 'fair-universe';
  title: string;
  host: ReleaseHost;
  record: string;
  /** Dataset id and version the importer writes (`DATA_DIR/datasets/<dataset>/<version>`). */
  dataset: string;
  version: string;
  files(options: { trainShards: number; testShards: number }): ReleaseFile[];
};

const shard = (kind: 'train' | 'test', index: number): ReleaseFile => {
  const name = `${kind}_nominal_${String(index).padStart(3, '0')}.h5.gz`;
  return { name, path: `/record/80030/files/assets/atlas/datascience/CERN-EP-2024-159/${name}`, unpack: { kind: 'gunzip' }, role: kind };
};

/**
 * The public releases `npm run pipeline -- fetch <name>` knows. Addresses: CERN Open Data record 328 (HiggsML 2014,
 * DOI 10.7483/OPENDATA.ATLAS.ZBP2.M5T8), record 80030 (ATLAS top tagging, DOI 10.7483/OPENDATA.ATLAS.SOAY.LABE; 930
 * training and 100 test shards of about 100,000 jets, gzip-compressed HDF5) and Zenodo record 15131565 (FAIR-Universe
 * HiggsML Uncertainty Challenge, one zip holding the Parquet table). Both hosts publish a checksum per file in their
 * record API (CERN Open Data adler32, Zenodo md5); `fetch` verifies every download against it, or against a checksum
 * pinned here. None is pinned yet: they could not be read from this build machine, which has no route to either host.
 */
export const KNOWN_RELEASES: readonly KnownRelease[] = [
  {
    name: 'higgsml-2014',
    title: 'ATLAS Higgs Boson Machine Learning Challenge 2014 (818,238 events)',
    host: 'cern-opendata',
    record: '328',
    dataset: 'higgsml-2014',
    version: '1.0.0',
    files: () => [{ name: 'atlas-higgs-challenge-2014-v2.csv.gz', path: '/record/328/files/atlas-higgs-challenge-2014-v2.csv.gz', role: 'input' }],
  },
  {
    name: 'atlas-top-tagging',
    title: 'ATLAS top tagging open data set with systematic uncertainties (nominal shards)',
    host: 'cern-opendata',
    record: '80030',
    dataset: 'atlas-top-tagging',
    version: '1.0.0',
    files: ({ trainShards, testShards }) => [
      ...Array.from({ length: trainShards }, (_, i) => shard('train', i)),
      ...Array.from({ length: testShards }, (_, i) => shard('test', i)),
    ],
  },
  {
    name: 'fair-universe',
    title: 'FAIR-Universe HiggsML Uncertainty Challenge public dataset',
    host: 'zenodo',
    record: '15131565',
    dataset: 'fair-universe-higgsml',
    version: '1.0.0',
    files: () => [
      {
        name: 'FAIR_Universe_HiggsML_data.zip',
        path: '/records/15131565/files/FAIR_Universe_HiggsML_data.zip?download=1',
        unpack: { kind: 'zip', members: ['FAIR_Universe_HiggsML_data.parquet'], optionalMembers: ['FAIR_Universe_HiggsML_data_metadata.json'] },
        role: 'input',
      },
    ],
  },
];

/** Names `fetch` accepts: the releases above and `physlite` (a file of any CERN Open Data record). */
export const FETCH_NAMES: readonly string[] = [...KNOWN_RELEASES.map((r) => r.name), 'physlite'];

/** The release of that name, or `AppError('NOT_FOUND')` listing the known ones. */
export function getKnownReleaseOrThrow(name: string): KnownRelease {
  const release = KNOWN_RELEASES.find((r) => r.name === name);
  if (!release) {
    throw new AppError('NOT_FOUND', `No known release "${name}"; known: ${FETCH_NAMES.map((n) => (n === 'physlite' ? 'physlite --record <id> --file <name>' : n)).join(', ')}.`, {
      expected: FETCH_NAMES.join(' | '),
      found: name,
    });
  }
  return release;
}
