// Definition, references, backlinks, highlights and hover over the protocol, on the fixture wiki with the Marxism-Leninism example; and the wiki-wide lists (orphans, wanted, tags, categories).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import type { DocumentHighlight, Hover, Location } from 'vscode-languageserver-protocol';
import { ALL_CAPABILITIES, FIXTURE_WIKI, TestClient, ensureBuilt, positionOf, uri, waitFor } from './harness';

const file = (name: string) => path.join(FIXTURE_WIKI, name);
const read = (name: string) => fs.readFileSync(file(name), 'utf8');
const where = (locations: Location[]) => locations.map((l) => `${path.relative(FIXTURE_WIKI, new URL(l.uri).pathname)}:${l.range.start.line + 1}`);

describe('Navigation', () => {
  let client: TestClient;
  const docs: Record<string, string> = {};

  before(async () => {
    ensureBuilt();
    client = new TestClient({ folders: [FIXTURE_WIKI] });
    await client.initialize();
    await client.ready();
    for (const name of ['Anarchism.md', 'Marxism-Leninism.md', 'Capitalism.md', 'Mutual_Aid.md', 'Draft.md', 'Kronstadt_Rebellion.md']) docs[name] = client.open(file(name));
  });
  after(() => client.stop());

  const at = (name: string, marker: string, delta = 0, nth = 0) => ({ textDocument: { uri: docs[name] }, position: positionOf(read(name), marker, nth, delta) });

  describe('Go to definition', () => {
    test('leads from a wiki link to the article\'s title', async () => {
      const d = await client.request<Location[]>('textDocument/definition', at('Anarchism.md', '[[Mutual Aid]]', 3));
      assert.deepEqual(d, [{ uri: uri(file('Mutual_Aid.md')), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 12 } } }]);
    });

    test('leads from an HTML anchor link to the article', async () => {
      const d = await client.request<Location[]>('textDocument/definition', at('Marxism-Leninism.md', 'href="Capitalism.md"', 8));
      assert.deepEqual(where(d), ['Capitalism.md:1']);
    });

    test('leads from a markdown link with a fragment to the heading', async () => {
      const d = await client.request<Location[]>('textDocument/definition', at('Capitalism.md', '(Anarchism.md#principles)', 3));
      assert.deepEqual(where(d), ['Anarchism.md:9']);
    });

    test('leads from a [[Title#Heading]] link to the heading in a long article', async () => {
      const d = await client.request<Location[]>('textDocument/definition', at('Kronstadt_Rebellion.md', '[[Marxism-Leninism#Suppression', 4));
      assert.deepEqual(where(d), ['Marxism-Leninism.md:357']);
    });

    test('leads from a footnote reference to its definition', async () => {
      const d = await client.request<Location[]>('textDocument/definition', at('Marxism-Leninism.md', '[^3]', 2));
      assert.deepEqual(where(d), ['Marxism-Leninism.md:507']);
    });

    test('leads from a glossary term in plain text to its glossary entry', async () => {
      const d = await client.request<Location[]>('textDocument/definition', at('Draft.md', 'authority', 3));
      assert.deepEqual(where(d), ['Glossary.md:7']);
    });

    test('finds nothing for a broken link', async () => {
      assert.equal(await client.request('textDocument/definition', at('Draft.md', '[[Nonexistent', 4)), null);
    });
  });

  describe('References', () => {
    test('on a link list every link to its article, in every syntax, from every article', async () => {
      const refs = await client.request<Location[]>('textDocument/references', { ...at('Capitalism.md', '(Anarchism.md#principles)', 3), context: { includeDeclaration: false } });
      assert.deepEqual(where(refs), ['Capitalism.md:7', 'Communism.md:6', 'Communism.md:12', 'Glossary.md:3', 'Kronstadt_Rebellion.md:9', 'Kronstadt_Rebellion.md:14', 'Marxism-Leninism.md:26', 'Mutual_Aid.md:5', 'history/Spanish_Revolution.md:4']);
    });

    test('anywhere in an article\'s title list the links to the article, with the title as declaration when asked', async () => {
      const refs = await client.request<Location[]>('textDocument/references', { ...at('Mutual_Aid.md', 'Aid', 1), context: { includeDeclaration: true } });
      assert.deepEqual(where(refs), ['Mutual_Aid.md:1', 'Anarchism.md:6', 'Capitalism.md:11', 'Glossary.md:19', 'Marxism-Leninism.md:256', 'Marxism-Leninism.md:319', 'history/Spanish_Revolution.md:3']);
    });

    test('on a heading list the links to that heading only', async () => {
      const refs = await client.request<Location[]>('textDocument/references', { ...at('Anarchism.md', '## Principles', 4), context: { includeDeclaration: false } });
      assert.deepEqual(where(refs), ['Capitalism.md:7', 'Communism.md:6', 'history/Spanish_Revolution.md:4']);
    });

    test('on a footnote list its references', async () => {
      const refs = await client.request<Location[]>('textDocument/references', { ...at('Marxism-Leninism.md', '[^1]', 2), context: { includeDeclaration: false } });
      assert.ok(refs.length >= 1);
      assert.ok(refs.every((r) => r.uri === docs['Marxism-Leninism.md']));
      const text = read('Marxism-Leninism.md').split('\n');
      for (const r of refs) assert.equal(text[r.range.start.line].slice(r.range.start.character, r.range.end.character), '[^1]');
    });
  });

  describe('Document highlights', () => {
    /** Each highlight as the text it covers and its kind (2 read, 3 write). */
    const covered = (name: string, hs: DocumentHighlight[]) => {
      const lines = read(name).split('\n');
      return hs.map((h) => [lines[h.range.start.line].slice(h.range.start.character, h.range.end.character), h.kind]);
    };

    test('on a footnote reference mark its references as read and its definition as written', async () => {
      const hs = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', at('Marxism-Leninism.md', '[^1]', 2));
      assert.deepEqual(covered('Marxism-Leninism.md', hs), [['[^1]', 2], ['[^1]', 3]]);
      assert.ok(hs[1].range.start.line > hs[0].range.start.line, 'the definition is further down');
    });

    test('on a pandoc anchor mark every link in the article to the same article', async () => {
      const hs = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', at('Marxism-Leninism.md', 'href="Capitalism.md"', 8));
      const texts = covered('Marxism-Leninism.md', hs).map(([t]) => t as string);
      assert.equal(texts.length, read('Marxism-Leninism.md').split('href="Capitalism.md"').length - 1, JSON.stringify(texts));
      for (const t of texts) assert.match(t, /^<a\s+href="Capitalism\.md"[^]*<\/a>$/);
    });
  });

  describe('linkedArticles/backlinks', () => {
    test('lists each link to the article with its source, range and sentence', async () => {
      const links = await client.request<{ uri: string; range: Location['range']; sentence: string; title: string }[]>('linkedArticles/backlinks', { uri: docs['Mutual_Aid.md'] });
      assert.deepEqual(
        links.map((l) => [path.relative(FIXTURE_WIKI, new URL(l.uri).pathname), l.range.start.line, l.title]),
        [
          ['Anarchism.md', 5, 'Anarchism'],
          ['Capitalism.md', 10, 'Capitalism'],
          ['Glossary.md', 18, 'Glossary'],
          ['Marxism-Leninism.md', 255, 'Marxism-Leninism'],
          ['Marxism-Leninism.md', 318, 'Marxism-Leninism'],
          ['history/Spanish_Revolution.md', 2, 'Spanish Revolution'],
        ],
      );
      assert.equal(links[0].sentence, 'Anarchism is a political philosophy that rejects hierarchy and the state, and proposes free association and Mutual Aid in their place.');
      assert.equal(links[1].sentence, 'See the overview of mutual aid for an alternative to competition.');
    });

    test('gives multi-line pandoc anchors their whole sentence, label included, whitespace collapsed, within their list item', async () => {
      const links = await client.request<{ uri: string; range: Location['range']; sentence: string }[]>('linkedArticles/backlinks', { uri: uri(file('Communism.md')) });
      const from = (line: number) => links.find((l) => l.uri.endsWith('/Marxism-Leninism.md') && l.range.start.line === line)!.sentence;
      assert.equal(from(5), 'Marxism-Leninism is a pro-communist ideology that became the dominant form of state socialism in the 20th century.');
      assert.match(from(156), /^Goal of Communism: Nominal commitment to a classless, stateless society based on/);
      assert.ok(links.every((l) => l.sentence.length <= 202 && !/\s\s|<a|\]\]/.test(l.sentence)), JSON.stringify(links.map((l) => l.sentence)));
    });

    test('answers null for a file that is not an article of the wiki', async () => {
      assert.equal(await client.request('linkedArticles/backlinks', { uri: uri('/elsewhere/Nothing.md') }), null);
    });
  });

  describe('linkedArticles/graph', () => {
    test('holds the article, the articles linked with it by URI, and the links among them', async () => {
      type Graph = { nodes: { uri?: string; title: string; depth: number; incoming: number }[]; edges: { from: number; to: number; links: number }[]; truncated: boolean };
      const g = await client.request<Graph>('linkedArticles/graph', { uri: docs['Mutual_Aid.md'], depth: 1 });
      assert.equal(g.nodes[0].uri, docs['Mutual_Aid.md']);
      const rel = (n: Graph['nodes'][number]) => (n.uri ? path.relative(FIXTURE_WIKI, new URL(n.uri).pathname) : `missing ${n.title}`);
      assert.deepEqual(g.nodes.map(rel).slice(1).sort(), ['Anarchism.md', 'Capitalism.md', 'Glossary.md', 'Marxism-Leninism.md', 'history/Spanish_Revolution.md']);
      const index = (name: string) => g.nodes.findIndex((n) => rel(n) === name);
      assert.ok(g.edges.some((e) => e.from === index('Anarchism.md') && e.to === 0), 'Anarchism links to Mutual Aid');
      assert.ok(g.edges.some((e) => e.from === 0 && e.to === index('Anarchism.md')), 'and Mutual Aid to Anarchism');
      const capped = await client.request<Graph>('linkedArticles/graph', { uri: docs['Mutual_Aid.md'], maxNodes: 3 });
      assert.equal(capped.nodes.length, 3);
      assert.equal(capped.truncated, true);
    });

    test('answers null for a file that is not an article, and refuses a request without a URI', async () => {
      assert.equal(await client.request('linkedArticles/graph', { uri: uri('/elsewhere/Nothing.md') }), null);
      await assert.rejects(client.request('linkedArticles/graph', {}), /needs \{ uri \}/);
    });

    test('linkedArticles/previewLinks says where each wiki link leads, by what its brackets hold, and what is missing; and each link by path', async () => {
      type PreviewLink = { kind: string; written: string; uri?: string; fragment?: string; title: string };
      const links = await client.request<PreviewLink[]>('linkedArticles/previewLinks', { uri: docs['Anarchism.md'] });
      const byWritten = new Map(links.map((l) => [l.written, l]));
      assert.deepEqual(byWritten.get('Mutual Aid'), { kind: 'wiki', written: 'Mutual Aid', uri: uri(file('Mutual_Aid.md')), title: 'Mutual Aid' });
      assert.deepEqual(byWritten.get('Capitalism.md'), { kind: 'markdown', written: 'Capitalism.md', uri: uri(file('Capitalism.md')), title: 'Capitalism' });
      const hierarchy = byWritten.get('Glossary#Hierarchy')!;
      assert.equal(hierarchy.uri, uri(file('Glossary.md')));
      assert.equal(hierarchy.fragment, 'hierarchy');
      const draft = await client.request<PreviewLink[]>('linkedArticles/previewLinks', { uri: docs['Draft.md'] });
      assert.deepEqual(
        draft.map((l) => [l.written, l.uri === undefined, l.title]),
        [
          ['Nonexistent Article', true, "No article named 'Nonexistent Article'"],
          ['Kronstadt Rebellion#No Such Heading', false, 'Kronstadt Rebellion'],
        ],
        'each written target once; a missing heading still leads to its article',
      );
      assert.equal(await client.request('linkedArticles/previewLinks', { uri: uri('/elsewhere/Nothing.md') }), null);
    });

    test('a client that asked for a graph hears once that it may be out of date when links change, and not before it asked', async () => {
      // The code lens refresh, asked 750 ms after the same change (the graph's notice comes after 300 ms), witnesses that
      // the server has dealt with the change: a notice it was going to send has arrived before it.
      const own = new TestClient({ folders: [FIXTURE_WIKI], capabilities: { ...ALL_CAPABILITIES, workspace: { ...ALL_CAPABILITIES.workspace, codeLens: { refreshSupport: true } } } });
      let notices = 0;
      own.connection.onNotification('linkedArticles/graphChanged', () => void notices++);
      try {
        await own.initialize();
        await own.ready();
        const draft = own.open(file('Draft.md'));
        const typeLink = async (text: string) => {
          const refreshes = own.codeLensRefreshes;
          own.change(draft, text);
          await waitFor('the code lens refresh after the link typed', () => own.codeLensRefreshes > refreshes);
        };
        await typeLink(read('Draft.md') + '\nSee [[Capitalism]].\n');
        assert.equal(notices, 0, 'no graph asked for, no notice');
        await own.request('linkedArticles/graph', { uri: draft });
        await typeLink(read('Draft.md') + '\nSee [[Capitalism]] and [[Communism]].\n');
        assert.equal(notices, 1, 'a graph asked for: one notice');
        await typeLink(read('Draft.md') + '\nSee [[Communism]].\n');
        assert.equal(notices, 1, 'no second notice before the graph is asked for again');
      } finally {
        await own.stop();
      }
    });
  });

  describe('Hover', () => {
    test('on a link shows the target\'s title, lead and how many articles link to it', async () => {
      const h = await client.request<Hover>('textDocument/hover', at('Anarchism.md', '[[Mutual Aid]]', 3));
      const value = (h.contents as { value: string }).value;
      assert.match(value, /^\*\*Mutual Aid\*\*/);
      assert.match(value, /voluntary, reciprocal exchange of resources/);
      assert.match(value, /5 articles link here/);
      assert.deepEqual(h.range, { start: { line: 5, character: 41 }, end: { line: 5, character: 55 } });
    });

    test('on a link to a heading names the heading', async () => {
      const h = await client.request<Hover>('textDocument/hover', at('Capitalism.md', '[[Communism#History', 4));
      assert.match((h.contents as { value: string }).value, /^\*\*Communism\*\* › History/);
    });

    test('on a link to a heading previews that section, not the article\'s lead, in wiki, markdown and anchor syntax', async () => {
      const wiki = await client.request<Hover>('textDocument/hover', at('Capitalism.md', '[[Communism#History', 4));
      const section = (wiki.contents as { value: string }).value;
      assert.match(section, /The word spread in the 1840s\. The anarchist and the Marxist currents disagreed on the vanguard party\./);
      assert.doesNotMatch(section, /classless, stateless/);
      const md = await client.request<Hover>('textDocument/hover', at('Capitalism.md', '(Anarchism.md#principles)', 3));
      assert.match((md.contents as { value: string }).value, /^\*\*Anarchism\*\* › Principles[\s\S]*Autonomy of the individual and of the group\. Direct action rather than representation\./);
      const page = client.open(file('Sections.md'), 'See <a href="Communism.md#history" class="wikilink">its history</a>.\n');
      const anchor = await client.request<Hover>('textDocument/hover', { textDocument: { uri: page }, position: { line: 0, character: 12 } });
      assert.match((anchor.contents as { value: string }).value, /^\*\*Communism\*\* › History[\s\S]*The word spread in the 1840s/);
      const d = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: page }, position: { line: 0, character: 12 } });
      assert.deepEqual(d, [{ uri: uri(file('Communism.md')), range: { start: { line: 8, character: 0 }, end: { line: 8, character: 10 } } }]);
      client.close(page);
    });

    test('on an embed previews the article like a link', async () => {
      const page = client.open(file('Embeds.md'), '![[Mutual Aid]]\n');
      const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: page }, position: { line: 0, character: 5 } });
      const value = (h.contents as { value: string }).value;
      assert.match(value, /^\*\*Mutual Aid\*\*  \n`Mutual_Aid\.md`\n\n.*voluntary, reciprocal exchange of resources/);
      assert.match(value, /\*\d+ articles link here\*$/);
      client.close(page);
    });

    test('on a footnote reference shows the footnote\'s text', async () => {
      const h = await client.request<Hover>('textDocument/hover', at('Anarchism.md', '[^2]', 1));
      assert.match((h.contents as { value: string }).value, /Errico Malatesta, Anarchy, 1891\./);
    });

    test('on a plain word the glossary defines shows the definition and where it comes from', async () => {
      const h = await client.request<Hover>('textDocument/hover', at('Draft.md', 'autonomy', 2));
      const value = (h.contents as { value: string }).value;
      assert.match(value, /\*\*Autonomy\*\*: self-government/);
      assert.match(value, /from Glossary \(Glossary\.md\)/);
    });

    test('on a phrase of several words the glossary defines (in the plural) finds the whole phrase', async () => {
      const h = await client.request<Hover>('textDocument/hover', at('Mutual_Aid.md', 'mutual\nbenefit', 0));
      assert.equal(h, null, 'an ordinary word is not a term');
      const spanish = client.open(file('history/Spanish_Revolution.md'));
      const text = read('history/Spanish_Revolution.md');
      const g = await client.request<Hover>('textDocument/hover', { textDocument: { uri: spanish }, position: positionOf(text, 'groups') });
      assert.match((g.contents as { value: string }).value, /\*\*Affinity group\*\*: a small group/);
      assert.equal(text.split('\n')[g.range!.start.line].slice(g.range!.start.character, g.range!.end.character), 'affinity groups');
    });

    test('on a broken link says what is missing and how many other links want it', async () => {
      const h = await client.request<Hover>('textDocument/hover', at('Draft.md', '[[Nonexistent', 4));
      assert.equal((h.contents as { value: string }).value, "**No article named 'Nonexistent Article'**\n\n1 other link wants it.");
    });

    test('escapes raw HTML and link syntax from the wiki instead of rendering it', async () => {
      const evil = client.open(file('Evil.md'), '# Evil\n\n<img src=x onerror=alert(1)> [click](command:workbench.action.quit) **bold**\n');
      const linking = client.open(file('Linking.md'), '[[Evil]]\n');
      const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: linking }, position: { line: 0, character: 3 } });
      const value = (h.contents as { value: string }).value;
      assert.ok(!/<img/.test(value), value);
      assert.ok(!/\]\(command:/.test(value), value);
      client.close(evil);
      client.close(linking);
    });
  });
});

