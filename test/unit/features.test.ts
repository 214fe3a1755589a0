// The editor features as pure functions, through the service facade on in-memory wikis (no server, no LSP).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WikiService } from '../../server/src/core/service';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InMemoryWorkspace, NodeWorkspace } from '../../server/src/core/workspace';
import { LARGE_TEXT } from '../../server/src/core/textCache';
import { mergeSettings } from '../../server/src/core/settings';
import { completionContext, relativePath } from '../../server/src/core/features/completion';
import type { DocumentSymbolShape } from '../../server/src/core/features/shapes';
import { escapeMarkdown, sentenceAround } from '../../server/src/core/features/text';
import { MAX_BLOCKS, MAX_INLINE, MAX_PARSED } from '../../server/src/core/features/selectionRanges';
import { scanArticle } from '../../server/src/core/scan';
import { leadParagraph } from '../../server/src/core/wiki';
import { openAt, serviceOf as service } from './editHelpers';

const ROOT = '/wiki';

const WIKI = {
  'Anarchism.md': '# Anarchism\n\nA philosophy of [[Mutual Aid]] and autonomy.[^1]\n\n## Principles\n\nText.\n\n[^1]: Kropotkin.\n',
  'Mutual_Aid.md': '# Mutual Aid\n\nVoluntary, reciprocal help. See [[Anarchism#Principles]].\n',
  'Kronstadt_Rebellion.md': '---\ntitle: Kronstadt Rebellion\naliases: [Kronstadt uprising]\n---\n# Kronstadt Rebellion\n\nThe revolt of 1921 and [[Anarchism]].\n\n## Demands\n',
  'Capitalism.md': '# Capitalism\n\nSee [[Anarchism]] and [[Mutual Aid]] and [[Mutual Aid]].\n',
  'Glossary.md': '# Glossary\n\n## Affinity group\n\n**Affinity group**: a small group that acts together.\n\n## Autonomy\n\n**Autonomy**: self-government.\n',
};

describe('What is being typed', () => {
  test('recognises each link syntax from the text before the cursor', () => {
    const kind = (before: string) => completionContext(before, before.length)?.kind;
    assert.equal(kind('See [['), 'wiki');
    assert.equal(kind('See ![[Ima'), 'wiki');
    assert.equal(kind('See [[Title#Hea'), 'wikiHeading');
    assert.equal(kind('See [[#'), 'wikiHeading');
    assert.equal(kind('See [[##dem'), 'anyHeading');
    assert.equal(kind('Claim.[^'), 'footnote');
    assert.equal(kind('[label](Fi'), 'file');
    assert.equal(kind('[label](File.md#'), 'fileHeading');
    assert.equal(kind('<a href="Fi'), 'file');
    assert.equal(kind("<a class='wikilink' href='File.md#"), 'fileHeading');
  });

  test('offers nothing in a label, in plain text, after a closed link or in an external URL', () => {
    for (const before of ['See [[Title|lab', 'Plain text', 'See [[Done]] and', '[x](https://exa']) {
      assert.equal(completionContext(before, before.length), undefined, before);
    }
  });
});

describe('Completion', () => {
  test('after [[# each of many headings alike is written with its own number, past the 50th too', async () => {
    const s = await service({});
    const { path, position } = openAt(s, 'Log.md', `# Log\n\n${'## Entry\n\ntext\n\n'.repeat(120)}See [[#|\n`);
    const inserted = s.completion(path, position, 500)!.items.map((i) => i.textEdit.newText);
    assert.deepEqual(inserted.slice(0, 3), ['Entry]]', 'Entry_2]]', 'Entry_3]]']);
    assert.equal(inserted[119], 'Entry_120]]');
    // Each leads to its own: the 120th is followed to the 120th heading's line.
    const reader = openAt(s, 'Reader.md', '[[Log#Entry_1|20]]\n');
    assert.equal(s.definition(reader.path, reader.position)[0].range.start.line, 2 + 119 * 4);
  });

  test('after [[# in an article of more headings than a list holds, the words typed choose them, the list asked again as they change', async () => {
    const s = await service({});
    const { path, position } = openAt(s, 'Log.md', `# Log\n\n${Array.from({ length: 150 }, (_, i) => `## Entry ${i}\n\ntext\n\n`).join('')}See [[#|\n`);
    const all = s.completion(path, position)!;
    assert.deepEqual([all.isIncomplete, all.items.length], [true, 100]);
    const typed = openAt(s, 'Log.md', `# Log\n\n${Array.from({ length: 150 }, (_, i) => `## Entry ${i}\n\ntext\n\n`).join('')}See [[#entry_13|\n`);
    const expected = Array.from({ length: 150 }, (_, i) => i).filter((i) => String(i).includes('13'));
    assert.deepEqual(s.completion(typed.path, typed.position)!.items.map((i) => i.label), expected.map((i) => `Entry ${i}`));
  });

  test('after [[# a heading whose words a wiki link cannot hold is offered by its slug, and leads there', async () => {
    // Found by the feature fuzz through Copy Link: a setext heading of `[[` and `%%`.
    const s = await service({});
    const text = '# Odd\n\n[[\n%%\n---\n\n## C# and [F#]\n\nSee [[#|\n';
    const { path, position } = openAt(s, 'Odd.md', text);
    const items = s.completion(path, position)!.items.map((i) => i.textEdit.newText.replace(/\]\]$/, ''));
    assert.equal(items.length, 2);
    const article = s.article(path)!;
    items.forEach((fragment, i) => {
      const r = s.wiki.resolve({ target: 'Odd', heading: fragment }, article);
      assert.equal(r.kind === 'article' && r.heading?.span.start, article.syntax.headings[i + 1].span.start, fragment);
    });
  });

  test('after [[## offers the headings of every article that the words match, best first, each written Title#Heading', async () => {
    const s = await service({ ...WIKI, 'Notes.md': '# Notes\n\n## Part one\n\n### Demands made\n\n## Part two\n\n### Demands made\n' });
    const { path, position } = openAt(s, 'Plan.md', '# Plan\n\n## Demands of our own\n\nSee [[##demands|]] now.\n');
    const items = s.completion(path, position)!.items.map((i) => [i.label, i.detail, i.textEdit?.newText]);
    assert.deepEqual(items, [
      // The exact match first; then those the words start, in the wiki's order; the second of two alike by its number.
      ['Demands', '## Demands · Kronstadt Rebellion', 'Kronstadt Rebellion#Demands'],
      ['Demands made', '### Demands made · Notes', 'Notes#Demands made'],
      ['Demands made', '### Demands made · Notes', 'Notes#Demands made_2'],
      ['Demands of our own', '## Demands of our own · Plan', '#Demands of our own'],
    ]);
    const none = openAt(s, 'Plan.md', 'See [[##zqxj|\n');
    assert.deepEqual(s.completion(none.path, none.position)!.items, []);
    // A title's heading is the article, offered after [[, not here.
    const titles = openAt(s, 'Plan.md', 'See [[##mutual aid|\n');
    assert.deepEqual(s.completion(titles.path, titles.position)!.items.map((i) => i.label), []);
  });

  test('offers a linked article\'s HTML ids after its headings, but not an id a heading already offers', async () => {
    const s = await service({ ...WIKI, 'Talks.md': '# Talks\n\n## Serverless\n\n<span id="TALK_1130">x</span> <span id="serverless">y</span>\n' });
    const { path, position } = openAt(s, 'Plan.md', 'See [the talk](Talks.md#|).\n');
    const items = s.completion(path, position)!.items;
    assert.deepEqual(items.map((i) => [i.label, i.textEdit?.newText]), [['Serverless', 'serverless'], ['TALK_1130', 'TALK_1130']]);
  });

  test('offers a repeated heading by the number that names it, in each syntax, so the link leads to that one', async () => {
    const s = await service({ ...WIKI, 'Life.md': '# Life\n\n## History\n\n## Later\n\n### History\n' });
    const md = openAt(s, 'Plan.md', 'See [then](Life.md#|).\n');
    assert.deepEqual(s.completion(md.path, md.position)!.items.map((i) => i.textEdit?.newText), ['history', 'later', 'history-1']);
    const wiki = openAt(s, 'Plan2.md', 'See [[Life#|\n');
    assert.deepEqual(s.completion(wiki.path, wiki.position)!.items.map((i) => i.textEdit?.newText.replace(/\]\]$/, '')), ['History', 'Later', 'History_2']);
  });

  test('ranks well-linked articles first', async () => {
    const s = await service(WIKI);
    const { path, position } = openAt(s, 'New.md', '[[|');
    const labels = s.completion(path, position)!.items.map((i) => i.label);
    assert.deepEqual(labels.slice(0, 2), ['Anarchism', 'Mutual Aid']);
  });

  test('marks a capped list incomplete and narrows it as the user types', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`Topic_${i}.md`] = `# Topic ${i}\n`;
    const s = await service(files);
    let at = openAt(s, 'New.md', '[[Topic|');
    const wide = s.completion(at.path, at.position, 50)!;
    assert.equal(wide.items.length, 50);
    assert.equal(wide.isIncomplete, true);
    at = openAt(s, 'New.md', '[[Topic 29|');
    const narrow = s.completion(at.path, at.position, 50)!;
    const labels = narrow.items.map((i) => i.label);
    assert.deepEqual(labels.slice(0, 11), ['Topic 29', ...Array.from({ length: 10 }, (_, i) => `Topic 29${i}`)], 'the exact title, then the prefixes');
    assert.ok(labels.length < 50 && labels.slice(11).every((l) => /^Topic \d*2\d*9\d*$/.test(l)), 'only looser matches of "29" follow');
    assert.equal(narrow.isIncomplete, false);
  });

  test('does not rebuild or re-rank the title list while the user types a link', async () => {
    const s = await service(WIKI);
    const before = { ...s.titles.stats };
    let text = 'Intro [[';
    for (const ch of 'Kronst') {
      text += ch;
      s.change(`${ROOT}/New.md`, text, text.length);
      assert.ok(s.completion(`${ROOT}/New.md`, { line: 0, character: text.length })!.items.length > 0);
    }
    assert.ok(s.titles.stats.rebuilds - before.rebuilds <= 1, 'at most one rebuild, for the new article itself');
    assert.equal(s.titles.stats.reranks, before.reranks);
  });

  test('ranks the titles a step at a time as it ranks them at once, and drops a ranking a name change overtook', async () => {
    // More titles than one step takes, each linked from as many articles as its number's remainder by 7.
    const files: Record<string, string> = {};
    for (let i = 0; i < 2500; i++) files[`Topic_${i}.md`] = `# Topic ${i}\n` + Array.from({ length: i % 7 }, (_, k) => `[[Topic ${(i + k + 1) % 2500}]]`).join(' ') + '\n';
    const s = await service(files);
    const labels = () => {
      const at = openAt(s, 'Topic_0.md', `# Topic 0\n[[Topic 1|`);
      return s.completion(at.path, at.position, 30)!.items.map((i) => i.label);
    };
    const atOnce = labels();

    s.titles.invalidateNames();
    const rebuilds = s.titles.stats.rebuilds;
    let steps = 0;
    for (const _ of s.titles.refreshRankingInSteps(s.wiki)) steps++;
    assert.ok(steps >= 3, `2,500 titles ranked in ${steps} steps`);
    assert.equal(s.titles.stats.rebuilds, rebuilds + 1);
    assert.deepEqual(labels(), atOnce, 'the same ranking');

    s.titles.invalidateNames();
    const overtaken = s.titles.refreshRankingInSteps(s.wiki);
    overtaken.next();
    s.titles.invalidateNames();
    for (let step = overtaken.next(); !step.done; step = overtaken.next());
    assert.equal(s.titles.stats.rebuilds, rebuilds + 1, 'the ranking made before the names changed is not kept');
    assert.deepEqual(labels(), atOnce);
    assert.equal(s.titles.stats.rebuilds, rebuilds + 2, 'the next completion ranks them again');
  });

  test('prefers a title over a word inside another title', async () => {
    const s = await service({ 'Aid.md': '# Aid\n', 'Mutual_Aid.md': '# Mutual Aid\n', 'Paid_Work.md': '# Paid Work\n' });
    const { path, position } = openAt(s, 'New.md', '[[aid|');
    assert.deepEqual(s.completion(path, position)!.items.map((i) => i.label), ['Aid', 'Mutual Aid', 'Paid Work']);
  });

  test('inserts a name that resolves when the title is not one of the article\'s names', async () => {
    const s = await service({ 'ml.md': '# Marxism-Leninism\n\nText.\n' });
    const { path, position } = openAt(s, 'New.md', '[[Marx|');
    const item = s.completion(path, position)!.items[0];
    assert.equal(item.label, 'Marxism-Leninism');
    assert.equal(item.textEdit.newText, 'ml]]');
  });

  test('writes file names relative to the article\'s folder, escaping spaces in markdown links', async () => {
    const s = await service({ 'a/Deep Note.md': '# Deep Note\n', 'b/Other.md': '# Other\n' });
    const { path, position } = openAt(s, 'b/Here.md', '[x](Dee|)');
    assert.equal(s.completion(path, position)!.items[0].textEdit.newText, '../a/Deep%20Note.md');
    assert.equal(relativePath('b/c/Here.md', 'b/Other.md'), '../Other.md');
    assert.equal(relativePath('Here.md', 'a/Deep.md'), 'a/Deep.md');
  });
});

