// Unlinked mentions: where an article's title or alias stands as plain text in the wiki, found through a word index, and how to link one.
//
// Cost: the index holds, for every word of two or more letters, the articles that contain it (a posting list of
// small integers; about 10 MB for the 7,265 OWASP articles). It is built once, from texts the service already
// reads while indexing (noteText) or by reading every article on the first request (sync, in time slices), and
// then kept current by re-reading only articles whose content hash changed. A request intersects the posting
// lists of a name's words and reads only those candidate articles, so its cost grows with the number of
// articles that contain every word of the title, not with the size of the wiki.
import { dirname, isImageLink, nameKey, stripMarkdownExtension, titleFromFileName } from '../names';
import type { Link, Range, Span } from '../types';
import { excludedSpans, insideAny } from '../proseSpans';
import { frontMatterTitleOf, redirectLinkOf, type Article, type Wiki } from '../wiki';
import { currentArticle, type DocumentReader } from './editing';
import { encodeTargetText, relativePath } from './linkForm';
import { sentenceAround } from './text';

export interface Mention {
  path: string;
  span: Span;
  range: Range;
  /** The words as written in the text. */
  text: string;
  /** The title or alias they match. */
  name: string;
  /** The sentence the mention stands in, as plain text. */
  context: string;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
/** 1: letter or digit, 2: not, 0: not yet known; for the Basic Multilingual Plane. */
const bmpClass = new Uint8Array(65536);
const astralWord = new Map<number, boolean>();
/** Lower-case form of a BMP code unit when it is one code unit (else -1); 0: not yet known. */
const bmpLower = new Int32Array(65536);

function isWordCode(cp: number): boolean {
  if (cp < 128) return (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122);
  if (cp < 65536) {
    let c = bmpClass[cp];
    if (c === 0) bmpClass[cp] = c = WORD_CHAR.test(String.fromCharCode(cp)) ? 1 : 2;
    return c === 1;
  }
  let w = astralWord.get(cp);
  if (w === undefined) astralWord.set(cp, (w = WORD_CHAR.test(String.fromCodePoint(cp))));
  return w;
}

function fnv(h: number, unit: number): number {
  return Math.imul(h ^ unit, 0x01000193);
}

/** Feeds the lower-case form of one code point into a running hash. */
function hashLower(h: number, cp: number): number {
  if (cp < 128) return fnv(h, cp >= 65 && cp <= 90 ? cp | 0x20 : cp);
  if (cp < 65536) {
    let l = bmpLower[cp];
    if (l === 0) {
      const lower = String.fromCharCode(cp).toLowerCase();
      bmpLower[cp] = l = lower.length === 1 ? lower.charCodeAt(0) : -1;
    }
    if (l !== -1) return fnv(h, l);
  }
  const lower = String.fromCodePoint(cp).toLowerCase();
  for (let i = 0; i < lower.length; i++) h = fnv(h, lower.charCodeAt(i));
  return h;
}

/**
 * Calls `onWord` with a 32-bit hash of each lower-cased run of two or more letters or digits. Hashes, not strings:
 * no allocation per word, and a collision only adds a candidate, which the exact search then drops.
 */
export function forEachWordHash(text: string, onWord: (hash: number) => void): void {
  let h = 0x811c9dc5;
  let len = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let cp = text.charCodeAt(i);
    let width = 1;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        width = 2;
      }
    }
    if (isWordCode(cp)) {
      h = hashLower(h, cp);
      len++;
    } else {
      if (len >= 2) onWord(h >>> 0);
      h = 0x811c9dc5;
      len = 0;
    }
    i += width - 1;
  }
  if (len >= 2) onWord(h >>> 0);
}

/** The distinct word hashes of a name: what the index is asked about. */
export function wordHashes(text: string): number[] {
  const out = new Set<number>();
  forEachWordHash(text, (h) => out.add(h));
  return [...out];
}

