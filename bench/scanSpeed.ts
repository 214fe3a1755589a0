// Measures the fast scanner's throughput (MB/s) on a corpus folder: `node --import tsx bench/scanSpeed.ts [folder]`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { scanArticle } from '../server/src/core/scan';

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.md')) out.push(p);
  }
}

const folder = process.argv[2] ?? '../shared/corpora/owasp-wiki';
const files: string[] = [];
walk(folder, files);
const texts = files.map((f) => readFileSync(f, 'utf8'));
const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
// Warm-up so the JIT has compiled the hot loops before timing.
for (const t of texts.slice(0, 500)) scanArticle(t);
let best = Infinity;
for (let round = 0; round < 5; round++) {
  const t0 = process.hrtime.bigint();
  for (const t of texts) scanArticle(t);
  best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
}
console.log(`${files.length} files, ${(bytes / 1e6).toFixed(1)} MB, best of 5: ${best.toFixed(3)} s, ${(bytes / 1e6 / best).toFixed(1)} MB/s`);