describe('linkedArticles/orphans and linkedArticles/wanted', () => {
  let dir: string;
  let client: TestClient;
  before(() => {
    ensureBuilt();
    // A chain of 3,000 articles, each linked from the one before, but the first: the one orphan. Big enough that the
    // index is still being built when the requests, sent at once, arrive; and with 20 links each to articles nobody
    // wrote, 60,000 distinct targets, so that finding the wanted ones takes many slices on any machine.
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'linked-articles-orphans-')));
    for (let i = 0; i < 3000; i++) {
      const unwritten = Array.from({ length: 20 }, (_, k) => `[[Unwritten ${i}-${k}]]`).join(' ');
      fs.writeFileSync(path.join(dir, `Link_${i}.md`), `# Link ${i}\n\nOn to [[Link ${i + 1}]]; see [[Gap ${i % 3}]].\n${unwritten}\n${'Filler text. '.repeat(200)}\n`);
    }
    client = new TestClient({ folders: [dir] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('sent before the index is complete, both answer from the whole wiki', async () => {
    await client.initialize();
    assert.notEqual(client.status.at(-1)?.state, 'ready', 'the requests go before the index is known to be complete');
    const [orphans, wanted] = await Promise.all([
      client.request<{ uri: string; title: string }[]>('linkedArticles/orphans', {}),
      client.request<{ name: string; count: number; sources: string[]; sourceCount: number }[]>('linkedArticles/wanted', { limit: 2 }),
    ]);
    assert.deepEqual(orphans, [{ uri: uri(path.join(dir, 'Link_0.md')), title: 'Link 0' }]);
    assert.deepEqual(wanted.map((w) => [w.name, w.count, w.sourceCount, w.sources.length]), [['Gap 0', 1000, 1000, 20], ['Gap 1', 1000, 1000, 20]]);
    // The first 20 linkers by path: Link_0, Link_102, … (every third article wants Gap 0).
    const names = wanted[0].sources.map((s) => path.basename(new URL(s).pathname));
    assert.deepEqual(names, [...names].sort());
    assert.equal(names[0], 'Link_0.md');
  });

  test('a list found afresh is found in slices: a request sent after it is answered first', async () => {
    // A new article is a new name: every link may lead elsewhere now, and the lists are found again from the start.
    const doc = client.open(path.join(dir, 'Newcomer.md'), '# Newcomer\n\n[[Link 5]]\n');
    try {
      const order: string[] = [];
      await Promise.all([
        client.request('linkedArticles/wanted', { limit: 1 }).then(() => order.push('wanted')),
        client.request('textDocument/documentSymbol', { textDocument: { uri: doc } }).then(() => order.push('symbols')),
      ]);
      assert.deepEqual(order, ['symbols', 'wanted']);
    } finally {
      // Newcomer has no file: closed, it leaves the index, and is no orphan in the next test.
      client.close(doc);
    }
  });

  test('an edit that links to the orphan takes it off the list', async () => {
    const doc = client.open(path.join(dir, 'Link_10.md'));
    client.change(doc, '# Link 10\n\nBack to [[Link 0]] and on to [[Link 11]].\n');
    const orphans = await client.request<{ title: string }[]>('linkedArticles/orphans', {});
    assert.deepEqual(orphans, []);
  });
});

/** A server on a wiki of these files in a fresh folder, for the describe block it is called in: started before its tests, stopped and removed after. */
function serverOn(name: string, files: Record<string, string>): { client: TestClient; dir: string } {
  const wiki = { client: undefined as unknown as TestClient, dir: '' };
  before(async () => {
    ensureBuilt();
    wiki.dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `linked-articles-${name}-`)));
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(wiki.dir, file), text);
    wiki.client = new TestClient({ folders: [wiki.dir] });
    await wiki.client.initialize();
  });
  after(async () => {
    await wiki.client.stop();
    fs.rmSync(wiki.dir, { recursive: true, force: true });
  });
  return wiki;
}

