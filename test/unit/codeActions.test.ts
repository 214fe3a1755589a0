// Code actions on in-memory wikis: each action's WorkspaceEdit is applied to the real texts and the result compared byte for byte.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileUri } from '../../server/src/core/edits';
import fc from 'fast-check';
import { closestArticles, codeActions, editDistance, linkMentionEdit, resolveCodeAction, type CodeActionShape } from '../../server/src/core/features/codeActions';
import { applyToFiles, brokenLinks, cursor, readerOf, wikiOf, type Files } from './editHelpers';
import { fileNameConvention } from '../../server/src/core/features/linkForm';
import type { DocumentReader } from '../../server/src/core/features/editing';

function actionsAt(files: Files, path: string, marked: string, options: { only?: string[]; selectTo?: string } = {}) {
  const { text, offset } = cursor(marked);
  const all = { ...files, [path]: text };
  const wiki = wikiOf(all, [path]);
  const end = options.selectTo ? text.indexOf(options.selectTo, offset) + options.selectTo.length : offset;
  const actions = codeActions(wiki, { path, text, version: 7 }, { start: offset, end }, { read: readerOf(all, [path]), only: options.only });
  const apply = (title: string) => {
    const action = actions.find((a) => a.title === title);
    assert.ok(action, `an action '${title}' among ${JSON.stringify(actions.map((a) => a.title))}`);
    return applyToFiles(all, action.edit!, [path]);
  };
  return { actions, apply, titles: actions.map((a) => a.title), wiki };
}

const titles = (actions: CodeActionShape[]) => actions.map((a) => `${a.kind}${a.isPreferred ? '*' : ''} ${a.title}`);

