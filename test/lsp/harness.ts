// Test harness for the protocol tests: builds dist/server.js when stale, starts it over stdio and speaks LSP to it as a client would.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type ProtocolConnection,
  type Registration,
} from 'vscode-languageserver-protocol/node';

export const ROOT = path.resolve(__dirname, '../..');
export const SERVER = path.join(ROOT, 'dist/server.js');
export const FIXTURE_WIKI = path.join(ROOT, 'test/fixtures/wiki');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** `npm test` builds first; running one test file alone still gets a fresh bundle. */
export function ensureBuilt(): void {
  const built = fs.existsSync(SERVER) ? fs.statSync(SERVER).mtimeMs : 0;
  if (built < newestMtime(path.join(ROOT, 'server/src'))) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
}

/** A copy of a fixture wiki in a temporary folder, for tests that create, change or delete files. */
export function copyWiki(from = FIXTURE_WIKI): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linked-articles-lsp-'));
  fs.cpSync(from, dir, { recursive: true });
  return fs.realpathSync(dir);
}

export const uri = (file: string): string => pathToFileURL(file).href;

export const ALL_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
  },
  window: { workDoneProgress: true },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    completion: { completionItem: { snippetSupport: false, documentationFormat: ['markdown', 'plaintext'] } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    publishDiagnostics: { versionSupport: true },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
  },
};

export interface ClientOptions {
  folders: string[];
  capabilities?: ClientCapabilities;
  /** The `linkedArticles` section answered to workspace/configuration; null as an editor not configured for it answers. */
  settings?: Record<string, unknown> | null;
  /** Sent with initialize, as VS Code's client sends its storage folder. */
  initializationOptions?: Record<string, unknown>;
}

export interface Published {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly child: ChildProcess;
  readonly published: Published[] = [];
  readonly progress: { token: unknown; value: { kind: string; message?: string; percentage?: number; title?: string } }[] = [];
  readonly status: { state: string; done: number; total: number; articles: number }[] = [];
  readonly registrations: Registration[] = [];
  readonly logs: { type: number; message: string }[] = [];
  readonly configurationRequests: unknown[] = [];
  refreshes = 0;
  codeLensRefreshes = 0;
  settings: Record<string, unknown> | null;
  stderr = '';
  private versions = new Map<string, number>();

  constructor(private readonly options: ClientOptions) {
    this.settings = options.settings === undefined ? {} : options.settings;
    this.child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    // Writes racing the server's exit at the end of a test are not the test's concern.
    this.child.stdin!.on('error', () => undefined);
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: Published) => void this.published.push(p));
    this.connection.onNotification('$/progress', (p: TestClient['progress'][number]) => void this.progress.push(p));
    this.connection.onNotification('linkedArticles/status', (p: TestClient['status'][number]) => void this.status.push(p));
    this.connection.onNotification('window/logMessage', (p: { type: number; message: string }) => void this.logs.push(p));
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('client/registerCapability', (p: { registrations: Registration[] }) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => {
      this.configurationRequests.push(p);
      return p.items.map(() => this.settings);
    });
    this.connection.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      return null;
    });
    this.connection.onRequest('workspace/codeLens/refresh', () => {
      this.codeLensRefreshes++;
      return null;
    });
    this.connection.listen();
  }

  async initialize(): Promise<{ capabilities: Record<string, unknown> }> {
    const result = (await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: this.options.capabilities ?? ALL_CAPABILITIES,
      workspaceFolders: this.options.folders.map((f) => ({ uri: uri(f), name: path.basename(f) })),
      initializationOptions: this.options.initializationOptions,
    })) as { capabilities: Record<string, unknown> };
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Waits until the index is complete (the status notification says so). */
  async ready(timeoutMs = 10000): Promise<void> {
    await waitFor('the index to be ready', () => this.status.some((s) => s.state === 'ready'), timeoutMs, () => this.stderr);
  }

  open(file: string, text = fs.readFileSync(file, 'utf8')): string {
    const u = uri(file);
    this.versions.set(u, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'markdown', version: 1, text } });
    return u;
  }

  /** Replaces the document's whole text, or a range of it. */
  change(u: string, text: string, range?: { start: { line: number; character: number }; end: { line: number; character: number } }): number {
    const version = (this.versions.get(u) ?? 1) + 1;
    this.versions.set(u, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: u, version }, contentChanges: [range ? { range, text } : { text }] });
    return version;
  }

  close(u: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** The last diagnostics published for a document. */
  diagnosticsOf(u: string): Published | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) if (this.published[i].uri === u) return this.published[i];
    return undefined;
  }

  /** Waits for diagnostics of `u` (at least `version`, when given) that satisfy `test`. */
  async diagnostics(u: string, test: (d: Diagnostic[]) => boolean = () => true, version?: number, timeoutMs = 5000): Promise<Diagnostic[]> {
    let found: Diagnostic[] | undefined;
    await waitFor(
      `diagnostics for ${path.basename(u)}${version ? ` version ${version}` : ''}`,
      () => {
        const p = this.diagnosticsOf(u);
        if (p && (version === undefined || (p.version ?? 0) >= version) && test(p.diagnostics)) found = p.diagnostics;
        return !!found;
      },
      timeoutMs,
      () => JSON.stringify(this.diagnosticsOf(u)?.diagnostics.map((d) => d.message)),
    );
    return found!;
  }

  async stop(): Promise<void> {
    const exited = this.child.exitCode !== null ? Promise.resolve() : new Promise<void>((r) => this.child.once('exit', () => r()));
    const timeout = () => new Promise<void>((r) => setTimeout(r, 2000).unref());
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), timeout()]);
      await this.connection.sendNotification('exit');
    } catch {
      // the server is already gone
    }
    await Promise.race([exited, timeout()]);
    this.connection.dispose();
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** Polls a condition until it holds; fails with a description (and optional details) after the time limit. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 5000, details?: () => string): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${details ? `: ${details()}` : ''}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The position of the first `marker` in `text` (the marker's first character), or of the n-th occurrence. */
export function positionOf(text: string, marker: string, nth = 0, delta = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(marker, at + 1);
    if (at < 0) throw new Error(`'${marker}' not found`);
  }
  at += delta;
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  return { line, character: at - (before.lastIndexOf('\n') + 1) };
}
