import { Field, type RecordBatch, Schema } from 'apache-arrow';
import { AppError } from '@/lib/shared/app-error';
import { closestNames, globToRegExp } from '../../text/closest-names';
import { arrowTypeOf } from '../arrow-batch';
import type { ByteSource } from '../byte-source';
import { defaultJobs } from '../decode-pool';
import { collectTable, type ReadBatchesOptions, type RootTable, type TableSelection } from '../root-table';
import { describeValueType } from '../value-type';
import { columnTypeName } from './column-types';
import type { RNTupleKeyLocation } from './read-rntuple-anchor';
import { readRNTupleBatches } from './read-rntuple-batches';
import { readRNTupleDescriptor, type RNTupleDescriptor } from './read-rntuple-descriptor';
import { planRNTupleColumns, type RNTupleColumnPlan, type RNTupleUnsupportedField } from './rntuple-schema';

/** What `inspect` shows of one output column. */
export type RNTupleColumnSummary = {
  name: string;
  typeName: string;
  /** The column's value type in the words `inspect` uses for TTree columns ("list<float32>", "float32[3]", …). */
  type: string;
  /** Column types of the physical columns read, e.g. "SplitIndex64, SplitReal32". */
  encodings: string;
  compressedBytes: number;
  uncompressedBytes: number;
  isProjected: boolean;
};

/** The columns a selection picked, with the schema of the batches that hold them. */
export type RNTupleSelection = TableSelection & { plans: RNTupleColumnPlan[] };

/** An RNTuple of a ROOT file: metadata read when opened, pages only by `readBatches`. */
export type RNTuple = RootTable<RNTupleSelection> & {
  readonly kind: 'RNTuple';
  /** Its full path in the file (`dir/sub/name`), as `path`. */
  readonly name: string;
  /** The bytes of the file it lives in. */
  readonly source: ByteSource;
  readonly descriptor: RNTupleDescriptor;
  /** Every readable output column, in field order. */
  readonly columns: readonly RNTupleColumnPlan[];
  /** Top-level fields that cannot be read, with the reason. */
  readonly unsupported: readonly RNTupleUnsupportedField[];
  summarizeColumns(): RNTupleColumnSummary[];
};

/** Arrow field metadata of an output column: its C++ type, field path and column encodings. */
function fieldMetadata(plan: RNTupleColumnPlan, descriptor: RNTupleDescriptor): Map<string, string> {
  return new Map([
    ['root.type', plan.typeName],
    ['root.field', plan.fieldPath],
    ['root.columns', plan.physicalColumns.map((id) => columnTypeName(descriptor.columns[id]?.typeCode ?? -1)).join(',')],
  ]);
}

/** Whether `name` is `scope` or lies under it (`scope.…`). */
function isUnder(name: string, scope: string): boolean {
  return name === scope || (name.startsWith(scope) && name[scope.length] === '.');
}

/**
 * Opens the RNTuple whose anchor key is `key` (`key.name`: its path in the file): reads and checks its anchor,
 * header, footer and page lists, and plans its columns. Columns are named by their field path with dots (ATLAS's
 * `Container:member` shown as `Container.member`), records flattened, so that the same patterns select the same
 * columns as on a TTree of the same data.
 */
