/**
 * "Did you mean …?" suggestions for misspelt keys, ids and options.
 */
import type { DiagnosticFix } from './model';

/**
 * Edit distance between `a` and `b` counting insertions, deletions,
 * substitutions and swaps of neighbours (so `biuld` is 1 from `build`);
 * gives up, returning `limit + 1`, once the distance must exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = 8): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1;
      let value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      const swapped =
        i > 1 &&
        j > 1 &&
        a.charAt(i - 1) === b.charAt(j - 2) &&
        a.charAt(i - 2) === b.charAt(j - 1);
      if (swapped) value = Math.min(value, (beforePrevious[j - 2] ?? 0) + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}

/** Lower case without `_`/`-`, so `idle-timeout`, `idleTimeout` and `IDLE_TIMEOUT` all match `idle_timeout`. */
function loosely(word: string): string {
  return word.toLowerCase().replace(/[-_]/g, '');
}

/**
 * The candidate `word` was most likely meant to be, or undefined when
 * nothing is close. Spelling variants (case, `-`/`_`) win outright; otherwise
 * the nearest candidate within about a third of the word's length.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const variant = list.find((c) => loosely(c) === loosely(word));
  if (variant !== undefined) return variant;
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of list) {
    const distance = editDistance(loosely(word), loosely(candidate), limit);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` Did you mean "x"?` or the empty string, ready to append to a message. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : ` Did you mean "${match}"?`;
}

/**
 * The fix a "Did you mean" proposes: `word` replaced by its closest
 * candidate, or undefined when nothing is close.
 */
export function fixOf(word: string, suggestion: string | undefined): DiagnosticFix | undefined {
  return suggestion === undefined ? undefined : { find: word, replaceWith: suggestion };
}

/** The fix matching {@link didYouMean}'s advice for the same word and candidates. */
export function didYouMeanFix(
  word: string,
  candidates: Iterable<string>,
): DiagnosticFix | undefined {
  return fixOf(word, closestMatch(word, candidates));
}
