// The on-disk index cache and the parallel indexer: reused when files are unchanged, invalidated per file, ignored when corrupt, never inside the wiki.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildIndex, buildIndexInSlices, type IndexOptions, type IndexReport } from '../../server/src/core/indexer';
import { cacheFile } from '../../server/src/core/cache';
import { articleProblems } from '../../server/src/core/diagnostics';
import { mergeSettings } from '../../server/src/core/settings';
import { hashText, Wiki, type Article } from '../../server/src/core/wiki';
import { NodeWorkspace } from '../../server/src/core/workspace';

function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

function write(root: string, rel: string, content: string): void {
  const full = path.join(root, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
}

/** An article with every kind of fact: front matter, headings, each link syntax, footnotes, a glossary section. */
function article(i: number, n: number): string {
  const t = (k: number) => `Topic ${(i * 7 + k) % n}`;
  return [
    i % 5 === 0 ? `---\ntitle: Topic ${i}\naliases: [T${i}]\n---\n` : `# Topic ${i}\n`,
    // Labels differ between articles, so a string id left untranslated when a record is copied shows.
    `Lead of topic ${i}, about [[${t(1)}]] and [[${t(2)}|a label]].[^n${i}]\n`,
    `## Section ${i}\n`,
    `See [[${t(3)}#Section ${(i * 7 + 3) % n}]], ![[${t(4)}]], [md](Topic_${(i * 7 + 5) % n}.md) and`,
    `"<a href="Topic_${(i * 7 + 6) % n}.md" class="wikilink"\ntitle="x">"x</a>, [w](Topic_${(i + 1) % n} "wikilink"), [[Missing ${i}]].\n`,
    '```\n[[Not a link]]\n```\n',
    '## Glossary\n\nTERM: a definition\n',
    `[^n${i}]: A note on ${i}.\n`,
  ].join('\n');
}

function makeWiki(root: string, n: number): void {
  for (let i = 0; i < n; i++) write(root, (i % 3 === 0 ? 'sub/' : '') + `Topic_${i}.md`, article(i, n));
}

function index(root: string, options: IndexOptions = {}, settings: Record<string, unknown> = {}): { wiki: Wiki; report: IndexReport; logs: string[] } {
  const s = mergeSettings(settings);
  const ws = new NodeWorkspace([root], s);
  const wiki = new Wiki(ws.folders, s);
  const logs: string[] = [];
  const report = buildIndex(wiki, ws, { log: (m) => logs.push(m), ...options });
  return { wiki, report, logs };
}

/** An article as plain data: what a feature could read from it. */
function facts(a: Article): unknown {
  // Named one by one: a closed article keeps its syntax packed and decodes it in a getter, which a spread would miss.
  const { path, folder, rel, title, titleSpan, aliases, syntax, keys, linkKeys, size, hash, placeholder, lines } = a;
  return { path, folder, rel, title, titleSpan, aliases, syntax, keys, linkKeys, size, hash, placeholder, lines: [...lines.starts, lines.length] };
}

function assertSameIndex(actual: Wiki, expected: Wiki): void {
  assert.deepEqual(actual.snapshot(), expected.snapshot());
  for (const [p, a] of expected.articles) {
    const b = actual.articles.get(p);
    assert.ok(b, `${p} is in the index`);
    assert.deepEqual(facts(b), facts(a));
    assert.deepEqual(articleProblems(actual, b), articleProblems(expected, a));
    // Backlinks read a packed article's links straight from its record: they must find what the objects give.
    const linksTo = (w: Wiki, x: Article) => w.backlinks(x).map((l) => `${l.source.path}:${l.link.span.start}-${l.link.span.end}`).sort();
    assert.deepEqual(linksTo(actual, b), linksTo(expected, a), `backlinks of ${p}`);
  }
}

/** Moves every file's mtime an hour back, so the "changed just now" safety check does not apply. */
function age(root: string): void {
  const old = new Date(Date.now() - 3600_000);
  const stack = [root];
  while (stack.length) {
    const d = stack.pop()!;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else fs.utimesSync(p, old, old);
    }
  }
}

