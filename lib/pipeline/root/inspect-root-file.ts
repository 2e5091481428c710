import { openRootFile } from './root-file';
import type { RootBranchInfo } from './root-types';

export type RootFileInspection = {
  file: string;
  sizeBytes: number;
  trees: {
    name: string;
    entries: number;
    branches: Pick<RootBranchInfo, 'name' | 'typeName' | 'layout' | 'compressedBytes' | 'uncompressedBytes' | 'unsupportedReason'>[];
  }[];
};

/** Trees, entry counts and branches (type, layout, compressed and uncompressed size) of a ROOT file. */
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
    return { file: file.name, sizeBytes: file.sizeBytes, trees };
  } finally {
    await file.close();
  }
}

/**
 * The inspection as text lines: a line per file and tree, then one line per branch with its name, type, layout
 * (flat, vector or unsupported) and compressed / uncompressed bytes, columns separated by two or more spaces.
 */
export function formatRootFileInspection(inspection: RootFileInspection): string[] {
  const lines = [`file ${inspection.file} (${inspection.sizeBytes} bytes), ${inspection.trees.length} tree(s)`];
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
  return lines;
}
