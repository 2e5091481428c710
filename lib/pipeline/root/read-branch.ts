import { AppError } from '@/lib/shared/app-error';
import type { ByteSource } from './byte-source';
import type { DecodedData } from './decoded-data';
import { runDecodeTask } from './decode-task';
import type { BranchPlan } from './plan-branch';
import type { RootElementType } from './root-types';
import type { NumberArray } from './value-type';

/** A branch of numbers read whole: one value per entry (`flat`), or per entry a run of `values` between two `offsets` (`vector`). */
export type RootColumn =
  | { name: string; typeName: string; layout: 'flat'; elementType: RootElementType; values: NumberArray }
  | { name: string; typeName: string; layout: 'vector'; elementType: RootElementType; values: NumberArray; offsets: Int32Array };

function numbersOf(data: DecodedData): { values: NumberArray; element: RootElementType } | null {
  if (data.kind === 'number') return { values: data.values, element: data.element };
  if (data.kind === 'bool') return { values: data.values, element: 'bool' };
  return null;
}

/**
 * Reads one branch of numbers (flat) or of vectors of numbers whole, on the calling thread: for small trees and
 * tests. Anything else — and large trees — is read with `readBatches`.
 */
export async function readBranchColumn(source: ByteSource, tree: string, plan: BranchPlan): Promise<RootColumn> {
  const column = plan.columns.length === 1 ? plan.columns[0] : undefined;
  if (!plan.decode || !column) {
    throw new AppError('BAD_REQUEST', `branch "${plan.name}" of ${tree} in ${source.name} is not one column of numbers (${plan.typeName}, ${plan.reason ?? `${plan.columns.length} columns`}); read it with readBatches.`, { file: source.name, column: plan.name });
  }
  const baskets = [];
  for (const record of plan.baskets) baskets.push({ record, bytes: record.kind === 'disk' ? await source.read(record.seek, record.sizeBytes) : null });
  const data = await runDecodeTask({ file: source.name, tree, plan: plan.decode, start: 0, stop: plan.entries, baskets });
  const flat = numbersOf(data);
  if (flat) return { name: plan.name, typeName: plan.typeName, layout: 'flat', elementType: flat.element, values: flat.values };
  const inner = data.kind === 'list' ? numbersOf(data.item) : null;
  if (data.kind === 'list' && inner) return { name: plan.name, typeName: plan.typeName, layout: 'vector', elementType: inner.element, values: inner.values, offsets: data.offsets };
  throw new AppError('BAD_REQUEST', `branch "${plan.name}" of ${tree} in ${source.name} holds ${plan.typeName}, not numbers or a vector of numbers; read it with readBatches.`, { file: source.name, column: plan.name });
}
