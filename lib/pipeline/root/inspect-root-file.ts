import { openRootFile } from './root-file';
import type { BranchPlan } from './plan-branch';
import type { RNTupleColumnSummary, RNTupleUnsupportedField } from './rntuple';
import { DIRECTORY_CLASSES } from './root-table';
import { describeValueType } from './value-type';

export type BranchInspection = Pick<BranchPlan, 'name' | 'typeName' | 'layout' | 'reason' | 'compressedBytes' | 'uncompressedBytes' | 'depth'> & {
  columns: { name: string; type: string }[];
};

export type TreeInspection = { path: string; entries: number; columns: number; branches: BranchInspection[] };

/** What `inspect` lists of an RNTuple: entries, clusters, format version, compressed size, columns and unreadable fields. */
export type RNTupleInspection = {
  path: string;
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
  trees: TreeInspection[];
  /** RNTuples, in any directory, by full path. */
  rntuples: RNTupleInspection[];
  /** Every other key (directories walked): its path and class, for readers of other kinds of objects. */
  objects: { path: string; className: string }[];
};

/**
 * Trees (in any directory, by full path), entries and every branch — sub-branches of split objects included — with
 * its type, layout, the columns it becomes (or why none), and compressed / uncompressed size; RNTuples (in any
 * directory) with their entries, clusters and columns (type, encodings, sizes) and unreadable fields; and the file's
 * other objects by class.
 */
export async function inspectRootFile(location: string): Promise<RootFileInspection> {
  const file = await openRootFile(location);
  try {
    const trees: TreeInspection[] = [];
    for (const summary of file.trees) {
      const tree = await file.getTree(summary.path);
      const branches = tree.branches.map((b) => ({
        name: b.name,
        typeName: b.typeName,
        layout: b.layout,
        reason: b.reason,
        depth: b.depth,
        compressedBytes: b.compressedBytes,
        uncompressedBytes: b.uncompressedBytes,
        columns: b.columns.map((c) => ({ name: c.name, type: describeValueType(c.type) })),
      }));
      trees.push({ path: tree.path, entries: tree.entries, columns: branches.reduce((s, b) => s + b.columns.length, 0), branches });
    }
    const rntuples: RNTupleInspection[] = [];
    for (const summary of file.rntuples) {
      const ntuple = await file.getRNTuple(summary.path);
      const d = ntuple.descriptor;
      rntuples.push({
        path: ntuple.path,
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
    const listed = new Set([...file.trees, ...file.rntuples].map((t) => t.path));
    const objects = file.keys.filter((k) => !listed.has(k.path) && !DIRECTORY_CLASSES.has(k.className)).map((k) => ({ path: k.path, className: k.className }));
    return { file: file.name, sizeBytes: file.sizeBytes, trees, rntuples, objects: [...new Map(objects.map((o) => [`${o.path}`, o])).values()] };
  } finally {
    await file.close();
  }
}

/**
 * The inspection as text: a line per file and tree, then one line per branch (sub-branches indented) with its
 * name, type, layout, number of columns and compressed / uncompressed bytes, columns separated by two or more
 * spaces; branches without columns end with the reason. Then a line per RNTuple and one per column (name, C++ type,
 * value type, column encodings, bytes), and its unreadable fields with the reason.
 */
export function formatRootFileInspection(inspection: RootFileInspection): string[] {
  const lines = [`file ${inspection.file} (${inspection.sizeBytes} bytes), ${inspection.trees.length} tree(s), ${inspection.rntuples.length} RNTuple(s)`];
  for (const tree of inspection.trees) {
    const withColumns = tree.branches.filter((b) => b.columns.length > 0).length;
    const unsupported = tree.branches.filter((b) => b.layout === 'unsupported').length;
    const compressed = tree.branches.reduce((s, b) => s + b.compressedBytes, 0);
    lines.push(`tree ${tree.path}: ${tree.entries} entries, ${tree.branches.length} branches (${withColumns} read as ${tree.columns} columns, ${unsupported} unsupported), ${compressed} compressed bytes`);
    const label = (b: BranchInspection) => `${'  '.repeat(b.depth)}${b.name}`;
    const nameWidth = Math.max(6, ...tree.branches.map((b) => label(b).length));
    const typeWidth = Math.max(4, ...tree.branches.map((b) => b.typeName.length));
    const row = (name: string, type: string, layout: string, columns: string, zip: string, tot: string, note = '') =>
      `  ${name.padEnd(nameWidth)}  ${type.padEnd(typeWidth)}  ${layout.padEnd(17)}  ${columns.padStart(7)}  ${zip.padStart(10)}  ${tot.padStart(12)}${note ? `  ${note}` : ''}`;
    lines.push(row('branch', 'type', 'layout', 'columns', 'compressed', 'uncompressed'));
    for (const b of tree.branches) lines.push(row(label(b), b.typeName, b.layout, String(b.columns.length), String(b.compressedBytes), String(b.uncompressedBytes), b.columns.length === 0 ? (b.reason ?? '') : ''));
  }
  for (const nt of inspection.rntuples) {
    lines.push(
      `rntuple ${nt.path}: ${nt.entries} entries, ${nt.clusters} cluster(s) in ${nt.clusterGroups} group(s), format ${nt.formatVersion} (${nt.writer}), ${nt.columns.length} columns, ${nt.unsupported.length} unreadable field(s), ${nt.compressedBytes} compressed bytes`,
    );
    const nameWidth = Math.max(6, ...nt.columns.map((c) => c.name.length));
    const cppWidth = Math.max(4, ...nt.columns.map((c) => c.typeName.length));
    const typeWidth = Math.max(7, ...nt.columns.map((c) => c.type.length));
    const encodingWidth = Math.max(9, ...nt.columns.map((c) => c.encodings.length));
    const row = (name: string, cpp: string, type: string, encodings: string, zip: string, tot: string) =>
      `  ${name.padEnd(nameWidth)}  ${cpp.padEnd(cppWidth)}  ${type.padEnd(typeWidth)}  ${encodings.padEnd(encodingWidth)}  ${zip.padStart(10)}  ${tot.padStart(12)}`;
    lines.push(row('column', 'type', 'decoded', 'encodings', 'compressed', 'uncompressed'));
    for (const c of nt.columns) lines.push(row(c.name, c.typeName, c.type, c.encodings, String(c.compressedBytes), String(c.uncompressedBytes)));
    for (const u of nt.unsupported) lines.push(`  unreadable field ${u.name} (${u.typeName}): ${u.reason}`);
  }
  for (const o of inspection.objects) lines.push(`object ${o.path}: ${o.className}`);
  return lines;
}
