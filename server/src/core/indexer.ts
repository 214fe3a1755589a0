// Loads a workspace into a Wiki: lists the files, reads and scans the articles (in worker threads when the wiki is large), reuses an on-disk cache, and says what it skipped and why.
// Measured on a 2-core machine (bench/): the scan is the cost (≈50 MB/s per thread); workers send compact facts
// (facts.ts) because cloning Article object graphs costs as much as scanning them again.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createRequire } from 'node:module';
import * as nodePath from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { finish, inTurns, nextTurn } from './steps';
import { cacheDirProblem, cacheFile, CacheWriter, loadCacheInSteps, unchangedByStat, type CachedFile, type CacheEntry, type LoadedCache } from './cache';
import { FactsDecoder } from './facts';
import { CheckKeeper, type CheckRecord, type StubBatch } from './stubs';
import type { ArticleProblems, WorkerInit, WorkFile, WorkJob, WorkResult } from './indexWorker';
import type { Problem } from './types';
import { isArticlePath, NodeWorkspace, type FileInfo, type Workspace } from './workspace';
import { articleProblems } from './diagnostics';
import { hashText, type Wiki } from './wiki';

export interface IndexReport {
  articles: number;
  attachments: number;
  skipped: { path: string; reason: string }[];
  ms: number;
  /** Articles taken from the on-disk cache without scanning. */
  fromCache?: number;
  /** Articles scanned (in this thread or in workers). */
  scanned?: number;
  /** Worker threads used (0: all in this thread). */
  workers?: number;
  /** Bytes of the cache written at the end, when one was. */
  cacheBytes?: number;
  /** In a check with a cache: articles whose problems were taken from the last check's. */
  problemsFromCache?: number;
}

export interface IndexOptions {
  onProgress?: (done: number, total: number) => void;
  /** Checked between files: a true answer stops the build (a newer one has been started). */
  isCancelled?: () => boolean;
  /** Paths to leave alone (open in an editor, whose text wins). */
  skip?: (path: string) => boolean;
  /** Folder of the on-disk index cache (the editor's storage folder, never inside the wiki); none when undefined. */
  cacheDir?: string;
  /** Worker threads for the scan: one per core by default; 0 scans in this thread. Used only for files on disk. */
  workers?: number;
  /** Where cache problems and worker failures are said. */
  log?: (msg: string) => void;
  /** Hears when the background cache write of `buildIndexInSlices` has finished (bytes written, 0 if it failed). */
  onCacheWritten?: (bytes: number) => void;
  /** How long after the build the background cache write starts (default 5 s: the first requests come first). */
  cacheDelayMs?: number;
  /** A true answer drops the background cache write (a newer one was begun). */
  cacheWriteCancelled?: () => boolean;
  /** What the background cache write awaits between its slices (default: the next turn of the event loop). */
  cachePause?: () => Promise<void>;
  /**
   * Given each article file's size and mtime as they were listed, before it was read: what a later rewrite of the
   * index cache records for it (a stamp taken after the read could pair a newer file with the older text).
   */
  stamps?: Map<string, FileInfo>;
  /**
   * For tests of the fallback only: the first worker fails at its first job, by throwing inside it or by exiting
   * (as a worker out of memory would), and the build must still be complete.
   */
  workerFault?: WorkerInit['fault'];
  /** For tests: SILENCE_MS. */
  workerSilenceMs?: number;
  /** For tests: a check against its cache uses its workers from this many articles to scan (check.ts, MANY_FOR_WORKERS). */
  checkWorkersFrom?: number;
  /** For tests: checkWholeWiki checks in this thread below this many bytes of articles (CHECK_IN_THREAD_BYTES). */
  checkInThreadBelow?: number;
  /** checkWholeWiki: each article's problems come with what the check cache keeps of it (ArticleProblems.record). */
  record?: boolean;
}

/** Below this many files to scan, starting workers (≈40 ms each) costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 150;
const JOB_FILES = 48;
const JOB_BYTES = 512 * 1024;
/** Jobs queued per worker, so it never waits for the main thread between two. */
const IN_FLIGHT = 2;
/**
 * A worker's young generation, smaller than V8's default: a worker's garbage is mostly texts and the objects of one
 * article's analysis, dead by the next collection, and more frequent, smaller collections copied less of what was
 * still live. Measured side by side at 10,000 articles: `check` 350 → 315 MB at its peak and no slower, a cold index
 * a little faster (with the string table of facts.ts and the early start of the workers: 3.10 → 2.85 s, medians
 * of 4 in alternation); 64 and 128 MB were slower and larger.
 */
const WORKER_YOUNG_MB = 16;
/** The background build writes the cache this long after it is done, in slices of CACHE_SLICE_MS. */
const CACHE_DELAY_MS = 5000;
/**
 * Short: each step of a request's way through the server (read, dispatch, the guard's turn, a handler's) may wait
 * behind one slice. At 50,000 articles, with slices of 8 ms, a request that the server does not know was answered in
 * 16–26 ms all the while the cache was written; with 1 ms, in 4–5 ms, and the write takes 1.7 s (1.2 s in slices of 4 ms).
 */
const CACHE_SLICE_MS = 1;
/** A synchronous build that hears nothing from its workers for this long finishes in this thread. */
const STALL_MS = 60_000;
/**
 * How long a worker with work in hand may go without a sign of life (a file or an article done, an answer) before a
 * synchronous build takes its work over. Blocked in Atomics.wait, this thread cannot hear a worker's `exit` or
 * `error` events, so a worker that died without a word (out of memory) had cost a whole STALL_MS. Workers count each
 * file and article they finish in a shared array, which this thread can read while it waits.
 */
