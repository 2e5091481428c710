import { AppError } from '@/lib/shared/app-error';
import type { RecordBatch } from '@/lib/shared/arrow';
import { closestNames, globToRegExp } from '../../text/closest-names';
import type { ByteSource } from '../byte-source';
import { columnTypeName } from './column-types';
import type { RNTupleKeyLocation } from './read-rntuple-anchor';
import { readRNTupleBatches, type ReadRNTupleBatchesOptions } from './read-rntuple-batches';
import { readRNTupleDescriptor, type RNTupleDescriptor } from './read-rntuple-descriptor';
import { planRNTupleColumns, type RNTupleColumnPlan, type RNTupleUnsupportedField } from './rntuple-schema';

/** What `inspect` shows of one output column. */
export type RNTupleColumnSummary = {
  name: string;
  typeName: string;
  arrowType: string;
  /** Column types of the physical columns read, e.g. "SplitIndex64, SplitReal32". */
  encodings: string;
  compressedBytes: number;
  uncompressedBytes: number;
  isProjected: boolean;
};

/** An RNTuple of a ROOT file: metadata read, pages read only by `readBatches`. */
export type RNTuple = {
  readonly name: string;
  readonly fileName: string;
  /** The bytes of the file it lives in. */
  readonly source: ByteSource;
  readonly entries: number;
  readonly descriptor: RNTupleDescriptor;
  /** Every readable output column, in field order. */
  readonly columns: readonly RNTupleColumnPlan[];
  /** Top-level fields that cannot be read, with the reason. */
  readonly unsupported: readonly RNTupleUnsupportedField[];
  summarizeColumns(): RNTupleColumnSummary[];
  /**
   * Columns matching comma-separated names or globs (`AnalysisJetsAuxDyn.*`), in field order. A name without
   * wildcards must name a column (by its dotted name or its stored field path); a pattern that matches nothing
   * fails with the closest names; an unreadable field fails with its reason.
   */
  selectColumns(patterns: string | readonly string[]): RNTupleColumnPlan[];
  /** One Arrow record batch per cluster for the given columns (see {@link readRNTupleBatches}). */
  readBatches(columns: readonly RNTupleColumnPlan[], options?: ReadRNTupleBatchesOptions): AsyncGenerator<RecordBatch>;
};

/** Opens the RNTuple whose anchor key is `key`: reads and checks its anchor, header, footer and page lists. */
export async function openRNTuple(source: ByteSource, key: RNTupleKeyLocation): Promise<RNTuple> {
  const descriptor = await readRNTupleDescriptor(source, key);
  const { columns, unsupported } = planRNTupleColumns(descriptor.fields, descriptor.columns, descriptor.aliases);
  const names = columns.map((c) => c.name);
  const notFound = (pattern: string, what: string) =>
    new AppError('NOT_FOUND', `${what} in RNTuple "${descriptor.name}" of ${source.name}; closest: ${closestNames(pattern.replace(/[*?]/g, ''), names).join(', ')}.`, {
      file: source.name,
      column: pattern,
      expected: closestNames(pattern.replace(/[*?]/g, ''), names).join(', '),
      found: pattern,
    });
  return {
    name: descriptor.name,
    fileName: source.name,
    source,
    entries: descriptor.entries,
    descriptor,
    columns,
    unsupported,
    summarizeColumns() {
      return columns.map((plan) => {
        let compressedBytes = 0;
        let uncompressedBytes = 0;
        for (const cluster of descriptor.clusters) {
          for (const id of plan.physicalColumns) {
            const range = cluster.columns[id];
            const column = descriptor.columns[id];
            if (!range || !column) continue;
            for (const page of range.pages) {
              compressedBytes += page.locator.size;
              uncompressedBytes += Math.ceil((page.elements * column.bitsOnStorage) / 8);
            }
          }
        }
        const encodings = plan.physicalColumns.map((id) => columnTypeName(descriptor.columns[id]?.typeCode ?? -1)).join(', ');
        return { name: plan.name, typeName: plan.typeName, arrowType: plan.arrowType, encodings, compressedBytes, uncompressedBytes, isProjected: plan.isProjected };
      });
    },
    selectColumns(patterns) {
      const list = (typeof patterns === 'string' ? patterns.split(',') : [...patterns]).map((p) => p.trim()).filter(Boolean);
      if (list.length === 0) throw new AppError('BAD_REQUEST', 'no column names or patterns given.');
      const selected = new Set<RNTupleColumnPlan>();
      for (const pattern of list) {
        const regex = globToRegExp(pattern);
        const matches = columns.filter((c) => regex.test(c.name) || regex.test(c.fieldPath));
        if (matches.length === 0) {
          const bad = unsupported.find((u) => u.name === pattern || pattern.startsWith(`${u.name}.`) || regex.test(u.name));
          if (bad) {
            throw new AppError('BAD_REQUEST', `field "${bad.name}" (${bad.typeName}) of RNTuple "${descriptor.name}" cannot be read: ${bad.reason}.`, { file: source.name, column: bad.name, found: bad.typeName });
          }
          throw notFound(pattern, /[*?]/.test(pattern) ? `no column matches "${pattern}"` : `column "${pattern}" not found`);
        }
        for (const m of matches) selected.add(m);
      }
      return columns.filter((c) => selected.has(c));
    },
    readBatches(selected, options) {
      return readRNTupleBatches(source, descriptor, selected, options);
    },
  };
}
