// Unlinked mentions on in-memory wikis and on the OWASP corpus: what counts as a mention, how few files a search reads, how long it takes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { MentionIndex, mentionAt, preferredLinkStyle, unlinkedMentions, writeLink } from '../../server/src/core/features/mentions';
import { buildIndex } from '../../server/src/core/indexer';
import { defaultSettings } from '../../server/src/core/settings';
import { Wiki } from '../../server/src/core/wiki';
import { NodeWorkspace } from '../../server/src/core/workspace';
import { cursor, readerOf, wikiOf, type Files } from './editHelpers';
import { codeSpans } from '../../server/src/core/proseSpans';

const KROPOTKIN = '---\ntitle: Peter Kropotkin\naliases: [Kropotkin]\n---\n# Peter Kropotkin\n\nKropotkin wrote on mutual aid.\n';

function search(files: Files, targetPath: string, options: { limit?: number } = {}) {
  const wiki = wikiOf(files);
  const reads: string[] = [];
  const read = readerOf(files);
  const index = new MentionIndex();
  index.syncNow(wiki, read);
  const result = unlinkedMentions(wiki, wiki.articles.get(targetPath)!, {
    index,
    read: (p) => {
      reads.push(p);
      return read(p);
    },
    ...options,
  });
  return { result, reads, wiki, index };
}

