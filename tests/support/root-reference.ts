import type { Table, Vector } from 'apache-arrow';
import type { BranchPlan, RootTree, ValueType } from '@/lib/pipeline/root';

/** An Arrow value as plain JS: lists and fixed-size lists become arrays, 64-bit integers numbers. */
export function plainArrowValue(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'object' && typeof (value as Vector).toArray === 'function' && 'type' in (value as object)) {
    const vector = value as Vector;
    const out: unknown[] = [];
    for (let i = 0; i < vector.length; i++) out.push(plainArrowValue(vector.get(i)));
    return out;
  }
  return value;
}

/** jsroot's value brought to the same plain shape: typed arrays as arrays, bigints and booleans as numbers. */
function plainJsroot(value: unknown, type: ValueType): unknown {
  if (value === null || value === undefined) return value;
  switch (type.kind) {
    case 'number':
      return typeof value === 'boolean' ? Number(value) : Number(value as number);
    case 'bool':
      return Boolean(value);
    case 'string':
      return String(value);
    case 'list':
    case 'fixed-list': {
      // jsroot reads a Char_t array leaf as a C string; its characters are the int8 values.
      // (A C string stops at its first NUL; the fixed-size array goes on with zeros.)
      if (typeof value === 'string' && type.item.kind === 'number') {
        const signed = type.item.element === 'int8';
        const codes = Array.from(value, (ch) => (signed ? (ch.charCodeAt(0) << 24) >> 24 : ch.charCodeAt(0)));
        if (type.kind === 'fixed-list' && codes.length < type.size) codes.push(...Array.from({ length: type.size - codes.length }, () => Number.NaN));
        return codes;
      }
      const array = Array.isArray(value) || ArrayBuffer.isView(value) ? Array.from(value as ArrayLike<unknown>) : [value];
      if (type.kind === 'fixed-list' && type.item.kind !== 'fixed-list' && array.some((x) => Array.isArray(x))) return array.flat().map((x) => plainJsroot(x, type.item));
      return array.map((x) => plainJsroot(x, type.item));
    }
    case 'struct':
      return value;
  }
}

/** The part of jsroot's per-entry value that a flattened column holds: struct fields picked along the way. */
function pick(value: unknown, type: ValueType, fields: readonly string[]): unknown {
  if (fields.length === 0 || value === null || value === undefined) return value;
  if (type.kind === 'struct') {
    const [name, ...rest] = fields as [string, ...string[]];
    const field = type.fields.find((f) => f.name === name) as { name: string; type: ValueType };
    return pick((value as Record<string, unknown>)[name], field.type, rest);
  }
  if (type.kind === 'list' || type.kind === 'fixed-list') {
    const array = Array.isArray(value) || ArrayBuffer.isView(value) ? Array.from(value as ArrayLike<unknown>) : [];
    return array.map((x) => pick(x, type.item, fields));
  }
  return value;
}

function sameValue(a: unknown, b: unknown): boolean {
  // NaN after a C string's end stands for "unknown to jsroot" (it stops at the first NUL): ours must hold the NUL there.
  if (Array.isArray(a) && Array.isArray(b) && b.some((x) => Number.isNaN(x))) {
    const known = b.findIndex((x) => Number.isNaN(x));
    return a.length === b.length && a.slice(0, known).every((x, i) => sameValue(x, b[i])) && a[known] === 0;
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (typeof a === 'boolean' || typeof b === 'boolean') return Boolean(a) === Boolean(b);
  return a === b;
}

/**
 * Compares every column of the given branches with jsroot's event loop, entry by entry; returns one line per
 * mismatch (the first bad entry of each column) and the branches jsroot could not read (with its error).
 */
export async function compareWithJsroot(tree: RootTree, table: Table, plans: readonly BranchPlan[]): Promise<{ mismatches: string[]; jsrootFailed: string[]; compared: number }> {
  const mismatches: string[] = [];
  const jsrootFailed: string[] = [];
  let compared = 0;
  const readable = plans.filter((p) => p.decode);
  const references = new Map<BranchPlan, unknown[]>();
  // jsroot reads up to 40 branches per event loop; a group it fails on is retried branch by branch.
  for (let k = 0; k < readable.length; k += 40) {
    const group = readable.slice(k, k + 40);
    try {
      const values = await tree.readWithJsrootEventLoop(group.map((p) => p.name));
      for (const p of group) references.set(p, values[p.name] as unknown[]);
    } catch {
      for (const p of group) {
        try {
          references.set(p, (await tree.readWithJsrootEventLoop([p.name]))[p.name] as unknown[]);
        } catch (error) {
          jsrootFailed.push(`${p.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  }
  for (const plan of readable) {
    if (!plan.decode) continue;
    const reference = references.get(plan);
    if (!reference) continue;
    for (const column of plan.columns) {
      const vector = table.getChild(column.name);
      if (!vector) {
        mismatches.push(`${column.name}: missing from the table`);
        continue;
      }
      const suffix = column.name === plan.name ? [] : column.name.slice(plan.name.length + (plan.name.endsWith('.') ? 0 : 1)).split('.');
      const fieldPath = plan.decode.valueType.kind === 'struct' || suffix.length > 0 ? fieldNames(plan.decode.valueType, column.path) : [];
      for (let i = 0; i < tree.entries; i++) {
        const want = plainJsroot(pick(reference[i], plan.decode.valueType, fieldPath), column.type);
        const got = plainArrowValue(vector.get(i));
        if (!sameValue(got, want)) {
          mismatches.push(`${column.name} entry ${i}: ours ${JSON.stringify(got)?.slice(0, 120)} ≠ jsroot ${JSON.stringify(want)?.slice(0, 120)}`);
          break;
        }
      }
      compared++;
    }
  }
  return { mismatches, jsrootFailed, compared };
}

/** Struct field names along a column's path (the path holds field indices). */
function fieldNames(type: ValueType, path: readonly number[]): string[] {
  if (path.length === 0) return [];
  if (type.kind === 'list' || type.kind === 'fixed-list') return fieldNames(type.item, path);
  if (type.kind === 'struct') {
    const [index, ...rest] = path as [number, ...number[]];
    const field = type.fields[index] as { name: string; type: ValueType };
    return [field.name, ...fieldNames(field.type, rest)];
  }
  return [];
}
