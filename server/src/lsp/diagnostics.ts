// Diagnostics: for open documents pushed (publishDiagnostics) or pulled (textDocument/diagnostic), recomputed only for the
// documents a change can affect, debounced per document, never published for a version older than one already sent; and,
// with `diagnostics.scope` set to `workspace`, for the articles no editor has open, pushed in slices or pulled by
// workspace/diagnostic, again only for those a change can affect.
import {
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type TextDocuments,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { hashText } from '../core/wiki';
import type { WikiService } from '../core/service';
import type { Problem } from '../core/types';
import type { LspSettings } from './settings';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint };

export function toDiagnostic(p: Problem): Diagnostic {
  return { range: p.range, severity: SEVERITY[p.severity], code: p.code, source: 'linked-articles', message: p.message, data: p.data };
}

/**
 * A keystroke at typing speed is answered at once (the target is 15 ms from keystroke to diagnostics); changes that
 * arrive faster than one per QUIET_MS (a paste, a macro, a load test) are coalesced into one run per BURST_DELAY_MS.
 */
const BURST_DELAY_MS = 15;
const QUIET_MS = 20;
const REFRESH_DELAY_MS = 30;

export interface DiagnosticsOptions {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  service: WikiService;
  settings: (path: string) => LspSettings;
  toPath: (uri: string) => string;
  toUri: (path: string) => string;
  /** Whether any folder's settings ask for the workspace scope: with none, a workspace pull has nothing to go through. */
  anywhereWorkspaceScope: () => boolean;
  log: (message: string) => void;
  info: (message: string) => void;
  /** What the slices of the articles not open await between them (RequestsInFlight.quietTurn); the next turn by default. */
  pause?: () => Promise<void>;
}

/**
 * How long the articles not open are worked through per slice, so that requests are answered between slices: each
 * step of a request's way through the server may wait behind one. With 8 ms, during the first pass at 10,000
 * articles (2.5 s), a backlinks answer took 36 ms (median) and a bare round trip 24 ms; with 1 ms and the pause
 * waiting for requests being answered, 11 and 4.5 ms (the pass 3.2 s, with twice as many requests answered meanwhile).
 */
const SLICE_MS = 1;
/** A workspace pull with nothing new to report waits this long for a change before answering that nothing changed. */
const WORKSPACE_WAIT_MS = 5 * 60_000;

export class DiagnosticsManager {
  /** True when the client pulls (textDocument/diagnostic): then we answer requests and ask for refreshes instead of pushing. */
  pull = false;
  refreshSupport = false;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastRun = new Map<string, number>();
  /** Per document: bumped whenever its result may have changed; the pull result id, and the push generation counter. */
  private readonly epochs = new Map<string, number>();
  private readonly published = new Map<string, { version: number; key: string }>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private nextEpoch = 1;
  /** Counts runs, so tests and the benchmark can see that only affected documents are recomputed. */
  runs = 0;

  // The articles no editor has open (scope `workspace`). Their result ids are the epoch when each last may have
  // changed, or the epoch of the last change to everything, whichever is later; a session's own prefix keeps the ids of
  // an earlier server (which a client sends back) from being taken for this one's.
  private readonly closedEpochs = new Map<string, number>();
  private allEpoch = 0;
  private readonly session = Math.random().toString(36).slice(2, 8);
  /** Push: what was last sent for each article not open (a hash of it), and the articles to send again. */
  private readonly closedSent = new Map<string, number>();
  private readonly closedQueue = new Set<string>();
  /** A slice of the articles not open is scheduled (pumpClosed). */
  private closedPumping = false;
  /** Push: a pass over every article (after `all`), timed and counted for the log when its queue is done. */
  private pushPass: { start: number; sent: number } | undefined;
  /** Pull: bumped by every change a workspace report may have to tell; a waiting workspace pull wakes on it. */
  private changes = 0;
  /** Pull: per article, the result id last reported and a hash of its problems, so that the same problems are not sent again. */
  private readonly reportedHash = new Map<string, { resultId: string; hash: number }>();
  private readonly waiters = new Set<(changed: boolean) => void>();
  private disposed = false;

  constructor(private readonly o: DiagnosticsOptions) {}

  private bump(uri: string): number {
    const e = this.nextEpoch++;
    this.epochs.set(uri, e);
    return e;
  }

  /** The document itself changed (or was opened). */
  changed(uri: string): void {
    this.bump(uri);
    if (this.pull) return; // the client pulls after its own edits
    this.schedule(uri);
  }

  /** Other documents changed in a way that can alter these documents' results. */
  affected(uris: Iterable<string>): void {
    let any = false;
    for (const uri of uris) {
      if (!this.o.documents.get(uri)) continue;
      any = true;
      this.bump(uri);
      if (!this.pull) this.schedule(uri);
    }
    if (any && this.pull) this.requestRefresh();
  }

