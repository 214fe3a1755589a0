// The index of a wiki: every article's facts, the prebuilt name maps, the one resolver, backlinks and wanted articles.
// An update replaces one article's entries (disconnect old, connect new) and touches no other article; the
// invariant, checked by test/unit/incremental.test.ts: after any sequence of updates the maps equal a rebuild's.
import * as zlib from 'node:zlib';
import { LineIndex } from './lineIndex';
import { basename, dirname, FILE_PREFIX, headingKey, inOtherNamespace, isImageLink, joinRelative, lastSegment, nameKey, namesAFile, pathKey, stripMarkdownExtension, tagKey, titleFromFileName } from './names';
import { PackedArticle } from './facts';
import { scanArticle, scanArticleAndLines } from './scan';
import { glob } from './workspace';
import { isWikilinkMarked } from './mediawikiLinks';
import { TAG_CHAR } from './tagSyntax';
import { redirectIndex } from './redirects';
import { findReferenceIssues } from './referenceIssues';
import { defaultSettings, type CoreSettings } from './settings';
import { decodePercent, plainHeadingText, plainInline, slugify } from './decode';
import type { Anchor, ArticleSyntax, Heading, HtmlHeading, Link, Span } from './types';

export interface Article {
  /** Absolute path, `/`-separated. */
  path: string;
  /** The workspace folder it belongs to. */
  folder: string;
  /** Path relative to its folder. */
  rel: string;
  title: string;
  /** Where the title is written (the front matter or the first heading), if anywhere. */
  titleSpan?: Span;
  aliases: string[];
  /** The index in `syntax.links` of the link that makes it a redirect page (MediaWiki's `#REDIRECT [[T]]`), if it is one. */
  redirect?: number;
  syntax: ArticleSyntax;
  lines: LineIndex;
  /** Name keys this article answers to, file name first. */
  keys: string[];
  /** Keys of the names its links point at (the last path segment of each target). */
  linkKeys: string[];
  /**
   * For each link, the index of its key in `linkKeys` (-1 for `[[#H]]`), so backlinks find a source's links to an
   * article without keying every link again. Absent in a PackedArticle, whose record holds it.
   */
  linkKeyIndex?: number[];
  size: number;
  /** A cheap content fingerprint: an update with the same text is skipped. */
  hash: number;
  /** True while an editor holds this article open: its facts come from the editor's text. */
  open?: boolean;
  /** Too large to index: the name resolves, so links to it are not broken, but its content is unknown. */
  placeholder?: boolean;
  version?: number;
}

/**
 * Where a link leads once redirect pages are followed (Wiki.resolveThrough): `via`, the redirect pages passed, in
 * order; `loop`, when the last of them leads back to one already passed (the resolution is then that page's).
 */
export type Followed = Resolution & { via?: Article[]; loop?: boolean };

export type Resolution =
  /** `anchor`: the fragment names no heading but an HTML id (Anchor) of the article. */
  | { kind: 'article'; article: Article; heading?: Heading; anchor?: Anchor; headingMissing?: boolean }
  | { kind: 'category'; name: string }
  | { kind: 'special'; name: string }
  | { kind: 'interwiki'; prefix: string }
  | { kind: 'attachment'; path: string }
  | { kind: 'missing'; name: string; key: string; headingOnly?: boolean }
  | { kind: 'ambiguous'; candidates: Article[] }
  | { kind: 'outside' };

export interface WikiStats {
  /** How many times an article's text was scanned: lets tests assert that one edit re-parses one file. */
  parses: number;
  /** How many times a target was resolved afresh (not remembered): lets tests assert that an edit keeps what it can. */
  resolutions: number;
}

/**
 * The name key a link's target is looked up by. Not memoised: a Map keyed by targets freshly cut from the text cost
 * more than the key itself (5,000 bench articles, 175,000 links: 171 ms with a memo, 133 ms without).
 */
export function linkKeyOf(target: string, mode: CoreSettings['caseMode']): string {
  const last = lastSegment(target);
  if (last.charCodeAt(0) === 58 /* : */) return nameKey(last.slice(1), mode);
  // `File:Logo.png` names the attachment `Logo.png` (resolveTargetNow): keyed by that name, so that the file's coming
  // or going finds the links that name it.
  const file = FILE_PREFIX.exec(last);
  return nameKey(file && NON_ARTICLE_EXTENSION.test(last) ? last.slice(file[0].length) : last, mode);
}

const NON_ARTICLE_EXTENSION = /\.(?!md$|markdown$|mdx$)[A-Za-z0-9]{1,8}$/;

const crc32 = (zlib as unknown as { crc32?: (data: string) => number }).crc32;

/**
 * A content fingerprint, only used to skip identical re-reads. zlib's CRC-32 (node 20.15 and later) runs 4× faster
 * than a loop over the characters (5,000 bench articles: 22 ms against 95 ms); texts that differ only in a lone
 * surrogate (both encoded as U+FFFD) hash alike, which can at worst keep an index entry for an invalid character.
 */
export function hashText(text: string): number {
  if (crc32) return crc32(text) ^ text.length;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) ^ text.length;
}

const interned = new Map<string, string>();
/**
 * A string cut from an article's text keeps the whole text alive in V8; interning stores one flat copy
 * of each distinct target, label and heading, so closed articles' texts can be collected. `flat` says the
 * string is already a copy of its own (from a worker's message or the cache), so only the sharing is needed.
 */
export function intern(s: string, flat = false): string {
  const hit = interned.get(s);
  if (hit !== undefined) return hit;
  // A JSON round trip copies exactly (lone surrogates too) and keeps ASCII one byte per character, where a
  // UTF-16 Buffer round trip made every copy two bytes per character.
  const copy = flat || s.length <= 12 ? s : (JSON.parse(JSON.stringify(s)) as string);
  if (interned.size > 2_000_000) interned.clear();
  interned.set(copy, copy);
  return copy;
}

function compactSyntax(syntax: ArticleSyntax): void {
  for (const l of syntax.links) {
    l.rawTarget = intern(l.rawTarget);
    l.target = intern(l.target);
    if (l.heading !== undefined) l.heading = intern(l.heading);
    if (l.label !== undefined) l.label = intern(l.label);
  }
  for (const h of syntax.headings) {
    h.text = intern(h.text);
    h.slug = intern(h.slug);
  }
  for (const r of syntax.footnoteRefs) r.label = intern(r.label);
  for (const d of syntax.footnoteDefs) {
    d.label = intern(d.label);
    // Footnote texts are shown only for the article being edited, whose facts come from the editor.
    d.text = '';
  }
  for (const g of syntax.glossary) {
    g.term = intern(g.term);
    g.definition = intern(g.definition);
  }
  for (const a of syntax.anchors) a.id = intern(a.id);
  if (syntax.tags) for (const t of syntax.tags) t.name = intern(t.name);
  // Kept for workspace symbols and completion's labels of their ids (pandoc's MediaWiki pages: 3,369 in owasp-wiki).
  if (syntax.htmlHeadings) for (const h of syntax.htmlHeadings) h.text = intern(h.text);
}

const BLANK_LINE = /(?:\r?\n|\r)[ \t]*(?:\r?\n|\r)/g;
/**
 * An HTML element an exported page may open with that is not its lead, skipped to its closing tag: pandoc's
 * `<figure>` of a thumbnail (130 anarwiki pages had their picture's file name as lead), an infobox or a table, a
 * template's markers.
 */
/** A picture in a paragraph: `![alt](file "title")`, `![[file]]`, `<img …>`. */
const PICTURE = /!\[(?:[^\]\\]|\\.)*\]\((?:[^()\\]|\\.|\([^()]*\))*\)|!\[\[[^\]]*\]\]|<img\b[^>]*>/gi;
const NOT_LEAD = /^<(figure|table|infobox|noinclude|includeonly|onlyinclude|gallery|bloglist)\b/i;

/**
 * The first paragraph of an article as plain text, for hovers and completion, read from its current text when asked.
 * The index does not keep it: on the 10,000-article bench wiki the leads were 10 MB of the server's 49 MB of heap.
 */
export function articleLead(a: Article, textOf: (path: string) => string | undefined): string {
  if (a.placeholder) return '';
  const text = textOf(a.path);
  return text === undefined ? '' : leadParagraph(text, a.syntax);
}

/**
 * Whether an opening `# …` is the first section of a page exported from MediaWiki rather than its title: there a page's
 * name is its file's, and `= Welcome =` became `# Welcome` (owasp-wiki: 424 pages had been titled "Description",
 * "Welcome", "DRAFT DOCUMENT - WORK IN PROGRESS" and the like), unless it is that name itself, in its own case.
 */
function sectionNotTitle(text: string, links: Link[], heading: string, path: string): boolean {
  // The name first: most headings that open an article are its name, and then the links need not be read.
  if (nameKey(heading, 'insensitive') === nameKey(basename(path), 'insensitive')) return false;
  // Exported: a link marked as MediaWiki's (a `[[…]]` says nothing, hand-written wikis use them with `# Title`).
  return links.some((l) => l.syntax !== 'wiki' && l.syntax !== 'embed' && isWikilinkMarked(l, text));
}