/**
 * word hash → posting list, by open addressing over typed arrays: several times faster than a Map for the
 * millions of lookups of a build, and `last` drops an article's repeated words without a set per article.
 */
class WordTable {
  private keys: Int32Array;
  private last: Int32Array;
  private lists: number[][];
  private mask: number;
  size = 0;

  constructor(capacity = 1 << 16) {
    this.keys = new Int32Array(capacity);
    this.last = new Int32Array(capacity).fill(-1);
    this.lists = new Array(capacity);
    this.mask = capacity - 1;
  }

  private slot(key: number): number {
    let i = key & this.mask;
    while (this.keys[i] !== 0 && this.keys[i] !== key) i = (i + 1) & this.mask;
    return i;
  }

  /** Records that article `id` has the word; false if it was already recorded for this article just now. */
  add(hash: number, id: number): boolean {
    const key = hash | 0 || 1;
    let i = this.slot(key);
    if (this.keys[i] === 0) {
      this.keys[i] = key;
      this.lists[i] = [id];
      this.last[i] = id;
      if (++this.size * 2 > this.keys.length) this.grow();
      return true;
    }
    if (this.last[i] === id) return false;
    this.last[i] = id;
    this.lists[i].push(id);
    return true;
  }

  get(hash: number): number[] | undefined {
    const key = hash | 0 || 1;
    const i = this.slot(key);
    return this.keys[i] === 0 ? undefined : this.lists[i];
  }

  private grow(): void {
    const { keys, last, lists } = this;
    this.keys = new Int32Array(keys.length * 2);
    this.last = new Int32Array(keys.length * 2).fill(-1);
    this.lists = new Array(keys.length * 2);
    this.mask = keys.length * 2 - 1;
    for (let j = 0; j < keys.length; j++) {
      if (keys[j] === 0) continue;
      const i = this.slot(keys[j]);
      this.keys[i] = keys[j];
      this.last[i] = last[j];
      this.lists[i] = lists[j];
    }
  }
}

/** The lower-case word → articles index behind mention search; see the cost note at the top of this file. */
export class MentionIndex {
  private readonly ids = new Map<string, number>();
  private readonly paths: string[] = [];
  /** The content hash each article had when its words were taken (-1: not indexed). */
  private readonly hashes: number[] = [];
  /** word → article ids; may hold ids of articles since changed or removed (candidates are always checked against the text). */
  private postings = new WordTable();
  private entries = 0;
  /** Articles indexed again after a change: their old words stay behind until the next rebuild. */
  private reindexed = 0;

  /** How many articles' words the index holds, and how many (article, word) entries. */
  get size(): { articles: number; entries: number } {
    return { articles: this.hashes.filter((h) => h !== -1).length, entries: this.entries };
  }

  /** Takes an article's words from a text the caller already has (the indexer's read), avoiding a second read. */
  noteText(path: string, text: string, hash: number): void {
    let id = this.ids.get(path);
    if (id === undefined) {
      id = this.paths.length;
      this.ids.set(path, id);
      this.paths.push(path);
      this.hashes.push(-1);
    }
    if (this.hashes[id] === hash) return;
    if (this.hashes[id] !== -1) this.reindexed++;
    this.hashes[id] = hash;
    const postings = this.postings;
    const articleId = id;
    let added = 0;
    forEachWordHash(text, (w) => {
      if (postings.add(w, articleId)) added++;
    });
    this.entries += added;
  }

  /** The articles not yet indexed at their current content. */
  outdated(wiki: Wiki): Article[] {
    const out: Article[] = [];
    for (const a of wiki.articles.values()) {
      const id = this.ids.get(a.path);
      if (id === undefined || this.hashes[id] !== a.hash) out.push(a);
    }
    return out;
  }

