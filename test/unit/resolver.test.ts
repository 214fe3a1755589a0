// The name resolution rules of the engine ("Resolving names" in issue 2), on in-memory wikis.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Wiki, type Article, type Resolution } from '../../server/src/core/wiki';
import { mergeSettings } from '../../server/src/core/settings';
import { articleProblems } from '../../server/src/core/diagnostics';

function wiki(files: Record<string, string>, settings: Record<string, unknown> = {}): Wiki {
  const w = new Wiki(['/wiki'], mergeSettings(settings));
  for (const [rel, text] of Object.entries(files)) w.upsert('/wiki/' + rel, text);
  return w;
}

/** Resolves a target as a link from `fromRel` would (the link is parsed from real markup, so decoding is included). */
function resolveMarkup(w: Wiki, markup: string, fromRel = 'Home.md'): Resolution[] {
  const from = w.upsert('/wiki/' + fromRel, `# From\n\n${markup}\n`);
  assert.ok(from.syntax.links.length > 0, `no link parsed in ${markup}`);
  return from.syntax.links.map((l) => w.resolve(l, from));
}

function one(w: Wiki, markup: string, fromRel?: string): Resolution {
  const rs = resolveMarkup(w, markup, fromRel);
  assert.equal(rs.length, 1, `expected one link in ${markup}`);
  return rs[0];
}

function relOf(r: Resolution): string {
  assert.equal(r.kind, 'article', `expected an article, got ${JSON.stringify({ ...r, article: undefined, candidates: undefined })}`);
  return (r as { article: Article }).article.rel;
}

const from = (w: Wiki, rel: string) => w.articles.get('/wiki/' + rel)!;
const target = (w: Wiki, t: string, fromRel = 'Home.md', heading?: string) => w.resolve({ target: t, heading }, from(w, fromRel));

describe('decoding and normalising targets', () => {
  const w = wiki({
    'Home.md': '# Home\n',
    'Mutual_Aid.md': '# Mutual Aid\n',
    "O'Brien.md": '# O’Brien\n',
    'Café.md': '# Café\n',
  });

  test('HTML entities in a target are decoded before lookup', () => {
    assert.equal(relOf(one(w, '[[Mutual&#95;Aid]]')), 'Mutual_Aid.md');
    assert.equal(relOf(one(w, '<a href="O&#39;Brien.md" class="wikilink" title="x">o</a>')), "O'Brien.md");
    assert.equal(relOf(one(w, '[o](O&apos;Brien.md)')), "O'Brien.md");
  });

  test('percent-escapes in a target are decoded before lookup', () => {
    assert.equal(relOf(one(w, '[m](Mutual%20Aid.md)')), 'Mutual_Aid.md');
    assert.equal(relOf(one(w, '[[Mutual%5FAid]]')), 'Mutual_Aid.md');
    assert.equal(relOf(one(w, '[c](Caf%C3%A9.md)')), 'Café.md');
  });

  test('underscores and spaces are the same character in a name', () => {
    assert.equal(relOf(target(w, 'Mutual Aid')), 'Mutual_Aid.md');
    assert.equal(relOf(target(w, 'Mutual_Aid')), 'Mutual_Aid.md');
    assert.equal(relOf(target(w, 'Mutual__ Aid')), 'Mutual_Aid.md');
  });

  test('a decomposed unicode target finds the NFC file name and the other way round', () => {
    assert.equal(relOf(target(w, 'Cafe\u0301')), 'Café.md');
    const d = wiki({ 'Home.md': '', 'Cafe\u0301.md': '' });
    assert.equal(relOf(target(d, 'Caf\u00e9')), 'Cafe\u0301.md');
  });

  test('.md may be present or absent in the target', () => {
    assert.equal(relOf(target(w, 'Mutual_Aid.md')), 'Mutual_Aid.md');
    assert.equal(relOf(target(w, 'Mutual_Aid')), 'Mutual_Aid.md');
    assert.equal(relOf(one(w, '[m](Mutual_Aid "wikilink")')), 'Mutual_Aid.md');
    assert.equal(relOf(one(w, '[m](<Mutual Aid.md>)')), 'Mutual_Aid.md');
  });
});

