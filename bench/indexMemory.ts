// Builds the index of one wiki in this process and prints the time, the heap after a full GC and the RSS:
// `node --expose-gc --import tsx bench/indexMemory.ts bench/.wikis/10000 [--workers N] [--cache DIR]`.
import { buildIndex } from '../server/src/core/indexer';
import { defaultSettings } from '../server/src/core/settings';
import { Wiki } from '../server/src/core/wiki';
import { NodeWorkspace } from '../server/src/core/workspace';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? 'bench/.wikis/10000';
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const settings = defaultSettings();
const ws = new NodeWorkspace([dir], settings);
const wiki = new Wiki(ws.folders, settings);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const report = buildIndex(wiki, ws, { workers: opt('--workers') === undefined ? undefined : Number(opt('--workers')), cacheDir: opt('--cache'), log: (m) => console.error(m) });
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
gc?.();
const mem = process.memoryUsage();
const mb = (n: number) => (n / 1048576).toFixed(0) + ' MB';
console.log(
  `${report.articles} articles (${report.fromCache ?? 0} from the cache, ${report.workers} workers): ${wall.toFixed(0)} ms wall, ` +
    `${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU (all threads); heap ${mb(mem.heapUsed)}, external+arrays ${mb(mem.external + mem.arrayBuffers)}, RSS ${mb(mem.rss)}` +
    (gc ? '' : ' (run with --expose-gc for the heap after a full collection)'),
);
