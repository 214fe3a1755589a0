// MediaWiki's redirect pages: which pages are redirects, and how every feature takes a reader through them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { articleProblems } from '../../server/src/core/diagnostics';
import { codeActions } from '../../server/src/core/features/codeActions';
import { codeLenses } from '../../server/src/core/features/codeLens';
import { rename } from '../../server/src/core/features/rename';
import { WikiService } from '../../server/src/core/service';
import { mergeSettings } from '../../server/src/core/settings';
import { InMemoryWorkspace } from '../../server/src/core/workspace';
import { redirectLinkOf, type Wiki } from '../../server/src/core/wiki';
import { applyToFiles, cursor, readerOf, wikiOf, type Files } from './editHelpers';

const page = (wiki: Wiki, rel: string) => {
  const a = wiki.articles.get('/wiki/' + rel);
  assert.ok(a, `no article ${rel}`);
  return a;
};
const problems = (wiki: Wiki, rel: string) => articleProblems(wiki, page(wiki, rel)).map((p) => `${p.code}: ${p.message}`);

describe('which pages are redirects', () => {
  const redirects: Files = {
    // As pandoc writes MediaWiki's `#REDIRECT [[T]]` (anarwiki, libsocwiki, owasp-wiki), link on the same line or the next.
    '/wiki/Mutualist_Economics.md': '1.  REDIRECT <a href="Mutualism" class="wikilink"\n    title="Mutualism">Mutualism</a>\n',
    '/wiki/Dual_Power.md': '1.  REDIRECT\n    <a href="Dual_power" class="wikilink" title="Dual power">Dual power</a>\n',
    '/wiki/CSRF.md': '1.  REDIRECT [Cross-Site Request Forgery](Cross-Site_Request_Forgery "wikilink")\n',
    '/wiki/Threat_agent.md': '1.  redirect [:Category:Threat Agent](:Category:Threat_Agent "wikilink")',
    '/wiki/Raw.md': '#REDIRECT [[Mutualism]]\n\n[[Category:Economics]]\n',
    '/wiki/Colon.md': '#redirect: [[Mutualism#History]]\n',
    '/wiki/Fronted.md': '---\ntitle: Fronted\n---\n\n#REDIRECT [[Mutualism]]\n',
    // owasp-wiki's redirects to category pages: pandoc put the link in a paragraph of its own.
    '/wiki/Guide.md': '1.  redirect\n\n[Category:OWASP Guide Project](Category:OWASP_Guide_Project "wikilink")',
  };
  const not: Files = {
    '/wiki/Shell.md': '1. Redirect [stdout](Stdout.md) to a file.\n',
    '/wiki/Later.md': '# Later\n\n#REDIRECT [[Mutualism]]\n',
    '/wiki/Image.md': '#REDIRECT ![map](map.png)\n',
    '/wiki/Prose.md': 'To redirect [[Mutualism]] readers, write a redirect.\n',
    '/wiki/Word.md': 'REDIRECTS [[Mutualism]]\n',
  };
  const wiki = wikiOf({ ...redirects, ...not, '/wiki/Mutualism.md': '# Mutualism\n' });

  test('a page that opens with REDIRECT and a link, in each way the exports write it, is a redirect to that link', () => {
    for (const path of Object.keys(redirects)) {
      const a = wiki.articles.get(path)!;
      assert.equal(a.redirect, 0, `${path} is a redirect`);
      assert.match(redirectLinkOf(a)!.target, /Mutualism|Dual_power|Cross-Site_Request_Forgery|Threat_Agent|Guide_Project/, path);
    }
  });

  test('a list item, a later line, an image, prose or another word that only looks like one is no redirect', () => {
    for (const path of Object.keys(not)) assert.equal(wiki.articles.get(path)!.redirect, undefined, path);
  });
});

