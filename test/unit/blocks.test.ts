// Links to any paragraph or list item (Obsidian's `[[Page#^`): the blocks offered, the ids they are given, and the edit that adds one.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { applyWorkspaceEdit, EditRefused, fileUri } from '../../server/src/core/edits';
import { addBlockIdEdit, blockIdsOf, BLOCKS_MAX_TEXT, linkableBlocks } from '../../server/src/core/features/blocks';
import { parseMarkdown } from '../../server/src/core/remarkAnalysis';
import { scanArticle } from '../../server/src/core/scan';
import type { Nodes } from 'mdast';
import { codeActions } from '../../server/src/core/features/codeActions';
import { applyToFiles, brokenLinks, openAt, readerOf, serviceOf, wikiOf } from './editHelpers';

const NOTES = [
  '---',
  'title: Notes',
  'tags: [a]',
  '---',
  '# Notes',
  '',
  'The first paragraph, with a [[Link|label]] and *emphasis*.',
  '',
  'A quoted line',
  'continued here. ^quote-1',
  '',
  '- one item',
  '- two items',
  '  - a nested item',
  '',
  '> A paragraph in a quote.',
  '',
  '```',
  'code is not a block to link to',
  '```',
  '',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '',
  '<div>html is not one</div>',
  '',
  '%% a comment',
  '',
  'is not one either %%',
  '',
  '[^1]: A footnote is not offered.',
  '',
  '## A heading is linked as a heading',
  '',
  'Last words.',
  '',
].join('\n');

const ID = /^\^[a-z0-9]{6}$/;