describe('case modes', () => {
  const files = { 'Home.md': '', 'Mutual_Aid.md': '', 'iPhone.md': '' };

  test('case is ignored by default', () => {
    const w = wiki(files);
    assert.equal(relOf(target(w, 'mUTUAL aid')), 'Mutual_Aid.md');
    assert.equal(relOf(target(w, 'IPHONE')), 'iPhone.md');
  });

  test('first-letter mode folds only the first letter, as MediaWiki does', () => {
    const w = wiki(files, { caseMode: 'first-letter' });
    assert.equal(relOf(target(w, 'mutual Aid')), 'Mutual_Aid.md');
    assert.equal(relOf(target(w, 'IPhone')), 'iPhone.md');
    assert.equal(target(w, 'mutual aid').kind, 'missing');
  });

  test('exact mode matches the name to the letter', () => {
    const w = wiki(files, { caseMode: 'exact' });
    assert.equal(relOf(target(w, 'Mutual Aid')), 'Mutual_Aid.md');
    assert.equal(target(w, 'mutual Aid').kind, 'missing');
    assert.equal(target(w, 'Mutual aid').kind, 'missing');
  });
});

describe('paths and bare titles', () => {
  const w = wiki({
    'Home.md': '',
    'Top.md': '',
    'history/Spanish_Revolution.md': '',
    'history/Index.md': '',
    'history/europe/Paris_Commune.md': '',
    'people/Emma Goldman.md': '---\ntitle: Red Emma\naliases: [E. G., "Goldman"]\n---\nText\n',
  });

  test('a path relative to the workspace folder finds the article in that subfolder', () => {
    assert.equal(relOf(target(w, 'history/Spanish Revolution')), 'history/Spanish_Revolution.md');
    assert.equal(relOf(target(w, 'history/europe/Paris_Commune.md')), 'history/europe/Paris_Commune.md');
  });

  test('a partial path finds an article in a deeper folder', () => {
    assert.equal(relOf(target(w, 'europe/Paris Commune')), 'history/europe/Paris_Commune.md');
  });

  test('../ climbs from the linking article and a leading / is rooted at the workspace folder', () => {
    assert.equal(relOf(target(w, '../Top', 'history/Index.md')), 'Top.md');
    assert.equal(relOf(target(w, '../../Top.md', 'history/europe/Paris_Commune.md')), 'Top.md');
    assert.equal(relOf(target(w, '/history/Spanish_Revolution', 'history/europe/Paris_Commune.md')), 'history/Spanish_Revolution.md');
    assert.equal(relOf(target(w, './Spanish_Revolution.md', 'history/Index.md')), 'history/Spanish_Revolution.md');
  });

  test('a title that starts with a dot is a title, not a relative path', () => {
    const d = wiki({ 'Home.md': '', 'sub/Page.md': '', '.NET.md': '', '.NET_Security.md': '' });
    assert.equal(relOf(target(d, '.NET')), '.NET.md');
    assert.equal(relOf(target(d, '.NET Security', 'sub/Page.md')), '.NET_Security.md');
  });

  test('../ above the workspace folder leads outside, not to an article', () => {
    assert.equal(target(w, '../x').kind, 'outside');
  });

  test('a bare title is found anywhere by file name', () => {
    assert.equal(relOf(target(w, 'Paris Commune')), 'history/europe/Paris_Commune.md');
    assert.equal(relOf(target(w, 'emma goldman')), 'people/Emma Goldman.md');
  });

  test('a bare title is found by front matter title or alias', () => {
    assert.equal(relOf(target(w, 'Red Emma')), 'people/Emma Goldman.md');
    assert.equal(relOf(target(w, 'e. g.')), 'people/Emma Goldman.md');
    assert.equal(relOf(target(w, 'Goldman')), 'people/Emma Goldman.md');
  });

  test('a title that two articles could mean is ambiguous and names both', () => {
    const d = wiki({ 'Home.md': '', 'a/Dup.md': '', 'b/Dup.md': '' });
    const r = target(d, 'Dup');
    assert.equal(r.kind, 'ambiguous');
    assert.deepEqual((r as { candidates: Article[] }).candidates.map((c) => c.rel).sort(), ['a/Dup.md', 'b/Dup.md']);
  });

  test('a title shared by a file name and another article\'s alias means the file', () => {
    const d = wiki({ 'Home.md': '', 'Anarchy.md': '', 'Other.md': '---\naliases: [Anarchy]\n---\n' });
    assert.equal(relOf(target(d, 'Anarchy')), 'Anarchy.md');
  });

  test('a title nobody has is missing and says which name it looked for', () => {
    const r = target(w, 'Vanguardism');
    assert.equal(r.kind, 'missing');
    assert.equal((r as { name: string }).name, 'Vanguardism');
  });
});

