// Completion while typing a link, in every syntax: titles and aliases after `[[`, headings and HTML ids after `#`, any article's headings after `[[##`, footnote labels after `[^`,
// file names inside `](` and `<a href="`, images inside `![alt](`, files after `![[` and `[[File:`, categories after `[[Category:`.
// The inserted text fits the brackets already there.
import { finish, sortInSteps } from '../steps';
import { FILE_PREFIX, IMAGE_FILE, nameKey, stripMarkdownExtension, tagKey, titleFromFileName, dirname } from '../names';
import { OPEN as FRONT_MATTER_OPEN } from '../frontMatter';
import { TAG_CHAR } from '../tagSyntax';
import { articleLead, headingFragment, redirectLinkOf, type Article, type Wiki } from '../wiki';
import type { Heading, Range } from '../types';
import { CompletionKind, type CompletionItemShape, type CompletionListShape } from './shapes';
import { escapeMarkdown, plainInline } from './text';
import { Match, matchKey, matcher, needleForFull } from './match';
import { wikiName } from './mentions';
import { HeadingSearch } from './symbols';
import { blockIdsOf, linkableBlocks } from './blocks';
import { plainHeadingText } from '../decode';

export interface TitleEntry {
  /** The name shown: a title or an alias. */
  name: string;
  /** Lower-cased name with `_` read as a space, for matching what the writer typed. */
  key: string;
  /** Lower-cased folder-relative path, for matching file names. */
  pathKey: string;
  article: Article;
  alias: boolean;
  incoming: number;
}

/** Titles looked at per step of a ranking made a step at a time: about a millisecond's work. */
const RANK_STEP = 1024;

/** The keys `keyOf` gives, `\n`-separated in one string, and where each starts in it. */
function* joined(entries: TitleEntry[], keyOf: (e: TitleEntry) => string): Generator<void, [string, Int32Array<ArrayBuffer>]> {
  const starts = new Int32Array(entries.length + 1);
  let at = 1;
  const parts: string[] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    if (i % RANK_STEP === RANK_STEP - 1) yield;
    // A newline cannot be part of a name: it separates them, and marks where a prefix match starts.
    const k = keyOf(entries[i]).replace(/\n/g, ' ');
    parts[i] = k;
    starts[i] = at;
    at += k.length + 1;
  }
  starts[entries.length] = at;
  return ['\n' + parts.join('\n') + '\n', starts];
}

/**
 * Every title and alias, ordered by incoming links, kept between requests: rebuilt only when a name appears, changes or
 * disappears; re-ranked when only links changed by `refreshRankingInSteps`, which the service runs in the background
 * once the index is complete and when the editor is idle, never on the request path. A query is a run of `indexOf` over
 * one string of all names (in ranking order), which is several times faster than visiting 50,000 objects.
 */
export class TitleIndex {
  private entries: TitleEntry[] = [];
  /** `\n`-separated match keys in ranking order, and where each entry's key starts in it. */
  private hay = '';
  private starts = new Int32Array(0);
  private pathHay = '';
  private pathStarts = new Int32Array(0);
  private namesDirty = true;
  private countsDirty = false;
  private builtAt = -Infinity;
  /** Bumped by each invalidation: a ranking made a step at a time is kept only if neither moved meanwhile. */
  private namesVersion = 0;
  private countsVersion = 0;
  private categories: { name: string; count: number }[] | undefined;
  /** Work done, so tests can assert that a keystroke does not rebuild or re-rank the list. */
  readonly stats = { rebuilds: 0, reranks: 0 };

  /** A name appeared, changed or disappeared. */
  invalidateNames(): void {
    this.namesDirty = true;
    this.namesVersion++;
    this.categories = undefined;
  }

  /** Only links changed: the ranking and the category list may be refreshed later. */
  invalidateCounts(): void {
    this.countsDirty = true;
    this.countsVersion++;
  }

  get rankingStale(): boolean {
    return this.countsDirty && !this.namesDirty;
  }

  get(wiki: Wiki, now = performance.now(), busy = false): TitleEntry[] {
    // While the index is being built names change constantly; rebuilding per request would cost more than it helps.
    if (this.namesDirty && (!busy || now - this.builtAt > 500 || this.entries.length === 0)) this.rebuild(wiki, now);
    return this.entries;
  }

  private rebuild(wiki: Wiki, now: number): void {
    finish(this.rank(wiki, true, now));
  }

  /**
   * Rebuilds the list if names changed, or re-ranks it by the current incoming-link counts if only links did (nothing
   * when neither did), a step at a time, for a server to run between requests: at 50,000 articles a rebuild is
   * 0.2 s of work, which had held the server as its index became complete, and a re-rank 0.1 s, a second after each
   * pause in typing links. What it finds is kept only if no name and no link changed meanwhile.
   */
  refreshRankingInSteps(wiki: Wiki): Generator<void, void> {
    return this.rank(wiki, this.namesDirty, performance.now());
  }

