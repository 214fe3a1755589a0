// The language service: one facade over the wiki index, the open documents and the per-feature functions, so the LSP
// adapter (and tests, on an in-memory workspace) only say "this changed" and "answer this at that position".
import { articleProblems } from './diagnostics';
import { CacheWriter, type CachedFile } from './cache';
import { buildIndexInSlices, reindexInSlices, writeCacheLater, type IndexReport } from './indexer';
import { basename, nameKey } from './names';
import type { CoreSettings } from './settings';
import type { Position, Problem, SeveritySetting, ProblemCode } from './types';
import { exportsOf, hasGlossary, Wiki, type Article } from './wiki';
import { LARGE_TEXT, LargeTextCache } from './textCache';
import { finish, inTurns } from './steps';
import { isArticlePath, isExcluded, type FileInfo, type Workspace } from './workspace';
import { completionContext, completionDocumentation, completions, TitleIndex } from './features/completion';
import { definition } from './features/definition';
import { GlossaryIndex } from './features/glossary';
import { hover, imagePreview, IMAGE_HEAD_BYTES } from './features/hover';
import { backlinksWithSentences, references, type Backlink } from './features/references';
import { BacklinkCounts, codeLenses, type CodeLensShape } from './features/codeLens';
import { documentHighlights, type HighlightShape } from './features/highlights';
import { documentSymbols, HeadingSearch, workspaceSymbols } from './features/symbols';
import { documentLinks } from './features/documentLinks';
import { previewLinks, type PreviewLinkShape } from './features/previewLinks';
import { linkToHere, type LinkHere } from './features/copyLink';
import { dropLinks } from './features/dropLinks';
import { semanticTokens, type SemanticToken } from './features/semanticTokens';
import { foldingRanges, type FoldingRangeShape } from './features/folding';
import { selectionRanges, type SelectionRangeShape } from './features/selectionRanges';
import { outgoingLinks, searchOutgoingMentions, type OutgoingLink, type OutgoingMentionResult } from './features/outgoing';
import { localGraph, type GraphOptions, type GraphShape } from './features/graph';
import type { CompletionItemShape, CompletionListShape, CoreLocation, DocumentLinkShape, DocumentSymbolShape, HoverShape, WorkspaceSymbolShape } from './features/shapes';

export type IndexState = 'indexing' | 'ready';

/** What a change did: the other articles whose problems may now differ (the changed one itself always may). */
export interface ChangeResult {
  article?: Article;
  affected: Set<string>;
  /**
   * Whether links between articles may have changed (what code lenses count): false only when an edit left the
   * article's names, headings and links (targets and fragments) as they were, as most keystrokes do.
   */
  linksChanged: boolean;
}

const NOTHING: ChangeResult = { affected: new Set(), linksChanged: false };

export interface Cancellable {
  isCancelled?: () => boolean;
}

/** Problem codes whose answer depends on other articles: held back while the index is incomplete, to avoid false alarms. */
const NEEDS_INDEX: ReadonlySet<ProblemCode> = new Set(['broken-link', 'missing-file', 'ambiguous-link', 'broken-heading', 'double-redirect']);

/**
 * From this many articles changed on disk in one batch of file events, they are read again as the index is built
 * (reindexInSlices): in the workers, in slices. Below it, one by one in this thread, which takes a few milliseconds
 * each and tells exactly which open articles each change affects.
 */
const BATCH_FOR_WORKERS = 200;
/** How long the titles are ranked in the background before requests may be answered. */
const RANK_SLICE_MS = 2;

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