describe('headings', () => {
  const w = wiki({
    'Home.md': '# Home\n\n## Local Section\n',
    'Mutual_Aid.md': '# Mutual Aid\n\n## Early Life & Work\n\n### Über alles\n',
  });

  test('#Heading matches the heading text case-insensitively', () => {
    const r = target(w, 'Mutual Aid', 'Home.md', 'early life & WORK');
    assert.equal(r.kind, 'article');
    assert.equal((r as { heading?: { text: string } }).heading?.text, 'Early Life & Work');
  });

  test('a fragment that names two headings, one by its slug and a later one by its text, names the first', () => {
    const twice = wiki({ 'Home.md': '# Home\n', 'Lang.md': '# Lang\n\n## C++\n\n## C!\n' });
    const r = target(twice, 'Lang', 'Home.md', 'C!');
    assert.equal((r as { heading?: { text: string } }).heading?.text, 'C++', "'C!' slugs to 'c', the slug of the first");
    const later = target(twice, 'Lang', 'Home.md', 'c!');
    assert.equal((later as { heading?: { text: string } }).heading?.text, 'C++');
  });

  test('#heading matches the GitHub-style slug', () => {
    const r = target(w, 'Mutual Aid', 'Home.md', 'early-life--work');
    assert.equal((r as { heading?: { text: string } }).heading?.text, 'Early Life & Work');
    const u = target(w, 'Mutual Aid', 'Home.md', 'ÜBER-ALLES');
    assert.equal((u as { heading?: { text: string } }).heading?.text, 'Über alles');
  });

  test('#Heading with underscores for spaces matches, as MediaWiki writes it', () => {
    const r = target(w, 'Mutual Aid', 'Home.md', 'Early_Life_&_Work');
    assert.equal((r as { heading?: { text: string } }).heading?.text, 'Early Life & Work');
  });

  test('a repeated heading is named as GitHub and pandoc number it (`history-1`) and as MediaWiki does (`History_2`), packed or not', async () => {
    const texts = { 'Home.md': '# Home\n', 'Life.md': '# Life\n\n## History\n\n## Later\n\n### History\n\n### Release 1\n' };
    const { FactsDecoder, FactsEncoder } = await import('../../server/src/core/facts');
    const plain = wiki(texts);
    // The same wiki from packed records, as the index workers and the cache give closed articles.
    const enc = new FactsEncoder();
    for (const [rel, text] of Object.entries(texts)) enc.add(plain.analyse(`/wiki/${rel}`, text));
    const batch = enc.finish();
    const dec = new FactsDecoder(batch.ints, batch.strings);
    const packed = new Wiki(['/wiki']);
    while (!dec.done) packed.put(dec.article(dec.peek().at, () => '/wiki'));
    for (const w of [plain, packed]) {
      const line = (fragment: string) => {
        const r = target(w, 'Life', 'Home.md', fragment);
        return r.kind === 'article' && r.heading ? w.articles.get('/wiki/Life.md')!.lines.positionAt(r.heading.span.start).line : r.kind;
      };
      assert.equal(line('history'), 2);
      assert.equal(line('history-1'), 6);
      assert.equal(line('History_2'), 6);
      assert.equal(line('History 2'), 6);
      assert.equal((target(w, 'Life', 'Home.md', 'history-2') as { headingMissing?: boolean }).headingMissing, true, 'there is no third');
      assert.equal(line('release-1'), 8, 'a heading whose own text ends in a number is itself');
    }
  });

  test('an unknown heading is reported as missing on a found article', () => {
    const r = target(w, 'Mutual Aid', 'Home.md', 'Later Life');
    assert.equal(r.kind, 'article');
    assert.equal((r as { headingMissing?: boolean }).headingMissing, true);
  });

  test('[[#Heading]] looks in the linking article itself', () => {
    const [found, missing] = resolveMarkup(w, '## Local Section\n\n[[#Local Section]] [[#Mutual Aid]]', 'Self.md');
    assert.equal(relOf(found), 'Self.md');
    assert.equal((found as { heading?: { text: string } }).heading?.text, 'Local Section');
    assert.equal((missing as { headingMissing?: boolean }).headingMissing, true);
  });
});