describe('Blocks a link can name', () => {
  test('are the paragraphs and list items outside code, HTML, tables, headings, front matter, footnotes and comments', () => {
    const blocks = linkableBlocks(NOTES, scanArticle(NOTES))!;
    assert.deepEqual(
      blocks.map((b) => [b.kind, b.text, b.id]),
      [
        ['paragraph', 'The first paragraph, with a label and emphasis.', undefined],
        ['paragraph', 'A quoted line continued here.', '^quote-1'],
        ['list item', 'one item', undefined],
        ['list item', 'two items', undefined],
        ['list item', 'a nested item', undefined],
        ['paragraph', 'A paragraph in a quote.', undefined],
        ['paragraph', 'Last words.', undefined],
      ],
    );
    // Each ends where its text ends: past it the id goes.
    for (const b of blocks) assert.match(NOTES.slice(b.end - 5, b.end), /[a-z.*1]$/);
  });

  test('are shown by their words, not by the markers of a quote or list nested in an item', () => {
    const text = '> - > - a quoted item\n\n- > quoted in a list\n\n1. - 2. deep\n\n- -1 is a number\n';
    assert.deepEqual(linkableBlocks(text, scanArticle(text))!.map((b) => b.text), ['a quoted item', 'quoted in a list', 'deep', '-1 is a number']);
  });

  test('are the scanner\'s paragraphs, read in linear time where remark-parse took seconds', () => {
    // 64 KB of nested lists took remark-parse 4.7 s (of nested quotes and lists 20 s), and a 16 KB list 0.4 s.
    const unit = '- a\n  - b\n    - c\n      - d\n> - e\n';
    const text = unit.repeat(Math.floor(65536 / unit.length));
    const t0 = performance.now();
    const blocks = linkableBlocks(text, scanArticle(text))!;
    assert.equal(blocks.length, Math.floor(65536 / unit.length) * 5);
    assert.ok(blocks.every((b, i) => b.kind === 'list item' && b.text === 'abcde'[i % 5] && text.slice(b.start, b.end) === b.text));
    // Not a timed assertion but a tell: quadratic work on 64 KB would take seconds, not this.
    assert.ok(performance.now() - t0 < 2000, `${(performance.now() - t0).toFixed(0)} ms`);
  });

  test('are not read in a text longer than the limit, whose ids alone are then offered', async () => {
    const long = `# Long\n\nA paragraph. ^kept\n\n${'Filler words here.\n\n'.repeat(Math.ceil(BLOCKS_MAX_TEXT / 20))}`;
    assert.equal(linkableBlocks(long, scanArticle(long)), undefined);
    const s = await serviceOf({ 'Long.md': long });
    const { path, position } = openAt(s, 'Reader.md', 'See [[Long#^|\n');
    assert.deepEqual(s.completion(path, position)!.items.map((i) => i.textEdit.newText), ['^kept]]']);
  });

  test('keep the scanner\'s reading when given ids: an id added at the end of each block is read as that block\'s, and nothing else changes', (t) => {
    const texts: [string, string][] = [['notes', NOTES]];
    const shared = resolve(__dirname, '../../../shared');
    const example = join(shared, 'examples/Marxism-Leninism.md');
    if (!existsSync(example)) t.diagnostic(`${shared} is absent: the corpora's articles are not tried`);
    else {
      texts.push(['Marxism-Leninism.md', readFileSync(example, 'utf8')]);
      for (const corpus of ['anarwiki', 'libsocwiki', 'owasp-wiki']) {
        const dir = join(shared, 'corpora', corpus);
        const files = readdirSync(dir).filter((f) => f.endsWith('.md')).sort();
        // Every 50th article: about 200 of every kind the three wikis have (remark reads each twice, 10–30 ms a time).
        for (let i = 0; i < files.length; i += 50) texts.push([`${corpus}/${files[i]}`, readFileSync(join(dir, files[i]), 'utf8')]);
      }
    }
    let tried = 0;
    for (const [name, text] of texts) {
      const syntax = scanArticle(text);
      const blocks = linkableBlocks(text, syntax)?.filter((x) => !x.id);
      if (!blocks?.length) continue;
      // Every block given an id at once, from the last, so that the offsets before each stay as they were.
      let changed = text;
      const ids = blocks.map((_, i) => `^zz${String(i).padStart(4, '0')}`);
      for (let i = blocks.length - 1; i >= 0; i--) changed = `${changed.slice(0, blocks[i].end)} ${ids[i]}${changed.slice(blocks[i].end)}`;
      const after = scanArticle(changed);
      assert.equal(after.links.length, syntax.links.length, `${name}: the links stay as they were`);
      assert.equal(after.anchors.length, syntax.anchors.length + blocks.length, `${name}: each id is read, and no other comes or goes`);
      assert.equal(after.headings.length, syntax.headings.length, `${name}: no heading comes or goes`);
      assert.equal(countParagraphs(changed), countParagraphs(text), `${name}: the blocks stay as they were`);
      const again = linkableBlocks(changed, after)!;
      blocks.forEach((b, i) => {
        const moved = b.start + blocks.slice(0, i).reduce((n, x) => n + 1 + ids[blocks.indexOf(x)].length, 0);
        const read = after.anchors.find((a) => a.id === ids[i]);
        assert.equal(read?.span.start, b.end + (moved - b.start) + 1, `${name}: the id after "${b.text.slice(0, 60)}" is read there`);
        assert.equal(again.find((x) => x.start === moved)?.id, ids[i], `${name}: "${b.text.slice(0, 60)}" now has its id`);
      });
      tried += blocks.length;
    }
    assert.ok(tried >= 6, `${tried} blocks tried`);
    t.diagnostic(`${tried} blocks in ${texts.length} articles`);
  });
});

function countParagraphs(text: string): number {
  let n = 0;
  const visit = (node: Nodes): void => {
    if (node.type === 'paragraph') n++;
    if ('children' in node) for (const c of node.children) visit(c as Nodes);
  };
  visit(parseMarkdown(text));
  return n;
}