describe('following redirects', () => {
  const files: Files = {
    '/wiki/Mutualism.md': '# Mutualism\n\nAn economic theory.\n\n## History\n\nProudhon.\n\n## Banks\n',
    '/wiki/Mutualist_Economics.md': '1.  REDIRECT <a href="Mutualism" class="wikilink">Mutualism</a>\n',
    '/wiki/Proudhon_Banks.md': '#REDIRECT [[Mutualism#Banks]]\n',
    '/wiki/Old_Name.md': '#REDIRECT [[Mutualist Economics]]\n',
    '/wiki/Loop_A.md': '#REDIRECT [[Loop B]]\n',
    '/wiki/Loop_B.md': '#REDIRECT [[Loop A]]\n',
    '/wiki/Self.md': '#REDIRECT [[Self]]\n',
    '/wiki/Gone.md': '#REDIRECT [[Nowhere]]\n',
    '/wiki/Reader.md': '# Reader\n\n[[Mutualist Economics#History]] [[Mutualist Economics#Nope]] [[Proudhon Banks]] [[Old Name#History]] [[Loop A#X]] [[Gone]]\n',
  };
  const wiki = wikiOf(files);
  const reader = page(wiki, 'Reader.md');
  const through = (target: string, heading?: string) => {
    const r = wiki.resolveThrough({ target, heading }, reader);
    return { kind: r.kind, to: r.kind === 'article' ? r.article.rel : undefined, heading: r.kind === 'article' ? r.heading?.text : undefined, via: r.via?.map((a) => a.rel), loop: r.loop };
  };

  test('a link to a redirect page leads to the article, at the link\'s own heading, else at the redirect\'s', () => {
    assert.deepEqual(through('Mutualist Economics', 'History'), { kind: 'article', to: 'Mutualism.md', heading: 'History', via: ['Mutualist_Economics.md'], loop: undefined });
    assert.deepEqual(through('Proudhon Banks'), { kind: 'article', to: 'Mutualism.md', heading: 'Banks', via: ['Proudhon_Banks.md'], loop: undefined });
    assert.deepEqual(through('Proudhon Banks', 'History'), { kind: 'article', to: 'Mutualism.md', heading: 'History', via: ['Proudhon_Banks.md'], loop: undefined });
  });

  test('a chain of redirects is followed to its end, a loop stops where it closes, and a page that is no redirect is left as it is', () => {
    assert.deepEqual(through('Old Name').via, ['Old_Name.md', 'Mutualist_Economics.md']);
    assert.equal(through('Old Name').to, 'Mutualism.md');
    assert.deepEqual(through('Loop A'), { kind: 'article', to: 'Loop_A.md', heading: undefined, via: ['Loop_A.md', 'Loop_B.md'], loop: true });
    assert.deepEqual(through('Gone'), { kind: 'missing', to: undefined, heading: undefined, via: ['Gone.md'], loop: undefined });
    assert.deepEqual(through('Mutualism'), { kind: 'article', to: 'Mutualism.md', heading: undefined, via: undefined, loop: undefined });
  });

  test('a heading is checked in the article a redirect leads to, and a missing one is named there', () => {
    assert.deepEqual(problems(wiki, 'Reader.md'), ["broken-heading: No heading 'Nope' in 'Mutualism' (where 'Mutualist Economics' redirects)"]);
  });

  test('a redirect to a redirect, a loop and a page that redirects to itself are double redirects; a redirect to a missing page is a broken link', () => {
    assert.deepEqual(problems(wiki, 'Old_Name.md'), ["double-redirect: 'Mutualist Economics' is itself a redirect, to 'Mutualism': readers stop there"]);
    assert.deepEqual(problems(wiki, 'Loop_A.md'), ["double-redirect: Redirect loop: 'Loop A' → 'Loop B' → 'Loop A'"]);
    assert.deepEqual(problems(wiki, 'Self.md'), ['double-redirect: This page redirects to itself']);
    const exported = wikiOf({ '/wiki/Dual_power.md': '1.  REDIRECT\n    <a href="Dual_power" class="wikilink" title="Dual power">Dual power</a>\n', '/wiki/Dual_Power_page.md': '#REDIRECT [[dual power page]]\n' });
    assert.deepEqual(problems(exported, 'Dual_power.md'), ['double-redirect: This page redirects to itself']);
    assert.deepEqual(problems(exported, 'Dual_Power_page.md'), ["double-redirect: This page redirects to itself ('dual power page' is its name when case is ignored; see caseMode)"]);
    assert.deepEqual(problems(wiki, 'Gone.md'), ["broken-link: No article named 'Nowhere'"]);
    assert.deepEqual(problems(wiki, 'Mutualist_Economics.md'), []);
  });

  test('the quick fix of a double redirect points it straight at the end of the chain', () => {
    const path = '/wiki/Old_Name.md';
    const text = files[path];
    const actions = codeActions(wiki, { path, text, version: 7 }, { start: text.indexOf('Mutualist'), end: text.indexOf('Mutualist') }, { read: readerOf(files, [path]) });
    const fix = actions.find((a) => a.title === "Redirect straight to 'Mutualism'");
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    const after = applyToFiles(files, fix.edit!, [path]);
    assert.equal(after[path], '#REDIRECT [[Mutualism]]\n');
    assert.deepEqual(problems(wikiOf(after), 'Old_Name.md'), []);
  });

  test('in a wiki with redirect pages, a broken link close to an article can be made a redirect to it, written as the wiki writes them', () => {
    for (const [example, expected] of [
      ['#REDIRECT [[Mutualism]]\n', '#REDIRECT [[Mutualism]]\n'],
      ['1.  REDIRECT [Mutualism](Mutualism "wikilink")\n', '1.  REDIRECT [Mutualism](Mutualism "wikilink")\n'],
    ]) {
      const all: Files = { '/wiki/Mutualism.md': '# Mutualism\n', '/wiki/Old.md': example, '/wiki/Reader.md': 'See [Mutualisme](Mutualisme "wikilink").\n' };
      const w = wikiOf(all, ['/wiki/Reader.md']);
      const text = all['/wiki/Reader.md'];
      const at = text.indexOf('(Mutualisme') + 1;
      const actions = codeActions(w, { path: '/wiki/Reader.md', text, version: 7 }, { start: at, end: at }, { read: readerOf(all, ['/wiki/Reader.md']) });
      const make = actions.find((a) => a.title === "Create a redirect to 'Mutualism': 'Mutualisme' (Mutualisme.md)");
      assert.ok(make, JSON.stringify(actions.map((a) => a.title)));
      const after = applyToFiles(all, make.edit!, ['/wiki/Reader.md']);
      assert.equal(after['/wiki/Mutualisme.md'], expected);
      const again = wikiOf(after);
      assert.deepEqual(problems(again, 'Reader.md'), [], 'the link leads through the new redirect');
      assert.equal(page(again, 'Mutualisme.md').redirect, 0);
    }
    const plain = wikiOf({ '/wiki/Mutualism.md': '# Mutualism\n', '/wiki/Reader.md': 'See [[Mutualisme]].\n' }, ['/wiki/Reader.md']);
    const titles = codeActions(plain, { path: '/wiki/Reader.md', text: 'See [[Mutualisme]].\n', version: 7 }, { start: 7, end: 7 }, { read: readerOf({}, []) }).map((a) => a.title);
    assert.ok(titles.includes("Replace with 'Mutualism'"), `the quick fixes of the broken link: ${titles}`);
    assert.ok(!titles.some((t) => t.includes('redirect')), `a wiki without redirects is offered none: ${titles}`);
  });

  test('redirect pages are not orphaned articles, and the article they lead to is linked', () => {
    const w = wikiOf({ '/wiki/Mutualism.md': '# Mutualism\n', '/wiki/Mutualist_Economics.md': '#REDIRECT [[Mutualism]]\n', '/wiki/Lonely.md': '# Lonely\n' });
    assert.deepEqual(w.orphans().map((a) => a.rel), ['Lonely.md']);
  });
});