  /**
   * Brings the index up to date: reads the articles that are new or changed since they were indexed. With
   * `sliceMs`, yields to the event loop between slices so that the server keeps answering; `isCancelled` stops it.
   */
  async sync(wiki: Wiki, read: DocumentReader, options: { sliceMs?: number; isCancelled?: () => boolean } = {}): Promise<number> {
    this.clearIfStale();
    const todo = this.outdated(wiki);
    const slice = options.sliceMs ?? 25;
    let i = 0;
    while (i < todo.length) {
      if (options.isCancelled?.()) break;
      const start = performance.now();
      while (i < todo.length && performance.now() - start < slice) {
        const a = todo[i++];
        const doc = read(a.path);
        if (doc) this.noteText(a.path, doc.text, a.hash);
      }
      if (i < todo.length) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return i;
  }

  /** The same, in one go (tests, the command line). */
  syncNow(wiki: Wiki, read: DocumentReader): number {
    this.clearIfStale();
    const todo = this.outdated(wiki);
    for (const a of todo) {
      const doc = read(a.path);
      if (doc) this.noteText(a.path, doc.text, a.hash);
    }
    return todo.length;
  }

  /** Articles that contain every word of the name (as far as the index knows), by path. */
  candidates(name: string): string[] | undefined {
    const words = wordHashes(name);
    if (words.length === 0) return undefined;
    const lists = words.map((w) => this.postings.get(w) ?? []).sort((a, b) => a.length - b.length);
    let set = new Set(lists[0]);
    for (const list of lists.slice(1)) {
      if (set.size === 0) break;
      const next = new Set<number>();
      for (const id of list) if (set.has(id)) next.add(id);
      set = next;
    }
    return [...set].map((id) => this.paths[id]);
  }

  /** Re-edited articles leave their old words behind; once they are a good part of the index, it starts over. */
  private clearIfStale(): void {
    if (this.reindexed < 1000 || this.reindexed < this.ids.size / 4) return;
    this.postings = new WordTable();
    this.entries = 0;
    this.reindexed = 0;
    this.hashes.fill(-1);
  }
}


/**
 * The names an article goes by in running text: its title, its file name read as a title, its aliases, and `others`
 * (the titles of the redirect pages that lead to it, MediaWiki's other names for an article).
 */
export function mentionNames(article: Article, others: string[] = []): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const n of [article.title, titleFromFileName(article.path), ...article.aliases, ...others]) {
    const name = n.replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
    const key = name.toLowerCase();
    if (!name || seen.has(key) || wordHashes(name).length === 0) continue;
    seen.add(key);
    names.push(name);
  }
  return names;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One pattern for all of an article's names, longest first, words separated by any run of spaces and one line break. */
export function mentionPattern(names: string[]): RegExp {
  const alternatives = [...names]
    .sort((a, b) => b.length - a.length)
    .map((n) => n.split(' ').map(escapeRegExp).join('(?:[ \\t]+(?:\\r\\n|\\r|\\n)?[ \\t]*|[ \\t]*(?:\\r\\n|\\r|\\n)[ \\t]*)'));
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
}

/** The mentions of `names` in one article's text, outside links, code, headings and front matter. */
export function mentionsInText(text: string, article: Article, names: string[], pattern = mentionPattern(names)): Mention[] {
  const out: Mention[] = [];
  pattern.lastIndex = 0;
  let excluded: Span[] | undefined;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    excluded ??= excludedSpans(text, article, { mentions: true });
    if (insideAny(excluded, start, end)) continue;
    const words = m[0].replace(/\s+/g, ' ').toLowerCase();
    const name = names.find((n) => n.toLowerCase() === words) ?? names[0];
    out.push({ path: article.path, span: { start, end }, range: article.lines.range({ start, end }), text: m[0], name, context: sentenceAround(text, start, end).replace(/^[:\s]+/, '') });
  }
  return out;
}

export interface MentionSearch {
  read: DocumentReader;
  index: MentionIndex;
  /** Stop after this many mentions (default 1000). */
  limit?: number;
  /** Stop after this many milliseconds (default 2000). */
  timeBudgetMs?: number;
  isCancelled?: () => boolean;
}