describe('Completion after #^', () => {
  test('offers the target\'s blocks, those with an id first, each without one with a new id that the command gives it', async () => {
    const files = { '/wiki/Notes.md': NOTES, '/wiki/Reader.md': 'See [[Notes#^]].\n' };
    const s = await serviceOf({ 'Notes.md': NOTES });
    const { path, position } = openAt(s, 'Reader.md', 'See [[Notes#^|]].\n');
    const items = s.completion(path, position)!.items;
    assert.deepEqual(items.map((i) => i.label), ['A quoted line continued here.', 'The first paragraph, with a label and emphasis.', 'one item', 'two items', 'a nested item', 'A paragraph in a quote.', 'Last words.']);
    assert.equal(items[0].textEdit.newText, '^quote-1');
    assert.equal(items[0].addBlockId, undefined, 'a block with an id keeps it');
    const fresh = items.slice(1).map((i) => i.textEdit.newText);
    for (const id of fresh) assert.match(id, ID);
    assert.equal(new Set(fresh).size, fresh.length, 'each block its own id');
    assert.deepEqual(s.completion(path, position)!.items.map((i) => i.textEdit.newText), items.map((i) => i.textEdit.newText), 'the same ids when asked again');
    assert.match(items[2].detail!, /^\^[a-z0-9]{6} \(new\) · list item$/);
    assert.equal(items[0].detail, '^quote-1');
    assert.match(items[3].filterText!, /two items$/, 'the words are matched');

    // Choosing "two items": the link is written, the command's edit gives the item the id, and the link then leads there.
    const chosen = items[3];
    const args = chosen.addBlockId!;
    assert.equal(args.path, '/wiki/Notes.md');
    const wiki = wikiOf(files);
    const edit = addBlockIdEdit(wiki, readerOf(files), args)!;
    const out = new Map(applyWorkspaceEdit(new Map(Object.entries(files).map(([p, t]) => [fileUri(p), t])), edit, new Map()));
    const notes = out.get(fileUri('/wiki/Notes.md'))!;
    assert.match(notes, new RegExp(`\\n- two items \\${chosen.textEdit.newText}\\n`));
    const s2 = await serviceOf({ 'Notes.md': notes });
    const reader = openAt(s2, 'Reader.md', `See [[Notes#${chosen.textEdit.newText}|]].\n`);
    assert.deepEqual(s2.problems(reader.path), []);
    assert.match(s2.hover(reader.path, { line: 0, character: 8 })!.markdown, /two items/);
    assert.equal(out.get(fileUri('/wiki/Reader.md')), files['/wiki/Reader.md'], 'only the target is edited');
  });

  test('after #^ in a markdown link or a pandoc anchor too, each item keeping the link\'s closing', async () => {
    const s = await serviceOf({ 'Notes.md': NOTES });
    const md = openAt(s, 'Reader.md', 'See [x](Notes.md#^|).\n');
    const item = s.completion(md.path, md.position)!.items.find((i) => i.label === 'two items')!;
    assert.match(item.textEdit.newText, /^\^[a-z0-9]{6}$/);
    assert.equal(item.addBlockId?.path, '/wiki/Notes.md');
    const anchor = openAt(s, 'Reader.md', 'See <a href="Notes.md#^|" class="wikilink">x</a>.\n');
    assert.deepEqual(s.completion(anchor.path, anchor.position)!.items.find((i) => i.label === 'two items')?.textEdit.newText, item.textEdit.newText);
  });

  test('in an article of more blocks than a list holds, the words typed choose them, the list asked again as they change', async () => {
    const big = `# Big\n\n${Array.from({ length: 150 }, (_, i) => `Paragraph number ${i} of many.`).join('\n\n')}\n`;
    const s = await serviceOf({ 'Big.md': big });
    const all = openAt(s, 'Reader.md', 'See [[Big#^|]].\n');
    const first = s.completion(all.path, all.position)!;
    assert.equal(first.isIncomplete, true);
    assert.equal(first.items.length, 100);
    const typed = openAt(s, 'Reader.md', 'See [[Big#^number 13|]].\n');
    const some = s.completion(typed.path, typed.position)!;
    const expected = Array.from({ length: 150 }, (_, i) => i).filter((i) => String(i).includes('13'));
    assert.deepEqual(some.items.map((i) => i.label), expected.map((i) => `Paragraph number ${i} of many.`));
  });

  test('in the article itself, the id comes as an additional edit, and the paragraph being written is not offered', async () => {
    const s = await serviceOf({});
    const { path, position } = openAt(s, 'Self.md', '# Self\n\nEarlier words.\n\nSee [[#^|]] here.\n\nLater words.\n');
    const items = s.completion(path, position)!.items;
    assert.deepEqual(items.map((i) => i.label), ['Earlier words.', 'Later words.']);
    assert.equal(items[1].addBlockId, undefined);
    assert.deepEqual(items[1].additionalTextEdits, [{ range: { start: { line: 6, character: 12 }, end: { line: 6, character: 12 } }, newText: ` ${items[1].textEdit.newText}` }]);
    // Named by its title, it is still this article as the editor has it.
    const byName = openAt(s, 'Self.md', '# Self\n\nEarlier words.\n\nSee [[Self#^|]] here.\n\nLater words.\n');
    assert.deepEqual(s.completion(byName.path, byName.position)!.items.map((i) => [i.label, !!i.additionalTextEdits, !!i.addBlockId]), [['Earlier words.', true, false], ['Later words.', true, false]]);
  });

  test('gives each of many blocks alike an id of its own', () => {
    const text = 'Same words.\n\n'.repeat(3000);
    const syntax = scanArticle(text);
    const ids = blockIdsOf(linkableBlocks(text, syntax)!, syntax.anchors);
    assert.equal(new Set(ids).size, 3000);
    assert.ok(ids.every((id) => ID.test(id)));
  });

  test('gives a new block an id that the article does not have yet', async () => {
    const text = '# T\n\nOne.\n\nTwo.\n';
    const s = await serviceOf({ 'T.md': text });
    const first = openAt(s, 'Reader.md', 'See [[T#^|]].\n');
    const [one] = s.completion(first.path, first.position)!.items.map((i) => i.textEdit.newText);
    // The id "One." would be given, written on another block: "One." must get another.
    const s2 = await serviceOf({ 'T.md': `# T\n\nOne.\n\nTwo. ${one}\n` });
    const { path, position } = openAt(s2, 'Reader.md', 'See [[T#^|]].\n');
    const items = s2.completion(path, position)!.items.map((i) => i.textEdit.newText);
    assert.equal(items[0], one, 'the block that has it first');
    assert.notEqual(items[1], one);
    assert.match(items[1], ID);
  });
});

