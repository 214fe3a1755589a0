// Files dropped into an article: the links written for them, in the article's (else the wiki's) own link style, each checked to lead back to its file.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dropLinks } from '../../server/src/core/features/dropLinks';
import { articleProblems } from '../../server/src/core/diagnostics';
import { wikiOf, type Files } from './editHelpers';

/** The links for files dropped into `into`, and whether the article with them inserted has any broken link. */
function drop(files: Files, into: string, paths: string[]): { text: string | undefined; broken: string[] } {
  const wiki = wikiOf(files);
  const article = wiki.articles.get(into)!;
  const text = dropLinks(wiki, article, files[into], paths);
  if (text === undefined) return { text, broken: [] };
  const after = wikiOf({ ...files, [into]: `${files[into]}\n${text}\n` });
  const broken = articleProblems(after, after.articles.get(into)!).map((p) => p.message);
  return { text, broken };
}

describe('links for files dropped into an article', () => {
  test('in a wiki of [[links]], an article is dropped as its title, an image as an embed by its name, a PDF as a link', () => {
    const files = {
      '/wiki/Notes.md': '# Notes\n\nSee [[Karl Marx]].\n',
      '/wiki/Karl_Marx.md': '# Karl Marx\n',
      '/wiki/people/Mutual Aid.md': '---\ntitle: Mutual Aid (book)\n---\nText.\n',
      '/wiki/img/Red Flag.png': '',
      '/wiki/docs/capital.pdf': '',
    };
    const { text, broken } = drop(files, '/wiki/Notes.md', ['/wiki/Karl_Marx.md', '/wiki/people/Mutual Aid.md', '/wiki/img/Red Flag.png', '/wiki/docs/capital.pdf']);
    assert.equal(text, '[[Karl Marx]] [[Mutual Aid (book)]] ![[Red Flag.png]] [[capital.pdf]]');
    assert.deepEqual(broken, []);
  });

  test('an image whose name two folders share is embedded by its path from the article', () => {
    const files = { '/wiki/a/Notes.md': 'See [[Other]].\n', '/wiki/Other.md': '', '/wiki/img/map.png': '', '/wiki/old/map.png': '' };
    const { text, broken } = drop(files, '/wiki/a/Notes.md', ['/wiki/old/map.png']);
    assert.equal(text, '![[../old/map.png]]');
    assert.deepEqual(broken, []);
  });

  test('in a wiki of markdown links, each is a markdown link with the article\'s habits: `.md`, `_`, the "wikilink" title, %20 in paths', () => {
    const files = {
      '/wiki/pages/Notes.md': '[Marx](Karl_Marx.md "wikilink") and [x](Other.md "wikilink")\n',
      '/wiki/pages/Karl_Marx.md': '',
      '/wiki/pages/Other.md': '',
      '/wiki/pages/Mutual_Aid.md': '',
      '/wiki/img/Red Flag.png': '',
    };
    const { text, broken } = drop(files, '/wiki/pages/Notes.md', ['/wiki/pages/Mutual_Aid.md', '/wiki/img/Red Flag.png']);
    assert.equal(text, '[Mutual Aid](Mutual_Aid.md "wikilink") ![Red Flag](../img/Red%20Flag.png)');
    assert.deepEqual(broken, []);
  });

  test('nothing for the article itself, a file outside the folder, or a file the wiki does not link to; the rest still', () => {
    const files = { '/wiki/Notes.md': '[[Other]]\n', '/wiki/Other.md': '' };
    assert.equal(drop(files, '/wiki/Notes.md', ['/wiki/Notes.md', '/etc/passwd', '/wiki/script.sh', '/wiki']).text, undefined);
    assert.equal(drop(files, '/wiki/Notes.md', ['/elsewhere/Other.md', '/wiki/Other.md']).text, '[[Other]]');
  });
});