describe('linkedArticles/tags and linkedArticles/tagged', () => {
  const wiki = serverOn('tags', {
    'Anarchism.md': '---\ntags: [philosophy]\n---\n# Anarchism\n\nOn #mutual-aid.\n',
    'Kropotkin.md': '# Kropotkin\n\n#Philosophy and #mutual-aid, not C#.\n',
    'Bakunin.md': '# Bakunin\n\n#philosophy\n',
  });

  test('the tags in use come most used first, and a tag\'s articles by title, whatever its case', async () => {
    assert.deepEqual(await wiki.client.request('linkedArticles/tags', {}), [
      { name: 'philosophy', count: 3 },
      { name: 'mutual-aid', count: 2 },
    ]);
    assert.deepEqual(await wiki.client.request('linkedArticles/tags', { limit: 1 }), [{ name: 'philosophy', count: 3 }]);
    const tagged = await wiki.client.request<{ uri: string; title: string }[]>('linkedArticles/tagged', { tag: '#PHILOSOPHY' });
    assert.deepEqual(tagged.map((t) => [path.basename(new URL(t.uri).pathname), t.title]), [['Anarchism.md', 'Anarchism'], ['Bakunin.md', 'Bakunin'], ['Kropotkin.md', 'Kropotkin']]);
    assert.deepEqual(await wiki.client.request('linkedArticles/tagged', { tag: 'nothing' }), []);
  });

  test('an edit that takes a tag away changes the counts at once', async () => {
    const doc = wiki.client.open(path.join(wiki.dir, 'Bakunin.md'));
    wiki.client.change(doc, '# Bakunin\n\nNo tags now.\n');
    assert.deepEqual(await wiki.client.request('linkedArticles/tags', {}), [
      { name: 'mutual-aid', count: 2 },
      { name: 'philosophy', count: 2 },
    ]);
    wiki.client.close(doc);
  });
});