describe('the index cache', () => {
  let root: string;
  let store: string;
  beforeEach(() => {
    root = tempDir('la-cache-wiki-');
    store = tempDir('la-cache-store-');
    makeWiki(root, 40);
    age(root);
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  });

  test('an unchanged wiki comes back from the cache without reading or scanning any article', () => {
    const first = index(root, { cacheDir: store, workers: 0 });
    assert.equal(first.report.scanned, 40);
    assert.ok(fs.existsSync(cacheFile(store, first.wiki.folders)), 'the cache file was written in the storage folder');
    assert.deepEqual(fs.readdirSync(store), [path.basename(cacheFile(store, first.wiki.folders))], 'no temporary file is left beside it');
    const second = index(root, { cacheDir: store, workers: 0 });
    assert.equal(second.report.fromCache, 40);
    assert.equal(second.report.scanned, 0);
    assert.equal(second.wiki.stats.parses, 0);
    assertSameIndex(second.wiki, first.wiki);
  });

  test('strings with line breaks, quotes, backslashes and line separators come back from the cache as they were written', () => {
    // A file name may hold a line break: its path is one of the cache's strings.
    write(root, 'Line\nBreak.md', [
      '# A "quoted" heading with a back\\slash and a \u2028 line separator',
      '',
      '[[Topic 2|a label with "quotes"]] and [[Topic 3#A "quoted" heading]].',
      '',
    ].join('\n'));
    age(root);
    const first = index(root, { cacheDir: store, workers: 0 });
    const second = index(root, { cacheDir: store, workers: 0 });
    assert.equal(second.report.fromCache, 41);
    assert.deepEqual(second.logs, []);
    assert.ok(second.wiki.articles.has(root + '/Line\nBreak.md'));
    assertSameIndex(second.wiki, first.wiki);
  });

  test('a file whose size changed is scanned again and the others come from the cache', () => {
    index(root, { cacheDir: store, workers: 0 });
    write(root, 'Topic_1.md', '# Topic 1\n\nNow links to [[Brand New]] only.\n');
    const { wiki, report } = index(root, { cacheDir: store, workers: 0 });
    assert.equal(report.scanned, 1);
    assert.equal(report.fromCache, 39);
    assert.deepEqual(wiki.articles.get(root + '/Topic_1.md')!.linkKeys, ['brand new']);
    assertSameIndex(wiki, index(root, { workers: 0 }).wiki);
  });

  test('a cache rewritten from cached articles (their records copied, not re-encoded) reads back as a fresh index', () => {
    index(root, { cacheDir: store, workers: 0 });
    write(root, 'Topic_2.md', '# Topic 2\n\nNow links to [[Topic 3#Section 1]] and [[Brand New|new]].[^n]\n\n[^n]: A note.\n');
    age(root);
    assert.equal(index(root, { cacheDir: store, workers: 0 }).report.fromCache, 39);
    const third = index(root, { cacheDir: store, workers: 0 });
    assert.equal(third.report.fromCache, 40);
    assertSameIndex(third.wiki, index(root, { workers: 0 }).wiki);
  });

  test('a cache folder that cannot be written is said in a log line, and the index is complete all the same', () => {
    const blocked = path.join(store, 'not-a-folder');
    fs.writeFileSync(blocked, 'x');
    const { wiki, report, logs } = index(root, { cacheDir: path.join(blocked, 'cache'), workers: 0 });
    assert.equal(report.articles, 40);
    assert.equal(report.cacheBytes, 0);
    assert.ok(logs.some((l) => /index cache: cannot write/.test(l)), logs.join('\n'));
    assertSameIndex(wiki, index(root, { workers: 0 }).wiki);
  });

  test('a file touched without a change (new mtime, same content) is read and hashed but not scanned', () => {
    index(root, { cacheDir: store, workers: 0 });
    const now = new Date();
    fs.utimesSync(path.join(root, 'Topic_2.md'), now, now);
    const { report } = index(root, { cacheDir: store, workers: 0 });
    assert.equal(report.scanned, 0);
    assert.equal(report.fromCache, 40);
  });

  test('the command line keeps its cache while under 2% of the files differ from it, and rewrites it from there', () => {
    for (let i = 40; i < 120; i++) write(root, `More_${i}.md`, article(i, 120));
    age(root);
    index(root, { cacheDir: store, workers: 0 });
    const file = cacheFile(store, [root]);
    const written = fs.readFileSync(file);
    write(root, 'Topic_1.md', '# Topic 1\n\nNow links to [[Brand New]] only.\n');
    const one = index(root, { cacheDir: store, workers: 0 });
    assert.equal(one.report.cacheBytes, undefined, 'one file in 120 does not rewrite the cache');
    assert.deepEqual(fs.readFileSync(file), written);
    const again = index(root, { cacheDir: store, workers: 0 });
    assert.equal(again.report.scanned, 1, 'the edited file is scanned again on the next run');
    assertSameIndex(again.wiki, index(root, { workers: 0 }).wiki);
    write(root, 'Topic_2.md', '# Topic 2\n');
    write(root, 'Topic_3.md', '# Topic 3\n');
    const three = index(root, { cacheDir: store, workers: 0 });
    assert.ok(three.report.cacheBytes! > 0, 'three files in 120 rewrite it');
    assert.equal(index(root, { cacheDir: store, workers: 0 }).report.scanned, 0);
  });

  test('a file rewritten with the same size but other content is scanned again (its hash differs)', () => {
    index(root, { cacheDir: store, workers: 0 });
    const file = path.join(root, 'Topic_2.md');
    const text = fs.readFileSync(file, 'utf8');
    const changed = text.replace('[[Missing 2]]', '[[Missing 9]]');
    assert.equal(changed.length, text.length);
    assert.notEqual(changed, text);
    fs.writeFileSync(file, changed);
    const { wiki, report } = index(root, { cacheDir: store, workers: 0 });
    assert.equal(report.scanned, 1);
    assertSameIndex(wiki, index(root, { workers: 0 }).wiki);
  });

  test('size and mtime are trusted as git trusts them, except for a file changed within two seconds of the cache being written', () => {
    const old = path.join(root, 'Topic_4.md');
    const oldStat = fs.statSync(old);
    index(root, { cacheDir: store, workers: 0 });
    fs.writeFileSync(old, fs.readFileSync(old, 'utf8').replace('Lead of', 'Lede of'));
    fs.utimesSync(old, oldStat.atime, oldStat.mtime);
    assert.equal(index(root, { cacheDir: store, workers: 0 }).report.fromCache, 40, 'an old file with its size and mtime is not read');

    const file = path.join(root, 'Topic_8.md');
    const text = fs.readFileSync(file, 'utf8');
    const same = text.replace('Lead of', 'Lede of');
    // Changed just now, then given back its old size and mtime: the cache was written moments after, so it is checked.
    fs.writeFileSync(file, text);
    const st = fs.statSync(file);
    index(root, { cacheDir: store, workers: 0 });
    fs.writeFileSync(file, same);
    fs.utimesSync(file, st.atime, st.mtime);
    const { wiki, report } = index(root, { cacheDir: store, workers: 0 });
    assert.equal(report.scanned, 1, 'a racily clean file is read and found changed');
    assert.notEqual(hashText(same), hashText(text));
    assert.equal(wiki.articles.get(file)!.hash, hashText(same), 'the index holds the new text');
  });

  test('a corrupt cache is ignored with a log line, and the index is built and the cache rewritten as if there were none', () => {
    const first = index(root, { cacheDir: store, workers: 0 });
    const file = cacheFile(store, first.wiki.folders);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 10] ^= 0xff;
    fs.writeFileSync(file, bytes);
    const second = index(root, { cacheDir: store, workers: 0 });
    assert.equal(second.report.fromCache, 0);
    assert.equal(second.report.scanned, 40);
    assert.ok(second.logs.some((l) => /corrupt/.test(l) && l.includes(file)), second.logs.join('\n'));
    assertSameIndex(second.wiki, first.wiki);
    const third = index(root, { cacheDir: store, workers: 0 });
    assert.equal(third.report.fromCache, 40);
    assert.deepEqual(third.logs, []);
  });

  test('a truncated or foreign cache file is ignored with a log line', () => {
    const first = index(root, { cacheDir: store, workers: 0 });
    const file = cacheFile(store, first.wiki.folders);
    for (const garbage of [fs.readFileSync(file).subarray(0, 100), Buffer.from('not a cache at all\n'), Buffer.alloc(0)]) {
      fs.writeFileSync(file, garbage);
      const r = index(root, { cacheDir: store, workers: 0 });
      assert.equal(r.report.scanned, 40);
      assert.ok(r.logs.some((l) => /corrupt/.test(l)), r.logs.join('\n'));
    }
  });

  test('a cache written with other name-matching settings is not used', () => {
    index(root, { cacheDir: store, workers: 0 });
    const { report, logs } = index(root, { cacheDir: store, workers: 0 }, { caseMode: 'exact' });
    assert.equal(report.fromCache, 0);
    assert.equal(report.scanned, 40);
    assert.ok(logs.some((l) => /other settings/.test(l)));
  });

  test('the cache is never written inside the wiki, even through a symbolic link', () => {
    const inside = path.join(root, '.cache');
    const link = path.join(store, 'link-into-wiki');
    fs.symlinkSync(root, link);
    for (const dir of [inside, root, path.join(link, 'deeper')]) {
      const { report, logs } = index(root, { cacheDir: dir, workers: 0 });
      assert.equal(report.articles, 40);
      assert.ok(logs.some((l) => /never written into a wiki/.test(l)), logs.join('\n'));
    }
    assert.ok(!fs.existsSync(inside));
    const written = fs.readdirSync(root, { recursive: true }).map(String).filter((f) => !f.endsWith('.md'));
    assert.deepEqual(written.filter((f) => !['sub'].includes(f)), []);
  });

  test('the background build (the server) reads the cache too and says when it has rewritten it', async () => {
    index(root, { cacheDir: store, workers: 0 });
    write(root, 'Topic_5.md', '# Topic 5\n\n[[Elsewhere]]\n');
    const s = mergeSettings({});
    const ws = new NodeWorkspace([root], s);
    const wiki = new Wiki(ws.folders, s);
    const written = new Promise<number>((resolve) => {
      void buildIndexInSlices(wiki, ws, { cacheDir: store, workers: 0, cacheDelayMs: 0, onCacheWritten: resolve }).then((report) => {
        assert.equal(report.scanned, 1);
        assert.equal(report.fromCache, 39);
      });
    });
    assert.ok((await written) > 0);
    assert.equal(index(root, { cacheDir: store, workers: 0 }).report.fromCache, 40);
  });
});