describe('namespaces', () => {
  const w = wiki({ 'Home.md': '', 'ApEx:XSS.md': '# XSS\n', 'Mutual_Aid:_A_Factor_of_Evolution.md': '' });

  test('a prefixed target that names a real article is that article', () => {
    assert.equal(relOf(target(w, 'ApEx:XSS')), 'ApEx:XSS.md');
    assert.equal(relOf(target(w, 'Mutual Aid: A Factor of Evolution')), 'Mutual_Aid:_A_Factor_of_Evolution.md');
  });

  test('Category: targets are category memberships, never broken', () => {
    const r = target(w, 'Category:Anarchist_Theory');
    assert.equal(r.kind, 'category');
    assert.equal((r as { name: string }).name, 'Anarchist Theory');
    assert.equal(one(w, '<a href="Category:Anarchism.md" class="wikilink" title="c">c</a>').kind, 'category');
    assert.equal(target(w, ':category:Foo').kind, 'category');
  });

  test('Special: targets are generated pages, never broken', () => {
    assert.equal(target(w, 'Special:AllPages').kind, 'special');
    assert.equal(target(w, 'special:Random').kind, 'special');
  });

  test('interwiki prefixes from the default list are external in any case', () => {
    for (const t of ['wikipedia:Anarchism', 'Wikipedia:Anarchism', 'WIKT:freedom', 'w:Kropotkin', 'Commons:File.jpg', 'mw:Help', 'meta:Main', 'm:Main']) {
      assert.equal(target(w, t).kind, 'interwiki', t);
    }
  });

  test('the interwiki list comes from the setting', () => {
    const custom = wiki({ 'Home.md': '' }, { interwiki: ['LibCom'] });
    assert.equal(target(custom, 'libcom:Library').kind, 'interwiki');
    assert.equal(target(custom, 'wikipedia:Anarchism').kind, 'missing');
  });

  test('an unknown prefix without an article is an ordinary missing title', () => {
    assert.equal(target(w, 'Tankie:Nonsense').kind, 'missing');
  });
});

