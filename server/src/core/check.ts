// The problems of every article of a wiki, for the command line's check: found in the index workers when the wiki is large, else in this thread, and with --cache kept from the last check where they still hold.
import { cacheDirProblem, unchangedByStat } from './cache';
import { articleProblems } from './diagnostics';
import { buildIndex, checkInWorkers, classify, type IndexOptions, type IndexReport } from './indexer';
import type { ArticleProblems } from './indexWorker';
import { changedKeys, loadCheckCache, saveCheckCache, stubOf, type CheckCache, type CheckEntry } from './problemCache';
import type { CoreSettings } from './settings';
import { decodeStubs } from './stubs';
import { hashText, Wiki, type Article } from './wiki';
import { NodeWorkspace } from './workspace';

export type { ArticleProblems };

/** The check cache is rewritten when at least this share of the articles had to be read or checked again. */
const REWRITE_SHARE = 0.02;

type Entry = CheckEntry & { keys: string[] };

/**
 * Every article, placeholders for oversized files included, in path order, with its problems. With `cacheDir`, see
 * problemCache.ts: a first check in the workers records what the cache keeps, and a later one reads and checks again
 * only what an edit can have changed.
 */
export function checkWiki(folders: string[], settings: CoreSettings, options: IndexOptions = {}): { workspace: NodeWorkspace; articles: ArticleProblems[]; report: IndexReport } {
  const workspace = new NodeWorkspace(folders, settings);
  const log = options.log ?? (() => undefined);
  let dir = options.cacheDir;
  const problem = dir === undefined ? undefined : cacheDirProblem(dir, workspace.folders);
  if (problem) {
    log(`check cache: ${problem}; checking without it`);
    dir = undefined;
  }
  let articles: ArticleProblems[];
  let report: IndexReport;
  const cache = dir === undefined ? undefined : loadCheckCache(dir, workspace.folders, settings, log);
  const parallel = cache ? undefined : checkInWorkers(new Wiki(workspace.folders, settings), workspace, { ...options, cacheDir: undefined, record: dir !== undefined });
  if (parallel) {
    ({ articles, report } = parallel);
    if (dir !== undefined) {
      const stat = new Map(parallel.files.map((f) => [f.path, f]));
      const placeholders = new Set(parallel.placeholders);
      const entries = new Map<string, Entry>();
      const wiki = new Wiki(workspace.folders, settings);
      for (const a of articles) {
        if (placeholders.has(a.path)) entries.set(a.path, placeholderEntry(wiki.addPlaceholder(a.path)));
        else if (a.record) {
          const f = stat.get(a.path)!;
          entries.set(a.path, { fileSize: f.size, mtimeMs: f.mtimeMs, size: a.record.size, hash: a.record.hash, stub: a.record.stub, keys: a.record.linkKeys, linkKeys: [], problems: a.problems });
        }
      }
      report.problemsFromCache = 0;
      saveCheckCache(dir, workspace.folders, settings, parallel.attachments, entries, log);
    }
  } else if (dir !== undefined) {
    ({ articles, report } = incrementalCheck(workspace, settings, dir, cache, log));
  } else {
    const wiki = new Wiki(workspace.folders, settings, { lazyBacklinks: true });
    report = buildIndex(wiki, workspace, options);
    wiki.rememberResolutions = true;
    articles = [...wiki.articles.values()].map((a) => ({ path: a.path, problems: articleProblems(wiki, a) }));
  }
  articles.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { workspace, articles, report };
}

function placeholderEntry(a: Article): Entry {
  return { fileSize: -1, mtimeMs: -1, size: a.size, hash: a.hash, stub: stubOf(a), keys: [], linkKeys: [], problems: [] };
}

/**
 * A check against the cache (or, with none, a check of everything in this thread): files whose size and mtime match
 * are not read; a file read whose text is the cached one is not scanned; the articles an edit can have affected
 * (problemCache.ts) are scanned and checked against stand-ins for all the others.
 */