describe('Completion of reference link labels', () => {
  test('after [text][ the article\'s defined labels are offered with their targets, and the closing bracket added once', async () => {
    const s = await service(WIKI);
    const defs = '\n\n[ma]: Mutual_Aid.md\n[Kronstadt]: Kronstadt_Rebellion.md "The revolt"\n[MA]: Other.md\n';
    const at = openAt(s, 'Notes.md', 'See [help][|' + defs);
    const list = s.completion(at.path, at.position)!;
    assert.deepEqual(list.items.map((i) => [i.label, i.detail]), [['ma', '→ Mutual_Aid.md'], ['Kronstadt', '→ Kronstadt_Rebellion.md']]);
    assert.equal(list.items[1].textEdit!.newText, 'Kronstadt]');
    const closed = openAt(s, 'Notes.md', 'See [help][Kr|]' + defs);
    assert.equal(s.completion(closed.path, closed.position)!.items.find((i) => i.label === 'Kronstadt')!.textEdit!.newText, 'Kronstadt');
    for (const before of ['See [[Kron', 'A note[^', 'x[^1][']) {
      const other = openAt(s, 'Notes.md', before + '|' + defs);
      assert.ok(!(s.completion(other.path, other.position)?.items ?? []).some((i) => i.detail?.startsWith('→')), before);
    }
  });
});

describe('Positions inside a character', () => {
  test('a position between the halves of a surrogate pair is taken as the one before the character: no edit cuts it in two', async () => {
    const s = await service({ 'Anarchism.md': '# Anarchism\n' });
    const text = '<a href="An𝕏archism';
    s.open(`${ROOT}/Here.md`, text);
    const inside = text.indexOf('𝕏') + 1;
    const list = s.completion(`${ROOT}/Here.md`, { line: 0, character: inside })!;
    assert.ok(list.items.length > 0, 'completion is offered');
    for (const item of list.items) assert.equal(item.textEdit.range.end.character, inside - 1, `${item.label} ends before the character`);
  });
});

describe('Completion of images', () => {
  test('inside ![alt]( offers the wiki\'s images, nearest first, by path from the article, and no articles or other files', async () => {
    const s = await service({ 'b/Here.md': '', 'b/map.png': 'x', 'img/Red Flag.png': 'x', 'img/Black Flag.svg': 'x', 'docs/report.pdf': 'x', 'Flag.md': '# Flag\n' });
    const all = openAt(s, 'b/Here.md', 'See ![a flag](|)');
    assert.deepEqual(s.completion(all.path, all.position)!.items.map((i) => i.label), ['map.png', '../img/Black Flag.svg', '../img/Red Flag.png']);
    const typed = openAt(s, 'b/Here.md', 'See ![a flag](red|');
    const items = s.completion(typed.path, typed.position)!.items;
    assert.deepEqual(items.map((i) => [i.label, i.textEdit.newText]), [['../img/Red Flag.png', '../img/Red%20Flag.png)']]);
    const few = new WikiService(new InMemoryWorkspace([ROOT], { 'b/Here.md': '', 'a/x1.png': 'x', 'a/x2.png': 'x', 'b/x3.png': 'x' }), mergeSettings({}));
    await few.buildIndex();
    const capped = openAt(few, 'b/Here.md', '![x](|)');
    const list = few.completion(capped.path, capped.position, 1)!;
    assert.deepEqual([list.items.map((i) => i.label), list.isIncomplete], [['x3.png'], true], 'the nearest image survives the cap');
    const angle = openAt(s, 'b/Here.md', '![x](<Red|>)');
    assert.deepEqual(s.completion(angle.path, angle.position)!.items.map((i) => i.textEdit.newText), ['../img/Red Flag.png']);
  });

  test('inside <img src=" offers the same images, written as an attribute value and closed by its quote', async () => {
    const s = await service({ 'b/Here.md': '', 'b/map.png': 'x', "img/Red & Black 'Flag'.png": 'x', 'docs/report.pdf': 'x' });
    const double = openAt(s, 'b/Here.md', '<figure>\n<img title="a" src="|');
    assert.deepEqual(s.completion(double.path, double.position)!.items.map((i) => [i.label, i.textEdit.newText]), [
      ['map.png', 'map.png"'],
      ["../img/Red & Black 'Flag'.png", "../img/Red &amp; Black 'Flag'.png\""],
    ]);
    const single = openAt(s, 'b/Here.md', "<IMG SRC='../img/red|' alt=x>");
    assert.deepEqual(s.completion(single.path, single.position)!.items.map((i) => i.textEdit.newText), ['../img/Red &amp; Black &#39;Flag&#39;.png']);
    const external = openAt(s, 'b/Here.md', '<img src="https://|');
    assert.equal(s.completion(external.path, external.position), undefined);
  });
});

describe('Completion of files in wiki links', () => {
  test('after ![[ the titles come first, then the files whose names hold what was typed; after [[File: only files', async () => {
    const s = await service({ 'Flags.md': '# Flags\n', 'img/Red_Flag.png': 'x', 'img/Black Flag.svg': 'x', 'old/Red_Flag.png': 'x', 'docs/flag-law.pdf': 'x', 'Other.md': '' });
    const embed = openAt(s, 'Here.md', '![[flag|');
    assert.deepEqual(s.completion(embed.path, embed.position)!.items.map((i) => [i.label, i.textEdit.newText]), [
      ['Flags', 'Flags]]'],
      ['flag-law.pdf', 'flag-law.pdf]]'],
      ['Black Flag.svg', 'Black Flag.svg]]'],
      // Two files have this name: each is written as its path, which finds it alone.
      ['img/Red_Flag.png', 'img/Red_Flag.png]]'],
      ['old/Red_Flag.png', 'old/Red_Flag.png]]'],
    ]);
    const file = openAt(s, 'Here.md', '[[File:bla|');
    assert.deepEqual(s.completion(file.path, file.position)!.items.map((i) => i.textEdit.newText), ['Black Flag.svg]]']);
    const plain = openAt(s, 'Here.md', '[[flag|');
    assert.deepEqual(s.completion(plain.path, plain.position)!.items.map((i) => i.label), ['Flags'], 'a plain link offers articles only');
  });
});