describe('The quick fix on a link to a block id not there yet', () => {
  test('gives the paragraph completion offered that id the id, as an editor that does not run the item\'s command left it', async () => {
    const s = await serviceOf({ 'Notes.md': NOTES });
    const asked = openAt(s, 'Reader.md', 'See [[Notes#^|]].\n');
    const item = s.completion(asked.path, asked.position)!.items.find((i) => i.label === 'two items')!;
    const id = item.textEdit.newText;
    const files = { '/wiki/Notes.md': NOTES, '/wiki/Reader.md': `See [[Notes#${id}]].\n` };
    const text = files['/wiki/Reader.md'];
    const wiki = wikiOf(files, ['/wiki/Reader.md']);
    const at = text.indexOf('^');
    const actions = codeActions(wiki, { path: '/wiki/Reader.md', text, version: 7 }, { start: at, end: at }, { read: readerOf(files, ['/wiki/Reader.md']) });
    const fix = actions.find((a) => a.title.startsWith('Add the block id'))!;
    assert.equal(fix.title, `Add the block id ${id} to 'two items' in Notes`);
    assert.equal(fix.isPreferred, true);
    assert.ok(actions.filter((a) => a.isPreferred).length === 1, 'the one preferred fix');
    const out = applyToFiles(files, fix.edit!, ['/wiki/Reader.md']);
    assert.equal(out['/wiki/Notes.md'], NOTES.replace('- two items\n', `- two items ${id}\n`));
    assert.deepEqual(brokenLinks(out).filter((x) => x.startsWith('Reader.md')), [], 'the link leads to the block now');
    // An id completion never offered is left to the other fixes.
    const other = codeActions(wiki, { path: '/wiki/Reader.md', text: 'See [[Notes#^zzzzzz]].\n', version: 7 }, { start: 13, end: 13 }, { read: readerOf(files) });
    assert.ok(!other.some((a) => a.title.startsWith('Add the block id')));
  });
});

describe('The edit that adds a block id', () => {
  const files = { '/wiki/T.md': '# T\n\nFirst.\n\nSecond one.\n' };
  const args = () => {
    const wiki = wikiOf(files);
    const text = files['/wiki/T.md'];
    const b = linkableBlocks(text, wiki.articles.get('/wiki/T.md')!.syntax)!.find((x) => x.text === 'Second one.')!;
    return { path: '/wiki/T.md', start: b.start, key: b.key, id: '^abc123' };
  };
  const apply = (f: Record<string, string>, a: ReturnType<typeof args>) => {
    const edit = addBlockIdEdit(wikiOf(f), readerOf(f), a);
    return edit && applyWorkspaceEdit(new Map([[fileUri('/wiki/T.md'), f['/wiki/T.md']]]), edit, new Map()).get(fileUri('/wiki/T.md'));
  };

  test('finds the block where it moved when text came before it', () => {
    assert.equal(apply({ '/wiki/T.md': '# T\n\nNew words.\n\nFirst.\n\nSecond one.\n' }, args()), '# T\n\nNew words.\n\nFirst.\n\nSecond one. ^abc123\n');
  });

  test('does nothing when the block already has the id, and refuses when it changed, has another id, or the id is taken', () => {
    const a = args();
    assert.equal(apply({ '/wiki/T.md': '# T\n\nFirst.\n\nSecond one. ^abc123\n' }, a), undefined);
    assert.throws(() => apply({ '/wiki/T.md': '# T\n\nFirst.\n\nSecond one, changed.\n' }, a), (e) => e instanceof EditRefused && /changed or removed in T/.test(e.message));
    assert.throws(() => apply({ '/wiki/T.md': '# T\n\nFirst.\n\nSecond one. ^other\n' }, a), (e) => e instanceof EditRefused && /already has the id \^other/.test(e.message));
    assert.throws(() => apply({ '/wiki/T.md': '# T\n\nFirst. ^abc123\n\nSecond one.\n' }, a), (e) => e instanceof EditRefused && /already has a block \^abc123/.test(e.message));
  });
});