  /** Articles no editor has open whose problems may have changed (their text on disk, or what they link to), or that are gone. */
  affectedClosed(paths: Iterable<string>): void {
    // With the open scope everywhere and nothing sent for closed articles (the default), there is nothing to do: a
    // hub's title edited affects thousands of articles.
    if (!this.o.anywhereWorkspaceScope() && !this.closedSent.size && !this.reportedHash.size) return;
    let any = false;
    for (const path of paths) {
      any = true;
      this.closedEpochs.set(path, this.nextEpoch++);
      if (!this.pull) this.closedQueue.add(path);
    }
    if (any) this.closedChanged();
  }

  /** Everything may have changed (settings, the index became complete). */
  all(): void {
    this.affected(this.o.documents.keys());
    this.allEpoch = this.nextEpoch++;
    this.closedEpochs.clear();
    if (!this.pull) {
      // Asked of each article only where some folder has the workspace scope: 20–60 ms at 50,000 articles, as the
      // index became complete, for a scope most wikis never set.
      if (this.o.anywhereWorkspaceScope()) for (const path of this.o.service.wiki.articles.keys()) if (this.workspaceScope(path)) this.closedQueue.add(path);
      // Those sent before, for a scope or a setting that no longer holds, are sent again: empty.
      for (const uri of this.closedSent.keys()) this.closedQueue.add(this.o.toPath(uri));
      if (this.closedQueue.size) this.pushPass = { start: performance.now(), sent: 0 };
    }
    this.closedChanged();
  }

  closed(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    this.epochs.delete(uri);
    this.lastRun.delete(uri);
    if (!this.pull && this.published.has(uri)) void this.o.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.published.delete(uri);
    // No longer open, it is one of the articles the workspace scope reports, as its text on disk says: what was sent
    // for it while it was open (just now, nothing) is what the next report is compared with.
    this.closedSent.delete(uri);
    this.reportedHash.delete(uri);
    this.affectedClosed([this.o.toPath(uri)]);
  }

  private workspaceScope(path: string): boolean {
    const d = this.o.settings(path).diagnostics;
    return d.enabled && d.scope === 'workspace';
  }

  private closedChanged(): void {
    this.changes++;
    for (const wake of [...this.waiters]) wake(true);
    if (this.closedQueue.size) this.pumpClosed();
  }