describe('features through redirect pages', () => {
  const files: Record<string, string> = {
    'Mutualism.md': '# Mutualism\n\nAn economic theory of reciprocity.\n\n## History\n\nProudhon wrote of it.\n',
    'Mutualist_Economics.md': '1.  REDIRECT [Mutualism](Mutualism "wikilink")\n',
    'Reader.md': '# Reader\n\nSee [[Mutualist Economics]] and [[Mutualist Economics#History]].\n',
    'Direct.md': '# Direct\n\nSee [[Mutualism#History]].\n',
  };
  async function service(): Promise<WikiService> {
    const s = new WikiService(new InMemoryWorkspace(['/wiki'], files), mergeSettings({}));
    await s.buildIndex();
    s.open('/wiki/Reader.md', files['Reader.md'], 1);
    return s;
  }
  const at = (needle: string, delta = 2) => {
    const before = files['Reader.md'].slice(0, files['Reader.md'].indexOf(needle) + delta).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  };

  test('hover on a link to a redirect page previews the article it leads to and says where from', async () => {
    const s = await service();
    const md = s.hover('/wiki/Reader.md', at('[[Mutualist Economics]]'))!.markdown;
    assert.match(md, /^\*\*Mutualism\*\*/);
    assert.match(md, /\*Redirected from 'Mutualist Economics'\*/);
    assert.match(md, /An economic theory of reciprocity\./);
    assert.doesNotMatch(md, /REDIRECT/);
    assert.match(md, /\*2 articles link here\*$/, 'Direct, and Reader through the redirect; not the redirect page itself');
    assert.match(s.hover('/wiki/Reader.md', at('[[Mutualist Economics#'))!.markdown, /› History[\s\S]*Proudhon wrote of it\./);
  });

  test('go to definition lands on the article (and heading) a redirect page leads to', async () => {
    const s = await service();
    assert.deepEqual(s.definition('/wiki/Reader.md', at('[[Mutualist Economics]]')).map((l) => [l.path, l.range.start.line]), [['/wiki/Mutualism.md', 0]]);
    assert.deepEqual(s.definition('/wiki/Reader.md', at('[[Mutualist Economics#')).map((l) => [l.path, l.range.start.line]), [['/wiki/Mutualism.md', 4]]);
  });

  test('backlinks of an article list the links to its redirect pages, marked, and its code lenses count them', async () => {
    const s = await service();
    const list = s.backlinks('/wiki/Mutualism.md')!.map((b) => `${b.path.slice(6)}:${b.range.start.character}${b.via ? ' via ' + b.via : ''}`);
    assert.deepEqual(list, ['Direct.md:4', 'Mutualist_Economics.md:13', 'Reader.md:4 via Mutualist Economics', 'Reader.md:32 via Mutualist Economics']);
    const lenses = codeLenses(s.wiki, s.article('/wiki/Mutualism.md')!).map((l) => l.title);
    assert.deepEqual(lenses, ['4 backlinks', '2 links to this section']);
    const refs = s.references('/wiki/Mutualism.md', { line: 4, character: 4 }, false).map((l) => `${l.path.slice(6)}:${l.range.start.character}`);
    assert.deepEqual(refs, ['Direct.md:4', 'Reader.md:32'], 'the links to the section, through the redirect too');
  });

  test('completion after [[Redirect# offers the headings of the article it leads to, and [[ says where a redirect leads', async () => {
    const s = await service();
    const text = 'See [[Mutualist Economics#';
    s.open('/wiki/New.md', text, 1);
    assert.deepEqual(s.completion('/wiki/New.md', { line: 0, character: text.length })!.items.map((i) => i.label), ['History']);
    s.change('/wiki/New.md', 'See [[Mutualist', 2);
    const item = s.completion('/wiki/New.md', { line: 0, character: 15 })!.items.find((i) => i.label === 'Mutualist Economics')!;
    assert.equal(item.detail, 'redirect to Mutualism · Mutualist_Economics.md');
    assert.match(String((s.resolveCompletion(item).documentation as { value: string }).value), /^\*Redirects to Mutualism\*\n\nAn economic theory/);
  });

  test('Go to Symbol in Workspace finds a redirect page\'s title as another name of the article it leads to', async () => {
    const s = await service();
    const found = s.workspaceSymbols('Mutualist Econ').find((x) => x.name === 'Mutualist Economics');
    assert.deepEqual(found && { container: found.containerName, path: found.location.path, line: found.location.range.start.line }, { container: 'redirect to Mutualism', path: '/wiki/Mutualism.md', line: 0 });
  });

  test('renaming a heading rewrites the links to it through a redirect page', () => {
    const all: Files = Object.fromEntries(Object.entries(files).map(([rel, t]) => ['/wiki/' + rel, t]));
    const { text, offset } = cursor('# Mutualism\n\nAn economic theory of reciprocity.\n\n## Hi‸story\n\nProudhon wrote of it.\n');
    all['/wiki/Mutualism.md'] = text;
    const wiki = wikiOf(all);
    const edit = rename(wiki, page(wiki, 'Mutualism.md'), text, offset, 'Origins', { read: readerOf(all) });
    const after = applyToFiles(all, edit);
    assert.equal(after['/wiki/Reader.md'], '# Reader\n\nSee [[Mutualist Economics]] and [[Mutualist Economics#Origins]].\n');
    assert.equal(after['/wiki/Direct.md'], '# Direct\n\nSee [[Mutualism#Origins]].\n');
  });

  test('a redirect pointed elsewhere on disk updates the problems of an open article that links through it', async () => {
    const s = await service();
    const ws = (s as unknown as { workspace: InMemoryWorkspace }).workspace;
    ws.files.set('/wiki/Mutualist_Economics.md', '1.  REDIRECT [Direct](Direct "wikilink")\n');
    const changed = s.fileChanged('/wiki/Mutualist_Economics.md');
    assert.ok(changed.affected.has('/wiki/Reader.md'), `the open article is among those affected: ${[...changed.affected]}`);
    assert.deepEqual(s.problems('/wiki/Reader.md').map((p) => p.message), ["No heading 'History' in 'Direct' (where 'Mutualist Economics' redirects)"]);
  });

  test('a heading renamed on disk updates the problems of an open article that links to it through a redirect', async () => {
    const s = await service();
    assert.deepEqual(s.problems('/wiki/Reader.md'), []);
    const ws = (s as unknown as { workspace: InMemoryWorkspace }).workspace;
    ws.files.set('/wiki/Mutualism.md', '# Mutualism\n\n## Origins\n');
    const changed = s.fileChanged('/wiki/Mutualism.md');
    assert.ok(changed.affected.has('/wiki/Reader.md'), `the open article is among those affected: ${[...changed.affected]}`);
    assert.deepEqual(s.problems('/wiki/Reader.md').map((p) => p.message), ["No heading 'History' in 'Mutualism' (where 'Mutualist Economics' redirects)"]);
  });
});