  private *rank(wiki: Wiki, rebuild: boolean, now: number): Generator<void, void> {
    if (!rebuild && !this.countsDirty) return;
    const names = this.namesVersion;
    const counts = this.countsVersion;
    let entries: TitleEntry[];
    let n = 0;
    if (rebuild) {
      entries = [];
      for (const a of wiki.allArticles()) {
        if (++n % RANK_STEP === 0) yield;
        const incoming = wiki.incomingCount(a);
        const pathKey = a.rel.toLowerCase();
        entries.push({ name: a.title, key: matchKey(a.title), pathKey, article: a, alias: false, incoming });
        for (const alias of a.aliases) {
          if (alias !== a.title) entries.push({ name: alias, key: matchKey(alias), pathKey, article: a, alias: true, incoming });
        }
      }
    } else {
      // New entries with the counts of now: the list in use keeps its own until the new one replaces it.
      entries = new Array<TitleEntry>(this.entries.length);
      for (let i = 0; i < entries.length; i++) {
        if (++n % RANK_STEP === 0) yield;
        const e = this.entries[i];
        entries[i] = { ...e, incoming: wiki.incomingCount(e.article) };
      }
    }
    entries = yield* sortInSteps(entries, (a, b) => b.incoming - a.incoming || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const [hay, starts] = yield* joined(entries, (e) => e.key);
    const [pathHay, pathStarts] = yield* joined(entries, (e) => e.pathKey);
    if (names !== this.namesVersion || counts !== this.countsVersion) return;
    if (rebuild) this.stats.rebuilds++;
    else this.stats.reranks++;
    this.entries = entries;
    [this.hay, this.starts, this.pathHay, this.pathStarts] = [hay, starts, pathHay, pathStarts];
    this.namesDirty = false;
    this.countsDirty = false;
    this.categories = undefined;
    if (rebuild) this.builtAt = now;
  }

  /**
   * The best entries for a query: the exact name, prefix matches, word starts, then names whose words the typed words
   * start ("kron reb"), other substrings and finally subsequences; each group most linked first.
   * `byPath` matches folder-relative file paths as well as names.
   */
  search(wiki: Wiki, query: string, max: number, options: { byPath?: boolean; busy?: boolean; accept?: (e: TitleEntry) => boolean } = {}): { hits: TitleEntry[]; incomplete: boolean } {
    const entries = this.get(wiki, undefined, options.busy);
    const accept = options.accept ?? (() => true);
    const q = matchKey(query).replace(/\n/g, ' ');
    if (!q) {
      const hits: TitleEntry[] = [];
      for (const e of entries) {
        if (!accept(e)) continue;
        if (hits.length === max) return { hits, incomplete: true };
        hits.push(e);
      }
      return { hits, incomplete: false };
    }
    const best = new Int8Array(entries.length).fill(-1);
    const scan = (hay: string, starts: Int32Array) => {
      let entry = 0;
      let p = hay.indexOf(q, 1);
      while (p >= 0) {
        while (starts[entry + 1] <= p) entry++;
        const end = starts[entry + 1] - 1;
        if (p + q.length <= end) {
          const prev = hay.charCodeAt(p - 1);
          const rank = prev === 10 ? (p + q.length === end ? Match.Exact : Match.Prefix) : /[\s_/(-]/.test(hay[p - 1]) ? Match.WordPrefix : Match.Substring;
          if (best[entry] < 0 || rank < best[entry]) best[entry] = rank;
          if (rank === Match.Substring) {
            p = hay.indexOf(q, p + 1);
            continue;
          }
        }
        // A better match in this entry is not possible (or the match ran past it): go on with the next entry.
        p = hay.indexOf(q, starts[entry + 1]);
      }
    };
    scan(this.hay, this.starts);
    if (options.byPath) scan(this.pathHay, this.pathStarts);
    const buckets: TitleEntry[][] = [[], [], [], [], [], []];
    let found = 0;
    const take = (i: number, rank: number): boolean => {
      if (!accept(entries[i])) return true;
      found++;
      if (buckets[Match.Exact].length >= max) return false;
      let better = 0;
      for (let b = 0; b < rank; b++) better += buckets[b].length;
      if (better < max && buckets[rank].length < max) buckets[rank].push(entries[i]);
      return true;
    };
    let stopped = false;
    for (let i = 0; i < entries.length && !stopped; i++) if (best[i] >= 0) stopped = !take(i, best[i]);
    // Words and subsequences only when the substrings leave room: they are the slow part, and rank last anyway.
    if (!stopped && found < max) {
      const rankOf = matcher(q);
      for (let i = 0; i < entries.length; i++) {
        if (best[i] >= 0) continue;
        const rank = rankOf(entries[i].key);
        if (rank === Match.Words || rank === Match.Subsequence) take(i, rank);
      }
    }
    const hits = buckets.flat().slice(0, max);
    return { hits, incomplete: found > hits.length };
  }

  /** Categories used by links anywhere, most used first (computed on first use, kept until the index changes). */
  getCategories(wiki: Wiki): { name: string; count: number }[] {
    if (this.categories) return this.categories;
    const counts = new Map<string, number>();
    for (const a of wiki.allArticles()) {
      for (const k of a.linkKeys) if (/^category:/i.test(k)) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const out: { name: string; count: number }[] = [];
    for (const [key, count] of counts) {
      // Keys are folded; the name as some writer spelled it reads better.
      let name = key.slice('category:'.length);
      for (const source of wiki.linkersOfKeys([key])) {
        const link = source.syntax.links.find((l) => l.target && /^:?category:/i.test(l.target) && nameKey(l.target.replace(/^:/, ''), wiki.settings.caseMode) === key);
        if (link) {
          // As pandoc writes them in a page exported from MediaWiki, targets may end in `.md`: not part of the name.
          name = stripMarkdownExtension(link.target.replace(/^:?category:/i, '')).replace(/_/g, ' ').trim();
          break;
        }
      }
      out.push({ name, count });
    }
    for (const e of this.get(wiki)) {
      if (/^category:/i.test(e.name) && !counts.has(nameKey(e.name, wiki.settings.caseMode))) out.push({ name: e.name.slice('category:'.length).trim(), count: e.incoming });
    }
    out.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
    return (this.categories = out);
  }
}

export interface CompletionRequest {
  wiki: Wiki;
  /** The article being edited, analysed from the editor's text. */
  article: Article;
  text: string;
  offset: number;
  titles: TitleIndex;
  /** Most items to return; the list is marked incomplete when more would match. */
  maxItems?: number;
  /** True while the index is still being built. */
  indexing?: boolean;
  /** Another article's current text (for its blocks after `[[Page#^`). */
  textOf?: (path: string) => string | undefined;
  /** The wiki's headings as workspace symbols keep them, for `[[##` (the service's, kept between requests). */
  headings?: HeadingSearch;
}

type Context =
  | { kind: 'wiki'; start: number; prefix: string; embed: boolean }
  | { kind: 'wikiHeading'; target: string; start: number; prefix: string }
  /** `[[##words`: a heading of any article, as Obsidian offers one. */
  | { kind: 'anyHeading'; start: number; prefix: string }
  | { kind: 'footnote'; start: number; prefix: string }
  | { kind: 'file'; syntax: 'markdown' | 'anchor'; start: number; prefix: string; quote: string; angle: boolean }
  /** `quote`: inside an `<img src="…">` (its quote), not a markdown image's `(…)`. */
  | { kind: 'image'; start: number; prefix: string; angle: boolean; quote?: string }
  | { kind: 'fileHeading'; syntax: 'markdown' | 'anchor'; target: string; start: number; prefix: string; quote: string }
  | { kind: 'referenceLabel'; start: number; prefix: string }
  /** After a `#` that opens a word, or in the front matter's `tags` (`front`, written without `#`). */
  | { kind: 'tag'; start: number; prefix: string; front: boolean };

/** What is being typed at the offset, judged from the current line up to the cursor. */
export function completionContext(text: string, offset: number): Context | undefined {
  let lineStart = offset;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r' && offset - lineStart < 1000) lineStart--;
  const before = text.slice(lineStart, offset);
  let m: RegExpExecArray | null;
  if ((m = /\[\^([^\]\s[]*)$/.exec(before))) return { kind: 'footnote', start: offset - m[1].length, prefix: m[1] };
  if ((m = /(!?)\[\[([^[\]]*)$/.exec(before))) {
    const inner = m[2];
    if (inner.includes('|')) return undefined; // typing the label: nothing to suggest
    if (inner.startsWith('##')) return { kind: 'anyHeading', start: offset - inner.length, prefix: inner.slice(2) };
    const hash = inner.indexOf('#');
    if (hash >= 0) return { kind: 'wikiHeading', target: inner.slice(0, hash), start: offset - (inner.length - hash - 1), prefix: inner.slice(hash + 1) };
    return { kind: 'wiki', start: offset - inner.length, prefix: inner, embed: m[1] === '!' };
  }
  // `[text][` of a reference link (not `[[`, nor a footnote's `[^`): the labels the article defines.
  if ((m = /(?:^|[^[])\[((?:[^[\]\\]|\\.)*)\]\[([^[\]]*)$/.exec(before)) && !m[1].startsWith('^')) return { kind: 'referenceLabel', start: offset - m[2].length, prefix: m[2] };
  if ((m = /<a\s[^>]*?\bhref\s*=\s*(["'])([^"'<>]*)$/i.exec(before))) {
    const dest = m[2];
    const hash = dest.indexOf('#');
    if (hash >= 0) return { kind: 'fileHeading', syntax: 'anchor', target: dest.slice(0, hash), start: offset - (dest.length - hash - 1), prefix: dest.slice(hash + 1), quote: m[1] };
    return { kind: 'file', syntax: 'anchor', start: offset - dest.length, prefix: dest, quote: m[1], angle: false };
  }
  if ((m = /<img\s[^>]*?\bsrc\s*=\s*(["'])([^"'<>]*)$/i.exec(before))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(m[2])) return undefined; // an external URL
    return { kind: 'image', start: offset - m[2].length, prefix: m[2], angle: false, quote: m[1] };
  }
  if ((m = /!\[[^\]]*\]\((<?)([^()\s<>#]*)$/.exec(before))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(m[2])) return undefined; // an external URL
    return { kind: 'image', start: offset - m[2].length, prefix: m[2], angle: m[1] === '<' };
  }
  if ((m = /\]\((<?)([^()\s<>]*)$/.exec(before))) {
    const dest = m[2];
    if (/^[a-z][a-z0-9+.-]*:/i.test(dest)) return undefined; // an external URL
    const hash = dest.indexOf('#');
    if (hash >= 0) return { kind: 'fileHeading', syntax: 'markdown', target: dest.slice(0, hash), start: offset - (dest.length - hash - 1), prefix: dest.slice(hash + 1), quote: '' };
    return { kind: 'file', syntax: 'markdown', start: offset - dest.length, prefix: dest, quote: '', angle: m[1] === '<' };
  }
  if ((m = TAG_TYPED.exec(before))) return { kind: 'tag', start: offset - m[1].length, prefix: m[1], front: false };
  const tagsLine = TAGS_LINE.exec(before) ?? (TAGS_ITEM.test(before) && listOfTags(text, lineStart) ? TAG_END.exec(before) : null);
  if (tagsLine && inFrontMatter(text, offset)) return { kind: 'tag', start: offset - tagsLine[1].length, prefix: tagsLine[1], front: true };
  return undefined;
}

/** A tag being typed after its `#`, at the end of the text before the cursor; in the front matter's `tags:` line or list. */
const TAG_TYPED = new RegExp(`(?:^|[ \\t\\u00a0])#(${TAG_CHAR}*)$`, 'u');
const TAGS_LINE = new RegExp(`^tags?[ \\t]*:[ \\t]*\\[?(?:[^,\\]\\n]*,[ \\t]*)*["']?#?(${TAG_CHAR}*)$`, 'u');
const TAGS_ITEM = new RegExp(`^[ \\t]+-[ \\t]+["']?#?${TAG_CHAR}*$`, 'u');
const TAG_END = new RegExp(`(${TAG_CHAR}*)$`, 'u');
const NAME_CHAR = new RegExp(TAG_CHAR, 'u');

/** Whether the offset is inside the front matter (between its `---` lines). */
function inFrontMatter(text: string, offset: number): boolean {
  const open = FRONT_MATTER_OPEN.exec(text);
  if (!open) return false;
  const close = /(?:\r\n|\r|\n)(?:---|\.\.\.)[ \t]*(?:\r\n|\r|\n|$)/g;
  close.lastIndex = open[0].length - 1;
  const m = close.exec(text);
  return offset >= open[0].length && (!m || offset <= m.index);
}

/** Whether the YAML list item whose line starts at `lineStart` belongs to a `tags:` key (the nearest unindented line above). */
function listOfTags(text: string, lineStart: number): boolean {
  const above = text.slice(Math.max(0, lineStart - 2000), lineStart).split(/\r\n|\r|\n/);
  for (let i = above.length - 1; i >= 0; i--) {
    if (/^[ \t]+-/.test(above[i]) || above[i] === '') continue;
    return /^tags?[ \t]*:[ \t]*$/.test(above[i]);
  }
  return false;
}

/**
 * Whether the offset is inside a fenced code block: there `#include` is code, not a tag being typed. Fences are
 * matched as CommonMark matches them (the same character, at least as long, nothing after the closing one).
 */
function inFencedCode(text: string, offset: number): boolean {
  const line = /^( {0,3})(`{3,}|~{3,})([^\r\n]*)$/gm;
  let open: string | undefined;
  for (let m = line.exec(text); m && m.index < offset; m = line.exec(text)) {
    const fence = m[2];
    if (open === undefined) {
      if (fence[0] === '`' && m[3].includes('`')) continue;
      open = fence;
    } else if (fence[0] === open[0] && fence.length >= open.length && m[3].trim() === '') open = undefined;
  }
  return open !== undefined;
}

export function completions(req: CompletionRequest): CompletionListShape | undefined {
  const ctx = completionContext(req.text, req.offset);
  if (!ctx) return undefined;
  const max = req.maxItems ?? 100;
  switch (ctx.kind) {
    case 'footnote':
      return footnoteCompletions(req, ctx);
    case 'wiki': {
      if (/^:?category:/i.test(ctx.prefix)) return categoryCompletions(req, ctx, max);
      const file = FILE_PREFIX.exec(ctx.prefix);
      if (file) return fileNameCompletions(req, { start: ctx.start + file[0].length, prefix: ctx.prefix.slice(file[0].length) }, max, 0);
      const titles = titleCompletions(req, ctx, max);
      if (!ctx.embed) return titles;
      // `![[` embeds images as often as articles (Obsidian): the wiki's files follow the titles.
      const files = fileNameCompletions(req, ctx, max, titles.items.length);
      return { isIncomplete: titles.isIncomplete || files.isIncomplete, items: [...titles.items, ...files.items] };
    }
    case 'wikiHeading':
    case 'fileHeading':
      return headingCompletions(req, ctx);
    case 'anyHeading':
      return anyHeadingCompletions(req, ctx, max);
    case 'file':
      return fileCompletions(req, ctx, max);
    case 'image':
      return imageCompletions(req, ctx, max);
    case 'referenceLabel':
      return referenceLabelCompletions(req, ctx);
    case 'tag':
      return tagCompletions(req, ctx, max);
  }
}

/**
 * After `#` (or in the front matter's `tags`): the tags in use, most used first, those the typed letters start
 * first. Not where the `#` would read as no tag: in code, in a link's label, after a word (`C#`).
 */
function tagCompletions(req: CompletionRequest, ctx: Extract<Context, { kind: 'tag' }>, max: number): CompletionListShape | undefined {
  if (!ctx.front) {
    // With letters typed, the scanner must read a tag there; with none yet, a fence is all that can make it code.
    if (ctx.prefix ? !req.article.syntax.tags?.some((t) => t.span.start === ctx.start) : inFencedCode(req.text, req.offset)) return undefined;
  }
  const typed = tagKey(ctx.prefix);
  let end = req.offset;
  while (end < req.text.length && end - req.offset < 200 && NAME_CHAR.test(req.text[end])) end++;
  // The tag being typed counts this article only if it has the tag elsewhere too: typing `#anar` is no use of `anar`.
  const mine = (req.article.syntax.tags ?? []).filter((t) => tagKey(t.name) === typed);
  const typedOnlyHere = mine.length === 1 && mine[0].span.start === ctx.start && [...req.wiki.tagged(typed).keys()].some((a) => a.path === req.article.path);
  const items: CompletionItemShape[] = [];
  const starting: typeof items = [];
  let more = false;
  for (const t of req.wiki.tagUse()) {
    const count = t.key === typed && typedOnlyHere ? t.count - 1 : t.count;
    if (count <= 0 || !t.key.includes(typed)) continue;
    // Those the letters start are kept to the cap, those they are only inside of while there is room.
    if (t.key.startsWith(typed) ? starting.length >= max : starting.length + items.length >= max) {
      more = true;
      continue;
    }
    const item: CompletionItemShape = {
      label: ctx.front ? t.name : `#${t.name}`,
      kind: CompletionKind.Keyword,
      detail: `tag · on ${count.toLocaleString('en-US')} ${count === 1 ? 'article' : 'articles'}`,
      filterText: ctx.front ? t.name : `#${t.name}`,
      textEdit: { range: req.article.lines.range({ start: ctx.front ? ctx.start : ctx.start - 1, end }), newText: ctx.front ? t.name : `#${t.name}` },
    };
    (t.key.startsWith(typed) ? starting : items).push(item);
  }
  const all = [...starting, ...items];
  const shown = all.slice(0, max);
  shown.forEach((item, i) => (item.sortText = sortText(i)));
  return { isIncomplete: more || all.length > max || !!req.indexing, items: shown };
}

/** After `[text][`: the labels of the article's link reference definitions, each with where it leads. */
function referenceLabelCompletions(req: CompletionRequest, ctx: { start: number; prefix: string }): CompletionListShape {
  const e = edit(req, ctx.start, /[\]\n\r[]/, [']'], ']');
  const seen = new Set<string>();
  const items: CompletionItemShape[] = [];
  for (const d of req.article.syntax.links) {
    if (d.syntax !== 'reference' || !d.label || seen.has(d.label.toLowerCase())) continue;
    seen.add(d.label.toLowerCase());
    items.push({ label: d.label, kind: CompletionKind.Reference, detail: `→ ${d.rawTarget}`, sortText: sortText(items.length), filterText: d.label, textEdit: { range: e.range, newText: d.label + e.suffix } });
  }
  return { isIncomplete: false, items };
}

/** The range to replace and the closing text to add: what follows the cursor decides, so existing brackets are reused. */
function edit(req: CompletionRequest, start: number, stopChars: RegExp, closers: string[], closing: string): { range: Range; suffix: string } {
  const { text, offset, article } = req;
  let end = offset;
  while (end < text.length && end - offset < 500 && !stopChars.test(text[end])) end++;
  const rest = text.slice(end, end + 2);
  if (closers.some((c) => rest.startsWith(c))) return { range: article.lines.range({ start, end }), suffix: '' };
  // Nothing closes the link on this line: replace only what was typed and close it ourselves.
  if (closing === ']]' && rest.startsWith(']')) return { range: article.lines.range({ start, end: offset }), suffix: ']' };
  return { range: article.lines.range({ start, end: offset }), suffix: closing };
}

/** A name that, written as a link target in `from`, leads to `target`: the name shown if it does, else its file name. */
export function targetFor(wiki: Wiki, target: Article, from: Article, preferred: string): string {
  const candidates = [preferred, target.title, ...target.aliases, titleFromFileName(target.path), stripMarkdownExtension(target.rel)];
  for (const c of candidates) {
    if (!c || /[[\]|#]/.test(c)) continue;
    const r = wiki.resolveTarget(c, from);
    if (r.kind === 'article' && r.article === target) return c;
  }
  return stripMarkdownExtension(target.rel);
}

/**
 * The documentation of an item that offers an article (its lead and how many link to it), filled in by
 * completionItem/resolve when the editor shows that item. The lead is read from the article's text then: the index
 * does not keep it, and a list of 50 items would otherwise read 50 files on every keystroke.
 */
export function completionDocumentation(wiki: Wiki, item: CompletionItemShape, textOf: (path: string) => string | undefined): CompletionItemShape {
  const path = item.data?.article;
  // Only an indexed article's text is read, whatever path a client sends back.
  const page = typeof path === 'string' ? wiki.articles.get(path) : undefined;
  if (!page) return item;
  // A redirect page has no lead of its own: the article it redirects to is what the link will show.
  const a = redirectTarget(wiki, page) ?? page;
  const parts: string[] = a === page ? [] : [`*Redirects to ${escapeMarkdown(a.title)}*`];
  const lead = articleLead(a, textOf);
  if (lead) parts.push(escapeMarkdown(lead));
  const incoming = wiki.incomingCount(a, true);
  parts.push(`*${incoming === 1 ? '1 article links' : `${incoming} articles link`} here*`);
  return { ...item, documentation: { kind: 'markdown', value: parts.join('\n\n') } };
}

/** The article a redirect page leads to; undefined for any other page, or a redirect that leads nowhere. */
function redirectTarget(wiki: Wiki, page: Article): Article | undefined {
  const link = redirectLinkOf(page);
  if (!link) return undefined;
  const r = wiki.resolveThrough(link, page);
  return r.kind === 'article' && !r.loop ? r.article : undefined;
}

function sortText(i: number): string {
  return String(i).padStart(5, '0');
}

function titleCompletions(req: CompletionRequest, ctx: { start: number; prefix: string }, max: number): CompletionListShape {
  const found = req.titles.search(req.wiki, ctx.prefix, max, { busy: req.indexing });
  // Like Obsidian, the article being edited is offered (a link to itself can be meant) but never ahead of the others.
  // Paths, not objects: the title list may hold an older analysis of the article being typed in.
  const self = req.article.path;
  const hits = [...found.hits.filter((h) => h.article.path !== self), ...found.hits.filter((h) => h.article.path === self)];
  const incomplete = found.incomplete;
  const e = edit(req, ctx.start, /[|#\]\n\r[]/, [']]', '|', '#'], ']]');
  const items: CompletionItemShape[] = hits.map((h, i) => {
    const target = targetFor(req.wiki, h.article, req.article, h.name);
    const to = redirectTarget(req.wiki, h.article);
    return {
      label: h.name,
      kind: h.alias ? CompletionKind.Reference : CompletionKind.File,
      detail: h.alias ? `alias of ${h.article.title} · ${h.article.rel}` : to ? `redirect to ${to.title} · ${h.article.rel}` : h.article.rel,
      data: { article: h.article.path },
      sortText: sortText(i),
      filterText: h.name,
      textEdit: { range: e.range, newText: target + e.suffix },
    };
  });
  return { isIncomplete: incomplete || !!req.indexing, items };
}

function categoryCompletions(req: CompletionRequest, ctx: { start: number; prefix: string }, max: number): CompletionListShape {
  const colon = ctx.prefix.indexOf(':');
  const written = ctx.prefix.slice(0, colon + 1);
  const q = matchKey(ctx.prefix.slice(colon + 1));
  const all = req.titles.getCategories(req.wiki).filter((c) => matchKey(c.name).includes(q));
  const e = edit(req, ctx.start, /[|#\]\n\r[]/, [']]', '|', '#'], ']]');
  const items = all.slice(0, max).map((c, i) => ({
    label: written + c.name,
    kind: CompletionKind.EnumMember,
    detail: `category · used by ${c.count} ${c.count === 1 ? 'article' : 'articles'}`,
    sortText: sortText(i),
    filterText: written + c.name,
    textEdit: { range: e.range, newText: written + c.name + e.suffix },
  }));
  return { isIncomplete: all.length > max || !!req.indexing, items };
}

/**
 * After `[[##`: the headings of every article that the words match, best first, each inserted as `Title#Heading` (the
 * shortest name that leads to its article, the heading as the link names it). Searched as workspace symbols search
 * headings (HeadingSearch); HTML headings are left out, as links name their ids, not their texts.
 */
function anyHeadingCompletions(req: CompletionRequest, ctx: Extract<Context, { kind: 'anyHeading' }>, max: number): CompletionListShape {
  const search = req.headings ?? new HeadingSearch();
  const q = matchKey(ctx.prefix);
  const e = edit(req, ctx.start, /[|\]\n\r[]/, [']]', '|'], ']]');
  // Up to `max` of each rank, in the wiki's order (its articles', then their headings'): a short query matches most of a
  // large wiki's headings, and only the best `max` are shown. Once the best rank is full, nothing later can come first.
  // A query of up to four letters stops once exact and prefix matches fill the list: it starts a word in most headings
  // (one letter took 57 ms at 50,000 articles, three 23 ms), and a heading of exactly those letters is rare.
  const buckets: { article: Article; heading: Heading }[][] = [[], [], [], [], [], []];
  const full = () => buckets[0].length >= max || (q.length < 5 && buckets[0].length + buckets[1].length >= max);
  search.search(
    req.wiki,
    q,
    matcher(q),
    (rank, get) => {
      if (rank < 0 || buckets[rank].length >= max) return !full();
      const { article, heading } = get();
      if ('slug' in heading) buckets[rank].push({ article, heading: heading as Heading });
      return !full();
    },
    undefined,
    // Once the best ranks fill the list, only keys holding what those hold can get in.
    () => needleForFull(q, buckets, max),
  );
  const items = buckets.flat().slice(0, max).map(({ article, heading }, i): CompletionItemShape => {
    const shown = plainHeadingText(heading.text);
    const own = article === req.article || article.path === req.article.path;
    const fragment = search.wikiFragment(article, heading);
    const insert = own ? `#${fragment}` : `${wikiName(req.wiki, req.article, article)}#${fragment}`;
    return {
      label: shown,
      kind: CompletionKind.Reference,
      detail: `${'#'.repeat(heading.level)} ${shown} · ${article.title}`,
      sortText: sortText(i),
      filterText: `##${shown}`,
      textEdit: { range: e.range, newText: insert + e.suffix },
    };
  });
  // Asked again as the words change: what matches depends on all of them.
  return { isIncomplete: true, items };
}

function headingCompletions(req: CompletionRequest, ctx: Extract<Context, { kind: 'wikiHeading' } | { kind: 'fileHeading' }>): CompletionListShape {
  let target: Article | undefined = req.article;
  const rawTarget = ctx.target.trim();
  if (rawTarget) {
    let decoded = rawTarget;
    try {
      decoded = ctx.kind === 'fileHeading' ? decodeURIComponent(rawTarget) : rawTarget;
    } catch {
      // A malformed escape: look the name up as written.
    }
    // After `[[Redirect#`: the sections of the article it redirects to, where the fragment will be looked up.
    const r = req.wiki.resolveThrough({ target: decoded }, req.article);
    target = r.kind === 'article' && !r.loop ? r.article : undefined;
  }
  if (!target) return { isIncomplete: !!req.indexing, items: [] };
  const wikiSyntax = ctx.kind === 'wikiHeading';
  const e = wikiSyntax
    ? edit(req, ctx.start, /[|\]\n\r[]/, [']]', '|'], ']]')
    : edit(req, ctx.start, ctx.kind === 'fileHeading' && ctx.syntax === 'anchor' ? /["'\n\r]/ : /[)\s]/, ctx.kind === 'fileHeading' && ctx.syntax === 'anchor' ? ['"', "'"] : [')', ' '], ctx.kind === 'fileHeading' && ctx.syntax === 'anchor' ? ctx.quote : ')');
  if (ctx.prefix.startsWith('^')) return blockCompletions(req, target, e, ctx.prefix.slice(1));
  let headings = target.syntax.headings
    .filter((h) => !(target === req.article && h.textSpan.start <= req.offset && req.offset <= h.span.end))
    // Linking to the title heading is linking to the article.
    .filter((h) => !((target!.titleSpan && target!.titleSpan.start === h.span.start) || (h.level === 1 && plainHeadingText(h.text) === target!.title)));
  // An article of more headings and ids than a list holds (a log of 40,000 headings took 17 s to list, each numbered
  // among those alike): those whose words hold every word typed, asked again as they change.
  const max = req.maxItems ?? 100;
  const cut = headings.length + target.syntax.anchors.length > max;
  const words = cut ? fragmentWords(ctx.prefix) : [];
  const typedIn = (s: string) => {
    const have = fragmentWords(s).join(' ');
    return words.every((w) => have.includes(w));
  };
  if (cut) headings = headings.filter((h) => typedIn(plainHeadingText(h.text))).slice(0, max);
  const items = headings.map((h: Heading, i) => {
      const shown = plainHeadingText(h.text);
      const insert = headingFragment(target!, h, wikiSyntax);
      return {
        label: shown,
        kind: CompletionKind.Reference,
        detail: `${'#'.repeat(h.level)} ${shown}${target === req.article ? '' : ` · ${target!.title}`}`,
        sortText: sortText(i),
        filterText: insert,
        textEdit: { range: e.range, newText: insert + e.suffix },
      };
    });
  // Then the HTML ids (pandoc keeps MediaWiki's `<span id>`), but for one a heading already offers.
  const offered = new Set(items.map((item) => item.filterText));
  const htmlHeadings = target.syntax.htmlHeadings ?? [];
  for (const a of target.syntax.anchors) {
    if (cut && items.length >= max) break;
    const insert = wikiSyntax ? a.id.replace(/[[\]|#]/g, '') : a.id;
    if (!insert || offered.has(insert) || (cut && !typedIn(insert))) continue;
    offered.add(insert);
    // An id on an HTML heading (`<h2 id="purpose">PURPOSE</h2>`) is shown by its heading, as a markdown heading is.
    const h = htmlHeadings.find((x) => x.span.start <= a.span.start && a.span.end <= x.textSpan.start);
    const shown = h && plainHeadingText(h.text);
    items.push({
      label: shown || insert,
      kind: CompletionKind.Reference,
      detail: `${a.id.startsWith('^') ? 'block' : shown ? `<h${h!.level} id="${a.id}">` : `id="${a.id}"`}${target === req.article ? '' : ` · ${target.title}`}`,
      sortText: sortText(items.length),
      filterText: insert,
      textEdit: { range: e.range, newText: insert + e.suffix },
    });
  }
  return { isIncomplete: cut, items };
}

/** The words of a fragment or heading as typed or shown: lower case, `_` and `-` as spaces. */
function fragmentWords(s: string): string[] {
  return s.toLowerCase().split(/[\s_-]+/).filter(Boolean);
}

/** How much of a block's text an item shows as its label; the documentation has the rest. */
const BLOCK_LABEL_MAX = 80;
const BLOCK_DOC_MAX = 600;

/**
 * After `#^`: the target's paragraphs and list items, as Obsidian offers them, those with an id first. Choosing one
 * without an id inserts a new one, and the item carries what adds it to the block: an additional edit in this
 * article, else `addBlockId` for the command the language server makes of it. A text too long to read its blocks
 * (BLOCKS_MAX_TEXT) offers the ids it has.
 */
function blockCompletions(req: CompletionRequest, linked: Article, e: { range: Range; suffix: string }, typed: string): CompletionListShape {
  // `[[#^` or this article by its name: its blocks as the editor has them now.
  const own = linked.path === req.article.path;
  const target = own ? req.article : linked;
  const text = own ? req.text : req.textOf?.(target.path);
  const blocks = (text === undefined ? undefined : linkableBlocks(text, target.syntax)) ?? [];
  const blockIds = blockIdsOf(blocks, target.syntax.anchors);
  // An article of more blocks than a list holds: those whose words hold every word typed, asked again as they change.
  const max = req.maxItems ?? 100;
  const cut = blocks.length > max;
  const words = cut ? fragmentWords(typed) : [];
  let listed = 0;
  const shownIds = new Set<string>();
  const named: CompletionItemShape[] = [];
  const unnamed: CompletionItemShape[] = [];
  for (const [i, b] of blocks.entries()) {
    // The block being written in is not one to link to.
    if (own && b.start <= req.offset && req.offset <= b.end) continue;
    const id = blockIds[i];
    if (cut) {
      const haystack = `${id} ${b.text}`.toLowerCase();
      if (!words.every((w) => haystack.includes(w))) continue;
      if (listed++ >= max) break;
    }
    if (b.id) shownIds.add(b.id);
    const label = b.text.length > BLOCK_LABEL_MAX ? `${b.text.slice(0, BLOCK_LABEL_MAX - 1).trimEnd()}…` : b.text;
    const doc = b.text.length > BLOCK_DOC_MAX ? `${b.text.slice(0, BLOCK_DOC_MAX - 1).trimEnd()}…` : b.text;
    const item: CompletionItemShape = {
      label,
      kind: CompletionKind.Reference,
      // Short, so that the editor leaves room for the block's words (the article is the one the link names).
      detail: `${b.id ?? `${id} (new)`}${b.kind === 'list item' ? ' · list item' : ''}`,
      documentation: { kind: 'markdown', value: escapeMarkdown(doc) },
      // The words are matched as typed after `^`, and an id by its name.
      filterText: `${id} ${b.text}`,
      textEdit: { range: e.range, newText: id + e.suffix },
    };
    if (!b.id) {
      if (own) item.additionalTextEdits = [{ range: req.article.lines.range({ start: b.end, end: b.end }), newText: ` ${id}` }];
      else item.addBlockId = { path: target.path, start: b.start, key: b.key, id };
    }
    (b.id ? named : unnamed).push(item);
  }
  // Ids the blocks above do not show: those of an article too long to read, or not at a block's end.
  for (const a of target.syntax.anchors) {
    if (cut && named.length + unnamed.length >= max) break;
    if (!a.id.startsWith('^') || shownIds.has(a.id)) continue;
    if (cut && !words.every((w) => a.id.toLowerCase().includes(w))) continue;
    shownIds.add(a.id);
    named.push({ label: a.id, kind: CompletionKind.Reference, detail: 'block', filterText: a.id, textEdit: { range: e.range, newText: a.id + e.suffix } });
  }
  const items = [...named, ...unnamed];
  items.forEach((item, i) => (item.sortText = sortText(i)));
  return { isIncomplete: cut, items };
}

function footnoteCompletions(req: CompletionRequest, ctx: { start: number; prefix: string }): CompletionListShape {
  const { article } = req;
  const e = edit(req, ctx.start, /[\]\s]/, [']'], ']');
  const labels = new Map<string, string>();
  for (const d of article.syntax.footnoteDefs) if (!labels.has(d.label)) labels.set(d.label, d.text);
  for (const r of article.syntax.footnoteRefs) {
    // The reference being typed is not a label yet.
    if (r.labelSpan.start <= req.offset && req.offset <= r.labelSpan.end) continue;
    if (!labels.has(r.label)) labels.set(r.label, '');
  }
  let highest = 0;
  for (const label of labels.keys()) if (/^\d+$/.test(label)) highest = Math.max(highest, Number(label));
  const next = String(highest + 1);
  const items: CompletionItemShape[] = [
    { label: next, kind: CompletionKind.Value, detail: 'next free footnote number', sortText: sortText(0), filterText: next, textEdit: { range: e.range, newText: next + e.suffix } },
  ];
  let i = 1;
  for (const [label, def] of labels) {
    if (label === next) continue;
    items.push({
      label,
      kind: CompletionKind.Reference,
      detail: def ? 'footnote' : 'footnote (no definition yet)',
      documentation: def ? { kind: 'markdown', value: escapeMarkdown(plainInline(def)) } : undefined,
      sortText: sortText(i++),
      filterText: label,
      textEdit: { range: e.range, newText: label + e.suffix },
    });
  }
  return { isIncomplete: false, items };
}

/** The path of `to` written relative to the folder of `from` (both folder-relative). */
export function relativePath(fromRel: string, toRel: string): string {
  const from = dirname(fromRel).split('/').filter(Boolean);
  const to = toRel.split('/');
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => '..'), ...to.slice(i)].join('/');
}

function fileCompletions(req: CompletionRequest, ctx: Extract<Context, { kind: 'file' }>, max: number): CompletionListShape {
  const folder = req.article.folder;
  const found = req.titles.search(req.wiki, decodeSafe(ctx.prefix), max, { byPath: true, busy: req.indexing, accept: (x) => !x.alias && x.article.folder === folder });
  const self = req.article.path;
  const hits = [...found.hits.filter((h) => h.article.path !== self), ...found.hits.filter((h) => h.article.path === self)];
  const incomplete = found.incomplete;
  const anchor = ctx.syntax === 'anchor';
  const e = anchor
    ? edit(req, ctx.start, /["'#\n\r]/, ['"', "'", '#'], ctx.quote)
    : edit(req, ctx.start, /[)#\s>]/, [')', '#', ' ', '>'], ctx.angle ? '>)' : ')');
  const items: CompletionItemShape[] = hits.map((h, i) => {
    const rel = relativePath(req.article.rel, h.article.rel);
    const written = anchor ? rel.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/ /g, '%20') : ctx.angle ? rel : rel.replace(/ /g, '%20').replace(/\(/g, '%28').replace(/\)/g, '%29');
    return {
      label: rel,
      kind: CompletionKind.File,
      detail: h.article.title,
      data: { article: h.article.path },
      sortText: sortText(i),
      filterText: written,
      textEdit: { range: e.range, newText: written + e.suffix },
    };
  });
  return { isIncomplete: incomplete || !!req.indexing, items };
}

/**
 * After `![[` or `[[File:`: the wiki's files (not articles) whose names contain what was typed, those it starts first.
 * A name the link finds by itself is written bare; one another file shares is written as a path from the article.
 * `first` numbers the items after the ones already offered.
 */
function fileNameCompletions(req: CompletionRequest, ctx: { start: number; prefix: string }, max: number, first: number): CompletionListShape {
  const typed = matchKey(ctx.prefix);
  const { folder } = req.article;
  const found: { path: string; name: string; key: string; starts: boolean }[] = [];
  const sameName = new Map<string, number>();
  for (const path of req.wiki.attachmentPaths()) {
    if (req.wiki.folderOf(path) !== folder) continue;
    const name = path.slice(path.lastIndexOf('/') + 1);
    const key = matchKey(name);
    const at = typed ? key.indexOf(typed) : 0;
    if (at < 0) continue;
    found.push({ path, name, key, starts: at === 0 });
    sameName.set(key, (sameName.get(key) ?? 0) + 1);
  }
  found.sort((a, b) => Number(b.starts) - Number(a.starts) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const e = edit(req, ctx.start, /[|#\]\n\r[]/, [']]', '|', '#'], ']]');
  const items: CompletionItemShape[] = found.slice(0, max).map((f, i) => {
    const r = sameName.get(f.key) === 1 ? req.wiki.resolveTarget(f.name, req.article) : undefined;
    const written = r?.kind === 'attachment' && r.path === f.path ? f.name : relativePath(req.article.rel, f.path.slice(folder.length + 1));
    return { label: written, kind: CompletionKind.File, detail: 'file', sortText: sortText(first + i), filterText: written, textEdit: { range: e.range, newText: written + e.suffix } };
  });
  return { isIncomplete: found.length > max, items };
}

/** Inside `![alt](` or `<img src="`: the wiki's images, by their path from this article, those whose path contains what was typed. */
function imageCompletions(req: CompletionRequest, ctx: Extract<Context, { kind: 'image' }>, max: number): CompletionListShape {
  const typed = decodeSafe(ctx.prefix).toLowerCase();
  const { folder } = req.article;
  const found: string[] = [];
  for (const p of req.wiki.attachmentPaths()) {
    if (!IMAGE_FILE.test(p) || req.wiki.folderOf(p) !== folder) continue;
    const rel = relativePath(req.article.rel, p.slice(folder.length + 1));
    if (!typed || rel.toLowerCase().includes(typed)) found.push(rel);
  }
  // Nearest first (fewest `../`), then by name; all are sorted before the list is cut, so the nearest are kept.
  found.sort((a, b) => a.split('../').length - b.split('../').length || (a < b ? -1 : a > b ? 1 : 0));
  const { quote } = ctx;
  const e = quote ? edit(req, ctx.start, /["'<>\n\r]/, [quote], quote) : edit(req, ctx.start, /[)#\s>]/, [')', ' ', '>'], ctx.angle ? '>)' : ')');
  const items: CompletionItemShape[] = found.slice(0, max).map((rel, i) => {
    // In an attribute only its quote and `&` need escaping; a markdown destination needs its spaces and parentheses.
    const written = quote
      ? rel.replace(/&/g, '&amp;').split(quote).join(quote === '"' ? '&quot;' : '&#39;')
      : ctx.angle
        ? rel
        : rel.replace(/ /g, '%20').replace(/\(/g, '%28').replace(/\)/g, '%29');
    return { label: rel, kind: CompletionKind.File, sortText: sortText(i), filterText: written, textEdit: { range: e.range, newText: written + e.suffix } };
  });
  return { isIncomplete: found.length > max, items };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

