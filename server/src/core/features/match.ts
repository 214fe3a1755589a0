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
  if (!q) return Match.Prefix;
  if (key === q) return Match.Exact;
  if (key.startsWith(q)) return Match.Prefix;
  let at = key.indexOf(q);
  let substring = at >= 0;
  while (at >= 0) {
    if (isWordStart(key, at)) return Match.WordPrefix;
    at = key.indexOf(q, at + 1);
  }
  if (q.includes(' ') && wordsMatch(key, q.split(' '))) return Match.Words;
  if (substring) return Match.Substring;
  const letters = q.replace(/ /g, '');
  if (letters.length >= 3 && isSubsequence(key, letters)) return Match.Subsequence;
  return -1;
}

/** Each word of the query starts a word of the key, in order (greedily, which is exact for prefixes of words). */
function wordsMatch(key: string, words: string[]): boolean {
  let from = 0;
  for (const w of words) {
    if (!w) continue;
    let at = key.indexOf(w, from);
    while (at >= 0 && !isWordStart(key, at)) at = key.indexOf(w, at + 1);
    if (at < 0) return false;
    from = at + w.length;
  }
  return true;
}

function isSubsequence(key: string, letters: string): boolean {
  let j = 0;
  for (let i = 0; i < key.length && j < letters.length; i++) if (key.charCodeAt(i) === letters.charCodeAt(j)) j++;
  return j === letters.length;
}
