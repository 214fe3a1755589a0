// What the preview is told of an article's links: what an embed shows (the article, a section or a block, read from its file), where a picture is.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EMBED_MAX, embeddedMarkdown } from '../../server/src/core/features/embeds';
import { previewLinks } from '../../server/src/core/features/previewLinks';
import { wikiOf, type Files } from './editHelpers';

const NOTES = [
  '---',
  'title: Notes',
  '---',
  '# Notes',
  '',
  'The opening paragraph.',
  '',
  '## Part one',
  '',
  'First text.',
  '',
  '### Details',
  '',
  'Fine print.',
  '',
  '## Part two',
  '',
  'A line to quote,',
  'on two lines. ^quote-1',
  '',
  '- an item ^item',
  '- another',
  '',
  '<span id="html-id"></span>',
  '',
].join('\n');

/** The markdown an embed written `![[target]]` in Reader.md shows, as the preview is told it. */
function shown(files: Files, target: string): string | undefined {
  const all: Files = { '/wiki/Reader.md': `![[${target}]]\n`, ...files };
  const wiki = wikiOf(all);
  const reader = wiki.articles.get('/wiki/Reader.md')!;
  return previewLinks(wiki, reader, all['/wiki/Reader.md'], (p) => all[p]).find((l) => l.written === target)?.embed;
}

describe('what an embed of an article shows', () => {
  test('a whole article, past its front matter and its title heading', () => {
    assert.equal(shown({ '/wiki/Notes.md': NOTES }, 'Notes'), NOTES.slice(NOTES.indexOf('The opening')).trim());
  });

  test('a section, from its heading to the next heading of its level, its subsections in it', () => {
    assert.equal(shown({ '/wiki/Notes.md': NOTES }, 'Notes#Part one'), '## Part one\n\nFirst text.\n\n### Details\n\nFine print.');
  });

  test('a block, its paragraph or its list item, without the block id', () => {
    assert.equal(shown({ '/wiki/Notes.md': NOTES }, 'Notes#^quote-1'), 'A line to quote,\non two lines.');
    assert.equal(shown({ '/wiki/Notes.md': NOTES }, 'Notes#^item'), '- an item');
  });

  test('nothing for an HTML id, a missing article, a picture, or an article whose file changed since it was read', () => {
    assert.equal(shown({ '/wiki/Notes.md': NOTES }, 'Notes#html-id'), undefined);
    assert.equal(shown({}, 'Nowhere'), undefined);
    assert.equal(shown({ '/wiki/map.png': '' }, 'map.png'), undefined);
    const wiki = wikiOf({ '/wiki/Notes.md': NOTES });
    assert.equal(embeddedMarkdown(wiki.articles.get('/wiki/Notes.md')!, {}, () => NOTES + 'typed since'), undefined);
  });

  test('a long article is cut at a blank line before the limit, and says so', () => {
    const long = '# Long\n\n' + Array.from({ length: 800 }, (_, i) => `Paragraph ${i} ${'word '.repeat(8)}`).join('\n\n') + '\n';
    const text = shown({ '/wiki/Long.md': long }, 'Long')!;
    assert.ok(text.length <= EMBED_MAX + 3, `${text.length} characters`);
    assert.match(text, /word\n\n…$/);
    assert.ok(long.includes(text.slice(0, -3)), 'the part shown is the article\'s own text, cut between paragraphs');
  });

  test('a page of many long embeds gets the markdown of those that fit in 200,000 characters, the rest drawn as links', () => {
    const files: Files = { '/wiki/Reader.md': Array.from({ length: 12 }, (_, i) => `![[Long ${i}]]`).join('\n\n') + '\n' };
    for (let i = 0; i < 12; i++) files[`/wiki/Long_${i}.md`] = `# Long ${i}\n\n${'A sentence of words. '.repeat(900)}\n`;
    const wiki = wikiOf(files);
    const links = previewLinks(wiki, wiki.articles.get('/wiki/Reader.md')!, files['/wiki/Reader.md'], (p) => files[p]);
    assert.equal(links.length, 12);
    const sizes = links.map((l) => l.embed?.length ?? 0);
    assert.deepEqual(sizes.map((n) => n > 0), [...Array(10).fill(true), false, false], sizes.join(' '));
  });

  test('a link and an embed of the same article are one entry, with the embed\'s markdown, whichever comes first', () => {
    const files = { '/wiki/Reader.md': 'See [[Notes]].\n\n![[Notes]]\n', '/wiki/Notes.md': NOTES };
    const wiki = wikiOf(files);
    const links = previewLinks(wiki, wiki.articles.get('/wiki/Reader.md')!, files['/wiki/Reader.md'], (p) => files[p as keyof typeof files]);
    assert.equal(links.length, 1);
    assert.match(links[0].embed ?? '', /^The opening paragraph\./);
  });
});

describe('pictures in the preview', () => {
  test('a markdown image is told by its destination as written, an <img> by its src, with the file the wiki finds by its name', () => {
    const files: Files = { '/wiki/notes/Trip.md': '![The route](map.png) ![gone](nowhere.png)\n', '/wiki/attachments/map.png': '' };
    const wiki = wikiOf(files);
    const links = previewLinks(wiki, wiki.articles.get('/wiki/notes/Trip.md')!, files['/wiki/notes/Trip.md'], (p) => files[p]);
    assert.deepEqual(links, [{ kind: 'markdown', written: 'map.png', path: '/wiki/attachments/map.png', image: true, title: 'map.png' }]);
    const html: Files = { ...files, '/wiki/notes/Trip.md': '<img src="map.png" alt="route" />\n' };
    const w = wikiOf(html);
    const fromHtml = previewLinks(w, w.articles.get('/wiki/notes/Trip.md')!, html['/wiki/notes/Trip.md'], (p) => html[p]);
    assert.deepEqual(fromHtml.map((l) => [l.kind, l.written, l.path]), [['html', 'map.png', '/wiki/attachments/map.png']], 'an <img> by its src');
  });
});
