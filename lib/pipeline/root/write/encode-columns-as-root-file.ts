import { AppError } from '@/lib/shared/app-error';
import type { TreeBranchSpec } from './branch-types';
import type { BranchColumn } from './branch-writers';
import type { RootCompressionSettings } from './compress-root-payload';
import { createInMemoryRootFileSync } from './create-root-file';

/** Flat table columns as the dataset writer holds them. */
export type TableColumn = Float64Array | Float32Array | Int32Array | Int8Array | Uint8Array | readonly string[];

function branchOf(name: string, column: TableColumn): TreeBranchSpec {
  if (Array.isArray(column)) return { name, kind: 'string' };
  if (column instanceof Float64Array) return { name, kind: 'number', type: 'float64' };
  if (column instanceof Float32Array) return { name, kind: 'number', type: 'float32' };
  if (column instanceof Int32Array) return { name, kind: 'number', type: 'int32' };
  if (column instanceof Int8Array) return { name, kind: 'number', type: 'int8' };
  if (column instanceof Uint8Array) return { name, kind: 'number', type: 'uint8' };
  throw new AppError('INTERNAL', `column "${name}" is not a numeric typed array or a string array.`, { column: name });
}

/**
 * One table as a ROOT file in memory: a single TTree named `treeName` with one branch per column, in column order
 * (Float64 → double, Float32 → float, Int32 → int, Int8 → char, Uint8 → unsigned char, strings → C strings).
 * `ROOT.RDataFrame(treeName, file)` and `uproot.open(file)[treeName].arrays()` read it as the same table. The same
 * columns and date give the same bytes.
 */
export function encodeColumnsAsRootFile(input: {
  fileName: string;
  treeName: string;
  title?: string;
  columns: Readonly<Record<string, TableColumn>>;
  modifiedAt?: Date;
  compression?: RootCompressionSettings;
}): Uint8Array {
  const names = Object.keys(input.columns);
  const file = createInMemoryRootFileSync(input.fileName, { modifiedAt: input.modifiedAt, compression: input.compression, title: input.title });
  const tree = file.addTree({ name: input.treeName, title: input.title ?? input.treeName, branches: names.map((name) => branchOf(name, input.columns[name] as TableColumn)) });
  tree.appendColumns(input.columns as Record<string, BranchColumn>);
  file.close();
  return file.bytes();
}
