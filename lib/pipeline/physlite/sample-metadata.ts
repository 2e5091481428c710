import { AppError } from '@/lib/shared/app-error';

/** One row of the organiser's sample metadata table (CSV: dsid, cross_section_pb, k_factor, filter_efficiency, description). */
export type SampleMetadata = { dsid: number; crossSectionPb: number; kFactor: number; filterEfficiency: number; description: string };

const HEADER = ['dsid', 'cross_section_pb', 'k_factor', 'filter_efficiency', 'description'];

/** Parses the metadata CSV strictly: exact header, positive numbers, unique DSIDs; errors name file, line and column. */
export function parseSampleMetadataCsv(text: string, fileName: string): Map<number, SampleMetadata> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  if (header.slice(0, 4).join(',') !== HEADER.slice(0, 4).join(',')) {
    throw new AppError('INVALID_DATASET', `${fileName} line 1: the header must start with ${HEADER.join(',')}, found "${lines[0] ?? ''}".`, { file: fileName, row: 1 });
  }
  const out = new Map<number, SampleMetadata>();
  lines.slice(1).forEach((line, i) => {
    const fields = line.split(',');
    const lineNumber = i + 2;
    const number = (c: number, name: string, isValid: (n: number) => boolean) => {
      const n = Number(fields[c]);
      if (fields[c] === undefined || fields[c]?.trim() === '' || !Number.isFinite(n) || !isValid(n)) {
        throw new AppError('INVALID_DATASET', `${fileName} line ${lineNumber} column ${name}: expected a positive number, found "${fields[c] ?? ''}".`, { file: fileName, row: lineNumber, column: name });
      }
      return n;
    };
    const dsid = number(0, 'dsid', (n) => Number.isInteger(n) && n > 0);
    if (out.has(dsid)) throw new AppError('INVALID_DATASET', `${fileName} line ${lineNumber}: DSID ${dsid} appears twice.`, { file: fileName, row: lineNumber, column: 'dsid' });
    out.set(dsid, {
      dsid,
      crossSectionPb: number(1, 'cross_section_pb', (n) => n > 0),
      kFactor: number(2, 'k_factor', (n) => n > 0),
      filterEfficiency: number(3, 'filter_efficiency', (n) => n > 0 && n <= 1),
      description: fields.slice(4).join(',').trim(),
    });
  });
  return out;
}

/**
 * Per-event MC weights normalised to a luminosity: w = mcEventWeight[0] · σ · k · ε_filter · L / Σ mcEventWeight[0],
 * σ in pb and L in fb⁻¹ (×1000 to pb⁻¹). `sumOfWeights` is the sum over all generated events of the sample.
 */
export function normaliseEventWeights(mcWeights: ArrayLike<number>, metadata: SampleMetadata, luminosityFb: number, sumOfWeights: number): Float64Array {
  if (!(sumOfWeights !== 0 && Number.isFinite(sumOfWeights))) {
    throw new AppError('INVALID_DATASET', `DSID ${metadata.dsid}: the sum of mcEventWeights[0] is ${sumOfWeights}; cannot normalise.`, { column: 'mcEventWeights' });
  }
  const scale = (metadata.crossSectionPb * metadata.kFactor * metadata.filterEfficiency * luminosityFb * 1000) / sumOfWeights;
  return Float64Array.from(mcWeights, (w) => w * scale);
}
