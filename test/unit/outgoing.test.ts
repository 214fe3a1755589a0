// Outgoing links and outgoing unlinked mentions of an article: what it links to, and which other articles its plain text names.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { linkMentionEdit } from '../../server/src/core/features/codeActions';
import { outgoingLinks, outgoingMentions } from '../../server/src/core/features/outgoing';
import { buildIndex } from '../../server/src/core/indexer';
import { defaultSettings } from '../../server/src/core/settings';
import { Wiki } from '../../server/src/core/wiki';
import { NodeWorkspace } from '../../server/src/core/workspace';
import { applyToFiles, wikiOf, type Files } from './editHelpers';

const WIKI: Files = {
  '/wiki/Kronstadt.md': '# Kronstadt\n\nA naval fortress.\n',
  '/wiki/Kronstadt_Rebellion.md': '# Kronstadt Rebellion\n\nA revolt in 1921.\n',
  '/wiki/Peter_Kropotkin.md': '---\ntitle: Peter Kropotkin\naliases: [Kropotkin]\n---\n# Peter Kropotkin\n\nA geographer.\n',
  '/wiki/Mutual_Aid.md': '# Mutual Aid\n\nA book.\n',
  '/wiki/Anarchism.md': '# Anarchism\n\nA political philosophy.\n',
  '/wiki/1917.md': '# 1917\n\nA year.\n',
  '/wiki/I.md': '# I\n\nA letter.\n',
};

function mentionsIn(text: string, extra: Files = {}) {
  const files = { ...WIKI, ...extra, '/wiki/Essay.md': text };
  const wiki = wikiOf(files);
  const essay = wiki.articles.get('/wiki/Essay.md')!;
  return { wiki, essay, files, result: outgoingMentions(wiki, essay, text) };
}

const summary = (r: ReturnType<typeof outgoingMentions>) => r.mentions.map((m) => [m.article.title, m.count, m.places.map((p) => p.text)]);