describe('file names that are hard to link', () => {
  const names = ["Bakunin's_God_and_the_State.md", 'Pierre-Joseph Proudhon.md', '2010_BASC:Sponsors.md', 'Ñandú_(ave).md', '日本のアナキズム.md', 'deep/er/Nested Page.md'];
  const w = wiki(Object.fromEntries([['Home.md', ''], ...names.map((n) => [n, '# T\n'])]));

  test('links in every syntax reach files with apostrophes, spaces, colons, unicode and subfolders', () => {
    const markups = [
      ["[[Bakunin's God and the State]]", names[0]],
      ['<a href="Bakunin&#39;s_God_and_the_State.md" class="wikilink" title="x">b</a>', names[0]],
      ['[p](Pierre-Joseph_Proudhon "wikilink")', names[1]],
      ['[p](<Pierre-Joseph Proudhon.md>)', names[1]],
      ['[s](2010_BASC:Sponsors "wikilink")', names[2]],
      ['[[2010 BASC:Sponsors]]', names[2]],
      ['[[ñandú (ave)]]', names[3]],
      ['[j](%E6%97%A5%E6%9C%AC%E3%81%AE%E3%82%A2%E3%83%8A%E3%82%AD%E3%82%BA%E3%83%A0.md)', names[4]],
      ['[[deep/er/Nested Page]]', names[5]],
      ['[[Nested_Page]]', names[5]],
    ];
    for (const [markup, rel] of markups) assert.equal(relOf(one(w, markup)), rel, markup);
  });
});

describe('confinement to the workspace', () => {
  const w = wiki({ 'Home.md': '', 'sub/Deep.md': '', 'etc/passwd.md': '# a page in the wiki' });

  test('[[../../etc/passwd]] climbs out and resolves to nothing', () => {
    assert.equal(one(w, '[[../../etc/passwd]]', 'sub/Deep.md').kind, 'outside');
    assert.equal(target(w, '../../../../../../etc/passwd').kind, 'outside');
  });

  test('/etc/passwd is rooted at the workspace folder, never the file system', () => {
    const r = target(w, '/etc/passwd');
    assert.ok(r.kind !== 'article' || (r.article.path.startsWith('/wiki/') && r.article.rel === 'etc/passwd.md'), JSON.stringify(r.kind));
    const empty = wiki({ 'Home.md': '' });
    assert.ok(['missing', 'outside'].includes(target(empty, '/etc/passwd').kind));
  });

  test('file:// URLs resolve to nothing', () => {
    assert.equal(target(w, 'file:///etc/passwd').kind, 'outside');
    // A file: URL in markdown syntax is an external link, not an article link at all; in [[…]] it must not resolve.
    const a = w.upsert('/wiki/F.md', '[p](file:///etc/passwd) [[file:///etc/passwd]]\n');
    assert.ok(a.syntax.links.every((l) => w.resolve(l, a).kind !== 'article'));
  });

  test('no resolution ever names an article outside the workspace folder', () => {
    for (const t of ['../../etc/passwd', '/etc/passwd', 'file:///etc/passwd', '..', '/..', '/../etc', 'sub/../../etc/passwd', '%2E%2E/%2E%2E/etc/passwd']) {
      const r = target(w, t, 'sub/Deep.md');
      if (r.kind === 'article') assert.ok(r.article.path.startsWith('/wiki/'), t);
      if (r.kind === 'attachment') assert.ok(r.path.startsWith('/wiki/'), t);
    }
  });
});

describe('articles left out of the index and uploaded files', () => {
  test('a link to an article too large to index is not broken, and its headings are not questioned', () => {
    const wiki = new Wiki(['/wiki']);
    wiki.addPlaceholder('/wiki/Huge_Article.md');
    const a = wiki.upsert('/wiki/A.md', 'See [[Huge Article]] and [[Huge Article#Some Section]].\n');
    assert.deepEqual(articleProblems(wiki, a), []);
    const r = wiki.resolve(a.syntax.links[1], a);
    assert.equal(r.kind === 'article' && r.article.path, '/wiki/Huge_Article.md');
  });

  test('a MediaWiki File: link finds the uploaded file by its name', () => {
    const wiki = new Wiki(['/wiki']);
    wiki.addAttachment('/wiki/images/Slack_Logo.png');
    const a = wiki.upsert('/wiki/A.md', '[[File:Slack Logo.png]] and [[File:Missing.png]]\n');
    assert.deepEqual(wiki.resolve(a.syntax.links[0], a), { kind: 'attachment', path: '/wiki/images/Slack_Logo.png' });
    assert.equal(wiki.resolve(a.syntax.links[1], a).kind, 'missing');
  });
});

