// Times how the bundled server takes a branch switch: many files changed on disk at once, told in one
// workspace/didChangeWatchedFiles notification. `node --import tsx bench/branchSwitch.ts <wiki> [--files N] [--server path]`
// works on a copy of the wiki; it prints how long a request sent just after the notification waited, the RSS, and
// how long a restart then takes to its first answer once the server has written its index cache again.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initialize, startServer, stopServer, uriOf } from './lspSession';

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
const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

void (async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'la-branch-'));
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'la-branch-store-'));
  try {
    fs.cpSync(source, dir, { recursive: true });
    const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.md')).sort();
    let batchDone: ((message: string) => void) | undefined;
    let cacheWritten: (() => void) | undefined;
    const s = startServer(server, (m) => {
      if (/^Read \d+ changed files again/.test(m)) batchDone?.(m);
      if (/^Index cache written/.test(m)) cacheWritten?.();
    });
    const child = s.child;
    const conn = s.conn;
    await initialize(s, dir, storage);
    await s.ready;
    const probe = uriOf(path.join(dir, files[files.length - 1]));
    await conn.sendRequest('linkedArticles/backlinks', { uri: probe });
    console.log(`${files.length} articles indexed; RSS ${rss(child.pid!).toFixed(0)} MB`);
    // A branch with other texts: each of the first N files gets a new paragraph and a new link.
    const changed = files.slice(0, changes);
    for (const f of changed) fs.appendFileSync(path.join(dir, f), `\n\nAnother paragraph, on [[${files[(files.indexOf(f) * 7) % files.length].replace(/\.md$/, '')}]].\n`);
    const done = new Promise<string>((resolve) => (batchDone = resolve));
    const rewritten = new Promise<void>((resolve) => (cacheWritten = resolve));
    const t0 = performance.now();
    await conn.sendNotification('workspace/didChangeWatchedFiles', { changes: changed.map((f) => ({ uri: uriOf(path.join(dir, f)), type: 2 })) });
    await conn.sendRequest('linkedArticles/backlinks', { uri: probe });
    const waited = performance.now() - t0;
    // A server that takes the batch in before answering (older builds) says nothing of it.
    const said = await Promise.race([done, new Promise<string>((resolve) => setTimeout(() => resolve('no word of the batch'), 5000).unref())]);
    const all = performance.now() - t0;
    console.log(`${changed.length} files changed: a request sent just after waited ${waited.toFixed(0)} ms; all taken in after ${all.toFixed(0)} ms ("${said}"); RSS ${rss(child.pid!).toFixed(0)} MB`);
    // A server that does not write its cache again after a batch (older builds) leaves the restart to read the batch's files.
    const again = await Promise.race([rewritten.then(() => 'written again'), new Promise<string>((resolve) => setTimeout(() => resolve('not written again within 30 s'), 30_000).unref())]);
    await stopServer(s);
    let indexed = '';
    const r = startServer(server, (m) => {
      if (/^Indexed /.test(m)) indexed = m;
    });
    await initialize(r, dir, storage);
    const readyAt = await r.ready;
    console.log(`restart after the batch (index cache ${again}): index complete after ${(readyAt - r.t0).toFixed(0)} ms ("${indexed}")`);
    await stopServer(r);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  }
})();
