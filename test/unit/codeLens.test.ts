// Code lenses: the backlink counts above a title and above the headings links lead to, and the references each one opens.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { codeLenses, type CodeLensShape } from '../../server/src/core/features/codeLens';
import type { Position } from '../../server/src/core/types';
import type { Article, Wiki } from '../../server/src/core/wiki';
import { references } from '../../server/src/core/features/references';
import { WikiService } from '../../server/src/core/service';
import { mergeSettings } from '../../server/src/core/settings';
import { InMemoryWorkspace } from '../../server/src/core/workspace';
import { wikiOf } from './editHelpers';

/** The references a lens's command shows: those at its position but for the ones in its excluded ranges of the article. */
function countedReferences(wiki: Wiki, article: Article, lens: CodeLensShape) {
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return references(wiki, article, article.lines.offsetAt(lens.position)).filter(
    (r) => r.path !== article.path || !lens.exclude.some((x) => before(x.start, r.range.start) && before(r.range.end, x.end)),
  );
}

const MARX = '# Karl Marx\n\n## Early life\n\nBorn in Trier. See [[#Exile]].\n\n## Exile\n\nLondon.\n\n## Works\n\nCapital.\n';

describe('code lenses', () => {
  test('the title counts the links of other articles, and each heading every link to it; a heading no link names has none', () => {
    const wiki = wikiOf({
      '/wiki/Karl_Marx.md': MARX,
      '/wiki/A.md': 'See [[Karl Marx]], [[Karl Marx#Exile|his exile]] and [him](Karl_Marx.md#early-life).\n',
      '/wiki/B.md': '<a href="Karl_Marx" class="wikilink">Marx</a> [[karl marx#exile]] [[Engels]]\n',
    });
    const marx = wiki.articles.get('/wiki/Karl_Marx.md')!;
    const lenses = codeLenses(wiki, marx, MARX);
    // A links three times and B twice; the article's own [[#Exile]] is a link to that section, not a backlink.
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.title]),
      [
        [0, '5 backlinks'],
        [2, '1 link to this section'],
        [6, '3 links to this section'],
      ],
    );
    // Each lens stands where Find All References lists exactly the links it counted, once those in its excluded
    // ranges of the article are left out.
    for (const l of lenses) assert.equal(countedReferences(wiki, marx, l).length, Number(/\d+/.exec(l.title)![0]), `${l.title} at line ${l.position.line}`);
  });

  test('the links of the article\'s own table of contents count for no section, and its other links to a section do', () => {
    const text = '# Karl Marx\n\n<!--toc:start-->\n- [Early life](#early-life)\n- [Exile](#exile)\n<!--toc:end-->\n\n## Early life\n\nSee [[#Exile]].\n\n## Exile\n\nLondon.\n';
    const wiki = wikiOf({ '/wiki/Karl_Marx.md': text, '/wiki/A.md': '[[Karl Marx#Exile]]\n' });
    const marx = wiki.articles.get('/wiki/Karl_Marx.md')!;
    const lenses = codeLenses(wiki, marx, text);
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.title]), [[0, '1 backlink'], [11, '2 links to this section']]);
    for (const l of lenses) assert.equal(countedReferences(wiki, marx, l).length, Number(/\d+/.exec(l.title)![0]), `${l.title} at line ${l.position.line}`);
    assert.deepEqual(lenses[1].exclude, [{ start: { line: 2, character: 0 }, end: { line: 5, character: 14 } }], 'the table, markers included');
  });

  test('an HTML id that links name has its count: a heading\'s id for its section, another id by its name', () => {
    const project = '# Project\n\n<table><tr><td><h2 id="purpose">PURPOSE</h2>\n<p>Talk <span id="t2">two</span>.</p>\n<h2 id="unlinked">Other</h2></td></tr></table>\n';
    const wiki = wikiOf(
      {
        '/wiki/Project.md': project,
        '/wiki/A.md': '[[Project#purpose]] [p](Project.md#purpose) [[Project#t2]] [[Project]]\n',
        '/wiki/Old.md': '#REDIRECT [[Project]]\n',
        '/wiki/B.md': '[[Old#purpose]]\n',
      },
      ['/wiki/Project.md'],
    );
    const a = wiki.articles.get('/wiki/Project.md')!;
    const lenses = codeLenses(wiki, a);
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.title]),
      [
        [0, '6 backlinks'],
        [2, '3 links to this section'],
        [3, '1 link to #t2'],
      ],
    );
    for (const l of lenses) assert.equal(countedReferences(wiki, a, l).length, Number(/\d+/.exec(l.title)![0]), l.title);
  });

  test('an article nothing links to says so above its title', () => {
    const wiki = wikiOf({ '/wiki/Lonely.md': '# Lonely\n\n## Part\n' });
    assert.deepEqual(codeLenses(wiki, wiki.articles.get('/wiki/Lonely.md')!).map((l) => l.title), ['No backlinks']);
  });

  test('an article without a title heading has its lens at its start, where references list its backlinks', () => {
    const wiki = wikiOf({ '/wiki/Mutual_Aid.md': 'Mutual aid is [[Anarchism|anarchist]] practice.\n', '/wiki/A.md': '[[Mutual Aid]] and [[Mutual Aid]]\n' });
    const aid = wiki.articles.get('/wiki/Mutual_Aid.md')!;
    const [lens] = codeLenses(wiki, aid);
    assert.deepEqual([lens.position, lens.title], [{ line: 0, character: 0 }, '2 backlinks']);
    assert.deepEqual(references(wiki, aid, 0).map((l) => l.path), ['/wiki/A.md', '/wiki/A.md']);
    assert.deepEqual(references(wiki, aid, 1), [], 'elsewhere in the first line, plain text is not the article');
  });

  test('a cancelled request counts nothing', () => {
    const wiki = wikiOf({ '/wiki/Karl_Marx.md': MARX, '/wiki/A.md': '[[Karl Marx]]\n' });
    assert.deepEqual(codeLenses(wiki, wiki.articles.get('/wiki/Karl_Marx.md')!, MARX, undefined, () => true), []);
  });
});