describe('a file\'s bare name', () => {
  for (const remember of [false, true]) {
    test(`means the file beside the linking article first, then the one at the top, then any of that name (${remember ? 'with' : 'without'} the memo)`, () => {
      const w = new Wiki(['/wiki']);
      w.rememberResolutions = remember;
      for (const p of ['people/portrait.jpg', 'places/portrait.jpg', 'portrait.jpg', 'places/map.png']) w.addAttachment('/wiki/' + p);
      const at = (rel: string) => {
        const a = w.upsert('/wiki/' + rel, '![p](portrait.jpg) ![m](map.png)\n');
        return a.syntax.links.map((l) => { const r = w.resolve(l, a); return r.kind === 'attachment' ? r.path.slice('/wiki/'.length) : r.kind; });
      };
      // Asked from every directory in turn, so that a remembered answer from one cannot stand for another.
      assert.deepEqual(at('Home.md'), ['portrait.jpg', 'places/map.png']);
      assert.deepEqual(at('people/Marx.md'), ['people/portrait.jpg', 'places/map.png']);
      assert.deepEqual(at('places/Paris.md'), ['places/portrait.jpg', 'places/map.png']);
      assert.deepEqual(at('other/Note.md'), ['portrait.jpg', 'places/map.png']);
      assert.deepEqual(at('people/Engels.md'), ['people/portrait.jpg', 'places/map.png']);
    });
  }
});

describe('names that differ only in case', () => {
  test('a link whose case matches one article as MediaWiki folds names (first letter only) means that article', () => {
    const wiki = new Wiki(['/wiki']);
    wiki.upsert('/wiki/Threat_Agent.md', '# Threat Agent\n');
    wiki.upsert('/wiki/Threat_agent.md', '# Threat agent\n');
    const a = wiki.upsert('/wiki/A.md', '[a](threat_agent "wikilink") [b](Threat_Agent "wikilink") [c](THREAT_AGENT "wikilink")\n');
    const [lower, exact, upper] = a.syntax.links.map((l) => wiki.resolve(l, a));
    assert.equal(lower.kind === 'article' && lower.article.path, '/wiki/Threat_agent.md');
    assert.equal(exact.kind === 'article' && exact.article.path, '/wiki/Threat_Agent.md');
    assert.equal(upper.kind, 'ambiguous');
  });
});

