// Outgoing links of one article and the other articles its plain text names, as Obsidian's Outgoing links pane lists them.
import { nameKey } from '../names';
import { excludedSpans, insideAny } from '../proseSpans';
import type { Range, Span } from '../types';
import type { Article, Wiki } from '../wiki';
import { linkDestination } from './graph';
import { sentenceAround } from './text';

export interface OutgoingLink {
  /** The article the links lead to, redirect pages followed; none when it is missing. */
  target?: Article;
  /** The target's title, or the missing article's name as first written. */
  name: string;
  /** This article's links to it, in reading order. */
  links: { span: Span; range: Range }[];
}

/** The articles (and missing articles) this one links to, in the order of their first link; images, files, categories and links to itself left out. */
export function outgoingLinks(wiki: Wiki, article: Article): OutgoingLink[] {
  const byKey = new Map<string, OutgoingLink>();
  for (const link of article.syntax.links) {
    const to = linkDestination(wiki, article, link, true);
    if (!to || to.key === article.path) continue;
    let entry = byKey.get(to.key);
    if (!entry) byKey.set(to.key, (entry = { target: to.article, name: to.article?.title ?? to.missing!, links: [] }));
    entry.links.push({ span: link.span, range: article.lines.range(link.span) });
  }
  return [...byKey.values()];
}

export interface OutgoingMention {
  /** The article named, redirect pages followed. */
  article: Article;
  /**
   * Where words name it, in reading order; the first `perTarget` of them. `target` is the page the words name: the
   * article, or one of its redirect pages (a link by those words leads through it, as MediaWiki's editors link).
   */
  places: { span: Span; range: Range; text: string; context: string; target: Article }[];
  /** How many places in all. */
  count: number;
}

export interface OutgoingMentionOptions {
  /** Most places listed per article named (default 20; all are counted). */
  perTarget?: number;
  /** Stop after this many milliseconds (default 1000): a long article is searched from its start. */
  timeBudgetMs?: number;
  /** Only the names standing wholly within this span (a selection). */
  within?: Span;
  /** The article's outgoing links, when the caller has them already (outgoingLinks). */
  links?: OutgoingLink[];
  isCancelled?: () => boolean;
}

export interface OutgoingMentionResult {
  mentions: OutgoingMention[];
  /** False when the time budget, a cancellation or the 2 MB bound stopped the search before the article's end. */
  complete: boolean;
}

/** The longest name a mention is looked for by, in words (mentionAt's bound). */
const MAX_WORDS = 6;

/**
 * Past this many characters only the first are searched (and the answer says it is incomplete): the spans to leave
 * out and the words are found before the first step, which took 515 ms of a 10 MB article, and a second's budget
 * reaches 2–3 MB anyway.
 */
const MAX_SEARCHED = 2_000_000;

/**
 * For each name key's first word, the most words a name starting with it has; made once per names version. A word
 * that starts no name costs one key and one map lookup, so the search is about linear in the article's words (a
 * phrase of up to six words for each would be six keys and lookups).
 */
const firstWords = new WeakMap<Wiki, { version: number; mode: string; words: Map<string, number> }>();

function firstWordsOf(wiki: Wiki): Map<string, number> {
  const known = firstWords.get(wiki);
  if (known && known.version === wiki.namesVersion && known.mode === wiki.settings.caseMode) return known.words;
  const words = new Map<string, number>();
  for (const a of wiki.allArticles()) {
    for (const key of a.keys) {
      const space = key.indexOf(' ');
      const first = space < 0 ? key : key.slice(0, space);
      const count = space < 0 ? 1 : key.split(' ').length;
      if ((words.get(first) ?? 0) < count) words.set(first, count);
    }
  }
  firstWords.set(wiki, { version: wiki.namesVersion, mode: wiki.settings.caseMode, words });
  return words;
}