describe('The service', () => {
  test('says an edit that changes no name or heading affects no other article', async () => {
    const s = await service(WIKI);
    const r = s.change(`${ROOT}/Mutual_Aid.md`, '# Mutual Aid\n\nVoluntary help, edited. See [[Anarchism#Principles]].\n', 2);
    assert.deepEqual([...r.affected], []);
  });

  test('says an edit that adds an HTML id affects the articles that link to the article, and fixes their link', async () => {
    const s = await service({ ...WIKI, 'Draft.md': '[the talk](Mutual_Aid.md#talk-7)\n' });
    assert.deepEqual(s.problems(`${ROOT}/Draft.md`).map((p) => p.code), ['broken-heading']);
    const r = s.change(`${ROOT}/Mutual_Aid.md`, '# Mutual Aid\n\n<span id="talk-7">Voluntary help.</span>\n', 2);
    // Every article that links to Mutual Aid, as for a new heading.
    assert.deepEqual([...r.affected].sort(), [`${ROOT}/Anarchism.md`, `${ROOT}/Capitalism.md`, `${ROOT}/Draft.md`]);
    assert.deepEqual(s.problems(`${ROOT}/Draft.md`), []);
  });

  test('says a new article affects the articles whose links use its name', async () => {
    const s = await service({ ...WIKI, 'Draft.md': '[[Syndicalism]] and [[Anarchism]]\n' });
    const ws = s.workspace as InMemoryWorkspace;
    ws.files.set(`${ROOT}/Syndicalism.md`, '# Syndicalism\n');
    const r = s.fileChanged(`${ROOT}/Syndicalism.md`);
    assert.deepEqual([...r.affected], [`${ROOT}/Draft.md`]);
    assert.deepEqual(s.problems(`${ROOT}/Draft.md`), []);
  });

  test('says a new picture affects the articles that link to it, MediaWiki\'s File: links too', async () => {
    const s = await service({ ...WIKI, 'Draft.md': '[[File:Chart.svg]]\n', 'Other.md': '[chart](media/Chart.svg)\n' });
    assert.deepEqual(s.problems(`${ROOT}/Draft.md`).map((p) => p.code), ['missing-file']);
    (s.workspace as InMemoryWorkspace).files.set(`${ROOT}/media/Chart.svg`, '<svg/>');
    const r = s.fileChanged(`${ROOT}/media/Chart.svg`);
    assert.deepEqual([...r.affected].sort(), [`${ROOT}/Draft.md`, `${ROOT}/Other.md`]);
    assert.deepEqual(s.problems(`${ROOT}/Draft.md`), []);
  });

  test('problems asked with a folder\'s own severities still see an article created afterwards', async () => {
    const s = await service({ ...WIKI, 'Draft.md': '[[Syndicalism]]\n' });
    const severity = { ...s.settings.severity, 'broken-link': 'error' as const };
    assert.deepEqual(s.problems(`${ROOT}/Draft.md`, severity).map((p) => `${p.severity} ${p.code}`), ['error broken-link']);
    (s.workspace as InMemoryWorkspace).files.set(`${ROOT}/Syndicalism.md`, '# Syndicalism\n');
    s.fileChanged(`${ROOT}/Syndicalism.md`);
    assert.deepEqual(s.problems(`${ROOT}/Draft.md`, severity), []);
  });

  test('says a changed heading affects the articles that link to the article', async () => {
    const s = await service(WIKI);
    const r = s.change(`${ROOT}/Anarchism.md`, WIKI['Anarchism.md'].replace('## Principles', '## Ideas'), 2);
    assert.deepEqual([...r.affected].sort(), [`${ROOT}/Capitalism.md`, `${ROOT}/Kronstadt_Rebellion.md`, `${ROOT}/Mutual_Aid.md`]);
    assert.deepEqual(s.problems(`${ROOT}/Mutual_Aid.md`).map((p) => p.code), ['broken-heading']);
  });

  test('holds back problems that need the whole index until it is complete', () => {
    const s = new WikiService(new InMemoryWorkspace([ROOT], {}), mergeSettings({}));
    s.open(`${ROOT}/Early.md`, '[[Not Yet Indexed]] and a note.[^x]\n', 1);
    assert.deepEqual(s.problems(`${ROOT}/Early.md`).map((p) => p.code), ['missing-footnote-definition']);
    s.state = 'ready';
    assert.deepEqual(s.problems(`${ROOT}/Early.md`).map((p) => p.code), ['broken-link', 'missing-footnote-definition']);
  });

  test('applies per-folder severities without changing the wiki\'s', async () => {
    const s = await service({ 'Draft.md': '[[Nowhere]]\n' });
    const severity = { ...s.settings.severity, 'broken-link': 'error' as const };
    assert.equal(s.problems(`${ROOT}/Draft.md`, severity)[0].severity, 'error');
    assert.equal(s.problems(`${ROOT}/Draft.md`)[0].severity, 'warning');
  });

  test('reads a closed article back from disk', async () => {
    const s = await service(WIKI);
    s.open(`${ROOT}/Anarchism.md`, '# Anarchism\n\nUnsaved [[Nowhere]].\n', 1);
    assert.equal(s.article(`${ROOT}/Anarchism.md`)!.syntax.links[0].target, 'Nowhere');
    s.close(`${ROOT}/Anarchism.md`);
    assert.equal(s.article(`${ROOT}/Anarchism.md`)!.syntax.links[0].target, 'Mutual Aid');
  });
});

