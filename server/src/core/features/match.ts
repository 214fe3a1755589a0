// How well a name matches what the user typed (exact, prefix, word prefix, words, substring, subsequence), shared by completion and workspace symbols.

/** Match quality, best first; -1 means no match. */
export const Match = { Exact: 0, Prefix: 1, WordPrefix: 2, Words: 3, Substring: 4, Subsequence: 5 } as const;
export type MatchRank = (typeof Match)[keyof typeof Match] | -1;

/** A name or query as matched: case, underscores and runs of spaces ignored. */
export function matchKey(s: string): string {
  return s.replace(/[_\s]+/g, ' ').trim().toLowerCase();
}

const WORD_BREAK = /[\s/(\-:.,'"’]/;

function isWordStart(key: string, i: number): boolean {
  return i === 0 || WORD_BREAK.test(key[i - 1]);
}

/**
 * The rank of `key` for the query `q` (both already `matchKey`ed). "kron reb" matches "kronstadt rebellion" as Words
 * (each typed word starts a word of the name, in order); "ksr" matches it only as a Subsequence. Subsequences of one or
 * two letters are not counted: they match nearly every name and would only push real matches out of a capped list.
 */
export function matchRank(key: string, q: string): MatchRank {
  return matcher(q)(key);
}

/** `matchRank` for one query over many keys, with the query's words and letters worked out once. */
export function matcher(q: string): (key: string) => MatchRank {
  if (!q) return () => Match.Prefix;
  const words = q.includes(' ') ? q.split(' ').filter(Boolean) : undefined;
  const letters = q.replace(/ /g, '');
  return (key) => {
    // Every kind of match has the typed letters in order: most keys fail this cheap test and need no other.
    if (!isSubsequence(key, letters)) return -1;
    if (key === q) return Match.Exact;
    if (key.startsWith(q)) return Match.Prefix;
    let at = key.indexOf(q);
    const substring = at >= 0;
    while (at >= 0) {
      if (isWordStart(key, at)) return Match.WordPrefix;
      at = key.indexOf(q, at + 1);
    }
    if (words && wordsMatch(key, words)) return Match.Words;
    if (substring) return Match.Substring;
    return letters.length >= 3 ? Match.Subsequence : -1;
  };
}

/** Each word of the query starts a word of the key, in order (greedily, which is exact for prefixes of words). */
function wordsMatch(key: string, words: string[]): boolean {
  let from = 0;
  for (const w of words) {
    let at = key.indexOf(w, from);
    while (at >= 0 && !isWordStart(key, at)) at = key.indexOf(w, at + 1);
    if (at < 0) return false;
    from = at + w.length;
  }
  return true;
}

/** Whether the letters stand in the key in order. */
export function isSubsequence(key: string, letters: string): boolean {
  // A native indexOf per letter, not a loop over every character of the key: this runs over every title and heading.
  let at = 0;
  for (let j = 0; j < letters.length; j++) {
    at = key.indexOf(letters[j], at);
    if (at < 0) return false;
    at++;
  }
  return true;
}
