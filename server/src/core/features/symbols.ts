// Document symbols (the heading outline and the footnotes) and workspace symbols (titles, aliases, glossary terms, tags, headings).
import { plainHeadingText } from '../decode';
import { headingFragment, headingsOf, headingTextsOf, htmlHeadingsOf, redirectLinkOf, type Article, type Wiki } from '../wiki';
import { SymbolKind, type DocumentSymbolShape, type WorkspaceSymbolShape } from './shapes';
import type { GlossaryIndex } from './glossary';
import { plainInline } from './text';
import type { TitleIndex } from './completion';
import { isWordStart, Match, matchKey, matcher, needleForFull, type MatchRank, type Needle } from './match';
import type { Heading, HtmlHeading } from '../types';
import { tagKey } from '../names';
import { taggedArticles, tagSpan } from './tags';

/**
 * Where an article's sections start, for the outline and folding: its markdown headings and its HTML ones (pandoc
 * keeps MediaWiki's `== Purpose ==` inside a table as `<h2 id="purpose">`), in the order written.
 */
export function sectionHeadings(article: Article): (Heading | HtmlHeading)[] {
  const html = article.syntax.htmlHeadings;
  const markdown = article.syntax.headings;
  if (!html?.length) return markdown;
  return [...markdown, ...html].sort((a, b) => a.span.start - b.span.start);
}

export function documentSymbols(article: Article): DocumentSymbolShape[] {
  const roots: DocumentSymbolShape[] = [];
  const stack: { level: number; symbol: DocumentSymbolShape }[] = [];
  const headings = sectionHeadings(article);
  const end = article.lines.length;
  headings.forEach((h, i) => {
    // A heading's section runs to the next heading of the same or a higher level.
    let sectionEnd = end;
    for (let j = i + 1; j < headings.length; j++) {
      if (headings[j].level <= h.level) {
        sectionEnd = headings[j].span.start;
        break;
      }
    }
    const symbol: DocumentSymbolShape = {
      name: ('slug' in h ? plainHeadingText(h.text) : h.text) || '(empty heading)',
      kind: SymbolKind.String,
      range: article.lines.range({ start: h.span.start, end: Math.max(h.span.end, trimEnd(article, sectionEnd)) }),
      selectionRange: article.lines.range(h.textSpan),
      children: [],
    };
    while (stack.length && stack[stack.length - 1].level >= h.level) stack.pop();
    if (stack.length) stack[stack.length - 1].symbol.children!.push(symbol);
    else roots.push(symbol);
    stack.push({ level: h.level, symbol });
  });
  for (const d of article.syntax.footnoteDefs) {
    roots.push({
      name: `[^${d.label}]`,
      detail: d.text ? plainInline(d.text).slice(0, 80) : undefined,
      kind: SymbolKind.Key,
      range: article.lines.range(d.span),
      selectionRange: article.lines.range(d.labelSpan),
    });
  }
  return roots;
}

/**
 * The tags that match, as `#name`, most used first within a match's quality: each at its first use in the first of its
 * articles by title (references on it list every use). False once nothing more can enter the list.
 */
function addTags(wiki: Wiki, rankOf: (key: string) => MatchRank, add: (rank: MatchRank, make: () => WorkspaceSymbolShape) => boolean): boolean {
  for (const t of wiki.tagUse()) {
    const symbol = (): WorkspaceSymbolShape => {
      const a = taggedArticles(wiki, t.key)[0];
      const use = (a.syntax.tags ?? []).find((x) => tagKey(x.name) === t.key)!;
      return { name: `#${t.name}`, kind: SymbolKind.Key, containerName: `tag · ${t.count === 1 ? '1 article' : `${t.count.toLocaleString('en-US')} articles`}`, location: { path: a.path, range: a.lines.range(tagSpan(use)) } };
    };
    if (!add(rankOf(matchKey(t.name)), symbol)) return false;
  }
  return true;
}