describe('unlinked mentions', () => {
  test('the names of the redirect pages that lead to an article, through a chain too, are its names as well', () => {
    const files = {
      '/wiki/Mutualism.md': '# Mutualism\n\nAn economic theory.\n',
      '/wiki/Mutualist_Economics.md': '1.  REDIRECT [Mutualism](Mutualism "wikilink")\n',
      '/wiki/Proudhonian_Economics.md': '#REDIRECT [[Mutualist Economics]]\n',
      '/wiki/Essay.md': '# Essay\n\nOn mutualist economics, proudhonian economics and [[Mutualism]].\n',
    };
    const { result } = search(files, '/wiki/Mutualism.md');
    assert.deepEqual(result.mentions.map((m) => [m.path, m.text, m.name]), [
      ['/wiki/Essay.md', 'mutualist economics', 'Mutualist Economics'],
      ['/wiki/Essay.md', 'proudhonian economics', 'Proudhonian Economics'],
    ]);
  });

  test('a tag, a block id, a reference link and a link reference definition holding the title are no mentions', () => {
    const files = {
      '/wiki/Peter_Kropotkin.md': KROPOTKIN,
      '/wiki/A.md': 'Tagged #kropotkin. A paragraph. ^kropotkin\n\nSee [Kropotkin][k] and [kropotkin], or kropotkin.\n\n[kropotkin]: https://example.org\n[k]: https://example.org/k\n',
    };
    const { result } = search(files, '/wiki/Peter_Kropotkin.md');
    assert.deepEqual(result.mentions.filter((m) => m.path === '/wiki/A.md').map((m) => [m.text, m.range.start.line, m.range.start.character]), [['kropotkin', 2, 39]]);
  });

  test('the title and the aliases are found as plain text, word-bounded and in any case, across a line break', () => {
    const files = {
      '/wiki/Peter_Kropotkin.md': KROPOTKIN,
      '/wiki/Mutual_Aid.md': 'Written by peter\nkropotkin in 1902. KROPOTKIN again; Kropotkin\'s book. Kropotkinism is another word.\n',
    };
    const { result } = search(files, '/wiki/Peter_Kropotkin.md');
    assert.deepEqual(
      result.mentions.map((m) => [m.path, m.text, m.name, m.range.start.line, m.range.start.character]),
      [
        ['/wiki/Peter_Kropotkin.md', 'Kropotkin', 'Kropotkin', 6, 0],
        ['/wiki/Mutual_Aid.md', 'peter\nkropotkin', 'Peter Kropotkin', 0, 11],
        ['/wiki/Mutual_Aid.md', 'KROPOTKIN', 'Kropotkin', 1, 19],
        ['/wiki/Mutual_Aid.md', 'Kropotkin', 'Kropotkin', 1, 36],
      ],
    );
    assert.equal(result.complete, true);
    assert.equal(result.mentions[1].context, 'Written by peter kropotkin in 1902.');
  });

  test('links, code, headings, front matter, HTML and URLs are not mentions', () => {
    const other = [
      '---',
      'title: About Kropotkin',
      '---',
      '## Kropotkin in headings',
      '[[Peter Kropotkin]] and [Kropotkin](Peter_Kropotkin.md) and <a href="Peter_Kropotkin.md" title="Kropotkin">Peter Kropotkin</a>.',
      'Code `Kropotkin` here, <span title="Kropotkin">x</span>, https://example.org/Kropotkin and <!-- Kropotkin -->.',
      '',
      '```',
      'Kropotkin',
      '```',
      '',
      '    Kropotkin in indented code',
      '',
      '- a list',
      '',
      '    Kropotkin in a list item\'s paragraph',
      '',
      'Only this Kropotkin counts.',
      '',
    ].join('\n');
    const { result } = search({ '/wiki/Peter_Kropotkin.md': KROPOTKIN, '/wiki/Other.md': other }, '/wiki/Peter_Kropotkin.md');
    const inOther = result.mentions.filter((m) => m.path === '/wiki/Other.md');
    assert.deepEqual(
      inOther.map((m) => m.range.start.line),
      [15, 17],
    );
  });

  test('a search reads only the articles that contain every word of a name', () => {
    const files: Files = { '/wiki/Peter_Kropotkin.md': KROPOTKIN };
    for (let i = 0; i < 50; i++) files[`/wiki/Page_${i}.md`] = i % 10 === 0 ? `Peter met Kropotkin ${i}.\n` : `Nothing about him, ${i}.\n`;
    const { result, reads } = search(files, '/wiki/Peter_Kropotkin.md');
    assert.equal(result.mentions.length, 6);
    assert.deepEqual(reads.sort(), ['/wiki/Page_0.md', '/wiki/Page_10.md', '/wiki/Page_20.md', '/wiki/Page_30.md', '/wiki/Page_40.md', '/wiki/Peter_Kropotkin.md']);
  });

  test('after an edit the index reads the changed article again, and only it', () => {
    const files: Files = { '/wiki/Peter_Kropotkin.md': KROPOTKIN, '/wiki/A.md': 'nothing\n', '/wiki/B.md': 'nothing either\n' };
    const { wiki, index } = search(files, '/wiki/Peter_Kropotkin.md');
    files['/wiki/A.md'] = 'now Kropotkin\n';
    wiki.upsert('/wiki/A.md', files['/wiki/A.md']);
    const read = readerOf(files);
    assert.equal(index.syncNow(wiki, read), 1);
    const result = unlinkedMentions(wiki, wiki.articles.get('/wiki/Peter_Kropotkin.md')!, { index, read });
    assert.deepEqual(result.mentions.map((m) => m.path), ['/wiki/Peter_Kropotkin.md', '/wiki/A.md']);
  });

  test('the limit cuts the search short and says so', () => {
    const files: Files = { '/wiki/Peter_Kropotkin.md': KROPOTKIN };
    for (let i = 0; i < 20; i++) files[`/wiki/P${i}.md`] = 'Kropotkin. Kropotkin.\n';
    const { result } = search(files, '/wiki/Peter_Kropotkin.md', { limit: 5 });
    assert.equal(result.mentions.length, 5);
    assert.equal(result.complete, false);
  });
});

