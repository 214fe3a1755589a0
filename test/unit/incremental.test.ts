// The incremental index equals one rebuilt from scratch after random edit sequences, and one edit re-parses one article.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BacklinkCounts, codeLenses } from '../../server/src/core/features/codeLens';
import { Wiki, type Article } from '../../server/src/core/wiki';
import { articleProblems } from '../../server/src/core/diagnostics';
import { mergeSettings, type CaseMode } from '../../server/src/core/settings';
import { mulberry32 } from '../prng';

const prng = mulberry32;

const NAMES = ['Anarchism', 'Mutual Aid', 'Dual_Power', 'Kronstadt', "Workers' Council", 'Café', 'ApEx:XSS', 'Glossary', 'Commune', 'Syndicalism', 'Dup'];
const FOLDERS = ['', 'history/', 'people/'];
const HEADINGS = ['History', 'Early Life', 'See also', 'Über'];

function randomArticle(rnd: () => number, pick: <T>(xs: T[]) => T): string {
  // A redirect page now and then, in MediaWiki's and pandoc's forms: chains, loops and headings through them follow.
  if (rnd() < 0.12) {
    const name = pick(NAMES);
    const heading = rnd() < 0.3 ? '#' + pick(HEADINGS) : '';
    return rnd() < 0.5 ? `#REDIRECT [[${name}${heading}]]\n` : `1.  REDIRECT [${name}](${name.replace(/ /g, '_')}${heading} "wikilink")\n`;
  }
  const parts: string[] = [];
  if (rnd() < 0.3) parts.push(`---\ntitle: ${pick(NAMES).replace(/[:']/g, '')} ${Math.floor(rnd() * 3)}\naliases: [${pick(NAMES).replace(/[:']/g, '')}]\n---\n`);
  if (rnd() < 0.7) parts.push(`# ${pick(NAMES)}\n`);
  const n = Math.floor(rnd() * 6);
  for (let i = 0; i < n; i++) {
    const name = pick(NAMES);
    const spelled = rnd() < 0.3 ? name.toLowerCase() : rnd() < 0.5 ? name.replace(/ /g, '_') : name;
    const heading = rnd() < 0.25 ? '#' + pick(HEADINGS) : '';
    const dir = rnd() < 0.15 ? pick(FOLDERS) : rnd() < 0.05 ? '../' : '';
    const forms = [
      `[[${dir}${spelled}${heading}]]`,
      `[[${spelled}${heading}|label]]`,
      `[label](${encodeURI(dir + spelled.replace(/ /g, '_'))}.md${heading})`,
      `<a href="${dir}${spelled.replace(/ /g, '_').replace(/'/g, '&#39;')}.md" class="wikilink" title="t">label</a>`,
      `[label](${spelled.replace(/ /g, '_')} "wikilink")`,
      `[[Category:${spelled}]]`,
      `[[#${pick(HEADINGS)}]]`,
    ];
    parts.push(`Text ${pick(forms)} more.[^${Math.floor(rnd() * 3)}]\n`);
  }
  if (rnd() < 0.6) parts.push(`\n## ${pick(HEADINGS)}\n\nBody.\n`);
  if (rnd() < 0.5) parts.push(`\n[^${Math.floor(rnd() * 3)}]: A note.\n`);
  return parts.join('\n');
}

/** Everything observable about the index: the maps, and each article's problems and backlinks. */
function observe(w: Wiki) {
  const paths = [...w.articles.keys()].sort();
  return {
    snapshot: w.snapshot(),
    problems: paths.map((p) => [p, articleProblems(w, w.articles.get(p)!).map((x) => `${x.code} ${x.range.start.line}:${x.range.start.character} ${x.message}`)]),
    backlinks: paths.map((p) => [p, w.backlinks(w.articles.get(p)!).map((b) => `${b.source.path}@${b.link.span.start}`).sort()]),
    through: paths.map((p) => [p, w.backlinksThrough(w.articles.get(p)!).map((b) => `${b.source.path}@${b.link.span.start}${b.via ? ' via ' + b.via.path : ''}`).sort()]),
    wanted: w.wanted().map((x) => `${x.key} ${x.count} ${x.sources.map((a) => a.path).sort().join(",")}`).sort(),
    orphans: w.orphans().map((a) => a.path),
  };
}