describe('outgoing unlinked mentions', () => {
  test('titles, aliases and file names standing as plain text are listed by article, in order of first mention, longest name first', () => {
    const { result } = mentionsIn('# Essay\n\nThe Kronstadt rebellion of 1921 followed mutual aid debates. Kropotkin wrote Mutual Aid; kronstadt was a fortress.\n');
    assert.equal(result.complete, true);
    assert.deepEqual(summary(result), [
      ['Kronstadt Rebellion', 1, ['Kronstadt rebellion']],
      ['Mutual Aid', 2, ['mutual aid', 'Mutual Aid']],
      ['Peter Kropotkin', 1, ['Kropotkin']],
      ['Kronstadt', 1, ['kronstadt']],
    ]);
  });

  test('a name followed by a possessive \'s is a mention of the name, without the \'s', () => {
    const { result } = mentionsIn("# Essay\n\nKropotkin's book, then Peter Kropotkin’s life and the Kronstadt Rebellion's end.\n");
    assert.deepEqual(summary(result), [
      ['Peter Kropotkin', 2, ['Kropotkin', 'Peter Kropotkin']],
      ['Kronstadt Rebellion', 1, ['Kronstadt Rebellion']],
    ]);
  });

  test('each place has its range and the sentence it stands in', () => {
    const { result } = mentionsIn('# Essay\n\nFirst line.\nOn anarchism and more. Next.\n');
    const place = result.mentions[0].places[0];
    assert.deepEqual(place.range, { start: { line: 3, character: 3 }, end: { line: 3, character: 12 } });
    assert.equal(place.context, 'On anarchism and more.');
  });

  test('articles already linked, directly or through a redirect page, and the article itself are left out, and so are the shorter names inside them', () => {
    const { result } = mentionsIn(
      '# Essay\n\nEssay on [[Anarchism]] and anarchism; the Kronstadt Rebellion and [[Mutual aid theory]]; mutual aid again.\n',
      { '/wiki/Mutual_aid_theory.md': '#REDIRECT [[Mutual Aid]]\n', '/wiki/Rebellions.md': '#REDIRECT [[Kronstadt Rebellion]]\n', '/wiki/Other.md': '[[Rebellions]]\n' },
    );
    assert.deepEqual(summary(result), [['Kronstadt Rebellion', 1, ['Kronstadt Rebellion']]]);
    const linked = mentionsIn('# Essay\n\nThe Kronstadt Rebellion was [[Rebellions|a rebellion]].\n', { '/wiki/Rebellions.md': '#REDIRECT [[Kronstadt Rebellion]]\n' });
    assert.deepEqual(summary(linked.result), [], 'linked through its redirect page, and Kronstadt inside it is no mention');
  });

  test('the words naming a redirect page are a mention of the article it leads to, through that page', () => {
    const { result } = mentionsIn('# Essay\n\nAs the mutualists said of mutual aid.\n', { '/wiki/Mutualists.md': '#REDIRECT [[Mutual Aid]]\n' });
    assert.deepEqual(
      result.mentions.map((m) => [m.article.title, m.count, m.places.map((p) => [p.text, p.target.rel])]),
      [['Mutual Aid', 2, [['mutualists', 'Mutualists.md'], ['mutual aid', 'Mutual_Aid.md']]]],
    );
  });

  test('nothing in code, links, headings, front matter, HTML or URLs is a mention', () => {
    const text = [
      '---',
      'title: Essay',
      'summary: anarchism',
      '---',
      '# Essay on Anarchism',
      '',
      '`anarchism` and <span title="anarchism">x</span> and https://example.org/anarchism and [[Kronstadt|kropotkin]].',
      '',
      '```',
      'anarchism',
      '```',
      '',
      '    anarchism in an indented block',
      '',
    ].join('\n');
    assert.deepEqual(summary(mentionsIn(text).result), []);
  });

  test('no tag, block id, reference link or link reference definition is a mention: a link there would break it', () => {
    const text = [
      '# Essay',
      '',
      'Filed under #anarchism and #history/anarchism. A paragraph. ^anarchism',
      '',
      'See [Anarchism][1], [anarchism][] and [anarchism], while [anarchism today] is only in brackets.',
      '',
      '[1]: https://example.org/one',
      '  [Anarchism]: <https://example.org/two> "A title"',
    ].join('\n');
    // `[anarchism]` alone uses the definition of that label; `[anarchism today]` has none, so its words are text.
    assert.deepEqual(
      mentionsIn(text).result.mentions.map((m) => m.places.map((p) => [p.text, p.range.start])),
      [[['anarchism', { line: 4, character: 58 }]]],
    );
    // A footnote's definition is prose after its label, and `[^1]` is no label of a reference link.
    const plain = 'Filed under #history and anarchism.[^1] See [anarchism today][^1].\n\n[^1]: On anarchism.\n';
    assert.deepEqual(summary(mentionsIn(plain).result), [['Anarchism', 3, ['anarchism', 'anarchism', 'anarchism']]]);
  });

  test('a name of one word needs a letter and two characters, and a name several articles share is left out', () => {
    const { result } = mentionsIn('# Essay\n\nIn 1917 I read Anarchism and Java.\n', { '/wiki/places/Java.md': '# Java\n', '/wiki/code/Java.md': '# Java\n' });
    assert.deepEqual(summary(result), [['Anarchism', 1, ['Anarchism']]]);
  });

  test('a name runs across one line break but not across a blank line or punctuation', () => {
    assert.deepEqual(summary(mentionsIn('# Essay\n\nOf the Kronstadt\nRebellion.\n').result), [['Kronstadt Rebellion', 1, ['Kronstadt\nRebellion']]]);
    assert.deepEqual(summary(mentionsIn('# Essay\n\nOf Kronstadt.\n\nRebellion came, then Kronstadt, rebellion.\n').result), [['Kronstadt', 2, ['Kronstadt', 'Kronstadt']]]);
  });

  test('a search within a span finds the names wholly inside it, and not a piece of a word it cuts', () => {
    const text = '# Essay\n\nFirst aid kit, and anarchism.\n';
    // Articles named as the pieces a cut would leave: "Fir" of "First", "Narchism" of "anarchism".
    const files = { ...WIKI, '/wiki/Aid.md': '# Aid\n', '/wiki/Fir.md': '# Fir\n', '/wiki/Narchism.md': '# Narchism\n', '/wiki/Essay.md': text };
    const wiki = wikiOf(files);
    const essay = wiki.articles.get('/wiki/Essay.md')!;
    const within = (from: string, to: string) => summary(outgoingMentions(wiki, essay, text, { within: { start: text.indexOf(from), end: text.indexOf(to) + to.length } }));
    assert.deepEqual(within('Fir', 'kit'), [['Aid', 1, ['aid']]]);
    assert.deepEqual(within('Essay', 'Fir'), [], 'the span ends inside "First"');
    assert.deepEqual(within('kit', 'and'), []);
    assert.deepEqual(within('narchism', 'narchism.'), [], 'the span starts inside "anarchism"');
    assert.deepEqual(within('kit', 'anarchism'), [['Anarchism', 1, ['anarchism']]]);
  });

  test('an article of more than 2 MB is searched in its first 2 MB, and the answer says it is incomplete', () => {
    const filler = 'Words that name nothing at all.\n'.repeat(70_000);
    const text = '# Long\n\nOn anarchism.\n\n' + filler + '\nAnd mutual aid at the end.\n';
    assert.ok(text.length > 2_000_000);
    const { result } = mentionsIn(text);
    assert.equal(result.complete, false);
    assert.deepEqual(summary(result), [['Anarchism', 1, ['anarchism']]]);
  });

  test('a search stopped before the end says it is incomplete', () => {
    const files = { ...WIKI, '/wiki/Essay.md': '# Essay\n\nanarchism\n' };
    const wiki = wikiOf(files);
    const result = outgoingMentions(wiki, wiki.articles.get('/wiki/Essay.md')!, files['/wiki/Essay.md'], { isCancelled: () => true });
    assert.equal(result.complete, false);
    assert.deepEqual(result.mentions, []);
  });

  test('a name newly given to an article is found at the next search', () => {
    const files = { ...WIKI, '/wiki/Essay.md': '# Essay\n\nThe Black Flag flew.\n' };
    const wiki = wikiOf(files);
    const essay = () => wiki.articles.get('/wiki/Essay.md')!;
    assert.deepEqual(outgoingMentions(wiki, essay(), files['/wiki/Essay.md']).mentions, []);
    wiki.upsert('/wiki/Anarchism.md', '---\naliases: [Black Flag]\n---\n# Anarchism\n');
    assert.deepEqual(summary(outgoingMentions(wiki, essay(), files['/wiki/Essay.md'])), [['Anarchism', 1, ['Black Flag']]]);
  });
});

