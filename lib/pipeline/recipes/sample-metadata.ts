import { AppError } from '@/lib/shared/app-error';

/**
 * One row of the organiser's sample metadata table (CSV: dsid, cross_section_pb, k_factor, filter_efficiency,
 * [sum_of_weights,] description). `sumOfWeights` is Σ of the nominal MC weight over all generated events of the DSID,
 * for files that carry no bookkeeping of their own.
 */
export type SampleMetadata = { dsid: number; crossSectionPb: number; kFactor: number; filterEfficiency: number; sumOfWeights?: number; description: string };

const HEADER = ['dsid', 'cross_section_pb', 'k_factor', 'filter_efficiency', 'description'];

/**
 * Parses the metadata CSV strictly: exact header (an optional `sum_of_weights` column before `description`), positive
 * numbers, unique DSIDs; errors name file, line and column. The description is the rest of the line (it may hold commas).
 */
export function parseSampleMetadataCsv(text: string, fileName: string): Map<number, SampleMetadata> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  if (header.slice(0, 4).join(',') !== HEADER.slice(0, 4).join(',')) {
    throw new AppError('INVALID_DATASET', `${fileName} line 1: the header must start with ${HEADER.join(',')}, found "${lines[0] ?? ''}".`, { file: fileName, row: 1 });
  }
  const hasSumOfWeights = header[4] === 'sum_of_weights';
  const descriptionColumn = hasSumOfWeights ? 5 : 4;
  const out = new Map<number, SampleMetadata>();
  lines.slice(1).forEach((line, i) => {
    const fields = line.split(',');
    const lineNumber = i + 2;
    const number = (c: number, name: string, isValid: (n: number) => boolean) => {
      const n = Number(fields[c]);
      if (fields[c] === undefined || fields[c]?.trim() === '' || !Number.isFinite(n) || !isValid(n)) {
        const expected = name === 'sum_of_weights' ? 'a finite non-zero number' : name === 'filter_efficiency' ? 'a number in (0, 1]' : 'a positive number';
        throw new AppError('INVALID_DATASET', `${fileName} line ${lineNumber} column ${name}: expected ${expected}, found "${fields[c] ?? ''}".`, { file: fileName, row: lineNumber, column: name, expected, found: fields[c] ?? '' });
      }
      return n;
    };
    const dsid = number(0, 'dsid', (n) => Number.isInteger(n) && n > 0);
    if (out.has(dsid)) throw new AppError('INVALID_DATASET', `${fileName} line ${lineNumber}: DSID ${dsid} appears twice.`, { file: fileName, row: lineNumber, column: 'dsid' });
    const row: SampleMetadata = {
      dsid,
      crossSectionPb: number(1, 'cross_section_pb', (n) => n > 0),
      kFactor: number(2, 'k_factor', (n) => n > 0),
      filterEfficiency: number(3, 'filter_efficiency', (n) => n > 0 && n <= 1),
      description: fields.slice(descriptionColumn).join(',').trim(),
    };
    // An empty sum_of_weights means "not known here" (the files' bookkeeping must give it).
    if (hasSumOfWeights && (fields[4] ?? '').trim() !== '') row.sumOfWeights = number(4, 'sum_of_weights', (n) => n !== 0);
    out.set(dsid, row);
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
