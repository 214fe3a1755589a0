// On the three real wikis: the index the workers build and the one restored from the cache (closed articles kept packed, PackedArticle) answer as the one-thread index of plain objects does.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { articleProblems } from '../../server/src/core/diagnostics';
import { decodedSyntaxCount, forgetDecodedSyntax, PackedArticle } from '../../server/src/core/facts';
import { GlossaryIndex } from '../../server/src/core/features/glossary';
import { workspaceSymbols } from '../../server/src/core/features/symbols';
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
    forgetDecodedSyntax();
    assert.deepEqual(JSON.parse(JSON.stringify(b.headings())), JSON.parse(JSON.stringify(a.syntax.headings)), `${what}: the headings of ${path}, read alone`);
    assert.equal(b.glossaryCount, a.syntax.glossary.length, `${what}: the glossary count of ${path}`);
    assert.equal(b.redirect, a.redirect, `${what}: whether ${path} is a redirect page`);
    if (a.redirect !== undefined) assert.deepEqual(JSON.parse(JSON.stringify(b.link(a.redirect))), JSON.parse(JSON.stringify(a.syntax.links[a.redirect])), `${what}: the redirect of ${path}, read alone`);
    assert.deepEqual(b.headingTexts(), { texts: a.syntax.headings.map((h) => h.text), starts: a.syntax.headings.map((h) => h.span.start) }, `${what}: the heading texts of ${path}, read alone`);
    // Through JSON: the packed article's syntax is built by its decoder, the other's by the scanner.
    assert.deepEqual(JSON.parse(JSON.stringify(b.syntax)), JSON.parse(JSON.stringify(a.syntax)), `${what}: the syntax of ${path}`);
    assert.deepEqual([...b.lines.starts], [...a.lines.starts], `${what}: the line table of ${path}`);
    assert.deepEqual(b.linkTargets(), a.syntax.links.map((l) => l.target), `${what}: the link targets of ${path}, read alone`);
    assert.deepEqual(b.linkTargets(['image', 'img']), a.syntax.links.filter((l) => l.syntax !== 'image' && l.syntax !== 'img').map((l) => l.target), `${what}: ${path}'s targets but its images'`);
    assert.deepEqual(articleProblems(actual, b), articleProblems(expected, a), `${what}: the problems of ${path}`);
    assert.deepEqual(linksTo(actual, b), linksTo(expected, a), `${what}: the backlinks of ${path}`);
    for (const h of a.syntax.headings) {
      const want = expected.resolve({ target: '', heading: h.text }, a);
      const got = actual.resolve({ target: '', heading: h.text }, b);
      assert.equal(got.kind === 'article' && got.heading?.span.start, want.kind === 'article' && want.heading?.span.start, `${what}: #${h.text} in ${path}`);
    }
  }
  // Sources in the order each index took its articles in, which a build in workers does not keep.
  const wanted = (w: Wiki) => w.wanted().map((x) => `${x.key} ${x.count} ${x.sources.map((a) => a.path).sort().join(',')}`);
  assert.deepEqual(wanted(actual), wanted(expected), `${what}: the wanted articles`);
  assert.deepEqual(actual.orphans().map((a) => a.path), expected.orphans().map((a) => a.path), `${what}: the orphaned articles`);
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

test('workspace symbols and the glossary read a packed index without decoding every article (owasp-wiki)', (t) => {
  const dir = join(corpora, 'owasp-wiki');
  if (!existsSync(dir)) return t.skip(`corpus ${dir} is absent`);
  const { wiki } = build(dir, { workers: 2 });
  const one = build(dir, { workers: 0 }).wiki;
  const withGlossary = [...wiki.articles.values()].filter((a) => !a.placeholder && (one.articles.get(a.path)?.syntax.glossary.length ?? 0) > 0).length;
  forgetDecodedSyntax();
  const glossary = new GlossaryIndex();
  const terms = [...glossary.all(wiki)].length;
  assert.ok(terms > 0, 'owasp-wiki has glossary terms');
  assert.equal(decodedSyntaxCount(), withGlossary, 'only the articles with a glossary were decoded');
  forgetDecodedSyntax();
  // Uncapped, and as sets: the two indexes hold their articles in different orders.
  const all = { maxItems: 1e6 };
  const found = workspaceSymbols(wiki, 'injection', glossary, all);
  const sorted = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
  assert.deepEqual(sorted(found), sorted(workspaceSymbols(one, 'injection', new GlossaryIndex(), all)), 'the same symbols as from plain articles');
  assert.ok(found.length > 0);
  assert.equal(decodedSyntaxCount(), 0, 'no article decoded whole for its headings');
});