describe('linkedArticles/categories and linkedArticles/categoryMembers', () => {
  const wiki = serverOn('categories', {
    'Anarchism.md': '# Anarchism\n\n[[Category:Ideologies]] [[Category:Anarchist concepts]]\n',
    'Mutual_Aid.md': '# Mutual Aid\n\n<a href="Category:Anarchist_concepts" class="wikilink">Category:Anarchist_concepts</a>\n',
    'Marxism.md': '# Marxism\n\n[Category:Ideologies](Category:Ideologies "wikilink")\n',
    'Reader.md': '# Reader\n\nAll ideologies: [[:Category:Ideologies]].\n',
    // A category with a page of its own, as owasp-wiki's 576 are: its members are still the articles put in it.
    'Category:Ideologies.md': '# Category:Ideologies\n\nSystems of ideas.\n',
  });

  test('the categories come most used first; a category\'s members by title, page or not, without the articles that only link to it', async () => {
    const categories = await wiki.client.request<{ name: string; count: number }[]>('linkedArticles/categories', {});
    // Ideologies is linked from three articles, but Reader's `[[:Category:Ideologies]]` puts nothing in it.
    assert.deepEqual(categories.map((c) => [c.name, c.count]), [['Anarchist concepts', 2], ['Ideologies', 2]]);
    const titles = async (category: string) =>
      (await wiki.client.request<{ uri: string; title: string }[]>('linkedArticles/categoryMembers', { category })).map((m) => m.title);
    assert.deepEqual(await titles('Anarchist concepts'), ['Anarchism', 'Mutual Aid']);
    assert.deepEqual(await titles('Category:Ideologies'), ['Anarchism', 'Marxism']);
    assert.deepEqual(await titles('Nothing'), []);
  });
});