describe('broken links', () => {
  test('the missing article is created beside the linking one, named by the folder\'s convention, with a title', () => {
    const files = { '/wiki/topics/Direct_Action.md': '# Direct Action\n', '/wiki/topics/General_Strike.md': '# General Strike\n' };
    const { apply, actions } = actionsAt(files, '/wiki/topics/A.md', 'See [[Mutual ‸aid]].\n');
    assert.deepEqual(titles(actions).filter((t) => t.includes('Create')), [
      "quickfix* Create the article 'Mutual aid' (topics/Mutual_aid.md)",
      "quickfix Create the article 'Mutual aid' (Mutual_aid.md)",
    ]);
    const result = apply("Create the article 'Mutual aid' (topics/Mutual_aid.md)");
    assert.equal(result['/wiki/topics/Mutual_aid.md'], '# Mutual aid\n');
    assert.deepEqual(brokenLinks(result), []);
    const create = actions[0].edit!.documentChanges[0];
    assert.deepEqual(create, { kind: 'create', uri: fileUri('/wiki/topics/Mutual_aid.md'), options: { overwrite: false, ignoreIfExists: false } });
  });

  test('an article created from one written with CRLF line endings gets them too', () => {
    const { apply } = actionsAt({}, '/wiki/A.md', '# A\r\n\r\nSee [[Mutual ‸aid]].\r\n');
    assert.equal(apply("Create the article 'Mutual aid' (Mutual aid.md)")['/wiki/Mutual aid.md'], '# Mutual aid\r\n');
  });

  test('a wiki whose names use spaces gets a file name with spaces', () => {
    const { apply } = actionsAt({ '/wiki/Direct Action.md': '' }, '/wiki/A.md', '[x](Mutual%20‸Aid.md)\n');
    assert.equal(apply("Create the article 'Mutual Aid' (Mutual Aid.md)")['/wiki/Mutual Aid.md'], '# Mutual Aid\n');
  });

  test('the folder\'s naming habit is counted again once articles come or go', () => {
    const wiki = wikiOf({ '/wiki/Direct_Action.md': '# Direct Action\n' });
    assert.equal(fileNameConvention(wiki, '/wiki'), 'underscore');
    wiki.upsert('/wiki/General Strike.md', '# General Strike\n');
    wiki.upsert('/wiki/Mutual Aid.md', '# Mutual Aid\n');
    assert.equal(fileNameConvention(wiki, '/wiki'), 'space');
    wiki.remove('/wiki/General Strike.md');
    wiki.remove('/wiki/Mutual Aid.md');
    assert.equal(fileNameConvention(wiki, '/wiki'), 'underscore');
  });

  test('a typo is replaced by the closest titles, each link keeping its own syntax', () => {
    const files = { '/wiki/Karl_Marx.md': '# Karl Marx\n', '/wiki/Karl_Marks_Street.md': '', '/wiki/Karl_Kautsky.md': '# Karl Kautsky\n', '/wiki/Engels.md': '' };
    const wiki = actionsAt(files, '/wiki/A.md', '‸\n');
    assert.deepEqual(closestArticles(wiki.wiki, 'Karl Marks', 3).map((c) => c.article.title), ['Karl Marx', 'Karl Marks Street']);
    const md = actionsAt(files, '/wiki/A.md', '[him](Karl_Marks.md‸#life "wikilink")\n');
    assert.deepEqual(titles(md.actions).filter((t) => t.includes('Replace')), ["quickfix* Replace with 'Karl Marx'", "quickfix Replace with 'Karl Marks Street'"]);
    assert.equal(md.apply("Replace with 'Karl Marx'")['/wiki/A.md'], '[him](Karl_Marx.md#life "wikilink")\n');
    const wl = actionsAt(files, '/wiki/A.md', 'See [[Karl Marks‸|him]].\n');
    assert.equal(wl.apply("Replace with 'Karl Marx'")['/wiki/A.md'], 'See [[Karl Marx|him]].\n');
  });

  test('a missing image is offered the closest files: a typo, another case or extension, each written as the link names files', () => {
    const files = { '/wiki/img/Red_Flag.png': '', '/wiki/img/red_flag.jpg': '', '/wiki/img/Black_Flag.png': '', '/wiki/img/Manifesto.pdf': '' };
    const md = actionsAt(files, '/wiki/topics/A.md', 'See ![flag](../img/Red_Flgg.png‸).\n');
    assert.deepEqual(titles(md.actions), ["quickfix* Replace with 'img/Red_Flag.png'", "quickfix Replace with 'img/red_flag.jpg'"], 'Black_Flag.png is too far');
    const fixed = md.apply("Replace with 'img/Red_Flag.png'");
    assert.equal(fixed['/wiki/topics/A.md'], 'See ![flag](../img/Red_Flag.png).\n');
    assert.deepEqual(brokenLinks(fixed), []);
    const wiki = actionsAt(files, '/wiki/A.md', 'See [[File:red flag.jp‸eg]].\n');
    assert.equal(wiki.apply("Replace with 'img/red_flag.jpg'")['/wiki/A.md'], 'See [[File:red_flag.jpg]].\n');
    assert.deepEqual(titles(actionsAt(files, '/wiki/A.md', '![x](Nothing_Like_It.p‸ng)\n').actions), [], 'nothing close: no fix');
    const img = actionsAt(files, '/wiki/A.md', '<img src="img/Red_Flgg.png‸" alt="flag" />\n');
    assert.equal(img.apply("Replace with 'img/Red_Flag.png'")['/wiki/A.md'], '<img src="img/Red_Flag.png" alt="flag" />\n');
  });

  test('an ambiguous link is offered each article it could mean, as a path that leads there alone, heading and label kept', () => {
    const files = { '/wiki/people/Java.md': '# Java\n\n## Life\n', '/wiki/places/Java.md': '# Java\n\n## Life\n', '/wiki/people/Kautsky.md': '' };
    const wl = actionsAt(files, '/wiki/A.md', 'See [[Ja‸va#Life|the island]].\n');
    assert.deepEqual(titles(wl.actions).filter((t) => t.startsWith('quickfix')), ['quickfix Link to people/Java.md', 'quickfix Link to places/Java.md']);
    assert.equal(wl.apply('Link to places/Java.md')['/wiki/A.md'], 'See [[places/Java#Life|the island]].\n');
    assert.deepEqual(brokenLinks(wl.apply('Link to places/Java.md')), []);
    const md = actionsAt(files, '/wiki/topics/B.md', '[x](Java.md‸)\n');
    assert.equal(md.apply('Link to people/Java.md')['/wiki/topics/B.md'], '[x](../people/Java.md)\n');
    assert.deepEqual(brokenLinks(md.apply('Link to people/Java.md')), []);
  });

  test('the banded edit distance agrees with the textbook one within its limit', () => {
    const textbook = (a: string, b: string) => {
      let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
      for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = cur;
      }
      return prev[b.length];
    };
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' '), maxLength: 12 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 5 }), (a, b, max) => {
        const d = textbook(a, b);
        assert.equal(editDistance(a, b, max), d <= max ? d : Infinity);
      }),
      { numRuns: 2000 },
    );
  });

  test('a broken heading is replaced by the closest heading, in the form it was written', () => {
    const files = { '/wiki/Karl_Marx.md': '# Karl Marx\n\n## Early life\n\n## Later life\n' };
    const { apply, actions } = actionsAt(files, '/wiki/A.md', '[x](Karl_Marx.md#early-lif‸) [[Karl Marx#Early lfe]]\n');
    assert.deepEqual(titles(actions).filter((t) => t.includes('#')), ["quickfix* Replace with '#Early life'"]);
    assert.equal(apply("Replace with '#Early life'")['/wiki/A.md'], '[x](Karl_Marx.md#early-life) [[Karl Marx#Early lfe]]\n');
    const wl = actionsAt(files, '/wiki/A.md', '[[Karl Marx#Early lf‸e]]\n');
    assert.equal(wl.apply("Replace with '#Early life'")['/wiki/A.md'], '[[Karl Marx#Early life]]\n');
  });

  test('a broken fragment close to an HTML id is offered that id, after a heading as close', () => {
    const files = { '/wiki/Talks.md': '# Talks\n\n## Talk 1130\n\n<span id="TALK_1130">Serverless</span> <span id="TALK_2200">Later</span>\n' };
    const { apply, actions } = actionsAt(files, '/wiki/A.md', '[x](Talks.md#TALK_113‸ "wikilink")\n');
    assert.deepEqual(titles(actions).filter((t) => t.includes('#')).slice(0, 2), ["quickfix* Replace with '#Talk 1130'", "quickfix Replace with '#TALK_1130'"]);
    assert.equal(apply("Replace with '#TALK_1130'")['/wiki/A.md'], '[x](Talks.md#TALK_1130 "wikilink")\n');
  });
});