const SILENCE_MS = 10_000;

/** Sizes as a writer reads them: a limit set below a megabyte must not read "0.0 MB is over the 0.0 MB limit". */
function formatSize(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * Lists the folders: articles to read, attachments and oversized files (both put into `wiki` at once). `files`: the
 * listing, when the caller made it itself (in steps).
 */
export function classify(
  wiki: Wiki,
  workspace: Workspace,
  report: IndexReport,
  files = workspace.listFiles((path, reason) => report.skipped.push({ path, reason })),
): Classified {
  return finish(classifyInSteps(wiki, report, files));
}

interface Classified {
  articles: FileInfo[];
  attachments: string[];
  placeholders: string[];
}

/**
 * How long a build in slices works before a request may be read: a request's way through the server takes several
 * turns of the event loop, each behind a slice, and the index workers take the cores meanwhile (with 25 ms, a bare
 * request took about 100 ms all through a restart from the cache at 50,000 articles, and 100–140 ms while the files
 * of a cold start were listed).
 */
const BUILD_SLICE_MS = 5;
/** Files classified per step: about a millisecond's work at 50,000 files (46 ms for all of them). */
const CLASSIFY_STEP = 1024;

function* classifyInSteps(wiki: Wiki, report: IndexReport, files: FileInfo[]): Generator<void, Classified> {
  const articles: FileInfo[] = [];
  const attachments: string[] = [];
  const placeholders: string[] = [];
  let n = 0;
  for (const f of files) {
    if (++n % CLASSIFY_STEP === 0) yield;
    const folder = wiki.folderOf(f.path);
    if (!folder) continue;
    const rel = f.path.slice(folder.length + 1);
    if (isArticlePath(rel, wiki.settings)) {
      if (f.size > wiki.settings.maxFileSize) {
        report.skipped.push({ path: f.path, reason: `${formatSize(f.size)} is over the ${formatSize(wiki.settings.maxFileSize)} limit (linkedArticles.maxFileSizeMB); left out of the index` });
        wiki.addPlaceholder(f.path);
        placeholders.push(f.path);
        continue;
      }
      articles.push(f);
    } else if (!/(^|\/)\./.test(rel)) {
      wiki.addAttachment(f.path);
      attachments.push(f.path);
      report.attachments++;
    }
  }
  return { articles, attachments, placeholders };
}

function* cacheableOf(wiki: Wiki, files: FileInfo[]): Generator<CachedFile> {
  for (const f of files) {
    const a = wiki.articles.get(f.path);
    // Articles open in an editor hold the editor's text, not the file's.
    if (a && !a.open) yield { article: a, fileSize: f.size, mtimeMs: f.mtimeMs };
  }
}

/** The worker script beside this module: dist/indexWorker.js in the bundle; under tsx (tests), the TypeScript source through tsx's loader. */
function workerScript(): { file: string; eval?: boolean } | undefined {
  const js = nodePath.join(__dirname, 'indexWorker.js');
  if (fs.existsSync(js)) return { file: js };
  const ts = nodePath.join(__dirname, 'indexWorker.ts');
  if (!fs.existsSync(ts)) return undefined;
  try {
    // Node refuses a .ts file as a worker's main module before any loader runs, so a small script registers tsx first.
    const api = createRequire(__filename).resolve('tsx/cjs/api');
    return { file: `require(${JSON.stringify(api)}).register(); require(${JSON.stringify(ts)});`, eval: true };
  } catch {
    return undefined;
  }
}

interface PoolWorker {
  worker: Worker;
  port: MessagePort;
  jobs: Map<number, WorkFile[]>;
  dead: boolean;
  /** Its slot in Pool.beats, the count last read there, and when it last showed a sign of life. */
  index: number;
  beat: number;
  signAt: number;
}

/** One build: the plan (cache hits, files to scan), the results as they come, the cache written at the end. */
class Build {
  readonly report: IndexReport = { articles: 0, attachments: 0, skipped: [], ms: 0, fromCache: 0, scanned: 0, workers: 0 };
  private readonly t0 = performance.now();
  private files: FileInfo[] = [];
  /** Paths of the attachments and of the articles too large to index, as classify found them. */
  attachments: string[] = [];
  placeholders: string[] = [];
  private readonly info = new Map<string, FileInfo>();
  private cache: LoadedCache | undefined;
  /** Files whose cache entry matched by stat: decoded from the cache without reading them. */
  hits: { path: string; entry: CacheEntry }[] = [];
  /** Files to read (and scan unless their hash matches the cache). */
  queue: WorkFile[] = [];
  done = 0;
  private lastProgress = 0;
  private changed = false;
  /** Files that differ from the cache by stat (changed, touched or new), and cached files that are gone. */
  private differing = 0;
  private readonly log: (msg: string) => void;
  /** Each worker's strings, in the order it sent them: its records refer to them by index. */
  private readonly strings = new Map<PoolWorker, string[]>();
  /** A check in this thread (inThread's `forCheck`): per article its local problems (footnotes, reference links) and, when recording, its CheckRecord. */
  readonly checkKept = new Map<string, { local: Problem[]; record?: CheckRecord }>();
  private checkKeeper: CheckKeeper | undefined;

  constructor(
    readonly wiki: Wiki,
    readonly workspace: Workspace,
    readonly options: IndexOptions,
  ) {
    this.log = options.log ?? ((msg) => process.stderr.write(msg + '\n'));
  }

  /**
   * As `plan`, a step at a time (the listing too where the workspace can: `listFilesInSteps`), this thread's turn given
   * up every `sliceMs`: at 50,000 articles, listing and planning had held a server 0.47 s before its first answer.
   */
  async planInSlices(sliceMs: number): Promise<void> {
    const steps = this.workspace.listFilesInSteps?.((path, reason) => this.report.skipped.push({ path, reason }));
    const listed = steps ? await inTurns(steps, sliceMs) : undefined;
    await inTurns(this.planInSteps(listed), sliceMs);
  }

  plan(listed?: FileInfo[]): void {
    finish(this.planInSteps(listed));
  }

  private *planInSteps(listed = this.workspace.listFiles((path, reason) => this.report.skipped.push({ path, reason }))): Generator<void, void> {
    const found = yield* classifyInSteps(this.wiki, this.report, listed);
    this.files = found.articles;
    if (this.options.stamps) for (const f of this.files) this.options.stamps.set(f.path, f);
    this.attachments = found.attachments;
    this.placeholders = found.placeholders;
    const dir = this.options.cacheDir;
    if (dir) {
      const problem = cacheDirProblem(dir, this.wiki.folders);
      if (problem) {
        this.log(`index cache: ${problem}; indexing without it`);
        this.options.cacheDir = undefined;
      } else this.cache = yield* loadCacheInSteps(dir, this.wiki.folders, this.wiki.settings, this.log);
    }
    let cachedAndListed = 0;
    let n = 0;
    for (const f of this.files) {
      if (++n % CLASSIFY_STEP === 0) yield;
      this.info.set(f.path, f);
      const entry = this.cache?.entries.get(f.path);
      if (entry) cachedAndListed++;
      if (entry && unchangedByStat(this.cache!, entry, f.size, f.mtimeMs)) this.hits.push({ path: f.path, entry });
      else {
        const work: WorkFile = entry ? { path: f.path, cachedSize: entry.size, cachedHash: entry.hash } : { path: f.path };
        if (f.confined) work.confined = true;
        this.queue.push(work);
        this.changed = true;
      }
    }
    if (this.cache && this.cache.entries.size !== this.hits.length) this.changed = true;
    this.differing = this.queue.length + (this.cache ? this.cache.entries.size - cachedAndListed : 0);
    this.options.onProgress?.(0, this.files.length);
  }

  /**
   * Plans to read these articles' files again (changed on disk since the index was built), not the whole wiki, and
   * without the index cache; files over the size limit become placeholders, as in `plan`.
   */
  planFiles(paths: string[]): void {
    for (const path of paths) {
      let size = 0;
      let mtimeMs = 0;
      try {
        ({ size, mtimeMs } = fs.statSync(path));
      } catch {
        // Gone since the event: reading it says so, and the article goes (apply).
      }
      if (size > this.wiki.settings.maxFileSize) {
        this.report.skipped.push({ path, reason: `${formatSize(size)} is over the ${formatSize(this.wiki.settings.maxFileSize)} limit (linkedArticles.maxFileSizeMB); left out of the index` });
        if (!this.options.skip?.(path)) this.wiki.addPlaceholder(path);
        continue;
      }
      const f: FileInfo = { path, size, mtimeMs };
      this.options.stamps?.set(path, f);
      this.files.push(f);
      this.info.set(path, f);
      this.queue.push({ path });
    }
    this.options.onProgress?.(0, this.files.length);
  }

  get total(): number {
    return this.files.length;
  }

  /** The articles' files as the plan listed them. */
  get fileInfos(): FileInfo[] {
    return this.files;
  }

  progress(force = false): void {
    const now = performance.now();
    if (!this.options.onProgress || (!force && now - this.lastProgress < 50)) return;
    this.lastProgress = now;
    this.options.onProgress(this.done, this.files.length);
  }

  logError(msg: string): void {
    this.log(msg);
  }

  cancelled(): boolean {
    return !!this.options.isCancelled?.();
  }

  private putArticle(article: Parameters<Wiki['put']>[0]): void {
    if (this.options.skip?.(article.path)) return;
    this.wiki.put(article);
    this.report.articles++;
  }

  fromCache(path: string, entry: CacheEntry): void {
    this.done++;
    if (this.options.skip?.(path)) return;
    this.putArticle(this.cache!.decoder.article(entry.at, (p) => this.wiki.folderOf(p)));
    this.report.fromCache!++;
  }

  /**
   * Reads and scans one file in this thread, as the workers do. `forCheck`: for a check that is over when this
   * thread is done, analysed and kept as a check's workers do (no glossary, link keys or hash; kept slim, its text
   * let go: at 61 MB of articles the check took 157 MB instead of 291, and was 6% faster).
   */
  inThread(f: WorkFile, forCheck = false): void {
    this.done++;
    if (this.options.skip?.(f.path)) return;
    try {
      const text = this.workspace.readText(f.path, f.confined);
      if (f.cachedHash !== undefined && f.cachedSize === text.length && hashText(text) === f.cachedHash) {
        this.fromCacheCounted(f.path);
        return;
      }
      if (forCheck) {
        const { local, record } = (this.checkKeeper ??= new CheckKeeper(this.wiki, !!this.options.record)).keep(this.wiki.analyse(f.path, text, true), text);
        this.checkKept.set(f.path, record ? { local, record } : { local });
      } else this.wiki.upsert(f.path, text);
      this.report.articles++;
      this.report.scanned!++;
    } catch (e) {
      // A file deleted, unreadable or binary while we index is reported and passed over, never fatal.
      this.report.skipped.push({ path: f.path, reason: e instanceof Error ? e.message : String(e) });
      this.wiki.remove(f.path);
    }
  }

  private fromCacheCounted(path: string): void {
    const entry = this.cache!.entries.get(path)!;
    this.putArticle(this.cache!.decoder.article(entry.at, (p) => this.wiki.folderOf(p)));
    this.report.fromCache!++;
  }

  /** Takes a worker's answer into the index. */
  apply(r: WorkResult, w: PoolWorker): void {
    let table = this.strings.get(w);
    if (!table) this.strings.set(w, (table = []));
    // A worker's results come in the order it sent them, each extending its table where the last one ended.
    if (r.stringBase !== table.length) throw new Error(`index worker's strings start at ${r.stringBase}, expected ${table.length}`);
    for (const s of r.strings) table.push(s);
    const dec = new FactsDecoder(r.ints, table);
    while (!dec.done) {
      const { at } = dec.peek();
      this.putArticle(dec.article(at, (p) => this.wiki.folderOf(p)));
      this.done++;
    }
    this.wiki.stats.parses += r.scanned;
    this.report.scanned! += r.scanned;
    for (const path of r.unchanged) {
      this.done++;
      if (!this.options.skip?.(path)) this.fromCacheCounted(path);
    }
    for (const e of r.errors) {
      this.done++;
      this.report.skipped.push(e);
      if (!this.options.skip?.(e.path)) this.wiki.remove(e.path);
    }
  }

  useWorkers(): number {
    return this.workersFor(this.queue.length);
  }

  /** Workers worth starting for this many files to read. */
  workersFor(files: number, least = MIN_FILES_FOR_WORKERS): number {
    if (files < least) return 0;
    return Math.min(this.mostWorkers(), Math.ceil(files / JOB_FILES));
  }

  private mostWorkers(): number {
    if (this.options.workers === 0 || !(this.workspace instanceof NodeWorkspace) || !workerScript()) return 0;
    const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    return Math.max(1, Math.min(this.options.workers ?? cores, 16));
  }

  /**
   * Workers to start before the plan, so that they start up (0.15 s) while this thread lists and stats the files
   * (0.23 s at 10,000 articles): only for a cold build (no index cache to read) of a wiki whose folders alone hold
   * enough files to need them. `useWorkers` later says how many are kept.
   */
  earlyWorkers(): number {
    const dir = this.options.cacheDir;
    if (dir && fs.existsSync(cacheFile(dir, this.wiki.folders))) return 0;
    // The entries of each folder and of its subfolders, no deeper: a wiki exported into one subfolder still counts.
    const enough = MIN_FILES_FOR_WORKERS * 2;
    let files = 0;
    const dirs = [...this.wiki.folders];
    for (let i = 0; i < dirs.length && files < enough; i++) {
      // Read only until there are enough: reading the whole top folder of the 50,000-article bench wiki (25,000
      // entries) held a starting server 40 ms.
      let d: fs.Dir | undefined;
      try {
        d = fs.opendirSync(dirs[i]);
        for (let e = d.readSync(); e && files < enough; e = d.readSync()) {
          files++;
          if (i < this.wiki.folders.length && e.isDirectory() && !e.name.startsWith('.')) dirs.push(nodePath.join(dirs[i], e.name));
        }
      } catch {
        // Reported by the listing itself.
      } finally {
        try {
          d?.closeSync();
        } catch {
          // already closed
        }
      }
    }
    return files >= enough ? this.mostWorkers() : 0;
  }

  /** Splits the queue into jobs of about JOB_FILES files or JOB_BYTES bytes. */
  jobs(): WorkFile[][] {
    return splitJobs(this.queue, (path) => this.info.get(path)?.size ?? 0);
  }

  finishReport(): IndexReport {
    this.report.ms = performance.now() - this.t0;
    return this.report;
  }

  /**
   * The cache is rewritten when anything differs from it (or there was none); with `minShare`, only when at least
   * that share of the files differ from it.
   */
  cacheWriter(minShare = 0): CacheWriter | undefined {
    const dir = this.options.cacheDir;
    if (!dir || !this.changed || this.cancelled()) return undefined;
    if (this.cache && this.differing < minShare * this.files.length) return undefined;
    return new CacheWriter(dir, this.wiki.folders, this.wiki.settings, this.log);
  }

  /**
   * The articles to write into the cache with their files' stamps as listed, found as they are asked for: the cache
   * write takes them seconds later, in slices (finding all 50,000 at once had held the server 25–55 ms as its index
   * became complete). An article read again since keeps the stamp listed before, so the next start reads it again.
   * It holds the wiki and the listing, not the build.
   */
  cacheable(): Iterable<CachedFile> {
    return cacheableOf(this.wiki, this.files);
  }

  dropCache(): void {
    this.cache = undefined;
    this.hits = [];
  }
}

class Pool {
  readonly workers: PoolWorker[] = [];
  readonly signal = new Int32Array(new SharedArrayBuffer(4));
  /** Each worker's count of files and articles done: its sign of life (SILENCE_MS). */
  readonly beats: Int32Array;
  private nextId = 0;
  private readonly pending: WorkFile[][] = [];
  private readonly orphaned: WorkFile[] = [];

  constructor(
    n: number,
    build: Build,
    private readonly onResult: (r: WorkResult, w: PoolWorker) => void,
    private readonly onDeath: (w: PoolWorker, why: string) => void,
    check?: WorkerInit['check'],
  ) {
    const script = workerScript()!;
    this.beats = new Int32Array(new SharedArrayBuffer(4 * n));
    for (let i = 0; i < n; i++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(script.file, {
        eval: script.eval,
        workerData: {
          kind: 'linked-articles-index-worker',
          folders: build.wiki.folders,
          settings: build.wiki.settings,
          port: port2,
          signal: this.signal,
          beats: this.beats,
          index: i,
          check,
          fault: i === 0 ? build.options.workerFault : undefined,
        } satisfies WorkerInit & { kind: string },
        transferList: [port2],
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
      });
      const pw: PoolWorker = { worker, port: port1, jobs: new Map(), dead: false, index: i, beat: 0, signAt: performance.now() };
      worker.on('error', (e) => this.onDeath(pw, e instanceof Error ? e.message : String(e)));
      worker.on('exit', (code) => {
        if (!pw.dead && pw.jobs.size) this.onDeath(pw, `exited with code ${code}`);
      });
      this.workers.push(pw);
    }
  }

  /** Adds jobs and stops the workers beyond the first `keep` (a pool started before the plan knew their number). */
  enqueue(jobs: WorkFile[][], keep = this.workers.length): void {
    for (const w of this.workers.splice(keep)) {
      w.dead = true;
      w.port.close();
      void w.worker.terminate();
    }
    for (const j of jobs) this.pending.push(j);
  }

  /** Keeps every live worker IN_FLIGHT jobs ahead. */
  dispatch(): void {
    for (const w of this.workers) {
      while (!w.dead && w.jobs.size < IN_FLIGHT && this.pending.length) {
        // The time a worker spent without work is not silence.
        if (w.jobs.size === 0) w.signAt = performance.now();
        const files = this.pending.shift()!;
        const job: WorkJob = { id: this.nextId++, files };
        w.jobs.set(job.id, files);
        w.worker.postMessage(job);
      }
    }
  }

  /** In a check: hands a worker the others' stand-ins and asks for its articles' problems. */
  askProblems(w: PoolWorker, others: StubBatch[]): void {
    const job: WorkJob = { id: this.nextId++, files: [], others };
    if (w.jobs.size === 0) w.signAt = performance.now();
    w.jobs.set(job.id, []);
    w.worker.postMessage(job);
  }

  get outstanding(): number {
    let n = this.pending.length + this.orphaned.length;
    for (const w of this.workers) n += w.jobs.size;
    return n;
  }

  /**
   * Takes answers as they come, blocking this thread between them, until every job is answered or `idle` says stop.
   * `idle` hears, when none has come, how long it has been quiet: 'again' looks at once, 'wait' waits for a signal.
   */
  serve(idle: (quietMs: number) => 'wait' | 'again' | 'stop', onAnswers?: () => void): void {
    let quietSince = performance.now();
    while (this.outstanding > 0) {
      const seen = Atomics.load(this.signal, 0);
      if (this.drain()) {
        quietSince = performance.now();
        this.dispatch();
        onAnswers?.();
        continue;
      }
      const next = idle(performance.now() - quietSince);
      if (next === 'stop') return;
      if (next === 'wait') Atomics.wait(this.signal, 0, seen, 200);
    }
  }

  /** Takes whatever results have arrived, without waiting; true when there were any. */
  drain(): boolean {
    let got = false;
    for (const w of this.workers) {
      for (let m = receiveMessageOnPort(w.port); m; m = receiveMessageOnPort(w.port)) {
        got = true;
        this.received(m.message as WorkResult, w);
      }
    }
    return got;
  }

  received(r: WorkResult, w: PoolWorker): void {
    // A worker given up for silent has had its work done elsewhere: a late answer of its would count it twice.
    if (w.dead) return;
    w.signAt = performance.now();
    const files = w.jobs.get(r.id) ?? [];
    w.jobs.delete(r.id);
    if (r.fatal) {
      // Its files are done by the main thread; the worker is not trusted with more.
      w.dead = true;
      this.orphaned.push(...files);
      this.onDeath(w, r.fatal);
    } else this.onResult(r, w);
  }

  /**
   * Gives up each live worker that holds work but has shown no sign of life for `limitMs` (see SILENCE_MS): it is
   * stopped and its jobs become orphans. Returns how many were given up.
   */
  giveUpSilent(limitMs: number): number {
    const now = performance.now();
    let n = 0;
    for (const w of this.workers) {
      if (w.dead || w.jobs.size === 0) continue;
      const beat = Atomics.load(this.beats, w.index);
      if (beat !== w.beat) {
        w.beat = beat;
        w.signAt = now;
      } else if (now - w.signAt > limitMs) {
        w.dead = true;
        w.port.close();
        void w.worker.terminate();
        n++;
      }
    }
    return n;
  }

  /** Jobs a dead worker held or that nobody will take: the caller does them itself. */
  orphans(): WorkFile[] {
    const out: WorkFile[] = this.orphaned.splice(0);
    for (const w of this.workers) if (w.dead) for (const files of w.jobs.values()) out.push(...files);
    for (const w of this.workers) if (w.dead) w.jobs.clear();
    if (this.workers.every((w) => w.dead)) out.push(...this.pending.splice(0).flat());
    return out;
  }

  close(): void {
    for (const w of this.workers) {
      w.dead = true;
      w.port.close();
      void w.worker.terminate();
    }
  }
}

/**
 * The command line (`wanted`, `backlinks`) keeps its index cache as it is while fewer than this share of the files
 * differ from it: rewriting the 10,000-article cache for one edited file took 0.5 s (of a 2.2 s `check --cache`, when
 * check still used this cache), where reading and scanning that file again on each later run takes a millisecond. (The server writes in the background, after its first answers,
 * and always rewrites.)
 */
const SYNC_REWRITE_SHARE = 0.02;

/** Builds the whole index in one go (the command line); workers scan while this thread waits. */
export function buildIndex(wiki: Wiki, workspace: Workspace, options: IndexOptions = {}): IndexReport {
  const b = new Build(wiki, workspace, options);
  let fatal: string | undefined;
  const start = (n: number) =>
    new Pool(
      n,
      b,
      (r, w) => b.apply(r, w),
      (w, why) => {
        w.dead = true;
        fatal = why;
      },
    );
  const early = b.earlyWorkers();
  let pool = early > 0 ? start(early) : undefined;
  try {
    b.plan();
    for (const h of b.hits) b.fromCache(h.path, h.entry);
    const n = b.useWorkers();
    if (n === 0) {
      pool?.close();
      pool = undefined;
      for (const f of b.queue) {
        b.inThread(f);
        b.progress();
      }
    } else {
      b.report.workers = n;
      const p = (pool ??= start(n));
      p.enqueue(b.jobs(), n);
      p.dispatch();
      p.serve(
        (quietMs) => {
          const silence = options.workerSilenceMs ?? SILENCE_MS;
          if (p.giveUpSilent(silence) > 0) fatal ??= `no sign of life for ${silence} ms`;
          const stalled = quietMs > STALL_MS;
          if (stalled) for (const w of p.workers) w.dead = true;
          const orphans = p.orphans();
          if (orphans.length) {
            // A worker failed (or went silent): what it held is done here, so the index is complete all the same.
            b.logError(`index worker failed (${fatal ?? 'no answer'}); indexing its files in this thread`);
            for (const f of orphans) b.inThread(f);
          }
          if (stalled) return 'stop';
          return orphans.length ? 'again' : 'wait';
        },
        () => b.progress(),
      );
    }
  } finally {
    pool?.close();
  }
  b.progress(true);
  const writer = b.cacheWriter(SYNC_REWRITE_SHARE);
  if (writer && !writer.problem) {
    for (const f of b.cacheable()) writer.add(f);
    b.report.cacheBytes = writer.write();
  }
  b.dropCache();
  return b.finishReport();
}

/**
 * Check workers: each analyses the files it is given and keeps its articles (slim, stubs.ts), and once told what the
 * rest of the wiki holds (stand-ins), finds its own articles' problems. Used for a whole check (checkWholeWiki) and
 * for the articles an edit can have affected in a check against its cache (check.ts).
 */
export class CheckPool {
  private readonly pool: Pool;
  private failed: string | undefined;
  /** Stand-ins of the articles each worker holds, as it sent them. */
  private readonly held = new Map<PoolWorker, StubBatch[]>();
  private readonly found: ArticleProblems[] = [];

  private constructor(
    private readonly b: Build,
    n: number,
    record: boolean,
    onScanned: (r: WorkResult) => void,
  ) {
    this.pool = new Pool(
      n,
      b,
      (r, w) => {
        if (r.problems) {
          for (const p of r.problems) this.found.push(p);
          return;
        }
        let list = this.held.get(w);
        if (!list) this.held.set(w, (list = []));
        if (r.stubs && r.stubs.length) list.push(r.stubs);
        onScanned(r);
      },
      (w, why) => {
        w.dead = true;
        this.failed ??= why;
      },
      { attachments: b.attachments, placeholders: b.placeholders, record },
    );
  }

  /**
   * Workers for `files` files to read of a wiki whose attachments and oversized files are these; undefined when they
   * would cost more than they save (fewer files than `least`) or cannot be had.
   */
  static start(
    wiki: Wiki,
    workspace: Workspace,
    options: IndexOptions,
    wikiFiles: { attachments: string[]; placeholders: string[] },
    files: number,
    onScanned: (r: WorkResult) => void,
    least?: number,
  ): CheckPool | undefined {
    const b = new Build(wiki, workspace, options);
    b.attachments = wikiFiles.attachments;
    b.placeholders = wikiFiles.placeholders;
    const n = b.workersFor(files, least);
    return n > 0 ? new CheckPool(b, n, !!options.record, onScanned) : undefined;
  }

  get workers(): number {
    return this.pool.workers.length;
  }

  /** Why a worker failed, once one has. */
  get failure(): string {
    return this.failed ?? 'no answer';
  }

  /** Reads the files of these jobs (splitJobs), and analyses and keeps those not unchanged (WorkFile.cachedHash); false if a worker failed. */
  scan(jobs: WorkFile[][]): boolean {
    this.pool.enqueue(jobs);
    this.pool.dispatch();
    return this.settle();
  }

  /** The problems of every article the workers hold, each against the others' stand-ins and `rest`; undefined if a worker failed. */
  problems(rest: StubBatch[] = []): ArticleProblems[] | undefined {
    for (const w of this.pool.workers) {
      if (!this.held.has(w)) continue; // it holds no article
      this.pool.askProblems(w, [...this.held].filter(([other]) => other !== w).flatMap(([, list]) => list).concat(rest));
    }
    return this.settle() ? this.found : undefined;
  }

  close(): void {
    this.pool.close();
  }

  /** Waits until every job is answered; false if a worker failed or went silent. */
  private settle(): boolean {
    const options = this.b.options;
    this.pool.serve((quietMs) => {
      if (this.failed !== undefined || this.pool.workers.some((w) => w.dead)) return 'stop';
      const silence = options.workerSilenceMs ?? SILENCE_MS;
      if (this.pool.giveUpSilent(silence) > 0) this.failed = `no sign of life for ${silence} ms`;
      else if (quietMs > STALL_MS) this.failed = 'no answer';
      return this.failed === undefined ? 'wait' : 'stop';
    });
    return this.failed === undefined && this.pool.outstanding === 0;
  }
}

/** Splits files into jobs of about JOB_FILES files or JOB_BYTES bytes. */
export function splitJobs(files: WorkFile[], sizeOf: (path: string) => number): WorkFile[][] {
  const out: WorkFile[][] = [];
  let cur: WorkFile[] = [];
  let bytes = 0;
  for (const f of files) {
    cur.push(f);
    bytes += sizeOf(f.path);
    if (cur.length >= JOB_FILES || bytes >= JOB_BYTES) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

/**
 * Below this many bytes of articles to read, a check is done in this thread, analysing and keeping articles as a
 * check's workers do: starting the workers, swapping stand-ins, warming two resolvers and collecting two heaps cost
 * more than a second core saves. Measured with the bundled code, in alternation (this thread against the workers):
 * 36 MB (owasp-wiki) 0.95 against 1.3 s, 106 MB (the 10,000-article bench wiki) 1.55 s and 2.0 s of CPU against
 * 1.64 s and 3.0 s (medians of 10; 204 against 318 MB), 523 MB 9.3 against 7.2 s: the two cross between, near
 * 130 MB by the two runs' costs per megabyte.
 */
const CHECK_IN_THREAD_BYTES = 128 * 1024 * 1024;

/**
 * Checks the whole wiki without building the full index. Split across the check workers: each analyses its share and
 * keeps it, the workers swap stand-ins for their articles (names and headings, stubs.ts), and each finds its own
 * articles' problems; only stand-ins and problems cross threads, and links are resolved on every core. On the
 * 10,000-article bench wiki `check` took 3.9 s the other way (workers' facts to this thread, then every article checked
 * here). A small wiki (CHECK_IN_THREAD_BYTES, or too few files for workers) is checked in this thread.
 * With `record` (a first check --cache), each article's problems come with what the check cache keeps of it, in
 * this thread as in the workers. Undefined when it cannot be done so (an index cache to use; a worker failed): the
 * caller then does it its own way. Placeholders for oversized files are listed,
 * without problems.
 */
export function checkWholeWiki(
  wiki: Wiki,
  workspace: Workspace,
  options: IndexOptions = {},
): { articles: ArticleProblems[]; report: IndexReport; files: FileInfo[]; attachments: string[]; placeholders: string[] } | undefined {
  if (options.cacheDir) return undefined;
  const b = new Build(wiki, workspace, options);
  b.plan();
  let bytes = 0;
  for (const f of b.fileInfos) bytes += f.size;
  const small = bytes < (options.checkInThreadBelow ?? CHECK_IN_THREAD_BYTES);
  const pool = small
    ? undefined
    : CheckPool.start(wiki, workspace, options, b, b.queue.length, (r) => {
        b.report.scanned! += r.scanned;
        b.report.articles += r.scanned;
        for (const e of r.errors) b.report.skipped.push(e);
      });
  if (!pool) {
    for (const f of b.queue) b.inThread(f, true);
    wiki.rememberResolutions = true;
    const articles = [...wiki.articles.values()].map((a): ArticleProblems => {
      const kept = b.checkKept.get(a.path);
      const found: ArticleProblems = { path: a.path, problems: articleProblems(wiki, a, { local: kept?.local }) };
      if (kept?.record) found.record = kept.record;
      return found;
    });
    b.report.articles += b.placeholders.length;
    return { articles, report: b.finishReport(), files: b.fileInfos, attachments: b.attachments, placeholders: b.placeholders };
  }
  b.report.workers = pool.workers;
  try {
    const found = pool.scan(b.jobs()) ? pool.problems() : undefined;
    if (found) {
      for (const path of b.placeholders) found.push({ path, problems: [] });
      b.report.articles += b.placeholders.length;
      return { articles: found, report: b.finishReport(), files: b.fileInfos, attachments: b.attachments, placeholders: b.placeholders };
    }
    b.logError(`index worker failed (${pool.failure}); checking with the whole index built again instead`);
    return undefined;
  } finally {
    pool.close();
  }
}

/**
 * Builds the index without blocking this thread for more than about `sliceMs` at a time, so requests about open
 * documents are answered at once: workers scan, this thread takes their facts in as they arrive.
 */
export async function buildIndexInSlices(wiki: Wiki, workspace: Workspace, options: IndexOptions & { sliceMs?: number; planSliceMs?: number } = {}): Promise<IndexReport> {
  return inSlices(new Build(wiki, workspace, options), options);
}

/**
 * Reads again the articles whose files changed on disk in one batch (a branch switched, a pull), as the index is
 * built: in the workers when there are many, taking their facts in slices, so that requests are answered meanwhile
 * and the articles stay packed. Edited one by one in this thread, 5,000 changed files of the 10,000-article bench
 * wiki kept a request waiting 1.7 s and took the server from 166 to 353 MB.
 */
export async function reindexInSlices(wiki: Wiki, workspace: Workspace, paths: string[], options: IndexOptions & { sliceMs?: number } = {}): Promise<IndexReport> {
  return inSlices(new Build(wiki, workspace, options), options, paths);
}

/**
 * Writes the index cache a few seconds from now, in short slices, so the first requests and keystrokes are not kept
 * waiting (at 50,000 articles the encoding alone is seconds of work). Dropped when `cancelled` turns true meanwhile.
 */
export function writeCacheLater(
  writer: CacheWriter,
  files: Iterable<CachedFile>,
  cancelled: () => boolean,
  options: { delayMs?: number; onWritten?: (bytes: number) => void; logError: (msg: string) => void; pause?: () => Promise<void> },
): void {
  const pause = options.pause ?? nextTurn;
  void (async () => {
    const delay = options.delayMs ?? CACHE_DELAY_MS;
    // The wait does not keep a process alive that has nothing else to do; the writing itself, once begun, does.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      if (delay > 0) timer.unref?.();
    });
    const them = files[Symbol.iterator]();
    for (let next = them.next(); !next.done; ) {
      if (cancelled()) return writer.abandon();
      const t = performance.now();
      do {
        writer.add(next.value);
        next = them.next();
      } while (!next.done && performance.now() - t < CACHE_SLICE_MS);
      await pause();
    }
    if (cancelled()) return writer.abandon();
    const bytes = await writer.writeAsync(pause);
    options.onWritten?.(bytes);
  })().catch((e) => options.logError(`index cache: writing failed: ${e instanceof Error ? e.stack : String(e)}`));
}

/** `planSliceMs`: the slices of the listing and planning alone (a test sets 0: a turn after every step). */
async function inSlices(b: Build, options: IndexOptions & { sliceMs?: number; planSliceMs?: number }, paths?: string[]): Promise<IndexReport> {
  const slice = options.sliceMs ?? BUILD_SLICE_MS;
  let wake: (() => void) | undefined;
  const results: { r: WorkResult; w: PoolWorker }[] = [];
  let fatal: string | undefined;
  const start = (n: number) => {
    const started = new Pool(
      n,
      b,
      (r, w) => {
        results.push({ r, w });
        wake?.();
      },
      (w, why) => {
        w.dead = true;
        fatal = why;
        wake?.();
      },
    );
    for (const w of started.workers) w.port.on('message', (r: WorkResult) => started.received(r, w));
    return started;
  };
  const early = paths ? 0 : b.earlyWorkers();
  let pool = early > 0 ? start(early) : undefined;
  try {
    if (paths) b.planFiles(paths);
    else await b.planInSlices(options.planSliceMs ?? slice);
    if (b.cancelled()) return b.finishReport();
    const n = b.useWorkers();
    if (n > 0) {
      b.report.workers = n;
      pool ??= start(n);
      pool.enqueue(b.jobs(), n);
      pool.dispatch();
    } else if (pool) {
      pool.close();
      pool = undefined;
    }
    // Cache hits are decoded here while the workers scan the rest.
    let i = 0;
    const hits = b.hits;
    while (i < hits.length) {
      if (b.cancelled()) return b.finishReport();
      const t = performance.now();
      // At least one a slice, however short the slice: with `sliceMs: 0` a build had turned over for good, taking none.
      do b.fromCache(hits[i].path, hits[i].entry), i++;
      while (i < hits.length && performance.now() - t < slice);
      b.progress();
      await nextTurn();
    }
    if (!pool) {
      let k = 0;
      while (k < b.queue.length) {
        if (b.cancelled()) return b.finishReport();
        const t = performance.now();
        do b.inThread(b.queue[k++]);
        while (k < b.queue.length && performance.now() - t < slice);
        b.progress();
        await nextTurn();
      }
    } else {
      while (pool.outstanding > 0 || results.length) {
        if (b.cancelled()) return b.finishReport();
        if (!results.length) {
          const orphans = pool.orphans();
          if (orphans.length) {
            b.logError(`index worker failed (${fatal}); indexing its files in this thread`);
            for (const f of orphans) b.inThread(f);
            continue;
          }
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        const t = performance.now();
        do {
          const { r, w } = results.shift()!;
          b.apply(r, w);
        } while (results.length && performance.now() - t < slice && !b.cancelled());
        pool.dispatch();
        b.progress();
        await nextTurn();
      }
    }
  } finally {
    pool?.close();
  }
  b.progress(true);
  const report = b.finishReport();
  const writer = b.cacheWriter();
  b.dropCache();
  if (writer && !writer.problem) {
    writeCacheLater(writer, b.cacheable(), () => b.cancelled() || !!options.cacheWriteCancelled?.(), {
      delayMs: options.cacheDelayMs,
      onWritten: options.onCacheWritten,
      logError: (msg) => b.logError(msg),
      pause: options.cachePause,
    });
  } else if (writer) writer.write();
  return report;
}
