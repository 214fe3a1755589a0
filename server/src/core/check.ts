// The problems of every article of a wiki, for the command line's check: found in the index workers when the wiki is large, else in this thread, and with --cache kept from the last check where they still hold.
import { cacheDirProblem, unchangedByStat } from './cache';
import { articleProblems } from './diagnostics';
import { buildIndex, checkWholeWiki, CheckPool, classify, splitJobs, type IndexOptions, type IndexReport } from './indexer';
import type { ArticleProblems, WorkFile } from './indexWorker';
import { changedKeys, loadCheckCache, saveCheckCache, stubKeys, stubOf, type CheckCache, type CheckEntry } from './problemCache';
import type { CoreSettings } from './settings';
import { decodeStubs, isRedirectStub, splitStubs, type StubBatch } from './stubs';
import { hashText, Wiki, type Article } from './wiki';
import { NodeWorkspace, type FileInfo } from './workspace';

export type { ArticleProblems };

/** The check cache is rewritten when at least this share of the articles had to be read or checked again. */
const REWRITE_SHARE = 0.02;
/**
 * A check against its cache hands its work to the check workers from this many articles to scan or check again.
 * Below it, starting them, warming each one's resolver and giving each the stand-ins of the whole wiki cost more than
 * they save: at 10,000 articles, 3,000 edited ones took 1.45 s in this thread and 1.8 s in the workers, all 10,000
 * 2.6–2.7 s either way; at 50,000, all edited took 13.3 s and 2.2 GB in this thread, 10.8 s and 1.8 GB in the
 * workers, and the most linked article renamed (36,000 linking articles) 10.1 s against 8.5 s.
 */
