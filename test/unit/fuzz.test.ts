// A bounded fuzz run (fast-check) over the scanner, the incremental index and the core's editor features; scripts/fuzz.ts runs the same properties longer.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { check, corpusSample, featureInput, featureProperty, indexOps, indexProperty, mutatedArticle, repetitiveArticle, scanProperty, tokenArticle, type FeatureStats, type ScanStats } from './fuzzProperties';

// A fixed seed keeps `npm test` reproducible; FUZZ_SEED explores elsewhere.
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20240611;
const counts: string[] = [];
after(() => console.log(`fuzz (seed ${seed}): ${counts.join('; ')}`));

describe('the scanner under fuzzing', () => {
  test('random token articles: no exception, under 250 ms each, every span inside and well nested', () => {
    const stats: ScanStats = { docs: 0, bytes: 0, slowestMs: 0 };
    check(fc.property(tokenArticle(120), scanProperty(250, stats)), { numRuns: 1500, seed });
    counts.push(`${stats.docs} token articles (slowest ${stats.slowestMs.toFixed(1)} ms)`);
    assert.ok(stats.docs >= 1500);
  });

  test('a few tokens repeated thousands of times are scanned in time linear in their length', () => {
    const stats: ScanStats = { docs: 0, bytes: 0, slowestMs: 0 };
    // 500 ms plus 10 ms per KB: room for a loaded machine, and still far below what a quadratic scan needs.
    check(fc.property(repetitiveArticle(20_000), scanProperty((n) => 500 + n / 100, stats)), { numRuns: 150, seed });
    counts.push(`${stats.docs} repetitive articles, ${(stats.bytes / 1048576).toFixed(1)} MB (slowest ${stats.slowestMs.toFixed(1)} ms)`);
    assert.ok(stats.docs >= 150);
  });

  test('mutated corpus articles: no exception, under 500 ms each, every span inside and well nested', (t) => {
    const sample = corpusSample(400);
    if (sample.length === 0) return t.skip('../shared/corpora is absent: no corpus articles to mutate');
    const stats: ScanStats = { docs: 0, bytes: 0, slowestMs: 0 };
    check(fc.property(mutatedArticle(sample), scanProperty(500, stats)), { numRuns: 600, seed });
    counts.push(`${stats.docs} mutated corpus articles, ${(stats.bytes / 1048576).toFixed(1)} MB (slowest ${stats.slowestMs.toFixed(1)} ms)`);
    assert.ok(stats.docs >= 600);
  });
});

describe('the index under random edits', () => {
  test('after any sequence of writes, deletes, renames, opens and closes, the index equals one built afresh', () => {
    let runs = 0;
    check(
      fc.property(indexOps, (ops) => {
        runs++;
        indexProperty(ops);
      }),
      { numRuns: 300, seed },
    );
    counts.push(`${runs} edit sequences`);
    assert.equal(runs, 300);
  });
});

describe('the core features at random positions', () => {
  test('completion, hover, definition, references, symbols and links: no exception, under 250 ms, ranges inside their documents', () => {
    const stats: FeatureStats = { requests: 0, slowestMs: 0 };
    const sample = corpusSample(100);
    check(fc.property(featureInput(sample, 100, 6), featureProperty(250, stats)), { numRuns: 400, seed });
    counts.push(`${stats.requests} feature requests (slowest ${stats.slowestMs.toFixed(1)} ms)`);
    assert.ok(stats.requests >= 400 * 3);
  });
});
