// Tags (`#anarchism`, front matter `tags:`): where the scanner reads them, the wiki's index of them, and every feature on them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FactsDecoder, FactsEncoder, forgetDecodedSyntax, PackedArticle } from '../../server/src/core/facts';
import { analyseArticle } from '../../server/src/core/remarkAnalysis';
import { scanArticle } from '../../server/src/core/scan';
import { InMemoryWorkspace } from '../../server/src/core/workspace';
import { Wiki } from '../../server/src/core/wiki';
import { applyToFiles, openAt, readerOf, serviceOf, wikiOf } from './editHelpers';
import { rename } from '../../server/src/core/features/rename';

/** The tags of a text as `name@written` (what the span covers), checked against the remark analysis. */
function tagsOf(text: string): string[] {
  const fast = scanArticle(text).tags ?? [];
  assert.deepEqual(analyseArticle(text).tags ?? [], fast, 'the remark analysis reads other tags');
  return fast.map((t) => `${t.name}@${text.slice(t.span.start, t.span.end)}${t.front ? ' (front matter)' : ''}`);
}

describe('where tags are read', () => {
  test('a # that opens a word is a tag: in paragraphs, headings, lists, quotes and footnotes, nested names with /', () => {
    const text = '# Notes #draft\n\nOn #anarchism and #history/russia.\n\n- #todo item\n\n> #quoted\n\nA note.[^1]\n\n[^1]: See #sources.\n';
    assert.deepEqual(tagsOf(text), ['draft@draft', 'anarchism@anarchism', 'history/russia@history/russia', 'todo@todo', 'quoted@quoted', 'sources@sources']);
  });

  test('no tag after a word, in code, in a link or its label, in HTML, from digits alone, or from MediaWiki\'s #REDIRECT', () => {
    const text = [
      '#REDIRECT [[Elsewhere]]',
      '',
      'C# and page#part, issue #12, #2024, &#35;x, \\#escaped.',
      '',
      '`#code` [[Page#Heading]] [#label](Page) [x](Page#frag) <span title="#attr">x</span> http://x.org/#frag',
      '',
      '```',
      '#include <stdio.h>',
      '```',
      '',
      '<div style="color: #aaa">#inblock</div>',
      '',
    ].join('\n');
    assert.deepEqual(tagsOf(text), []);
  });

  test('a tag that opens the text is read, as one after a heading\'s marks is, in a text with no other', () => {
    assert.deepEqual(tagsOf('#first thing'), ['first@first']);
    assert.deepEqual(tagsOf('## #draft\n'), ['draft@draft']);
    assert.deepEqual(tagsOf('## Heading\n\nNo tag: ##, # and #\n'), []);
  });

  test('a tag ends where its letters do: before punctuation, and without a trailing /', () => {
    assert.deepEqual(tagsOf('Tagged #one, #two. #three/ #2024-report (#four) #ümlaut_ok\n'), ['one@one', 'two@two', 'three@three', '2024-report@2024-report', 'ümlaut_ok@ümlaut_ok']);
  });

  test('the front matter\'s tags are tags, as a list, a block list or a string, each where it is written', () => {
    assert.deepEqual(tagsOf('---\ntitle: T\ntags: [history/russia, "#anarchism", history]\n---\nText #body.\n'), [
      'history/russia@history/russia (front matter)',
      'anarchism@anarchism (front matter)',
      'history@history (front matter)',
      'body@body',
    ]);
    assert.deepEqual(tagsOf('---\ntags:\n  - alpha\n  - beta\n---\n'), ['alpha@alpha (front matter)', 'beta@beta (front matter)']);
    assert.deepEqual(tagsOf('---\ntag: alpha, beta gamma\n---\n'), ['alpha@alpha (front matter)', 'beta@beta (front matter)', 'gamma@gamma (front matter)']);
    assert.deepEqual(tagsOf('---\ntags: [1984, "two words"]\n---\n'), [], 'a number or a name with a space is no tag a # could write');
  });

  test('a packed article keeps its tags, read alone and with the rest of its syntax', () => {
    const w = new Wiki(['/wiki']);
    const a = w.analyse('/wiki/A.md', '---\ntags: [alpha]\n---\n# A\n\nText #beta and [[B]].\n');
    const enc = new FactsEncoder();
    enc.add(a);
    const batch = enc.finish();
    const dec = new FactsDecoder(batch.ints, batch.strings);
    const packed = dec.article(dec.peek().at, () => '/wiki') as PackedArticle;
    forgetDecodedSyntax();
    assert.deepEqual(packed.tagNames(), ['alpha', 'beta']);
    assert.deepEqual(JSON.parse(JSON.stringify(packed.syntax)), JSON.parse(JSON.stringify(a.syntax)));
  });
});

const ROOT = '/wiki';
const FILES: Record<string, string> = {
  'Anarchism.md': '---\ntags: [politics, Philosophy]\n---\n# Anarchism\n\nA #philosophy of #mutual-aid.\n',
  'Kropotkin.md': '# Kropotkin\n\nWrote on #Philosophy and #history/russia.\n',
  'Bakunin.md': '# Bakunin\n\n#philosophy #politics\n',
  'Cooking.md': '# Cooking\n\n#recipes\n',
};