const MANY_FOR_WORKERS = 5000;

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
  const whole = cache ? undefined : checkWholeWiki(new Wiki(workspace.folders, settings, { lazyBacklinks: true }), workspace, { ...options, cacheDir: undefined, record: dir !== undefined });
  if (whole) {
    ({ articles, report } = whole);
    if (dir !== undefined) {
      const stat = new Map(whole.files.map((f) => [f.path, f]));
      const placeholders = new Set(whole.placeholders);
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
      saveCheckCache(dir, workspace.folders, settings, whole.attachments, entries, log);
    }
  } else if (dir !== undefined) {
    ({ articles, report } = incrementalCheck(workspace, settings, dir, cache, log, options));
  } else {
    // A check worker failed: the index is built again, in full.
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
 * (problemCache.ts) are scanned and checked against stand-ins for all the others. When there are many files to read
 * or articles to check (a branch switched, a fresh clone, a much linked article renamed), the check workers do it
 * (MANY_FOR_WORKERS), and this thread keeps only stand-ins rather than every article it scanned.
 */
function incrementalCheck(
  workspace: NodeWorkspace,
  settings: CoreSettings,
  dir: string,
  cache: CheckCache | undefined,
  log: (msg: string) => void,
  options: IndexOptions,
): { articles: ArticleProblems[]; report: IndexReport } {
  const t0 = performance.now();
  const report: IndexReport = { articles: 0, attachments: 0, skipped: [], ms: 0, fromCache: 0, scanned: 0, workers: 0 };
  const wiki = new Wiki(workspace.folders, settings, { lazyBacklinks: true });
  wiki.rememberResolutions = true;
  const listed = classify(wiki, workspace, report);
  const info = new Map(listed.articles.map((f) => [f.path, f]));
  const sizeOf = (path: string) => info.get(path)?.size ?? 0;
  const now = new Map<string, Entry>();
  const scanned = new Map<string, Article>();
  /** Articles the workers analysed and keep: they find their problems. */
  const held = new Set<string>();
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
  const touched: FileInfo[] = [];
  for (const f of listed.articles) {
    const old = cache?.entries.get(f.path);
    if (old && unchangedByStat(cache!, old, f.size, f.mtimeMs)) now.set(f.path, old);
    else touched.push(f);
  }
  let pool: CheckPool | undefined;
  const many = options.checkWorkersFrom ?? MANY_FOR_WORKERS;
  const startPool = (files: number) =>
    CheckPool.start(wiki, workspace, { ...options, cacheDir: undefined, record: true }, listed, files, (r) => {
      report.scanned! += r.scanned;
      for (const e of r.errors) {
        report.skipped.push(e);
        now.delete(e.path);
      }
      if (r.stubs) {
        for (const { path, stub } of splitStubs(r.stubs)) {
          held.add(path);
          const f = info.get(path)!;
          // Its text's length and hash, link keys and problems come with its problems (ArticleProblems.record).
          now.set(path, { fileSize: f.size, mtimeMs: f.mtimeMs, size: 0, hash: 0, stub, keys: [], linkKeys: [], problems: [] });
        }
      }
    }, many);
  /** A worker failed: the check is done again in this thread. */
  const inThread = (why: string) => {
    pool?.close();
    log(`check worker failed (${why}); checking in this thread instead`);
    return incrementalCheck(workspace, settings, dir, cache, log, { ...options, workers: 0 });
  };
  try {
    // Read here (a fresh clone's files are all touched, few changed); the changed ones scanned here, or by the
    // workers when there are many, which read them again: their texts are kept only until there are that many.
    const changed: { f: FileInfo; text: string | undefined }[] = [];
    for (const f of touched) {
      const old = cache?.entries.get(f.path);
      // With nothing cached to compare its text with, a file is read once, where it is scanned: a first check of the
      // 10,000-article bench wiki read every file here and again in the workers, and held 5,000 texts meanwhile.
      if (!old) {
        changed.push({ f, text: undefined });
        continue;
      }
      const text = read(f.path, f.confined);
      if (text === undefined) continue;
      reread++;
      if (old && text.length === old.size && hashText(text) === old.hash) now.set(f.path, { ...old, fileSize: f.size, mtimeMs: f.mtimeMs });
      else changed.push({ f, text: changed.length < many ? text : undefined });
    }
    if (changed.length >= many) pool = startPool(changed.length);
    if (pool) {
      const files = changed.map(({ f }): WorkFile => (f.confined ? { path: f.path, confined: true } : { path: f.path }));
      if (!pool.scan(splitJobs(files, sizeOf))) return inThread(pool.failure);
    } else {
      for (const { f, text } of changed) {
        const t = text ?? read(f.path, f.confined);
        if (t !== undefined) now.set(f.path, scan(f.path, t, f));
      }
    }
    for (const p of listed.placeholders) now.set(p, placeholderEntry(wiki.articles.get(p)!));
    const keys = changedKeys(cache, now, listed.attachments, settings.caseMode);
    const stale = new Set([...scanned.keys(), ...held]);
    // Links to a redirect page are judged by the article it leads to: a change there is a change for them too.
    for (const path of stale) {
      const e = now.get(path);
      if (e && isRedirectStub(e.stub)) for (const k of stubKeys(e.stub)) keys.add(k);
    }
    for (let depth = 0, redirects = true; redirects && depth < 8; depth++) {
      redirects = false;
      for (const [path, e] of now) {
        if (stale.has(path) || !e.keys.some((k) => keys.has(k))) continue;
        stale.add(path);
        if (!isRedirectStub(e.stub)) continue;
        for (const k of stubKeys(e.stub)) keys.add(k);
        redirects = true;
      }
    }
    if (!pool && stale.size >= many) pool = startPool(stale.size);
    if (stale.size > 0 && pool) {
      // The workers check every stale article (one scanned here is read again there) against stand-ins for the rest.
      const more: WorkFile[] = [];
      for (const path of stale) if (!held.has(path)) more.push(info.get(path)?.confined ? { path, confined: true } : { path });
      report.scanned! -= scanned.size; // counted again as the workers scan them
      if (more.length && !pool.scan(splitJobs(more, sizeOf))) return inThread(pool.failure);
      const rest: StubBatch = [];
      for (const [path, e] of now) if (!held.has(path) && !wiki.articles.has(path)) for (const x of e.stub) rest.push(x);
      const found = pool.problems([rest]);
      if (!found) return inThread(pool.failure);
      for (const p of found) {
        const e = now.get(p.path);
        if (e && p.record) now.set(p.path, { ...e, size: p.record.size, hash: p.record.hash, stub: p.record.stub, keys: p.record.linkKeys, problems: p.problems });
      }
      report.workers = pool.workers;
    } else if (stale.size > 0) {
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
    let checked = 0;
    for (const path of stale) if (now.has(path)) checked++;
    report.articles = now.size;
    report.attachments = listed.attachments.length;
    report.problemsFromCache = now.size - checked;
    report.fromCache = now.size - report.scanned!;
    report.ms = performance.now() - t0;
    const gone = cache ? [...cache.entries.keys()].filter((p) => !now.has(p)).length : 0;
    if (!cache || checked + reread + gone >= REWRITE_SHARE * now.size) saveCheckCache(dir, workspace.folders, settings, listed.attachments, now, log);
    return { articles: [...now].map(([path, e]) => ({ path, problems: e.problems })), report };
  } finally {
    pool?.close();
  }

  /** An unchanged article that an edit elsewhere may have affected: read and scanned again to be checked. */
  function rescan(path: string, e: Entry): Article | undefined {
    const text = read(path);
    if (text === undefined) {
      now.delete(path);
      return undefined;
    }
    const entry = scan(path, text, e);
    now.set(path, entry);
    return scanned.get(path);
  }
}
