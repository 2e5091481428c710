import { AppError, type AppErrorDetails } from '@/lib/shared/app-error';

/**
 * Where in an RNTuple a problem lies; every message names the file and as much of field, column, cluster, page
 * and byte range as is known.
 */
export type RNTupleLocation = {
  file: string;
  ntuple?: string;
  /** "header envelope", "page list of cluster group 0", "anchor", … */
  part?: string;
  field?: string;
  column?: number;
  cluster?: number;
  page?: number;
  /** First byte and length of the range in the file. */
  byteRange?: [number, number];
};

export function describeLocation(at: RNTupleLocation): string {
  const parts = [at.file];
  if (at.ntuple) parts.push(`RNTuple "${at.ntuple}"`);
  if (at.part) parts.push(at.part);
  if (at.field !== undefined) parts.push(`field "${at.field}"`);
  if (at.column !== undefined) parts.push(`column ${at.column}`);
  if (at.cluster !== undefined) parts.push(`cluster ${at.cluster}`);
  if (at.page !== undefined) parts.push(`page ${at.page}`);
  if (at.byteRange) parts.push(`bytes ${at.byteRange[0]}–${at.byteRange[0] + at.byteRange[1] - 1}`);
  return parts.join(', ');
}

/** AppError('INVALID_DATASET') for a corrupt, truncated or unreadable RNTuple, naming where. */
export function rntupleError(at: RNTupleLocation, message: string, extra: AppErrorDetails = {}, cause?: unknown): AppError {
  const details: AppErrorDetails = { file: at.file, ...extra };
  if (at.field !== undefined) details.column = at.field;
  if (at.byteRange) details.byteRange = `${at.byteRange[0]}+${at.byteRange[1]}`;
  if (at.cluster !== undefined) details.cluster = at.cluster;
  if (at.page !== undefined) details.page = at.page;
  if (at.column !== undefined) details.physicalColumn = at.column;
  return new AppError('INVALID_DATASET', `${describeLocation(at)}: ${message}`, details, cause === undefined ? undefined : { cause });
}
