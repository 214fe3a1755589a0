// The lists about the whole wiki: orphaned articles (no link from another) and wanted ones, how little an edit makes them redo, and the wait for the complete index they need.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeSettings } from '../../server/src/core/settings';
import { WikiService } from '../../server/src/core/service';
import { Wiki } from '../../server/src/core/wiki';
import { InMemoryWorkspace } from '../../server/src/core/workspace';

function wiki(files: Record<string, string>): Wiki {
  const w = new Wiki(['/wiki']);
  for (const [rel, text] of Object.entries(files)) w.upsert(`/wiki/${rel}`, text);
  return w;
}
const titles = (w: Wiki) => w.orphans().map((a) => a.title);

describe('orphaned articles', () => {
  test('an article linked from another in any syntax is not an orphan; one linked only from itself is', () => {
    const w = wiki({
      'Home.md': '# Home\n\n[[Mutual Aid]], [d](Dual_Power.md), <a href="Commune" class="wikilink">c</a> and ![[Kronstadt#History]].\n',
      'Mutual_Aid.md': '# Mutual Aid\n\nSee [[Mutual Aid]] and [[#Top]].\n',
      'Dual_Power.md': '# Dual Power\n',
      'Commune.md': '# Commune\n',
      'Kronstadt.md': '# Kronstadt\n\n## History\n',
      'Lonely.md': '# Lonely\n\nIt links to itself: [[Lonely]].\n',
    });
    assert.deepEqual(titles(w), ['Home', 'Lonely']);
  });

  test('a link through an alias counts; a category membership and an ambiguous link do not', () => {
    const w = wiki({
      'Home.md': '# Home\n\n[[Anarcho]] and [[Category:Theory]] and [[Twin]].\n',
      'Anarchism.md': '---\naliases: [Anarcho]\n---\n# Anarchism\n',
      'Theory.md': '# Theory\n',
      'a/Twin.md': '# Twin\n',
      'b/Twin.md': '# Twin\n',
    });
    assert.equal(w.resolveTarget('Twin', w.articles.get('/wiki/Home.md')!).kind, 'ambiguous', 'the test needs an ambiguous link');
    assert.deepEqual(
      w.orphans().map((a) => a.rel),
      ['Home.md', 'Theory.md', 'a/Twin.md', 'b/Twin.md'],
    );
  });

  test('pages of MediaWiki\'s other namespaces and the main page are not articles to link, and are not listed', () => {
    const w = wiki({
      'Main_Page.md': '# Main Page\n',
      'README.md': '# Our wiki\n',
      'File/File:Logo.png.md': '# File:Logo.png\n',
      'Template:Cite.md': '# Template:Cite\n',
      'User_talk:Ann.md': '# User talk:Ann\n',
      'Category_talk:Theory.md': '# Category talk:Theory\n',
      'Marxism:_A_Critique.md': '# Marxism: A Critique\n',
      'sub/README.md': '# Not at the top\n',
    });
    assert.deepEqual(titles(w), ['Marxism: A Critique', 'Not at the top']);
  });

  test('orphans.exclude leaves out the articles its globs name, relative to the folder', () => {
    const w = new Wiki(['/wiki'], mergeSettings({ orphansExclude: ['drafts/**', 'Start.md'] }));
    for (const rel of ['drafts/Idea.md', 'Start.md', 'Lonely.md', 'sub/Start.md']) w.upsert(`/wiki/${rel}`, `# ${rel}\n`);
    assert.deepEqual(w.orphans().map((a) => a.rel), ['Lonely.md', 'sub/Start.md']);
  });

  test('an edit that removes the only link makes an orphan, and one that adds it back clears it', () => {
    const w = wiki({ 'Home.md': '# Home\n\n[[Commune]]\n', 'Commune.md': '# Commune\n\n[[Home]]\n' });
    assert.deepEqual(titles(w), []);
    w.upsert('/wiki/Home.md', '# Home\n\nNo link now.\n');
    assert.deepEqual(titles(w), ['Commune']);
    w.upsert('/wiki/Home.md', '# Home\n\nAgain [[commune]].\n');
    assert.deepEqual(titles(w), []);
    w.upsert('/wiki/Commune.md', '---\ntitle: The Commune\n---\nRetitled, still found by its file name; back to [[Home]].\n');
    assert.deepEqual(titles(w), []);
    w.remove('/wiki/Home.md');
    assert.deepEqual(titles(w), ['The Commune']);
  });

  test('after one edit, asking again resolves only the links of the edited article, not the wiki', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`A${i}.md`] = `# A${i}\n\n[[A${(i + 1) % 300}]] [[A0]] [[Missing ${i % 10}]]\n`;
    const w = wiki(files);
    w.orphans();
    w.wanted();
    w.upsert('/wiki/A5.md', '# A5\n\nNow only [[A200]] and [[Missing 3]] and [[New One]].\n');
    const before = w.stats.resolutions;
    assert.deepEqual(titles(w), ['A6'], 'A6 was linked only from A5');
    const wanted = w.wanted();
    const after = w.stats.resolutions - before;
    assert.ok(after <= 12, `${after} resolutions after one edit`);
    assert.deepEqual(wanted.find((x) => x.name === 'New One'), { name: 'New One', key: 'new one', count: 1, sources: [w.articles.get('/wiki/A5.md')] });
    assert.equal(wanted.find((x) => x.name === 'Missing 3')?.count, 31, '30 linkers of Missing 3, and A5 once more');
  });
});