describe('Definition, references and hover', () => {
  test('on a reference link ([text][label], [label][], [label]) they follow its definition; backlinks count the definition', async () => {
    const s = await service(WIKI);
    const text = '# Notes\n\nSee [help][ma], [Mutual Aid][] and [Mutual Aid], not [nothing][none] nor [plain].\n\n[ma]: Mutual_Aid.md\n[mutual  aid]: Mutual_Aid.md "Mutual Aid"\n';
    const { path } = openAt(s, 'Notes.md', text + '|');
    const at = (needle: string, delta = 1) => {
      const before = text.slice(0, text.indexOf(needle) + delta);
      return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
    };
    const mutualAid = `${ROOT}/Mutual_Aid.md`;
    for (const use of ['[help][ma]', '[Mutual Aid][]', '[Mutual Aid],']) {
      assert.deepEqual(s.definition(path, at(use)).map((l) => l.path), [mutualAid], use);
      const h = s.hover(path, at(use));
      assert.match(h?.markdown ?? '', /Mutual Aid/, use);
      const useEnd = text.indexOf(use) + use.replace(/,$/, '').length;
      assert.deepEqual(h?.range, { start: at(use, 0), end: at(use, useEnd - text.indexOf(use)) }, `${use}: the hover stands on the reference link`);
      assert.ok(s.references(path, at(use), false).some((l) => l.path === path), `${use}: references list this article's definitions`);
    }
    assert.deepEqual(s.definition(path, at('[nothing][none]')), [], 'an undefined label leads nowhere');
    assert.deepEqual(s.definition(path, at('[plain]')), []);
    const back = s.wiki.backlinks(s.wiki.articles.get(mutualAid)!).filter((b) => b.source.path === path);
    assert.deepEqual(back.map((b) => b.link.syntax), ['reference', 'reference'], 'each definition is one link');
  });

  test('a [[#heading]] link leads to the heading in the same article', async () => {
    const s = await service(WIKI);
    const { path, position } = openAt(s, 'Anarchism.md', '# Anarchism\n\nSee [[#Princ|iples]].\n\n## Principles\n');
    assert.deepEqual(s.definition(path, position), [{ path, range: { start: { line: 4, character: 0 }, end: { line: 4, character: 13 } } }]);
  });

  test('a link to an HTML id leads to the id in the linked article, and is no broken heading', async () => {
    const s = await service({ ...WIKI, 'Talks.md': '# Talks\n\nIntro.\n\n### <span id="TALK_1130">Serverless</span>\n' });
    const { path, position } = openAt(s, 'Plan.md', 'See [the talk](Talks.md#TALK_|1130).\n');
    assert.deepEqual(s.definition(path, position), [{ path: `${ROOT}/Talks.md`, range: { start: { line: 4, character: 14 }, end: { line: 4, character: 23 } } }]);
    assert.deepEqual(s.problems(path), []);
  });

  test('hover on a link to an HTML id shows the id and the text of the section it stands in', async () => {
    const s = await service({ ...WIKI, 'Talks.md': '# Talks\n\nIntro.\n\n## Programme\n\nThe <span id="t2">second</span> talk is on councils.\n\n## Venue\n\nA hall.\n' });
    const { path, position } = openAt(s, 'Plan.md', 'See [the talk](Talks.md#t|2).\n');
    const h = s.hover(path, position)!.markdown;
    assert.match(h, /^\*\*Talks\*\* › #t2/);
    assert.match(h, /talk is on councils/);
    assert.doesNotMatch(h, /Intro|A hall/);
  });

  test('HTML headings of an article not open are found by workspace symbols, and their ids offered by the heading after Page#', async () => {
    const project = '# Main\n\n<table><tr><td><h2 id="purpose">PURPOSE</h2>\n<p>x</p>\n<h2 id="how_does_it_work">HOW DOES IT WORK?</h2></td></tr></table>\n<span id="plain"></span>\n';
    const s = await service({ ...WIKI, 'Project.md': project });
    const found = s.workspaceSymbols('how does it work').find((x) => x.containerName === 'Main');
    assert.ok(found, JSON.stringify(s.workspaceSymbols('how does it work').map((x) => [x.name, x.containerName])));
    assert.equal(found.name, 'HOW DOES IT WORK?');
    assert.deepEqual(found.location.range.start, { line: 4, character: 0 });
    const { path, position } = openAt(s, 'Plan.md', 'See [[Project#|\n');
    const items = s.completion(path, position)!.items.map((i) => [i.label, i.detail, i.textEdit?.newText]);
    assert.deepEqual(items, [
      ['PURPOSE', '<h2 id="purpose"> · Main', 'purpose]]'],
      ['HOW DOES IT WORK?', '<h2 id="how_does_it_work"> · Main', 'how_does_it_work]]'],
      ['plain', 'id="plain" · Main', 'plain]]'],
    ]);
  });

  test('hover on a link to an HTML heading\'s id shows that heading and the text under it, not the table around it', async () => {
    const project = [
      '# Main',
      '',
      '<table><tr><td><p>valign="top"</p></td>',
      '<td><h2 id="purpose">PURPOSE</h2>',
      '<p>Making security VISIBLE for everybody.</p>',
      '<h2 id="what_is_it">WHAT IS IT?</h2>',
      '<p>A system of labels.</p>',
      '<h3 id="detail">Detail</h3>',
      '<p>Fine print.</p></td></tr></table>',
      '',
    ].join('\n');
    const s = await service({ ...WIKI, 'Project.md': project });
    let { path, position } = openAt(s, 'Plan.md', 'See [why](Project.md#pur|pose).\n');
    let h = s.hover(path, position)!.markdown;
    assert.match(h, /^\*\*Main\*\* › PURPOSE  \n`Project.md`/);
    assert.match(h, /Making security VISIBLE for everybody\./);
    assert.doesNotMatch(h, /valign|labels/);
    ({ path, position } = openAt(s, 'Plan.md', 'See [what](Project.md#what_|is_it).\n'));
    h = s.hover(path, position)!.markdown;
    assert.match(h, /› WHAT IS IT\?/);
    assert.match(h, /A system of labels\./);
    assert.doesNotMatch(h, /Making security/);
  });

  test('a link with a path of headings (Obsidian\'s [[Note#Part#Sub]]) leads to the heading inside the section of the one before', async () => {
    const s = await service({ ...WIKI, 'Notes.md': '# Notes\n\n## Part one\n\n### Details\n\n## Part two\n\n### Details\n' });
    const { path } = openAt(s, 'Reader.md', '[[Notes#Part two#Details]] [[Notes#part one#details]] [[Notes#Part one#Nope]] [[Notes#Details#Part two]]|\n');
    const line = (character: number) => s.definition(path, { line: 0, character })[0]?.range.start.line;
    assert.deepEqual([line(20), line(48)], [8, 4]);
    assert.deepEqual(s.problems(path).map((p) => p.message), ["No heading 'Part one#Nope' in 'Notes'", "No heading 'Details#Part two' in 'Notes'"]);
  });

  test('a link to an Obsidian block (#^id) leads to it, hovers with its text, and a missing block is named as one', async () => {
    const notes = '# Notes\n\nIntro.\n\nThe first line of a quote\ncontinued here. ^quote-1\n\n- one item ^item-a\n- two\n';
    const s = await service({ ...WIKI, 'Notes.md': notes });
    const { path, position } = openAt(s, 'Reader.md', 'See [[Notes#^quo|te-1]], [[Notes#^item-a]] and [[Notes#^gone]].\n');
    assert.deepEqual(s.definition(path, position), [{ path: `${ROOT}/Notes.md`, range: { start: { line: 5, character: 16 }, end: { line: 5, character: 24 } } }]);
    const h = s.hover(path, position)!.markdown;
    assert.match(h, /^\*\*Notes\*\* › #\^quote-1/);
    assert.match(h, /The first line of a quote continued here\./);
    assert.doesNotMatch(h, /Intro|quote-1\n|item/);
    const item = s.hover(path, { line: 0, character: 30 })!.markdown;
    assert.match(item, /one item/);
    assert.doesNotMatch(item, /two|quote/);
    assert.deepEqual(s.problems(path).map((p) => p.message), ["No block '^gone' in 'Notes'"]);
    const after = openAt(s, 'Reader.md', 'See [[Notes#^|\n');
    assert.deepEqual(s.completion(after.path, after.position)!.items.slice(0, 2).map((i) => [i.label, i.detail]), [['The first line of a quote continued here.', '^quote-1'], ['one item', '^item-a · list item']]);
  });

  test('references on an HTML id list the links to it, through redirect pages, and not the other links to the article', async () => {
    const project = '# Project\n\n<table><tr><td><h2 id="purpose">PURPOSE</h2></td></tr></table>\n\nSee [[#purpose]].\n';
    const s = await service({
      ...WIKI,
      'B.md': '[[Project#purpose]] [x](Project.md#purpose) [[Project]] [[Project#other]]\n',
      'Old_name.md': '#REDIRECT [[Project]]\n',
      'C.md': 'Via [[Old name#purpose]].\n',
    });
    const { path, position } = openAt(s, 'Project.md', project.replace('"purpose"', '"pur|pose"'));
    const where = (l: { path: string; range: { start: { line: number; character: number } } }) => `${l.path.slice(ROOT.length + 1)}:${l.range.start.line}:${l.range.start.character}`;
    assert.deepEqual(s.references(path, position, false).map(where), ['B.md:0:0', 'B.md:0:20', 'C.md:0:4', 'Project.md:4:4']);
    assert.deepEqual(s.references(path, position, true).map(where)[0], 'Project.md:2:23', 'the id\'s value first, as the declaration');
  });

  test('references on a footnote definition list its references, and the definition when asked', async () => {
    const s = await service(WIKI);
    const { path, position } = openAt(s, 'Note.md', 'One.[^a] Two.[^a]\n\n[^|a]: The note.\n');
    assert.equal(s.references(path, position, false).length, 2);
    assert.equal(s.references(path, position, true).length, 3);
  });

  test('hover on a glossary term in the plural finds the singular entry', async () => {
    const s = await service(WIKI);
    const { path, position } = openAt(s, 'Note.md', 'We met in affinity gro|ups of five.\n');
    const h = s.hover(path, position)!;
    assert.match(h.markdown, /^\*\*Affinity group\*\*: a small group that acts together\./);
    assert.deepEqual(h.range, { start: { line: 0, character: 10 }, end: { line: 0, character: 25 } });
  });

  test('hover on a broken link counts the other links that want the same article', async () => {
    const s = await service({ 'A.md': '[[Syndicalism]]\n', 'B.md': '[[syndicalism]] and [[Syndicalism|again]]\n' });
    const { path, position } = openAt(s, 'C.md', 'See [[Syndi|calism]].\n');
    assert.equal(s.hover(path, position)!.markdown, "**No article named 'Syndicalism'**\n\n3 other links want it.");
  });

  test('hover text escapes HTML and cannot form links', () => {
    assert.equal(escapeMarkdown('<b>x</b> [a](command:x) & *y*'), '&lt;b&gt;x&lt;/b&gt; \\[a\\](command:x) &amp; \\*y\\*');
  });
});

describe('Sentences for backlinks', () => {
  test('are cut at sentence ends, ignoring footnote references after the period', () => {
    const text = 'First one.[^1] The second has [[Link]] in it. Third.';
    const at = text.indexOf('[[');
    assert.equal(sentenceAround(text, at, at + 8), 'The second has Link in it.');
  });

  test('stay inside their paragraph and drop list markers', () => {
    const text = 'Intro paragraph\n\n- An item with [[Link]]\n\nNext paragraph.';
    const at = text.indexOf('[[');
    assert.equal(sentenceAround(text, at, at + 8), 'An item with Link');
  });
});

describe('Symbols', () => {
  test('the outline nests headings by level and lists footnotes after them', async () => {
    const s = await service(WIKI);
    const outline = s.documentSymbols(`${ROOT}/Anarchism.md`).map((x) => [x.name, (x.children ?? []).map((c) => c.name)]);
    assert.deepEqual(outline, [['Anarchism', ['Principles']], ['[^1]', []]]);
  });

  test('the outline nests HTML headings among markdown ones by level, as pandoc keeps MediaWiki\'s headings in tables', async () => {
    const text = [
      '# Main',
      '',
      '<table><tr><td><h2 id="purpose">PURPOSE</h2>',
      '<p>Why.</p>',
      '<h3>How &amp; why</h3></td></tr></table>',
      '',
      '<h2 id="licensing">LICENSING</h2>',
      '',
      '# FAQs',
      '',
      '## First',
      '',
    ].join('\n');
    const s = await service({ 'Project.md': text });
    s.open(`${ROOT}/Project.md`, text, 1);
    const name = (x: DocumentSymbolShape): unknown => ((x.children ?? []).length ? [x.name, (x.children ?? []).map(name)] : x.name);
    const outline = s.documentSymbols(`${ROOT}/Project.md`);
    assert.deepEqual(outline.map(name), [['Main', [['PURPOSE', ['How & why']], 'LICENSING']], ['FAQs', ['First']]]);
    const purpose = outline[0].children![0];
    assert.deepEqual([purpose.range.start, purpose.selectionRange], [{ line: 2, character: 15 }, { start: { line: 2, character: 32 }, end: { line: 2, character: 39 } }]);
    assert.deepEqual(purpose.range.end, { line: 5, character: 0 }, 'the section ends at the line before the next <h2>');
  });

  test('workspace symbols find aliases and glossary terms', async () => {
    const s = await service(WIKI);
    const names = s.workspaceSymbols('uprising').map((x) => x.name);
    assert.deepEqual(names, ['Kronstadt uprising']);
    assert.ok(s.workspaceSymbols('affinity').some((x) => x.containerName === 'glossary · Glossary'));
  });

  test('document links point at the heading\'s line', async () => {
    const s = await service(WIKI);
    const links = s.documentLinks(`${ROOT}/Mutual_Aid.md`);
    assert.deepEqual(links.map((l) => [l.path, l.line]), [[`${ROOT}/Anarchism.md`, 4]]);
  });
});

const SECTIONS = {
  'Commune.md':
    '# Commune\n\nThe lead paragraph about communes.\n\n## History\n\nFounded in **1871** by workers &amp; soldiers.\n\nMore history.\n\n## Structure\n\n### Councils\n\nDelegates were recallable.\n',
  'Links.md': 'Wiki [[Commune#History]], markdown [x](Commune.md#history), anchor <a href="Commune.md#history" class="wikilink">y</a>, nested [[Commune#Structure]].\n',
};

/** The offset just inside the `nth` occurrence of `marker` in a fixture text, as a position. */
function inside(text: string, marker: string, delta = 1): { line: number; character: number } {
  const at = text.indexOf(marker) + delta;
  const before = text.slice(0, at);
  return { line: before.split('\n').length - 1, character: at - (before.lastIndexOf('\n') + 1) };
}

describe('Links to a section', () => {
  const links = `${ROOT}/Links.md`;
  const markers = ['[[Commune#History', '(Commune.md#history', 'href="Commune.md#history'];

  test('hover previews the section\'s first paragraph, not the article\'s lead, in every syntax', async () => {
    const s = await service(SECTIONS);
    for (const marker of markers) {
      const h = s.hover(links, inside(SECTIONS['Links.md'], marker, 8))!;
      assert.match(h.markdown, /^\*\*Commune\*\* › History/, marker);
      assert.match(h.markdown, /Founded in 1871 by workers &amp; soldiers\./, marker);
      assert.doesNotMatch(h.markdown, /lead paragraph|More history/, marker);
    }
  });

  test('hover on a section that opens with a subsection shows the subsection\'s text', async () => {
    const s = await service(SECTIONS);
    const h = s.hover(links, inside(SECTIONS['Links.md'], '[[Commune#Structure', 4))!;
    assert.match(h.markdown, /Delegates were recallable\./);
  });

  test('hover shows the section of an open article with unsaved edits', async () => {
    const s = await service(SECTIONS);
    s.open(`${ROOT}/Commune.md`, SECTIONS['Commune.md'].replace('Founded in', 'Unsaved: founded in'), 2);
    assert.match(s.hover(links, inside(SECTIONS['Links.md'], markers[0], 4))!.markdown, /Unsaved: founded in/);
  });

  test('definition leads to the heading\'s range in every syntax', async () => {
    const s = await service(SECTIONS);
    for (const marker of markers) {
      assert.deepEqual(s.definition(links, inside(SECTIONS['Links.md'], marker, 8)), [{ path: `${ROOT}/Commune.md`, range: { start: { line: 4, character: 0 }, end: { line: 4, character: 10 } } }], marker);
    }
  });
});

describe('Article previews', () => {
  test('an embed is previewed like a link: title, path, lead and incoming count', async () => {
    const s = await service({ ...SECTIONS, 'Page.md': 'Intro.\n\n![[Commune]]\n' });
    const h = s.hover(`${ROOT}/Page.md`, { line: 2, character: 4 })!;
    assert.equal(h.markdown, '**Commune**  \n`Commune.md`\n\nThe lead paragraph about communes.\n\n*2 articles link here*');
  });

  test('a huge title and a long section are cut to a glance', async () => {
    const title = 'Word '.repeat(400).trim();
    const section = 'A sentence of some length that goes on. '.repeat(100);
    const s = await service({ 'Long.md': `---\ntitle: ${title}\n---\n\n## Part\n\n${section}\n`, 'Ref.md': '[[Long#Part]]\n' });
    const h = s.hover(`${ROOT}/Ref.md`, { line: 0, character: 3 })!;
    assert.ok(h.markdown.length < 900, `${h.markdown.length} characters`);
    assert.match(h.markdown, /Word …\*\* › Part/);
    assert.match(h.markdown, /goes on\. …/);
  });

  test('a section\'s HTML, entities and link syntax are shown as text, never rendered', async () => {
    const s = await service({
      'Evil.md': '# Evil\n\n## Part\n\n&lt;img src=x onerror=alert(1)&gt; <b>bold</b> \\[click\\](command:workbench.action.quit) <command:x>\n',
      'Ref.md': '[[Evil#Part]]\n',
    });
    const md = s.hover(`${ROOT}/Ref.md`, { line: 0, character: 3 })!.markdown;
    assert.match(md, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.doesNotMatch(md, /<(img|b|command)/);
    assert.doesNotMatch(md, /(?<!\\)\]\(command:/);
  });
});

describe('Completion of titles', () => {
  const TITLES = {
    'Kronstadt_Rebellion.md': '---\ntitle: Kronstadt Rebellion\naliases: [Kronstadt uprising]\n---\n# Kronstadt Rebellion\n',
    'Anarchism.md': '# Anarchism\n\nSee [[Anarcho-syndicalism]].\n',
    'Anarcho-syndicalism.md': '# Anarcho-syndicalism\n\n[[Anarchism]] of unions.\n',
    'Aid.md': '# Aid\n',
    'Aid_Society.md': '# Aid Society\n',
    'Refs.md': '[[Aid Society]], [[Aid Society]], [[Anarchism]].\n',
  };

  test('finds a title from the first letters of its words', async () => {
    const s = await service(TITLES);
    const { path, position } = openAt(s, 'New.md', '[[kron reb|');
    assert.equal(s.completion(path, position)!.items[0].label, 'Kronstadt Rebellion');
  });

  test('finds a title from letters in order, after closer matches', async () => {
    const s = await service(TITLES);
    const { path, position } = openAt(s, 'New.md', '[[krnstdt|');
    assert.deepEqual(s.completion(path, position)!.items.map((i) => i.label).sort(), ['Kronstadt Rebellion', 'Kronstadt uprising']);
  });

  test('puts the exact title first, even above a better-linked longer one', async () => {
    const s = await service(TITLES);
    const { path, position } = openAt(s, 'New.md', '[[aid|');
    assert.deepEqual(s.completion(path, position)!.items.map((i) => i.label), ['Aid', 'Aid Society']);
  });

  test('never offers the article being edited first', async () => {
    const s = await service(TITLES);
    const { path, position } = openAt(s, 'Anarchism.md', '# Anarchism\n\nSee [[Anarch|');
    const labels = s.completion(path, position)!.items.map((i) => i.label);
    assert.deepEqual(labels, ['Anarcho-syndicalism', 'Anarchism']);
  });

  test('says which title an alias stands for', async () => {
    const s = await service(TITLES);
    const { path, position } = openAt(s, 'New.md', '[[upris|');
    const item = s.completion(path, position)!.items[0];
    assert.equal(item.label, 'Kronstadt uprising');
    assert.equal(item.detail, 'alias of Kronstadt Rebellion · Kronstadt_Rebellion.md');
    assert.equal(item.textEdit.newText, 'Kronstadt uprising]]');
  });
});

describe('Workspace symbols, ranked', () => {
  const FILES = {
    'Council.md': '# Council\n\n## Workers\n',
    'Councils_of_Workers.md': '# Councils of Workers\n',
    'Soviet.md': '# Soviet\n\n## Workers Council\n\n## The council movement\n\n## Recouncil\n',
    'Cooperative.md': '# Cooperative\n\n## Ownership of units\n',
  };

  test('rank exact, then prefix, then word prefix, then substring, then subsequence', async () => {
    const s = await service(FILES);
    const names = s.workspaceSymbols('council').map((x) => x.name);
    assert.deepEqual(names, ['Council', 'Councils of Workers', 'Workers Council', 'The council movement', 'Recouncil']);
  });

  test('match titles and headings by the first letters of their words and by letters in order', async () => {
    const s = await service(FILES);
    assert.deepEqual(s.workspaceSymbols('coun wor').map((x) => x.name), ['Councils of Workers']);
    assert.deepEqual(s.workspaceSymbols('ownits').map((x) => `${x.name} (${x.containerName})`), ['Ownership of units (Cooperative)']);
  });

  test('are capped, keeping the best matches', async () => {
    const s = await service(FILES);
    assert.deepEqual(s.workspaceSymbols('council', 2).map((x) => x.name), ['Council', 'Councils of Workers']);
  });
});

describe('Folding ranges', () => {
  test('fold heading sections, nested by level, without the blank lines before the next heading', async () => {
    const text = '# Title\n\nLead.\n\n## One\n\nText.\n\n### Deep\n\nMore.\n\n## Two\n\nLast.\n';
    const s = await service({ 'A.md': text });
    assert.deepEqual(s.foldingRanges(`${ROOT}/A.md`), [
      { startLine: 0, endLine: 14 },
      { startLine: 4, endLine: 10 },
      { startLine: 8, endLine: 10 },
      { startLine: 12, endLine: 14 },
    ]);
  });

  test('fold the sections of HTML headings too, nested among markdown ones', async () => {
    const text = '# Main\n\n<div>\n<h2 id="a">A</h2>\n<p>x</p>\n<h3>Deep</h3>\n<p>y</p>\n</div>\n\n# Next\n\nText.\n';
    const s = await service({ 'H.md': text });
    s.open(`${ROOT}/H.md`, text, 1);
    assert.deepEqual(s.foldingRanges(`${ROOT}/H.md`), [
      { startLine: 0, endLine: 7 },
      { startLine: 3, endLine: 7 },
      { startLine: 5, endLine: 7 },
      { startLine: 9, endLine: 11 },
    ]);
  });

  test('fold an Obsidian comment over several lines as a comment, not one on a single line', async () => {
    const text = '# C\n\nText %%short%% here.\n\n%%\nA hidden\nplan.\n%%\n\nEnd.\n';
    const s = await service({ 'C.md': text });
    s.open(`${ROOT}/C.md`, text, 1);
    assert.deepEqual(s.foldingRanges(`${ROOT}/C.md`), [
      { startLine: 0, endLine: 9 },
      { startLine: 4, endLine: 7, kind: 'comment' },
    ]);
  });

  test('fold multi-line footnote definitions and the front matter, not one-line ones', async () => {
    const text = '---\ntitle: T\n---\nText.[^a][^b]\n\n[^a]: One line.\n[^b]: First line\n    continued here\n    and here.\n';
    const s = await service({ 'B.md': text });
    assert.deepEqual(s.foldingRanges(`${ROOT}/B.md`), [
      { startLine: 0, endLine: 2, kind: 'region' },
      { startLine: 6, endLine: 8 },
    ]);
  });
});

describe('Smart selection', () => {
  const ARTICLE = [
    '---',
    'title: Sel',
    '---',
    '# Sel',
    '',
    '## Part',
    '',
    'Intro with [[Mutual Aid#History|the aid]] and *see <a href="Anarchism.md" class="wikilink">anarchism</a>*.[^n]',
    '',
    '- first item',
    '- second [item](Other.md) here',
    '  > quoted **bold [[Deep]] word**',
    '',
    '[^n]: A note',
    '    on two lines.',
    '',
  ].join('\n');

  /** The text of each step out from the cursor (between `before` and `after` in the article), innermost first. */
  async function steps(before: string, after: string, text = ARTICLE): Promise<string[]> {
    const s = await service({ 'Mutual_Aid.md': '# Mutual Aid\n\n## History\n', 'Anarchism.md': '# Anarchism\n' });
    const path = `${ROOT}/Sel.md`;
    s.open(path, text, 1);
    const article = s.article(path)!;
    const [chain] = s.selectionRanges(path, [article.lines.positionAt(text.indexOf(before + after) + before.length)]);
    const out: string[] = [];
    for (let r: typeof chain | undefined = chain; r; r = r.parent) out.push(text.slice(article.lines.offsetAt(r.range.start), article.lines.offsetAt(r.range.end)));
    return out;
  }

  test('widens from a wiki link\'s heading to the target with it, the link, its paragraph, its sections and the article', async () => {
    const paragraph = ARTICLE.split('\n')[7];
    assert.deepEqual(await steps('#Hist', 'ory'), [
      'History',
      'Mutual Aid#History',
      '[[Mutual Aid#History|the aid]]',
      paragraph,
      ARTICLE.slice(ARTICLE.indexOf('## Part')).trimEnd(),
      ARTICLE.slice(ARTICLE.indexOf('# Sel')).trimEnd(),
      ARTICLE,
    ]);
  });

  test('in an article that opens with a byte order mark, the paragraph ends where its text does, no character cut in two', async () => {
    const text = '\uFEFFSome words and [[Mutual Aid]] 𝕏\n\nMore.\n';
    const got = await steps('Some wo', 'rds', text);
    assert.ok(got.includes('Some words and [[Mutual Aid]] 𝕏'), JSON.stringify(got));
  });

  test('widens from a pandoc anchor\'s label through the anchor and the emphasis around it', async () => {
    const [label, link, emphasis] = await steps('>anar', 'chism<');
    assert.equal(label, 'anarchism');
    assert.equal(link, '<a href="Anarchism.md" class="wikilink">anarchism</a>');
    assert.equal(emphasis, '*see <a href="Anarchism.md" class="wikilink">anarchism</a>*');
  });

  test('widens from a link in a quote inside a list item through the quote, the item and the list', async () => {
    const got = await steps('[[De', 'ep]]');
    assert.deepEqual(got.slice(0, 7), [
      'Deep',
      '[[Deep]]',
      '**bold [[Deep]] word**',
      'quoted **bold [[Deep]] word**',
      '> quoted **bold [[Deep]] word**',
      '- second [item](Other.md) here\n  > quoted **bold [[Deep]] word**',
      '- first item\n- second [item](Other.md) here\n  > quoted **bold [[Deep]] word**',
    ]);
  });

  test('widens from a footnote\'s text to its whole definition, and from a footnote reference\'s label to the reference', async () => {
    assert.deepEqual((await steps('two ', 'lines')).slice(0, 2), ['A note\n    on two lines.', '[^n]: A note\n    on two lines.']);
    assert.deepEqual((await steps('[^', 'n]')).slice(0, 2), ['n', '[^n]']);
  });

  test('widens from the front matter to the article', async () => {
    assert.deepEqual(await steps('title: ', 'Sel'), ['---\ntitle: Sel\n---', ARTICLE]);
  });

  test('gives each step strictly inside the next, at every place in the long example article', async () => {
    const text = fs.readFileSync(path.join(__dirname, '../fixtures/Marxism-Leninism.md'), 'utf8');
    const s = await service({ 'ML.md': text });
    s.open(`${ROOT}/ML.md`, text, 1);
    const article = s.article(`${ROOT}/ML.md`)!;
    const offsets = Array.from({ length: Math.ceil(text.length / 101) }, (_, i) => i * 101);
    const chains = s.selectionRanges(`${ROOT}/ML.md`, offsets.map((o) => article.lines.positionAt(o)));
    assert.equal(chains.length, offsets.length);
    chains.forEach((c, i) => {
      let inner = { start: offsets[i], end: offsets[i] };
      let depth = 0;
      for (let r: typeof c | undefined = c; r; r = r.parent, depth++) {
        const span = { start: article.lines.offsetAt(r.range.start), end: article.lines.offsetAt(r.range.end) };
        assert.ok(span.start <= inner.start && inner.end <= span.end && (depth === 0 || span.end - span.start > inner.end - inner.start), `step ${depth} at ${offsets[i]}`);
        inner = span;
      }
      assert.deepEqual(inner, { start: 0, end: text.length }, `the last step at ${offsets[i]} is the article`);
    });
  });

  test('parses only the blank-line block around the cursor in a section longer than the limit', async () => {
    const filler = 'Filler words of a very long section. '.repeat(30);
    const list = '- First item\n\n- Near **the [[Mutual Aid]] end**.\n';
    const big = `# Big\n\n${`${filler}\n\n`.repeat(Math.ceil(MAX_PARSED / filler.length) + 2)}${list}`;
    assert.ok(big.length > MAX_PARSED);
    // Parsed whole, the loose list would be a step holding both items; cut at the blank line, it is the one item.
    assert.deepEqual(await steps('[[Mu', 'tual', big), ['Mutual Aid', '[[Mutual Aid]]', '**the [[Mutual Aid]] end**', 'Near **the [[Mutual Aid]] end**.', '- Near **the [[Mutual Aid]] end**.', big.trimEnd(), big]);
    assert.ok((await steps('[[Mu', 'tual', `# Small\n\n${list}`)).includes(list.trimEnd()), 'a short section is parsed whole');
    const crlf = big.replace(/\n/g, '\r\n');
    assert.deepEqual((await steps('[[Mu', 'tual', crlf)).slice(3, 5), ['Near **the [[Mutual Aid]] end**.', '- Near **the [[Mutual Aid]] end**.'], 'CRLF blank lines cut it too');
  });

  test('in a list of more items than remark-parse is given, the item around the position is parsed: its steps stay, the list\'s is lost', async () => {
    const items = Array.from({ length: MAX_BLOCKS + 50 }, (_, i) => `- [[Item ${i}]], about *it*\n  continued\n`).join('');
    const text = `# T\n\nIntro.\n\n${items}\nAfter.\n`;
    assert.ok(text.length < MAX_PARSED, 'short enough to be parsed whole, but for its items');
    assert.deepEqual(await steps('[[Item 7', '0]]', text), ['Item 70', '[[Item 70]]', '[[Item 70]], about *it*\n  continued', '- [[Item 70]], about *it*\n  continued', text.trimEnd(), text]);
    // With fewer items the list is a step of its own.
    const few = `# T\n\n${items.split('\n').slice(0, 20).join('\n')}\n`;
    assert.ok((await steps('[[Item 7', ']]', few)).includes(few.slice(few.indexOf('- ')).trimEnd()));
  });

  test('the inline markup is parsed in the paragraph holding the position only, and only when it is short', async () => {
    const short = '# T\n\nA **bold *and* plain** text.\n\nAnother **bold** one.\n';
    assert.deepEqual(await steps('*a', 'nd*', short), ['*and*', '**bold *and* plain**', 'A **bold *and* plain** text.', short.trimEnd(), short]);
    // Past MAX_INLINE, the paragraph is a step, and its links (from the index), but not its emphasis.
    const long = `# T\n\n${'Words of a very long paragraph. '.repeat(Math.ceil(MAX_INLINE / 32))}A **bold [[Mutual Aid]]** end.\n`;
    assert.deepEqual((await steps('[[Mu', 'tual', long)).slice(0, 3), ['Mutual Aid', '[[Mutual Aid]]', long.slice(5).trimEnd()]);
  });

  test('never ends a step between the CR and LF of a line ending, even asked at a position there', async () => {
    // Found by the server fuzz: a long article cut at a CRLF blank line had its block end after the CR.
    const text = `<pre>${'x'.repeat(40)}\n/\r\n\r\n${'Filler words of a long article.\r\n'.repeat(1000)}`;
    assert.ok(text.length > MAX_PARSED);
    const s = await service({});
    s.open(`${ROOT}/Crlf.md`, text, 1);
    const article = s.article(`${ROOT}/Crlf.md`)!;
    const insideCrlf = text.indexOf('\r\n') + 1;
    for (const offset of [0, 20, insideCrlf]) {
      const [chain] = s.selectionRanges(`${ROOT}/Crlf.md`, [article.lines.positionAt(offset)]);
      for (let r: typeof chain | undefined = chain; r; r = r.parent) {
        for (const p of [r.range.start, r.range.end]) {
          const at = article.lines.offsetAt(p);
          assert.ok(!(text[at - 1] === '\r' && text[at] === '\n'), `a step of the chain at ${offset} ends inside a CRLF: ${JSON.stringify(r.range)}`);
        }
      }
    }
  });

  test('answers with the positions themselves when the article changed since it was analysed', async () => {
    const s = await service({ 'A.md': '# A\n\nText [[B]].\n' });
    const position = { line: 2, character: 7 };
    s.open(`${ROOT}/A.md`, '# A\n\nText [[B]].\n', 1);
    (s as unknown as { openTexts: Map<string, string> }).openTexts.set(`${ROOT}/A.md`, '# A\n\nLonger text [[B]].\n');
    assert.deepEqual(s.selectionRanges(`${ROOT}/A.md`, [position]), [{ range: { start: position, end: position } }]);
  });
});

describe('Local graph', () => {
  const GRAPH_WIKI = {
    'A.md': '# A\n\nSee [[B]], [[B|again]], [[C]] and [[Nowhere]].\n',
    'B.md': '# B\n\nBack to [[A]] and on to [[C]].\n',
    'C.md': '# C\n\nNo links.\n',
    'R.md': '#REDIRECT [[A]]\n',
    'D.md': '# D\n\nThrough [[R]].\n',
    'E.md': '# E\n\nOnly [[B]].\n',
  };
  const names = (g: { nodes: { title: string; depth: number }[] }) => g.nodes.map((n) => `${n.depth} ${n.title}`);
  const edges = (g: { nodes: { title: string }[]; edges: { from: number; to: number; links: number }[] }) =>
    g.edges.map((e) => `${g.nodes[e.from].title}>${g.nodes[e.to].title} ${e.links}`).sort();

  test('holds the articles an article links to and that link to it, a redirect standing for its target, most linked first', async () => {
    const s = await service(GRAPH_WIKI);
    const g = s.graph(`${ROOT}/A.md`, { depth: 1, maxNodes: 50, missing: true })!;
    assert.deepEqual(names(g), ['0 A', '1 B', '1 C', '1 D', '1 Nowhere']);
    assert.equal(g.nodes[4].path, undefined, 'a missing article has no path');
    assert.deepEqual(edges(g), ['A>B 2', 'A>C 1', 'A>Nowhere 1', 'B>A 1', 'B>C 1', 'D>A 1']);
    assert.equal(g.truncated, false);
    assert.deepEqual(names(s.graph(`${ROOT}/A.md`, { depth: 1, maxNodes: 50, missing: false })!), ['0 A', '1 B', '1 C', '1 D']);
  });

  test('leaves out an article that only uses the name for another article of that name', async () => {
    const s = await service({ 'A.md': '# A\n', 'other/A.md': '# Other A\n', 'B.md': '# B\n\nSee [[other/A]].\n', 'C.md': '# C\n\nSee [[A]].\n' });
    const g = s.graph(`${ROOT}/A.md`, { depth: 1, maxNodes: 50, missing: true })!;
    assert.deepEqual(names(g), ['0 A', '1 C']);
    assert.deepEqual(edges(g), ['C>A 1']);
  });

  test('goes a second step out when asked', async () => {
    const s = await service(GRAPH_WIKI);
    assert.deepEqual(names(s.graph(`${ROOT}/A.md`, { depth: 2, maxNodes: 50, missing: false })!), ['0 A', '1 B', '1 C', '1 D', '2 E']);
  });

  test('keeps to the node cap on a hub, taking the neighbours with the most links first, and says it left some out', async () => {
    const files: Record<string, string> = { 'Hub.md': '# Hub\n' };
    for (let i = 0; i < 30; i++) files[`L${String(i).padStart(2, '0')}.md`] = `# L${i}\n\n${'[[Hub]] '.repeat(i % 3 === 0 ? 3 : 1)}\n`;
    const s = await service(files);
    const g = s.graph(`${ROOT}/Hub.md`, { depth: 1, maxNodes: 6, missing: true })!;
    assert.equal(g.nodes.length, 6);
    assert.equal(g.truncated, true);
    assert.deepEqual(g.nodes.slice(1).map((n) => n.title), ['L0', 'L12', 'L15', 'L18', 'L21'], 'the articles with three links come first');
  });
});

describe('Backlink sentences', () => {
  test('hold a multi-line pandoc anchor as its label, whitespace collapsed, cut at the sentence', async () => {
    const s = await service({
      'Communism.md': '# Communism\n',
      'ML.md': 'Intro.\n\nThe ideology, first of its kind. It aims at\n"<a   href="Communism.md" class="wikilink"\ntitle="communism">"full\ncommunism</a> &amp; more. Then another.\n',
    });
    assert.deepEqual(s.backlinks(`${ROOT}/Communism.md`)!.map((b) => b.sentence), ['It aims at full communism & more.']);
  });

  test('stop at the list item the link stands in', async () => {
    const s = await service({
      'Communism.md': '# Communism\n',
      'ML.md': '- **Class struggle**: conflict\n  drives change\n- **Goal of\n  "<a href="Communism.md" class="wikilink" title="Communism">"Communism</a>**:\n  a classless society\n- **Other**: more\n',
    });
    assert.deepEqual(s.backlinks(`${ROOT}/Communism.md`)!.map((b) => b.sentence), ['Goal of Communism: a classless society']);
  });

  test('come from a large article read from disk once while it is unchanged, and read again once it changes', async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-large-')));
    try {
      const filler = `${'Words that fill a long article. '.repeat(40)}\n\n`.repeat(Math.ceil(LARGE_TEXT / 1280) + 1);
      fs.writeFileSync(path.join(root, 'T.md'), '# T\n');
      fs.writeFileSync(path.join(root, 'Big.md'), `# Big\n\n${filler}First mention of [[T]] here.\n`);
      const reads: string[] = [];
      class CountingWorkspace extends NodeWorkspace {
        override readText(p: string, confined?: boolean): string {
          reads.push(path.basename(p));
          return super.readText(p, confined);
        }
      }
      const s = new WikiService(new CountingWorkspace([root], mergeSettings({})), mergeSettings({}));
      await s.buildIndex();
      reads.length = 0;
      for (let i = 0; i < 3; i++) assert.deepEqual(s.backlinks(`${root}/T.md`)!.map((b) => b.sentence), ['First mention of T here.']);
      assert.deepEqual(reads, ['Big.md'], 'read once for three answers');
      // The same length, so only the stamp (modification time) tells the change; the index is told as a watcher would.
      fs.writeFileSync(path.join(root, 'Big.md'), `# Big\n\n${filler}Later mention of [[T]] here.\n`);
      fs.utimesSync(path.join(root, 'Big.md'), new Date(), new Date(Date.now() + 5000));
      s.fileChanged(`${root}/Big.md`);
      reads.length = 0;
      assert.deepEqual(s.backlinks(`${root}/T.md`)!.map((b) => b.sentence), ['Later mention of T here.']);
      assert.deepEqual(reads, ['Big.md']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('come from a small article read from disk at each answer', async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-small-')));
    try {
      fs.writeFileSync(path.join(root, 'T.md'), '# T\n');
      fs.writeFileSync(path.join(root, 'Small.md'), '# Small\n\nSee [[T]].\n');
      const s = new WikiService(new NodeWorkspace([root], mergeSettings({})), mergeSettings({}));
      await s.buildIndex();
      assert.deepEqual(s.backlinks(`${root}/T.md`)!.map((b) => b.sentence), ['See T.']);
      // Changed on disk behind the index's back, keeping its length: a kept text would still say "See T.".
      fs.writeFileSync(path.join(root, 'Small.md'), '# Small\n\nHas [[T]].\n');
      assert.deepEqual(s.backlinks(`${root}/T.md`)!.map((b) => b.sentence), ['Has T.']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('are cut at a word to about 200 characters', async () => {
    const s = await service({ 'T.md': '# T\n', 'L.md': `See [[T]] ${'and words '.repeat(60)}end.\n` });
    const [b] = s.backlinks(`${ROOT}/T.md`)!;
    assert.ok(b.sentence.length <= 202 && b.sentence.endsWith(' …'), b.sentence);
    assert.ok(b.sentence.startsWith('See T and words'), b.sentence);
  });
});

describe('Highlights in the article', () => {
  /** Each highlight as `kind text`, the text cut from the article by its range. */
  function highlighted(s: WikiService, at: { path: string; position: { line: number; character: number }; text: string }): string[] {
    const starts = [0];
    for (let i = 0; i < at.text.length; i++) if (at.text[i] === '\n') starts.push(i + 1);
    const offset = (p: { line: number; character: number }) => starts[p.line] + p.character;
    return s.documentHighlights(at.path, at.position).map((h) => `${h.kind} ${at.text.slice(offset(h.range.start), offset(h.range.end))}`);
  }

  test('on a reference link\'s label, its definition is written and every use of the label read, in a heading too but not in code', async () => {
    const s = await service(WIKI);
    const text = '# Notes\n\nSee [help][ma], [MA][] and [ma], `[code][ma]`, [other](Mutual_Aid.md).\n\n## About [aid][ma]\n\n[ma]: Mutual_Aid.md\n[x]: Anarchism.md\n';
    for (const cursorAt of ['[help][m|a]', '[M|A][]', '[m|a]:']) {
      const at = openAt(s, 'Notes.md', text.replace(cursorAt.replace('|', ''), cursorAt));
      assert.deepEqual(highlighted(s, at), ['read [help][ma]', 'read [MA][]', 'read [ma]', 'read [aid][ma]', 'write [ma]'], cursorAt);
    }
    const target = openAt(s, 'Notes.md', text.replace('[ma]: Mutual', '[ma]: Mut|ual'));
    assert.ok(highlighted(s, target).includes('read [other](Mutual_Aid.md)'), 'on the definition\'s target, the links to that article');
  });

  test('on a footnote reference, its other references are read and its definition written', async () => {
    const s = await service(WIKI);
    const at = openAt(s, 'Note.md', 'One.[^|a] Two.[^b] Three.[^A]\n\n[^a]: The note.\n[^b]: Other.\n');
    assert.deepEqual(highlighted(s, at), ['read [^a]', 'read [^A]', 'write [^a]']);
  });

  test('on a link, every link in the article to that article in any syntax, with or without a heading', async () => {
    const s = await service(WIKI);
    const at = openAt(s, 'Note.md', 'See [[Mutual |Aid]], [help](Mutual_Aid.md), <a href="Mutual_Aid" class="wikilink">aid</a> and [[Mutual Aid#History]], not [[Anarchism]].\n');
    assert.deepEqual(highlighted(s, at), ['read [[Mutual Aid]]', 'read [help](Mutual_Aid.md)', 'read <a href="Mutual_Aid" class="wikilink">aid</a>', 'read [[Mutual Aid#History]]']);
  });

  test('on a link to a heading, the links to that heading, and the heading itself when it is in this article', async () => {
    const s = await service(WIKI);
    const at = openAt(s, 'Anarchism.md', '# Anarchism\n\nSee [[#Prin|ciples]] and [p](#principles) and [[#Other]] and [[Anarchism]].\n\n## Principles\n\n## Other\n');
    assert.deepEqual(highlighted(s, at), ['read [[#Principles]]', 'read [p](#principles)', 'write ## Principles']);
  });

  test('on a heading, the heading and the links in the article to it; on the title, the links to the article itself', async () => {
    const s = await service(WIKI);
    const text = '# Anarchism\n\nSee [[#Principles]] and [[Anarchism]] and [[Anarchism#Principles]].\n\n## Princ|iples\n';
    assert.deepEqual(highlighted(s, openAt(s, 'Anarchism.md', text)), ['read [[#Principles]]', 'read [[Anarchism#Principles]]', 'write ## Principles']);
    const onTitle = openAt(s, 'Anarchism.md', text.replace('|', '').replace('# Anarchism', '# Anar|chism'));
    assert.deepEqual(highlighted(s, onTitle), ['write # Anarchism', 'read [[#Principles]]', 'read [[Anarchism]]', 'read [[Anarchism#Principles]]']);
  });

  test('on an HTML id, the id and the links in the article to it, also when it stands inside a heading', async () => {
    const s = await service(WIKI);
    const text = '# Talks\n\n### <span id="TALK_1130">Serverless</span>\n\nSee [[#TALK_1130]], [t](#talk_1130), [[#Serverless]] and [[Talks]].\n';
    const at = openAt(s, 'Talks.md', text.replace('TALK_1130">', 'TALK_|1130">'));
    assert.deepEqual(highlighted(s, at), ['write TALK_1130', 'read [[#TALK_1130]]', 'read [t](#talk_1130)']);
  });

  test('on a broken link, the other links in the article that want the same missing article', async () => {
    const s = await service(WIKI);
    const at = openAt(s, 'Note.md', 'See [[Syndi|calism]], [s](syndicalism.md), [[Syndicalists]] and [[Mutual Aid]].\n');
    assert.deepEqual(highlighted(s, at), ['read [[Syndicalism]]', 'read [s](syndicalism.md)']);
  });

  test('plain text highlights nothing', async () => {
    const s = await service(WIKI);
    assert.deepEqual(highlighted(s, openAt(s, 'Note.md', 'Plain te|xt and [[Mutual Aid]].\n')), []);
  });
});

describe('categories without a page of their own', () => {
  const files = {
    'Anarchism.md': '# Anarchism\n\nText.\n\n<a href="Category:Ideologies" class="wikilink">Category:Ideologies</a>\n',
    'Syndicalism.md': '# Syndicalism\n\nText.\n\n[Category:Ideologies](Category:Ideologies "wikilink") [[Category:Unions]]\n',
    'Index.md': '# Index\n\nSee [[:Category:Ideologies]] for the list.\n',
    'Category:Unions.md': '# Unions\n\nThe category page.\n',
  };

  test('hover on a category link lists the articles in it, by title, not those that only link to it', async () => {
    const s = await service(files);
    const { path, position } = openAt(s, 'Reader.md', '[[Category:Ideo|logies]]\n');
    const md = s.hover(path, position)!.markdown;
    assert.match(md, /^\*\*Category:\*\* Ideologies/);
    assert.match(md, /\*3 articles in this category:\* Anarchism · Reader · Syndicalism$/);
  });

  test('go to definition on a category link leads to the articles in it, by title, not to those that only link to it', async () => {
    const s = await service(files);
    const { path, position } = openAt(s, 'Reader.md', '[[Category:Ideo|logies]]\n');
    assert.deepEqual(s.definition(path, position).map((l) => `${l.path.slice(ROOT.length + 1)}:${l.range.start.line}`), ['Anarchism.md:0', 'Syndicalism.md:0']);
  });

  test('references on a category link list every link to the category, and a category with a page answers as an article', async () => {
    const s = await service(files);
    const { path, position } = openAt(s, 'Reader.md', '[[Category:Ideo|logies]]\n');
    const refs = s.references(path, position, false).map((l) => `${l.path.slice(ROOT.length + 1)}:${l.range.start.line}`);
    assert.deepEqual(refs, ['Anarchism.md:4', 'Index.md:2', 'Reader.md:0', 'Syndicalism.md:4']);
    const unions = openAt(s, 'Other.md', '[[Category:Uni|ons]]\n');
    const page = s.hover(unions.path, unions.position)!.markdown;
    assert.match(page, /^\*\*Unions\*\*/);
    assert.match(page, /The category page\.\n\n\*2 articles in this category:\* Other · Syndicalism$/, 'its page, then its articles');
    assert.deepEqual(s.references(unions.path, unions.position, false).map((l) => l.path.slice(ROOT.length + 1)), ['Other.md', 'Syndicalism.md']);
  });
});

describe('categories in completion', () => {
  test('after [[Category: the categories in use, named without the .md a pandoc export writes after them', async () => {
    const s = await service({
      'A.md': '<a href="Category:Anarchist_Concepts.md" class="wikilink">Category:Anarchist_Concepts</a>\n',
      'B.md': '[[Category:Anarchist concepts]] [[Category:Ideologies]]\n',
    });
    const { path, position } = openAt(s, 'New.md', '[[Category:|\n');
    assert.deepEqual(s.completion(path, position)!.items.map((i) => [i.label, i.detail]), [
      ['Category:Anarchist Concepts', 'category · used by 2 articles'],
      ['Category:Ideologies', 'category · used by 1 article'],
    ]);
  });
});

describe('Hover on an image', () => {
  /** The head of a PNG file as image-size reads it: the signature and an IHDR chunk with the dimensions. */
  const pngHead = (width: number, height: number) => {
    const b = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
    b.writeUInt32BE(13, 8);
    b.write('IHDR', 12, 'latin1');
    b.writeUInt32BE(width, 16);
    b.writeUInt32BE(height, 20);
    return b;
  };

  async function imageWiki(): Promise<{ s: WikiService; root: string; page: string; text: string; done: () => void }> {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-img-')));
    fs.mkdirSync(path.join(root, 'img'));
    fs.writeFileSync(path.join(root, 'img/wide.png'), pngHead(640, 320));
    fs.writeFileSync(path.join(root, 'img/tall.png'), pngHead(100, 960));
    fs.writeFileSync(path.join(root, 'small.png'), pngHead(100, 50));
    fs.writeFileSync(path.join(root, 'img/broken.png'), 'not an image at all');
    fs.writeFileSync(path.join(root, 'Map (old).png'), pngHead(100, 50));
    fs.writeFileSync(path.join(root, 'plan.pdf'), '%PDF-1.4');
    const text = '# Page\n\n![Wide map](img/wide.png) ![](img/tall.png) [[File:small.png]] ![[img/broken.png]] [the plan](plan.pdf) ![old](<Map (old).png>) <img src="img/wide.png" alt="Pandoc\'s map" />\n';
    fs.writeFileSync(path.join(root, 'Page.md'), text);
    const s = new WikiService(new NodeWorkspace([root], mergeSettings({})), mergeSettings({}));
    await s.buildIndex();
    return { s, root, page: path.join(root, 'Page.md'), text, done: () => fs.rmSync(root, { recursive: true, force: true }) };
  }

  test('an image link\'s hover draws the picture fitted into 320 × 240, never enlarged, for an editor that draws images', async () => {
    const { s, root, page, text, done } = await imageWiki();
    try {
      const hoverOn = (marker: string) => s.hover(page, { line: 2, character: text.split('\n')[2].indexOf(marker) + 3 }, (p) => 'file://' + p)!.markdown;
      assert.equal(hoverOn('![Wide'), `**Image** \`wide.png\`\n\n![Wide map](file://${root}/img/wide.png|width=320,height=160)`);
      assert.equal(hoverOn('![](img/tall'), `**Image** \`tall.png\`\n\n![tall.png](file://${root}/img/tall.png|width=25,height=240)`);
      assert.match(hoverOn('[[File:small'), /\(file:\/\/.*\/small\.png\|width=100,height=50\)$/);
      // A file whose size cannot be read is drawn at the box's width, the editor keeping its proportions.
      assert.match(hoverOn('![[img/broken'), /\/img\/broken\.png\|width=320\)$/);
      // What would end the markdown's destination early is escaped.
      assert.match(hoverOn('![old]'), /\(file:\/\/[^ ()]*\/Map%20%28old%29\.png\|width=100,height=50\)$/);
      assert.equal(hoverOn('[the plan]'), '**Attachment** `plan.pdf`');
      // An <img> tag, as pandoc writes MediaWiki's images: the same preview, its alt text the label.
      assert.equal(hoverOn('<img src'), `**Image** \`wide.png\`\n\n![Pandoc's map](file://${root}/img/wide.png|width=320,height=160)`);
    } finally {
      done();
    }
  });

  test('a link\'s hover shows the picture the article opens with, as a page preview does, but not one further in or only linked to', async () => {
    const { s, root, done } = await imageWiki();
    try {
      fs.writeFileSync(path.join(root, 'Seattle.md'), '# Seattle\n\n<figure>\n<img src="img/wide.png" alt="The strike" />\n</figure>\n\nA general strike in 1919.\n\n## History\n\nFive days.\n');
      fs.writeFileSync(path.join(root, 'Later.md'), '# Later\n\nNo picture up here; [the map](small.png) is only linked to.\n\n## Gallery\n\n![late](small.png)\n');
      const reader = '[[Seattle]] [[Later]] [[Seattle#History]]\n';
      fs.writeFileSync(path.join(root, 'Reader.md'), reader);
      s.fileChanged(path.join(root, 'Seattle.md'));
      s.fileChanged(path.join(root, 'Later.md'));
      s.fileChanged(path.join(root, 'Reader.md'));
      const at = (marker: string) => ({ line: 0, character: reader.indexOf(marker) + 3 });
      const hoverOn = (marker: string, images = true) => s.hover(path.join(root, 'Reader.md'), at(marker), images ? (p) => 'file://' + p : undefined)!.markdown;
      assert.equal(
        hoverOn('[[Seattle]]'),
        `**Seattle**  \n\`Seattle.md\`\n\nA general strike in 1919.\n\n![The strike](file://${root}/img/wide.png|width=320,height=160)\n\n*1 article links here*`,
      );
      assert.doesNotMatch(hoverOn('[[Later]]'), /!\[/, 'a picture under a section, or a file only linked to, is not the opening one');
      assert.doesNotMatch(hoverOn('[[Seattle#History]]'), /!\[/, 'a link to a section shows the section');
      assert.doesNotMatch(hoverOn('[[Seattle]]', false), /!\[/, 'an editor that draws no images gets none');
    } finally {
      done();
    }
  });

  test('for an editor that does not draw images, an image link\'s hover names the file and draws nothing', async () => {
    const { s, page, text, done } = await imageWiki();
    try {
      const h = s.hover(page, { line: 2, character: text.split('\n')[2].indexOf('![Wide') + 3 })!;
      assert.equal(h.markdown, '**Image** `wide.png`');
    } finally {
      done();
    }
  });
});

describe('The lead an article is previewed by', () => {
  const leadOf = (text: string) => leadParagraph(text, scanArticle(text));

  test('is the first paragraph of prose, past a picture, a figure, a table or wrappers of markup that open an exported page', () => {
    // anarwiki's pages open with pandoc's figure of their picture, whose caption is the file's name.
    assert.equal(
      leadOf('<figure>\n<img src="Seattle_black_bloc.png" title="Seattle_black_bloc.png" />\n<figcaption>Seattle_black_bloc.png</figcaption>\n</figure>\n\nOn 30 November 1999, 75,000 people demonstrated.\n'),
      'On 30 November 1999, 75,000 people demonstrated.',
    );
    // owasp-wiki's: a banner, or a centred box of markup around the lead.
    assert.equal(leadOf('![Boston-Banner.gif](Boston-Banner.gif\n"Boston-Banner.gif")\n\nThis is the homepage of the conference.\n'), 'This is the homepage of the conference.');
    assert.equal(leadOf('<center>\n\n<div style="font-weight:bold;">\n\nWe thank our sponsors.\n\n</div>\n\n</center>\n'), 'We thank our sponsors.');
    // A table with blank lines inside is skipped to its end, not read cell by cell.
    assert.equal(leadOf('<table>\n<tr><td>Founded</td>\n\n<td>1871</td></tr>\n</table>\n\nThe Commune governed Paris.\n'), 'The Commune governed Paris.');
    // A picture inside the prose is not read as words.
    assert.equal(leadOf('The flag ![Red and black](flag.png) flew <img src="x.png" alt="x"> over Paris.\n'), 'The flag flew over Paris.');
  });

  test('is past a line of tags an article opens with, but keeps a tag that stands in its prose', () => {
    assert.equal(leadOf('# Bakunin\n\n#philosophy #politics\n#russia\n\nA revolutionary of #anarchism.\n'), 'A revolutionary of #anarchism.');
  });

  test('of a section too: a link to a section that opens with a figure previews its prose, not the picture\'s file name', async () => {
    const s = await service({
      'Commune.md': '# Commune\n\nThe lead.\n\n## History\n\n<figure>\n<img src="Barricade_1871.jpg" />\n<figcaption>Barricade_1871.jpg</figcaption>\n</figure>\n\n- Founded in 1871.\n',
      'Reader.md': 'See [[Commune#History]].\n',
    });
    const h = s.hover(`${ROOT}/Reader.md`, { line: 0, character: 8 })!.markdown;
    assert.match(h, /\n\nFounded in 1871\.\n\n/);
    assert.doesNotMatch(h, /Barricade/);
  });

  test('is empty for a page of markup and pictures alone', () => {
    assert.equal(leadOf('<figure>\n<img src="a.png" />\n<figcaption>a.png</figcaption>\n</figure>\n\n![b](b.png)\n\n<center>\n</center>\n'), '');
  });
});
