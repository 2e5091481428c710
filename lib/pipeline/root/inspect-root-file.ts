import { openRootFile } from './root-file';
import type { RootBranchInfo } from './root-types';
import type { RNTupleColumnSummary, RNTupleUnsupportedField } from './rntuple';

/** What `inspect` lists of an RNTuple: entries, clusters, format version, compressed size, columns and unreadable fields. */
export type RNTupleInspection = {
  name: string;
  entries: number;
  clusters: number;
  clusterGroups: number;
  formatVersion: string;
  writer: string;
  compressedBytes: number;
  columns: RNTupleColumnSummary[];
  unsupported: RNTupleUnsupportedField[];
};

export type RootFileInspection = {
  file: string;
  sizeBytes: number;
  trees: {
    name: string;
    entries: number;
    branches: Pick<RootBranchInfo, 'name' | 'typeName' | 'layout' | 'compressedBytes' | 'uncompressedBytes' | 'unsupportedReason'>[];
  }[];
  rntuples: RNTupleInspection[];
};

/**
 * Trees, entry counts and branches (type, layout, compressed and uncompressed size) of a ROOT file, and its
 * RNTuples (entries, clusters, columns with their types and encodings, sizes).
 */
export async function inspectRootFile(location: string): Promise<RootFileInspection> {
  const file = await openRootFile(location);
  try {
    const trees: RootFileInspection['trees'] = [];
    for (const summary of file.trees) {
      const tree = await file.getTree(summary.name);
      trees.push({
        name: tree.name,
        entries: tree.entries,
        branches: tree.branches.map(({ name, typeName, layout, compressedBytes, uncompressedBytes, unsupportedReason }) => ({
          name,
          typeName,
          layout,
          compressedBytes,
          uncompressedBytes,
          unsupportedReason,
        })),
      });
    }
    const rntuples: RNTupleInspection[] = [];
    for (const summary of file.rntuples) {
      const ntuple = await file.getRNTuple(summary.name);
      const d = ntuple.descriptor;
      rntuples.push({
        name: ntuple.name,
        entries: ntuple.entries,
        clusters: d.clusters.length,
        clusterGroups: d.clusterGroups.length,
        formatVersion: d.anchor.version.join('.'),
        writer: d.writer,
        compressedBytes: d.compressedBytes,
        columns: ntuple.summarizeColumns(),
        unsupported: [...ntuple.unsupported],
      });
    }
    return { file: file.name, sizeBytes: file.sizeBytes, trees, rntuples };
  } finally {
    await file.close();
  }
}

/**
 * The inspection as text lines: a line per file and tree, then one line per branch with its name, type, layout
 * (flat, vector or unsupported) and compressed / uncompressed bytes, columns separated by two or more spaces.
 */
export function formatRootFileInspection(inspection: RootFileInspection): string[] {
  const rntupleCount = inspection.rntuples.length > 0 ? `, ${inspection.rntuples.length} RNTuple(s)` : '';
  const lines = [`file ${inspection.file} (${inspection.sizeBytes} bytes), ${inspection.trees.length} tree(s)${rntupleCount}`];
  for (const tree of inspection.trees) {
    const readable = tree.branches.filter((b) => b.layout !== 'unsupported').length;
    const compressed = tree.branches.reduce((s, b) => s + b.compressedBytes, 0);
    lines.push(`tree ${tree.name}: ${tree.entries} entries, ${tree.branches.length} branches (${readable} readable as columns), ${compressed} compressed bytes`);
    const nameWidth = Math.max(6, ...tree.branches.map((b) => b.name.length));
    const typeWidth = Math.max(4, ...tree.branches.map((b) => b.typeName.length));
    const row = (name: string, type: string, layout: string, zip: string, tot: string) =>
      `  ${name.padEnd(nameWidth)}  ${type.padEnd(typeWidth)}  ${layout.padEnd(11)}  ${zip.padStart(10)}  ${tot.padStart(12)}`;
    lines.push(row('branch', 'type', 'layout', 'compressed', 'uncompressed'));
    for (const b of tree.branches) lines.push(row(b.name, b.typeName, b.layout, String(b.compressedBytes), String(b.uncompressedBytes)));
  }
  for (const nt of inspection.rntuples) {
    lines.push(
      `rntuple ${nt.name}: ${nt.entries} entries, ${nt.clusters} cluster(s) in ${nt.clusterGroups} group(s), format ${nt.formatVersion} (${nt.writer}), ${nt.columns.length} columns, ${nt.unsupported.length} unreadable field(s), ${nt.compressedBytes} compressed bytes`,
    );
    const nameWidth = Math.max(6, ...nt.columns.map((c) => c.name.length));
    const typeWidth = Math.max(4, ...nt.columns.map((c) => c.typeName.length));
    const arrowWidth = Math.max(5, ...nt.columns.map((c) => c.arrowType.length));
    const encodingWidth = Math.max(9, ...nt.columns.map((c) => c.encodings.length));
    const row = (name: string, type: string, arrow: string, encodings: string, zip: string, tot: string) =>
      `  ${name.padEnd(nameWidth)}  ${type.padEnd(typeWidth)}  ${arrow.padEnd(arrowWidth)}  ${encodings.padEnd(encodingWidth)}  ${zip.padStart(10)}  ${tot.padStart(12)}`;
    lines.push(row('column', 'type', 'arrow', 'encodings', 'compressed', 'uncompressed'));
    for (const c of nt.columns) lines.push(row(c.name, c.typeName, c.arrowType, c.encodings, String(c.compressedBytes), String(c.uncompressedBytes)));
    for (const u of nt.unsupported) lines.push(`  unreadable field ${u.name} (${u.typeName}): ${u.reason}`);
  }
  return lines;
}