describe('linkedArticles/dropLinks', () => {
  const wiki = serverOn('drop', {
    'Anarchism.md': '# Anarchism\n\nSee [Mutual Aid](Mutual_Aid.md "wikilink").\n',
    'Mutual_Aid.md': '# Mutual Aid\n',
    'Black_Flag.png': 'not really a picture',
  });

  test('files dropped into an article come back as links in its own style; web addresses and files outside the folder do not', async () => {
    const into = uri(path.join(wiki.dir, 'Anarchism.md'));
    const dropped = [uri(path.join(wiki.dir, 'Mutual_Aid.md')), 'https://example.org/x.png', uri('/etc/passwd'), uri(path.join(wiki.dir, 'Black_Flag.png'))];
    assert.equal(await wiki.client.request('linkedArticles/dropLinks', { uri: into, uris: dropped }), '[Mutual Aid](Mutual_Aid.md "wikilink") ![Black Flag](Black_Flag.png)');
    assert.equal(await wiki.client.request('linkedArticles/dropLinks', { uri: into, uris: [uri('/etc/passwd')] }), null);
    await assert.rejects(wiki.client.request('linkedArticles/dropLinks', { uri: into }), /needs \{ uri, uris \}/);
  });
});

describe('linkedArticles/previewLinks with embeds', () => {
  const wiki = serverOn('embeds', {
    'Reader.md': '# Reader\n\n![[Notes#Part one]]\n\n![[Notes]]\n',
    'Notes.md': '# Notes\n\nOpening.\n\n## Part one\n\nFirst text.\n\n## Part two\n\nSecond.\n',
  });

  test('an embed of an article comes with the markdown it shows: the section, or the article past its title', async () => {
    type PreviewLink = { written: string; embed?: string };
    await wiki.client.ready();
    const links = await wiki.client.request<PreviewLink[]>('linkedArticles/previewLinks', { uri: uri(path.join(wiki.dir, 'Reader.md')) });
    assert.deepEqual(links.map((l) => [l.written, l.embed]), [
      ['Notes#Part one', '## Part one\n\nFirst text.'],
      ['Notes', 'Opening.\n\n## Part one\n\nFirst text.\n\n## Part two\n\nSecond.'],
    ]);
  });
});