function rebuild(files: Map<string, string>, caseMode: CaseMode): Wiki {
  const w = new Wiki(['/wiki'], mergeSettings({ caseMode }));
  for (const [p, text] of files) w.upsert(p, text);
  return w;
}

for (const caseMode of ['insensitive', 'first-letter', 'exact'] as CaseMode[]) {
  test(`random edit sequences applied incrementally equal a rebuild from scratch (${caseMode} names)`, () => {
    for (let seed = 1; seed <= 12; seed++) {
      const rnd = prng(seed * 7919 + caseMode.length);
      const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
      const randomPath = () => `/wiki/${pick(FOLDERS)}${pick(NAMES).replace(/ /g, rnd() < 0.5 ? '_' : ' ')}.md`;
      const files = new Map<string, string>();
      const w = new Wiki(['/wiki'], mergeSettings({ caseMode }));
      const log: string[] = [];
      for (let step = 0; step < 80; step++) {
        const existing = [...files.keys()];
        const r = rnd();
        if (r < 0.35 || existing.length === 0) {
          const p = randomPath();
          const text = randomArticle(rnd, pick);
          files.set(p, text);
          w.upsert(p, text);
          log.push(`add ${p}`);
        } else if (r < 0.7) {
          const p = pick(existing);
          const text = rnd() < 0.1 ? files.get(p)! : randomArticle(rnd, pick);
          files.set(p, text);
          w.upsert(p, text);
          log.push(`modify ${p}`);
        } else if (r < 0.85) {
          const p = pick(existing);
          files.delete(p);
          w.remove(p);
          log.push(`delete ${p}`);
        } else {
          const from = pick(existing);
          const to = randomPath();
          if (to === from) continue;
          const text = files.get(from)!;
          files.delete(from);
          files.set(to, text);
          w.remove(from);
          w.upsert(to, text);
          log.push(`rename ${from} -> ${to}`);
        }
        // Checking after every step pins a divergence to the edit that caused it.
        if (step % 5 === 4 || step === 79) {
          const seen = observe(w);
          assert.deepEqual(seen, observe(rebuild(files, caseMode)), `seed ${seed}, after: ${log.slice(-5).join('; ')}`);
          // Orphans told another way: the articles whose every backlink is from themselves.
          // Redirect pages are no articles to be orphaned.
          const lonely = seen.backlinks
            .filter(([p, links]) => w.articles.get(p as string)!.redirect === undefined && (links as string[]).every((l) => l.startsWith(p + '@')))
            .map(([p]) => p);
          assert.deepEqual([...seen.orphans].sort(), lonely, `seed ${seed}, after: ${log.slice(-5).join('; ')}`);
        }
      }
      assert.ok(files.size > 0, 'the sequence left some articles to compare');
    }
  });
}

test('code lens counts kept between random edits of open articles equal counts made afresh', () => {
  let kept = 0;
  for (let seed = 1; seed <= 12; seed++) {
    const rnd = prng(seed * 104729);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
    const w = new Wiki(['/wiki']);
    const memo = new BacklinkCounts();
    const texts = new Map<string, string>();
    const lenses = (a: Article, m?: BacklinkCounts) => codeLenses(w, a, texts.get(a.path), m).map((l) => `${l.range.start.line} ${l.title}`);
    for (let step = 0; step < 120; step++) {
      const existing = [...texts.keys()];
      const r = rnd();
      let p: string;
      if (r < 0.3 || !existing.length) {
        p = `/wiki/${pick(FOLDERS)}${pick(NAMES)}.md`;
        texts.set(p, randomArticle(rnd, pick));
      } else if (r < 0.8) {
        // Plain text typed, which leaves every link as it was: the counts kept must still be right.
        p = pick(existing);
        texts.set(p, (rnd() < 0.5 ? 'Words typed. ' : '') + texts.get(p)! + '\nMore words.\n');
      } else if (r < 0.92) {
        p = pick(existing);
        texts.set(p, randomArticle(rnd, pick));
      } else {
        p = pick(existing);
        texts.delete(p);
        w.remove(p);
        memo.forget(p);
        continue;
      }
      const epoch = w.linkEpoch;
      w.upsert(p, texts.get(p)!, { open: true });
      if (w.linkEpoch === epoch) kept++;
      for (const a of w.articles.values()) assert.deepEqual(lenses(a, memo), lenses(a), `seed ${seed} step ${step}: ${a.path}`);
    }
  }
  assert.ok(kept > 100, `plain edits kept the counts ${kept} times`);
});