describe('the parallel indexer', () => {
  let root: string;
  let store: string;
  beforeEach(() => {
    root = tempDir('la-par-wiki-');
    store = tempDir('la-par-store-');
    makeWiki(root, 400);
    write(root, 'binary.md', 'a\u0000b');
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  });

  test('worker threads build the same index as one thread, and report the same skipped files', () => {
    const one = index(root, { workers: 0 });
    const two = index(root, { workers: 2 });
    assert.equal(two.report.workers, 2);
    assert.equal(two.report.scanned, 400);
    assert.equal(two.wiki.stats.parses, 400);
    assertSameIndex(two.wiki, one.wiki);
    assert.deepEqual(two.report.skipped, one.report.skipped);
  });

  test('a cache written from the facts of worker threads restores the same index as one thread builds', () => {
    index(root, { workers: 2, cacheDir: store });
    age(root);
    const again = index(root, { workers: 2, cacheDir: store });
    assert.equal(again.report.fromCache, 400);
    assertSameIndex(again.wiki, index(root, { workers: 0 }).wiki);
  });

  test('the background build with workers leaves open documents alone and reports progress up to the total', async () => {
    const s = mergeSettings({});
    const ws = new NodeWorkspace([root], s);
    const wiki = new Wiki(ws.folders, s);
    const open = root + '/Topic_7.md';
    wiki.upsert(open, '# Edited in the editor\n', { open: true });
    let last = [0, 0];
    const report = await buildIndexInSlices(wiki, ws, { workers: 2, skip: (p) => p === open, onProgress: (d, t) => (last = [d, t]) });
    assert.equal(report.workers, 2);
    assert.equal(wiki.articles.get(open)!.title, 'Edited in the editor');
    assert.deepEqual(last, [401, 401]);
    assert.equal(wiki.articles.size, 400);
  });

  test('a build that is cancelled takes no more results than the batch in hand', async () => {
    const s = mergeSettings({});
    const ws = new NodeWorkspace([root], s);
    const wiki = new Wiki(ws.folders, s);
    const report = await buildIndexInSlices(wiki, ws, { workers: 2, isCancelled: () => wiki.articles.size > 0 });
    assert.ok(report.articles > 0 && report.articles <= 48, `${report.articles} articles taken after cancelling`);
  });
});
