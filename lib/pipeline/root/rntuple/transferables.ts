import type { NestedArrowColumn } from '@/lib/shared/arrow';

/** The distinct ArrayBuffers under nested columns, to transfer them between threads instead of copying. */
export function transferablesOf(columns: readonly NestedArrowColumn[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (view: ArrayBufferView) => {
    if (view.buffer instanceof ArrayBuffer) buffers.add(view.buffer);
  };
  const visit = (column: NestedArrowColumn): void => {
    switch (column.kind) {
      case 'number':
      case 'bool':
        add(column.values);
        return;
      case 'utf8':
        add(column.offsets);
        add(column.bytes);
        return;
      case 'list':
        add(column.offsets);
        visit(column.child);
        return;
      case 'fixed-size-list':
        visit(column.child);
    }
  };
  columns.forEach(visit);
  return [...buffers];
}
