import { ScoringError } from './errors';

/** A metric value on one systematically varied test set. */
export type SystematicVariation = {
  /** Unique name, e.g. "ces_up". */
  name: string;
  /** The metric on the varied set (working points re-derived on that set). */
  value: number;
  /** Group the variation belongs to, e.g. "cluster"; default: a group of its own (named like its term). */
  group?: string;
  /** Name of the opposite variation of an up/down pair (declaring it on one side is enough). */
  pairedWith?: string;
};

/** Result of {@link systematicRobustness}. */
export type SystematicRobustness = {
  nominal: number;
  /** u_X = |M_X / M_nominal − 1| per variation, in input order. */
  shifts: Array<{ name: string; value: number; relativeShift: number }>;
  /**
   * Per group: its terms (a lone variation, or an up/down pair contributing max(u_up, u_down)) and their
   * quadrature sum, in order of first appearance.
   */
  groups: Array<{ group: string; terms: Array<{ names: string[]; relativeShift: number }>; contribution: number }>;
  /** Quadrature sum of the group contributions (= of all terms): the total relative uncertainty. */
  total: number;
};

/**
 * Systematic robustness of one metric, the ATLAS top-tagging recipe: the same predictions scored on every varied
 * test set X.
 *
 * u_X = |M_X / M_nominal − 1|; an up/down pair contributes the term max(u_up, u_down), any other variation the
 * term u_X; terms of a group add in quadrature, groups add in quadrature to the total, e.g.
 * cluster = √(max(u_esup, u_esdown)² + u_cer² + u_cpos²).
 *
 * Reference: ATLAS top-tagging open data `plot_everything.py` (arXiv:2407.20127, JINST 19 (2024) P08018).
 * Two-sample comparisons of that recipe (e.g. |M_herwig / M_pythia − 1|) are this function with nominal =
 * M_pythia and one variation.
 *
 * Edge cases: a variation of Infinity (unbounded rejection) gives u = Infinity and a total of Infinity; a nominal
 * of 0 or ±Infinity, a NaN value, duplicate names, an unknown or conflicting `pairedWith`, or a pair split across
 * groups → `ScoringError('INVALID_PARAMETER')`.
 *
 * @example
 * ```ts
 * systematicRobustness(100, [
 *   { name: 'esup', value: 95, group: 'cluster', pairedWith: 'esdown' },
 *   { name: 'esdown', value: 103, group: 'cluster' },
 *   { name: 'cer', value: 104, group: 'cluster' },
 * ]).total; // → √(0.05² + 0.04²) = 0.0640…
 * ```
 */
export function systematicRobustness(nominal: number, variations: readonly SystematicVariation[]): SystematicRobustness {
  if (!Number.isFinite(nominal) || nominal === 0) {
    throw new ScoringError('INVALID_PARAMETER', `The nominal value must be a finite non-zero number to take relative shifts; found ${nominal}.`);
  }
  const byName = new Map<string, SystematicVariation>();
  for (const variation of variations) {
    if (byName.has(variation.name)) {
      throw new ScoringError('INVALID_PARAMETER', `Variation names must be unique; found "${variation.name}" twice.`);
    }
    if (Number.isNaN(variation.value)) {
      throw new ScoringError('INVALID_PARAMETER', `The value of variation "${variation.name}" must be a number; found NaN.`);
    }
    byName.set(variation.name, variation);
  }

  // partner[name] = the other side of its pair, from either declaration, checked for consistency.
  const partner = new Map<string, string>();
  for (const variation of variations) {
    const other = variation.pairedWith;
    if (other === undefined) continue;
    const otherVariation = byName.get(other);
    if (otherVariation === undefined || other === variation.name) {
      throw new ScoringError('INVALID_PARAMETER', `Variation "${variation.name}" is paired with "${other}", which is not another variation.`);
    }
    for (const [a, b] of [[variation.name, other], [other, variation.name]] as const) {
      const existing = partner.get(a);
      if (existing !== undefined && existing !== b) {
        throw new ScoringError('INVALID_PARAMETER', `Variation "${a}" is paired with both "${existing}" and "${b}"; a pair has two sides.`);
      }
      partner.set(a, b);
    }
    if (variation.group !== undefined && otherVariation.group !== undefined && variation.group !== otherVariation.group) {
      throw new ScoringError(
        'INVALID_PARAMETER',
        `The pair "${variation.name}"/"${other}" is split across groups "${variation.group}" and "${otherVariation.group}".`,
      );
    }
  }

  const shiftOf = (value: number) => Math.abs(value / nominal - 1);
  const shifts = variations.map((v) => ({ name: v.name, value: v.value, relativeShift: shiftOf(v.value) }));
  const groups: SystematicRobustness['groups'] = [];
  const groupIndex = new Map<string, number>();
  const done = new Set<string>();
  for (const variation of variations) {
    if (done.has(variation.name)) continue;
    const otherName = partner.get(variation.name);
    const other = otherName === undefined ? undefined : (byName.get(otherName) as SystematicVariation);
    const names = other === undefined ? [variation.name] : [variation.name, other.name];
    names.forEach((name) => done.add(name));
    const relativeShift = Math.max(...names.map((name) => shiftOf((byName.get(name) as SystematicVariation).value)));
    const group = variation.group ?? other?.group ?? names.join('/');
    let index = groupIndex.get(group);
    if (index === undefined) {
      index = groups.length;
      groupIndex.set(group, index);
      groups.push({ group, terms: [], contribution: 0 });
    }
    (groups[index] as SystematicRobustness['groups'][number]).terms.push({ names, relativeShift });
  }
  for (const group of groups) group.contribution = quadrature(group.terms.map((t) => t.relativeShift));
  return { nominal, shifts, groups, total: quadrature(groups.map((g) => g.contribution)) };
}

/** √Σx², with Infinity for any infinite term (never NaN). */
function quadrature(values: number[]): number {
  if (values.some((v) => v === Infinity)) return Infinity;
  return Math.sqrt(values.reduce((sum, v) => sum + v * v, 0));
}
