import { openRootFile } from './root-file';
import type { BranchPlan } from './plan-branch';
import { describeValueType } from './value-type';

export type BranchInspection = Pick<BranchPlan, 'name' | 'typeName' | 'layout' | 'reason' | 'compressedBytes' | 'uncompressedBytes' | 'depth'> & {
  columns: { name: string; type: string }[];
};

export type TreeInspection = { path: string; entries: number; columns: number; branches: BranchInspection[] };

export type RootFileInspection = {
  file: string;
  sizeBytes: number;
  trees: TreeInspection[];
  /** Every other key (directories walked): its path and class, for readers of other kinds of objects. */
  objects: { path: string; className: string }[];
};

/**
 * Trees (in any directory, by full path), entries and every branch — sub-branches of split objects included — with
 * its type, layout, the columns it becomes (or why none), and compressed / uncompressed size; and the file's other
 * objects by class.
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
    const treePaths = new Set(file.trees.map((t) => t.path));
    const objects = file.keys.filter((k) => !treePaths.has(k.path) && k.className !== 'TDirectory' && k.className !== 'TDirectoryFile').map((k) => ({ path: k.path, className: k.className }));
    return { file: file.name, sizeBytes: file.sizeBytes, trees, objects: [...new Map(objects.map((o) => [`${o.path}`, o])).values()] };
  } finally {
    await file.close();
  }
}

/**
 * The inspection as text: a line per file and tree, then one line per branch (sub-branches indented) with its
 * name, type, layout, number of columns and compressed / uncompressed bytes, columns separated by two or more
 * spaces; branches without columns end with the reason.
 */
export function formatRootFileInspection(inspection: RootFileInspection): string[] {
  const lines = [`file ${inspection.file} (${inspection.sizeBytes} bytes), ${inspection.trees.length} tree(s)`];
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
  for (const o of inspection.objects) lines.push(`object ${o.path}: ${o.className}`);
  return lines;
}