const service = (files = FILES) => serviceOf(files);

const where = (l: { path: string; range: { start: { line: number; character: number } } }) => `${l.path.slice(ROOT.length + 1)}:${l.range.start.line}:${l.range.start.character}`;

describe('tags in the editor', () => {
  test('completion after # offers the tags in use that hold the letters typed, those they start first, then the most used, each once whatever its case', async () => {
    const s = await service();
    const { path, position } = openAt(s, 'New.md', '# New\n\nAbout #p|\n');
    const list = s.completion(path, position)!;
    assert.deepEqual(list.items.map((i) => [i.label, i.detail]), [
      ['#philosophy', 'tag · on 3 articles'],
      ['#politics', 'tag · on 2 articles'],
      ['#recipes', 'tag · on 1 article'],
    ]);
    assert.deepEqual(list.items[0].textEdit, { range: { start: { line: 2, character: 6 }, end: { line: 2, character: 8 } }, newText: '#philosophy' });
  });

  test('completion after # keeps to its cap the tags the letters start, before more used ones they are only inside of', async () => {
    const s = await serviceOf({ 'A.md': '#zz-alpha #alpine\n', 'B.md': '#zz-alpha #alpha\n', 'C.md': '#zz-alpha\n' });
    const { path, position } = openAt(s, 'New.md', 'x #al|\n');
    const list = s.completion(path, position, 2)!;
    assert.deepEqual([list.items.map((i) => i.label), list.isIncomplete], [['#alpha', '#alpine'], true]);
  });

  test('completion after # offers nothing after a word, in a code fence, or for the letters being typed alone', async () => {
    const s = await service();
    assert.equal(s.completion(...at(openAt(s, 'New.md', 'C#|\n'))), undefined);
    assert.equal(s.completion(...at(openAt(s, 'New.md', '```\n#|\n```\n'))), undefined);
    const typed = s.completion(...at(openAt(s, 'New.md', 'Text #recip|\n')))!;
    assert.deepEqual(typed.items.map((i) => i.label), ['#recipes']);
    const alone = s.completion(...at(openAt(s, 'New.md', 'Text #zzz|\n')))!;
    assert.deepEqual(alone.items, [], 'the tag being typed is no tag in use yet');
  });

  test('completion in the front matter\'s tags offers names without #', async () => {
    const s = await service();
    const list = s.completion(...at(openAt(s, 'New.md', '---\ntags: [politics, ph|]\n---\n')))!;
    assert.deepEqual(list.items.map((i) => i.textEdit.newText), ['philosophy']);
    const block = s.completion(...at(openAt(s, 'New.md', '---\ntags:\n  - rec|\n---\n')))!;
    assert.deepEqual(block.items.map((i) => i.textEdit.newText), ['recipes']);
  });

  test('hover on a tag lists the articles it is on and the tags nested in it; go to definition leads to the articles', async () => {
    const s = await service();
    const { path, position } = openAt(s, 'Bakunin.md', '# Bakunin\n\n#philo|sophy #politics\n');
    const h = s.hover(path, position)!;
    assert.equal(h.markdown, '**Tag** #philosophy\n\n*3 articles:* Anarchism · Bakunin · Kropotkin');
    assert.deepEqual(h.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 11 } });
    assert.deepEqual(s.definition(path, position).map(where), ['Anarchism.md:3:0', 'Kropotkin.md:0:0']);
    const history = openAt(s, 'New.md', 'On #hist|ory.\n');
    assert.equal(s.hover(history.path, history.position)!.markdown, '**Tag** #history\n\n*1 article:* New\n\n*Nested:* #history/russia (1)', 'the tags nested in it too');
  });

  test('references on a tag give every use in the wiki, in text and front matter, whatever the case, and the uses of tags nested in it', async () => {
    const s = await service();
    const { path, position } = openAt(s, 'Kropotkin.md', '# Kropotkin\n\nWrote on #Philo|sophy and #history/russia.\n');
    assert.deepEqual(s.references(path, position, true).map(where), ['Anarchism.md:1:17', 'Anarchism.md:5:2', 'Bakunin.md:2:0', 'Kropotkin.md:2:9']);
    const history = openAt(s, 'New.md', 'On #hist|ory and #History/Spain.\n');
    assert.deepEqual(s.references(history.path, history.position, true).map(where), ['Kropotkin.md:2:25', 'New.md:0:3', 'New.md:0:16'], 'with the tags nested in it');
    const hl = s.documentHighlights(`${ROOT}/Anarchism.md`, { line: 1, character: 20 });
    assert.deepEqual(hl.map((x) => `${x.range.start.line}:${x.range.start.character}-${x.range.end.character}`), ['1:17-27', '5:2-13']);
  });

  test('workspace symbols find tags: #query asks for tags alone, each at its first use; a plain query finds them among the rest', async () => {
    const s = await service();
    const onlyTags = s.workspaceSymbols('#p');
    assert.deepEqual(onlyTags.map((x) => [x.name, x.containerName, where({ path: x.location.path, range: x.location.range })]), [
      ['#philosophy', 'tag · 3 articles', 'Anarchism.md:1:17'],
      ['#politics', 'tag · 2 articles', 'Anarchism.md:1:7'],
      ['#recipes', 'tag · 1 article', 'Cooking.md:2:0'],
    ]);
    const mixed = s.workspaceSymbols('kropotkin').map((x) => x.name);
    assert.ok(mixed.includes('Kropotkin') && !mixed.some((n) => n.startsWith('#')), mixed.join(', '));
    assert.ok(s.workspaceSymbols('recipes').some((x) => x.name === '#recipes'));
  });

  test('the index follows edits: a tag typed, removed, or an article deleted changes what uses it', async () => {
    const s = await service();
    const probe = () => s.references(`${ROOT}/Cooking.md`, { line: 2, character: 2 }, false).map(where);
    assert.deepEqual(probe(), ['Cooking.md:2:0']);
    s.open(`${ROOT}/Bakunin.md`, '# Bakunin\n\n#recipes too\n', 2);
    assert.deepEqual(probe(), ['Bakunin.md:2:0', 'Cooking.md:2:0']);
    s.change(`${ROOT}/Bakunin.md`, '# Bakunin\n\nnone now\n', 3);
    assert.deepEqual(probe(), ['Cooking.md:2:0']);
    const list = s.completion(...at(openAt(s, 'New.md', 'x #pol|\n')))!;
    assert.deepEqual(list.items.map((i) => i.detail), ['tag · on 1 article'], 'Bakunin no longer counts for #politics');
    s.close(`${ROOT}/New.md`);
    (s.workspace as InMemoryWorkspace).files.delete(`${ROOT}/Anarchism.md`);
    s.fileDeleted(`${ROOT}/Anarchism.md`);
    const after = s.completion(...at(openAt(s, 'New.md', 'x #p|\n')))!;
    // Only Kropotkin's `#Philosophy` is left of that tag (Bakunin's edit took its own), and #politics is gone.
    assert.deepEqual(after.items.map((i) => i.label), ['#Philosophy', '#recipes'], 'a deleted article\'s tags are gone with it');
  });
});