describe('remembered resolutions', () => {
  const wiki = (files: Record<string, string>) => {
    const w = new Wiki(['/wiki'], mergeSettings({}));
    w.rememberResolutions = true;
    for (const [rel, text] of Object.entries(files)) w.upsert('/wiki/' + rel, text);
    return w;
  };

  test('a missing title resolves once its article is added, and is missing again once it is removed', () => {
    const w = wiki({ 'Home.md': '# Home\n\n[[Mutual Aid]]\n' });
    assert.equal(target(w, 'Mutual Aid').kind, 'missing');
    w.upsert('/wiki/Mutual_Aid.md', '# Mutual Aid\n');
    assert.equal(relOf(target(w, 'Mutual Aid')), 'Mutual_Aid.md');
    w.remove('/wiki/Mutual_Aid.md');
    assert.equal(target(w, 'Mutual Aid').kind, 'missing');
  });

  test('a title resolves by a front matter alias added later, and not after the alias is taken away', () => {
    const w = wiki({ 'Home.md': '# Home\n', 'Kropotkin.md': '# Kropotkin\n' });
    assert.equal(target(w, 'Peter Kropotkin').kind, 'missing');
    w.upsert('/wiki/Kropotkin.md', '---\naliases: [Peter Kropotkin]\n---\n# Kropotkin\n');
    assert.equal(relOf(target(w, 'Peter Kropotkin')), 'Kropotkin.md');
    w.upsert('/wiki/Kropotkin.md', '# Kropotkin\n');
    assert.equal(target(w, 'Peter Kropotkin').kind, 'missing');
  });

  test('an uploaded file added or removed changes where its link leads', () => {
    const w = wiki({ 'Home.md': '# Home\n' });
    assert.equal(target(w, 'logo.png').kind, 'missing');
    w.addAttachment('/wiki/logo.png');
    assert.deepEqual(target(w, 'logo.png'), { kind: 'attachment', path: '/wiki/logo.png' });
    w.removeAttachment('/wiki/logo.png');
    assert.equal(target(w, 'logo.png').kind, 'missing');
  });

  test('a new interwiki prefix in the settings makes a remembered missing title external', () => {
    const w = wiki({ 'Home.md': '# Home\n' });
    assert.equal(target(w, 'anarlib:Mutual Aid').kind, 'missing');
    w.settings = mergeSettings({ interwiki: ['anarlib'] });
    assert.deepEqual(target(w, 'anarlib:Mutual Aid'), { kind: 'interwiki', prefix: 'anarlib' });
  });

  test('a bare title means the article beside the linking one in its folder, and the top-level one from elsewhere', () => {
    const w = wiki({ 'Home.md': '# Home\n', 'history/Spain.md': '# Spain\n', 'Governance.md': '# Governance\n', 'places/Town.md': '# Town\n' });
    assert.equal(relOf(target(w, 'Governance', 'history/Spain.md')), 'Governance.md');
    w.upsert('/wiki/history/Governance.md', '# Governance in history\n');
    // Remembered from history/ before the subpage existed, it must not stay the top-level one there...
    assert.equal(relOf(target(w, 'Governance', 'history/Spain.md')), 'history/Governance.md');
    // ...while from the top and from another folder it still is.
    assert.equal(relOf(target(w, 'Governance', 'Home.md')), 'Governance.md');
    assert.equal(relOf(target(w, 'Governance', 'places/Town.md')), 'Governance.md');
    assert.equal(relOf(target(w, 'Governance', 'history/Spain.md')), 'history/Governance.md');
  });

  test('a heading added to a linked article is found, and is missing again once it is taken away', () => {
    const w = wiki({ 'Home.md': '# Home\n', 'Spain.md': '# Spain\n' });
    assert.equal((target(w, 'Spain', 'Home.md', 'History') as { headingMissing?: boolean }).headingMissing, true);
    w.upsert('/wiki/Spain.md', '# Spain\n\n## History\n');
    assert.equal((target(w, 'Spain', 'Home.md', 'History') as { heading?: { text: string } }).heading?.text, 'History');
    w.upsert('/wiki/Spain.md', '# Spain\n');
    assert.equal((target(w, 'Spain', 'Home.md', 'History') as { headingMissing?: boolean }).headingMissing, true);
  });

  test('an edit that keeps an article\'s names keeps what was remembered, and its links lead to the edited article', () => {
    const w = wiki({ 'Home.md': '# Home\n', 'Spain.md': '# Spain\n', 'Italy.md': '# Italy\n' });
    assert.equal(relOf(target(w, 'Spain')), 'Spain.md');
    assert.equal(relOf(target(w, 'Italy')), 'Italy.md');
    const fresh = w.stats.resolutions;
    w.upsert('/wiki/Spain.md', '# Spain\n\nMore text.\n');
    const r = target(w, 'Spain') as { article: Article };
    assert.equal(r.article, w.articles.get('/wiki/Spain.md'), 'the edited article, not the object it replaced');
    assert.equal(relOf(target(w, 'Italy')), 'Italy.md');
    assert.equal(w.stats.resolutions, fresh, 'nothing resolved afresh');
    w.upsert('/wiki/Spain.md', '---\naliases: [España]\n---\n# Spain\n');
    assert.equal(relOf(target(w, 'España')), 'Spain.md');
    assert.ok(w.stats.resolutions > fresh, 'a new alias is a new name: everything is resolved afresh');
  });

  test('an ambiguous link lists the edited articles after an edit that keeps their names', () => {
    const w = wiki({ 'Home.md': '# Home\n', 'a/Same.md': '# Same\n', 'b/Same.md': '# Same\n' });
    assert.equal(target(w, 'Same').kind, 'ambiguous');
    w.upsert('/wiki/a/Same.md', '# Same\n\nEdited.\n');
    const r = target(w, 'Same') as { kind: string; candidates: Article[] };
    assert.equal(r.kind, 'ambiguous');
    assert.deepEqual(r.candidates.map((c) => c === w.articles.get(c.path)), [true, true]);
  });

  test('once as many answers as allowed are remembered, all are forgotten, and links still resolve rightly', () => {
    const w = wiki({ 'Home.md': '# Home\n', 'Spain.md': '# Spain\n', 'Italy.md': '# Italy\n', 'Chile.md': '# Chile\n' });
    w.maxRemembered = 2;
    for (const t of ['Spain', 'Italy']) target(w, t);
    let fresh = w.stats.resolutions;
    assert.deepEqual(['Spain', 'Italy'].map((t) => relOf(target(w, t))), ['Spain.md', 'Italy.md']);
    assert.equal(w.stats.resolutions, fresh, 'both remembered');
    assert.equal(relOf(target(w, 'Chile')), 'Chile.md');
    fresh = w.stats.resolutions;
    assert.deepEqual(['Chile', 'Spain'].map((t) => relOf(target(w, t))), ['Chile.md', 'Spain.md']);
    assert.equal(w.stats.resolutions - fresh, 1, 'Chile was remembered after the others were forgotten; Spain is resolved again');
  });

  test('a relative path is resolved from each linking article\'s own folder', () => {
    const w = wiki({ 'Home.md': '# Home\n', 'a/Note.md': '# A note\n', 'b/Note.md': '# B note\n', 'a/From.md': '# From\n', 'b/From.md': '# From\n' });
    assert.equal(relOf(target(w, './Note.md', 'a/From.md')), 'a/Note.md');
    assert.equal(relOf(target(w, './Note.md', 'b/From.md')), 'b/Note.md');
  });
});

