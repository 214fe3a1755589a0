// Times the bundled server's cold start and restarts on one wiki, for comparing two builds side by side (the machine's speed drifts too much for anything else):
// `node --import tsx bench/startup.ts <wiki> [--runs N] [--server path/to/server.js] [--verbose]`; each run starts cold
// (a fresh storage folder) and then restarts once from the cache that run wrote. NODE_EXTRA adds node options (e.g. --cpu-prof).
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
  if (a === '--verbose') options.verbose = 'yes';
  else if (a.startsWith('--')) options[a.slice(2)] = process.argv[++i];
  else positional.push(a);
}
const dir = path.resolve(positional[0] ?? path.join(__dirname, '.wikis/10000'));
const runs = Number(options.runs ?? 3);
const server = path.resolve(options.server ?? path.join(__dirname, '../dist/server.js'));
const verbose = !!options.verbose;
const uriOf = (p: string) => 'file://' + p.split('/').map(encodeURIComponent).join('/');
const article = fs.readdirSync(dir).find((f) => f.endsWith('.md'));
if (!article) throw new Error(`${dir} has no article at its top level`);
const hasCache = (storage: string) => fs.readdirSync(storage, { recursive: true }).some((f) => String(f).endsWith('.bin'));

/** Starts the server, waits for the index and a first backlinks answer; waits for the cache to be written if asked. */
async function start(storage: string, waitForCache: boolean): Promise<{ ready: number; answer: number }> {
  const t0 = performance.now();
  const extra = process.env.NODE_EXTRA ? process.env.NODE_EXTRA.split(' ') : [];
  const child = spawn(process.execPath, [...SERVER_EXEC_ARGV, ...extra, server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...SERVER_ENV } });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  let ready!: () => void;
  const indexed = new Promise<void>((resolve) => (ready = resolve));
  conn.onNotification('linkedArticles/status', (p: { state: string }) => {
    if (p.state === 'ready') ready();
  });
  conn.onNotification('window/logMessage', (p: { message: string }) => {
    if (verbose) console.log(`  ${(performance.now() - t0).toFixed(0).padStart(6)} ms  ${p.message}`);
  });
  conn.onNotification('$/progress', () => {});
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uriOf(dir),
    workspaceFolders: [{ uri: uriOf(dir), name: path.basename(dir) }],
    initializationOptions: { storagePath: storage },
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
  });
  await conn.sendNotification('initialized', {});
  await indexed;
  const readyAt = performance.now() - t0;
  await conn.sendRequest('linkedArticles/backlinks', { uri: uriOf(path.join(dir, article!)) });
  const answer = performance.now() - t0;
  while (waitForCache && !hasCache(storage)) await new Promise((resolve) => setTimeout(resolve, 100));
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  await new Promise((resolve) => child.once('exit', resolve));
  conn.dispose();
  return { ready: readyAt, answer };
}

void (async () => {
  console.log(`${server} on ${dir}:`);
  for (let i = 0; i < runs; i++) {
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'la-startup-'));
    try {
      const cold = await start(storage, true);
      const warm = await start(storage, false);
      console.log(`  cold: index ready ${cold.ready.toFixed(0)} ms, first backlinks ${cold.answer.toFixed(0)} ms; restart: ${warm.ready.toFixed(0)} ms, ${warm.answer.toFixed(0)} ms (load ${os.loadavg()[0].toFixed(1)})`);
    } finally {
      fs.rmSync(storage, { recursive: true, force: true });
    }
  }
})();