const WORD = /[\p{L}\p{N}]+(?:[-'’.:][\p{L}\p{N}]+)*/gu;
/** What may stand between two words of a name: spaces and at most one line break (as the unlinked mentions of an article are found), no punctuation. */
const GAP = /^(?:[ \t]+|[ \t]*(?:\r\n|\r|\n)[ \t]*)$/;

/**
 * The other articles whose title, file name, alias or redirect page the article's plain text names and that it does
 * not link to (through their redirect pages either), as Obsidian lists "Unlinked mentions" among a note's outgoing
 * links: what could be linked. Leftmost longest first (`Kronstadt Rebellion`, not `Kronstadt`), outside links, code,
 * headings, HTML and front matter; a name of one word needs a letter and two characters (not every `1917` or `I`),
 * and a name several articles share is left out (a link by it would be ambiguous). Grouped by the article named,
 * through redirect pages (`anarchist` and `anarchy` both name Anarchism), in order of first mention.
 */
export function outgoingMentions(wiki: Wiki, article: Article, text: string, options: OutgoingMentionOptions = {}): OutgoingMentionResult {
  const search = searchOutgoingMentions(wiki, article, text, options);
  for (;;) {
    const step = search.next();
    if (step.done) return step.value;
  }
}

/**
 * outgoingMentions as steps: yields every few hundred words, so that a server can answer other messages between
 * them (a 1 MB article takes 230 ms at 10,000 articles, 410 ms at 50,000: a keystroke there waited that long). The
 * wiki must not change between steps: a caller that waited starts again.
 */
export function* searchOutgoingMentions(wiki: Wiki, article: Article, text: string, options: OutgoingMentionOptions = {}): Generator<void, OutgoingMentionResult> {
  const perTarget = options.perTarget ?? 20;
  const deadline = performance.now() + (options.timeBudgetMs ?? 1000);
  const mode = wiki.settings.caseMode;
  const starts = firstWordsOf(wiki);
  const linked = new Set<string>([article.path]);
  for (const l of options.links ?? outgoingLinks(wiki, article)) if (l.target) linked.add(l.target.path);
  // Each of these steps reads the whole article (88 ms for the 100,000 links of 10 MB): a pause between them.
  yield;
  const from = options.within?.start ?? 0;
  let to = options.within?.end ?? text.length;
  let complete = true;
  if (to - from > MAX_SEARCHED) {
    // At a line's end, so that no name is cut.
    to = Math.max(text.lastIndexOf('\n', from + MAX_SEARCHED), from);
    complete = false;
  }
  const excluded = excludedSpans(to < text.length ? text.slice(0, to) : text, article, { mentions: true });
  yield;
  const byArticle = new Map<string, OutgoingMention>();
  const mentions: OutgoingMention[] = [];
  const words: Span[] = [];
  WORD.lastIndex = from;
  for (let m = WORD.exec(text); m && m.index + m[0].length <= to; m = WORD.exec(text)) words.push({ start: m.index, end: m.index + m[0].length });
  // A selection that cuts a word leaves that word out, not a piece of it.
  const wordChar = /[\p{L}\p{N}]/u;
  if (words.length && words[0].start === from && from > 0 && wordChar.test(text[from - 1])) words.shift();
  if (words.length && words[words.length - 1].end === to && to < text.length && wordChar.test(text[to])) words.pop();
  for (let i = 0; i < words.length; i++) {
    if ((i & 255) === 0) {
      if (performance.now() > deadline || options.isCancelled?.()) {
        complete = false;
        break;
      }
      if (i > 0) yield;
    }
    let first = words[i];
    let most = starts.get(nameKey(text.slice(first.start, first.end), mode));
    if (most === undefined) {
      // "Kropotkin's": the word joins its apostrophe; the name is the word before it.
      const bare = withoutPossessive(text, first);
      if (bare.end === first.end || (most = starts.get(nameKey(text.slice(bare.start, bare.end), mode))) === undefined) continue;
      first = bare;
      most = 1;
    }
    if (insideAny(excluded, first.start, first.end)) continue;
    // How far the phrase may reach: the words of the same paragraph, spaces between them.
    let last = i;
    while (last + 1 < words.length && last + 1 - i < Math.min(most, MAX_WORDS) && GAP.test(text.slice(words[last].end, words[last + 1].start))) last++;
    if (first !== words[i]) last = i;
    for (let j = last; j >= i; j--) {
      let span = { start: first.start, end: j === i ? first.end : words[j].end };
      let phrase = text.slice(span.start, span.end);
      let named = wiki.lookupName(phrase);
      if (named.length === 0 && j > i) {
        const bare = withoutPossessive(text, span);
        if (bare.end < span.end) {
          span = bare;
          phrase = text.slice(span.start, span.end);
          named = wiki.lookupName(phrase);
        }
      }
      if (j === i && (phrase.length < 2 || !/\p{L}/u.test(phrase))) continue;
      if (named.length !== 1) continue;
      if (insideAny(excluded, span.start, span.end)) continue;
      const target = named[0];
      // Through its redirect pages as a link by these words would go.
      const followed = target.redirect === undefined ? undefined : wiki.resolveThrough({ target: phrase }, article);
      const meant = followed?.kind === 'article' && !followed.loop ? followed.article : target;
      i = j;
      // Linked already (or the article itself): the shorter names inside these words are not mentions either.
      if (linked.has(target.path) || linked.has(meant.path)) break;
      let entry = byArticle.get(meant.path);
      if (!entry) {
        byArticle.set(meant.path, (entry = { article: meant, places: [], count: 0 }));
        mentions.push(entry);
      }
      entry.count++;
      if (entry.places.length < perTarget) {
        entry.places.push({ span, range: article.lines.range(span), text: phrase, context: sentenceAround(text, span.start, span.end).replace(/^[:\s]+/, ''), target });
      }
      break;
    }
  }
  return { mentions, complete };
}

/** The span without a possessive `'s` (or `’s`) at its end; the span itself when it has none. */
function withoutPossessive(text: string, span: Span): Span {
  const c = text.charCodeAt(span.end - 2);
  return span.end - span.start > 3 && (c === 39 || c === 0x2019) && (text[span.end - 1] === 's' || text[span.end - 1] === 'S') ? { start: span.start, end: span.end - 2 } : span;
}