describe('The link to where the cursor is', () => {
  const here = async (files: Record<string, string>, rel: string, marked: string) => {
    const s = await serviceOf(files);
    const { path, position } = openAt(s, rel, marked);
    return s.linkToHere(path, position)!;
  };

  test('on a heading is a link to it, numbered when the article has two of that name', async () => {
    assert.deepEqual(await here({}, 'Notes.md', '# Notes\n\n## Part| one\n\nText.\n'), { kind: 'heading', link: '[[Notes#Part one]]' });
    const twice = await here({}, 'Notes.md', '# Notes\n\n## Part\n\nA.\n\n## Pa|rt\n\nB.\n');
    assert.deepEqual(twice, { kind: 'heading', link: '[[Notes#Part_2]]' });
    const s = await serviceOf({ 'Notes.md': '# Notes\n\n## Part\n\nA.\n\n## Part\n\nB.\n', 'Reader.md': `${twice.link}\n` });
    assert.equal(s.definition('/wiki/Reader.md', { line: 0, character: 3 })[0].range.start.line, 6, 'the second one is where it leads');
  });

  test('in a paragraph or list item is a link to its block: by its id, or by a new one that the edit adds', async () => {
    assert.deepEqual(await here({}, 'Notes.md', '# Notes\n\nA quote| here. ^quote-1\n'), { kind: 'block', link: '[[Notes#^quote-1]]' });
    const fresh = await here({}, 'Notes.md', '# Notes\n\n- one\n- tw|o\n');
    assert.equal(fresh.kind, 'block');
    const id = /^\[\[Notes#(\^[a-z0-9]{6})\]\]$/.exec(fresh.link)![1];
    assert.deepEqual(fresh.addBlockId && { ...fresh.addBlockId, key: 0 }, { path: '/wiki/Notes.md', start: 17, key: 0, id }, 'the item\'s text starts after its marker');
  });

  test('on the title, in code or in a table is a link to the article, in the syntax the article writes links in', async () => {
    assert.deepEqual(await here({}, 'Notes.md', '# No|tes\n\nText.\n'), { kind: 'article', link: '[[Notes]]' });
    assert.deepEqual(await here({}, 'Notes.md', '# Notes\n\n```\nco|de\n```\n'), { kind: 'article', link: '[[Notes]]' });
    const md = { 'Mutual_Aid.md': '# Mutual Aid\n\nSee [Notes](Notes.md).\n' };
    assert.deepEqual(await here(md, 'Notes.md', '# Notes\n\nSee [Mutual Aid](Mutual_Aid.md).\n\n## Deta|ils\n'), { kind: 'heading', link: '[Details](Notes.md#details)' });
    const pandoc = '# Notes\n\nSee <a href="Mutual_Aid" class="wikilink">x</a>.\n\nA paragraph| here. ^p1\n';
    assert.deepEqual(await here(md, 'Notes.md', pandoc), { kind: 'block', link: '<a href="Notes#^p1" class="wikilink" title="Notes">Notes</a>' });
    // A title holding markup is text inside the anchor, not a second anchor (found by the feature fuzz).
    const odd = '---\ntitle: Tags <a href="x"> here\n---\n# Notes\n\nSee <a href="Mutual_Aid" class="wikilink">x</a>.\n\nWo|rds.\n';
    const link = (await here(md, 'Notes.md', odd)).link;
    assert.equal(link, `<a href="Notes#${/#(\^[a-z0-9]{6})"/.exec(link)?.[1]}" class="wikilink" title="Tags <a href=&quot;x&quot;> here">Tags &lt;a href="x"&gt; here</a>`);
  });
});
