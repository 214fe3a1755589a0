// On the three real wikis: the index the workers build and the one restored from the cache (closed articles kept packed, PackedArticle) answer as the one-thread index of plain objects does.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { articleProblems } from '../../server/src/core/diagnostics';
import { PackedArticle } from '../../server/src/core/facts';
import { buildIndex, type IndexOptions } from '../../server/src/core/indexer';
import { defaultSettings } from '../../server/src/core/settings';
import { Wiki, type Article } from '../../server/src/core/wiki';
import { NodeWorkspace } from '../../server/src/core/workspace';

const corpora = resolve(__dirname, '../../../shared/corpora');

function build(dir: string, options: IndexOptions): { wiki: Wiki; fromCache: number } {
  const settings = defaultSettings();
  const ws = new NodeWorkspace([dir], settings);
  const wiki = new Wiki(ws.folders, settings);
  const report = buildIndex(wiki, ws, { log: () => {}, ...options });
  return { wiki, fromCache: report.fromCache ?? 0 };
}

const linksTo = (wiki: Wiki, a: Article) => wiki.backlinks(a).map((b) => `${b.source.path}:${b.link.span.start}-${b.link.span.end}`).sort();

function assertSameAnswers(actual: Wiki, expected: Wiki, what: string): void {
  assert.deepEqual(actual.snapshot(), expected.snapshot(), `${what}: the maps`);
  for (const [path, a] of expected.articles) {
    const b = actual.articles.get(path)!;
    assert.ok(b instanceof PackedArticle, `${what}: ${path} is kept packed`);
    // Through JSON: the packed article's syntax is built by its decoder, the other's by the scanner.
    assert.deepEqual(JSON.parse(JSON.stringify(b.syntax)), JSON.parse(JSON.stringify(a.syntax)), `${what}: the syntax of ${path}`);
    assert.deepEqual([...b.lines.starts], [...a.lines.starts], `${what}: the line table of ${path}`);
    assert.deepEqual(articleProblems(actual, b), articleProblems(expected, a), `${what}: the problems of ${path}`);
    assert.deepEqual(linksTo(actual, b), linksTo(expected, a), `${what}: the backlinks of ${path}`);
    for (const h of a.syntax.headings) {
      const want = expected.resolve({ target: '', heading: h.text }, a);
      const got = actual.resolve({ target: '', heading: h.text }, b);
      assert.equal(got.kind === 'article' && got.heading?.span.start, want.kind === 'article' && want.heading?.span.start, `${what}: #${h.text} in ${path}`);
    }
  }
}

for (const name of ['anarwiki', 'libsocwiki', 'owasp-wiki']) {
  test(`on ${name}, the workers' packed index and the one restored from the cache answer as the one-thread index does`, (t) => {
    const dir = join(corpora, name);
    if (!existsSync(dir)) return t.skip(`corpus ${dir} is absent`);
    const store = mkdtempSync(join(tmpdir(), 'la-packed-'));
    try {
      const one = build(dir, { workers: 0 }).wiki;
      assertSameAnswers(build(dir, { workers: 2, cacheDir: store }).wiki, one, 'workers');
      const cached = build(dir, { workers: 2, cacheDir: store });
      assert.equal(cached.fromCache, one.articles.size, 'every article came from the cache');
      assertSameAnswers(cached.wiki, one, 'cache');
    } finally {
      rmSync(store, { recursive: true, force: true });
    }
  });
}