describe('titles', () => {
  const titleOf = (w: Wiki, rel: string) => w.articles.get(`/wiki/${rel}`)!.title;

  test('a heading that opens an article is its title; in a page exported from MediaWiki, only when it is the page\'s name', () => {
    const w = wiki({
      'kronstadt.md': '# Kronstadt Rebellion\n\nIn 1921.\n',
      'ASP.NET_Output_Encoding.md': '# Description\n\nSee [encoding](Encoding "wikilink").\n',
      'Los_Angeles.md': '# Welcome\n\n<a href="Chapters" class="wikilink">chapters</a>\n',
      'A_Country_Of_Ghosts.md': '# A Country of Ghosts\n\nA novel; see [[Anarchism]] and [x](Anarchism "wikilink").\n',
      'Front.md': '---\ntitle: Front Page\n---\n# Welcome\n\n[x](Y "wikilink")\n',
      'notes.md': '# My Notes\n\nSee [[Anarchism]] and [it](Anarchism.md).\n',
      'Chapters.md': "# Welcome\n\nSee [x](Y 'wikilink').\n",
    });
    assert.equal(titleOf(w, 'notes.md'), 'My Notes', 'wiki links and plain markdown links do not make an export');
    assert.equal(titleOf(w, 'Chapters.md'), 'Chapters', 'a title in single quotes marks a MediaWiki link too');
    assert.equal(titleOf(w, 'kronstadt.md'), 'Kronstadt Rebellion', 'a hand-written article: its heading');
    assert.equal(titleOf(w, 'ASP.NET_Output_Encoding.md'), 'ASP.NET Output Encoding', 'an exported page: its name, not its first section');
    assert.equal(titleOf(w, 'Los_Angeles.md'), 'Los Angeles');
    assert.equal(titleOf(w, 'A_Country_Of_Ghosts.md'), 'A Country of Ghosts', 'its name, as its heading writes it');
    assert.equal(titleOf(w, 'Front.md'), 'Front Page', 'front matter first');
  });
});
