// Times the index worker's per-article analysis (Wiki.analyse) and its parts on a corpus folder, from texts already read:
// `node --import tsx bench/analyseSpeed.ts [folder] [--digest file]`. `--digest` writes one hash per article of
// everything analyse returned, so two versions of the code can be proved to give the same output (`cmp` the files).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LineIndex } from '../server/src/core/lineIndex';
import { lastSegment, nameKey } from '../server/src/core/names';
import { scanArticle } from '../server/src/core/scan';
import { leadParagraph, Wiki } from '../server/src/core/wiki';

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.md')) out.push(p);
  }
}

const args = process.argv.slice(2);
const digestAt = args.indexOf('--digest');
const digestFile = digestAt >= 0 ? args.splice(digestAt, 2)[1] : undefined;
const folder = resolve(args[0] ?? '../shared/corpora/owasp-wiki');
const files: string[] = [];
walk(folder, files);
const texts = files.map((f) => readFileSync(f, 'utf8'));
const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
const wiki = new Wiki([folder]);

if (digestFile) {
  const lines: string[] = [];
  files.forEach((f, i) => {
    const a = wiki.analyse(f, texts[i]);
    const plain = { ...a, lines: { starts: [...a.lines.starts], length: a.lines.length, ends: [...a.lines.starts].map((_, l) => a.lines.lineEnd(l)) } };
    lines.push(`${f.slice(folder.length + 1)} ${createHash('sha1').update(JSON.stringify(plain)).digest('hex')}`);
  });
  writeFileSync(digestFile, lines.join('\n') + '\n');
  console.log(`${files.length} digests written to ${digestFile}`);
  process.exit(0);
}

/**
 * The first pass (cold: an index worker reads each file once, so much of its code runs before the JIT has compiled
 * it), then the best of 5, as wall time and as the process's CPU time (the steadier of the two on a busy machine).
 */
function best(label: string, run: () => void): void {
  const cold0 = process.cpuUsage();
  run();
  const cold = process.cpuUsage(cold0);
  let wall = Infinity;
  let cpu = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    run();
    const c = process.cpuUsage(c0);
    wall = Math.min(wall, Number(process.hrtime.bigint() - t0) / 1e9);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  const ms = (s: number) => (s * 1000).toFixed(0).padStart(6);
  console.log(`${label.padEnd(14)} ${ms(wall)} ms wall ${(bytes / 1e6 / wall).toFixed(1).padStart(6)} MB/s  ${ms(cpu)} ms CPU  (cold: ${ms((cold.user + cold.system) / 1e6)} ms CPU)`);
}

console.log(`${files.length} files, ${(bytes / 1e6).toFixed(1)} MB, best of 5 after a first pass:`);
// First, while the heap holds nothing but the texts.
best('analyse', () => files.forEach((f, i) => wiki.analyse(f, texts[i])));
best('scanArticle', () => texts.forEach((t) => scanArticle(t)));
const syntaxes = texts.map((t) => scanArticle(t));
best('leadParagraph', () => texts.forEach((t, i) => leadParagraph(t, syntaxes[i])));
best('LineIndex', () => texts.forEach((t) => new LineIndex(t)));
const targets = syntaxes.flatMap((s) => s.links.map((l) => l.target));
// Uncached, unlike analyse's memo: the cost of the keys themselves.
best('nameKey', () => targets.forEach((t) => nameKey(lastSegment(t), 'insensitive')));
