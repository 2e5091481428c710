import { AppError } from '../app-error';
import type { Binning } from './histogram-types';

/** More bins than this are refused: the browser draws no more, and no feature has the statistics for it. */
export const MAX_BINS = 1000;

/**
 * A requested binning, completed from `fallback` where a part is not given. Refuses (BAD_REQUEST, saying why) a bin
 * count that is not an integer in 1…1000, a range bound that is not a finite number, and min ≥ max. `axis` names the
 * query parameters in the message ("" → bins/min/max, "2" → bins2/min2/max2).
 */
export function parseBinning(input: { bins?: string | null; min?: string | null; max?: string | null }, fallback: Binning, axis = ''): { binning: Binning; isDefault: boolean } {
  const number = (name: string, raw: string | null | undefined, fallbackValue: number): number => {
    if (raw === null || raw === undefined || raw.trim() === '') return fallbackValue;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new AppError('BAD_REQUEST', `${name}${axis} must be a finite number, found "${raw}".`, { column: `${name}${axis}`, expected: 'a finite number', found: raw });
    return value;
  };
  const bins = number('bins', input.bins, fallback.bins);
  if (!Number.isInteger(bins) || bins < 1 || bins > MAX_BINS) {
    throw new AppError('BAD_REQUEST', `bins${axis} must be a whole number from 1 to ${MAX_BINS.toLocaleString('en')}, found ${input.bins}${bins > MAX_BINS ? `: more than ${MAX_BINS.toLocaleString('en')} bins cannot be drawn and would hold too few events each` : ''}.`, {
      column: `bins${axis}`,
      expected: `integer 1…${MAX_BINS}`,
      found: String(input.bins),
    });
  }
  const min = number('min', input.min, fallback.min);
  const max = number('max', input.max, fallback.max);
  if (!(min < max)) {
    throw new AppError('BAD_REQUEST', `min${axis} (${min}) must be smaller than max${axis} (${max}): the range of a histogram runs from min up to max.`, {
      column: `min${axis}`,
      expected: `min${axis} < max${axis}`,
      found: `min${axis} = ${min}, max${axis} = ${max}`,
    });
  }
  const binning = { bins, min, max };
  return { binning, isDefault: bins === fallback.bins && min === fallback.min && max === fallback.max };
}
