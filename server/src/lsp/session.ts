// The server's state and lifecycle: initialize, settings, document sync, file watching, the background index with
// progress, and the wiring of the feature handlers (./handlers) onto the connection.
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocumentSyncKind,
  TextDocuments,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { WikiService, type ChangeResult } from '../core/service';
import { defaultSettings } from '../core/settings';
import { readSettingsFile, SETTINGS_FILE } from '../core/settingsFile';
import { NodeWorkspace } from '../core/workspace';
import type { ServerContext } from './context';
import { DiagnosticsManager } from './diagnostics';
import { makeGuard, RequestsInFlight } from './guard';
import { features } from './handlers';
import { WARM_SLICE_MS } from './handlers/symbols';
import { StatusMethod, type StatusParams } from './protocol';
import { needsReindex, SECTION_KEYS, toLspSettings, type LspSettings } from './settings';
import { pathToUri, uriToPath } from './uri';
import { FolderWatcher, type FileEvent } from './watch';
import { collectWhenIdle } from './idleGc';
import { VERSION } from '../version';

const MARKDOWN_FILE = /\.(md|markdown|mdx)$/i;
const MAX_SKIP_LINES = 20;
/** How long the wiki must stay unchanged before the heading keys are brought up to date in the background. */
const WARM_DELAY_MS = 500;

export class Session implements ServerContext {
  readonly documents = new TextDocuments(TextDocument);
  readonly service = new WikiService(new NodeWorkspace([], toLspSettings({}).core), toLspSettings({}).core);
  readonly diagnostics: DiagnosticsManager;
  readonly guard: ServerContext['guard'];
  clientCapabilities: ClientCapabilities = {};
  imagePreviews = false;
  private folders: string[] = [];
  private global: LspSettings = toLspSettings({});
  private perFolder = new Map<string, LspSettings>();
  /** The client's own spelling of each open document's URI, by core path. */
  private readonly openUris = new Map<string, string>();
  private watcher: FolderWatcher | undefined;
  private indexGeneration = 0;
  /** The file events being applied, in order (fileEvents). */
  private fileWork: Promise<void> = Promise.resolve();
  private status: StatusParams = { state: 'indexing', done: 0, total: 0, articles: 0 };
  private initialSettings: unknown;
  private readonly wikiListeners: (() => void)[] = [];

  /**
   * The requests being answered: background work (the cache write, workspace diagnostics, heading keys) waits for them
   * between its slices.
   */
  private readonly inFlight = new RequestsInFlight();
  /** A background refresh of the heading keys, due once the wiki has stopped changing (warmHeadingKeysSoon). */
  private warmTimer: NodeJS.Timeout | undefined;