export async function openRNTuple(source: ByteSource, key: RNTupleKeyLocation): Promise<RNTuple> {
  const descriptor = await readRNTupleDescriptor(source, key);
  const { columns, unsupported } = planRNTupleColumns(descriptor.fields, descriptor.columns, descriptor.aliases);
  const names = [...new Set([...columns.flatMap((c) => [c.name, ...c.scopes]), ...unsupported.map((u) => u.name)])];
  const where = `RNTuple "${descriptor.name}" of ${source.name}`;
  const notFound = (pattern: string, what: string) => {
    const closest = closestNames(pattern.replace(/[*?]/g, ''), names);
    return new AppError('NOT_FOUND', `${what} in ${where}; closest: ${closest.join(', ')}.`, { file: source.name, column: pattern, expected: closest.join(', '), found: pattern });
  };
  const baseMetadata = {
    source_file: source.name,
    source_size_bytes: String(source.sizeBytes),
    rntuple: descriptor.name,
    rntuple_format: descriptor.anchor.version.join('.'),
    entries: String(descriptor.entries),
  };
  const compressedBytesOf = (plan: RNTupleColumnPlan) => {
    let compressed = 0;
    let uncompressed = 0;
    for (const cluster of descriptor.clusters) {
      for (const id of plan.physicalColumns) {
        const range = cluster.columns[id];
        const column = descriptor.columns[id];
        if (!range || !column) continue;
        for (const page of range.pages) {
          compressed += page.locator.size;
          uncompressed += Math.ceil((page.elements * column.bitsOnStorage) / 8);
        }
      }
    }
    return { compressed, uncompressed };
  };

  const ntuple: RNTuple = {
    kind: 'RNTuple',
    name: descriptor.name,
    path: descriptor.name,
    fileName: source.name,
    source,
    entries: descriptor.entries,
    descriptor,
    columns,
    unsupported,
    summarizeColumns() {
      return columns.map((plan) => {
        const { compressed, uncompressed } = compressedBytesOf(plan);
        const encodings = plan.physicalColumns.map((id) => columnTypeName(descriptor.columns[id]?.typeCode ?? -1)).join(', ');
        return { name: plan.name, typeName: plan.typeName, type: describeValueType(plan.type), encodings, compressedBytes: compressed, uncompressedBytes: uncompressed, isProjected: plan.isProjected };
      });
    },
    selectColumns(patterns, options = {}) {
      const list = patterns === undefined ? ['*'] : (typeof patterns === 'string' ? patterns.split(',') : [...patterns]).map((p) => p.trim()).filter(Boolean);
      if (list.length === 0) throw new AppError('BAD_REQUEST', 'no field or column names or patterns given.');
      const picked = new Set<RNTupleColumnPlan>();
      const skipped = new Map<string, string>();
      const refuse = new Set<RNTupleUnsupportedField>();
      for (const pattern of list) {
        if (!/[*?]/.test(pattern)) {
          // A field that cannot be read, named (or something under it): always an error, like a named TTree branch.
          const bad = unsupported.find((u) => isUnder(pattern, u.name) || isUnder(pattern, u.fieldPath));
          if (bad) {
            refuse.add(bad);
            continue;
          }
          const matches = columns.filter((c) => c.name === pattern || c.fieldPath === pattern || c.scopes.includes(pattern));
          if (matches.length === 0) throw notFound(pattern, `field or column "${pattern}" not found`);
          for (const m of matches) picked.add(m);
          continue;
        }
        const regex = globToRegExp(pattern);
        let matched = false;
        for (const c of columns) {
          if (regex.test(c.name) || regex.test(c.fieldPath) || c.scopes.some((s) => regex.test(s))) {
            picked.add(c);
            matched = true;
          }
        }
        for (const u of unsupported) {
          if (!regex.test(u.name) && !regex.test(u.fieldPath)) continue;
          matched = true;
          if (options.skipUnsupported) skipped.set(u.name, `${u.typeName}: ${u.reason}`);
          else refuse.add(u);
        }
        if (!matched) throw notFound(pattern, `no field or column matches "${pattern}"`);
      }
      if (refuse.size > 0) {
        const described = [...refuse].map((u) => `"${u.name}" (${u.typeName}): ${u.reason}.`).join(' ');
        throw new AppError('BAD_REQUEST', `${refuse.size} selected field(s) of ${where} cannot be converted: ${described} Narrow --branches or pass --skip-unsupported.`, {
          file: source.name,
          column: [...refuse].map((u) => u.name).join(', '),
        });
      }
      const plans = columns.filter((c) => picked.has(c));
      if (plans.length === 0) {
        const reasons = [...skipped].slice(0, 3).map(([n, r]) => `${n}: ${r}`).join('; ');
        throw new AppError('BAD_REQUEST', `none of the fields selected by "${list.join(',')}" in ${where} has columns to read${reasons ? ` (${reasons})` : ''}.`, { file: source.name });
      }
      const metadata = { ...baseMetadata, skipped_branches: JSON.stringify([...skipped].map(([name, reason]) => ({ name, reason }))), ...options.metadata };
      const schema = new Schema(
        plans.map((plan) => new Field(plan.name, arrowTypeOf(plan.type), false, fieldMetadata(plan, descriptor))),
        new Map(Object.entries(metadata)),
      );
      const compressedBytes = plans.reduce((sum, plan) => sum + compressedBytesOf(plan).compressed, 0);
      return { plans, schema, skipped: [...skipped].map(([name, reason]) => ({ name, reason })), compressedBytes };
    },
    readBatches(options: ReadBatchesOptions = {}): AsyncIterable<RecordBatch> {
      const { plans, schema } = ntuple.selectColumns(options.branches, { skipUnsupported: options.skipUnsupported });
      return readRNTupleBatches(source, descriptor, plans, schema, {
        jobs: options.jobs ?? defaultJobs(),
        batchEntries: options.batchEntries,
        entryStart: options.entryStart,
        entryStop: options.entryStop,
      });
    },
    readTable(options = {}) {
      return collectTable(ntuple.selectColumns(options.branches, { skipUnsupported: options.skipUnsupported }).schema, ntuple.readBatches(options));
    },
  };
  return ntuple;
}