test('the random sequences exercise links that resolve, break, turn ambiguous, and go through redirects', () => {
  const kinds = new Set<string>();
  for (let seed = 1; seed <= 20; seed++) {
    const rnd = prng(seed);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
    const w = new Wiki(['/wiki']);
    for (let i = 0; i < 12; i++) w.upsert(`/wiki/${pick(FOLDERS)}${pick(NAMES)}.md`, randomArticle(rnd, pick));
    for (const a of w.articles.values()) {
      for (const l of a.syntax.links) {
        const r = w.resolveThrough(l, a);
        kinds.add(r.kind);
        if (r.via) kinds.add(r.loop ? 'redirect loop' : 'through a redirect');
      }
      for (const p of articleProblems(w, a)) kinds.add(p.code);
    }
  }
  for (const k of ['article', 'missing', 'ambiguous', 'category', 'outside', 'through a redirect', 'redirect loop', 'double-redirect', 'broken-heading']) {
    assert.ok(kinds.has(k), `nothing was ${k}: ${[...kinds]}`);
  }
});

test('one edit to one article of a 200-article wiki parses exactly that article once', () => {
  const w = new Wiki(['/wiki']);
  for (let i = 0; i < 200; i++) {
    w.upsert(`/wiki/${i % 4 ? '' : 'sub/'}Article_${i}.md`, `# Article ${i}\n\nSee [[Article ${(i + 1) % 200}]] and [x](Article_${(i * 7) % 200}.md).\n`);
  }
  const others = new Map([...w.articles].filter(([p]) => p !== '/wiki/Article_5.md'));
  const before = w.stats.parses;
  w.upsert('/wiki/Article_5.md', '# Article 5\n\nNow it links to [[Article 150]] and [[Nowhere]].\n');
  assert.equal(w.stats.parses, before + 1);
  // Nobody else was re-analysed: the other articles are the very same objects.
  for (const [p, a] of others) assert.equal(w.articles.get(p), a, p);
  assert.equal(w.backlinks(w.articles.get('/wiki/Article_150.md')!).some((b) => b.source.path === '/wiki/Article_5.md'), true);
});

test('writing an article with unchanged text parses nothing', () => {
  const w = new Wiki(['/wiki']);
  w.upsert('/wiki/A.md', '# A\n[[B]]\n');
  const before = w.stats.parses;
  w.upsert('/wiki/A.md', '# A\n[[B]]\n');
  assert.equal(w.stats.parses, before);
});

test('creating and deleting an article parses only that article and flips its linkers', () => {
  const w = new Wiki(['/wiki']);
  for (let i = 0; i < 200; i++) w.upsert(`/wiki/L${i}.md`, `[[Target]] [[L${(i + 3) % 200}]]\n`);
  const before = w.stats.parses;
  w.upsert('/wiki/Target.md', '# Target\n');
  assert.equal(w.stats.parses, before + 1);
  assert.equal(w.linkersOfKeys(w.articles.get('/wiki/Target.md')!.keys).size, 200);
  assert.deepEqual(articleProblems(w, w.articles.get('/wiki/L0.md')!), []);
  w.remove('/wiki/Target.md');
  assert.equal(w.stats.parses, before + 1);
  assert.equal(articleProblems(w, w.articles.get('/wiki/L0.md')!).length, 1);
});