describe('outgoing links', () => {
  test('the articles linked, through redirect pages, and the missing ones, each once in order of first link; no images, categories or self links', () => {
    const files: Files = {
      ...WIKI,
      '/wiki/Mutualists.md': '#REDIRECT [[Mutual Aid]]\n',
      '/wiki/map.png': '',
      '/wiki/Essay.md': '# Essay\n\n[[Mutualists]], [[Nowhere]], [x](Anarchism.md), [[Mutual Aid]], ![[map.png]], [[Category:Books]], [[Essay]], [[#Essay]], [[nowhere]].\n',
    };
    const wiki = wikiOf(files);
    const links = outgoingLinks(wiki, wiki.articles.get('/wiki/Essay.md')!);
    assert.deepEqual(links.map((l) => [l.name, l.target?.rel, l.links.length]), [
      ['Mutual Aid', 'Mutual_Aid.md', 2],
      ['Nowhere', undefined, 2],
      ['Anarchism', 'Anarchism.md', 1],
    ]);
    assert.deepEqual(links[0].links.map((l) => l.range.start), [{ line: 2, character: 0 }, { line: 2, character: 48 }]);
  });
});

describe('outgoing mentions on the corpora', () => {
  const corpus = path.resolve(__dirname, '../../../shared/corpora/libsocwiki');
  test('linking the first mention of every article a corpus article names adds links that lead there and nothing broken', (t) => {
    if (!fs.existsSync(corpus)) return t.skip(`${corpus} is absent`);
    const settings = defaultSettings();
    const workspace = new NodeWorkspace([corpus], settings);
    const wiki = new Wiki(workspace.folders, settings);
    buildIndex(wiki, workspace);
    const articles = [...wiki.articles.values()].filter((a) => a.redirect === undefined).sort((a, b) => (a.path < b.path ? -1 : 1));
    let checked = 0;
    let linkedMentions = 0;
    let ms = 0;
    for (const article of articles.filter((_, i) => i % 10 === 0)) {
      const text = workspace.readText(article.path)!;
      const t0 = performance.now();
      const { mentions, complete } = outgoingMentions(wiki, article, text, { timeBudgetMs: 60_000 });
      ms += performance.now() - t0;
      assert.ok(complete);
      checked++;
      if (mentions.length === 0) continue;
      // Last place first, so the earlier spans stay where they are; each link then starts where its words did, moved
      // by what the links before it added.
      const firsts = mentions.map((m) => ({ span: m.places[0].span, target: m.places[0].target })).sort((a, b) => b.span.start - a.span.start);
      let files: Files = { [article.path]: text };
      for (const f of firsts) {
        const edit = linkMentionEdit(wiki, { path: article.path, text: files[article.path], version: null }, f.span, f.target);
        files = applyToFiles(files, edit);
      }
      const after = wiki.analyse(article.path, files[article.path]);
      assert.equal(after.syntax.links.length - article.syntax.links.length, firsts.length, `${article.rel}: one link per article mentioned`);
      let moved = 0;
      for (const f of firsts.reverse()) {
        const link = after.syntax.links.find((l) => l.span.start === f.span.start + moved);
        assert.ok(link, `${article.rel}: a link where '${text.slice(f.span.start, f.span.end)}' was`);
        const r = wiki.resolve(link, after);
        assert.ok(r.kind === 'article' && r.article === f.target, `${article.rel}: the link to ${f.target.title} leads there`);
        assert.equal((link.label ?? link.rawTarget).replace(/\s+/g, ' '), text.slice(f.span.start, f.span.end).replace(/\s+/g, ' '), 'the words are the label');
        moved += link.span.end - link.span.start - (f.span.end - f.span.start);
      }
      linkedMentions += firsts.length;
    }
    t.diagnostic(`${checked} libsocwiki articles: ${linkedMentions} first mentions linked, searched in ${ms.toFixed(0)} ms in all`);
    assert.ok(linkedMentions > 100, 'the corpus articles name other articles unlinked');
  });
});