describe('footnotes', () => {
  test('a missing definition is added after the existing ones when they end the article', () => {
    const text = 'Text.[^1] More.[^note‸]\n\n[^1]: The first.\n    Continued.\n\n';
    const { apply } = actionsAt({}, '/wiki/A.md', text);
    assert.equal(apply('Add a definition for footnote [^note]')['/wiki/A.md'], 'Text.[^1] More.[^note]\n\n[^1]: The first.\n    Continued.\n[^note]: \n\n');
  });

  test('a missing definition goes at the end, after a blank line, keeping the file\'s line endings', () => {
    const { apply } = actionsAt({}, '/wiki/A.md', 'Text.[^‸a]\r\nMore text.\r\n');
    assert.equal(apply('Add a definition for footnote [^a]')['/wiki/A.md'], 'Text.[^a]\r\nMore text.\r\n\r\n[^a]: \r\n');
    const noEol = actionsAt({}, '/wiki/B.md', 'Text.[^‸a]');
    assert.equal(noEol.apply('Add a definition for footnote [^a]')['/wiki/B.md'], 'Text.[^a]\n\n[^a]: ');
  });

  test('an unused definition is removed with its continuation lines, and nothing else', () => {
    const text = 'Text.[^1]\n\n[^1]: Used.\n\n[^‸2]: Unused,\n    continued.\n\n[^3]: Also unused.\n';
    const { apply } = actionsAt({}, '/wiki/A.md', text);
    assert.equal(apply('Remove the unused footnote [^2]')['/wiki/A.md'], 'Text.[^1]\n\n[^1]: Used.\n\n[^3]: Also unused.\n');
    const lastOne = actionsAt({}, '/wiki/B.md', 'Text.[^1]\n\n[^1]: Used.\n\n[^‸3]: Unused.\n');
    assert.equal(lastOne.apply('Remove the unused footnote [^3]')['/wiki/B.md'], 'Text.[^1]\n\n[^1]: Used.\n');
  });
});