  /**
   * The problems of an article no editor has open; none when it is gone, or the scope does not take it in, or when
   * finding them failed (logged: one article must not stop the others' reports).
   */
  private closedDiagnostics(path: string): Diagnostic[] {
    if (!this.workspaceScope(path) || !this.o.service.wiki.articles.has(path)) return [];
    this.runs++;
    try {
      return this.o.service.problems(path, this.o.settings(path).core.severity).map(toDiagnostic);
    } catch (e) {
      this.o.log(`Diagnostics failed for ${path}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return [];
    }
  }

  /** Push: the queued articles, a slice at a time; each sent only when its problems differ from what was last sent. */
  private pumpClosed(): void {
    if (this.closedPumping) return;
    this.closedPumping = true;
    void this.pause().then(() => {
      this.closedPumping = false;
      if (this.disposed) return;
      const start = performance.now();
      for (const path of this.closedQueue) {
        this.closedQueue.delete(path);
        const uri = this.o.toUri(path);
        if (this.o.documents.get(uri)) continue; // open: its own diagnostics stand
        const items = this.closedDiagnostics(path);
        const key = items.length ? hashText(JSON.stringify(items)) : 0;
        if ((this.closedSent.get(uri) ?? 0) !== key) {
          if (key) this.closedSent.set(uri, key);
          else this.closedSent.delete(uri);
          void this.o.connection.sendDiagnostics({ uri, diagnostics: items });
          if (this.pushPass) this.pushPass.sent++;
        }
        if (performance.now() - start > SLICE_MS) break;
      }
      if (this.closedQueue.size) this.pumpClosed();
      else if (this.pushPass) {
        this.o.info(`Problems of the articles not open: ${this.pushPass.sent} sent in ${Math.round(performance.now() - this.pushPass.start)} ms`);
        this.pushPass = undefined;
      }
    }).catch((e: unknown) => this.o.log(`Problems of the articles not open failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  }

  /** Between slices of the articles not open: the requests being answered go first. */
  private pause(): Promise<void> {
    return this.o.pause ? this.o.pause() : new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * workspace/diagnostic: the articles no editor has open whose problems changed since the result ids the client
   * sends back (a full report each, or "unchanged" under a new id when they are the same again), and those it had that
   * are gone (an empty one). Worked through in slices, each sent as a partial result when the client takes them. With
   * nothing to report, it waits for a change and looks again (the client asks again as soon as it is answered), and
   * answers empty after a while without one.
   */
  async workspaceReport(previous: { uri: string; value: string }[], token: CancellationToken, partial?: (items: WorkspaceDocumentDiagnosticReport[]) => void): Promise<WorkspaceDocumentDiagnosticReport[]> {
    const before = new Map(previous.map((p) => [p.uri, p.value]));
    for (;;) {
      const changes = this.changes;
      const out: WorkspaceDocumentDiagnosticReport[] = [];
      const told = await this.workspacePass(before, token, (batch) => (partial ? partial(batch) : out.push(...batch)));
      if (told || token.isCancellationRequested) return out;
      if (this.changes === changes && !(await this.nextChange(token))) return out;
    }
  }

  /** One pass over the articles for workspaceReport; how many reports it gave `send`. */
  private async workspacePass(before: Map<string, string>, token: CancellationToken, send: (batch: WorkspaceDocumentDiagnosticReport[]) => void): Promise<number> {
    // Nothing asks for the workspace and nothing was reported: no article need be gone through.
    if (!this.o.anywhereWorkspaceScope() && ![...before.values()].some((id) => id.startsWith(this.session + ':'))) return 0;
    let batch: WorkspaceDocumentDiagnosticReport[] = [];
    let told = 0;
    const flush = () => {
      if (!batch.length) return;
      told += batch.length;
      send(batch);
      batch = [];
    };
    const seen = new Set<string>();
    let sliceStart = performance.now();
    for (const path of [...this.o.service.wiki.articles.keys()]) {
      if (token.isCancellationRequested) return told;
      const uri = this.o.toUri(path);
      seen.add(uri);
      if (this.o.documents.get(uri)) continue;
      const resultId = `${this.session}:${Math.max(this.closedEpochs.get(path) ?? 0, this.allEpoch)}`;
      const had = before.get(uri);
      if (had === resultId) continue;
      const items = this.closedDiagnostics(path);
      // A clean article the client knows nothing of needs no report.
      if (!items.length && had === undefined) continue;
      const hash = items.length ? hashText(JSON.stringify(items)) : 0;
      const last = this.reportedHash.get(uri);
      this.reportedHash.set(uri, { resultId, hash });
      before.set(uri, resultId);
      // Problems the client has already, under the id it sent: the same, under the new id.
      if (last && had === last.resultId && last.hash === hash) batch.push({ kind: DocumentDiagnosticReportKind.Unchanged, uri, version: null, resultId });
      else batch.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId, items });
      if (performance.now() - sliceStart > SLICE_MS) {
        flush();
        await this.pause();
        sliceStart = performance.now();
      }
    }
    for (const uri of [...before.keys()]) {
      if (seen.has(uri) || this.o.documents.get(uri) || before.get(uri) === `${this.session}:gone`) continue;
      before.set(uri, `${this.session}:gone`);
      batch.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId: `${this.session}:gone`, items: [] });
    }
    flush();
    return told;
  }

  /** Resolves true on the next change, false when the wait is cancelled, runs out, or the server stops first. */
  private nextChange(token: CancellationToken): Promise<boolean> {
    if (this.disposed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const end = (changed: boolean) => {
        clearTimeout(timer);
        listener.dispose();
        this.waiters.delete(end);
        resolve(changed);
      };
      const timer = setTimeout(() => end(false), WORKSPACE_WAIT_MS);
      timer.unref?.();
      const listener = token.onCancellationRequested(() => end(false));
      this.waiters.add(end);
    });
  }

  private schedule(uri: string): void {
    if (this.timers.has(uri)) return; // the pending run will see the newest version
    const now = performance.now();
    const quiet = now - (this.lastRun.get(uri) ?? -Infinity) > QUIET_MS;
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      this.run(uri);
    }, quiet ? 0 : BURST_DELAY_MS);
    this.timers.set(uri, timer);
  }

  private compute(uri: string): Diagnostic[] {
    this.runs++;
    const path = this.o.toPath(uri);
    const settings = this.o.settings(path);
    if (!settings.diagnostics.enabled) return [];
    return this.o.service.problems(path, settings.core.severity).map(toDiagnostic);
  }

  private run(uri: string): void {
    const doc = this.o.documents.get(uri);
    if (!doc) return;
    this.lastRun.set(uri, performance.now());
    let diagnostics: Diagnostic[];
    try {
      diagnostics = this.compute(uri);
    } catch (e) {
      this.o.log(`Diagnostics failed for ${uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return;
    }
    const last = this.published.get(uri);
    // Documents are analysed synchronously on each change, so this result is for doc.version; an older version must never
    // overwrite a newer one that was already sent.
    if (last && last.version > doc.version) return;
    const key = JSON.stringify(diagnostics);
    // Re-sending the same result for the same version (a document merely affected by another's change) is noise.
    if (last && last.version === doc.version && last.key === key) return;
    this.published.set(uri, { version: doc.version, key });
    this.closedSent.delete(uri); // replaced by the open document's own
    void this.o.connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  }

  /** textDocument/diagnostic: the report, or "unchanged" when nothing that could change it has happened. */
  report(uri: string, previousResultId: string | undefined): DocumentDiagnosticReport {
    let epoch = this.epochs.get(uri);
    if (epoch === undefined) epoch = this.bump(uri);
    const resultId = String(epoch);
    if (previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: this.compute(uri) };
  }

  private requestRefresh(): void {
    if (!this.refreshSupport || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.o.connection.languages.diagnostics.refresh().catch((e: unknown) => this.o.log(`workspace/diagnostic/refresh failed: ${String(e)}`));
    }, REFRESH_DELAY_MS);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.disposed = true;
    for (const end of [...this.waiters]) end(false);
  }
}
