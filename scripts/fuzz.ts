// The long fuzz run: the unit fuzzers' properties with many more cases (and, with --server, requests to dist/server.js); prints what ran and what failed.
// Usage: node --import tsx scripts/fuzz.ts [--runs N] [--seed S] [--only scan|repeat|mutate|index|features|server] [--server]
import fc from 'fast-check';
import { check, corpusSample, featureInput, featureProperty, indexOps, indexProperty, mutatedArticle, repetitiveArticle, scanProperty, tokenArticle, type FeatureStats, type ScanStats } from '../test/unit/fuzzProperties';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(arg('--runs') ?? 10_000);
const seed = Number(arg('--seed') ?? Date.now() % 2 ** 31);
const only = arg('--only');
const failures: string[] = [];

function run(name: string, f: () => string): void {
  if (only && only !== name) return;
  const t0 = performance.now();
  try {
    const summary = f();
    console.log(`${name}: ${summary} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (e) {
    // A counterexample can be megabytes of text: its head and size are enough to reproduce it with the seed.
    const full = e instanceof Error ? e.message : String(e);
    const msg = full.length > 3000 ? `${full.slice(0, 3000)}… (${full.length} characters in all)` : full;
    failures.push(`${name}: ${msg}`);
    console.log(`${name}: FAILED after ${((performance.now() - t0) / 1000).toFixed(1)} s\n${msg}`);
  }
}

console.log(`fuzz: seed ${seed}, ${runs} runs per property`);

run('scan', () => {
  const stats: ScanStats = { docs: 0, bytes: 0, slowestMs: 0 };
  check(fc.property(tokenArticle(400), scanProperty(500, stats)), { numRuns: runs, seed });
  return `${stats.docs} token articles, ${(stats.bytes / 1048576).toFixed(1)} MB, slowest ${stats.slowestMs.toFixed(1)} ms`;
});

run('repeat', () => {
  const stats: ScanStats = { docs: 0, bytes: 0, slowestMs: 0 };
  check(fc.property(repetitiveArticle(50_000), scanProperty((n) => 500 + n / 100, stats)), { numRuns: Math.max(1, Math.floor(runs / 20)), seed });
  return `${stats.docs} repetitive articles, ${(stats.bytes / 1048576).toFixed(1)} MB, slowest ${stats.slowestMs.toFixed(1)} ms`;
});

run('mutate', () => {
  const sample = corpusSample(3000);
  if (!sample.length) return 'skipped: ../shared/corpora is absent';
  const stats: ScanStats = { docs: 0, bytes: 0, slowestMs: 0 };
  check(fc.property(mutatedArticle(sample), scanProperty(1000, stats)), { numRuns: runs, seed });
  return `${stats.docs} mutated corpus articles (from ${sample.length}), ${(stats.bytes / 1048576).toFixed(1)} MB, slowest ${stats.slowestMs.toFixed(1)} ms`;
});

run('index', () => {
  let n = 0;
  const ops = Math.max(1, Math.floor(runs / 5));
  check(
    fc.property(indexOps, (o) => {
      n++;
      indexProperty(o);
    }),
    { numRuns: ops, seed },
  );
  return `${n} edit sequences`;
});

run('features', () => {
  const stats: FeatureStats = { requests: 0, slowestMs: 0 };
  const sample = corpusSample(500);
  check(fc.property(featureInput(sample, 200, 10), featureProperty(500, stats)), { numRuns: runs, seed });
  return `${stats.requests} feature requests, slowest ${stats.slowestMs.toFixed(1)} ms (${stats.slowest})`;
});

async function main(): Promise<void> {
  if (process.argv.includes('--server') || only === 'server') {
    const { serverFuzz } = await import('../test/lsp/fuzzServer');
    const t0 = performance.now();
    try {
      const r = await serverFuzz({ runs: Math.max(1, Math.floor(runs / 10)), seed });
      console.log(`server: ${r.documents} documents, ${r.requests} requests (${r.expectedErrors} expected errors), slowest ${r.slowestMs.toFixed(0)} ms, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (e) {
      failures.push(`server: ${e instanceof Error ? e.message : String(e)}`);
      console.log(`server: FAILED\n${e instanceof Error ? e.message : String(e)}`);
    }
  }
  console.log(failures.length ? `\n${failures.length} properties failed (seed ${seed})` : '\nno failures');
  process.exit(failures.length ? 1 : 0);
}

void main();