export class WikiService {
  wiki: Wiki;
  readonly titles = new TitleIndex();
  /** Heading keys for workspace symbols, made on the first query and kept (HeadingSearch). */
  readonly headingSearch = new HeadingSearch();
  readonly glossary = new GlossaryIndex();
  state: IndexState = 'indexing';
  private readonly readyWaiters: (() => void)[] = [];
  /** Open documents' texts, by core path: the editor's text wins over the disk's. */
  private readonly openTexts = new Map<string, string>();
  /** Backlink counts of the articles whose code lenses were asked for, kept while no link anywhere changed. */
  private readonly backlinkCounts = new BacklinkCounts();
  /** Open documents that are not part of the wiki (outside the folders, or excluded): analysed, never indexed. */
  private readonly detached = new Map<string, Article>();
  private buildGeneration = 0;
  /** Large articles' texts as last read from disk, used again while the file's stamp is unchanged. */
  private readonly largeTexts = new LargeTextCache();
  /** The on-disk index cache's folder (the editor's storage folder, never the wiki) and where its problems are said. */
  indexCache: {
    dir?: string;
    log?: (msg: string) => void;
    written?: (bytes: number) => void;
    delayMs?: number;
    /** What writing it in the background awaits between slices: a server waits while requests are being answered. */
    pause?: () => Promise<void>;
  } = {};
  /**
   * Each indexed file's size and mtime as last listed before it was read (by a build or a batch): what the index cache
   * records when it is written again after a batch. A file taken in one by one has none, and is read at the next start.
   */
  private stamps = new Map<string, FileInfo>();
  /** Bumped by each cache write begun: an older one still waiting is dropped. */
  private cacheGeneration = 0;
  private rankingTimer: ReturnType<typeof setTimeout> | undefined;
  /** A ranking running in the background (rankInBackground), and whether it was asked for again meanwhile. */
  private ranking: Promise<void> | undefined;
  private rankAgain = false;

  constructor(
    public workspace: Workspace,
    settings: CoreSettings,
  ) {
    this.wiki = this.newWiki(workspace, settings);
  }

  /**
   * Resolutions are remembered: a keystroke rarely changes a name, and the 1 MB bench article's 5,000 links were
   * resolved afresh at each one. At most 20,000 (about 5 MB): enough for the open articles, where a whole-wiki pass
   * (wanted articles) would otherwise leave tens of MB in the memo of a server at rest.
   */
  private newWiki(workspace: Workspace, settings: CoreSettings): Wiki {
    const wiki = new Wiki(workspace.folders, settings);
    wiki.rememberResolutions = true;
    wiki.maxRemembered = 20_000;
    return wiki;
  }

  get settings(): CoreSettings {
    return this.wiki.settings;
  }

  /** Starts over with new folders or settings: a fresh index, the open documents put back at once. */
  reset(workspace: Workspace, settings: CoreSettings): void {
    this.buildGeneration++;
    this.workspace = workspace;
    this.wiki = this.newWiki(workspace, settings);
    this.detached.clear();
    this.largeTexts.clear();
    this.titles.invalidateNames();
    this.glossary.invalidate();
    this.state = 'indexing';
    for (const [path, text] of this.openTexts) this.put(path, text, true);
  }

  /** Builds the index in slices; a later `reset` or build cancels this one. Resolves with the report, or undefined if superseded. */
  async buildIndex(onProgress?: (done: number, total: number) => void): Promise<IndexReport | undefined> {
    const generation = ++this.buildGeneration;
    const cacheGeneration = ++this.cacheGeneration;
    this.state = 'indexing';
    const wiki = this.wiki;
    this.stamps = new Map();
    let report: IndexReport;
    try {
      report = await buildIndexInSlices(wiki, this.workspace, {
        isCancelled: () => generation !== this.buildGeneration,
        skip: (path) => this.openTexts.has(path),
        cacheDir: this.indexCache.dir,
        log: this.indexCache.log,
        onCacheWritten: (bytes) => this.indexCache.written?.(bytes),
        cacheDelayMs: this.indexCache.delayMs,
        cachePause: this.indexCache.pause,
        cacheWriteCancelled: () => cacheGeneration !== this.cacheGeneration,
        stamps: this.stamps,
        onProgress: (done, total) => {
          this.titles.invalidateNames();
          this.glossary.invalidate();
          onProgress?.(done, total);
        },
      });
    } catch (e) {
      // A build that failed will not make the index complete: what waits for it answers from what there is, not never.
      for (const resolve of this.readyWaiters.splice(0)) resolve();
      throw e;
    }
    if (generation !== this.buildGeneration) return undefined;
    this.titles.invalidateNames();
    this.glossary.invalidate();
    this.state = 'ready';
    for (const resolve of this.readyWaiters.splice(0)) resolve();
    // The first completion should not pay for ranking 50,000 titles, nor the first answers after ready wait for it.
    this.rankInBackground();
    return report;
  }