describe('the lists and the resolver\'s memo', () => {
  test('a list over the whole wiki leaves the resolutions remembered for the open articles in place', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`A${i}.md`] = `# A${i}\n\n[[A${(i + 1) % 300}]] [[Missing ${i}]]\n`;
    const w = wiki(files);
    w.rememberResolutions = true;
    // A server's memo is bounded; the lists alone would fill this one many times over.
    w.maxRemembered = 50;
    const open = w.articles.get('/wiki/A7.md')!;
    const resolveOpen = () => open.syntax.links.map((l) => w.resolve(l, open).kind);
    resolveOpen();
    for (const list of ['orphans', 'wanted'] as const) {
      while (!w.warmList(list, () => false));
      const before = w.stats.resolutions;
      assert.deepEqual(resolveOpen(), ['article', 'missing']);
      assert.equal(w.stats.resolutions - before, 0, `the open article's links resolved afresh after the ${list} pass`);
    }
  });
});

describe('wanted articles', () => {
  test('are ranked by how many links want them, each linking article listed once', () => {
    const w = wiki({
      'A.md': '# A\n\n[[Vanguard]] [[vanguard]] [[Council]]\n',
      'B.md': '# B\n\n[[Vanguard]]\n',
    });
    assert.deepEqual(
      w.wanted().map((x) => `${x.name} ${x.count} ${x.sources.map((a) => a.title).join(',')}`),
      ['Vanguard 3 A,B', 'Council 1 A'],
    );
  });
});

describe('the lists found in slices', () => {
  for (const list of ['wanted', 'orphans'] as const) {
    test(`${list}: warming in slices, with edits between them, gives the lists a fresh index gives, and leaves the last call little to do`, () => {
      const texts = new Map<string, string>();
      for (let i = 0; i < 200; i++) texts.set(`/wiki/A${i}.md`, `# A${i}\n\n[[A${(i + 1) % 200}]] [[Gap ${i % 7}]]\n`);
      const w = new Wiki(['/wiki']);
      for (const [p, t] of texts) w.upsert(p, t);
      const edit = (p: string, t: string) => {
        texts.set(p, t);
        w.upsert(p, t);
      };
      let slices = 0;
      while (!w.warmList(list, () => true)) {
        slices++;
        // Between slices, an edit that cuts a link, and one that retitles an article: every link may now lead elsewhere.
        if (slices === 2) edit('/wiki/A10.md', '# A10\n\n[[Gap 99]]\n');
        if (slices === 4) edit('/wiki/A150.md', '---\ntitle: Renamed\n---\n[[A151]] [[Gap 1]]\n');
      }
      assert.ok(slices >= 6, `${slices} slices of 32 articles for 200`);
      const before = w.stats.resolutions;
      const seen = list === 'wanted' ? w.wanted().map((x) => `${x.name} ${x.count}`) : titles(w);
      assert.ok(w.stats.resolutions - before <= 4, `${w.stats.resolutions - before} resolutions left for the list itself`);
      const fresh = new Wiki(['/wiki']);
      for (const [p, t] of texts) fresh.upsert(p, t);
      assert.deepEqual(seen, list === 'wanted' ? fresh.wanted().map((x) => `${x.name} ${x.count}`) : titles(fresh));
      assert.ok(list === 'wanted' ? seen.includes('Gap 99 1') : seen.includes('A11'), 'the edit between slices shows');
    });
  }
});

describe('waiting for the complete index', () => {
  test('whenReady resolves once the build is done, and at once after', async () => {
    const s = new WikiService(new InMemoryWorkspace(['/wiki'], { 'A.md': '# A\n\n[[B]]\n', 'B.md': '# B\n' }), mergeSettings({}));
    let ready = false;
    const waiting = s.whenReady().then(() => (ready = s.state === 'ready'));
    await Promise.resolve();
    assert.equal(ready, false, 'nothing is ready before a build');
    await s.buildIndex();
    await waiting;
    assert.equal(ready, true, 'the index was complete when the wait ended');
    assert.equal(await Promise.race([s.whenReady().then(() => 'resolved'), new Promise((r) => setImmediate(() => r('pending')))]), 'resolved');
  });

  test('a build that fails ends the wait too, rather than leave a list request hanging for good', async () => {
    const broken = new InMemoryWorkspace(['/wiki'], { 'A.md': '# A\n' });
    broken.listFiles = () => {
      throw new Error('the disk went away');
    };
    const s = new WikiService(broken, mergeSettings({}));
    const waiting = s.whenReady().then(() => 'ended');
    await assert.rejects(s.buildIndex(), /the disk went away/);
    assert.equal(await Promise.race([waiting, new Promise((r) => setImmediate(() => r('still waiting')))]), 'ended');
  });
});
