// Times the bundled server's cold start and restarts on one wiki, for comparing two builds side by side (the machine's speed drifts too much for anything else):
// `node --import tsx bench/startup.ts <wiki> [--runs N] [--server path/to/server.js] [--verbose]`; each run starts cold
// (a fresh storage folder) and then restarts once from the cache that run wrote. NODE_EXTRA adds node options (e.g. --cpu-prof).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initialize, startServer, stopServer, uriOf } from './lspSession';

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
const article = fs.readdirSync(dir).find((f) => f.endsWith('.md'));
if (!article) throw new Error(`${dir} has no article at its top level`);
const hasCache = (storage: string) => fs.readdirSync(storage, { recursive: true }).some((f) => String(f).endsWith('.bin'));

/** Starts the server, waits for the index and a first backlinks answer; waits for the cache to be written if asked. */
async function start(storage: string, waitForCache: boolean): Promise<{ ready: number; answer: number }> {
  const extra = process.env.NODE_EXTRA ? process.env.NODE_EXTRA.split(' ') : [];
  const s = startServer(server, (m) => verbose && console.log(`  ${(performance.now() - s.t0).toFixed(0).padStart(6)} ms  ${m}`), extra);
  await initialize(s, dir, storage);
  const readyAt = (await s.ready) - s.t0;
  await s.conn.sendRequest('linkedArticles/backlinks', { uri: uriOf(path.join(dir, article!)) });
  const answer = performance.now() - s.t0;
  while (waitForCache && !hasCache(storage)) await new Promise((resolve) => setTimeout(resolve, 100));
  await stopServer(s);
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