describe('linking a mention', () => {
  test('the phrase around the cursor that names an article is found, the longest first', () => {
    const { text, offset } = cursor('He read Peter Krop‸otkin today.\n');
    const wiki = wikiOf({ '/wiki/Peter_Kropotkin.md': KROPOTKIN, '/wiki/A.md': text });
    const hits = mentionAt(wiki, wiki.articles.get('/wiki/A.md')!, text, offset);
    assert.deepEqual(hits.map((h) => [text.slice(h.span.start, h.span.end), h.target.path]), [
      ['Peter Kropotkin', '/wiki/Peter_Kropotkin.md'],
      ['Kropotkin', '/wiki/Peter_Kropotkin.md'],
    ]);
  });

  test('the new link follows the syntax the article already uses', () => {
    const target = { '/wiki/people/Peter_Kropotkin.md': KROPOTKIN };
    const cases: [string, string][] = [
      ['[[Other]] text\n', '[[kropotkin]]'],
      ['[a](Other.md) text\n', '[kropotkin](people/Peter_Kropotkin.md)'],
      ['[a](Other "wikilink") text\n', '[kropotkin](people/Peter_Kropotkin "wikilink")'],
      ['<a href="Other.md" class="wikilink" title="Other">a</a> text\n', '<a href="people/Peter_Kropotkin.md" class="wikilink" title="Peter Kropotkin">kropotkin</a>'],
    ];
    for (const [text, expected] of cases) {
      const wiki = wikiOf({ ...target, '/wiki/A.md': text, '/wiki/Other.md': '' });
      const a = wiki.articles.get('/wiki/A.md')!;
      assert.equal(writeLink(wiki, a, wiki.articles.get('/wiki/people/Peter_Kropotkin.md')!, 'kropotkin', preferredLinkStyle(wiki, a, text)), expected);
    }
  });
});

describe('unlinked mentions on the OWASP wiki', () => {
  const corpus = path.resolve(__dirname, '../../../shared/corpora/owasp-wiki');
  test('building the word index and searching a title are fast enough for a request', (t) => {
    if (!fs.existsSync(corpus)) return t.skip(`${corpus} is absent`);
    const settings = defaultSettings();
    const workspace = new NodeWorkspace([corpus], settings);
    const wiki = new Wiki(workspace.folders, settings);
    buildIndex(wiki, workspace);
    const read = (p: string) => ({ text: workspace.readText(p), version: null });
    const index = new MentionIndex();
    let t0 = performance.now();
    index.syncNow(wiki, read);
    const buildMs = performance.now() - t0;
    const target = wiki.lookupName('Cross-site Scripting (XSS)')[0] ?? wiki.lookupName('SQL Injection')[0];
    assert.ok(target, 'the corpus has the XSS or SQL injection article');
    t0 = performance.now();
    const result = unlinkedMentions(wiki, target, { index, read, limit: 100000, timeBudgetMs: 60000 });
    const searchMs = performance.now() - t0;
    t.diagnostic(`${wiki.articles.size} articles; index ${index.size.entries} entries built in ${buildMs.toFixed(0)} ms; '${target.title}': ${result.mentions.length} mentions in ${result.searched} articles read, ${searchMs.toFixed(0)} ms`);
    assert.ok(result.mentions.length > 0);
    assert.ok(result.searched < wiki.articles.size / 2, 'only candidate articles are read');
    assert.ok(searchMs < 2000, `a search takes ${searchMs.toFixed(0)} ms`);
  });
});

describe('where prose is not', () => {
  const codeOf = (text: string) => {
    const spans: { start: number; end: number }[] = [];
    codeSpans(text, spans);
    return spans.map((s) => text.slice(s.start, s.end));
  };

  test('an inline code span runs to the next run of as many backticks; a run nothing closes is text', () => {
    assert.deepEqual(codeOf('a `b` c ``d ` e`` f ``` g ` h'), ['`b`', '``d ` e``']);
    assert.deepEqual(codeOf('`a`` b ``c` d'), ['`a`` b ``c`']);
    assert.deepEqual(codeOf('``x` y`'), ['` y`']);
  });

  test('a run closed only far away is matched across the runs of other lengths between, which stay text', () => {
    let text = '';
    for (let k = 1; k <= 1500; k++) text += '`'.repeat(k) + ' x ';
    text += '` and prose after';
    assert.deepEqual(codeOf(text), [text.slice(0, text.length - ' and prose after'.length)]);
  });
});
