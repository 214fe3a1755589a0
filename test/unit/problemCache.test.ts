// A check with --cache keeps the last check's problems only where they still hold: after each kind of edit it reports exactly what a check without the cache reports, and re-checks only the articles the edit can change.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkWiki } from '../../server/src/core/check';
import { buildIndex, type IndexOptions } from '../../server/src/core/indexer';
import { Wiki } from '../../server/src/core/wiki';
import { NodeWorkspace } from '../../server/src/core/workspace';
import { mergeSettings } from '../../server/src/core/settings';

function write(root: string, rel: string, content: string): void {
  const full = path.join(root, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
}

/** 30 articles that link to each other by title, path, heading and alias, with footnotes and a few broken links. */
function makeWiki(root: string): void {
  for (let i = 0; i < 30; i++) {
    const next = (i + 1) % 30;
    write(
      root,
      (i % 4 === 0 ? 'sub/' : '') + `Topic_${i}.md`,
      [
        i % 6 === 0 ? `---\ntitle: Topic ${i}\naliases: [Alias ${i}]\n---\n` : `# Topic ${i}\n`,
        `Lead of ${i}, about [[Topic ${next}]] and [[Topic ${(i + 2) % 30}#Section ${(i + 2) % 30}]].[^a]\n`,
        `## Section ${i}\n`,
        `See [md](Topic_${(i + 3) % 30}.md), [[Alias ${(i * 6) % 30}]], [[Topic ${i}#Later]] and ![[logo.png]].\n`,
        i % 5 === 0 ? `Also [[Someday ${i}]] and [[File:chart.svg]].\n` : '',
        `[^a]: A note.\n`,
      ].join('\n'),
    );
  }
}

function render(articles: { path: string; problems: { code: string; message: string; range: unknown; severity: string }[] }[]): string[] {
  return articles.flatMap((a) => a.problems.map((p) => `${a.path} ${JSON.stringify(p.range)} ${p.severity} ${p.code} ${p.message}`));
}

for (const where of ['in this thread', 'in the check workers'] as const) describe(`the problem cache of check --cache, checking ${where}`, () => {
  let root: string;
  let store: string;
  const settings = mergeSettings({});
  const logs: string[] = [];
  // In production the workers take over from 5,000 articles to check; here from the first, so that this small wiki
  // goes through them.
  const threads = where === 'in this thread' ? { workers: 0 } : { workers: 2, checkWorkersFrom: 1 };
  const cached = (s = settings, extra: IndexOptions = {}) => checkWiki([root], s, { cacheDir: store, ...threads, ...extra, log: (m) => logs.push(m) });
  /** What a check without any cache finds: the oracle every cached check must equal. */
  const fresh = (s = settings) => render(checkWiki([root], s, { workers: 0, log: () => {} }).articles);

  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-problems-wiki-')));
    store = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-problems-store-')));
    logs.length = 0;
    makeWiki(root);
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  });

  /** Checks after `edit` and returns how many articles were checked afresh, having compared all problems with the oracle. */
  function after(edit: () => void): number {
    const before = cached();
    assert.deepEqual(render(before.articles), fresh(), 'the cached check before the edit is right');
    edit();
    const now = cached();
    const want = fresh();
    assert.deepEqual(render(now.articles), want);
    const checked = now.articles.length - now.report.problemsFromCache!;
    if (checked > 0) assert.equal(now.report.workers! > 0, threads.workers > 0, `the articles were checked ${where}`);
    return checked;
  }

  test('an unchanged wiki takes every article\'s problems from the cache, and they are the ones a fresh check finds', () => {
    const first = cached();
    assert.equal(first.report.problemsFromCache, 0);
    assert.ok(render(first.articles).some((l) => /broken-link/.test(l)), 'the wiki has problems to keep');
    const second = cached();
    assert.equal(second.report.problemsFromCache, 30);
    assert.equal(second.report.scanned, 0, 'no article was scanned again');
    assert.deepEqual(render(second.articles), fresh());
  });

  test('an edit to the body of one article checks that article alone', () => {
    assert.equal(after(() => write(root, 'Topic_1.md', '# Topic 1\n\n## Section 1\n\nNow [[Nowhere]] and [^x].\n')), 1);
  });

  test('a heading added to one article checks again the articles that link to it', () => {
    const n = after(() => fs.appendFileSync(path.join(root, 'Topic_1.md'), '\n## Later\n'));
    assert.ok(n > 1 && n < 30, `${n} articles were checked again`);
  });

  test('a renamed article breaks the links to its old name and mends those to its new one', () => {
    const n = after(() => fs.renameSync(path.join(root, 'Topic_2.md'), path.join(root, 'Someday_5.md')));
    assert.ok(n > 1 && n < 30, `${n} articles were checked again`);
  });

  test('a deleted article breaks the links to it', () => {
    assert.ok(after(() => fs.rmSync(path.join(root, 'sub/Topic_8.md'))) > 0);
  });

  test('a new title and alias in front matter change the links that name them', () => {
    after(() => write(root, 'Topic_3.md', '---\ntitle: Someday 10\naliases: [Alias 12]\n---\n\n## Section 3\n'));
  });

  test('an attachment that appears or goes away mends or breaks the links to it, File: links too', () => {
    after(() => write(root, 'logo.png', 'not really a picture'));
    after(() => write(root, 'media/chart.svg', '<svg/>'));
    after(() => fs.rmSync(path.join(root, 'logo.png')));
  });

  test('a heading renamed in an article checks again the links to it through a redirect page, and a redirect moved elsewhere its linkers', () => {
    write(root, 'Old_topic.md', '1.  REDIRECT [Topic 7](Topic_7 "wikilink")\n');
    write(root, 'Older_topic.md', '#REDIRECT [[Old topic]]\n');
    write(root, 'Reader.md', '# Reader\n\n[[Old topic#Section 7]] and [[Older topic#Section 7]].\n');
    after(() => write(root, 'Topic_7.md', '# Topic 7\n\n## Section seven\n'));
    assert.ok(fresh().some((l) => l.includes('Reader.md') && /broken-heading No heading 'Section 7' in 'Topic 7' \(where 'Old topic' redirects\)/.test(l)), 'the link through the redirect is broken now');
    after(() => write(root, 'Old_topic.md', '1.  REDIRECT [Topic 8](Topic_8 "wikilink")\n'));
    after(() => write(root, 'Older_topic.md', '# Older topic\n\nNo longer a redirect.\n'));
  });

  test('a file touched without a change checks nothing again', () => {
    const later = new Date(Date.now() + 5000);
    assert.equal(after(() => fs.utimesSync(path.join(root, 'Topic_5.md'), later, later)), 0);
  });

  test('other settings check every article again', () => {
    cached();
    const quiet = mergeSettings({ severity: { 'broken-link': 'off' } });
    const now = cached(quiet);
    assert.equal(now.report.problemsFromCache, 0);
    assert.deepEqual(render(now.articles), fresh(quiet));
  });

  test('a problem cache of the wrong shape is said in a log line and the check is right all the same', () => {
    cached();
    const file = path.join(store, fs.readdirSync(store).find((f) => f.startsWith('check-'))!);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    const first = Object.keys(stored.articles)[0];
    for (const broken of [null, { ...stored.articles[first], linkKeys: [1e9] }, { ...stored.articles[first], stub: ['x', 'y', 2, 'k'] }, { ...stored.articles[first], problems: [{ code: 'broken-link' }] }]) {
      stored.articles[first] = broken;
      fs.writeFileSync(file, JSON.stringify(stored));
      logs.length = 0;
      const now = cached();
      assert.equal(now.report.problemsFromCache, 0);
      assert.deepEqual(render(now.articles), fresh());
      assert.ok(logs.some((l) => l.includes(`the entry of ${first} is malformed`)), logs.join('\n'));
    }
  });

  test('a corrupt problem cache is said in a log line and the check is right all the same', () => {
    cached();
    const file = fs.readdirSync(store).find((f) => f.startsWith('check-'));
    assert.ok(file, 'the problems were cached beside the index');
    fs.writeFileSync(path.join(store, file), '{"magic": "linked-articles-problems", "articles": [');
    const now = cached();
    assert.equal(now.report.problemsFromCache, 0);
    assert.deepEqual(render(now.articles), fresh());
    assert.ok(logs.some((l) => /check cache: ignoring/.test(l)), logs.join('\n'));
  });

  if (where === 'in the check workers') {
    test('a check worker that fails leaves the check to this thread, which finds what a fresh check finds', () => {
      cached();
      fs.appendFileSync(path.join(root, 'Topic_1.md'), '\n## Later\n');
      logs.length = 0;
      const now = cached(settings, { workerFault: 'throw' });
      assert.ok(logs.some((l) => /check worker failed .*checking in this thread instead/s.test(l)), logs.join('\n'));
      assert.equal(now.report.workers, 0);
      assert.deepEqual(render(now.articles), fresh());
      assert.ok(now.report.problemsFromCache! > 0, 'the retry still used the cache');
    });
  }
});