describe('rename a tag', () => {
  test('renaming a tag rewrites every use of it in the wiki, in text and front matter, whatever the case, and no other tag', () => {
    const files = Object.fromEntries(Object.entries(FILES).map(([p, t]) => [`${ROOT}/${p}`, t]));
    const wiki = wikiOf(files);
    const text = files[`${ROOT}/Bakunin.md`];
    const edit = rename(wiki, wiki.articles.get(`${ROOT}/Bakunin.md`)!, text, text.indexOf('#philosophy') + 3, '#thought', { read: readerOf(files) });
    const result = applyToFiles(files, edit);
    assert.equal(result[`${ROOT}/Anarchism.md`], '---\ntags: [politics, thought]\n---\n# Anarchism\n\nA #thought of #mutual-aid.\n');
    assert.equal(result[`${ROOT}/Kropotkin.md`], '# Kropotkin\n\nWrote on #thought and #history/russia.\n');
    assert.equal(result[`${ROOT}/Bakunin.md`], '# Bakunin\n\n#thought #politics\n');
    assert.doesNotMatch(JSON.stringify(edit), /Cooking/, 'an article without the tag is not touched');
  });

  test('renaming a tag moves the tags nested in it along, keeping what follows its name', () => {
    const files = { [`${ROOT}/A.md`]: 'On #history and #History/Russia.\n', [`${ROOT}/B.md`]: '---\ntags: [history/spain]\n---\n#historyx stays.\n' };
    const wiki = wikiOf(files);
    const text = files[`${ROOT}/A.md`];
    const result = applyToFiles(files, rename(wiki, wiki.articles.get(`${ROOT}/A.md`)!, text, 5, 'past', { read: readerOf(files) }));
    assert.equal(result[`${ROOT}/A.md`], 'On #past and #past/Russia.\n');
    assert.equal(result[`${ROOT}/B.md`], '---\ntags: [past/spain]\n---\n#historyx stays.\n');
  });

  test('a tag is not renamed to what would not read back as one tag', () => {
    const files = { [`${ROOT}/A.md`]: 'Text #alpha.\n' };
    const wiki = wikiOf(files);
    const a = wiki.articles.get(`${ROOT}/A.md`)!;
    for (const bad of ['two words', '1984', 'a.b', '']) assert.throws(() => rename(wiki, a, files[`${ROOT}/A.md`], 7, bad, { read: readerOf(files) }), /cannot be a tag/, bad);
  });
});

function at(o: { path: string; position: { line: number; character: number } }): [string, { line: number; character: number }] {
  return [o.path, o.position];
}