export interface MentionResult {
  mentions: Mention[];
  /** False when the limit, the time budget or a cancellation cut the search short. */
  complete: boolean;
  /** How many articles were read and searched. */
  searched: number;
}

/**
 * The unlinked mentions of an article, this article first, then the others by path; yields as it goes so a
 * caller can stream them or stop early. The index must be current (`index.sync`) for the search to be complete.
 */
export function* mentionsOf(wiki: Wiki, article: Article, search: Pick<MentionSearch, 'read' | 'index'>, stats = { searched: 0 }): Generator<Mention> {
  const names = mentionNames(article, wiki.redirectsTo(article).map((r) => r.title));
  if (names.length === 0) return;
  const pattern = mentionPattern(names);
  const paths = new Set<string>();
  for (const n of names) for (const p of search.index.candidates(n) ?? []) paths.add(p);
  paths.delete(article.path);
  for (const path of [article.path, ...[...paths].sort()]) {
    if (!wiki.articles.has(path) && path !== article.path) continue;
    const doc = search.read(path);
    if (!doc) continue;
    stats.searched++;
    const source = currentArticle(wiki, path, doc.text);
    yield* mentionsInText(doc.text, source, names, pattern);
  }
}

/** Collects mentions within the limit and time budget. */
export function unlinkedMentions(wiki: Wiki, article: Article, search: MentionSearch): MentionResult {
  const limit = search.limit ?? 1000;
  const deadline = performance.now() + (search.timeBudgetMs ?? 2000);
  const stats = { searched: 0 };
  const mentions: Mention[] = [];
  for (const m of mentionsOf(wiki, article, search, stats)) {
    mentions.push(m);
    if (mentions.length >= limit || performance.now() > deadline || search.isCancelled?.()) return { mentions, complete: false, searched: stats.searched };
  }
  return { mentions, complete: true, searched: stats.searched };
}

// ---------------------------------------------------------------- writing a link

export interface LinkStyle {
  syntax: 'wiki' | 'markdown' | 'anchor';
  /** Markdown and anchor targets end in `.md`. */
  extension: boolean;
  /** Markdown links carry MediaWiki's `"wikilink"` title. */
  wikilinkTitle: boolean;
  /** Markdown and anchor targets use `_` for spaces (MediaWiki exports) rather than `%20`. */
  underscores: boolean;
}