/** Plain text of the article's first paragraph of prose, markup removed, cut at about 400 characters. */
export function leadParagraph(text: string, syntax: ArticleSyntax): string {
  return firstProse(text, syntax.frontMatter ? syntax.frontMatter.span.end : 0);
}

/** A link that puts its article in a category (`[[:Category:X]]`, with its colon, only links to the category). */
const CATEGORY_TARGET = /^category:/i;

/** Not prose to preview: fences, footnote definitions, tables, rules, reference lists. */
const NOT_PROSE = /^(```|~~~|\[\^[^\]]*\]:|\||[-*_=]{3,}$|<references)/;
/** A paragraph of tags alone (`#philosophy #politics`), as notes often open: it labels the article, it is no lead. */
const TAGS_ONLY = new RegExp(`^(?:#${TAG_CHAR}+[ \\t]*(?:\\r?\\n|\\r)?[ \\t]*)+$`, 'u');

/**
 * Plain text of the first paragraph of prose in the 20 KB of `text` from `start` (an article's lead, a section's
 * text), markup removed, list and quote markers too, cut at about 400 characters; a heading line opening a
 * paragraph is passed over.
 */
export function firstProse(text: string, start = 0): string {
  const head = text.slice(start, start + 20000);
  // Paragraphs are cut one at a time: the lead is nearly always the first or second, and splitting all 20 KB
  // cost more than the rest of an article's analysis besides the scan (bench wiki: 171 ms of CPU per 5,000 articles).
  BLANK_LINE.lastIndex = 0;
  let from = 0;
  while (from <= head.length) {
    const paragraphStart = from;
    const m = BLANK_LINE.exec(head);
    const p = head.slice(paragraphStart, m ? m.index : head.length);
    from = m ? BLANK_LINE.lastIndex : head.length + 1;
    const trimmed = p.trim();
    if (!trimmed) continue;
    const element = NOT_LEAD.exec(trimmed);
    if (element) {
      const close = new RegExp(`</${element[1]}\\s*>`, 'gi');
      close.lastIndex = paragraphStart;
      const c = close.exec(head);
      // Past the element's end, which may be several paragraphs on: the next paragraph starts there.
      if (c && c.index + c[0].length > from) BLANK_LINE.lastIndex = from = c.index + c[0].length;
      continue;
    }
    // A heading line may open the paragraph; the text after it may still be the lead.
    const prose = trimmed.replace(/^#{1,6}\s.*(\r?\n|\r|$)/, '').trim();
    if (!prose || /^#{1,6}\s/.test(prose) || NOT_PROSE.test(prose) || TAGS_ONLY.test(prose)) continue;
    // A paragraph of markup alone (`<center>`, `<div …>` around the lead) or of pictures alone (a banner) says nothing:
    // the lead is further on. A picture's alt text is not prose either (owasp-wiki had 163 file names as leads).
    const plain = plainText(prose.replace(PICTURE, '').replace(/^\s*(?:[-*+]|\d+[.)]|>)\s+/gm, ''));
    if (plain) return plain;
  }
  return '';
}

function plainText(s: string): string {
  const plain = plainInline(s);
  if (plain.length <= 400) return plain;
  const cut = plain.slice(0, 400);
  const sentence = cut.lastIndexOf('. ');
  return (sentence > 150 ? cut.slice(0, sentence + 1) : cut.replace(/\s\S*$/, '')) + ' …';
}

/** How one target resolves within one workspace folder (Wiki.memoFor). */
interface ResolutionMemo {
  /** From any directory not in besideDirs; absent for a path, which is resolved per directory. */
  anywhere?: Resolution;
  /** Path keys of the directories where an article has the target's file name. */
  besideDirs?: Set<string>;
  byDir?: Map<string, Resolution>;
}

export class Wiki {
  readonly articles = new Map<string, Article>();
  /** name key → articles whose file name has that key. */
  private readonly byFileName = new Map<string, Article[]>();
  /** name key → articles with that title or alias. */
  private readonly byTitle = new Map<string, Article[]>();
  /**
   * workspace folder → folder-relative path key → articles. Keyed per folder so a lookup hashes only the short path
   * key: a key that began with the folder's absolute path was a fresh long string to hash for every link resolved.
   */
  private readonly byPath = new Map<string, Map<string, Article[]>>();
  /**
   * link key → articles that have a link with that key: the reverse index behind backlinks and invalidation.
   * Arrays, not Sets: an article puts each of its link keys in once, and filling 60,000 Sets with 1.75 million
   * entries at 50,000 articles cost 2 s of the build (arrays: a tenth of that). Removal is a search of the key's
   * array, which for a hub's key is tens of thousands of entries: tens of microseconds per edit.
   */
  private readonly reverse = new Map<string, Article[]>();
  /**
   * False until the reverse index is first asked for, in a wiki made with `lazyBacklinks`: a check that takes its
   * problems from the cache asks once or never, and filling it took 0.5 s of a 4.6 s check at 50,000 articles.
   */
  private reverseBuilt = true;
  /** Articles by tag key (see `tags`): undefined until something asks about tags. */
  private tagIndex: Map<string, Map<Article, string>> | undefined;
  private tagUseMemo: { key: string; name: string; count: number }[] | undefined;
  /** Files that are not articles (images, PDFs), for attachment links: folder-relative path key → path. */
  private readonly attachments = new Map<string, string>();
  private readonly attachmentNames = new Map<string, Set<string>>();
  readonly stats: WikiStats = { parses: 0, resolutions: 0 };
  /** Counts every article put or removed: a cache of something derived from all articles is current while this is. */
  changes = 0;
  /**
   * The last changes, each the path of an article put in place of one of the same path (`replaced`) or added or removed
   * (the order of the articles changed): a cache of something derived from every article in order can then take in the
   * few articles replaced (typing) instead of walking them all (changedSince).
   */
  private readonly changeLog: { at: number; path: string; replaced: boolean }[] = [];
  /**
   * Counts every change that may change what links to what: any but an open article's edit that left its names,
   * headings and links (targets and fragments) as they were, which most keystrokes are. Backlink counts (code lenses)
   * are current while this is.
   */
  linkEpoch = 0;
  private readonly dirKeys = new Map<string, string>();
  private dirKeysMode: CoreSettings['caseMode'] | undefined;
  private glossaryKeys: { files: string[]; names: string[] } | undefined;
  private currentSettings: CoreSettings;
  folders: string[];
  /**
   * workspace folder → target as written → where it leads (memoFor), until a name or a setting changes (see `put`). A wiki
   * links to the same names over and over: resolving a link cost 2–3 µs, a third of `check`'s resolution time.
   */
  private readonly resolved = new Map<string, Map<string, ResolutionMemo>>();
  private resolvedCount = 0;
  /**
   * How many answers (targets, and targets per directory) are remembered at most; when full, all are forgotten and
   * remembering starts again. Each takes about 270 bytes (10 MB for the 39,000 of a whole check of the 10,000-article
   * bench wiki). Keeping the first ones and resolving the rest afresh instead made a check at 50,000 articles 12%
   * slower: a worker resolves its articles in order, and neighbouring articles link to the same names.
   */
  maxRemembered = 200_000;
  /**
   * The directory of the article links were last resolved from, and its key: an article's links are resolved one
   * after another, and cutting and keying the directory for each link was a fifth of a remembered resolution.
   */
  private fromRel: string | undefined;
  private fromDir = '';
  private fromDirKey: string | undefined;
  /**
   * Articles put again or removed (see `put`): a remembered resolution, or an orphan's remembered linker, that is one
   * of them is an old object. Asking the set is cheaper than looking up each article's path. Made at the first
   * replacement: a check, which puts each article once, never asks it.
   */
  private replaced: WeakSet<Article> | undefined;
  /**
   * Off unless asked for (a check and the editor's service ask). An edit that changes an article's names (its title,
   * aliases or path) forgets everything, and the next resolutions fill the memo again: a keystroke in the title of
   * the 1 MB bench article (5,000 links) took 26 ms where resolving without the memo took 13. Any other edit keeps it.
   */
  rememberResolutions = false;
  /** Bumped by namesChanged: while it stays, a link of an article put no more since leads where it led. */
  private namesGeneration = 0;
  /** Per article, its missing links' names and keys, as of a names generation (wanted): only an edited article's are found again. */
  private readonly missingOf = new WeakMap<Article, { generation: number; missing: { name: string; key: string }[] }>();
  /** Per article, an article found linking to it and when (orphans): while the linker is not replaced and no name changes, it still does. */
  private readonly linkedBy = new WeakMap<Article, { source: Article; generation: number }>();
  /** Whether a target is missing, by folder and directory, then target, while `wanted` goes through the wiki (missingLinksOf). */
  private wantedPass: { generation: number; missing: Map<string, Map<string, { name: string; key: string } | null>> } | undefined;
  /** Where warmList stopped: a Map's iterator goes on past entries added or replaced since, and ends. */
  private warming: { list: 'wanted' | 'orphans'; generation: number; articles: Iterator<Article> } | undefined;

  /** `lazyBacklinks`: fill the reverse index behind backlinks only when first asked (see `reverseBuilt`). */
  constructor(folders: string[], settings: CoreSettings = defaultSettings(), options: { lazyBacklinks?: boolean } = {}) {
    this.folders = folders.map((f) => f.replace(/\/+$/, ''));
    this.currentSettings = settings;
    this.reverseBuilt = !options.lazyBacklinks;
  }

  get settings(): CoreSettings {
    return this.currentSettings;
  }

  /** Severities, interwiki prefixes and the case mode can change without a new index: resolutions cannot be kept. */
  set settings(settings: CoreSettings) {
    this.currentSettings = settings;
    this.namesChanged();
  }

  /** Changes whenever an article's names change or an article or attachment comes or goes: a key for what depends on those alone. */
  get namesVersion(): number {
    return this.namesGeneration;
  }

  /** A change that can move where any link leads: an article's names, an article or attachment come or gone, the settings. */
  private namesChanged(): void {
    this.namesGeneration++;
    this.linkEpoch++;
    this.forgetResolutions();
  }

  private forgetResolutions(): void {
    this.fromRel = undefined;
    if (this.resolved.size === 0) return;
    this.resolved.clear();
    this.resolvedCount = 0;
  }

  folderOf(path: string): string | undefined {
    let best: string | undefined;
    for (const f of this.folders) {
      if ((path.startsWith(f + '/') || path === f) && (!best || f.length > best.length)) best = f;
    }
    return best;
  }

  isGlossaryArticle(path: string, title?: string): boolean {
    // Keyed once per setting: analyse asks twice for every article.
    const files = this.settings.glossaryFiles;
    if (this.glossaryKeys?.files !== files) this.glossaryKeys = { files, names: files.map((g) => nameKey(g, 'insensitive')) };
    const names = this.glossaryKeys.names;
    const file = nameKey(basename(path), 'insensitive');
    return names.includes(file) || (title !== undefined && names.includes(nameKey(title, 'insensitive')));
  }

  /**
   * Scans text into an Article without adding it to the index. `forCheck`: for a check, which needs neither the
   * glossary, nor the content hash (for the cache), nor the link keys (for backlinks): 10% of a worker's analysis.
   * `keyed`: the hash and the link keys all the same, for a check that keeps a cache (problemCache.ts).
   */
  analyse(path: string, text: string, forCheck = false, keyed = false): Article {
    this.stats.parses++;
    const folder = this.folderOf(path) ?? dirname(path);
    const rel = path.startsWith(folder + '/') ? path.slice(folder.length + 1) : basename(path);
    const scanned = scanArticleAndLines(text, forCheck ? { noGlossary: true } : { wholeGlossary: this.isGlossaryArticle(path) });
    let syntax = scanned.syntax;
    let title = syntax.frontMatter?.title;
    let titleSpan: Span | undefined = title ? syntax.frontMatter!.span : undefined;
    if (!title) {
      // A level-1 heading names the article only when it opens it: MediaWiki exports use `#` for sections too.
      const h1 = syntax.headings[0];
      const bodyStart = syntax.frontMatter ? syntax.frontMatter.span.end : 0;
      if (h1 && h1.level === 1 && h1.text && text.slice(bodyStart, h1.span.start).trim() === '' && !sectionNotTitle(text, syntax.links, h1.text, path)) {
        title = h1.text;
        titleSpan = h1.span;
      }
    }
    if (!title) title = titleFromFileName(path);
    if (!forCheck && !this.isGlossaryArticle(path) && this.isGlossaryArticle(path, title)) syntax = scanArticle(text, { wholeGlossary: true });
    const aliases = syntax.frontMatter?.aliases ?? [];
    const mode = this.settings.caseMode;
    const keys = [nameKey(basename(path), mode)];
    // Only names a writer gave on purpose (front matter title, aliases) are looked up, besides the file name.
    const fmTitle = syntax.frontMatter?.title;
    for (const name of fmTitle ? [fmTitle, ...aliases] : aliases) {
      const k = nameKey(name, mode);
      if (!keys.includes(k)) keys.push(k);
    }
    const redirect = redirectIndex(text, syntax);
    // Found now, while the text is at hand: a closed article keeps none.
    const referenceIssues = findReferenceIssues(text, syntax);
    if (referenceIssues.length) syntax.referenceIssues = referenceIssues;
    const linkKeys = new Map<string, number>();
    const linkKeyIndex: number[] = new Array(forCheck && !keyed ? 0 : syntax.links.length);
    for (let i = 0; i < linkKeyIndex.length; i++) {
      const l = syntax.links[i];
      if (!l.target) {
        linkKeyIndex[i] = -1;
        continue;
      }
      const k = linkKeyOf(l.target, mode);
      let at = linkKeys.get(k);
      if (at === undefined) linkKeys.set(k, (at = linkKeys.size));
      linkKeyIndex[i] = at;
    }
    return {
      path,
      folder,
      rel,
      title,
      titleSpan,
      aliases,
      ...(redirect === undefined ? {} : { redirect }),
      syntax,
      lines: scanned.lines,
      keys,
      linkKeys: [...linkKeys.keys()],
      linkKeyIndex,
      size: text.length,
      hash: forCheck && !keyed ? 0 : hashText(text),
    };
  }

  /** Adds or replaces an article from its text; returns it. Identical text is not scanned again. */
  upsert(path: string, text: string, options: { open?: boolean; version?: number } = {}): Article {
    const old = this.articles.get(path);
    if (old && old.size === text.length && old.hash === hashText(text) && !!old.open === !!options.open) {
      old.version = options.version;
      return old;
    }
    const article = this.analyse(path, text);
    if (!options.open) {
      compactSyntax(article.syntax);
      article.title = intern(article.title);
      article.keys = article.keys.map((k) => intern(k));
      article.linkKeys = article.linkKeys.map((k) => intern(k));
    }
    article.open = options.open;
    article.version = options.version;
    this.put(article);
    return article;
  }

  /** Puts an already analysed article into the index (used by the parallel indexer). */
  put(article: Article): void {
    const old = this.articles.get(article.path);
    // Most edits leave an article's names as they were, and with them every resolution: those remembered are kept
    // (holding the old object, which `current` swaps for the new one). Any other change can change any of them.
    if (!old || !sameNames(old, article)) this.namesChanged();
    // A closed article's old links are packed, and decoding them to compare would cost more than what it saves.
    else if (!old.open || !article.open || !sameLinksAndHeadings(old, article)) this.linkEpoch++;
    if (old) {
      if (old !== article) (this.replaced ??= new WeakSet()).add(old);
      this.disconnect(old);
    }
    this.articles.set(article.path, article);
    this.connect(article);
    this.changes++;
    this.logChange(article.path, !!old);
  }

  private logChange(path: string, replaced: boolean): void {
    this.changeLog.push({ at: this.changes, path, replaced });
    if (this.changeLog.length > 64) this.changeLog.shift();
  }

  /**
   * The paths of the articles replaced since the count of changes was `at`, when every change since was such a
   * replacement (the articles and their order are as they were) and is still in the log; undefined otherwise.
   */
  changedSince(at: number): string[] | undefined {
    if (at === this.changes) return [];
    const log = this.changeLog;
    if (!log.length || log[0].at > at + 1) return undefined;
    const paths = new Set<string>();
    for (const c of log) {
      if (c.at <= at) continue;
      if (!c.replaced) return undefined;
      paths.add(c.path);
    }
    return [...paths];
  }

  /** Stands in for an article left out of the index for its size, so that links to it still resolve. */
  addPlaceholder(path: string): Article {
    const article = this.analyse(path, '');
    article.placeholder = true;
    this.put(article);
    return article;
  }

  remove(path: string): Article | undefined {
    const old = this.articles.get(path);
    if (!old) return undefined;
    this.namesChanged();
    (this.replaced ??= new WeakSet()).add(old);
    this.disconnect(old);
    this.articles.delete(path);
    this.changes++;
    this.logChange(path, false);
    return old;
  }

  addAttachment(path: string): void {
    const folder = this.folderOf(path);
    if (!folder) return;
    this.namesChanged();
    const rel = path.slice(folder.length + 1);
    this.attachments.set(this.attachmentKey(rel), path);
    const nk = nameKey(basename(rel), this.settings.caseMode);
    let set = this.attachmentNames.get(nk);
    if (!set) this.attachmentNames.set(nk, (set = new Set()));
    set.add(path);
  }

  removeAttachment(path: string): void {
    const folder = this.folderOf(path);
    if (!folder) return;
    this.namesChanged();
    const rel = path.slice(folder.length + 1);
    this.attachments.delete(this.attachmentKey(rel));
    this.attachmentNames.get(nameKey(basename(rel), this.settings.caseMode))?.delete(path);
  }

  /** Every attachment's path (images, PDFs: the files that are not articles). */
  attachmentPaths(): IterableIterator<string> {
    return this.attachments.values();
  }

  /** The attachment at `path`, or every attachment under it when it is a folder (a file or folder moved in the editor). */
  attachmentsAt(path: string): string[] {
    const folder = this.folderOf(path);
    if (!folder) return [];
    const direct = path.length > folder.length ? this.attachments.get(this.attachmentKey(path.slice(folder.length + 1))) : undefined;
    if (direct === path) return [direct];
    const out: string[] = [];
    for (const p of this.attachments.values()) if (p.startsWith(path + '/')) out.push(p);
    return out;
  }

  private attachmentKey(rel: string): string {
    return rel.split('/').map((s) => nameKey(s, this.settings.caseMode)).join('/');
  }

  private connect(a: Article): void {
    add(this.byFileName, a.keys[0], a);
    for (const k of a.keys.slice(1)) add(this.byTitle, k, a);
    let paths = this.byPath.get(a.folder);
    if (!paths) this.byPath.set(a.folder, (paths = new Map()));
    add(paths, this.articlePathKey(a), a);
    if (this.reverseBuilt) this.addSources(a);
    if (this.tagIndex) this.addTags(a);
  }

  private addTags(a: Article): void {
    const names = tagNamesOf(a);
    if (names.length) this.tagUseMemo = undefined;
    for (const name of names) {
      const key = tagKey(name);
      let set = this.tagIndex!.get(key);
      if (!set) this.tagIndex!.set(key, (set = new Map()));
      set.set(a, name);
    }
  }

  /** The articles by tag key, each with the tag as it writes it: built when first asked, kept up to date from then on. */
  private get tags(): Map<string, Map<Article, string>> {
    if (!this.tagIndex) {
      this.tagIndex = new Map();
      for (const a of this.articles.values()) this.addTags(a);
    }
    return this.tagIndex;
  }

  /** The articles with a tag (its key: tagKey), each with the tag as it writes it. */
  tagged(key: string): ReadonlyMap<Article, string> {
    return this.tags.get(key) ?? new Map();
  }

  /**
   * Every tag in use: its key, the spelling most articles use, and how many articles have it, most used first;
   * remembered until an article with tags comes or goes (completion asks at each keystroke after a `#`).
   */
  tagUse(): readonly { key: string; name: string; count: number }[] {
    if (this.tagUseMemo) return this.tagUseMemo;
    const out: { key: string; name: string; count: number }[] = [];
    for (const [key, articles] of this.tags) {
      const spellings = new Map<string, number>();
      for (const name of articles.values()) spellings.set(name, (spellings.get(name) ?? 0) + 1);
      let name = '';
      let most = 0;
      for (const [n, c] of spellings) if (c > most || (c === most && n.localeCompare(name) < 0)) [name, most] = [n, c];
      out.push({ key, name, count: articles.size });
    }
    out.sort((x, y) => y.count - x.count || x.key.localeCompare(y.key));
    return (this.tagUseMemo = out);
  }

  private addSources(a: Article): void {
    for (const k of a.linkKeys) {
      const list = this.reverse.get(k);
      if (list) list.push(a);
      else this.reverse.set(k, [a]);
    }
  }

  /** The reverse index, filled now if it was left for later. */
  private get linkSources(): Map<string, Article[]> {
    if (!this.reverseBuilt) {
      this.reverseBuilt = true;
      for (const a of this.articles.values()) this.addSources(a);
    }
    return this.reverse;
  }

  private disconnect(a: Article): void {
    remove(this.byFileName, a.keys[0], a);
    for (const k of a.keys.slice(1)) remove(this.byTitle, k, a);
    const paths = this.byPath.get(a.folder);
    if (paths) {
      remove(paths, this.articlePathKey(a), a);
      if (paths.size === 0) this.byPath.delete(a.folder);
    }
    if (this.tagIndex) {
      const names = tagNamesOf(a);
      if (names.length) this.tagUseMemo = undefined;
      for (const name of names) {
        const key = tagKey(name);
        const set = this.tagIndex.get(key);
        set?.delete(a);
        if (set?.size === 0) this.tagIndex.delete(key);
      }
    }
    if (!this.reverseBuilt) return;
    for (const k of a.linkKeys) {
      const list = this.reverse.get(k);
      const i = list ? list.lastIndexOf(a) : -1;
      if (i < 0) continue;
      list![i] = list![list!.length - 1];
      list!.pop();
      if (list!.length === 0) this.reverse.delete(k);
    }
  }

  private articlePathKey(a: Article): string {
    return pathKey(stripMarkdownExtension(a.rel), this.settings.caseMode);
  }

  /** The path key of a folder-relative directory, remembered: links are resolved from a few hundred directories. */
  private dirKey(dir: string): string {
    if (this.dirKeysMode !== this.settings.caseMode) {
      this.dirKeys.clear();
      this.dirKeysMode = this.settings.caseMode;
    }
    let key = this.dirKeys.get(dir);
    if (key === undefined) {
      key = pathKey(dir, this.settings.caseMode);
      if (this.dirKeys.size > 10_000) this.dirKeys.clear();
      this.dirKeys.set(dir, key);
    }
    return key;
  }

  /** The articles a name could mean: by file name first, then by title or alias. */
  lookupName(name: string): Article[] {
    return this.lookupKey(nameKey(name, this.settings.caseMode));
  }

  /** In the order of their paths: the order of the edits that put them there must not show. */
  private lookupKey(key: string): Article[] {
    const list = this.byFileName.get(key) ?? this.byTitle.get(key);
    if (!list) return [];
    return list.length === 1 ? [list[0]] : [...list].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  }

  /** Every name key any article answers to: for completion and fuzzy suggestions. */
  allArticles(): IterableIterator<Article> {
    return this.articles.values();
  }

  /** The one resolver: where a link from `from` leads. */
  resolve(link: Pick<Link, 'target' | 'heading'>, from: Pick<Article, 'path' | 'folder' | 'rel'>): Resolution {
    const target = link.target;
    if (!target) {
      const self = this.articles.get(from.path);
      if (!self) return { kind: 'missing', name: '', key: '', headingOnly: true };
      return this.withHeading(self, link.heading);
    }
    const resolved = this.resolveTarget(target, from);
    if (resolved.kind === 'article') return this.withHeading(resolved.article, link.heading);
    return resolved;
  }

  /**
   * Where a link leads for a reader: through redirect pages to the article they redirect to, as MediaWiki takes its
   * readers (and further than its one step: a chain is followed, up to eight pages, and stops at a loop). The link's
   * own `#fragment` is looked up in the article arrived at; without one, the redirect's fragment (`#REDIRECT
   * [[T#Section]]`) is. A link to a page that is no redirect resolves as `resolve` says.
   */
  resolveThrough(link: Pick<Link, 'target' | 'heading'>, from: Pick<Article, 'path' | 'folder' | 'rel'>): Followed {
    let r: Followed = this.resolve(link, from);
    if (r.kind !== 'article' || r.article.redirect === undefined) return r;
    const via: Article[] = [];
    let heading = link.heading || undefined;
    while (r.kind === 'article' && r.article.redirect !== undefined) {
      const page: Article = r.article;
      if (via.includes(page)) return { ...r, via, loop: true };
      if (via.length === 8) break;
      via.push(page);
      const next = redirectLinkOf(page);
      if (!next) break;
      heading = link.heading || next.heading || heading;
      r = this.resolve({ target: next.target, heading }, page);
    }
    return { ...r, via };
  }

  private withHeading(article: Article, heading: string | undefined): Resolution {
    if (heading === undefined || heading === '') return { kind: 'article', article };
    // Not remembered: a memo of fragments per article made a check at 50,000 articles 20% slower and 130 MB larger.
    const h = findHeading(article, heading);
    if (h) return { kind: 'article', article, heading: h };
    const anchor = findAnchor(article, heading);
    if (anchor) return { kind: 'article', article, anchor };
    // A placeholder's headings are unknown, not missing.
    return article.placeholder ? { kind: 'article', article } : { kind: 'article', article, headingMissing: true };
  }

  /** Where a target leads from an article (without its heading): remembered until a name changes, when asked. */
  resolveTarget(rawTarget: string, from: Pick<Article, 'path' | 'folder' | 'rel'>): Resolution {
    if (!this.rememberResolutions) return this.resolveTargetNow(rawTarget, from);
    let memo = this.resolved.get(from.folder)?.get(rawTarget);
    if (memo === undefined) {
      // A bound, so that a very large wiki's distinct targets cannot grow it without end.
      if (this.resolvedCount >= this.maxRemembered) this.forgetResolutions();
      memo = this.memoFor(rawTarget, from.folder);
      let inFolder = this.resolved.get(from.folder);
      if (!inFolder) this.resolved.set(from.folder, (inFolder = new Map()));
      inFolder.set(rawTarget, memo);
      this.resolvedCount++;
    }
    if (from.rel !== this.fromRel) {
      this.fromRel = from.rel;
      this.fromDir = dirname(from.rel);
      this.fromDirKey = undefined;
    }
    const dir = this.fromDir;
    if (memo.anywhere) {
      if (!dir || !memo.besideDirs || !memo.besideDirs.has((this.fromDirKey ??= this.dirKey(dir)))) {
        return this.isCurrent(memo.anywhere) ? memo.anywhere : (memo.anywhere = this.current(memo.anywhere));
      }
    }
    let r = memo.byDir?.get(dir);
    if (r === undefined) {
      r = this.resolveTargetNow(rawTarget, from);
      (memo.byDir ??= new Map()).set(dir, r);
      this.resolvedCount++;
    } else if (!this.isCurrent(r)) memo.byDir!.set(dir, (r = this.current(r)));
    return r;
  }

  /**
   * A bare title leads to the same place from every directory but those holding an article (or, for a file's name, a
   * file) of that name, which it means when linked from beside it: from all others it resolves as from the top of the folder. A path is
   * resolved per directory. Keyed per directory alone, the bench wiki's 330,000 links were 180,000 resolutions.
   */
  private memoFor(rawTarget: string, folder: string): ResolutionMemo {
    let target = rawTarget.trim();
    if (target.startsWith(':')) target = target.slice(1);
    if (target.includes('/') || target === '.' || target === '..') return {};
    const anywhere = this.resolveTargetNow(rawTarget, { path: '', folder, rel: '' });
    let besideDirs: Set<string> | undefined;
    for (const a of this.byFileName.get(nameKey(target, this.settings.caseMode)) ?? []) {
      const dir = dirname(a.rel);
      if (a.folder === folder && dir) (besideDirs ??= new Set()).add(this.dirKey(dir));
    }
    // A file's bare name means the file beside the linking article too (resolveTargetNow).
    if (NON_ARTICLE_EXTENSION.test(target)) {
      for (const p of this.attachmentNames.get(nameKey(target, this.settings.caseMode)) ?? []) {
        const dir = p.startsWith(folder + '/') ? dirname(p.slice(folder.length + 1)) : '';
        if (dir) (besideDirs ??= new Set()).add(this.dirKey(dir));
      }
    }
    return { anywhere, besideDirs };
  }

  /** Whether a remembered resolution holds the articles the wiki holds now (see `put`). */
  private isCurrent(r: Resolution): boolean {
    const old = this.replaced;
    if (!old) return true;
    if (r.kind === 'article') return !old.has(r.article);
    if (r.kind === 'ambiguous') return !r.candidates.some((c) => old.has(c));
    return true;
  }

  /** A remembered resolution with each article swapped for the one now at its path, put again under the same names. */
  private current(r: Resolution): Resolution {
    const now = (a: Article) => this.articles.get(a.path) ?? a;
    if (r.kind === 'article') return { ...r, article: now(r.article) };
    if (r.kind === 'ambiguous') return { ...r, candidates: r.candidates.map(now) };
    return r;
  }

  private resolveTargetNow(rawTarget: string, from: Pick<Article, 'path' | 'folder' | 'rel'>): Resolution {
    this.stats.resolutions++;
    let target = rawTarget.trim();
    // A file URI (`file:///etc/passwd`) leaves the wiki; MediaWiki's `File:Logo.png` is a namespace, not a URI.
    if (/^file:\//i.test(target)) return { kind: 'outside' };
    // MediaWiki's leading colon links to a category or file page instead of adding it.
    if (target.startsWith(':')) target = target.slice(1);
    const mode = this.settings.caseMode;
    const folder = from.folder;
    const paths = this.byPath.get(folder);

    // `.NET` is a title (owasp-wiki has `.NET.md`); only `/`, `.` and `..` make a target a path.
    if (target.includes('/') || target === '.' || target === '..') {
      const rooted = target.startsWith('/');
      const joined = rooted ? joinRelative('', target) : joinRelative(dirname(from.rel), target);
      if (joined === undefined) return { kind: 'outside' };
      const candidates = [joined];
      if (!rooted) {
        const fromRoot = joinRelative('', target);
        if (fromRoot !== undefined && fromRoot !== joined) candidates.push(fromRoot);
      }
      for (const c of candidates) {
        const hit = paths?.get(pathKey(stripMarkdownExtension(c), mode));
        if (hit && hit.length) return pickExact(hit, c);
        const att = this.attachments.get(this.attachmentKey(c));
        if (att) return { kind: 'attachment', path: att };
      }
      if (!rooted && !target.startsWith('.')) {
        // A partial path (`history/Spanish Revolution`) may name an article in a deeper folder.
        const suffix = '/' + pathKey(stripMarkdownExtension(target), mode);
        const matches = this.byFileName.get(nameKey(lastSegment(target), mode)) ?? [];
        const found = matches.filter((a) => a.folder === folder && ('/' + pathKey(stripMarkdownExtension(a.rel), mode)).endsWith(suffix));
        if (found.length === 1) return { kind: 'article', article: found[0] };
        if (found.length > 1) return { kind: 'ambiguous', candidates: found };
      }
      return { kind: 'missing', name: target, key: nameKey(lastSegment(target), mode) };
    }

    // A bare title is first a path: beside the linking article, then at the top of its folder (MediaWiki's
    // `GPC/Governance` is a subpage, so `Governance` means the top-level one); then a name anywhere.
    // Keyed piece by piece (the folder part once per folder) rather than by pathKey of the joined path: resolving
    // every link of the 10,000-article bench wiki spent a third of its time splitting and re-keying the same paths.
    const nameKeyed = nameKey(target, mode);
    // Without an extension, a one-segment path keys as the name does.
    const stripped = stripMarkdownExtension(target);
    const own = stripped === target ? nameKeyed : pathKey(stripped, mode);
    const dir = dirname(from.rel);
    if (dir) {
      const hit = paths?.get(this.dirKey(dir) + '/' + own);
      if (hit && hit.length) return pickExact(hit, dir + '/' + target);
    }
    const top = paths?.get(own);
    if (top && top.length) return pickExact(top, target);
    const articles = this.lookupKey(nameKeyed);
    if (articles.length === 1) return { kind: 'article', article: articles[0] };
    if (articles.length > 1) {
      // Prefer the article in the linking article's own workspace folder, then the one whose name is spelled so (bySpelling).
      const same = articles.filter((a) => a.folder === folder);
      if (same.length === 1) return { kind: 'article', article: same[0] };
      const pool = same.length ? same : articles;
      const spelled = bySpelling(pool, target, true);
      if (spelled) return { kind: 'article', article: spelled };
      return { kind: 'ambiguous', candidates: articles };
    }
    if (NON_ARTICLE_EXTENSION.test(target)) {
      // A file's bare name is first a path, as a markdown image means it: beside the linking article, then at the top
      // of its folder; then the file of that name anywhere.
      const named = this.attachmentNames.get(nameKey(target, mode));
      const att =
        (dir ? this.attachments.get(this.attachmentKey(dir + '/' + target)) : undefined) ??
        this.attachments.get(this.attachmentKey(target)) ??
        (named && named.size ? first(named) : undefined);
      if (att) return { kind: 'attachment', path: att };
    }
    const colon = target.indexOf(':');
    if (colon > 0) {
      const prefix = target.slice(0, colon).trim().toLowerCase();
      const rest = stripMarkdownExtension(target.slice(colon + 1)).replace(/_/g, ' ').trim();
      if (prefix === 'category') return { kind: 'category', name: rest };
      if (prefix === 'special') return { kind: 'special', name: rest };
      if (this.settings.interwiki.some((p) => p.toLowerCase() === prefix)) return { kind: 'interwiki', prefix };
      // MediaWiki's `File:Logo.png` (also Image:, Media:) names an uploaded file: found by its name among the attachments.
      if ((prefix === 'file' || prefix === 'image' || prefix === 'media') && NON_ARTICLE_EXTENSION.test(target)) {
        const named = this.attachmentNames.get(nameKey(target.slice(colon + 1), mode));
        if (named && named.size) return { kind: 'attachment', path: first(named) };
      }
    }
    return { kind: 'missing', name: stripMarkdownExtension(target).replace(/_/g, ' '), key: nameKey(lastSegment(target), mode) };
  }

  /** Every link in the wiki that leads to `article` (optionally to one of its headings). */
  backlinks(article: Article, heading?: Heading): { source: Article; link: Link }[] {
    const result: { source: Article; link: Link }[] = [];
    const seen = new Set<Article>();
    for (const key of article.keys) {
      const sources = this.linkSources.get(key);
      if (!sources) continue;
      for (const source of sources) {
        if (seen.has(source)) continue;
        seen.add(source);
        for (const link of linksWithKeys(source, article.keys, this.settings.caseMode)) {
          const r = this.resolve(link, source);
          if (r.kind !== 'article' || r.article !== article) continue;
          if (heading && (!r.heading || r.heading.span.start !== heading.span.start)) continue;
          result.push({ source, link });
        }
      }
    }
    // Links inside the article itself to its own headings: `[[#H]]`.
    if (!seen.has(article)) {
      for (const link of article.syntax.links) {
        if (link.target) continue;
        const r = this.resolve(link, article);
        if (r.kind === 'article' && r.article === article && (!heading || r.heading?.span.start === heading.span.start)) result.push({ source: article, link });
      }
    }
    return result;
  }

  /**
   * Every link that takes a reader to `article` (or to one of its headings, or HTML ids): its backlinks, and the links
   * to the redirect pages that redirect to it (`via`, the redirect page the link names), as MediaWiki's "What links
   * here" lists them. A link to a redirect page counts for a heading when its own fragment, or the redirect's, names it.
   */
  backlinksThrough(article: Article, heading?: Heading | Anchor): { source: Article; link: Link; via?: Article }[] {
    const out: { source: Article; link: Link; via?: Article }[] = [];
    const seen = new Set<Article>([article]);
    const isAnchor = !!heading && !('level' in heading);
    // One pass over the backlinks finds both the links to the heading and the redirect pages to look behind.
    const toHeading = (r: Resolution) =>
      !heading || (r.kind === 'article' && r.article === article && (isAnchor ? r.anchor : r.heading)?.span.start === heading.span.start);
    const visit = (target: Article, depth: number) => {
      for (const b of this.backlinks(target)) {
        const redirect = b.source.redirect === undefined || seen.has(b.source) ? undefined : redirectLinkOf(b.source);
        if (target === article) {
          if (!heading || (b.link.heading !== undefined && toHeading(this.resolve(b.link, b.source)))) out.push(b);
        } else if (!heading || toHeading(this.resolveThrough(b.link, b.source))) out.push({ ...b, via: target });
        if (redirect && redirect.span.start === b.link.span.start && depth < 8) {
          seen.add(b.source);
          visit(b.source, depth + 1);
        }
      }
    };
    visit(article, 0);
    return out;
  }

  /** The redirect pages that lead to an article, directly or through others: the other names it goes by. */
  redirectsTo(article: Article): Article[] {
    // Only the linkers that are redirect pages are resolved: a hub's thousands of other linkers are passed over.
    const out: Article[] = [];
    const seen = new Set<Article>([article]);
    let frontier = [article];
    for (let depth = 0; frontier.length && depth < 8; depth++) {
      const next: Article[] = [];
      for (const target of frontier) {
        for (const key of target.keys) {
          for (const source of this.linkSources.get(key) ?? []) {
            if (source.redirect === undefined || seen.has(source)) continue;
            const link = redirectLinkOf(source);
            const r = link && this.resolve(link, source);
            if (r?.kind !== 'article' || r.article !== target) continue;
            seen.add(source);
            out.push(source);
            next.push(source);
          }
        }
      }
      frontier = next;
    }
    return out;
  }

  /**
   * The links to a category that has no page of its own (`[[Category:Anarchism]]`, pandoc's `<a href="Category:…">`),
   * by the name key of a link to it (linkKeyOf): MediaWiki's category listing, which a reader of such a wiki expects
   * from a category link. A category with a page of its own is an article, whose backlinks these are.
   */
  categoryLinks(key: string): { source: Article; link: Link }[] {
    const out: { source: Article; link: Link }[] = [];
    for (const source of this.linkSources.get(key) ?? []) {
      for (const link of linksWithKeys(source, [key], this.settings.caseMode)) {
        if (this.resolveTarget(link.target, source).kind === 'category') out.push({ source, link });
      }
    }
    return out;
  }

  /**
   * The articles in a category, by title: those with a link to it (`[[Category:X]]`, pandoc's `<a href="Category:X">`),
   * whether the category has a page of its own or not, but not with only `[[:Category:X]]`, which links to the
   * category without putting the article in it.
   */
  categoryMembers(key: string): Article[] {
    const members = new Map<string, Article>();
    for (const source of this.linkSources.get(key) ?? []) {
      if (linksWithKeys(source, [key], this.settings.caseMode).some((l) => CATEGORY_TARGET.test(l.target))) members.set(source.path, source);
    }
    return [...members.values()].sort((a, b) => byName(a.title, b.title));
  }

  /** Articles whose links use a name key: the ones whose diagnostics a created, renamed or deleted article can change. */
  linkersOfKeys(keys: Iterable<string>): Set<Article> {
    const out = new Set<Article>();
    for (const k of keys) for (const a of this.linkSources.get(k) ?? []) out.add(a);
    return out;
  }

  /**
   * Missing articles with the articles whose links want them (in the index's order), most wanted first. Each article's missing links are
   * remembered until it is edited or a name changes: the Wanted Articles view asks again after each pause in typing,
   * and finding them afresh resolves every link of the wiki (1.7 s at 10,000 bench articles).
   */
  wanted(): { name: string; key: string; count: number; sources: Article[] }[] {
    const byKey = new Map<string, { name: string; key: string; count: number; sources: Article[] }>();
    for (const source of this.articles.values()) {
      for (const m of this.missingLinksOf(source)) {
        let entry = byKey.get(m.key);
        if (!entry) byKey.set(m.key, (entry = { name: m.name, key: m.key, count: 0, sources: [] }));
        entry.count++;
        if (entry.sources[entry.sources.length - 1] !== source) entry.sources.push(source);
      }
    }
    // What the pass found is in each article's part now; its table would only hold memory at rest.
    this.wantedPass = undefined;
    return [...byKey.values()].sort((a, b) => b.count - a.count || byName(a.name, b.name));
  }

  private missingLinksOf(source: Article): { name: string; key: string }[] {
    const known = this.missingOf.get(source);
    if (known && known.generation === this.namesGeneration) return known.missing;
    const missing: { name: string; key: string }[] = [];
    // Whether a target is missing, per directory it is linked from, for this pass: the resolver's own memo, bounded
    // for a server at rest, was filled and forgotten over and over by a pass over every link (10,000 bench articles:
    // 1.8 s; 1.0 s resolving each link afresh; 0.5 s with this). Where the target leads, not its heading: finding
    // headings and decoding whole links had been a third of the time.
    if (this.wantedPass?.generation !== this.namesGeneration) this.wantedPass = { generation: this.namesGeneration, missing: new Map() };
    const place = source.folder + '\u0000' + dirname(source.rel);
    let found = this.wantedPass.missing.get(place);
    if (!found) this.wantedPass.missing.set(place, (found = new Map()));
    for (const target of articleTargetsOf(source)) {
      // A missing image or PDF is not a wanted article (MediaWiki lists wanted files apart).
      if (!target || namesAFile({ syntax: '', target })) continue;
      let m = found.get(target);
      if (m === undefined) {
        const r = this.resolveTargetNow(target, source);
        found.set(target, (m = r.kind === 'missing' ? { name: r.name, key: r.key } : null));
      }
      if (m) missing.push(m);
    }
    this.missingOf.set(source, { generation: this.namesGeneration, missing });
    return missing;
  }

  /**
   * Does part of the work the next `wanted()` or `orphans()` would do first, until `timeUp` says to stop; true once
   * it has gone through every article. The first list of a 50,000-article wiki resolves every link (seconds): the
   * language server does it in slices, so that keystrokes are answered meanwhile. What a slice found is remembered as
   * the list itself remembers it, so an edit meanwhile costs only its own article again; a change of names starts over.
   */
  warmList(list: 'wanted' | 'orphans', timeUp: () => boolean): boolean {
    // After a change of names every article's part is to be found again: from the start.
    if (this.warming?.list !== list || this.warming.generation !== this.namesGeneration) this.warming = { list, generation: this.namesGeneration, articles: this.articles.values() };
    for (let n = 1; ; n++) {
      const next = this.warming.articles.next();
      if (next.done) break;
      if (list === 'wanted') this.missingLinksOf(next.value);
      else this.isLinkedFromElsewhere(next.value);
      if (n % 32 === 0 && timeUp()) return false;
    }
    this.warming = undefined;
    return true;
  }

  /**
   * Articles no other article links to (MediaWiki's lonely pages), by title: nothing leads a reader to them but search.
   * A link of the article to itself does not count, nor one that could mean it or another (ambiguous); an embed does.
   * As MediaWiki's list, it leaves out the pages of its other namespaces (`File:`, `Template:`, `User talk:`;
   * inOtherNamespace) and the main page, which nothing needs to link to; and what `orphans.exclude` names. Most articles are cleared by their first
   * linker's first link to them, so the whole list costs about one resolution per article.
   */
  orphans(): Article[] {
    const out: Article[] = [];
    // Whether it is linked first: remembered, that is cheaper to ask of 50,000 articles after each edit than what is an article.
    const excluded = this.settings.orphansExclude.map(glob);
    for (const article of this.articles.values()) {
      if (!this.isLinkedFromElsewhere(article) && isArticleProper(article) && !excluded.some((test) => test(article.rel))) out.push(article);
    }
    return out.sort((a, b) => byName(a.title, b.title) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * Whether another article links to this one. The linker found is remembered: while it is not edited and no name
   * changes, its link still leads here, so asking again after an edit looks afresh only for the articles the edited one
   * had been found linking to.
   */
  private isLinkedFromElsewhere(article: Article): boolean {
    const known = this.linkedBy.get(article);
    if (known && known.generation === this.namesGeneration && !this.replaced?.has(known.source)) return true;
    for (const key of article.keys) {
      for (const source of this.linkSources.get(key) ?? []) {
        if (source === article) continue;
        for (const link of linksWithKeys(source, article.keys, this.settings.caseMode)) {
          // Not through the resolver's memo: a pass over every article would fill and empty the server's (20,000
          // answers) over and over, and the open articles would lose what it remembered for them.
          const r = this.resolveTargetNow(link.target, source);
          if (r.kind === 'article' && r.article === article) {
            this.linkedBy.set(article, { source, generation: this.namesGeneration });
            return true;
          }
        }
      }
    }
    this.linkedBy.delete(article);
    return false;
  }

  /**
   * How many articles link to this one (distinct sources); cheap enough for ranking completion. `throughRedirects`:
   * the articles that link to its redirect pages count too, and those pages do not (a hover says how many lead here).
   */
  incomingCount(article: Article, throughRedirects = false): number {
    let n = 0;
    for (const key of article.keys) n += this.linkSources.get(key)?.length ?? 0;
    if (throughRedirects) for (const r of this.redirectsTo(article)) n += this.incomingCount(r) - 1;
    return n;
  }

  /** A snapshot of the maps, for the test that an incrementally updated index equals a rebuilt one. */
  snapshot(): Record<string, string[]> {
    const dump = (m: Map<string, Article[]>) =>
      [...m.entries()].filter(([, s]) => s.length).map(([k, s]) => k + ' -> ' + [...s].map((a) => a.path).sort().join(',')).sort();
    return {
      byFileName: dump(this.byFileName),
      byTitle: dump(this.byTitle),
      byPath: [...this.byPath].flatMap(([folder, paths]) => dump(paths).map((line) => folder + '\u0000' + line)).sort(),
      // Listed with repeats, so an article entered twice under a key differs from a rebuild.
      linkSources: [...this.linkSources].map(([k, list]) => k + ' -> ' + list.map((a) => a.path).sort().join(',')).sort(),
      articles: [...this.articles.values()].map((a) => `${a.path} ${a.title} ${a.syntax.links.length} ${a.syntax.headings.length}`).sort(),
    };
  }
}

/**
 * The links of `source` whose name key is one of `keys`. A closed article decodes just those links from its record:
 * the references of a hub with 7,000 linkers had decoded every linker's links (0.25 s → 1.2 s at 10,000 articles).
 */
export function linksWithKeys(source: Article, keys: readonly string[], mode: CoreSettings['caseMode']): Link[] {
  if (source instanceof PackedArticle) return source.linksWithKeys(keys);
  const wanted = source.linkKeys.map((k) => keys.includes(k));
  if (!wanted.includes(true)) return [];
  const links = source.syntax.links;
  const index = source.linkKeyIndex;
  const out: Link[] = [];
  for (let i = 0; i < links.length; i++) {
    const l = links[i];
    if (!l.target) continue;
    const at = index ? index[i] : source.linkKeys.indexOf(linkKeyOf(l.target, mode));
    if (at >= 0 && wanted[at]) out.push(l);
  }
  return out;
}

/**
 * Names in the reader's order, as `localeCompare` gives it: one collator made once compares several times faster than
 * `localeCompare` making its own each time (a wanted list of 16,000 names is sorted after each pause in typing).
 */
const byName = new Intl.Collator().compare;

/**
 * An article in MediaWiki's sense: not a redirect page, nor a page of another namespace, nor the main page (the
 * wiki's front door; `Main Page`, or a README or index file at the top of a folder).
 */
export function isArticleProper(a: Article): boolean {
  if (a.redirect !== undefined) return false;
  if (inOtherNamespace(a.title) || (a.rel.indexOf(':') >= 0 && inOtherNamespace(titleFromFileName(a.rel)))) return false;
  if (/^main[ _]page$/i.test(a.title)) return false;
  return !/^(?:readme|index)\.(?:md|markdown|mdx)$/i.test(a.rel);
}

/**
 * The targets of an article's links that may name an article (images name files), in order; a packed article's are
 * read from its record (PackedArticle.linkTargets).
 */
function articleTargetsOf(a: Article): string[] {
  return a instanceof PackedArticle ? a.linkTargets(['image', 'img']) : a.syntax.links.filter((l) => !isImageLink(l)).map((l) => l.target);
}

/** An article's tags as written; a packed article's are read alone, without the rest of its syntax (PackedArticle.tagNames). */
export function tagNamesOf(a: Article): string[] {
  return a instanceof PackedArticle ? a.tagNames() : (a.syntax.tags ?? []).map((t) => t.name);
}

/** An article's headings; a packed article's are read alone, without the rest of its syntax (PackedArticle.headings). */
export function headingsOf(a: Article): Heading[] {
  return a instanceof PackedArticle ? a.headings() : a.syntax.headings;
}

/** An article's front matter title, if it has one; a packed article's read alone (PackedArticle.frontMatterTitle). */
export function frontMatterTitleOf(a: Article): string | undefined {
  return a instanceof PackedArticle ? a.frontMatterTitle() : a.syntax.frontMatter?.title;
}

/** An article's heading texts and where each starts; a packed article's are read from its record (PackedArticle.headingTexts). */
export function headingTextsOf(a: Article): { texts: string[]; starts: number[] } {
  if (a instanceof PackedArticle) return a.headingTexts();
  const headings = a.syntax.headings;
  return { texts: headings.map((h) => h.text), starts: headings.map((h) => h.span.start) };
}

/** An article's HTML headings (`<h2 id="purpose">PURPOSE</h2>`); a packed article's decoded alone. */
export function htmlHeadingsOf(a: Article): HtmlHeading[] {
  return a instanceof PackedArticle ? a.htmlHeadings() : (a.syntax.htmlHeadings ?? []);
}

/** Whether an article has glossary entries, told without decoding a packed article's syntax. */
export function hasGlossary(a: Article): boolean {
  return a instanceof PackedArticle ? a.glossaryCount > 0 : a.syntax.glossary.length > 0;
}

const REPEATED_HEADING = /^(.*\S)([-_ ])(\d{1,3})$/;

export function findHeading(article: Article, fragment: string): Heading | undefined {
  const found = findHeadingExactly(article, fragment);
  if (found) return found;
  // MediaWiki's old anchors write `"` as .22 and `,` as .2C.
  const decoded = /\.[0-9A-F]{2}/.test(fragment) ? findHeadingExactly(article, decodePercent(fragment.replace(/\.([0-9A-F]{2})/g, '%$1'))) : undefined;
  if (decoded) return decoded;
  // A repeated heading: GitHub and pandoc name the second "History" `history-1`, MediaWiki `History_2`.
  const repeated = REPEATED_HEADING.exec(fragment);
  if (repeated) {
    const n = Number(repeated[3]);
    const nth = repeated[2] === '-' ? n : n - 1;
    const again = nth >= 1 ? findHeadingExactly(article, repeated[1], nth) : undefined;
    if (again) return again;
  }
  // Obsidian's heading path (`[[Notes#Part two#Details]]`): each heading is looked for in the section of the one before.
  if (fragment.includes('#')) {
    const path = fragment.split('#').map((p) => p.trim()).filter(Boolean);
    if (path.length > 1) return headingPathSteps(article, path)?.at(-1);
  }
  // Exports that add `.md` to every link target add it after the fragment too (libsocwiki: `Peasants#List_of_Peasant_Rebellions.md`).
  const bare = stripMarkdownExtension(fragment);
  return bare !== fragment && bare ? findHeading(article, bare) : undefined;
}

/** The headings a path of headings names, each the first of its name inside the section of the one before it. */
export function headingPathSteps(article: Article, path: string[]): Heading[] | undefined {
  const headings = headingsOf(article);
  let from = 0;
  let to = headings.length;
  const steps: Heading[] = [];
  for (const part of path) {
    const key = headingKey(part);
    const slug = slugify(part);
    let i = from;
    while (i < to && !(headingKey(headings[i].text) === key || headings[i].slug === key || headings[i].slug === slug)) i++;
    if (i >= to) return undefined;
    const found = headings[i];
    steps.push(found);
    // Its section: the headings after it, to the next of its level or higher.
    from = i + 1;
    to = from;
    while (to < headings.length && headings[to].level > found.level) to++;
  }
  return steps;
}

/**
 * The fragment a link in `wikiSyntax` (else a markdown link or anchor) names heading `h` by: its words (without what
 * a wiki link cannot hold, `[`, `]`, `|`, `#`), else its slug, numbered when headings alike come before it; the words
 * when neither leads there (`[[Notes#[[ x]]` as a heading).
 */
export function headingFragment(target: Article, h: Heading, wikiSyntax: boolean): string {
  if (!wikiSyntax) return numberedFragment(target, h, h.slug, false);
  const words = plainHeadingText(h.text).replace(/[[\]|#]/g, '');
  return leadingFragment(target, h, words, true) ?? leadingFragment(target, h, h.slug, true) ?? words;
}

/**
 * The fragment for a heading whose plain fragment names an earlier heading of the same name: numbered as MediaWiki
 * (`History_2`, in wiki links) or GitHub and pandoc (`history-1`) number repeated headings, which findHeading reads.
 */
export function numberedFragment(target: Article, h: Heading, fragment: string, wikiSyntax: boolean): string {
  return leadingFragment(target, h, fragment, wikiSyntax) ?? fragment;
}

/** The fragment, numbered if need be, when it leads to `h`; undefined when it does not. */
function leadingFragment(target: Article, h: Heading, fragment: string, wikiSyntax: boolean): string | undefined {
  if (findHeading(target, fragment)?.span.start === h.span.start) return fragment;
  // Its place among the headings the fragment names (findHeadingExactly's `nth`), counted rather than tried number by
  // number: trying gave up past the 50th (a link to the first) and took 338 ms to complete `[[#` among 1,000 alike.
  const key = headingKey(fragment);
  const slug = slugify(fragment);
  const headings = headingsOf(target);
  const keys = headingKeys(headings);
  let nth = 0;
  for (let i = 0; i < headings.length && headings[i].span.start < h.span.start; i++) if (namesHeading(keys, headings, i, key, slug)) nth++;
  const numbered = wikiSyntax ? `${fragment}_${nth + 1}` : `${fragment}-${nth}`;
  return nth > 0 && findHeading(target, numbered)?.span.start === h.span.start ? numbered : undefined;
}

/**
 * The HTML anchor (an element's `id`, an `<a>`'s `name`) a fragment names, when no heading does: pandoc keeps
 * MediaWiki's `<span id="…">` and `<div id="…">`, and links to them (owasp-wiki: 534 of them) are not broken.
 * Compared as heading fragments are (case, `_` and spaces alike), with the same `.md` suffix forgiven.
 */
export function findAnchor(article: Article, fragment: string): Anchor | undefined {
  const anchors = article.syntax.anchors;
  if (!anchors.length) return undefined;
  const key = headingKey(fragment);
  const bare = headingKey(stripMarkdownExtension(fragment));
  for (const a of anchors) if (a.id === fragment || headingKey(a.id) === key) return a;
  if (bare !== key) for (const a of anchors) if (headingKey(a.id) === bare) return a;
  return undefined;
}

/**
 * Per decoded headings list, where a fragment finds its heading: `any` maps each heading's text key, slug and slug
 * key to the first heading that has it, `bySlug` each slug alone (compared with the fragment's own slug). Looking a
 * fragment up in both and taking the earlier heading answers as comparing it with every heading in turn did, which
 * was 89 ms of a 1.5 s check of the 10,000-article bench wiki (72,000 fragments, four string comparisons a heading).
 */
interface HeadingIndex {
  any: Map<string, number>;
  bySlug: Map<string, number>;
}

/** Per heading, its text's and its slug's heading keys: what the repeated-heading searches compare. */
interface HeadingKeys {
  textKeys: string[];
  slugKeys: string[];
}

/**
 * Made only for the articles a repeated heading is looked for in (few): kept for every article that has a heading
 * index, they would hold two arrays more for each of them (a check keys the headings of every linked article).
 */
const headingKeysMemo = new WeakMap<Heading[], HeadingKeys>();

function headingKeys(headings: Heading[]): HeadingKeys {
  let keys = headingKeysMemo.get(headings);
  if (!keys) {
    keys = { textKeys: headings.map((h) => headingKey(h.text)), slugKeys: headings.map((h) => headingKey(h.slug)) };
    headingKeysMemo.set(headings, keys);
  }
  return keys;
}

const headingIndexMemo = new WeakMap<Heading[], HeadingIndex>();

function headingIndex(headings: Heading[]): HeadingIndex {
  let index = headingIndexMemo.get(headings);
  if (!index) {
    index = { any: new Map(), bySlug: new Map() };
    const first = (map: Map<string, number>, key: string, i: number) => {
      if (!map.has(key)) map.set(key, i);
    };
    for (let i = 0; i < headings.length; i++) {
      const h = headings[i];
      first(index.any, headingKey(h.text), i);
      first(index.any, h.slug, i);
      first(index.any, headingKey(h.slug), i);
      first(index.bySlug, h.slug, i);
    }
    headingIndexMemo.set(headings, index);
  }
  return index;
}

/** Whether a fragment (its heading key and slug) names heading `i`, as findHeadingExactly's repeated search reads it. */
function namesHeading(keys: HeadingKeys, headings: Heading[], i: number, key: string, slug: string): boolean {
  return keys.textKeys[i] === key || headings[i].slug === key || headings[i].slug === slug || keys.slugKeys[i] === key;
}

/** The first heading a fragment names, or with `nth`, the heading that many after the first of those it names. */
export function findHeadingExactly(article: Article, fragment: string, nth = 0): Heading | undefined {
  const key = headingKey(fragment);
  if (article instanceof PackedArticle) return article.findHeading(key, slugify(fragment), nth);
  const headings = article.syntax.headings;
  if (!headings.length) return undefined;
  if (nth > 0) {
    const slug = slugify(fragment);
    const keys = headingKeys(headings);
    let seen = 0;
    for (let i = 0; i < headings.length; i++) if (namesHeading(keys, headings, i, key, slug) && seen++ === nth) return headings[i];
    return undefined;
  }
  const index = headingIndex(headings);
  const byKey = index.any.get(key);
  // No heading comes before the first: the fragment's slug need not be made.
  if (byKey === 0) return headings[0];
  const bySlug = index.bySlug.get(slugify(fragment));
  const i = byKey === undefined ? bySlug : bySlug === undefined ? byKey : Math.min(byKey, bySlug);
  return i === undefined ? undefined : headings[i];
}

/*
 * The name maps hold arrays, not Sets: nearly every key names one article, and 20,000 one-element Sets took 3 MB of
 * the 10,000-article bench wiki's heap, against 1 MB as arrays. An array holds an article once, as a Set would.
 */
function add<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

function remove<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) return;
  const i = list.indexOf(value);
  if (i < 0) return;
  list[i] = list[list.length - 1];
  list.pop();
  if (list.length === 0) map.delete(key);
}

/**
 * Among articles that a name could mean (`A b.md` and `A_B.md`, `Threat_Agent.md` and `Threat_agent.md`), the one
 * whose path is written to the letter, then the one written so with `_` for spaces, then the one MediaWiki would
 * mean (only the first letter's case folded); otherwise the link is ambiguous. Never the set's insertion order: that
 * would make a link's meaning depend on the order of edits, and an incremental index differ from a rebuilt one.
 */
function bySpelling(candidates: Iterable<Article>, written: string, byBasename = false): Article | undefined {
  const want = stripMarkdownExtension(written.trim());
  const name = (a: Article) => stripMarkdownExtension(byBasename ? basename(a.rel) : a.rel);
  const list = [...candidates];
  for (const spelled of [want, want.replace(/ /g, '_')]) {
    const hits = list.filter((a) => name(a) === spelled);
    if (hits.length === 1) return hits[0];
  }
  const folded = pathKey(want, 'first-letter');
  const hits = list.filter((a) => pathKey(name(a), 'first-letter') === folded);
  return hits.length === 1 ? hits[0] : undefined;
}

/** The link that makes an article a redirect page, if it is one; a closed article's decoded alone, not with its whole syntax (symbol searches and hovers read many redirect pages). */
export function redirectLinkOf(a: Article): Link | undefined {
  if (a.redirect === undefined) return undefined;
  return a instanceof PackedArticle ? a.link(a.redirect) : a.syntax.links[a.redirect];
}

/**
 * What other articles' problems depend on: its names (title and keys; a placeholder's count as other names, since its
 * headings are unknown; a redirect page's target), and its headings and HTML ids. When neither changed, an edit can change no other article's problems.
 */
export function exportsOf(a: Article): { names: string; headings: string } {
  // Where a redirect page leads is part of its name: links to it are judged by the article it redirects to.
  const redirect = redirectLinkOf(a);
  return {
    names: (a.placeholder ? '\u0002' : '') + a.title + '\u0000' + a.keys.join('\u0000') + (redirect ? '\u0003' + redirect.target + '#' + (redirect.heading ?? '') : ''),
    headings: a.syntax.headings.map((h) => h.text + '\u0001' + h.slug).join('\u0000') + '\u0002' + a.syntax.anchors.map((x) => x.id).join('\u0000'),
  };
}

/** Whether two versions of an article link to the same targets and fragments, in the same order, and have the same headings and ids. */
function sameLinksAndHeadings(a: Article, b: Article): boolean {
  const x = a.syntax.links;
  const y = b.syntax.links;
  if (x.length !== y.length) return false;
  if (a.redirect !== b.redirect) return false;
  for (let i = 0; i < x.length; i++) if (x[i].target !== y[i].target || x[i].heading !== y[i].heading) return false;
  return exportsOf(a).headings === exportsOf(b).headings;
}

/** Whether an article put again answers to the same names: its path is the same, so are its keys, and it is still (or still not) a placeholder. */
function sameNames(old: Article, article: Article): boolean {
  if (old.placeholder !== article.placeholder || old.keys.length !== article.keys.length) return false;
  for (let i = 0; i < old.keys.length; i++) if (old.keys[i] !== article.keys[i]) return false;
  return true;
}

function pickExact(set: Article[], rel: string): Resolution {
  if (set.length === 1) return { kind: 'article', article: set[0] };
  const article = bySpelling(set, rel);
  return article ? { kind: 'article', article } : { kind: 'ambiguous', candidates: [...set].sort((a, b) => (a.path < b.path ? -1 : 1)) };
}

function first<T>(set: Set<T> | undefined): T {
  return set!.values().next().value as T;
}
