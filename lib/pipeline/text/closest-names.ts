/** Levenshtein distance (insertions, deletions, substitutions), case-sensitive. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}

/**
 * The `limit` candidates closest to `name` for a "did you mean" message: smallest edit distance first, names
 * sharing the part before the last "." (the same container) preferred, then the longest common prefix, then
 * alphabetical.
 */
export function closestNames(name: string, candidates: readonly string[], limit = 3): string[] {
  const prefix = name.includes('.') ? name.slice(0, name.lastIndexOf('.') + 1) : '';
  return candidates
    .map((candidate) => ({ candidate, distance: editDistance(name.toLowerCase(), candidate.toLowerCase()) - (prefix && candidate.startsWith(prefix) ? 0.5 : 0) }))
    .sort((x, y) => x.distance - y.distance || commonPrefix(name, y.candidate) - commonPrefix(name, x.candidate) || x.candidate.localeCompare(y.candidate))
    .slice(0, limit)
    .map((x) => x.candidate);
}

/** Compiles a shell-style glob (`*` any run, `?` one character, everything else literal) to an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}
