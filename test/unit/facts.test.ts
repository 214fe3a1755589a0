// The string table of the packed facts encoding: one id per distinct string, whatever its hash.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashString, StringIds } from '../../server/src/core/facts';
import { mulberry32 } from '../prng';

test('the string table gives equal strings one id and different strings different ids, in the order first seen', () => {
  const random = mulberry32(7);
  const alphabet = ['a', 'b', 'Z', ' ', '_', 'é', '😀', '#', '\u0000'];
  const pick = () => {
    const n = Math.floor(random() * 50);
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(random() * alphabet.length)];
    return s;
  };
  // Few distinct strings among many, so that most lookups find one already there; enough to grow the table often.
  const pool = Array.from({ length: 30_000 }, pick);
  const table = new StringIds();
  const expected = new Map<string, number>();
  for (let i = 0; i < 100_000; i++) {
    const s = pool[Math.floor(random() * pool.length)];
    if (!expected.has(s)) expected.set(s, expected.size);
    assert.equal(table.idOf(s), expected.get(s), `the id of ${JSON.stringify(s)}`);
  }
  assert.deepEqual(table.strings, [...expected.keys()]);
});

test('long strings that hash alike because they differ only in the middle still get their own ids', () => {
  const head = 'A heading that begins the same ';
  const tail = ' and ends the same way, too.';
  const one = `${head}first${tail}`;
  const two = `${head}other${tail}`;
  assert.equal(hashString(one), hashString(two), 'the hash samples only both ends of a long string');
  const table = new StringIds();
  assert.deepEqual([table.idOf(one), table.idOf(two), table.idOf(one), table.idOf(two)], [0, 1, 0, 1]);
});

test('the empty string and strings cut from a larger text are found like any other', () => {
  const text = 'Some [[Target Article With A Long Name]] text, then [[Target Article With A Long Name]] again.';
  const first = text.slice(7, 38);
  const second = text.slice(text.lastIndexOf('[[') + 2, text.lastIndexOf(']]'));
  const table = new StringIds(true);
  assert.deepEqual([table.idOf(''), table.idOf(first), table.idOf(''), table.idOf(second)], [0, 1, 0, 1]);
  assert.equal(table.strings[1], 'Target Article With A Long Name', 'the copy kept is equal to the string');
});

test('an article packed and decoded keeps its redirect, its reference-link mistakes, its HTML headings and its front matter title, read alone and whole, and copies whole', async () => {
  const { FactsDecoder, FactsEncoder, PackedArticle, forgetDecodedSyntax } = await import('../../server/src/core/facts');
  const { Wiki } = await import('../../server/src/core/wiki');
  const w = new Wiki(['/wiki']);
  const texts = {
    '/wiki/Old.md': '1.  REDIRECT [Notes](Notes "wikilink")\n',
    '/wiki/Notes.md': '# Notes\n\nSee [x][nowhere] and [y][d].\n\n[d]: Old.md\n[D]: Old.md\n[spare]: Old.md\n',
    '/wiki/Project.md': '# Project\n\n<table><tr><td><h2 id="purpose">PURPOSE</h2>\n<h3>How &amp; why</h3></td></tr></table>\n',
    '/wiki/Titled.md': '---\ntitle: The Titled One\naliases: [T1]\n---\n\nText.\n',
    '/wiki/Untitled.md': '---\naliases: [U1]\n---\n\nText.\n',
  };
  const analysed = Object.entries(texts).map(([path, text]) => w.analyse(path, text));
  const enc = new FactsEncoder();
  for (const a of analysed) enc.add(a);
  // Copied record by record into a second batch, as the cache is written from packed articles.
  const first = enc.finish();
  const d1 = new FactsDecoder(first.ints, first.strings);
  const copy = new FactsEncoder();
  while (!d1.done) {
    const { at } = d1.peek();
    copy.add(d1.article(at, () => '/wiki'));
  }
  const batch = copy.finish();
  const dec = new FactsDecoder(batch.ints, batch.strings);
  for (const a of analysed) {
    const { at } = dec.peek();
    const packed = dec.article(at, () => '/wiki') as InstanceType<typeof PackedArticle>;
    forgetDecodedSyntax();
    assert.equal(packed.redirect, a.redirect, a.path);
    assert.deepEqual(packed.htmlHeadings(), a.syntax.htmlHeadings ?? [], a.path);
    assert.equal(packed.frontMatterTitle(), a.syntax.frontMatter?.title, a.path);
    if (a.redirect !== undefined) assert.deepEqual(JSON.parse(JSON.stringify(packed.link(a.redirect))), JSON.parse(JSON.stringify(a.syntax.links[a.redirect])));
    assert.deepEqual(JSON.parse(JSON.stringify(packed.syntax)), JSON.parse(JSON.stringify(a.syntax)), a.path);
  }
  assert.deepEqual(analysed[1].syntax.referenceIssues?.map((x) => x.kind), ['undefined', 'duplicate', 'unused'], 'the fixture has one of each');
  assert.deepEqual(analysed[2].syntax.htmlHeadings?.map((h) => `${h.level} ${h.text}`), ['2 PURPOSE', '3 How & why'], 'the fixture has HTML headings');
  assert.deepEqual(analysed.map((a) => a.syntax.frontMatter?.title), [undefined, undefined, undefined, 'The Titled One', undefined], 'the fixture has a front matter title, and front matter without one');
});
