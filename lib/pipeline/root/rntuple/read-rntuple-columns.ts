import { AppError } from '@/lib/shared/app-error';
import type { NestedArrowColumn, NestedNumberArray } from '@/lib/shared/arrow';
import type { RNTuple } from './open-rntuple';
import { readRNTupleClusterColumns } from './read-rntuple-batches';

/** A whole column of numbers: one value per entry, or per entry the values between two offsets. */
export type RNTupleNumberColumn = { name: string; typeName: string; values: NestedNumberArray; offsets: Int32Array | null };

/**
 * Reads numeric columns (numbers per entry, or one level of lists of numbers) whole, cluster by cluster, for code
 * that works on complete columns (the PHYSLITE dataset builder). Memory holds the selected columns, not the file.
 */
export async function readRNTupleNumberColumns(ntuple: RNTuple, names: readonly string[], options: { jobs?: number } = {}): Promise<Record<string, RNTupleNumberColumn>> {
  const plans = names.map((name) => {
    const [plan] = ntuple.selectColumns(name);
    if (!plan || (plan.name !== name.replace(/:/g, '.') && plan.fieldPath !== name)) throw new AppError('NOT_FOUND', `column "${name}" not found in RNTuple "${ntuple.name}" of ${ntuple.fileName}.`, { file: ntuple.fileName, column: name });
    const isNumber = plan.leaf.kind !== 'string' && plan.steps.length <= 1 && plan.steps.every((s) => s.kind === 'list');
    if (!isNumber) throw new AppError('BAD_REQUEST', `column "${name}" of RNTuple "${ntuple.name}" is ${plan.arrowType}, not numbers or a list of numbers.`, { file: ntuple.fileName, column: name, found: plan.arrowType });
    return plan;
  });
  const parts: NestedArrowColumn[][] = plans.map(() => []);
  for await (const cluster of readRNTupleClusterColumns(ntuple.source, ntuple.descriptor, plans, options)) cluster.columns.forEach((column, i) => parts[i]?.push(column));
  const out: Record<string, RNTupleNumberColumn> = {};
  plans.forEach((plan, i) => {
    const chunks = parts[i] as NestedArrowColumn[];
    const leaves = chunks.map((c) => (c.kind === 'list' ? c.child : c)).map((c) => (c.kind === 'number' || c.kind === 'bool' ? c.values : new Uint8Array(0)));
    const values = concatNumbers(leaves);
    let offsets: Int32Array | null = null;
    if (plan.steps.length === 1) {
      offsets = new Int32Array(ntuple.entries + 1);
      let row = 0;
      let base = 0;
      for (const chunk of chunks) {
        if (chunk.kind !== 'list') continue;
        for (let k = 1; k < chunk.offsets.length; k++) offsets[++row] = base + (chunk.offsets[k] as number);
        base += chunk.offsets[chunk.offsets.length - 1] as number;
      }
    }
    out[names[i] as string] = { name: plan.name, typeName: plan.typeName, values, offsets };
  });
  return out;
}

function concatNumbers(parts: NestedNumberArray[]): NestedNumberArray {
  if (parts.length === 1) return parts[0] as NestedNumberArray;
  const Ctor = (parts[0]?.constructor ?? Float64Array) as new (length: number) => NestedNumberArray;
  const out = new Ctor(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    (out as Float64Array).set(p as Float64Array, at);
    at += p.length;
  }
  return out;
}
