// The benchmarks' side of a language server session: the bundled server started as VS Code starts it, over stdio, with the capabilities VS Code announces.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import { SERVER_ENV, SERVER_EXEC_ARGV } from '../client/src/serverLaunch';

export const uriOf = (p: string) => 'file://' + p.split('/').map(encodeURIComponent).join('/');

export interface Server {
  child: ChildProcess;
  conn: ProtocolConnection;
  t0: number;
  ready: Promise<number>;
  diagnostics: (uri: string, version: number) => Promise<number>;
  stderr: string[];
  /** Every window/logMessage the server sent. */
  logs: string[];
}

/** Starts the server at `server`, with `nodeOptions` (e.g. --cpu-prof) before the script; `onLog` hears its log messages as they come. */
export function startServer(server: string, onLog: (message: string) => void = () => {}, nodeOptions: string[] = []): Server {
  const t0 = performance.now();
  // As the VS Code client starts it.
  const child = spawn(process.execPath, [...SERVER_EXEC_ARGV, ...nodeOptions, server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...SERVER_ENV } });
  const stderr: string[] = [];
  child.stderr!.on('data', (d) => stderr.push(String(d)));
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  let resolveReady: (t: number) => void;
  const ready = new Promise<number>((r) => (resolveReady = r));
  const waiting = new Map<string, { version: number; resolve: (t: number) => void }[]>();
  conn.onNotification('linkedArticles/status', (p: { state: string }) => {
    if (p.state === 'ready') resolveReady(performance.now());
  });
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number }) => {
    const list = waiting.get(p.uri);
    if (!list) return;
    const now = performance.now();
    for (const w of list.splice(0)) {
      if (p.version === undefined || p.version >= w.version) w.resolve(now);
      else list.push(w);
    }
  });
  const logs: string[] = [];
  conn.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
    onLog(p.message);
  });
  conn.onNotification('$/progress', () => {});
  conn.onNotification('telemetry/event', () => {});
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('client/unregisterCapability', () => null);
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  conn.onRequest('workspace/diagnostic/refresh', () => null);
  conn.listen();
  const diagnostics = (uri: string, version: number) =>
    new Promise<number>((resolve) => {
      let list = waiting.get(uri);
      if (!list) waiting.set(uri, (list = []));
      list.push({ version, resolve });
    });
  return { child, conn, t0, ready, diagnostics, stderr, logs };
}

export async function initialize(s: Server, folder: string, storagePath: string): Promise<void> {
  // The capabilities VS Code announces that change what the server does: progress, watched files, no pull diagnostics.
  await s.conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uriOf(folder),
    workspaceFolders: [{ uri: uriOf(folder), name: path.basename(folder) }],
    initializationOptions: { storagePath },
    capabilities: {
      window: { workDoneProgress: true },
      workspace: {
        configuration: true,
        workspaceFolders: true,
        didChangeWatchedFiles: { dynamicRegistration: true },
        didChangeConfiguration: { dynamicRegistration: true },
        workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
        fileOperations: { willRename: true },
      },
      textDocument: {
        synchronization: { dynamicRegistration: false, didSave: true },
        publishDiagnostics: { versionSupport: true, relatedInformation: true },
        completion: { completionItem: { snippetSupport: true } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        rename: { prepareSupport: true },
      },
    },
  });
  await s.conn.sendNotification('initialized', {});
}

export async function stopServer(s: Server): Promise<void> {
  try {
    await withTimeout(s.conn.sendRequest('shutdown'), 5000, 'shutdown');
    await s.conn.sendNotification('exit');
  } catch {
    // Killed below either way.
  }
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      s.child.kill('SIGKILL');
      resolve();
    }, 3000);
    s.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  s.conn.dispose();
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
