// How well a name matches what the user typed (exact, prefix, word prefix, words, substring, subsequence), shared by completion and workspace symbols.

/** Match quality, best first; -1 means no match. */
export const Match = { Exact: 0, Prefix: 1, WordPrefix: 2, Words: 3, Substring: 4, Subsequence: 5 } as const;
export type MatchRank = (typeof Match)[keyof typeof Match] | -1;

/** A name or query as matched: case, underscores and runs of spaces ignored. */
export function matchKey(s: string): string {
  return s.replace(/[_\s]+/g, ' ').trim().toLowerCase();
}

const WORD_BREAK = /[\s/(\-:.,'"’]/;

/** Whether a word starts at `i`: the text's start, or after white space (a line feed too) or a word-breaking mark. */
export function isWordStart(key: string, i: number): boolean {
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

/** A string a key must hold, and whether a word must start where it does (see mustHold). */
export interface Needle {
  text: string;
  wordStart: boolean;
}

/**
 * What a key must hold to rank `rank` or better for the query `q` (matchKey'd), read in a line of its own (a line feed
 * before and after it), or undefined when any key with the query's letters in order can: an exact match is the line
 * `q`, a prefix match starts the line with it, a word-prefix match holds it where a word starts, a Words match each
 * word of it where a word starts, so its longest word, and a Substring match each word anywhere. A capped search can
 * jump from one key holding that to the next instead of testing every key for the letters.
 */
export function mustHold(q: string, rank: MatchRank): Needle | undefined {
  if (!q || rank < 0 || rank >= Match.Subsequence) return undefined;
  if (rank === Match.Exact) return { text: `\n${q}\n`, wordStart: false };
  if (rank === Match.Prefix) return { text: `\n${q}`, wordStart: false };
  if (rank === Match.WordPrefix) return { text: q, wordStart: true };
  const longest = q.split(' ').reduce((a, b) => (b.length > a.length ? b : a), '');
  return { text: longest, wordStart: rank === Match.Words };
}

/**
 * mustHold for a capped list of `max` kept as one bucket per rank, each capped at `max` too: once the ranks up to some
 * rank fill the list, a later key of that rank or worse would be listed after them all, so only better ones can still
 * enter (and once exact matches fill it, none can: the caller stops). Undefined while any rank but the last could.
 */
export function needleForFull(q: string, buckets: readonly { length: number }[], max: number): Needle | undefined {
  let n = 0;
  for (let r = 0; r < Match.Subsequence; r++) {
    n += buckets[r].length;
    if (n >= max) return mustHold(q, Math.max(r - 1, Match.Exact) as MatchRank);
  }
  return undefined;
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