describe('textDocument/semanticTokens', () => {
  const wiki = { dir: '', client: undefined as unknown as TestClient, plain: undefined as unknown as TestClient };
  const capabilities = { ...ALL_CAPABILITIES, textDocument: { ...ALL_CAPABILITIES.textDocument, semanticTokens: { requests: { full: true, range: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative' as const] } } };
  let legend: string[] = [];
  before(async () => {
    ensureBuilt();
    wiki.dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'linked-articles-tokens-')));
    fs.writeFileSync(path.join(wiki.dir, 'Notes.md'), '# Notes\n');
    wiki.client = new TestClient({ folders: [wiki.dir], capabilities });
    const init = (await wiki.client.initialize()) as { capabilities: { semanticTokensProvider?: { legend: { tokenTypes: string[] } } } };
    legend = init.capabilities.semanticTokensProvider?.legend.tokenTypes ?? [];
    // The VS Code extension colours these with its grammar, and says so.
    wiki.plain = new TestClient({ folders: [wiki.dir], capabilities, initializationOptions: { semanticTokens: false } });
    const plain = (await wiki.plain.initialize()) as { capabilities: Record<string, unknown> };
    assert.equal(plain.capabilities.semanticTokensProvider, undefined);
  });
  after(async () => {
    await wiki.client.stop();
    await wiki.plain.stop();
    fs.rmSync(wiki.dir, { recursive: true, force: true });
  });

  test('the tokens of an article come relative to each other, by the legend announced, and a range gives its own', async () => {
    const text = 'See [[Notes]] #tag.\nA note.[^1]\n\n[^1]: Text.\n';
    const doc = wiki.client.open(path.join(wiki.dir, 'A.md'), text);
    const decode = (data: number[]) => {
      const out: string[] = [];
      let line = 0;
      let char = 0;
      for (let i = 0; i < data.length; i += 5) {
        line += data[i];
        char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
        out.push(`${legend[data[i + 3]]} ${text.split('\n')[line].slice(char, char + data[i + 2])}`);
      }
      return out;
    };
    const full = await wiki.client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: doc } });
    assert.deepEqual(decode(full.data), ['property [[Notes]]', 'decorator #tag', 'enumMember [^1]', 'enumMember [^1]']);
    const range = await wiki.client.request<{ data: number[] }>('textDocument/semanticTokens/range', { textDocument: { uri: doc }, range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } } });
    assert.deepEqual(decode(range.data).map((t) => t.split(' ')[0]), ['enumMember']);
  });
});