test('a check that found under 2% of the articles stale keeps the problem cache as it was, and the next check is right all the same', () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-problems-wiki-')));
  const store = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-problems-store-')));
  try {
    makeWiki(root);
    for (let i = 0; i < 90; i++) write(root, `extra/Page_${i}.md`, `# Page ${i}\n\nAbout [[Page ${(i + 1) % 90}]].\n`);
    // An hour old, so that no file counts as changed just before the cache was written (and is read again for it).
    const old = new Date(Date.now() - 3600_000);
    for (const f of fs.readdirSync(root, { recursive: true }).map(String)) fs.utimesSync(path.join(root, f), old, old);
    const settings = mergeSettings({});
    const run = () => checkWiki([root], settings, { cacheDir: store, workers: 0, log: () => {} });
    run();
    const file = path.join(store, fs.readdirSync(store).find((f) => f.startsWith('check-'))!);
    const kept = fs.readFileSync(file);
    write(root, 'extra/Page_5.md', '# Page 5\n\nNow about [[Page 404]].\n');
    const first = run();
    assert.equal(first.articles.length - first.report.problemsFromCache!, 1);
    assert.deepEqual(fs.readFileSync(file), kept, 'one stale article in 120 leaves the file as it was');
    const second = run();
    assert.equal(second.articles.length - second.report.problemsFromCache!, 1, 'the edited article is checked again');
    assert.deepEqual(render(second.articles), render(checkWiki([root], settings, { workers: 0, log: () => {} }).articles));
    assert.ok(render(second.articles).some((l) => l.includes("No article named 'Page 404'")));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  }
});