/** How this article (else the wiki) writes its links: the majority syntax, with or without `.md` and `"wikilink"`. */
export function preferredLinkStyle(wiki: Wiki, article: Article, text: string): LinkStyle {
  const count = (links: { syntax: string; rawTarget: string }[]) => {
    const c = { wiki: 0, markdown: 0, anchor: 0, ext: 0, noExt: 0, under: 0 };
    for (const l of links) {
      if (l.syntax === 'embed' || isImageLink(l) || l.syntax === 'reference' || !l.rawTarget) continue;
      c[l.syntax as 'wiki' | 'markdown' | 'anchor']++;
      if (l.syntax !== 'wiki') {
        if (/\.(?:md|markdown|mdx)$/i.test(l.rawTarget)) c.ext++;
        else c.noExt++;
        if (l.rawTarget.includes('_')) c.under++;
      }
    }
    return c;
  };
  let c = count(article.syntax.links);
  if (c.wiki + c.markdown + c.anchor === 0) {
    // The wiki's habit, one vote an article: one exported page with hundreds of anchors must not outvote the
    // twenty pages around it written with [[links]].
    const votes = { wiki: 0, markdown: 0, anchor: 0, ext: 0, noExt: 0, under: 0 };
    let n = 0;
    for (const a of wiki.articles.values()) {
      const own = count(a.syntax.links);
      const most = Math.max(own.wiki, own.markdown, own.anchor);
      if (most > 0) {
        votes[own.wiki === most ? 'wiki' : own.markdown === most ? 'markdown' : 'anchor']++;
        if (own.ext + own.noExt > 0) votes[own.ext >= own.noExt ? 'ext' : 'noExt']++;
        if (own.under > 0) votes.under++;
      }
      if (++n >= 200) break;
    }
    c = votes;
  }
  const syntax = c.markdown > c.wiki && c.markdown >= c.anchor ? 'markdown' : c.anchor > c.wiki ? 'anchor' : 'wiki';
  const titled = article.syntax.links.filter((l) => l.syntax === 'markdown').filter((l) => /^\s*>?\s*["']wikilink["']/i.test(text.slice(l.headingSpan?.end ?? l.targetSpan.end, l.span.end))).length;
  const markdownCount = article.syntax.links.filter((l) => l.syntax === 'markdown').length;
  return { syntax, extension: c.ext >= c.noExt, wikilinkTitle: markdownCount > 0 && titled * 2 > markdownCount, underscores: c.under > 0 };
}

/** The text of a link from `source` to `target` (optionally to a heading) showing `label`, in `style`. */
export function writeLink(
  wiki: Wiki,
  source: Pick<Article, 'path' | 'folder' | 'rel'>,
  target: Article,
  label: string | undefined,
  style: LinkStyle,
  heading?: { text: string; slug: string },
): string {
  if (style.syntax === 'wiki') {
    const name = wikiName(wiki, source, target);
    const fragment = heading ? '#' + heading.text : '';
    if (label === undefined) return `[[${name}${fragment}]]`;
    const oneLine = label.replace(/\s+/g, ' ').trim();
    // `[[karl marx]]` reads better than `[[Karl Marx|karl marx]]` when the words alone lead to the article.
    const r = /[#|]/.test(oneLine) ? undefined : wiki.resolve({ target: oneLine }, source);
    if (r?.kind === 'article' && r.article.path === target.path) return `[[${oneLine}${fragment}]]`;
    return `[[${name}${fragment}|${oneLine}]]`;
  }
  let href = writeHref(source, target, style);
  if (heading) href += '#' + heading.slug;
  const text = label ?? target.title;
  if (style.syntax === 'anchor') {
    const title = encodeTargetText(target.title, { syntax: 'anchor', percent: false, percentNonAscii: false, angle: false, quote: '"' });
    // The words are text: a title holding `<a …>` must not become a second anchor inside this one.
    return `<a href="${href}" class="wikilink" title="${title}">${text.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</a>`;
  }
  const mdLabel = text.replace(/[\[\]]/g, (c) => '\\' + c);
  return `[${mdLabel}](${href}${style.wikilinkTitle ? ' "wikilink"' : ''})`;
}

/**
 * A link from `source` to a page the index does not hold yet (a moved section, a renamed article), by its title:
 * `[[Title]]`, or a markdown link or anchor to its file, in `style`.
 */
export function writeLinkToNew(source: Pick<Article, 'rel'>, page: { rel: string; title: string }, style: LinkStyle): string {
  if (style.syntax === 'wiki') return `[[${page.title}]]`;
  const href = writeHref(source, page, style);
  if (style.syntax === 'anchor') return `<a href="${href}" class="wikilink" title="${page.title.replace(/"/g, '&quot;')}">${page.title}</a>`;
  return `[${page.title.replace(/[[\]]/g, (c) => '\\' + c)}](${href}${style.wikilinkTitle ? ' "wikilink"' : ''})`;
}

/** The wiki's first redirect page and its link: how its redirects are written; undefined in a wiki that has none. */
export function redirectExample(wiki: Wiki): { page: Article; link: Link } | undefined {
  for (const page of wiki.allArticles()) {
    const link = redirectLinkOf(page);
    if (link) return { page, link };
  }
  return undefined;
}

/**
 * How a new redirect page writes its link: as the wiki's redirect pages do (syntax, `.md`, `_`, the `"wikilink"`
 * title, read from the first of them), a wiki link where it has none; `fallback` when that page cannot be read.
 */
export function redirectStyle(wiki: Wiki, read: (path: string) => string | undefined, fallback: LinkStyle): LinkStyle {
  const example = redirectExample(wiki);
  if (!example) return { ...fallback, syntax: 'wiki' };
  const syntax = example.link.syntax === 'markdown' || example.link.syntax === 'anchor' ? example.link.syntax : 'wiki';
  const text = read(example.page.path);
  return { ...(text === undefined ? fallback : preferredLinkStyle(wiki, currentArticle(wiki, example.page.path, text), text)), syntax };
}

/** A redirect page's text around its link: MediaWiki's `#REDIRECT [[T]]`, or pandoc's list item `1.  REDIRECT [T](T)`. */
export function redirectText(style: LinkStyle, link: string): string {
  return (style.syntax === 'wiki' ? '#REDIRECT ' : '1.  REDIRECT ') + link;
}

/** A markdown link's or anchor's destination from `source` to `target` in `style`: relative, escaped, `.md` as the style writes it. */
export function writeHref(source: Pick<Article, 'rel'>, target: Pick<Article, 'rel'>, style: LinkStyle): string {
  let rel = relativePath(dirname(source.rel), target.rel);
  if (!style.extension) rel = stripMarkdownExtension(rel);
  if (style.underscores) rel = rel.replace(/ /g, '_');
  const form = { syntax: style.syntax, percent: false, percentNonAscii: false, angle: false, quote: '"' } as const;
  return rel
    .split('/')
    .map((s) => (s === '..' ? s : encodeTargetText(s, form)))
    .join('/');
}

/** The shortest name a wiki link can use for the target from `source`: its title, else its path. */
export function wikiName(wiki: Wiki, source: Pick<Article, 'path' | 'folder' | 'rel'>, target: Article): string {
  const candidates = [frontMatterTitleOf(target), titleFromFileName(target.path), stripMarkdownExtension(target.rel)];
  for (const c of candidates) {
    if (!c) continue;
    const r = wiki.resolve({ target: c }, source);
    if (r.kind === 'article' && r.article.path === target.path) return c;
  }
  return stripMarkdownExtension(target.rel);
}

/** The articles a phrase of up to six words around the offset names (not this article), longest phrase first. */
export function mentionAt(wiki: Wiki, article: Article, text: string, offset: number): { span: Span; target: Article }[] {
  let lineStart = offset;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r' && offset - lineStart < 1000) lineStart--;
  let lineEnd = offset;
  while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r' && lineEnd - offset < 1000) lineEnd++;
  const words: Span[] = [];
  const re = /[\p{L}\p{N}]+(?:[-'’.:][\p{L}\p{N}]+)*/gu;
  const line = text.slice(lineStart, lineEnd);
  let at = -1;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const w = { start: lineStart + m.index, end: lineStart + m.index + m[0].length };
    if (w.start <= offset && offset <= w.end && at < 0) at = words.length;
    words.push(w);
  }
  if (at < 0) return [];
  const hits: { span: Span; target: Article }[] = [];
  let excluded: Span[] | undefined;
  for (let first = Math.max(0, at - 5); first <= at; first++) {
    for (let last = at; last < Math.min(words.length, first + 6); last++) {
      const span = { start: words[first].start, end: words[last].end };
      const phrase = text.slice(span.start, span.end);
      if (!/^[^\r\n]*$/.test(phrase) || /[,;!?()[\]]/.test(phrase)) continue;
      const targets = wiki.lookupName(phrase).filter((a) => a.path !== article.path);
      if (targets.length !== 1) continue;
      excluded ??= excludedSpans(text, article, { mentions: true });
      if (insideAny(excluded, span.start, span.end)) return [];
      hits.push({ span, target: targets[0] });
    }
  }
  return hits.sort((a, b) => b.span.end - b.span.start - (a.span.end - a.span.start));
}
