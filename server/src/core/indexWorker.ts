// Worker thread of the parallel indexer: reads and scans the files it is given and sends their facts back compactly (in a parallel check, keeps them and finds their problems).
// It analyses with the same Wiki.analyse and reads with the same NodeWorkspace as the main thread, so facts are identical.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { articleProblems } from './diagnostics';
import { FactsEncoder } from './facts';
import type { CoreSettings } from './settings';
import { CheckKeeper, decodeStubs, encodeStub, type CheckRecord, type StubBatch } from './stubs';
import type { Problem } from './types';
import { hashText, Wiki, type Article } from './wiki';
import { NodeWorkspace } from './workspace';

export interface WorkerInit {
  folders: string[];
  settings: CoreSettings;
  /** Results go here (not to parentPort) so a blocked main thread can take them with receiveMessageOnPort. */
  port: MessagePort;
  /** Incremented after each result: the synchronous build waits on it with Atomics.wait. */
  signal: Int32Array;
  /** beats[index] counts the files and articles this worker has done: its sign of life to a blocked main thread. */
  beats: Int32Array;
  index: number;
  /**
   * Set for a parallel check (checkWholeWiki): the worker keeps what it analyses, sends stand-ins (stubs.ts) instead
   * of facts, and later finds its own articles' problems. The attachments and oversized files are the whole wiki's.
   * `record`: each article's problems come with what the check cache keeps of it (ArticleProblems.record).
   */
  check?: { attachments: string[]; placeholders: string[]; record?: boolean };
  /** IndexOptions.workerFault: fail at the first job, so that tests see the main thread take the work over. */
  fault?: 'throw' | 'exit';
}

export interface WorkFile {
  path: string;
  /** When the cache has an entry: the cached text length and hash; an identical text is reported, not scanned. */
  cachedSize?: number;
  cachedHash?: number;
  /** As FileInfo.confined: the walk already confined it. */
  confined?: boolean;
}

export interface WorkJob {
  id: number;
  files: WorkFile[];
  /** In a check, once every file is analysed: the other workers' stand-ins, then this worker's problems are asked for. */
  others?: StubBatch[];
}

export interface ArticleProblems {
  path: string;
  problems: Problem[];
  /** In a check that keeps a cache: the article's text length and hash, stand-in and link keys (problemCache.ts). */
  record?: CheckRecord;
}

export interface WorkResult {
  id: number;
  /** Strings first used by this batch: they extend the table of this worker's strings, starting at index stringBase. */
  strings: string[];
  stringBase: number;
  ints: Int32Array;
  /** Files whose text equals the cached one. */
  unchanged: string[];
  errors: { path: string; reason: string }[];
  scanned: number;
  /** In a check: stand-ins for the articles of this batch, and later the problems of all this worker's articles. */
  stubs?: StubBatch;
  problems?: ArticleProblems[];
  /** Set when the worker itself failed. */
  fatal?: string;
}

function run(init: WorkerInit): void {
  const workspace = new NodeWorkspace(init.folders, init.settings);
  const wiki = new Wiki(init.folders, init.settings);
  const reply = (r: WorkResult, transfer: ArrayBuffer[]) => {
    init.port.postMessage(r, transfer);
    Atomics.add(init.signal, 0, 1);
    Atomics.notify(init.signal, 0);
  };
  const failed = (id: number, e: unknown) =>
    reply({ id, strings: [], stringBase: 0, ints: new Int32Array(0), unchanged: [], errors: [], scanned: 0, fatal: e instanceof Error ? e.stack ?? e.message : String(e) }, []);
  // One encoder for the whole build: each string is sent once (WorkResult.stringBase).
  const enc = new FactsEncoder(true);
  const check = init.check;
  const own: { article: Article; local: Problem[]; record?: CheckRecord }[] = [];
  const keeper = check ? new CheckKeeper(wiki, !!check.record) : undefined;
  if (check) {
    wiki.rememberResolutions = true;
    for (const p of check.attachments) wiki.addAttachment(p);
    for (const p of check.placeholders) wiki.addPlaceholder(p);
  }
  parentPort!.on('message', (job: WorkJob) => {
    if (job.others) {
      try {
        for (const batch of job.others) for (const a of decodeStubs(batch, (p) => wiki.folderOf(p))) wiki.put(a);
        const problems = own.map(({ article, local, record }): ArticleProblems => {
          Atomics.add(init.beats, init.index, 1);
          const found: ArticleProblems = { path: article.path, problems: articleProblems(wiki, article, { local }) };
          if (record) found.record = record;
          return found;
        });
        reply({ id: job.id, strings: [], stringBase: 0, ints: new Int32Array(0), unchanged: [], errors: [], scanned: 0, problems }, []);
      } catch (e) {
        failed(job.id, e);
      }
      return;
    }
    if (init.fault === 'exit') process.exit(70);
    const stubs: StubBatch | undefined = check ? [] : undefined;
    const unchanged: string[] = [];
    const errors: { path: string; reason: string }[] = [];
    let scanned = 0;
    try {
      if (init.fault === 'throw') throw new Error('failing as IndexOptions.workerFault asked');
      for (const f of job.files) {
        Atomics.add(init.beats, init.index, 1);
        let text: string;
        try {
          text = workspace.readText(f.path, f.confined);
        } catch (e) {
          errors.push({ path: f.path, reason: e instanceof Error ? e.message : String(e) });
          continue;
        }
        if (f.cachedHash !== undefined && f.cachedSize === text.length && hashText(text) === f.cachedHash) {
          unchanged.push(f.path);
          continue;
        }
        const a = wiki.analyse(f.path, text, !!check);
        // As Wiki.upsert does for articles not open in an editor: footnote texts are shown only for the open one.
        for (const d of a.syntax.footnoteDefs) d.text = '';
        if (stubs) {
          const kept = keeper!.keep(a, text);
          if (kept.record) for (const x of kept.record.stub) stubs.push(x);
          else encodeStub(kept.article, stubs);
          own.push(kept);
        } else enc.add(a);
        scanned++;
      }
      if (stubs) {
        reply({ id: job.id, strings: [], stringBase: 0, ints: new Int32Array(0), unchanged, errors, scanned, stubs }, []);
        return;
      }
      const batch = enc.takeBatch();
      reply({ id: job.id, strings: batch.strings, stringBase: batch.stringBase, ints: batch.ints, unchanged, errors, scanned }, [batch.ints.buffer as ArrayBuffer]);
    } catch (e) {
      failed(job.id, e);
    }
  });
}

if (parentPort && workerData && (workerData as { kind?: string }).kind === 'linked-articles-index-worker') run(workerData as WorkerInit);