test('a check never keeps its caches inside the wiki, and says so', () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-problems-wiki-')));
  try {
    makeWiki(root);
    const logs: string[] = [];
    const { articles } = checkWiki([root], mergeSettings({}), { cacheDir: path.join(root, '.cache'), workers: 0, log: (m) => logs.push(m) });
    assert.equal(articles.length, 30);
    assert.ok(logs.some((l) => /never written into a wiki/.test(l)), logs.join('\n'));
    assert.deepEqual(fs.readdirSync(root, { recursive: true }).map(String).filter((f) => !f.endsWith('.md') && f !== 'sub'), []);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('on a copy of anarwiki, a cached check after a rename, a new heading and a deletion reports what a fresh check reports', (t) => {
  const corpus = path.resolve(__dirname, '../../../shared/corpora/anarwiki/pages');
  if (!fs.existsSync(corpus)) return t.skip(`corpus ${corpus} is absent`);
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-problems-anarwiki-')));
  const store = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-problems-store-')));
  try {
    fs.cpSync(corpus, root, { recursive: true });
    const settings = mergeSettings({});
    const run = () => checkWiki([root], settings, { cacheDir: store, log: () => {} });
    const fresh = () => render(checkWiki([root], settings, { log: () => {} }).articles);
    assert.deepEqual(render(run().articles), fresh(), 'the first check, which fills the cache');
    // The most linked article is renamed, so that many others' links break.
    const ws = new NodeWorkspace([root], settings);
    const wiki = new Wiki(ws.folders, settings);
    buildIndex(wiki, ws, { workers: 0, log: () => {} });
    const hub = [...wiki.articles.values()].sort((a, b) => wiki.incomingCount(b) - wiki.incomingCount(a))[0];
    const files = fs.readdirSync(root).filter((f) => f.endsWith('.md')).sort();
    fs.renameSync(hub.path, hub.path.replace(/\.md$/, '_moved.md'));
    fs.appendFileSync(path.join(root, files[10]), '\n\n## A heading added by the test\n');
    fs.rmSync(path.join(root, files[20]));
    const now = run();
    const stale = now.articles.length - now.report.problemsFromCache!;
    assert.ok(stale > 3 && stale < now.articles.length, `${stale} of ${now.articles.length} articles were checked again`);
    assert.deepEqual(render(now.articles), fresh());
    t.diagnostic(`anarwiki: renaming ${path.basename(hub.path)} (${wiki.incomingCount(hub)} linking articles) checked ${stale} of ${now.articles.length} articles again`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  }
});

for (const where of ['in the workers', 'in this thread'] as const) {
  test(`a first cached check ${where} records what a later one needs, and both report what a fresh check reports`, () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-problems-wiki-')));
    const store = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-problems-store-')));
    try {
      makeWiki(root);
      for (let i = 0; i < 200; i++) write(root, `extra/Page_${i}.md`, `# Page ${i}\n\n## Part\n\nAbout [[Page ${(i + 1) % 200}#Part]] and [[Topic ${i % 30}]].[^n]\n\n[^n]: A note.\n`);
      const settings = mergeSettings({});
      const run = () => checkWiki([root], settings, { cacheDir: store, workers: 2, checkInThreadBelow: where === 'in the workers' ? 0 : undefined, log: () => {} });
      const fresh = () => render(checkWiki([root], settings, { workers: 0, log: () => {} }).articles);
      const first = run();
      assert.equal(first.report.workers ?? 0, where === 'in the workers' ? 2 : 0, `the first check ran ${where}`);
      assert.deepEqual(render(first.articles), fresh());
      fs.writeFileSync(path.join(root, 'Topic_7.md'), '# Topic 7\n\nNo sections any more.\n');
      const second = run();
      const stale = second.articles.length - second.report.problemsFromCache!;
      assert.ok(stale > 1 && stale < 40, `${stale} articles were checked again`);
      assert.deepEqual(render(second.articles), fresh());
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(store, { recursive: true, force: true });
    }
  });
}
