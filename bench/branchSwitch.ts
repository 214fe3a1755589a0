// Times how the bundled server takes a branch switch: many files changed on disk at once, told in one
// workspace/didChangeWatchedFiles notification. `node --import tsx bench/branchSwitch.ts <wiki> [--files N] [--server path]`
// works on a copy of the wiki; it prints how long a request sent just after the notification waited, and the RSS.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { SERVER_ENV, SERVER_EXEC_ARGV } from '../client/src/serverLaunch';

const options: Record<string, string> = {};
const positional: string[] = [];
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a.startsWith('--')) options[a.slice(2)] = process.argv[++i];
  else positional.push(a);
}
const source = path.resolve(positional[0] ?? path.join(__dirname, '.wikis/10000'));
const changes = Number(options.files ?? 3000);
const server = path.resolve(options.server ?? path.join(__dirname, '../dist/server.js'));
const uriOf = (p: string) => 'file://' + p.split('/').map(encodeURIComponent).join('/');
const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

void (async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'la-branch-'));
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'la-branch-store-'));
  try {
    fs.cpSync(source, dir, { recursive: true });
    const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.md')).sort();
    const child = spawn(process.execPath, [...SERVER_EXEC_ARGV, server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...SERVER_ENV } });
    const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    let ready!: () => void;
    const indexed = new Promise<void>((resolve) => (ready = resolve));
    conn.onNotification('linkedArticles/status', (p: { state: string }) => {
      if (p.state === 'ready') ready();
    });
    let batchDone: ((message: string) => void) | undefined;
    conn.onNotification('window/logMessage', (p: { message: string }) => {
      if (/^Read \d+ changed files again/.test(p.message)) batchDone?.(p.message);
    });
    conn.onNotification('$/progress', () => {});
    conn.onNotification('textDocument/publishDiagnostics', () => {});
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    conn.listen();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(dir),
      workspaceFolders: [{ uri: uriOf(dir), name: 'wiki' }],
      initializationOptions: { storagePath: storage },
      capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
    });
    await conn.sendNotification('initialized', {});
    await indexed;
    const probe = uriOf(path.join(dir, files[files.length - 1]));
    await conn.sendRequest('linkedArticles/backlinks', { uri: probe });
    console.log(`${files.length} articles indexed; RSS ${rss(child.pid!).toFixed(0)} MB`);
    // A branch with other texts: each of the first N files gets a new paragraph and a new link.
    const changed = files.slice(0, changes);
    for (const f of changed) fs.appendFileSync(path.join(dir, f), `\n\nAnother paragraph, on [[${files[(files.indexOf(f) * 7) % files.length].replace(/\.md$/, '')}]].\n`);
    const done = new Promise<string>((resolve) => (batchDone = resolve));
    const t0 = performance.now();
    await conn.sendNotification('workspace/didChangeWatchedFiles', { changes: changed.map((f) => ({ uri: uriOf(path.join(dir, f)), type: 2 })) });
    await conn.sendRequest('linkedArticles/backlinks', { uri: probe });
    const waited = performance.now() - t0;
    // A server that takes the batch in before answering (older builds) says nothing of it.
    const said = await Promise.race([done, new Promise<string>((resolve) => setTimeout(() => resolve('no word of the batch'), 5000).unref())]);
    const all = performance.now() - t0;
    console.log(`${changed.length} files changed: a request sent just after waited ${waited.toFixed(0)} ms; all taken in after ${all.toFixed(0)} ms ("${said}"); RSS ${rss(child.pid!).toFixed(0)} MB`);
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    await new Promise((resolve) => child.once('exit', resolve));
    conn.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  }
})();