describe('when code lenses need counting again', () => {
  test('typing plain text in an article keeps its counts, at its headings\' new lines; a link typed elsewhere counts afresh', async () => {
    const marx = '# Karl Marx\n\n## Exile\n\nLondon.\n';
    const s = new WikiService(new InMemoryWorkspace(['/wiki'], { 'Karl_Marx.md': marx, 'A.md': '[[Karl Marx#Exile]]\n', 'B.md': 'Nothing yet.\n' }), mergeSettings({}));
    await s.buildIndex();
    let passes = 0;
    const backlinks = s.wiki.backlinks.bind(s.wiki);
    s.wiki.backlinks = (...args) => (passes++, backlinks(...args));
    s.open('/wiki/Karl_Marx.md', marx, 1);
    const lensesAt = () => s.codeLenses('/wiki/Karl_Marx.md').map((l) => `${l.range.start.line}: ${l.title}`);
    assert.deepEqual(lensesAt(), ['0: 1 backlink', '2: 1 link to this section']);
    s.change('/wiki/Karl_Marx.md', '# Karl Marx\n\nBorn in Trier.\n\n## Exile\n\nLondon.\n', 2);
    assert.deepEqual(lensesAt(), ['0: 1 backlink', '4: 1 link to this section']);
    assert.equal(passes, 1, 'counted once: the edit changed no link anywhere');
    s.open('/wiki/B.md', 'Now [[Karl Marx]].\n', 1);
    assert.deepEqual(lensesAt(), ['0: 2 backlinks', '4: 1 link to this section']);
    assert.equal(passes, 2);
  });

  test('an edit says whether links between articles may have changed: typing plain text does not, a link or heading does', async () => {
    const s = new WikiService(new InMemoryWorkspace(['/wiki'], { 'A.md': '# A\n\n## Part\n\nSee [[B#Intro]].\n', 'B.md': '# B\n\n## Intro\n' }), mergeSettings({}));
    await s.buildIndex();
    const text = '# A\n\n## Part\n\nSee [[B#Intro]].\n';
    assert.equal(s.open('/wiki/A.md', text, 1).linksChanged, true, 'opening reads the article afresh');
    assert.equal(s.change('/wiki/A.md', text + 'More words.\n', 2).linksChanged, false, 'plain text typed');
    assert.equal(s.change('/wiki/A.md', text.replace('#Intro', '#Outro') + 'More words.\n', 3).linksChanged, true, 'a fragment changed');
    assert.equal(s.change('/wiki/A.md', text.replace('#Intro', '#Outro') + 'More words. [[C]]\n', 4).linksChanged, true, 'a link added');
    assert.equal(s.change('/wiki/A.md', text.replace('#Intro', '#Outro').replace('## Part', '## Whole') + 'More words. [[C]]\n', 5).linksChanged, true, 'a heading renamed');
    assert.equal(s.close('/wiki/A.md').linksChanged, true, 'closing goes back to the text on disk');
  });
});
