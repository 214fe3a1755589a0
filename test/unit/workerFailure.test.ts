// Index workers that fail (throw inside a job, or exit as one out of memory would) leave their files to the main thread, and workers started early but not needed are stopped: the index and the check come out complete all the same.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { checkWiki } from '../../server/src/core/check';
import { buildIndex, buildIndexInSlices, type IndexOptions } from '../../server/src/core/indexer';
import { defaultSettings } from '../../server/src/core/settings';
import { Wiki } from '../../server/src/core/wiki';
import { NodeWorkspace } from '../../server/src/core/workspace';

let dir: string;
const ARTICLES = 400;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'la-worker-failure-'));
  // Enough articles for several jobs per worker (48 files a job), with links, broken ones and footnotes to check.
  for (let i = 0; i < ARTICLES; i++) {
    const text = `# Topic ${i}\n\n## Part ${i}\n\n[[Topic ${(i + 1) % ARTICLES}]] [[Topic ${(i + 3) % ARTICLES}#Part ${(i + 3) % ARTICLES}]] [[Missing ${i % 9}]] [[Topic ${i}#Nowhere]]\n\nA note.[^a] Another.[^b]\n\n[^a]: Defined.\n`;
    writeFileSync(join(dir, `Topic_${i}.md`), text);
  }
});

after(() => rmSync(dir, { recursive: true, force: true }));

function fresh(): { wiki: Wiki; ws: NodeWorkspace } {
  const settings = defaultSettings();
  const ws = new NodeWorkspace([dir], settings);
  return { wiki: new Wiki(ws.folders, settings), ws };
}

function oneThreadSnapshot() {
  const { wiki, ws } = fresh();
  buildIndex(wiki, ws, { workers: 0, log: () => {} });
  return wiki.snapshot();
}

function options(fault: IndexOptions['workerFault'], logs: string[]): IndexOptions {
  return { workers: 2, workerFault: fault, checkInThreadBelow: 0, log: (m) => logs.push(m) };
}

test('a worker that throws inside a job leaves its files to the main thread, and the index is the one-thread index', () => {
  const logs: string[] = [];
  const { wiki, ws } = fresh();
  const report = buildIndex(wiki, ws, options('throw', logs));
  assert.equal(report.workers, 2, 'the build started workers');
  assert.equal(report.articles, ARTICLES);
  assert.ok(logs.some((m) => m.includes('index worker failed') && m.includes('failing as IndexOptions.workerFault asked')), logs.join('\n'));
  assert.deepEqual(wiki.snapshot(), oneThreadSnapshot());
});

test('a worker that dies without a word is given up by the synchronous build once it shows no sign of life, and the index is the one-thread index', () => {
  const logs: string[] = [];
  const { wiki, ws } = fresh();
  // Blocked in Atomics.wait, the build cannot hear the worker's exit; its silence is what gives it away.
  const report = buildIndex(wiki, ws, { ...options('exit', logs), workerSilenceMs: 500 });
  assert.equal(report.workers, 2, 'the build started workers');
  assert.equal(report.articles, ARTICLES);
  assert.ok(logs.some((m) => m.includes('index worker failed (no sign of life for 500 ms)')), logs.join('\n'));
  assert.deepEqual(wiki.snapshot(), oneThreadSnapshot());
});

test('a check whose worker dies without a word is made again over the whole index and finds the same problems', () => {
  const settings = defaultSettings();
  const logs: string[] = [];
  const failed = checkWiki([dir], settings, { ...options('exit', logs), workerSilenceMs: 500 });
  assert.ok(logs.some((m) => m.includes('no sign of life for 500 ms') && m.includes('checking with the whole index built again')), logs.join('\n'));
  assert.deepEqual(failed.articles, checkWiki([dir], settings, { workers: 2, log: () => {} }).articles);
});

for (const fault of ['throw', 'exit'] as const) {
  test(`the background build finishes the index in the main thread when a worker ${fault === 'exit' ? 'exits' : 'throws'} mid-build`, async () => {
    const logs: string[] = [];
    const { wiki, ws } = fresh();
    const report = await buildIndexInSlices(wiki, ws, options(fault, logs));
    assert.equal(report.articles, ARTICLES);
    const said = fault === 'exit' ? 'exited with code 70' : 'failing as IndexOptions.workerFault asked';
    assert.ok(logs.some((m) => m.includes('index worker failed') && m.includes(said)), logs.join('\n'));
    assert.deepEqual(wiki.snapshot(), oneThreadSnapshot());
  });
}

test('a check whose worker fails is made again over the whole index and finds the same problems', () => {
  const settings = defaultSettings();
  const logs: string[] = [];
  const failed = checkWiki([dir], settings, options('throw', logs));
  const healthy = checkWiki([dir], settings, { workers: 2, log: () => {} });
  assert.ok(logs.some((m) => m.includes('checking with the whole index built again')), logs.join('\n'));
  assert.equal(failed.articles.length, ARTICLES);
  assert.ok(healthy.articles.reduce((n, a) => n + a.problems.length, 0) >= ARTICLES * 3, 'a check with problems to compare');
  assert.deepEqual(failed.articles, healthy.articles);
});

test('workers started early for a folder of many files are stopped when few of them are articles, and the build is done here', async () => {
  // 320 entries make the builds start workers before listing; 3 articles are too few to give them.
  const small = mkdtempSync(join(tmpdir(), 'la-early-workers-'));
  try {
    for (let i = 0; i < 320; i++) writeFileSync(join(small, `picture_${i}.png`), 'not really a picture');
    for (const name of ['One', 'Two', 'Three']) writeFileSync(join(small, `${name}.md`), `# ${name}\n\n[[One]] [[picture_7.png]] [[Nowhere]]\n`);
    const settings = defaultSettings();
    for (const build of [buildIndex, buildIndexInSlices]) {
      const ws = new NodeWorkspace([small], settings);
      const wiki = new Wiki(ws.folders, settings);
      const report = await build(wiki, ws, { workers: 2, log: () => {} });
      assert.equal(report.workers, 0, `${build.name} scanned in this thread`);
      assert.equal(report.articles, 3);
      assert.equal(report.attachments, 320);
      assert.equal(wiki.backlinks(wiki.articles.get(join(small, 'One.md'))!).length, 3, `${build.name}: the index is complete`);
    }
  } finally {
    rmSync(small, { recursive: true, force: true });
  }
});