describe('Redirect pages, over the protocol', () => {
  let dir: string;
  let client: TestClient;
  const files: Record<string, string> = {
    'Mutualism.md': '# Mutualism\n\nAn economic theory of reciprocity.\n\n## History\n\nProudhon wrote of it.\n',
    'Mutualist_Economics.md': '1.  REDIRECT <a href="Mutualism" class="wikilink"\n    title="Mutualism">Mutualism</a>\n',
    'Old_Name.md': '#REDIRECT [[Mutualist Economics]]\n',
    'Reader.md': '# Reader\n\nSee [[Mutualist Economics#History]].\n',
  };
  before(async () => {
    ensureBuilt();
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'linked-articles-redirects-')));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    client = new TestClient({ folders: [dir] });
    await client.initialize();
    await client.ready();
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const at = (doc: string, marker: string, delta: number) => ({ textDocument: { uri: doc }, position: positionOf(files['Reader.md'], marker, 0, delta) });

  test('definition and hover on a link to a redirect page answer with the section it leads to', async () => {
    const doc = client.open(path.join(dir, 'Reader.md'));
    const d = await client.request<Location[]>('textDocument/definition', at(doc, '#History', 2));
    assert.deepEqual(d.map((l) => [path.basename(new URL(l.uri).pathname), l.range.start.line]), [['Mutualism.md', 4]]);
    const h = await client.request<Hover>('textDocument/hover', at(doc, 'Mutualist', 2));
    const md = (h.contents as { value: string }).value;
    assert.match(md, /^\*\*Mutualism\*\* › History/);
    assert.match(md, /\*Redirected from 'Mutualist Economics'\*/);
    assert.match(md, /Proudhon wrote of it\./);
  });

  test('linkedArticles/backlinks names the redirect page a link goes through', async () => {
    const links = await client.request<{ uri: string; title: string; via?: string }[]>('linkedArticles/backlinks', { uri: uri(path.join(dir, 'Mutualism.md')) });
    assert.deepEqual(
      links.map((l) => `${path.basename(new URL(l.uri).pathname)}${l.via ? ' via ' + l.via : ''}`),
      ['Mutualist_Economics.md', 'Old_Name.md via Mutualist Economics', 'Reader.md via Mutualist Economics'],
    );
  });

  test('a double redirect is published as a warning on the redirect, and mended when the middle page becomes an article', async () => {
    const doc = client.open(path.join(dir, 'Old_Name.md'));
    const found = await client.diagnostics(doc, (d) => d.length > 0);
    assert.deepEqual(found.map((d) => [d.code, d.severity, d.message]), [['double-redirect', 2, "'Mutualist Economics' is itself a redirect, to 'Mutualism': readers stop there"]]);
    const middle = client.open(path.join(dir, 'Mutualist_Economics.md'));
    client.change(middle, '# Mutualist Economics\n\nAn article of its own now.\n');
    assert.deepEqual(await client.diagnostics(doc, (d) => d.length === 0), []);
  });
});
