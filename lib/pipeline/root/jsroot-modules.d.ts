// jsroot ships JavaScript without typings for its sub-modules; only jsroot-adapter.ts imports them.
declare module 'jsroot/io' {
  export class FileProxy {
    openFile(): Promise<boolean>;
    getFileName(): string;
    getFileSize(): number;
    readBuffer(position: number, length: number): Promise<DataView | null>;
    closeFile(): void;
  }
  export function openFile(arg: unknown, options?: unknown): Promise<unknown>;
}

declare module 'jsroot/tree' {
  export class TSelector {
    addBranch(name: string, alias?: string): number;
    Process: (this: { tgtobj: Record<string, unknown> }, entry?: number) => void;
  }
  export function treeProcess(tree: unknown, selector: TSelector, args?: unknown): Promise<unknown>;
}

declare module 'jsroot/rntuple' {
  export function rntupleProcess(rntuple: unknown, selector: import('jsroot/tree').TSelector, args?: unknown): Promise<unknown>;
}