describe('refactorings', () => {
  const target = { '/wiki/Peter_Kropotkin.md': '---\ntitle: Peter Kropotkin\n---\n\n## Life\n' };

  test('a mention under the cursor becomes a link in the article\'s own syntax', () => {
    const { apply, titles: t } = actionsAt(target, '/wiki/A.md', 'See [[Other]]. He read peter krop‸otkin.\n');
    assert.deepEqual(t, ["Link 'peter kropotkin' to Peter Kropotkin"]);
    assert.equal(apply("Link 'peter kropotkin' to Peter Kropotkin")['/wiki/A.md'], 'See [[Other]]. He read [[peter kropotkin]].\n');
  });

  test('a selected phrase that names an article becomes a link; one inside a link or code does not', () => {
    const { apply } = actionsAt(target, '/wiki/A.md', '[a](Other.md) ‸Peter Kropotkin wrote.\n', { selectTo: 'Kropotkin' });
    assert.equal(apply("Link 'Peter Kropotkin' to Peter Kropotkin")['/wiki/A.md'], '[a](Other.md) [Peter Kropotkin](Peter_Kropotkin.md) wrote.\n');
    assert.deepEqual(actionsAt(target, '/wiki/B.md', 'Code `Peter Krop‸otkin`.\n').titles, []);
  });

  test('a selection naming several articles links the first mention of each the article does not link yet, in one edit', () => {
    const files = { ...target, '/wiki/Mutual_Aid.md': '# Mutual Aid\n', '/wiki/Anarchism.md': '# Anarchism\n' };
    const text = '# A\n\nOn [[Anarchism]].\n\n‸Kropotkin wrote on mutual aid, then on anarchism.\nMutual aid again; Peter Kropotkin again.\n\nAfter: mutual aid.\n';
    const { apply, titles: t } = actionsAt(files, '/wiki/A.md', text, { selectTo: 'again.' });
    // Kropotkin is no title: "Peter Kropotkin" is, later; Anarchism is linked already; what follows the selection is left.
    assert.deepEqual(t, ['Link the first mention of 2 articles in the selection (Mutual Aid, Peter Kropotkin)']);
    assert.equal(
      apply(t[0])['/wiki/A.md'],
      '# A\n\nOn [[Anarchism]].\n\nKropotkin wrote on [[mutual aid]], then on anarchism.\nMutual aid again; [[Peter Kropotkin]] again.\n\nAfter: mutual aid.\n',
    );
    const one = actionsAt(files, '/wiki/B.md', '‸He wrote on mutual aid, twice: mutual aid.\n', { selectTo: 'aid.' });
    assert.deepEqual(one.titles, ["Link 'mutual aid' to Mutual Aid"]);
    assert.deepEqual(actionsAt(files, '/wiki/C.md', 'Words‸ that name nothing at all.\n', { selectTo: 'all' }).titles, []);
  });

  test('linkMentionEdit links a mention found by the unlinked mentions search', () => {
    const text = 'He read Peter Kropotkin.\n';
    const files = { ...target, '/wiki/A.md': text };
    const wiki = wikiOf(files);
    const edit = linkMentionEdit(wiki, { path: '/wiki/A.md', text, version: null }, { start: 8, end: 23 }, wiki.articles.get('/wiki/Peter_Kropotkin.md')!);
    assert.equal(applyToFiles(files, edit)['/wiki/A.md'], 'He read [[Peter Kropotkin]].\n');
  });

  test('a link converts between wiki, markdown and anchor syntax, keeping label and heading', () => {
    const wiki = actionsAt(target, '/wiki/A.md', 'See [[Peter Kropotkin#Life|his ‸life]].\n', { only: ['refactor'] });
    assert.deepEqual(wiki.titles, ['Convert to a markdown link […](…)', 'Convert to an HTML anchor <a href>']);
    assert.equal(wiki.apply('Convert to a markdown link […](…)')['/wiki/A.md'], 'See [his life](Peter_Kropotkin.md#life).\n');
    assert.equal(wiki.apply('Convert to an HTML anchor <a href>')['/wiki/A.md'], 'See <a href="Peter_Kropotkin.md#life" class="wikilink" title="Peter Kropotkin">his life</a>.\n');
    const anchor = actionsAt(target, '/wiki/A.md', 'pro-"<a   href="Peter_Kropotkin.md" class="wikilink"\ntitle="Peter Kropotkin">"Peter‸\nKropotkin</a> said.\n');
    assert.equal(anchor.apply('Convert to a wiki link [[…]]')['/wiki/A.md'], 'pro-[[Peter Kropotkin]] said.\n');
    const md = actionsAt(target, '/wiki/A.md', '[Kropotkin‸](Peter_Kropotkin "wikilink")\n');
    assert.equal(md.apply('Convert to a wiki link [[…]]')['/wiki/A.md'], '[[Peter Kropotkin|Kropotkin]]\n');
    const self = actionsAt(target, '/wiki/Peter_Kropotkin.md', '---\ntitle: Peter Kropotkin\n---\n\n## Life\n\n[[#L‸ife]]\n');
    assert.equal(self.apply('Convert to a markdown link […](…)')['/wiki/Peter_Kropotkin.md'], '---\ntitle: Peter Kropotkin\n---\n\n## Life\n\n[Life](#life)\n');
  });

  test('a wiki link in the front matter is offered no conversion: a property is a link only written [[…]]', () => {
    const fm = actionsAt(target, '/wiki/A.md', '---\nup: "[[Peter Krop‸otkin]]"\n---\n# A\n', { only: ['refactor'] });
    assert.deepEqual(fm.titles.filter((t) => t.startsWith('Convert')), []);
  });

  test('a selection over several links converts them all in one edit, leaving the links that cannot be converted', () => {
    const files = { ...target, '/wiki/Mutual_Aid.md': '# Mutual Aid\n' };
    const marked = [
      '‸pro-"<a href="Peter_Kropotkin" class="wikilink" title="Peter Kropotkin">"Kropotkin</a> and',
      '<a href="Mutual_Aid" class="wikilink"\ntitle="Mutual Aid">mutual aid</a>, [[Mutual Aid]] already,',
      'a broken <a href="Nobody" class="wikilink">one</a> and ![[Mutual Aid]].',
    ].join('\n');
    const { titles, apply } = actionsAt(files, '/wiki/A.md', marked + '\n', { only: ['refactor.rewrite'], selectTo: '![[Mutual Aid]]' });
    assert.deepEqual(titles.filter((t) => t.startsWith('Convert')), [
      'Convert 2 links in the selection to wiki links [[…]]',
      'Convert 3 links in the selection to markdown links […](…)',
      'Convert the 1 link in the selection to HTML anchors <a href>',
    ]);
    assert.equal(
      apply('Convert 2 links in the selection to wiki links [[…]]')['/wiki/A.md'],
      'pro-[[Peter Kropotkin|Kropotkin]] and\n[[mutual aid]], [[Mutual Aid]] already,\na broken <a href="Nobody" class="wikilink">one</a> and ![[Mutual Aid]].\n',
    );
    const md = apply('Convert 3 links in the selection to markdown links […](…)')['/wiki/A.md'];
    assert.equal(md, 'pro-[Kropotkin](Peter_Kropotkin) and\n[mutual aid](Mutual_Aid), [Mutual Aid](Mutual_Aid) already,\na broken <a href="Nobody" class="wikilink">one</a> and ![[Mutual Aid]].\n');
    assert.deepEqual(brokenLinks({ ...files, '/wiki/A.md': md }), ["A.md: No article named 'Nobody'"], 'every converted link still leads where it led');
  });

  test('only the kinds asked for are computed', () => {
    const { actions } = actionsAt(target, '/wiki/A.md', '[[Peter Kropotkin‸]] [[Nobody]]\n', { only: ['quickfix'] });
    assert.deepEqual(actions, []);
  });
});