function incrementalCheck(
  workspace: NodeWorkspace,
  settings: CoreSettings,
  dir: string,
  cache: CheckCache | undefined,
  log: (msg: string) => void,
): { articles: ArticleProblems[]; report: IndexReport } {
  const t0 = performance.now();
  const report: IndexReport = { articles: 0, attachments: 0, skipped: [], ms: 0, fromCache: 0, scanned: 0, workers: 0 };
  const wiki = new Wiki(workspace.folders, settings, { lazyBacklinks: true });
  wiki.rememberResolutions = true;
  const listed = classify(wiki, workspace, report);
  const now = new Map<string, Entry>();
  const scanned = new Map<string, Article>();
  let reread = 0;
  const scan = (path: string, text: string, f: { size: number; mtimeMs: number }): Entry => {
    // As a check's workers analyse (no glossary), with the hash and link keys the cache keeps.
    const a = wiki.analyse(path, text, true, true);
    scanned.set(path, a);
    report.scanned!++;
    return { fileSize: f.size, mtimeMs: f.mtimeMs, size: a.size, hash: a.hash, stub: stubOf(a), keys: a.linkKeys, linkKeys: [], problems: [] };
  };
  const read = (path: string, confined?: boolean): string | undefined => {
    try {
      return workspace.readText(path, confined);
    } catch (e) {
      // Deleted, unreadable or binary since the listing: said, and left out as a plain check leaves it out.
      report.skipped.push({ path, reason: e instanceof Error ? e.message : String(e) });
      return undefined;
    }
  };
  for (const f of listed.articles) {
    const old = cache?.entries.get(f.path);
    if (old && unchangedByStat(cache!, old, f.size, f.mtimeMs)) {
      now.set(f.path, old);
      continue;
    }
    const text = read(f.path, f.confined);
    if (text === undefined) continue;
    reread++;
    if (old && text.length === old.size && hashText(text) === old.hash) now.set(f.path, { ...old, fileSize: f.size, mtimeMs: f.mtimeMs });
    else now.set(f.path, scan(f.path, text, f));
  }
  for (const p of listed.placeholders) now.set(p, placeholderEntry(wiki.articles.get(p)!));
  const keys = changedKeys(cache, now, listed.attachments, settings.caseMode);
  const stale = new Set(scanned.keys());
  for (const [path, e] of now) if (!stale.has(path) && e.keys.some((k) => keys.has(k))) stale.add(path);
  if (stale.size > 0) {
    // The stale articles whole, the others as stand-ins: all a link is resolved against (stubs.ts).
    for (const [path, e] of now) {
      if (wiki.articles.has(path)) continue; // a placeholder
      const whole = scanned.get(path) ?? (stale.has(path) ? rescan(path, e) : undefined);
      if (whole) wiki.put(whole);
      else for (const a of decodeStubs(e.stub, (p) => wiki.folderOf(p))) wiki.put(a);
    }
    for (const path of stale) {
      const a = scanned.get(path);
      const e = now.get(path);
      if (a && e) now.set(path, { ...e, problems: articleProblems(wiki, a) });
    }
  }
  report.articles = now.size;
  report.attachments = listed.attachments.length;
  report.problemsFromCache = now.size - stale.size;
  report.fromCache = now.size - scanned.size;
  report.ms = performance.now() - t0;
  const gone = cache ? [...cache.entries.keys()].filter((p) => !now.has(p)).length : 0;
  if (!cache || stale.size + reread + gone >= REWRITE_SHARE * now.size) saveCheckCache(dir, workspace.folders, settings, listed.attachments, now, log);
  return { articles: [...now].map(([path, e]) => ({ path, problems: e.problems })), report };

  /** An unchanged article that an edit elsewhere may have affected: read and scanned again to be checked. */
  function rescan(path: string, e: Entry): Article | undefined {
    const text = read(path);
    if (text === undefined) {
      now.delete(path);
      stale.delete(path);
      return undefined;
    }
    const entry = scan(path, text, e);
    now.set(path, entry);
    return scanned.get(path);
  }
}
