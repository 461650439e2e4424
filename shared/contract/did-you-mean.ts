/** "Did you mean …?" suggestions for misspelt field names. Internal to `shared/contract`. */

/**
 * Edit distance between two strings counting an insertion, deletion, substitution or swap of two adjacent
 * characters as 1 each (optimal string alignment), so `yaer` is 1 from `year`.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The known name closest to `name`, or undefined when none is close: an explicit alias wins, then the smallest
 * edit distance (case-insensitive) up to a third of the name's length (at least 1), then a known name that
 * contains `name` or is contained in it (3+ characters).
 */
export function suggest(name: string, known: readonly string[], aliases: Readonly<Record<string, string>> = {}): string | undefined {
  const lower = name.toLowerCase();
  if (Object.hasOwn(aliases, lower)) return aliases[lower];
  let best: string | undefined;
  let bestScore = Infinity;
  const limit = Math.max(1, Math.floor(lower.length / 3));
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d <= limit && d < bestScore) {
      best = k;
      bestScore = d;
    }
  }
  if (best !== undefined || lower.length < 3) return best;
  return known.find((k) => k.length >= 3 && (k.includes(lower) || lower.includes(k)));
}