/** A section's end without the blank lines before the next heading, so ranges nest cleanly. */
function trimEnd(article: Article, offset: number): number {
  const pos = article.lines.positionAt(offset);
  // The end of the line before, never between the CR and LF of a CRLF (a position no editor can hold).
  if (pos.character === 0 && pos.line > 0) return article.lines.lineEnd(pos.line - 1);
  return offset;
}

export interface WorkspaceSymbolOptions {
  maxItems?: number;
  isCancelled?: () => boolean;
  /** The cached title list: titles and aliases are then found without visiting every article. */
  titles?: TitleIndex;
  /** The kept heading keys: without them every heading is decoded and keyed for this one query. */
  headings?: HeadingSearch;
}

/**
 * Titles, aliases, glossary terms and headings that match the query, best match first (exact, prefix, word prefix,
 * words, substring, subsequence: see match.ts), capped. Within one quality titles and aliases come first, most linked
 * first, then glossary terms, then headings. An empty query lists titles, then terms, then headings.
 */
export function workspaceSymbols(wiki: Wiki, query: string, glossary: GlossaryIndex | undefined, options: WorkspaceSymbolOptions = {}): WorkspaceSymbolShape[] {
  const max = options.maxItems ?? 256;
  // `#org` asks for tags alone: what an editor without a tag pane (Neovim, Helix) browses tags by.
  const tagsOnly = /^\s*#/.test(query);
  const q = matchKey(tagsOnly ? query.replace(/^\s*#/, '') : query);
  const rankOf = matcher(q);
  const top = (a: Article) => (a.titleSpan ? a.lines.range(a.titleSpan) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  const titleSymbol = (a: Article, name: string, alias: boolean): WorkspaceSymbolShape => {
    if (alias) return { name, kind: SymbolKind.Constant, containerName: `alias of ${a.title}`, location: { path: a.path, range: top(a) } };
    // A redirect page's title is another name of the article it leads to, as an alias is: it goes there.
    const redirect = redirectLinkOf(a);
    const r = redirect && wiki.resolveThrough(redirect, a);
    if (r?.kind === 'article' && !r.loop) return { name, kind: SymbolKind.Constant, containerName: `redirect to ${r.article.title}`, location: { path: r.article.path, range: top(r.article) } };
    return { name, kind: SymbolKind.File, containerName: a.rel, location: { path: a.path, range: top(a) } };
  };
  const buckets: WorkspaceSymbolShape[][] = [[], [], [], [], [], []];
  let total = 0;
  /** False once nothing found later can enter the list: the best bucket is full. */
  const add = (rank: MatchRank, make: () => WorkspaceSymbolShape): boolean => {
    if (rank < 0) return true;
    if (!q) {
      if (total >= max) return false;
      total++;
      buckets[0].push(make());
      return true;
    }
    let better = 0;
    for (let b = 0; b < rank; b++) better += buckets[b].length;
    if (better < max && buckets[rank].length < max) buckets[rank].push(make());
    return buckets[0].length < max;
  };
  let open = true;
  if (tagsOnly) {
    addTags(wiki, rankOf, add);
    return buckets.flat().slice(0, max);
  }
  if (options.titles) {
    for (const e of options.titles.get(wiki)) if (!(open = add(rankOf(e.key), () => titleSymbol(e.article, e.name, e.alias)))) break;
  } else {
    outer: for (const a of wiki.allArticles()) {
      if (!(open = add(rankOf(matchKey(a.title)), () => titleSymbol(a, a.title, false)))) break;
      for (const alias of a.aliases) if (alias !== a.title && !(open = add(rankOf(matchKey(alias)), () => titleSymbol(a, alias, true)))) break outer;
    }
  }
  if (glossary && open) {
    outer: for (const [, entries] of glossary.all(wiki)) {
      for (const t of entries) {
        const symbol = () => ({ name: t.term, kind: SymbolKind.Key, containerName: `glossary · ${t.article.title}`, location: { path: t.article.path, range: t.article.lines.range(t.entry.termSpan) } });
        if (!(open = add(rankOf(matchKey(t.term)), symbol))) break outer;
      }
    }
  }
  if (open) open = addTags(wiki, rankOf, add);
  if (open) {
    (options.headings ?? new HeadingSearch()).search(wiki, q, rankOf, (rank, found) =>
      add(rank, () => {
        const { article: a, heading: h } = found();
        return { name: plainHeadingText(h.text), kind: SymbolKind.String, containerName: a.title, location: { path: a.path, range: a.lines.range(h.span) } };
      }),
      options.isCancelled,
      () => needleForFull(q, buckets, max),
    );
  }
  return buckets.flat().slice(0, max);
}

/** One article's headings as HeadingSearch keeps them. */
interface HeadingChunk {
  article: Article;
  /**
   * Each searched heading's match key, each followed by a line feed (a key has none: matchKey folds white space);
   * once joined, a slice of its segment's string, which keeps the characters once (HeadingSearch.join).
   */
  keys: string;
  /** How many headings it has, and which of them is not searched (gives the title), or -1. */
  count: number;
  skip: number;
}

/** The keys of a run of consecutive articles, searched as one string. */
interface Segment {
  chunks: HeadingChunk[];
  /** All keys, each preceded and followed by a line feed. */
  hay: string;
  /** Per entry (heading), where its key starts in `hay`; one more start past the end. */
  starts: Int32Array;
  /** Per entry, its chunk's index in `chunks`, and its heading's index among that article's headings. */
  owner: Int32Array;
  which: Int32Array;
  /** Per entry, the letters its key has (letterMask): a key without every letter of the query is passed over unread. */
  masks: Int32Array;
}

/** Articles per segment: an edit joins one segment's keys again, not the whole wiki's. */
const SEGMENT_ARTICLES = 512;
/** HeadingSearch.warm asks whether its time is up after this many articles (about 0.5 ms of keying at 50,000). */
const WARM_CHECK_EVERY = 64;

/** A HeadingSearch refresh in progress: where it is in the wiki's articles, and the segments it has joined. */
interface Refresh {
  wiki: Wiki;
  /** Wiki.changes when it began: what it finds is as new as that. */
  at: number;
  /** The wiki's articles, live: one put or removed meanwhile is met or passed over as the wiki's Map has it. */
  articles: Iterator<Article>;
  /** The last finished refresh's segments, used again where their articles are the same. */
  old: Segment[];
  segments: Segment[];
  run: HeadingChunk[];
}

/**
 * Every heading's match key, kept between workspace symbol queries: a query is a run of `indexOf` over strings of
 * keys, as titles are searched (TitleIndex). Decoding and keying every heading per query took 130–380 ms a query at
 * 50,000 articles (about 400,000 headings). Each article's keys are kept by the article object, and the keys are
 * joined per run of SEGMENT_ARTICLES articles: after an edit, the edited article alone is keyed again and its run
 * joined again (joining all of them took 170–210 ms at 50,000). Whether anything changed is told by Wiki.changes,
 * which counts every put and removal, so no change can be missed.
 */
export class HeadingSearch {
  private readonly chunks = new WeakMap<Article, HeadingChunk>();
  private builtAt = -1;
  private builtFor: Wiki | undefined;
  private segments: Segment[] = [];
  /** Which segment holds each article's headings, by path: an edit rejoins that one segment alone. */
  private segmentOf = new Map<string, number>();
  /** A refresh begun by `warm` and not yet finished: resumed by the next call. */
  private pending: Refresh | undefined;
  /** Work done, so tests can assert that a query after an edit keys and joins little. */
  readonly stats = { articlesKeyed: 0, segmentsJoined: 0, walks: 0 };
  /**
   * Each offered heading's fragment in a wiki link, by article and the heading's offset: `[[##` lists mostly the same
   * headings at each letter typed, and finding each one's fragment (its words, numbered if an earlier heading has them)
   * compares them with every heading of its article (2.5 ms a query on owasp-wiki). An article replaced by an edit is
   * another object, so its fragments are found again.
   */
  private readonly fragments = new WeakMap<Article, Map<number, string>>();

  /** headingFragment(article, heading, true), remembered (see `fragments`). */
  wikiFragment(article: Article, heading: Heading): string {
    let known = this.fragments.get(article);
    if (!known) this.fragments.set(article, (known = new Map()));
    let fragment = known.get(heading.span.start);
    if (fragment === undefined) known.set(heading.span.start, (fragment = headingFragment(article, heading, true)));
    return fragment;
  }

  /**
   * Does the work the next search would do first, until `timeUp` says to stop; true once it is all done. The first
   * query after a start keys every heading (0.4 s at 50,000 articles): the language server does it in slices, so that
   * keystrokes are answered meanwhile and a query typed over can be dropped. What a slice keyed is kept.
   */
  warm(wiki: Wiki, timeUp: () => boolean): boolean {
    return this.refresh(wiki, timeUp);
  }

  private refresh(wiki: Wiki, timeUp?: () => boolean): boolean {
    if (this.builtFor === wiki && this.builtAt === wiki.changes) return true;
    if (this.builtFor === wiki && !this.pending && this.takeReplaced(wiki)) return true;
    let p = this.pending;
    if (!p || p.wiki !== wiki) {
      this.stats.walks++;
      p = this.pending = { wiki, at: wiki.changes, articles: wiki.allArticles()[Symbol.iterator](), old: this.builtFor === wiki ? this.segments : [], segments: [], run: [] };
    }
    const close = (r: Refresh) => {
      const before = r.old[r.segments.length];
      r.segments.push(before && sameChunks(before.chunks, r.run) ? before : this.join(r.run));
      r.run = [];
    };
    for (let n = 1; ; n++) {
      const next = p.articles.next();
      if (next.done) break;
      const a = next.value;
      let chunk = this.chunks.get(a);
      if (!chunk) {
        chunk = chunkOf(a);
        this.chunks.set(a, chunk);
        this.stats.articlesKeyed++;
      }
      p.run.push(chunk);
      if (p.run.length === SEGMENT_ARTICLES) close(p);
      if (timeUp && n % WARM_CHECK_EVERY === 0 && timeUp()) return false;
    }
    if (p.run.length) close(p);
    this.segments = p.segments;
    this.segmentOf = new Map();
    this.segments.forEach((seg, i) => {
      for (const c of seg.chunks) this.segmentOf.set(c.article.path, i);
    });
    this.builtFor = wiki;
    // A wiki changed between slices (an edit, or the index still being built) is not begun again, which could go on
    // for as long as the changes come: this pass counts as of when it began, and the search's own refresh, with every
    // article it keyed kept, is then short.
    this.builtAt = p.at;
    this.pending = undefined;
    return true;
  }

  /**
   * After edits that replaced articles in place (typing: the same articles, in the same order), keys those alone and
   * rejoins their segments, instead of walking every article of the wiki (50,000 at each keystroke, in slices, had kept
   * `[[##` completion waiting behind it). False when the changes were others (an article added or removed).
   */
  private takeReplaced(wiki: Wiki): boolean {
    const paths = wiki.changedSince(this.builtAt);
    if (!paths) return false;
    const segments = [...this.segments];
    for (const path of paths) {
      const i = this.segmentOf.get(path);
      const article = wiki.articles.get(path);
      if (i === undefined || !article) return false;
      const chunks = segments[i].chunks;
      const k = chunks.findIndex((c) => c.article.path === path);
      if (k < 0) return false;
      let chunk = this.chunks.get(article);
      if (!chunk) {
        chunk = chunkOf(article);
        this.chunks.set(article, chunk);
        this.stats.articlesKeyed++;
      }
      const next = [...chunks];
      next[k] = chunk;
      segments[i] = this.join(next);
    }
    this.segments = segments;
    this.builtAt = wiki.changes;
    return true;
  }

  private join(chunks: HeadingChunk[]): Segment {
    this.stats.segmentsJoined++;
    let entries = 0;
    for (const c of chunks) entries += c.count - (c.skip >= 0 ? 1 : 0);
    const hay = '\n' + chunks.map((c) => c.keys).join('');
    const starts = new Int32Array(entries + 1);
    const owner = new Int32Array(entries);
    const which = new Int32Array(entries);
    const masks = new Int32Array(entries);
    let e = 0;
    let at = 1;
    for (let k = 0; k < chunks.length; k++) {
      const c = chunks[k];
      const from = at;
      for (let i = 0; i < c.count; i++) {
        if (i === c.skip) continue;
        starts[e] = at;
        owner[e] = k;
        which[e] = i;
        let mask = 0;
        for (; at < hay.length && hay.charCodeAt(at) !== 10; at++) mask |= letterBit(hay.charCodeAt(at));
        masks[e++] = mask;
        at++;
      }
      // The chunk's keys as a slice of the joined string: the characters are kept once, not in both. Slicing a
      // string joined again later lets this one go.
      if (at > from) c.keys = hay.slice(from, at);
    }
    starts[entries] = at;
    return { chunks, hay, starts, owner, which, masks };
  }

  /**
   * Calls `visit` for every heading whose key `rankOf` ranks (the query `q` already matchKey'd), in the order of the
   * wiki's articles and of their headings, until it returns false. Only headings that have the query's letters in
   * order can rank: a heading's letter mask tells first whether it has them at all. `found` gives the heading, decoded
   * only when asked for: a one-letter query ranks most headings of the wiki, and only a few hundred are shown.
   * `narrow`, asked before each heading, may name a string the rest must hold (mustHold: the caller's capped list is
   * full of matches that good), where a word starts or anywhere; from then on the search jumps from one key holding
   * it to the next.
   */
  search(
    wiki: Wiki,
    q: string,
    rankOf: (key: string) => MatchRank,
    visit: (rank: MatchRank, found: () => { article: Article; heading: Pick<Heading, 'text' | 'span'> }) => boolean,
    isCancelled?: () => boolean,
    narrow?: () => Needle | undefined,
  ): void {
    this.refresh(wiki);
    const letters = q.replace(/ /g, '');
    for (const seg of this.segments) {
      if (isCancelled?.()) return;
      if (!searchSegment(seg, q, letters, rankOf, visit, narrow)) return;
    }
  }
}

/**
 * HeadingSearch.search over one segment; false when `visit` asked to stop. Once `narrow` says only keys holding some
 * string can still rank high enough, the search jumps from one such key to the next: "histo" at 50,000 articles had
 * sliced and ranked every heading with those letters in order. Before that, a key is read only when its letter mask
 * has every letter of the query: jumping from each key with the query's first letter to the next and testing the
 * letters after it, "history o" took 6 ms at 50,000 articles (2.8 ms now).
 */
function searchSegment(seg: Segment, q: string, letters: string, rankOf: (key: string) => MatchRank, visit: (rank: MatchRank, found: () => { article: Article; heading: Pick<Heading, 'text' | 'span'> }) => boolean, narrow?: () => Needle | undefined): boolean {
  const { hay, starts, owner } = seg;
  const n = owner.length;
  const take = (e: number, rank: MatchRank): boolean =>
    visit(rank, () => {
      const article = seg.chunks[owner[e]].article;
      // Its markdown headings, then its HTML ones (chunkOf).
      const headings = headingsOf(article);
      const which = seg.which[e];
      return { article, heading: which < headings.length ? headings[which] : htmlHeadingsOf(article)[which - headings.length] };
    });
  if (!q) {
    for (let e = 0; e < n; e++) if (!take(e, Match.Prefix)) return false;
    return true;
  }
  const want = letterMask(letters);
  for (let e = nextWithLetters(seg.masks, want, 0); e >= 0; e = nextWithLetters(seg.masks, want, e + 1)) {
    const needle = narrow?.();
    if (needle !== undefined) return searchSubstrings(seg, needle, e, rankOf, take, narrow!);
    const end = starts[e + 1] - 1;
    if (!inOrder(hay, letters, starts[e], end)) continue;
    const rank = rankOf(hay.slice(starts[e], end));
    if (rank >= 0 && !take(e, rank)) return false;
  }
  return true;
}

/**
 * The first entry from `from` on whose letter mask has every bit of `want`, or -1. A loop of its own, calling nothing:
 * the search's loop calls closures made anew for each query (the ranking, the visitor), and V8 throws its optimized
 * code away when one of those changes; this loop, over every heading of the wiki, stays optimized across queries (in
 * the search's loop, "history o" took 17–24 ms in the first queries after a start, 3 ms later).
 */
function nextWithLetters(masks: Int32Array, want: number, from: number): number {
  for (let e = from; e < masks.length; e++) if ((masks[e] & want) === want) return e;
  return -1;
}

/** Whether `letters` stand in order in hay[from, end): most keys that have them all do not, and need no string of their own. */
function inOrder(hay: string, letters: string, from: number, end: number): boolean {
  let at = from;
  for (let j = 0; j < letters.length; j++) {
    at = hay.indexOf(letters[j], at);
    if (at < 0 || at >= end) return false;
    at++;
  }
  return true;
}

/**
 * searchSegment from entry `from` on, over the keys whose line (a key between two line feeds: mustHold) holds the
 * needle, where a word starts if it must, alone; a narrower needle from `narrow`, once the list fills with better
 * matches, takes over. A hit in mid-word is passed over unread: "his" on owasp-wiki is in "this" in many headings.
 */
function searchSubstrings(seg: Segment, needle: Needle, from: number, rankOf: (key: string) => MatchRank, take: (e: number, rank: MatchRank) => boolean, narrow: () => Needle | undefined): boolean {
  const { hay, starts } = seg;
  const n = seg.owner.length;
  let e = from;
  // From the line feed before each key: a needle may start with it.
  for (let p = hay.indexOf(needle.text, starts[from] - 1); p >= 0 && p < hay.length - 1; ) {
    if (needle.wordStart && !isWordStart(hay, p)) {
      p = hay.indexOf(needle.text, p + 1);
      continue;
    }
    const at = needle.text.charCodeAt(0) === 10 ? p + 1 : p;
    while (starts[e + 1] <= at) e++;
    const rank = rankOf(hay.slice(starts[e], starts[e + 1] - 1));
    if (rank >= 0 && !take(e, rank)) return false;
    if (e + 1 >= n) return true;
    needle = narrow() ?? needle;
    p = hay.indexOf(needle.text, starts[e + 1] - 1);
  }
  return true;
}

/**
 * The bit a character of a key sets in its letter mask: one per letter a–z (keys are lower case), the other characters
 * sharing the six left by their code. A key has every character of a query only if its mask has the query's bits.
 */
function letterBit(ch: number): number {
  return ch >= 97 && ch <= 122 ? 1 << (ch - 97) : 1 << (26 + (ch % 6));
}

function letterMask(s: string): number {
  let mask = 0;
  for (let i = 0; i < s.length; i++) mask |= letterBit(s.charCodeAt(i));
  return mask;
}

function sameChunks(a: HeadingChunk[], b: HeadingChunk[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function chunkOf(article: Article): HeadingChunk {
  const keys: string[] = [];
  let skip = -1;
  const markdown = headingTextsOf(article);
  // The HTML headings after the markdown ones: pandoc keeps a MediaWiki page's headings inside tables as `<h2>`.
  const html = htmlHeadingsOf(article);
  const texts = html.length ? [...markdown.texts, ...html.map((h) => h.text)] : markdown.texts;
  const starts = html.length ? [...markdown.starts, ...html.map((h) => h.span.start)] : markdown.starts;
  const title = article.titleSpan?.start;
  for (let i = 0; i < texts.length; i++) {
    // The heading that gives the article its title is found as the title.
    if (starts[i] === title) skip = i;
    else keys.push(matchKey(plainHeadingText(texts[i])) + '\n');
  }
  return { article, keys: keys.join(''), count: texts.length, skip };
}