describe('renumbering footnotes', () => {
  const renumber = (marked: string, only?: string[]) => actionsAt({}, '/wiki/A.md', marked, { only });

  test('numbered footnotes are renumbered in reading order, their definitions put in that order, named ones kept', () => {
    const marked = [
      'First.[^1] Added later.[^‸4] Then[^2] and a name.[^marx] Again[^1].',
      '',
      '[^1]: One,',
      '    on two lines.',
      '',
      '[^2]: Two.',
      '',
      '[^4]: Four.',
      '[^3]: Never referenced.',
      '',
      '[^marx]: Named.',
      '',
    ].join('\n');
    const { titles, apply } = renumber(marked);
    assert.ok(titles.includes('Renumber footnotes in reading order'), JSON.stringify(titles));
    assert.equal(
      apply('Renumber footnotes in reading order')['/wiki/A.md'],
      [
        'First.[^1] Added later.[^2] Then[^3] and a name.[^marx] Again[^1].',
        '',
        '[^1]: One,',
        '    on two lines.',
        '',
        '[^2]: Four.',
        '',
        '[^3]: Two.',
        '[^4]: Never referenced.',
        '',
        '[^marx]: Named.',
        '',
      ].join('\n'),
    );
  });

  test('definitions scattered through the article keep their places and only change labels', () => {
    const { apply } = renumber('A[^2‸] b[^1].\n\n[^2]: Two.\n\nMiddle text.\n\n[^1]: One.\n');
    assert.equal(apply('Renumber footnotes in reading order')['/wiki/A.md'], 'A[^1] b[^2].\n\n[^1]: Two.\n\nMiddle text.\n\n[^2]: One.\n');
  });

  test('a note that cites another inside its definition has both renumbered without overlapping edits', () => {
    const { apply } = renumber('A[^2‸] b[^1].\n\n[^1]: One.\n[^2]: Two, see [^1].\n');
    assert.equal(apply('Renumber footnotes in reading order')['/wiki/A.md'], 'A[^1] b[^2].\n\n[^2]: One.\n[^1]: Two, see [^2].\n');
  });

  test('it is offered on a footnote, or anywhere as a source action, and not at all when the numbers are in order', () => {
    assert.ok(!renumber('A‸ b[^2] c[^1].\n\n[^1]: x\n[^2]: y\n').titles.includes('Renumber footnotes in reading order'), 'not on plain text without asking for source actions');
    const source = renumber('A‸ b[^2] c[^1].\n\n[^1]: x\n[^2]: y\n', ['source']);
    assert.deepEqual(source.actions.map((a) => [a.title, a.kind]), [['Renumber footnotes in reading order', 'source.renumberFootnotes']]);
    assert.deepEqual(renumber('A[^1‸] b[^2].\n\n[^1]: x\n[^2]: y\n').titles.filter((t) => t.startsWith('Renumber')), []);
  });
});

describe('reference link mistakes', () => {
  const files = { '/wiki/Mutual_Aid.md': '# Mutual Aid\n' };

  test('a label nothing defines gets a definition to fill in, under the article\'s other definitions', () => {
    const { apply, titles } = actionsAt(files, '/wiki/A.md', 'See [help][no‸where].\n\n[ma]: Mutual_Aid.md\n\nMore text.\n\n[mb]: Mutual_Aid.md\n', { only: ['quickfix'] });
    assert.deepEqual(titles, ['Add a link definition for [nowhere]']);
    assert.equal(apply('Add a link definition for [nowhere]')['/wiki/A.md'], 'See [help][nowhere].\n\n[ma]: Mutual_Aid.md\n\nMore text.\n\n[mb]: Mutual_Aid.md\n[nowhere]: \n');
  });

  test('an unused definition and a second definition of a label are removed with their line', () => {
    const text = 'See [help][ma].\n\n[ma]: Mutual_Aid.md\n[MA]: Other.md\n[spare]: Mutual_Aid.md\n';
    const dup = actionsAt(files, '/wiki/A.md', text.replace('[MA]:', '[M‸A]:'), { only: ['quickfix'] });
    assert.equal(dup.apply('Remove the duplicate definition of link [MA]')['/wiki/A.md'], 'See [help][ma].\n\n[ma]: Mutual_Aid.md\n[spare]: Mutual_Aid.md\n');
    const unused = actionsAt(files, '/wiki/A.md', text.replace('[spare]:', '[sp‸are]:'), { only: ['quickfix'] });
    assert.equal(unused.apply('Remove the unused link definition [spare]')['/wiki/A.md'], 'See [help][ma].\n\n[ma]: Mutual_Aid.md\n[MA]: Other.md\n');
  });
});