  constructor(readonly connection: Connection) {
    this.guard = makeGuard(connection, this.inFlight);
    this.diagnostics = new DiagnosticsManager({
      connection,
      documents: this.documents,
      service: this.service,
      settings: (path) => this.settings(path),
      toPath: (uri) => this.toPath(uri),
      toUri: (path) => this.toUri(path),
      anywhereWorkspaceScope: () => [this.global, ...this.perFolder.values()].some((s) => s.diagnostics.enabled && s.diagnostics.scope === 'workspace'),
      log: (m) => connection.console.error(m),
      info: (m) => connection.console.info(m),
      pause: () => this.inFlight.quietTurn(),
    });
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.initialized().catch((e) => this.error('Start-up failed', e)));
    connection.onShutdown(() => this.dispose());
    this.wireDocuments();
    connection.onDidChangeWatchedFiles((params) =>
      this.fileEvents(params.changes.map((c) => ({ path: uriToPath(c.uri), kind: c.type === FileChangeType.Deleted ? 'deleted' : 'changed' }))),
    );
    connection.onDidChangeConfiguration((params) => {
      // Clients without workspace/configuration send the settings along.
      if (!this.clientCapabilities.workspace?.configuration) this.initialSettings = (params.settings as Record<string, unknown> | undefined)?.linkedArticles;
      void this.reloadSettings().catch((e) => this.error('Reading settings failed', e));
    });
    connection.onRequest(StatusMethod, () => this.status);
  }

  settings(path?: string): LspSettings {
    if (path) {
      let best: string | undefined;
      for (const f of this.perFolder.keys()) if (path.startsWith(f + '/') && (!best || f.length > best.length)) best = f;
      if (best) return this.perFolder.get(best)!;
    }
    return this.global;
  }

  toPath(uri: string): string {
    return uriToPath(uri);
  }

  toUri(path: string): string {
    return this.openUris.get(path) ?? pathToUri(path);
  }

  affected(paths: Iterable<string>): void {
    const uris: string[] = [];
    const closed: string[] = [];
    for (const p of paths) {
      const uri = this.openUris.get(p);
      if (uri) uris.push(uri);
      else closed.push(p);
    }
    if (uris.length) this.diagnostics.affected(uris);
    if (closed.length) this.diagnostics.affectedClosed(closed);
  }

  rebuildIndex(): Promise<void> {
    return this.reloadSettings(true);
  }

  private error(context: string, e: unknown): void {
    this.connection.console.error(`${context}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.clientCapabilities = params.capabilities ?? {};
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.folders = folders.map(uriToPath).filter((p) => p.startsWith('/') || /^[A-Z]:\//.test(p));
    if (!this.folders.length && params.rootPath) this.folders = [params.rootPath.replace(/\\/g, '/')];
    const init = params.initializationOptions as Record<string, unknown> | undefined;
    this.imagePreviews = init?.imagePreviews === true;
    // Without a storage folder from the client the index is built from scratch on every start.
    this.service.indexCache = {
      dir: typeof init?.storagePath === 'string' ? init.storagePath : undefined,
      log: (m) => this.connection.console.info(m),
      written: (bytes) => {
        if (bytes > 0) this.connection.console.info(`Index cache written (${(bytes / 1e6).toFixed(1)} MB)`);
        collectWhenIdle();
      },
      pause: () => this.inFlight.quietTurn(),
    };
    this.initialSettings = settingsInOptions(init);
    this.global = toLspSettings(this.initialSettings);
    this.service.reset(new NodeWorkspace(this.folders, this.global.core), this.global.core);

    this.diagnostics.pull = !!this.clientCapabilities.textDocument?.diagnostic;
    this.diagnostics.refreshSupport = !!this.clientCapabilities.workspace?.diagnostics?.refreshSupport;

    const capabilities: ServerCapabilities = {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    };
    for (const f of features) {
      const c = f.capabilities?.(this.clientCapabilities, init);
      if (c) Object.assign(capabilities, c, { workspace: { ...capabilities.workspace, ...c.workspace } });
      f.register(this);
    }
    return { capabilities, serverInfo: { name: 'linked-articles', version: VERSION } };
  }

  private async initialized(): Promise<void> {
    const ws = this.clientCapabilities.workspace;
    if (ws?.didChangeConfiguration?.dynamicRegistration) {
      await this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'linkedArticles' });
    }
    if (ws?.didChangeWatchedFiles?.dynamicRegistration) {
      await this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
    } else this.watchFolders();
    if (ws?.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
        this.folders = [...this.folders.filter((f) => !removed.has(f)), ...e.added.map((f) => uriToPath(f.uri))];
        if (this.watcher) this.watchFolders();
        void this.reloadSettings(true).catch((err) => this.error('Changing workspace folders failed', err));
      });
    }
    await this.reloadSettings(true);
  }

  private watchFolders(): void {
    this.watcher?.dispose();
    this.watcher = new FolderWatcher(this.folders, (events) => this.fileEvents(events), (m) => this.connection.console.warn(m));
  }

  /** Reads the settings (per folder when the client can say); reindexes only when names or files are read differently. */
  private async reloadSettings(forceReindex = false): Promise<void> {
    const asked = !!this.clientCapabilities.workspace?.configuration;
    // A client that is asked below answers for itself; the file stands in only for an answer it does not give.
    let global = asked ? toLspSettings(this.initialSettings) : this.settingsOrFile(this.initialSettings, this.folders[0]);
    const perFolder = new Map<string, LspSettings>();
    if (asked) {
      const items = this.folders.length ? this.folders.map((f) => ({ scopeUri: pathToUri(f), section: 'linkedArticles' })) : [{ section: 'linkedArticles' }];
      const values = (await this.connection.workspace.getConfiguration(items)) as unknown[];
      values.forEach((v, i) => {
        const s = this.settingsOrFile(v ?? this.initialSettings, this.folders[i]);
        if (this.folders[i]) perFolder.set(this.folders[i], s);
        if (i === 0) global = s;
      });
    }
    const previous = this.global;
    this.global = global;
    this.perFolder = perFolder;
    if (forceReindex || needsReindex(previous.core, global.core) || this.service.workspace.folders.join('\n') !== this.folders.join('\n')) {
      this.service.reset(new NodeWorkspace(this.folders, global.core), global.core);
      if (this.watcher) this.watchFolders();
      await this.index();
    } else {
      // Severities and interwiki prefixes are read at query time: the index stands.
      this.service.wiki.settings = global.core;
      this.diagnostics.all();
    }
  }

  /**
   * The settings an editor gave, or, when it gave none at all (Neovim and Helix answer null for a section they were
   * not configured with), the folder's own `.vscode/settings.json`, which the command line reads too. VS Code always
   * answers with every setting, so its own settings are never overridden by the file.
   */
  private settingsOrFile(given: unknown, folder: string | undefined): LspSettings {
    if (given !== undefined && given !== null) return toLspSettings(given);
    if (folder === undefined) return toLspSettings(undefined);
    const { file, section, problem } = readSettingsFile(new NodeWorkspace(this.folders, defaultSettings()), folder);
    if (problem) this.connection.console.warn(`${file}: ${problem}`);
    if (section && Object.keys(section).length) this.connection.console.info(`Settings from ${file}, as the editor gave none: ${Object.keys(section).join(', ')}`);
    return toLspSettings(section);
  }

  private sendStatus(s: StatusParams): void {
    this.status = s;
    void this.connection.sendNotification(StatusMethod, s);
  }

  private async index(): Promise<void> {
    const generation = ++this.indexGeneration;
    let progress: WorkDoneProgressServerReporter | undefined;
    if (this.clientCapabilities.window?.workDoneProgress) {
      try {
        progress = await this.connection.window.createWorkDoneProgress();
        progress.begin('Linked Articles', 0, 'Indexing…', false);
      } catch (e) {
        this.error('Could not show indexing progress', e);
      }
    }
    this.sendStatus({ state: 'indexing', done: 0, total: 0, articles: this.service.wiki.articles.size });
    let last = -Infinity;
    const fmt = (n: number) => n.toLocaleString('en-US');
    try {
      const report = await this.service.buildIndex((done, total) => {
        const now = performance.now();
        if (now - last < 100 && done < total) return;
        last = now;
        progress?.report(total ? Math.floor((done * 100) / total) : 0, `Indexing ${fmt(done)}/${fmt(total)} articles`);
        this.sendStatus({ state: 'indexing', done, total, articles: this.service.wiki.articles.size });
      });
      if (!report || generation !== this.indexGeneration) return; // a newer index replaced this one
      const c = this.connection.console;
      const cached = report.fromCache ? ` (${fmt(report.fromCache)} of them from the index cache)` : '';
      c.info(`Indexed ${fmt(report.articles)} articles${cached} and ${fmt(report.attachments)} other files in ${Math.round(report.ms)} ms`);
      for (const s of report.skipped.slice(0, MAX_SKIP_LINES)) c.warn(`Skipped ${s.path}: ${s.reason}`);
      if (report.skipped.length > MAX_SKIP_LINES) c.warn(`…and ${report.skipped.length - MAX_SKIP_LINES} more files skipped`);
      // The progress ends before the state says ready, so a client that sees ready has seen the end (a test that
      // waited for ready and then looked for the end failed in CI when the two came the other way round).
      progress?.done();
      progress = undefined;
      this.sendStatus({ state: 'ready', done: report.articles, total: report.articles, articles: this.service.wiki.articles.size });
      // Problems that needed the whole index were held back until now.
      this.diagnostics.all();
      this.wikiChanged();
      collectWhenIdle();
    } finally {
      progress?.done();
    }
  }

  /**
   * Keys every heading for `[[##` completion and workspace symbols once the index is complete (warmHeadingKeysSoon,
   * called as it becomes ready), in slices that wait while requests are answered: the first such query had done it
   * while the writer typed (0.3 s at 50,000 articles through the server). What it keys is kept (20 MB at 50,000
   * articles), as after a first query.
   */
  private async warmHeadingKeys(generation: number): Promise<void> {
    try {
      while (generation === this.indexGeneration && !this.service.warmWorkspaceSymbols(WARM_SLICE_MS)) await this.inFlight.quietTurn();
    } catch (e) {
      this.error('Keying the headings for search failed', e);
    }
  }

  private wireDocuments(): void {
    const isArticle = (doc: TextDocument) => doc.languageId === 'markdown' || doc.languageId === 'mdx' || MARKDOWN_FILE.test(doc.uri);
    this.documents.onDidChangeContent((e) => {
      const doc = e.document;
      if (!isArticle(doc)) return;
      const path = this.toPath(doc.uri);
      this.openUris.set(path, doc.uri);
      let result: ChangeResult;
      try {
        result = this.service.change(path, doc.getText(), doc.version);
      } catch (err) {
        this.error(`Analysing ${doc.uri} (version ${doc.version}) failed`, err);
        return;
      }
      this.diagnostics.changed(doc.uri);
      this.affected(result.affected);
      this.wikiChanged(result.linksChanged);
    });
    this.documents.onDidClose((e) => {
      const path = this.toPath(e.document.uri);
      if (!this.openUris.has(path)) return;
      this.diagnostics.closed(e.document.uri);
      this.openUris.delete(path);
      try {
        const result = this.service.close(path);
        this.affected(result.affected);
        this.wikiChanged(result.linksChanged);
      } catch (err) {
        this.error(`Closing ${e.document.uri} failed`, err);
      }
    });
    this.documents.listen(this.connection);
  }

  /**
   * File events are taken in the order they came: a batch read again in slices (WikiService.filesChanged) finishes
   * before the next events are applied, so an older text read for it can never replace a newer one.
   */
  private fileEvents(events: FileEvent[]): void {
    this.fileWork = this.fileWork.then(() => this.applyFileEvents(events)).catch((e) => this.error('Updating the index for changed files failed', e));
  }

  private async applyFileEvents(events: FileEvent[]): Promise<void> {
    const deleted = events.filter((e) => e.kind === 'deleted').map((e) => e.path);
    const changed = events.filter((e) => e.kind !== 'deleted').map((e) => e.path);
    const affected = this.service.filesDeleted(deleted);
    // The files themselves too: a changed one's own problems, a deleted one's to be taken back (workspace scope).
    for (const e of events) affected.add(e.path);
    if (changed.length) {
      const t0 = performance.now();
      const found = await this.service.filesChanged(changed);
      if (found) for (const p of found) affected.add(p);
      if (changed.length >= 100) this.connection.console.log(`Read ${changed.length} changed files again in ${Math.round(performance.now() - t0)} ms`);
    }
    this.affected(affected);
    this.wikiChanged();
    // A folder's settings file changed: an editor that gives no settings of its own reads it (settingsOrFile).
    const settingsFiles = new Set(this.folders.map((f) => f + '/' + SETTINGS_FILE));
    if (events.some((e) => settingsFiles.has(e.path))) await this.reloadSettings();
  }

  onWikiChanged(listener: () => void): void {
    this.wikiListeners.push(listener);
  }

  /**
   * After an edit, a file event or a complete index: the status bar's count, and, unless the links between articles
   * are known to be as they were (most keystrokes), the features that listen.
   */
  private wikiChanged(linksChanged = true): void {
    // Opening a new file or closing a deleted one also changes the count that a status bar shows.
    const articles = this.service.wiki.articles.size;
    if (this.status.state === 'ready' && this.status.articles !== articles) this.sendStatus({ ...this.status, articles });
    if (linksChanged) for (const l of this.wikiListeners) l();
    if (this.status.state === 'ready') this.warmHeadingKeysSoon();
  }

  /**
   * The heading keys brought up to date a moment after the wiki stops changing: an edit costs them one run of articles
   * joined again, but an article added or removed makes the next search walk them all (0.29 s at 50,000 articles for
   * the first `[[##` after a new article was opened), which is better done here than while the writer types.
   */
  private warmHeadingKeysSoon(): void {
    if (this.warmTimer) clearTimeout(this.warmTimer);
    const generation = this.indexGeneration;
    this.warmTimer = setTimeout(() => {
      this.warmTimer = undefined;
      void this.warmHeadingKeys(generation);
    }, WARM_DELAY_MS);
    this.warmTimer.unref?.();
  }

  dispose(): void {
    this.watcher?.dispose();
    this.diagnostics.dispose();
    if (this.warmTimer) clearTimeout(this.warmTimer);
  }
}

/**
 * The settings given with `initialize`: `initializationOptions.linkedArticles`, or the options themselves when they
 * are the section. Options that hold only other things (`storagePath`) give no settings, so that the wiki's own
 * settings file stands in for them (settingsOrFile).
 */
function settingsInOptions(init: Record<string, unknown> | undefined): unknown {
  if (!init || typeof init !== 'object') return undefined;
  if (init.linkedArticles !== undefined) return init.linkedArticles;
  return Object.keys(init).some((k) => SECTION_KEYS.has(k)) ? init : undefined;
}
