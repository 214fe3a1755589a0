// Rename on in-memory wikis: the returned WorkspaceEdit is applied to the real texts and the results compared byte for byte.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { fileUri, type RenameFile, type TextDocumentEdit } from '../../server/src/core/edits';
import { fileRenameEdits, prepareRename, rename, renameArticle } from '../../server/src/core/features/rename';
import { applyToFiles, brokenLinks, cursor, readerOf, wikiOf, type Files } from './editHelpers';

const MARX = '# Karl Marx\n\nA philosopher.\n\n## Early life\n\nBorn in Trier.\n';

function renameAt(files: Files, path: string, markedText: string, newName: string, open: string[] = []) {
  const { text, offset } = cursor(markedText);
  const all = { ...files, [path]: text };
  const wiki = wikiOf(all, open);
  const edit = rename(wiki, wiki.articles.get(path)!, text, offset, newName, { read: readerOf(all, open) });
  return { edit, result: applyToFiles(all, edit, open), before: all };
}

describe('rename an article', () => {
  test('renaming from a wiki link renames the file and rewrites every link syntax in its own style, labels and anchor titles kept', () => {
    const source = [
      'See [[Karl ‸Marx]] and [[Karl_Marx|Marx]] and [[Karl Marx#Early life]] and ![[Karl Marx]].',
      'pro-"<a href="Karl_Marx.md" class="wikilink" title="Karl Marx">"Marx</a> and',
      '"<a   href="Karl_Marx.md" class="wikilink"',
      'title="Karl Marx">"Karl',
      'Marx</a>, <a href=\'Karl_Marx\' class="wikilink" title="Karl_Marx">old</a>.',
      'Markdown: [label](Karl_Marx.md), [l](Karl_Marx "wikilink"), [l](<Karl Marx.md>), [l](Karl%20Marx.md),',
      '[l](Karl_Marx.md#early-life), [l](./Karl_Marx.md), [[ Karl Marx ]].',
      '',
    ].join('\n');
    const { edit, result } = renameAt({ '/wiki/Karl_Marx.md': MARX }, '/wiki/A.md', source, 'Karl Heinrich Marx');
    assert.equal(
      result['/wiki/A.md'],
      [
        'See [[Karl Heinrich Marx]] and [[Karl_Heinrich_Marx|Marx]] and [[Karl Heinrich Marx#Early life]] and ![[Karl Heinrich Marx]].',
        'pro-"<a href="Karl_Heinrich_Marx.md" class="wikilink" title="Karl Marx">"Marx</a> and',
        '"<a   href="Karl_Heinrich_Marx.md" class="wikilink"',
        'title="Karl Marx">"Karl',
        'Marx</a>, <a href=\'Karl_Heinrich_Marx\' class="wikilink" title="Karl_Marx">old</a>.',
        'Markdown: [label](Karl_Heinrich_Marx.md), [l](Karl_Heinrich_Marx "wikilink"), [l](<Karl Heinrich Marx.md>), [l](Karl%20Heinrich%20Marx.md),',
        '[l](Karl_Heinrich_Marx.md#early-life), [l](./Karl_Heinrich_Marx.md), [[ Karl Heinrich Marx ]].',
        '',
      ].join('\n'),
    );
    assert.equal(result['/wiki/Karl_Heinrich_Marx.md'], MARX.replace('# Karl Marx', '# Karl Heinrich Marx'));
    assert.equal(result['/wiki/Karl_Marx.md'], undefined);
    // The rename comes first and the renamed file's own edits follow at its new name: VS Code applies file operations first anyway.
    const firstChange = edit.documentChanges[0] as RenameFile;
    assert.deepEqual(firstChange, { kind: 'rename', oldUri: fileUri('/wiki/Karl_Marx.md'), newUri: fileUri('/wiki/Karl_Heinrich_Marx.md'), options: {} });
    assert.deepEqual(brokenLinks(result), []);
  });

  test('renaming rewrites a link reference definition\'s destination, and leaves the links that use its label alone', () => {
    const source = 'See [Marx][km] and [Karl Marx][].\n\n[km]: Karl_Marx.md#early-life "Marx"\n[Karl Marx]: <Karl_Marx.md>\n';
    const { result } = renameAt({ '/wiki/Karl_Marx.md': MARX }, '/wiki/A.md', source.replace('[km]: Karl_Marx', '[km]: Karl_M‸arx'), 'Karl Heinrich Marx');
    assert.equal(result['/wiki/A.md'], 'See [Marx][km] and [Karl Marx][].\n\n[km]: Karl_Heinrich_Marx.md#early-life "Marx"\n[Karl Marx]: <Karl_Heinrich_Marx.md>\n');
    assert.deepEqual(brokenLinks(result), []);
  });

  test('a file named with spaces keeps spaces, and links written with the file name follow it', () => {
    const files = { '/wiki/notes/Mutual Aid.md': '# Mutual Aid\n', '/wiki/notes/B.md': '[x](Mutual%20Aid.md) [[mutual aid]] [y](<Mutual Aid.md>)\n' };
    const { result } = renameAt(files, '/wiki/notes/B.md', '[x](Mutual%20Aid.md) [[mutual ‸aid]] [y](<Mutual Aid.md>)\n', 'Mutual Aid (book)');
    assert.equal(result['/wiki/notes/B.md'], '[x](Mutual%20Aid%20%28book%29.md) [[Mutual Aid (book)]] [y](<Mutual Aid (book).md>)\n');
    assert.equal(result['/wiki/notes/Mutual Aid (book).md'], '# Mutual Aid (book)\n');
    assert.deepEqual(brokenLinks(result), []);
  });

  test('a one-word file name follows the folder\'s habit of underscores', () => {
    const files = {
      '/wiki/Anarchism.md': '# Anarchism\n',
      '/wiki/Direct_Action.md': '[[Anarchism]] and [a](Anarchism.md)\n',
      '/wiki/General_Strike.md': 'x\n',
    };
    const { result } = renameAt(files, '/wiki/Direct_Action.md', '[[Anar‸chism]] and [a](Anarchism.md)\n', 'Green Anarchism');
    assert.equal(result['/wiki/Green_Anarchism.md'], '# Green Anarchism\n');
    assert.equal(result['/wiki/Direct_Action.md'], '[[Green Anarchism]] and [a](Green_Anarchism.md)\n');
  });

  test('renaming from the front matter title updates the title, the file and the links, and leaves aliases alone', () => {
    const article = '---\ntitle: Karl Marx\naliases: [Marx]\n---\n\nBody.\n';
    const files = { '/wiki/Karl_Marx.md': article, '/wiki/B.md': '[a](Karl_Marx.md "wikilink") [[Karl Marx]] [[Marx]]\n' };
    const { result } = renameAt(files, '/wiki/Karl_Marx.md', '---\ntitle: Karl ‸Marx\naliases: [Marx]\n---\n\nBody.\n', 'Marx: A Life');
    assert.equal(result['/wiki/Marx:_A_Life.md'], '---\ntitle: "Marx: A Life"\naliases: [Marx]\n---\n\nBody.\n');
    assert.equal(result['/wiki/B.md'], '[a](Marx:_A_Life.md "wikilink") [[Marx: A Life]] [[Marx]]\n');
    assert.deepEqual(brokenLinks(result), []);
  });

  test('a quoted front matter title stays quoted the same way', () => {
    const files = { '/wiki/Kropotkin.md': "---\ntitle: 'Peter Kropotkin'\n---\n" };
    const { result } = renameAt(files, '/wiki/Kropotkin.md', "---\ntitle: 'Peter ‸Kropotkin'\n---\n", "Pyotr Kropotkin's");
    assert.equal(result['/wiki/Pyotr Kropotkin\'s.md'], "---\ntitle: 'Pyotr Kropotkin''s'\n---\n");
  });

  test('renaming from the opening heading renames the article; the links in the article itself follow', () => {
    const text = '# Bakunin‸\n\nSee [[Bakunin#Life]].\n\n## Life\n';
    const { result } = renameAt({}, '/wiki/Bakunin.md', text, 'Mikhail Bakunin');
    assert.deepEqual(result, { '/wiki/Mikhail Bakunin.md': '# Mikhail Bakunin\n\nSee [[Mikhail Bakunin#Life]].\n\n## Life\n' });
  });

  test('the edit carries the open documents\' versions and null for closed files', () => {
    const files = { '/wiki/Karl_Marx.md': MARX, '/wiki/B.md': '[[Karl Marx]]\n' };
    const { edit } = renameAt(files, '/wiki/A.md', '[[Karl ‸Marx]]\n', 'Marx', ['/wiki/A.md']);
    const versions = Object.fromEntries(
      edit.documentChanges.filter((c): c is TextDocumentEdit => 'textDocument' in c).map((c) => [c.textDocument.uri, c.textDocument.version]),
    );
    // Karl_Marx.md's own title edit follows its rename, so it is addressed by the new name.
    assert.deepEqual(versions, { [fileUri('/wiki/A.md')]: 7, [fileUri('/wiki/B.md')]: null, [fileUri('/wiki/Marx.md')]: null });
  });

  test('links are rewritten at the right place when the index lags behind the editor', () => {
    const files = { '/wiki/Karl_Marx.md': MARX, '/wiki/B.md': 'old [[Karl Marx]]\n' };
    const wiki = wikiOf({ ...files, '/wiki/A.md': '[[Karl Marx]]' });
    // The editor has typed in B and A since the index saw them.
    const now = { ...files, '/wiki/B.md': 'much newer text 😀 [[Karl Marx]]\r\n', '/wiki/A.md': '😀😀 [[Karl Marx]]' };
    const edit = rename(wiki, wiki.articles.get('/wiki/A.md')!, now['/wiki/A.md'], 9, 'Marx', { read: readerOf(now) });
    const result = applyToFiles(now, edit);
    assert.equal(result['/wiki/B.md'], 'much newer text 😀 [[Marx]]\r\n');
    assert.equal(result['/wiki/A.md'], '😀😀 [[Marx]]');
  });

  test('in a wiki of redirect pages, a renamed article leaves one at its old name, written as the wiki writes them', () => {
    const redirect = (files: Files, marked: string, leaveRedirect: 'auto' | 'always' | 'never') => {
      const { text, offset } = cursor(marked);
      const all = { ...files, '/wiki/A.md': text };
      const wiki = wikiOf(all);
      const edit = rename(wiki, wiki.articles.get('/wiki/A.md')!, text, offset, 'Karl Heinrich Marx', { read: readerOf(all), leaveRedirect });
      return { edit, result: applyToFiles(all, edit) };
    };
    const mediawiki = { '/wiki/Karl_Marx.md': MARX, '/wiki/Marx.md': '#REDIRECT [[Karl Marx]]\n' };
    const { edit, result } = redirect(mediawiki, 'See [[Karl ‸Marx]].\n', 'auto');
    assert.equal(result['/wiki/Karl_Marx.md'], '#REDIRECT [[Karl Heinrich Marx]]\n');
    assert.equal(result['/wiki/Karl_Heinrich_Marx.md'], MARX.replace('# Karl Marx', '# Karl Heinrich Marx'));
    assert.equal(result['/wiki/A.md'], 'See [[Karl Heinrich Marx]].\n', 'the links are rewritten all the same');
    assert.equal(result['/wiki/Marx.md'], '#REDIRECT [[Karl Heinrich Marx]]\n');
    assert.deepEqual(brokenLinks(result), []);
    const kinds = edit.documentChanges.map((c) => ('kind' in c ? c.kind : 'text'));
    assert.deepEqual(kinds.slice(0, 2), ['rename', 'create'], 'the old file is moved away before one is made in its place');
    // pandoc's export of a MediaWiki redirect: a numbered list item and a markdown link marked "wikilink".
    const pandoc = { '/wiki/Karl_Marx.md': MARX, '/wiki/Marx.md': '1.  REDIRECT [Karl Marx](Karl_Marx "wikilink")\n' };
    const p = redirect(pandoc, 'See [Marx](Karl_Marx "wiki‸link").\n', 'auto').result;
    assert.equal(p['/wiki/Karl_Marx.md'], '1.  REDIRECT [Karl Heinrich Marx](Karl_Heinrich_Marx "wikilink")\n');
    assert.deepEqual(brokenLinks(p), []);
    const none = { '/wiki/Karl_Marx.md': MARX };
    assert.equal(redirect(none, 'See [[Karl ‸Marx]].\n', 'auto').result['/wiki/Karl_Marx.md'], undefined, 'a wiki without redirect pages gets none');
    assert.equal(redirect(none, 'See [[Karl ‸Marx]].\n', 'always').result['/wiki/Karl_Marx.md'], '#REDIRECT [[Karl Heinrich Marx]]\n');
    assert.equal(redirect(mediawiki, 'See [[Karl ‸Marx]].\n', 'never').result['/wiki/Karl_Marx.md'], undefined);
  });

  test('a case-only rename renames the file', () => {
    const { result } = renameAt({ '/wiki/Karl_marx.md': '# Karl marx\n' }, '/wiki/A.md', '[[Karl ‸marx]]\n', 'Karl Marx');
    assert.deepEqual(result, { '/wiki/A.md': '[[Karl Marx]]\n', '/wiki/Karl_Marx.md': '# Karl Marx\n' });
  });

  test('prepareRename gives the target\'s range and the article\'s title, and says it is an article', () => {
    const { text, offset } = cursor('See [[Karl_‸Marx|him]].\n');
    const wiki = wikiOf({ '/wiki/Karl_Marx.md': MARX, '/wiki/A.md': text });
    assert.deepEqual(prepareRename(wiki, wiki.articles.get('/wiki/A.md')!, text, offset), {
      range: { start: { line: 0, character: 6 }, end: { line: 0, character: 15 } },
      placeholder: 'Karl Marx',
      kind: 'article',
    });
  });

  test('prepareRename on a heading says it is a heading, whose rename renames no file', () => {
    const { text, offset } = cursor('# A\n\n## In pr‸actice\n');
    const wiki = wikiOf({ '/wiki/A.md': text });
    const r = prepareRename(wiki, wiki.articles.get('/wiki/A.md')!, text, offset);
    assert.ok(r && !('error' in r), JSON.stringify(r));
    assert.deepEqual([r.kind, r.placeholder], ['heading', 'In practice']);
  });

  test('a broken link, an existing name and a name that would break links are refused with a reason', () => {
    const { text, offset } = cursor('[[Nobody‸]] [[Karl Marx]]\n');
    const files = { '/wiki/Karl_Marx.md': MARX, '/wiki/Engels.md': '# Engels\n', '/wiki/A.md': text };
    const wiki = wikiOf(files);
    const a = wiki.articles.get('/wiki/A.md')!;
    assert.deepEqual(prepareRename(wiki, a, text, offset), { error: "No article named 'Nobody' to rename (create it first)" });
    const ctx = { read: readerOf(files) };
    assert.throws(() => rename(wiki, a, text, 15, 'Engels', ctx), /An article Engels.md already exists/);
    assert.throws(() => rename(wiki, a, text, 15, 'Marx|Engels', ctx), /cannot contain \[, \], \| or #/);
    assert.throws(() => rename(wiki, a, text, 15, 'a/b', ctx), /cannot contain \//);
  });

  test('nothing outside links, titles, headings and footnotes can be renamed', () => {
    const wiki = wikiOf({ '/wiki/A.md': 'plain text\n' });
    assert.equal(prepareRename(wiki, wiki.articles.get('/wiki/A.md')!, 'plain text\n', 3), undefined);
  });
});

describe('rename an article linked from front matter', () => {
  test('renaming an article rewrites the links to it in other articles\' front matter, quotes and labels kept', () => {
    const files = {
      '/wiki/Child.md': '---\nup: "[[Karl Marx]]"\nrelated:\n  - "[[Karl Marx|Marx]]"\n---\n# Child\n',
    };
    const { result } = renameAt(files, '/wiki/Karl_Marx.md', MARX.replace('# Karl Marx', '# Karl ‸Marx'), 'Karl Heinrich Marx');
    assert.equal(result['/wiki/Child.md'], '---\nup: "[[Karl Heinrich Marx]]"\nrelated:\n  - "[[Karl Heinrich Marx|Marx]]"\n---\n# Child\n');
    assert.deepEqual(brokenLinks(result), []);
  });

  test('a new name a quoted front matter value cannot hold as written is refused, and a plain value takes it', () => {
    const quoted = { '/wiki/Child.md': '---\nup: "[[Karl Marx]]"\n---\n# Child\n' };
    assert.throws(() => renameAt(quoted, '/wiki/Karl_Marx.md', MARX.replace('# Karl Marx', '# Karl ‸Marx'), 'Karl "Red" Marx'), /double-quoted front matter value of Child\.md/);
    const single = { '/wiki/Child.md': "---\nup: '[[Karl Marx]]'\n---\n# Child\n" };
    assert.throws(() => renameAt(single, '/wiki/Karl_Marx.md', MARX.replace('# Karl Marx', '# Karl ‸Marx'), "Karl Marx's"), /single-quoted/);
    const plain = { '/wiki/Child.md': '---\nup: [[Karl Marx]]\n---\n# Child\n' };
    const { result } = renameAt(plain, '/wiki/Karl_Marx.md', MARX.replace('# Karl Marx', '# Karl ‸Marx'), "Karl Marx's");
    assert.equal(result['/wiki/Child.md'], "---\nup: [[Karl Marx's]]\n---\n# Child\n");
  });
});

describe('rename a category', () => {
  test('renaming a category without a page rewrites its name in every link to it, each as written, and no other category', () => {
    const files: Files = {
      '/wiki/A.md': '# A\n\n[[Category:Anarchist communism]] [[Category:Other]]\n',
      '/wiki/B.md': '# B\n\n[Category:Anarchist communism](Category:Anarchist_communism.md "wikilink")\n',
      '/wiki/C.md': '# C\n\n<a href="Category:Anarchist_communism" class="wikilink" title="Category:Anarchist communism">x</a>\n',
      '/wiki/D.md': '# D\n\nSee [[:category:anarchist communism|the list]].\n',
    };
    const marked = files['/wiki/A.md'].replace('Anarchist communism]]', 'Anarchist ‸communism]]');
    const { text, offset } = cursor(marked);
    const wiki = wikiOf({ ...files, '/wiki/A.md': text });
    const prepared = prepareRename(wiki, wiki.articles.get('/wiki/A.md')!, text, offset);
    assert.ok(prepared && !('error' in prepared));
    assert.equal(prepared.kind, 'category');
    assert.equal(prepared.placeholder, 'Anarchist communism');
    const { result, edit } = renameAt(files, '/wiki/A.md', marked, 'Libertarian communism');
    assert.equal(result['/wiki/A.md'], '# A\n\n[[Category:Libertarian communism]] [[Category:Other]]\n');
    assert.equal(result['/wiki/B.md'], '# B\n\n[Category:Anarchist communism](Category:Libertarian_communism.md "wikilink")\n', 'the label is text, left as written');
    assert.equal(result['/wiki/C.md'], '# C\n\n<a href="Category:Libertarian_communism" class="wikilink" title="Category:Anarchist communism">x</a>\n');
    assert.equal(result['/wiki/D.md'], '# D\n\nSee [[:category:Libertarian communism|the list]].\n');
    assert.ok(edit.documentChanges.every((c) => !('kind' in c)), 'no file is made or renamed');
  });
});

describe('rename a heading', () => {
  test('renaming a heading rewrites every link to it, as text or as slug, as each was written', () => {
    const marx = '# Karl Marx\n\n## Early ‸life\n\nSee [[#Early life]].\n';
    const files = {
      '/wiki/B.md': '[[Karl Marx#Early life]] [[Karl_Marx#Early_life|youth]] [x](Karl_Marx.md#early-life) [y](Karl_Marx.md#Early%20life) [[Karl Marx]]\n',
    };
    const { result } = renameAt(files, '/wiki/Karl_Marx.md', marx, 'Youth in Trier');
    assert.equal(result['/wiki/Karl_Marx.md'], '# Karl Marx\n\n## Youth in Trier\n\nSee [[#Youth in Trier]].\n');
    assert.equal(
      result['/wiki/B.md'],
      '[[Karl Marx#Youth in Trier]] [[Karl_Marx#Youth_in_Trier|youth]] [x](Karl_Marx.md#youth-in-trier) [y](Karl_Marx.md#Youth%20in%20Trier) [[Karl Marx]]\n',
    );
    assert.deepEqual(brokenLinks(result), []);
  });

  test('a link to a heading with `.md` written after it keeps the `.md` when the heading is renamed', () => {
    const files = { '/wiki/Uprising.md': '[revolt](Peasants#List_of_Peasant_Rebellions.md "wikilink")\n' };
    const { result } = renameAt(files, '/wiki/Peasants.md', '# Peasants\n\n## List of Peasant ‸Rebellions\n', 'List of Peasant Revolts');
    assert.equal(result['/wiki/Uprising.md'], '[revolt](Peasants#List_of_Peasant_Revolts.md "wikilink")\n');
    assert.deepEqual(brokenLinks(result), []);
  });

  test('renaming one of several headings of the same name renumbers the links to the others, so each leads where it led', () => {
    const life = '# Life\n\n## History\n\n## Later\n\n### History\n\n### History\n';
    const links = 'See [a](Life.md#history), [b](Life.md#history-1), [c](Life.md#history-2), [[Life#History_2]] and [[Life#History 3]].\n';
    const { result } = renameAt({ '/wiki/B.md': links }, '/wiki/Life.md', life.replace('## History', '## His‸tory'), 'Origins');
    assert.equal(result['/wiki/Life.md'], life.replace('## History', '## Origins'));
    assert.equal(result['/wiki/B.md'], 'See [a](Life.md#origins), [b](Life.md#history), [c](Life.md#history-1), [[Life#History]] and [[Life#History_2]].\n');
    assert.deepEqual(brokenLinks(result), []);
    // Renamed to the name the others have, it takes its number among them, and the later ones move up one.
    const into = renameAt({ '/wiki/B.md': links }, '/wiki/Life.md', life.replace('## Later', '## La‸ter'), 'History').result;
    assert.equal(into['/wiki/B.md'], 'See [a](Life.md#history), [b](Life.md#history-2), [c](Life.md#history-3), [[Life#History_3]] and [[Life#History_4]].\n');
  });

  test('renaming from a link\'s heading part renames that heading', () => {
    const files = { '/wiki/Karl_Marx.md': MARX, '/wiki/Other.md': '[[Karl Marx#Early life]]\n' };
    const { result } = renameAt(files, '/wiki/A.md', '[[Karl Marx#Early ‸life]]\n', 'Childhood');
    assert.equal(result['/wiki/Karl_Marx.md'], MARX.replace('## Early life', '## Childhood'));
    assert.equal(result['/wiki/A.md'], '[[Karl Marx#Childhood]]\n');
    assert.equal(result['/wiki/Other.md'], '[[Karl Marx#Childhood]]\n');
  });
});

describe('rename a heading named in a heading path', () => {
  const NOTES = '# Notes\n\n## Part one\n\n### Details\n\n## Part two\n\n### Details\n';
  const LINKS = '[[Notes#Part two#Details]] [[Notes#Part_one#Details|first]] [[Notes#Details]]\n';

  test('renaming the last heading of a path rewrites that part and keeps the path before it', () => {
    const notes = NOTES.replace('## Part two\n\n### Details', '## Part two\n\n### De‸tails');
    const { result } = renameAt({ '/wiki/Reader.md': LINKS }, '/wiki/Notes.md', notes, 'Fine print');
    assert.equal(result['/wiki/Reader.md'], '[[Notes#Part two#Fine print]] [[Notes#Part_one#Details|first]] [[Notes#Details]]\n');
    assert.deepEqual(brokenLinks(result), []);
  });

  test('renaming a heading a path passes through rewrites its part, so the path still leads to the heading inside it', () => {
    const { result } = renameAt({ '/wiki/Reader.md': LINKS }, '/wiki/Notes.md', NOTES.replace('## Part one', '## Part ‸one'), 'Opening');
    assert.equal(result['/wiki/Reader.md'], '[[Notes#Part two#Details]] [[Notes#Opening#Details|first]] [[Notes#Details]]\n');
    assert.deepEqual(brokenLinks(result), []);
  });

  test('renaming from a part of a link\'s heading path renames the heading that part names', () => {
    const files = { '/wiki/Notes.md': NOTES, '/wiki/Other.md': LINKS };
    const { result } = renameAt(files, '/wiki/Reader.md', '[[Notes#Part t‸wo#Details]]\n', 'Second part');
    assert.equal(result['/wiki/Notes.md'], NOTES.replace('## Part two', '## Second part'));
    assert.equal(result['/wiki/Reader.md'], '[[Notes#Second part#Details]]\n');
    assert.equal(result['/wiki/Other.md'], '[[Notes#Second part#Details]] [[Notes#Part_one#Details|first]] [[Notes#Details]]\n');
    const last = renameAt(files, '/wiki/Reader.md', '[[Notes#Part two#Det‸ails]]\n', 'Fine print').result;
    assert.equal(last['/wiki/Notes.md'], NOTES.replace('## Part two\n\n### Details', '## Part two\n\n### Fine print'));
    assert.equal(last['/wiki/Reader.md'], '[[Notes#Part two#Fine print]]\n');
  });
});

describe('rename an HTML id', () => {
  const PROJECT = '# Project\n\n<table><tr><td><h2 id="purpose">PURPOSE</h2>\n<p>Why.</p></td></tr></table>\n\nSee [[#purpose]] and [[#Why]].\n\n## Why\n';
  const LINKERS = {
    '/wiki/B.md': '[[Project#purpose]] [x](Project.md#purpose) <a href="Project#purpose" class="wikilink">p</a> [[Project]] [[Project#Why]]\n',
    '/wiki/Old_name.md': '#REDIRECT [[Project]]\n',
    '/wiki/C.md': '[[Old name#purpose]]\n',
  };

  test('renaming an id from its value rewrites the fragment of every link to it, in each syntax and through redirect pages', () => {
    const { result } = renameAt(LINKERS, '/wiki/Project.md', PROJECT.replace('id="purpose"', 'id="pur‸pose"'), 'aims');
    assert.equal(result['/wiki/Project.md'], PROJECT.replace('id="purpose"', 'id="aims"').replace('[[#purpose]]', '[[#aims]]'));
    assert.equal(result['/wiki/B.md'], '[[Project#aims]] [x](Project.md#aims) <a href="Project#aims" class="wikilink">p</a> [[Project]] [[Project#Why]]\n');
    assert.equal(result['/wiki/C.md'], '[[Old name#aims]]\n');
    assert.deepEqual(brokenLinks(result), []);
  });

  test('renaming from a link\'s fragment that names an id renames the id, not the article', () => {
    const files = { ...LINKERS, '/wiki/Project.md': PROJECT };
    const { text, offset } = cursor('[[Project#purp‸ose]]\n');
    const all = { ...files, '/wiki/A.md': text };
    const wiki = wikiOf(all);
    assert.deepEqual(prepareRename(wiki, wiki.articles.get('/wiki/A.md')!, text, offset), {
      range: { start: { line: 0, character: 10 }, end: { line: 0, character: 17 } },
      placeholder: 'purpose',
      kind: 'anchor',
    });
    const result = applyToFiles(all, rename(wiki, wiki.articles.get('/wiki/A.md')!, text, offset, '#aims', { read: readerOf(all) }));
    assert.equal(result['/wiki/A.md'], '[[Project#aims]]\n');
    assert.match(result['/wiki/Project.md'], /<h2 id="aims">PURPOSE<\/h2>/);
    assert.equal(result['/wiki/C.md'], '[[Old name#aims]]\n');
    assert.deepEqual(brokenLinks(result), []);
  });

  test('an id is not renamed to one the article has, to a heading\'s name, or to what a link cannot carry as written', () => {
    const marked = PROJECT.replace('id="purpose"', 'id="pur‸pose"').replace('<p>Why.</p>', '<p id="scope">Why.</p>');
    const { text, offset } = cursor(marked);
    const all = { ...LINKERS, '/wiki/Project.md': text };
    const wiki = wikiOf(all);
    const ctx = { read: readerOf(all) };
    const a = wiki.articles.get('/wiki/Project.md')!;
    assert.throws(() => rename(wiki, a, text, offset, 'Scope', ctx), /already has the id 'scope'/);
    assert.throws(() => rename(wiki, a, text, offset, 'why', ctx), /names the heading 'Why'/);
    assert.throws(() => rename(wiki, a, text, offset, 'two words', ctx), /cannot be an id/);
    assert.throws(() => rename(wiki, a, text, offset, 'a]]b', ctx), /cannot be an id/);
  });
});

describe('rename an Obsidian block id', () => {
  test('renaming a block id keeps its ^ and rewrites every link to it; a name a block id cannot hold is refused', () => {
    const files = { '/wiki/B.md': '[[Notes#^quote-1]] [q](Notes.md#^quote-1) [[Notes]]\n' };
    const { result } = renameAt(files, '/wiki/Notes.md', '# Notes\n\nA line to quote. ^quo‸te-1\n\nSee [[#^quote-1]].\n', 'best-quote');
    assert.equal(result['/wiki/Notes.md'], '# Notes\n\nA line to quote. ^best-quote\n\nSee [[#^best-quote]].\n');
    assert.equal(result['/wiki/B.md'], '[[Notes#^best-quote]] [q](Notes.md#^best-quote) [[Notes]]\n');
    assert.deepEqual(brokenLinks(result), []);
    assert.throws(() => renameAt(files, '/wiki/Notes.md', 'A line. ^quo‸te-1\n', 'two words'), /cannot be an id/);
    assert.throws(() => renameAt(files, '/wiki/Notes.md', 'A line. ^quo‸te-1\n', 'a_b'), /cannot be an id/);
  });
});

describe('rename a footnote', () => {
  test('renaming a footnote from a reference rewrites every reference and its definition, whatever their case', () => {
    const text = 'One.[^‸1] Two.[^1] Three.[^2] Four.[^1]\n\n[^1]: Marx, Capital.\n[^2]: Engels.\n';
    const { result } = renameAt({}, '/wiki/A.md', text, 'marx-1867');
    assert.equal(result['/wiki/A.md'], 'One.[^marx-1867] Two.[^marx-1867] Three.[^2] Four.[^marx-1867]\n\n[^marx-1867]: Marx, Capital.\n[^2]: Engels.\n');
  });

  test('renaming from the definition works the same, and a new label typed with its brackets loses them', () => {
    const { result } = renameAt({}, '/wiki/A.md', 'One.[^note]\n\n[^no‸te]: A note.\n', '[^source]');
    assert.equal(result['/wiki/A.md'], 'One.[^source]\n\n[^source]: A note.\n');
  });

  test('prepareRename on a footnote gives its label, and says it is a footnote', () => {
    const { text, offset } = cursor('One.[^no‸te]\n\n[^note]: A note.\n');
    const wiki = wikiOf({ '/wiki/A.md': text });
    assert.deepEqual(prepareRename(wiki, wiki.articles.get('/wiki/A.md')!, text, offset), {
      range: { start: { line: 0, character: 6 }, end: { line: 0, character: 10 } },
      placeholder: 'note',
      kind: 'footnote',
    });
  });

  test('a footnote right after a link is renamed, not the linked article', () => {
    const { edit, result } = renameAt({ '/wiki/Karl_Marx.md': MARX }, '/wiki/A.md', '[[Karl Marx]][^‸1]\n\n[^1]: Note.\n', 'm');
    assert.equal(result['/wiki/A.md'], '[[Karl Marx]][^m]\n\n[^m]: Note.\n');
    assert.equal(edit.documentChanges.length, 1);
  });

  test('a label another footnote has, and one the footnote syntax cannot hold, are refused with a reason', () => {
    const text = 'One.[^1] Two.[^2]\n\n[^1]: A.\n[^2]: B.\n';
    const wiki = wikiOf({ '/wiki/A.md': text });
    const a = wiki.articles.get('/wiki/A.md')!;
    const ctx = { read: readerOf({ '/wiki/A.md': text }) };
    assert.throws(() => rename(wiki, a, text, 6, '2', ctx), /has a footnote \[\^2\] already/);
    assert.throws(() => rename(wiki, a, text, 6, 'two words', ctx), /cannot be a footnote label/);
    assert.throws(() => rename(wiki, a, text, 6, 'a]b', ctx), /cannot be a footnote label/);
    assert.throws(() => rename(wiki, a, text, 6, '  ', ctx), /empty/);
    // A change of case alone is no clash with itself.
    const { result } = renameAt({}, '/wiki/B.md', 'x[^‸n]\n\n[^n]: A.\n', 'N');
    assert.equal(result['/wiki/B.md'], 'x[^N]\n\n[^N]: A.\n');
  });
});

describe('files renamed or moved in the editor', () => {
  test('moving a file rewrites relative paths in both directions and leaves links by name alone', () => {
    const files = {
      '/wiki/Karl_Marx.md': '# Karl Marx\n\n[back](A.md) [[A]] [img](files/cap.pdf)\n\n## Early life\n',
      '/wiki/A.md': '[[Karl Marx]] [x](Karl_Marx.md) [y](./Karl_Marx.md#early-life) [z](Karl_Marx "wikilink")\n',
      '/wiki/sub/C.md': '[x](../Karl_Marx.md) [y](/Karl_Marx.md)\n',
      '/wiki/files/cap.pdf': '',
    };
    const wiki = wikiOf(files);
    const edit = fileRenameEdits(wiki, [{ oldPath: '/wiki/Karl_Marx.md', newPath: '/wiki/people/Karl_Marx.md' }], { read: readerOf(files) });
    assert.ok(edit.documentChanges.every((c) => 'textDocument' in c), 'only text edits: the client moves the file');
    const result = applyToFiles(files, edit);
    assert.equal(result['/wiki/Karl_Marx.md'], '# Karl Marx\n\n[back](../A.md) [[A]] [img](../files/cap.pdf)\n\n## Early life\n');
    assert.equal(result['/wiki/A.md'], '[[Karl Marx]] [x](people/Karl_Marx.md) [y](./people/Karl_Marx.md#early-life) [z](Karl_Marx "wikilink")\n');
    assert.equal(result['/wiki/sub/C.md'], '[x](../people/Karl_Marx.md) [y](/people/Karl_Marx.md)\n');
    const moved = { ...result, '/wiki/people/Karl_Marx.md': result['/wiki/Karl_Marx.md'] };
    delete (moved as Files)['/wiki/Karl_Marx.md'];
    assert.deepEqual(brokenLinks(moved), []);
  });

  test('renaming a file in the editor rewrites links by file name but not the title', () => {
    const files = { '/wiki/Karl_Marx.md': '# Karl Marx\n', '/wiki/A.md': '[[Karl Marx]] [[Karl_Marx]] [x](Karl_Marx.md)\n' };
    const wiki = wikiOf(files);
    const edit = fileRenameEdits(wiki, [{ oldPath: '/wiki/Karl_Marx.md', newPath: '/wiki/Marx.md' }], { read: readerOf(files) });
    assert.deepEqual(applyToFiles(files, edit), { '/wiki/Karl_Marx.md': '# Karl Marx\n', '/wiki/A.md': '[[Marx]] [[Marx]] [x](Marx.md)\n' });
  });

  test('moving an image rewrites the links that give its path and leaves links by its name alone', () => {
    const files = {
      '/wiki/A.md': '[map](map.png) ![[map.png]] [[File:map.png]] [[./map.png]] [x](./map.png) ![The map](map.png "A map")\n',
      '/wiki/sub/B.md': '[m](../map.png) <a href="/map.png">n</a> ![[map.png|thumb]] ![m](<../map.png>) <img src="../map.png" alt="m" /> <IMG SRC=\'../map.png\'>\n',
      '/wiki/C.md': '[other](other.png) [[map]]\n',
      '/wiki/Map.md': '# Map\n',
      '/wiki/map.png': '',
      '/wiki/other.png': '',
    };
    const wiki = wikiOf(files);
    const edit = fileRenameEdits(wiki, [{ oldPath: '/wiki/map.png', newPath: '/wiki/images/map.png' }], { read: readerOf(files) });
    const result = applyToFiles(files, edit);
    assert.equal(result['/wiki/A.md'], '[map](images/map.png) ![[map.png]] [[File:map.png]] [[./images/map.png]] [x](./images/map.png) ![The map](images/map.png "A map")\n');
    assert.equal(result['/wiki/sub/B.md'], '[m](../images/map.png) <a href="/images/map.png">n</a> ![[map.png|thumb]] ![m](<../images/map.png>) <img src="../images/map.png" alt="m" /> <IMG SRC=\'../images/map.png\'>\n');
    assert.equal(result['/wiki/C.md'], files['/wiki/C.md'], 'a link to another file, or to an article of the same name, is not the image');
    const moved: Files = { ...result, '/wiki/images/map.png': '' };
    delete moved['/wiki/map.png'];
    assert.deepEqual(brokenLinks(moved), []);
  });

  test('renaming a PDF rewrites its name in every link to it, in each link\'s own escapes, File: prefix kept', () => {
    const files = {
      '/wiki/A.md': '[cap](files/Das%20Kapital.pdf#page=3) [[files/Das Kapital.pdf]] [[File:Das Kapital.pdf]] <a href="files/Das Kapital.pdf">x</a>\n',
      '/wiki/files/Das Kapital.pdf': '',
      '/wiki/B.md': '<figure>\n<img src="files/Das Kapital.png" title="cover" />\n</figure>\n',
      '/wiki/files/Das Kapital.png': '',
    };
    const wiki = wikiOf(files);
    const edit = fileRenameEdits(
      wiki,
      [
        { oldPath: '/wiki/files/Das Kapital.pdf', newPath: '/wiki/files/Capital (1867).pdf' },
        // In an <img>'s quoted src a quote of the other kind stays as it is, its own becomes an entity.
        { oldPath: '/wiki/files/Das Kapital.png', newPath: "/wiki/files/Marx's \"Capital\" & more.png" },
      ],
      { read: readerOf(files) },
    );
    const result = applyToFiles(files, edit);
    assert.equal(
      result['/wiki/A.md'],
      '[cap](files/Capital%20%281867%29.pdf#page=3) [[files/Capital (1867).pdf]] [[File:Capital (1867).pdf]] <a href="files/Capital (1867).pdf">x</a>\n',
    );
    assert.equal(result['/wiki/B.md'], '<figure>\n<img src="files/Marx\'s &quot;Capital&quot; & more.png" title="cover" />\n</figure>\n');
    const renamed: Files = { ...result, '/wiki/files/Capital (1867).pdf': '', "/wiki/files/Marx's \"Capital\" & more.png": '' };
    delete renamed['/wiki/files/Das Kapital.pdf'];
    delete renamed['/wiki/files/Das Kapital.png'];
    assert.deepEqual(brokenLinks(renamed), []);
  });

  test('renaming a folder of images rewrites the links into it, including those of a moved article beside them', () => {
    const files = {
      '/wiki/A.md': '[a](img/a.png) ![[img/deep/b.jpg]] ![b](img/deep/b.jpg)\n',
      '/wiki/img/Notes.md': '![a](a.png) [[A]]\n',
      '/wiki/img/a.png': '',
      '/wiki/img/deep/b.jpg': '',
    };
    const wiki = wikiOf(files);
    const edit = fileRenameEdits(wiki, [{ oldPath: '/wiki/img', newPath: '/wiki/pictures' }], { read: readerOf(files) });
    const result = applyToFiles(files, edit);
    assert.equal(result['/wiki/A.md'], '[a](pictures/a.png) ![[pictures/deep/b.jpg]] ![b](pictures/deep/b.jpg)\n');
    assert.equal(result['/wiki/img/Notes.md'], '![a](a.png) [[A]]\n', 'the image moved with the article: its link stays');
  });

  test('F2 on a link to a file says to rename the file in the explorer, or that there is no such file', () => {
    const files = { '/wiki/A.md': '![map](map.png) ![gone](gone.png)\n', '/wiki/map.png': '' };
    const wiki = wikiOf(files);
    const a = wiki.articles.get('/wiki/A.md')!;
    const at = (s: string) => prepareRename(wiki, a, files['/wiki/A.md'], files['/wiki/A.md'].indexOf(s) + 1);
    assert.deepEqual(at('map.png'), { error: "'map.png' is a file: rename or move it in the editor's file explorer, and the links to it follow" });
    assert.deepEqual(at('gone.png'), { error: "No file 'gone.png' in the wiki to rename" });
  });

  test('moving an image out of the wiki changes no link', () => {
    const files = { '/wiki/A.md': '[map](map.png)\n', '/wiki/map.png': '' };
    const wiki = wikiOf(files);
    const edit = fileRenameEdits(wiki, [{ oldPath: '/wiki/map.png', newPath: '/elsewhere/map.png' }], { read: readerOf(files) });
    assert.deepEqual(edit.documentChanges, []);
  });

  test('renaming a folder moves every article in it', () => {
    const files = { '/wiki/people/Marx.md': '[a](../A.md)\n', '/wiki/A.md': '[m](people/Marx.md) [[people/Marx]]\n' };
    const wiki = wikiOf(files);
    const edit = fileRenameEdits(wiki, [{ oldPath: '/wiki/people', newPath: '/wiki/persons' }], { read: readerOf(files) });
    const result = applyToFiles(files, edit);
    assert.equal(result['/wiki/A.md'], '[m](persons/Marx.md) [[persons/Marx]]\n');
    assert.equal(result['/wiki/people/Marx.md'], '[a](../A.md)\n');
  });
});

describe('rename on the real wikis', () => {
  const corpora = path.resolve(__dirname, '../../../shared/corpora');
  for (const name of ['anarwiki/pages', 'libsocwiki/pages', 'owasp-wiki']) {
    test(`renaming the most linked article of ${name} keeps every link to it working and changes nothing else`, (t) => {
      const folder = path.join(corpora, name);
      if (!fs.existsSync(folder)) return t.skip(`${folder} is absent`);
      const files: Files = {};
      const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const p = path.join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.name.endsWith('.md')) files['/wiki' + p.slice(folder.length)] = fs.readFileSync(p, 'utf8');
        }
      };
      walk(folder);
      const wiki = wikiOf(files);
      let target = [...wiki.articles.values()][0];
      for (const a of wiki.articles.values()) if (wiki.incomingCount(a) > wiki.incomingCount(target)) target = a;
      const backlinks = wiki.backlinks(target).length;
      const renamed = 'Renamed ' + target.title.replace(/[\/\\[\]|#]/g, ' ');
      const t0 = performance.now();
      const edit = renameArticle(wiki, target, renamed, { read: readerOf(files) });
      const ms = performance.now() - t0;
      const result = applyToFiles(files, edit);
      const after = wikiOf(result);
      const newPath = Object.keys(result).find((p) => !(p in files))!;
      const moved = after.articles.get(newPath)!;
      t.diagnostic(`${target.rel} (${backlinks} links) → ${moved.rel}: ${ms.toFixed(0)} ms`);
      assert.equal(after.backlinks(moved).length, backlinks, 'every link to the article still leads to it');
      assert.equal(brokenLinks(result).length, brokenLinks(files).length, 'no link broke');
      // Outside the renamed article, only link targets (and anchors' titles) changed: the rest of each text is intact.
      for (const [p, text] of Object.entries(result)) {
        if (p === newPath || files[p] === text) continue;
        const strip = (s: string) => s.replace(new RegExp(escapeRe(target.title.replace(/ /g, '[ _]')) + '|' + escapeRe(renamed).replace(/ /g, '[ _]'), 'gi'), 'X').replace(/%20|_| /g, '');
        assert.equal(strip(text), strip(files[p]), `only the links changed in ${p}`);
      }
    });
  }
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\[ _\\\]/g, '[ _]');
}

describe('rename a reference link\'s label', () => {
  const text = '# Notes\n\nSee [help][ma], [MA][] and [ma], `[code][ma]` and [other][x].\n\n[ma]: Mutual_Aid.md "Mutual Aid"\n[x]: Anarchism.md\n';
  const files: Files = { '/wiki/Mutual_Aid.md': '# Mutual Aid\n', '/wiki/Anarchism.md': '# Anarchism\n' };

  test('from a use or from the definition, the definition\'s label and every use are renamed, code left alone, and the target kept', () => {
    for (const cursorAt of ['[help][m‸a]', '[M‸A][]', '[m‸a]:']) {
      const { result } = renameAt(files, '/wiki/Notes.md', text.replace(cursorAt.replace('‸', ''), cursorAt), 'mutual aid');
      assert.equal(result['/wiki/Notes.md'], '# Notes\n\nSee [help][mutual aid], [mutual aid][] and [mutual aid], `[code][ma]` and [other][x].\n\n[mutual aid]: Mutual_Aid.md "Mutual Aid"\n[x]: Anarchism.md\n', cursorAt);
      assert.equal(result['/wiki/Mutual_Aid.md'], files['/wiki/Mutual_Aid.md'], 'the article is not renamed');
    }
  });

  test('prepareRename gives the label under the cursor; a label another definition has, or one with a bracket, is refused', () => {
    const marked = text.replace('[help][ma]', '[help][m‸a]');
    const { text: plain, offset } = cursor(marked);
    const wiki = wikiOf({ ...files, '/wiki/Notes.md': plain });
    const r = prepareRename(wiki, wiki.articles.get('/wiki/Notes.md')!, plain, offset);
    assert.ok(r && !('error' in r));
    assert.equal(r.placeholder, 'ma');
    assert.equal(r.kind, 'reference');
    assert.throws(() => renameAt(files, '/wiki/Notes.md', marked, 'X'), /defines a link \[X\] already/);
    assert.throws(() => renameAt(files, '/wiki/Notes.md', marked, 'a]b'), /cannot be a link label/);
  });
});