describe('moving a section to a new article', () => {
  const ORIGINAL = [
    '# Spanish Revolution',
    '',
    'Intro citing a source.[^1] See [[#Aftermath]] and [[#Collectives]].',
    '',
    '## Collectives',
    '',
    'Land was collectivised.[^2] Also in [[#Aftermath|the aftermath]].[^1]',
    '',
    '### In Aragon',
    '',
    'Most of Aragon.[^3] A [book][ref].',
    '',
    '## Aftermath',
    '',
    'Exile.',
    '',
    '[^1]: Shared source.',
    '[^2]: Only the collectives use this.',
    '[^3]: Aragon source.',
    '',
    '[ref]: Book.md',
    '',
  ].join('\n');
  const FILES = {
    '/wiki/Book.md': '# Book\n',
    '/wiki/Aragon.md': '# Aragon\n\nSee [[Spanish Revolution#In Aragon]] and [[Spanish Revolution#Collectives|the collectives]].\n',
    '/wiki/Syndicalism.md': '# Syndicalism\n\nSee [collectives](Spanish_Revolution.md#collectives "wikilink") and [the end](Spanish_Revolution.md#aftermath).\n',
    '/wiki/Spanish_Revolution_of_1936.md': '#REDIRECT [[Spanish Revolution]]\n',
    '/wiki/Anarchism.md': '# Anarchism\n\nSee [[Spanish Revolution of 1936#In Aragon]].\n',
  };
  const TITLE = "Move the section 'Collectives' to a new article (Collectives.md)";

  test('the section becomes an article of its own, headings moved up, with the footnotes and link definitions it uses', () => {
    const result = actionsAt(FILES, '/wiki/Spanish_Revolution.md', ORIGINAL.replace('## Collectives', '## Collec‸tives')).apply(TITLE);
    assert.equal(
      result['/wiki/Collectives.md'],
      [
        '# Collectives',
        '',
        'Land was collectivised.[^2] Also in [[Spanish Revolution#Aftermath|the aftermath]].[^1]',
        '',
        '## In Aragon',
        '',
        'Most of Aragon.[^3] A [book][ref].',
        '',
        '[^1]: Shared source.',
        '[^2]: Only the collectives use this.',
        '[^3]: Aragon source.',
        '[ref]: Book.md',
        '',
      ].join('\n'),
    );
    assert.equal(
      result['/wiki/Spanish_Revolution.md'],
      [
        '# Spanish Revolution',
        '',
        'Intro citing a source.[^1] See [[#Aftermath]] and [[Collectives]].',
        '',
        '## Collectives',
        '',
        'Main article: [[Collectives]]',
        '',
        '## Aftermath',
        '',
        'Exile.',
        '',
        '[^1]: Shared source.',
        '',
      ].join('\n'),
      'the shared footnote stays, the ones only the section used go, the section leaves a link behind',
    );
  });

  test('links from other articles, and through redirect pages, to the section\'s headings lead to the new article', () => {
    const result = actionsAt(FILES, '/wiki/Spanish_Revolution.md', ORIGINAL.replace('## Collectives', '## ‸Collectives')).apply(TITLE);
    assert.equal(result['/wiki/Aragon.md'], '# Aragon\n\nSee [[Collectives#In Aragon]] and [[Collectives|the collectives]].\n');
    assert.equal(result['/wiki/Syndicalism.md'], '# Syndicalism\n\nSee [collectives](Collectives.md "wikilink") and [the end](Spanish_Revolution.md#aftermath).\n');
    assert.equal(result['/wiki/Anarchism.md'], '# Anarchism\n\nSee [[Collectives#In Aragon]].\n');
    assert.deepEqual(brokenLinks(result), []);
  });

  test('offered to a client that resolves actions, it comes without its edit and reads no other article until chosen', () => {
    const path = '/wiki/Spanish_Revolution.md';
    const { text, offset } = cursor(ORIGINAL.replace('## Collectives', '## Coll‸ectives'));
    const all = { ...FILES, [path]: text };
    const wiki = wikiOf(all, [path]);
    const reads: string[] = [];
    const read: DocumentReader = (p) => (reads.push(p), readerOf(all, [path])(p));
    const lazy = codeActions(wiki, { path, text, version: 7 }, { start: offset, end: offset }, { read, lazy: true }).find((a) => a.title === TITLE)!;
    assert.equal(lazy.edit, undefined);
    assert.deepEqual(reads, [], 'offering it read nothing');
    const resolved = resolveCodeAction(wiki, { path, text, version: 7 }, lazy.resolve!, { read });
    assert.ok(reads.length >= 3, `choosing it read the linking articles: ${reads.join(', ')}`);
    const eager = codeActions(wiki, { path, text, version: 7 }, { start: offset, end: offset }, { read: readerOf(all, [path]) }).find((a) => a.title === TITLE)!;
    assert.deepEqual(resolved, eager.edit);
    assert.throws(() => resolveCodeAction(wiki, { path, text: text.replace('## Collectives', 'Collectives'), version: 8 }, lazy.resolve!, { read }), /no longer there/);
  });

  test('the article\'s category links stay with it when the last section moves, in each syntax', () => {
    const text = [
      '# T',
      '',
      '## See also',
      '',
      '- [[A]]',
      '',
      '[[Category:Things]] [Category:Stuff](Category:Stuff.md "wikilink")',
      '"<a href="Category:More" class="wikilink"',
      'title="Category:More">"Category:More</a>',
      '',
    ].join('\n');
    const result = actionsAt({ '/wiki/A.md': '# A\n', '/wiki/Some_page.md': '# Some page\n' }, '/wiki/T.md', text.replace('## See', '## S‸ee')).apply("Move the section 'See also' to a new article (See_also.md)");
    assert.equal(result['/wiki/See_also.md'], '# See also\n\n- [[A]]\n');
    assert.equal(result['/wiki/T.md'], ['# T', '', '## See also', '', 'Main article: [[See also]]', '', ...text.split('\n').slice(6)].join('\n'));
  });

  test('a definition inside the section that the rest still uses is kept in both articles', () => {
    const text = '# T\n\nUses it.[^a]\n\n## Notes\n\nAlso uses it.[^a]\n\n[^a]: The note.\n';
    const result = actionsAt({}, '/wiki/T.md', text.replace('## Notes', '## No‸tes')).apply("Move the section 'Notes' to a new article (Notes.md)");
    assert.equal(result['/wiki/Notes.md'], '# Notes\n\nAlso uses it.[^a]\n\n[^a]: The note.\n');
    assert.equal(result['/wiki/T.md'], '# T\n\nUses it.[^a]\n\n## Notes\n\nMain article: [[Notes]]\n\n[^a]: The note.\n');
  });

  test('an article whose links are markdown gets its new article\'s file named in its style, linked the same way, CRLF kept', () => {
    const files = { '/wiki/Direct_Action.md': '# Direct Action\r\n' };
    const text = '# Strikes\r\n\r\nSee [direct action](Direct_Action.md "wikilink").\r\n\r\n## General strike\r\n\r\nAll [[#Strikes|out]].\r\n';
    const { apply, titles } = actionsAt(files, '/wiki/Strikes.md', text.replace('## General', '## Gen‸eral'));
    assert.ok(titles.includes("Move the section 'General strike' to a new article (General_strike.md)"), titles.join('\n'));
    const result = apply("Move the section 'General strike' to a new article (General_strike.md)");
    assert.equal(result['/wiki/General_strike.md'], '# General strike\r\n\r\nAll [[Strikes#Strikes|out]].\r\n');
    assert.equal(result['/wiki/Strikes.md'], '# Strikes\r\n\r\nSee [direct action](Direct_Action.md "wikilink").\r\n\r\n## General strike\r\n\r\nMain article: [General strike](General_strike.md "wikilink")\r\n');
    assert.deepEqual(brokenLinks(result), []);
  });

  test('an article with no links of its own links the new article as most articles of the wiki write links, one vote each', () => {
    const anchors = Array.from({ length: 30 }, (_, i) => `<a href="T${i}.md" class="wikilink">t${i}</a>`).join(' ');
    const files = { '/wiki/Export.md': `# Export\n\n${anchors}\n`, '/wiki/A.md': '# A\n\n[[B]]\n', '/wiki/B.md': '# B\n\n[[A]]\n', '/wiki/C.md': '# C\n\n[[A]] [[B]]\n' };
    const result = actionsAt(files, '/wiki/T.md', '# T\n\n## Pa‸rt\n\nText.\n').apply("Move the section 'Part' to a new article (Part.md)");
    assert.equal(result['/wiki/T.md'], '# T\n\n## Part\n\nMain article: [[Part]]\n');
  });

  test('it is not offered when an article linking to the section cannot be read, and the other actions still are', () => {
    const files = { '/wiki/T.md': '# T\n\n## Part [[Nowhere]]\n\nText.\n', '/wiki/Linker.md': '# Linker\n\n[[T#Part Nowhere]]\n' };
    const wiki = wikiOf(files, ['/wiki/T.md']);
    const text = files['/wiki/T.md'];
    // From the heading's text over its broken link: a quick fix and the move are both asked for.
    const range = { start: text.indexOf('Part'), end: text.indexOf('Nowhere') + 3 };
    const kinds = (read: DocumentReader) => codeActions(wiki, { path: '/wiki/T.md', text, version: 7 }, range, { read }).map((a) => a.kind);
    const readable = readerOf(files, ['/wiki/T.md']);
    // (refactor.rewrite: the table of contents, offered on any heading.)
    assert.deepEqual([...new Set(kinds(readable))].sort(), ['quickfix', 'refactor.extract', 'refactor.rewrite']);
    assert.deepEqual([...new Set(kinds((p) => (p === '/wiki/Linker.md' ? undefined : readable(p))))].sort(), ['quickfix', 'refactor.rewrite']);
  });

  test('it is not offered on the title, off a heading, or when the heading\'s name is already an article\'s', () => {
    const at = (marked: string, files: Files = {}) => actionsAt(files, '/wiki/T.md', marked, { only: ['refactor.extract'] }).titles;
    assert.deepEqual(at('# T‸itle\n\n## Part\n\nText.\n'), []);
    assert.deepEqual(at('# Title\n\n## Part\n\nTe‸xt.\n'), []);
    assert.deepEqual(at('# Title\n\n## Pa‸rt\n\nText.\n', { '/wiki/Part.md': '# Part\n' }), []);
    assert.deepEqual(at('# Title\n\n## Pa‸rt\n\nText.\n', { '/wiki/Other.md': '---\naliases: [Part]\n---\n# Other\n' }), []);
    assert.deepEqual(at('# Title\n\n## Pa‸rt\n\nText.\n'), ["Move the section 'Part' to a new article (Part.md)"]);
  });
});