  /** Resolves once the index is complete: answers about the whole wiki (wanted and orphaned articles) are wrong from part of it. */
  whenReady(): Promise<void> {
    if (this.state === 'ready') return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  isOpen(path: string): boolean {
    return this.openTexts.has(path);
  }

  openPaths(): IterableIterator<string> {
    return this.openTexts.keys();
  }

  /** Whether a path belongs in the index: inside a folder and matched by include/exclude. */
  isWikiPath(path: string): boolean {
    const folder = this.wiki.folderOf(path);
    return !!folder && path !== folder && isArticlePath(path.slice(folder.length + 1), this.wiki.settings);
  }

  article(path: string): Article | undefined {
    return this.wiki.articles.get(path) ?? this.detached.get(path);
  }

  /** An article's current text: the editor's when open, else the disk's (undefined when it cannot be read). */
  textOf(path: string): string | undefined {
    const open = this.openTexts.get(path);
    if (open !== undefined) return open;
    // An article the index knows to be small is read each time, without a stamp to take first.
    const indexed = this.wiki.articles.get(path);
    const stamp = indexed && indexed.size < LARGE_TEXT ? undefined : this.workspace.stamp?.(path);
    const kept = stamp === undefined ? undefined : this.largeTexts.get(path, stamp);
    if (kept !== undefined) return kept;
    try {
      const text = this.workspace.readText(path);
      if (stamp !== undefined) this.largeTexts.set(path, stamp, text);
      return text;
    } catch {
      return undefined;
    }
  }

  open(path: string, text: string, version?: number): ChangeResult {
    this.openTexts.set(path, text);
    return this.put(path, text, true, version);
  }

  change(path: string, text: string, version?: number): ChangeResult {
    this.openTexts.set(path, text);
    return this.put(path, text, true, version);
  }

  /** The editor closed it: the disk's text counts again (or, if it is gone, the article is). */
  close(path: string): ChangeResult {
    this.openTexts.delete(path);
    this.backlinkCounts.forget(path);
    if (this.detached.delete(path)) return NOTHING;
    return this.fromDisk(path);
  }

  /** A file was created or changed on disk. An open document's editor text still wins. */
  fileChanged(path: string): ChangeResult {
    this.workspace.noteFile?.(path);
    return this.withLinks(path, this.fileChangedAlone(path));
  }

  /**
   * Articles that are symbolic links to a file changed or deleted on disk are read again too: watchers report the
   * file under its own path only.
   */
  private withLinks(path: string, result: ChangeResult): ChangeResult {
    const links = this.workspace.linksTo?.(path).filter((l) => l !== path && this.wiki.articles.has(l) && !this.openTexts.has(l));
    if (!links?.length) return result;
    const affected = new Set(result.affected);
    for (const link of links) {
      affected.add(link);
      for (const a of this.fromDisk(link).affected) affected.add(a);
    }
    return { ...result, affected };
  }

  private fileChangedAlone(path: string): ChangeResult {
    if (this.openTexts.has(path)) return NOTHING;
    if (!this.wiki.folderOf(path)) return NOTHING;
    if (!this.isWikiPath(path)) {
      const rel = path.slice((this.wiki.folderOf(path) ?? '').length + 1);
      // Hidden and excluded files (.git, node_modules) are not attachments anyone links to.
      if (/(^|\/)\./.test(rel) || isExcluded(rel, this.wiki.settings)) return NOTHING;
      this.wiki.addAttachment(path);
      return { affected: this.linkersOf([nameKey(basename(path), this.wiki.settings.caseMode)]), linksChanged: true };
    }
    return this.fromDisk(path);
  }

  /**
   * Files created or changed on disk, told together (a branch switched, a pull). Many articles are read again as the
   * index is built (BATCH_FOR_WORKERS), after which every open article may link to a name that changed; undefined
   * when a new index was begun meanwhile (`reset`, `buildIndex`), which reads them anyway.
   */
  async filesChanged(paths: string[]): Promise<Set<string> | undefined> {
    const affected = new Set<string>();
    const one = (path: string) => {
      try {
        for (const a of this.fileChanged(path).affected) affected.add(a);
      } catch (e) {
        // One file that cannot be taken in must not stop the others.
        this.indexCache.log?.(`Updating the index for ${path} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    };
    const articles: string[] = [];
    for (const p of paths) {
      this.workspace.noteFile?.(p);
      if (this.state === 'ready' && !this.openTexts.has(p) && this.isWikiPath(p)) articles.push(p);
      else one(p);
    }
    if (articles.length < BATCH_FOR_WORKERS) {
      for (const p of articles) one(p);
      return affected;
    }
    // Read again with them: the symbolic links to them (withLinks).
    const reread = new Set(articles);
    for (const p of articles) for (const l of this.workspace.linksTo?.(p) ?? []) if (this.wiki.articles.has(l) && !this.openTexts.has(l)) reread.add(l);
    const generation = this.buildGeneration;
    await reindexInSlices(this.wiki, this.workspace, [...reread], {
      isCancelled: () => generation !== this.buildGeneration,
      skip: (path) => this.openTexts.has(path),
      log: this.indexCache.log,
      stamps: this.stamps,
    });
    if (generation !== this.buildGeneration) return undefined;
    this.afterBatch(affected);
    return affected;
  }

  /**
   * After a batch taken in without working out whom each file affects: every cache of names, counts and glossary
   * entries is stale, and any open article may have a link the batch broke or fixed.
   */
  private afterBatch(affected: Set<string>): void {
    this.titles.invalidateNames();
    this.titles.invalidateCounts();
    this.glossary.invalidate();
    this.scheduleRanking();
    for (const p of this.openTexts.keys()) affected.add(p);
    this.rewriteCache();
  }

  /**
   * After a batch (a branch switched, a pull), the index cache is written again as after a build, so that the next
   * start reads only what changed since, not every file the batch changed. Articles open in an editor, placeholders
   * and files taken in one by one since they were listed are left out: the next start reads them.
   */
  private rewriteCache(): void {
    const dir = this.indexCache.dir;
    if (dir === undefined || this.state !== 'ready') return;
    const writer = new CacheWriter(dir, this.wiki.folders, this.wiki.settings, this.indexCache.log ?? (() => undefined));
    if (writer.problem) return;
    const files: CachedFile[] = [];
    for (const [path, article] of this.wiki.articles) {
      const stamp = this.stamps.get(path);
      if (stamp && !article.open && !article.placeholder) files.push({ article, fileSize: stamp.size, mtimeMs: stamp.mtimeMs });
    }
    const generation = ++this.cacheGeneration;
    const build = this.buildGeneration;
    writeCacheLater(writer, files, () => generation !== this.cacheGeneration || build !== this.buildGeneration, {
      delayMs: this.indexCache.delayMs,
      onWritten: (bytes) => this.indexCache.written?.(bytes),
      logError: (msg) => this.indexCache.log?.(msg),
      pause: this.indexCache.pause,
    });
  }

  /**
   * Files deleted on disk, told together. From BATCH_FOR_WORKERS articles they are removed without working out whom
   * each one affects (at 50,000 articles, deleting 25,000 one by one held the server 2.5 s), and every open article
   * may then have a broken link.
   */
  filesDeleted(paths: string[]): Set<string> {
    const affected = new Set<string>();
    const many = paths.filter((p) => this.wiki.articles.has(p) && !this.openTexts.has(p)).length >= BATCH_FOR_WORKERS;
    for (const p of paths) {
      try {
        if (many && this.wiki.articles.has(p) && !this.openTexts.has(p)) {
          this.workspace.noteFile?.(p);
          this.wiki.remove(p);
          this.stamps.delete(p);
        } else for (const a of this.fileDeleted(p).affected) affected.add(a);
      } catch (e) {
        this.indexCache.log?.(`Updating the index for ${p} (deleted) failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    }
    if (many) {
      for (const p of paths) for (const a of this.withLinks(p, NOTHING).affected) affected.add(a);
      this.afterBatch(affected);
    }
    return affected;
  }

  fileDeleted(path: string): ChangeResult {
    this.workspace.noteFile?.(path);
    return this.withLinks(path, this.fileDeletedAlone(path));
  }

  private fileDeletedAlone(path: string): ChangeResult {
    if (this.openTexts.has(path)) return NOTHING;
    this.stamps.delete(path);
    if (this.wiki.articles.has(path)) return this.applied(path, this.wiki.remove(path), undefined);
    this.wiki.removeAttachment(path);
    const affected = this.linkersOf([nameKey(basename(path), this.wiki.settings.caseMode)]);
    // A deleted folder arrives as one event: everything under it goes.
    const prefix = path.replace(/\/+$/, '') + '/';
    for (const p of [...this.wiki.articles.keys()]) {
      if (p.startsWith(prefix) && !this.openTexts.has(p)) for (const a of this.applied(p, this.wiki.remove(p), undefined).affected) affected.add(a);
    }
    return { affected, linksChanged: true };
  }

  private fromDisk(path: string): ChangeResult {
    // Read without a stamp taken before: left out of a later cache write, and read at the next start.
    this.stamps.delete(path);
    let text: string | undefined;
    if (this.isWikiPath(path)) {
      try {
        text = this.workspace.readText(path);
      } catch {
        text = undefined;
      }
    }
    if (text !== undefined && text.length > this.wiki.settings.maxFileSize) {
      const old = this.wiki.articles.get(path);
      if (old?.placeholder) return NOTHING;
      this.indexCache.log?.(`${path} is over the size limit (linkedArticles.maxFileSizeMB); left out of the index`);
      return this.applied(path, old, this.wiki.addPlaceholder(path));
    }
    if (text === undefined) {
      const old = this.wiki.remove(path);
      return old ? this.applied(path, old, undefined) : NOTHING;
    }
    const old = this.wiki.articles.get(path);
    const article = this.wiki.upsert(path, text);
    return this.applied(path, old, article);
  }

  private put(path: string, text: string, open: boolean, version?: number): ChangeResult {
    if (!this.isWikiPath(path)) {
      const article = this.wiki.analyse(path, text);
      article.open = open;
      article.version = version;
      this.detached.set(path, article);
      return { article, affected: new Set(), linksChanged: false };
    }
    const old = this.wiki.articles.get(path);
    // The index may hold facts from an older text; a snapshot of what matters is taken before the upsert replaces them.
    const before = old && exportsOf(old);
    const epoch = this.wiki.linkEpoch;
    const article = this.wiki.upsert(path, text, { open, version });
    if (old === article) return { article, affected: new Set(), linksChanged: false };
    return { ...this.applied(path, old, article, before), linksChanged: this.wiki.linkEpoch !== epoch };
  }

  /** Invalidates caches after an article changed and says which other articles it can affect. */
  private applied(path: string, old: Article | undefined, now: Article | undefined, before = old && exportsOf(old)): ChangeResult {
    const after = now && exportsOf(now);
    this.titles.invalidateCounts();
    this.scheduleRanking();
    if (!before || !after || before.names !== after.names) this.titles.invalidateNames();
    if ((old && hasGlossary(old)) || (now && hasGlossary(now))) this.glossary.invalidate();
    let affected = new Set<string>();
    if (!before || !after || before.names !== after.names || before.headings !== after.headings) {
      affected = this.linkersOf([...(old?.keys ?? []), ...(now?.keys ?? [])]);
      affected.delete(path);
    }
    return { article: now, affected, linksChanged: true };
  }

  /** Completion ranks titles by incoming links; the ranking is refreshed a moment after links stop changing, off the request path. */
  private scheduleRanking(): void {
    if (this.rankingTimer) clearTimeout(this.rankingTimer);
    this.rankingTimer = setTimeout(() => {
      this.rankingTimer = undefined;
      if (this.state === 'ready') this.rankInBackground();
    }, 1000);
    this.rankingTimer.unref?.();
  }

  /**
   * Ranks the titles for completion a step at a time, waiting between slices as other background work does (a
   * completion that comes first ranks them itself if names changed, or uses the last ranking). Asked again while it
   * runs, it runs once more after: what a run finds is dropped when names or links change meanwhile.
   */
  private rankInBackground(): void {
    if (this.ranking) {
      this.rankAgain = true;
      return;
    }
    this.ranking = (async () => {
      do {
        this.rankAgain = false;
        await inTurns(this.titles.refreshRankingInSteps(this.wiki), RANK_SLICE_MS, this.indexCache.pause);
      } while (this.rankAgain && this.state === 'ready');
    })()
      .catch((e: unknown) => this.indexCache.log?.(`Ranking the titles failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`))
      .finally(() => (this.ranking = undefined));
  }

  private linkersOf(keys: string[]): Set<string> {
    const out = new Set<string>();
    let redirects: Article[] = [];
    for (const a of this.wiki.linkersOfKeys(keys)) {
      out.add(a.path);
      if (a.redirect !== undefined) redirects.push(a);
    }
    // Links to a redirect page are judged by the article it leads to (its headings): a change there changes them too.
    for (let depth = 0; redirects.length && depth < 8; depth++) {
      const next: Article[] = [];
      for (const a of this.wiki.linkersOfKeys(redirects.flatMap((r) => r.keys))) {
        if (out.has(a.path)) continue;
        out.add(a.path);
        if (a.redirect !== undefined) next.push(a);
      }
      redirects = next;
    }
    return out;
  }

  // ---------------------------------------------------------------- features

  private at(path: string, position: Position): { article: Article; text: string; offset: number } | undefined {
    const article = this.article(path);
    const text = this.openTexts.get(path) ?? this.textOf(path);
    if (!article || text === undefined) return undefined;
    let offset = article.lines.offsetAt(position);
    // A position between the halves of a surrogate pair (a client counting code points, or a fuzzer) is taken as the
    // one before the character: an edit made there would cut the character in two.
    if (offset > 0 && offset < text.length && isHighSurrogate(text.charCodeAt(offset - 1)) && isLowSurrogate(text.charCodeAt(offset))) offset--;
    return { article, text, offset };
  }

  /**
   * The problems of one article. While the index is incomplete, problems that depend on other articles are held back
   * (they would be false alarms); `severity` overrides the wiki's, for settings scoped to one folder.
   */
  problems(path: string, severity?: Record<ProblemCode, SeveritySetting>): Problem[] {
    const article = this.article(path);
    if (!article) return [];
    let problems = articleProblems(this.wiki, article, { severity });
    if (this.state !== 'ready') problems = problems.filter((p) => !NEEDS_INDEX.has(p.code) || (p.code === 'broken-heading' && p.data?.target === path));
    return problems;
  }

  completion(path: string, position: Position, maxItems?: number): CompletionListShape | undefined {
    const at = this.at(path, position);
    if (!at) return undefined;
    return completions({ wiki: this.wiki, article: at.article, text: at.text, offset: at.offset, titles: this.titles, maxItems, indexing: this.state !== 'ready', headings: this.headingSearch, textOf: (p) => this.textOf(p) });
  }

  /**
   * Whether completion at this place searches every heading (`[[##`), whose first search keys them all (0.35 s at
   * 50,000 articles): the language server then has them keyed in slices first (warmWorkspaceSymbols).
   */
  searchesHeadings(path: string, position: Position): boolean {
    const at = this.at(path, position);
    return !!at && completionContext(at.text, at.offset)?.kind === 'anyHeading';
  }

  /** completionItem/resolve: the documentation of an item that offers an article. */
  resolveCompletion(item: CompletionItemShape): CompletionItemShape {
    return completionDocumentation(this.wiki, item, (p) => this.textOf(p));
  }

  definition(path: string, position: Position): CoreLocation[] {
    const at = this.at(path, position);
    return at ? definition(this.wiki, at.article, at.text, at.offset, this.glossary) : [];
  }

  /** `imageUri`, given when the client draws images in hovers: the URI it reads an image file by. */
  hover(path: string, position: Position, imageUri?: (path: string) => string): HoverShape | undefined {
    const at = this.at(path, position);
    if (!at) return undefined;
    const imageOf = imageUri && ((p: string) => imagePreview(imageUri(p), () => this.workspace.readHead?.(p, IMAGE_HEAD_BYTES)));
    return hover(this.wiki, at.article, at.text, at.offset, this.glossary, (p) => this.textOf(p), imageOf);
  }

  references(path: string, position: Position, includeDeclaration: boolean, c: Cancellable = {}): CoreLocation[] {
    const at = this.at(path, position);
    return at ? references(this.wiki, at.article, at.offset, { includeDeclaration, isCancelled: c.isCancelled, text: at.text }) : [];
  }

  codeLenses(path: string, c: Cancellable = {}): CodeLensShape[] {
    const article = this.article(path);
    return article ? codeLenses(this.wiki, article, this.textOf(path), this.backlinkCounts, c.isCancelled) : [];
  }

  documentHighlights(path: string, position: Position): HighlightShape[] {
    const at = this.at(path, position);
    return at ? documentHighlights(this.wiki, at.article, at.offset, at.text) : [];
  }

  backlinks(path: string, c: Cancellable = {}): Backlink[] | undefined {
    const article = this.wiki.articles.get(path);
    if (!article) return undefined;
    return backlinksWithSentences(this.wiki, article, (p) => this.textOf(p), { isCancelled: c.isCancelled });
  }

  /** The article's local graph (features/graph.ts); undefined for a path that is not an article. */
  graph(path: string, options: Omit<GraphOptions, 'isCancelled'>, c: Cancellable = {}): GraphShape | undefined {
    const article = this.article(path);
    return article ? localGraph(this.wiki, article, { ...options, isCancelled: c.isCancelled }) : undefined;
  }

  /** What the article links to and which other articles its plain text names unlinked; undefined for a file not in the wiki or unreadable. */
  outgoing(path: string, c: Cancellable = {}): Outgoing | undefined {
    const search = this.outgoingSearch(path, c);
    return search && finish(search.steps);
  }

  /**
   * `outgoing` in steps (searchOutgoingMentions), for a server that answers other messages between them; once it has,
   * `current()` says whether the wiki is still as the search began (else its places may be out of date: start again).
   */
  outgoingSearch(path: string, c: Cancellable = {}): { steps: Generator<void, Outgoing>; current: () => boolean } | undefined {
    const article = this.article(path);
    const text = this.textOf(path);
    if (!article || text === undefined) return undefined;
    const wiki = this.wiki;
    const changes = wiki.changes;
    function* steps(): Generator<void, Outgoing> {
      // One pass over the links for both the answer and the articles the search leaves out.
      const links = outgoingLinks(wiki, article!);
      yield;
      const mentions = yield* searchOutgoingMentions(wiki, article!, text!, { isCancelled: c.isCancelled, links });
      return { links, mentions };
    }
    return { steps: steps(), current: () => this.wiki === wiki && wiki.changes === changes };
  }

  documentSymbols(path: string): DocumentSymbolShape[] {
    const article = this.article(path);
    return article ? documentSymbols(article) : [];
  }

  /** Does up to about `ms` of the work the next workspace symbol query would do first (HeadingSearch.warm); true once none is left. */
  warmWorkspaceSymbols(ms: number): boolean {
    const end = performance.now() + ms;
    return this.headingSearch.warm(this.wiki, () => performance.now() >= end);
  }

  workspaceSymbols(query: string, maxItems?: number, c: Cancellable = {}): WorkspaceSymbolShape[] {
    return workspaceSymbols(this.wiki, query, this.glossary, { maxItems, isCancelled: c.isCancelled, titles: this.titles, headings: this.headingSearch });
  }

  foldingRanges(path: string): FoldingRangeShape[] {
    const article = this.article(path);
    return article ? foldingRanges(article, this.textOf(path)) : [];
  }

  /** One chain per position (the protocol wants as many); just the positions when the article's text is not the analysed one. */
  selectionRanges(path: string, positions: Position[]): SelectionRangeShape[] {
    const article = this.article(path);
    const text = this.openTexts.get(path) ?? this.textOf(path);
    if (!article || text === undefined || text.length !== article.size) return positions.map((p) => ({ range: { start: p, end: p } }));
    return selectionRanges(article, text, positions.map((p) => article.lines.offsetAt(p)));
  }

  documentLinks(path: string, c: Cancellable = {}): DocumentLinkShape[] {
    const article = this.article(path);
    return article ? documentLinks(this.wiki, article, c.isCancelled) : [];
  }

  /** Where the article's `[[…]]` and `![[…]]` lead, for a markdown preview; undefined for a file not in the wiki. */
  previewLinks(path: string): PreviewLinkShape[] | undefined {
    const article = this.article(path);
    const text = this.openTexts.get(path) ?? this.textOf(path);
    if (!article || text === undefined || text.length !== article.size) return undefined;
    return previewLinks(this.wiki, article, text, (p) => this.textOf(p));
  }

  /** The semantic tokens of an open article (wiki links, tags, footnotes, comments), for editors without the grammar. */
  semanticTokens(path: string): SemanticToken[] {
    const at = this.at(path, { line: 0, character: 0 });
    return at ? semanticTokens(at.article, at.text) : [];
  }

  /** The links to insert for files dropped into an article, written as it writes links; undefined when none fits. */
  /** The link to where the cursor is: its heading, its block, or the article (see copyLink.ts). */
  linkToHere(path: string, position: Position): LinkHere | undefined {
    const at = this.at(path, position);
    return at && linkToHere(this.wiki, at.article, at.text, at.offset);
  }

  dropLinks(path: string, dropped: readonly string[]): string | undefined {
    const article = this.article(path);
    const text = this.openTexts.get(path) ?? this.textOf(path);
    if (!article || text === undefined) return undefined;
    return dropLinks(this.wiki, article, text, dropped);
  }
}

/** An article's outgoing links and the articles its text names without a link (features/outgoing.ts). */
export interface Outgoing {
  links: OutgoingLink[];
  mentions: OutgoingMentionResult;
}
