/** Types of scripts/build-clis.mjs (plain JavaScript, so that `npm install` runs it with Node alone). */
export declare const root: string;
export declare const outDir: string;
export declare const buildManifest: string;
export type CliBuildManifest = {
  builtAt: string;
  node: string;
  /** Entry (relative to the repository) → its bundle's file name in dist/cli/. */
  entries: Record<string, string>;
  /** Every source file the bundles were built from, with its mtime and size at build time. */
  inputs: Record<string, { mtimeMs: number; size: number } | null>;
};
export declare function listCliEntries(): string[];
export declare function outputOf(entry: string): string;
export declare function buildClis(extraEntries?: string[]): Promise<CliBuildManifest>;
export declare function findStaleReason(entry: string): string | null;
export declare function digestOfBuild(): string;