describe('a table of contents', () => {
  const ARTICLE = [
    '# Anarchism',
    '',
    'The lead paragraph.',
    '',
    '## History',
    '',
    '### Origins',
    '',
    '##### Deep (a level skipped)',
    '',
    '## History',
    '',
    '## *Schools* [of] thought',
    '',
    '```',
    '## Not a heading',
    '```',
    '',
  ].join('\n');

  test('is added before the first section: each section but the title, nested by level, the second of two alike numbered', () => {
    const { apply } = actionsAt({}, '/wiki/A.md', ARTICLE.replace('## History', '## Hist‸ory'));
    const out = apply('Add a table of contents')['/wiki/A.md'];
    assert.equal(
      out,
      ARTICLE.replace(
        'The lead paragraph.\n\n',
        [
          'The lead paragraph.',
          '',
          '<!--toc:start-->',
          '- [History](#history)',
          '  - [Origins](#origins)',
          '    - [Deep (a level skipped)](#deep-a-level-skipped)',
          '- [History](#history-1)',
          '- [Schools \\[of\\] thought](#schools-of-thought)',
          '<!--toc:end-->',
          '',
          '',
        ].join('\n'),
      ),
    );
    // Every entry leads to its own heading: none is broken, and the second History's is the second's.
    assert.deepEqual(brokenLinks({ '/wiki/A.md': out }), []);
    const wiki = wikiOf({ '/wiki/A.md': out });
    const a = wiki.articles.get('/wiki/A.md')!;
    const second = a.syntax.links.find((l) => l.heading === 'history-1')!;
    const r = wiki.resolve(second, a);
    assert.equal(r.kind === 'article' && r.heading?.span.start, out.lastIndexOf('## History'));
  });

  test('is updated where it stands when a section came or went, and not offered when it is up to date', () => {
    const withToc = '# A\n\n<!--toc:start-->\n- [Old](#old)\n<!--toc:end-->\n\n## New‸\n\n## Second\n';
    const { apply } = actionsAt({}, '/wiki/A.md', withToc);
    const out = apply('Update the table of contents')['/wiki/A.md'];
    assert.equal(out, '# A\n\n<!--toc:start-->\n- [New](#new)\n- [Second](#second)\n<!--toc:end-->\n\n## New\n\n## Second\n');
    assert.deepEqual(actionsAt({}, '/wiki/A.md', out.replace('## New', '## New‸')).titles.filter((t) => /table of contents/.test(t)), []);
  });

  test('is offered on a heading, or anywhere as a source action, and ignores markers written in code', () => {
    assert.ok(!actionsAt({}, '/wiki/A.md', '# A\n\nText‸.\n\n## B\n').titles.includes('Add a table of contents'), 'not on plain text without asking');
    const source = actionsAt({}, '/wiki/A.md', '# A\n\nText‸.\n\n## B\n', { only: ['source'] });
    assert.deepEqual(source.actions.map((a) => [a.title, a.kind]), [['Add a table of contents', 'source.tableOfContents']]);
    const inCode = '# A\n\n```\n<!--toc:start-->\n<!--toc:end-->\n```\n\n## B‸\n';
    assert.equal(actionsAt({}, '/wiki/A.md', inCode).apply('Add a table of contents')['/wiki/A.md'], inCode.replace('‸', '').replace('## B', '<!--toc:start-->\n- [B](#b)\n<!--toc:end-->\n\n## B'));
    assert.deepEqual(actionsAt({}, '/wiki/A.md', '# A‸\n\nNo sections.\n', { only: ['source'] }).titles, []);
  });
});
