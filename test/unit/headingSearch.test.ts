// The kept heading keys of workspace symbols (HeadingSearch): the same headings, ranks and order as a pass over every heading, and little work after an edit.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { plainHeadingText } from '../../server/src/core/decode';
import { HeadingSearch } from '../../server/src/core/features/symbols';
import { Match, matchKey, matcher, mustHold, needleForFull, type MatchRank } from '../../server/src/core/features/match';
import { buildIndex } from '../../server/src/core/indexer';
import { defaultSettings } from '../../server/src/core/settings';
import { headingFragment, headingsOf, htmlHeadingsOf, Wiki } from '../../server/src/core/wiki';
import { NodeWorkspace } from '../../server/src/core/workspace';
import { mulberry32 } from '../prng';

const ROOT = resolve(__dirname, '../..');
const OWASP = resolve(ROOT, '../shared/corpora/owasp-wiki');

/** Every heading the search visits, as path#index@rank, never stopping it. */
function visited(search: HeadingSearch, wiki: Wiki, query: string): string[] {
  const q = matchKey(query);
  const out: string[] = [];
  search.search(wiki, q, matcher(q), (rank, found) => {
    const { article, heading } = found();
    // By offset: a packed article's headings are decoded anew on each call, so not by identity. An HTML heading as `#h<n>`.
    const i = headingsOf(article).findIndex((h) => h.span.start === heading.span.start);
    out.push(`${article.path}#${i >= 0 ? i : `h${htmlHeadingsOf(article).findIndex((h) => h.span.start === heading.span.start)}`}@${rank}`);
    return true;
  });
  return out;
}

/** The same by the plain way: every heading of every article keyed and ranked in turn, the title's heading left out. */
function everyHeading(wiki: Wiki, query: string): string[] {
  const q = matchKey(query);
  const rankOf = matcher(q);
  const out: string[] = [];
  for (const a of wiki.allArticles()) {
    headingsOf(a).forEach((h, i) => {
      if (a.titleSpan && h.span.start === a.titleSpan.start) return;
      const rank = q ? rankOf(matchKey(plainHeadingText(h.text))) : Match.Prefix;
      if (rank >= 0) out.push(`${a.path}#${i}@${rank}`);
    });
    // Then its HTML headings (pandoc keeps a MediaWiki page's headings in tables as `<h2>`).
    htmlHeadingsOf(a).forEach((h, i) => {
      const rank = q ? rankOf(matchKey(plainHeadingText(h.text))) : Match.Prefix;
      if (rank >= 0) out.push(`${a.path}#h${i}@${rank}`);
    });
  }
  return out;
}

const QUERIES = ['', 'a', 'e', 'in', 'injection', 'sql inj', 'xss', 'the', 'top 10', 'ö', 'é', 'mutual aid', 'criticism', 'tst', 'zqxj', 'a b c', '  Testing   Guide '];

function built(dir: string, workers: number): Wiki {
  const settings = defaultSettings();
  const ws = new NodeWorkspace([dir], settings);
  const wiki = new Wiki(ws.folders, settings);
  buildIndex(wiki, ws, { workers, log: () => {} });
  return wiki;
}

test('on the example wiki, the search visits the headings a pass over every heading ranks, in its order', () => {
  const wiki = built(join(ROOT, 'example-wiki'), 0);
  const search = new HeadingSearch();
  let matched = 0;
  for (const q of QUERIES) {
    const want = everyHeading(wiki, q);
    assert.deepEqual(visited(search, wiki, q), want, `query ${JSON.stringify(q)}`);
    if (q) matched += want.length;
  }
  assert.ok(matched > 20, `${matched} headings matched`);
});

test('on owasp-wiki, packed by the workers, the search visits the headings a pass over every heading ranks, in its order', (t) => {
  if (!existsSync(OWASP)) return t.skip(`corpus ${OWASP} is absent`);
  const wiki = built(OWASP, 2);
  const search = new HeadingSearch();
  for (const q of QUERIES) assert.deepEqual(visited(search, wiki, q), everyHeading(wiki, q), `query ${JSON.stringify(q)}`);
  // Real headings with markup, entities and non-ASCII letters were among them, and HTML headings.
  assert.ok(everyHeading(wiki, 'injection').length > 100);
  assert.ok(everyHeading(wiki, 'how does it work').some((x) => x.includes('#h')), 'an HTML heading among them');
});

/**
 * The best `max` headings as a capped list keeps them (each rank's first `max`, in order), the search told what keys
 * must hold once the best ranks fill the list (the query, or its longest word), as completion and workspace symbols tell it.
 */
function best(search: HeadingSearch, wiki: Wiki, query: string, max: number): { list: string[]; narrowed: Set<string> } {
  const q = matchKey(query);
  const buckets: string[][] = [[], [], [], [], [], []];
  const narrowed = new Set<string>();
  search.search(
    wiki,
    q,
    matcher(q),
    (rank, found) => {
      if (rank < 0 || buckets[rank].length >= max) return true;
      const { article, heading } = found();
      const i = headingsOf(article).findIndex((h) => h.span.start === heading.span.start);
      buckets[rank].push(`${article.path}#${i >= 0 ? i : `h${htmlHeadingsOf(article).findIndex((h) => h.span.start === heading.span.start)}`}@${rank}`);
      return true;
    },
    undefined,
    () => {
      const needle = needleForFull(q, buckets, max);
      if (needle !== undefined) narrowed.add(`${needle.wordStart ? 'word start: ' : ''}${needle.text}`);
      return needle;
    },
  );
  return { list: buckets.flat().slice(0, max), narrowed };
}

test('on owasp-wiki, a capped list told to look only at keys that could still enter it once its best ranks are full keeps the same best headings', (t) => {
  if (!existsSync(OWASP)) return t.skip(`corpus ${OWASP} is absent`);
  const wiki = built(OWASP, 0);
  const search = new HeadingSearch();
  let narrowed = 0;
  let byLine = 0;
  let byWordStart = 0;
  for (const q of [...QUERIES, 'histo', 'secur', 'test guide', 'test g', 'owasp t', 'web app sec']) {
    const every = everyHeading(wiki, q);
    const ranked = every.map((x, i) => ({ x, i, rank: Number(x.slice(x.lastIndexOf('@') + 1)) })).sort((a, b) => a.rank - b.rank || a.i - b.i).map((r) => r.x);
    for (const max of [5, 20, 100]) {
      const found = best(search, wiki, q, max);
      assert.deepEqual(found.list, ranked.slice(0, max), `query ${JSON.stringify(q)}, ${max} items`);
      if (found.narrowed.size) narrowed++;
      if ([...found.narrowed].some((n) => n.startsWith('\n'))) byLine++;
      if ([...found.narrowed].some((n) => n.startsWith('word start: '))) byWordStart++;
    }
  }
  assert.ok(narrowed > 20, `the search narrowed in ${narrowed} of 69 searches`);
  assert.ok(byLine > 10, `the search narrowed to keys starting with the query (or equal to it) in ${byLine} searches`);
  assert.ok(byWordStart > 5, `the search narrowed to keys where a word starts with the query (or its longest word) in ${byWordStart} searches`);
});

test('on random wikis of accented, numbered and punctuated headings, a capped list keeps the best headings a pass over every heading ranks, for queries cut from them and made up', () => {
  const random = mulberry32(20261207);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const WORDS = ['history', 'histoire', 'Hïstory', 'of', 'the', 'open', 'opening', 'öffnung', 'éa', 'é', 'e', 'a1', '2024', 'x-ray', "o'neil", 'Σοφία', 'ω', 'h', 'zz'];
  for (let round = 0; round < 6; round++) {
    const wiki = new Wiki(['/w'], defaultSettings());
    const headings: string[] = [];
    for (let a = 0; a < 700; a++) {
      const lines = [`# Article ${a}`];
      for (let h = Math.floor(random() * 4); h > 0; h--) {
        const heading = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(WORDS)).join(pick([' ', ' ', '  ', '-', ': ']));
        headings.push(heading);
        lines.push(`\n${'#'.repeat(2 + Math.floor(random() * 2))} ${heading}\n\ntext`);
      }
      wiki.upsert(`/w/Article_${a}.md`, lines.join('\n') + '\n');
    }
    const search = new HeadingSearch();
    const queries = ['', 'h', 'his', 'history o', 'e a', 'ö', 'σο', '20', 'x-r', "o'n"];
    for (let i = 0; i < 20; i++) {
      const heading = pick(headings);
      const from = Math.floor(random() * heading.length);
      queries.push(heading.slice(from, from + 1 + Math.floor(random() * 8)), heading);
    }
    for (const q of queries) {
      const every = everyHeading(wiki, q);
      const ranked = every.map((x, i) => ({ x, i, rank: Number(x.slice(x.lastIndexOf('@') + 1)) })).sort((a, b) => a.rank - b.rank || a.i - b.i).map((r) => r.x);
      assert.deepEqual(visited(search, wiki, q), every, `round ${round}, query ${JSON.stringify(q)}, every heading`);
      for (const max of [1, 3, 10, 50]) assert.deepEqual(best(search, wiki, q, max).list, ranked.slice(0, max), `round ${round}, query ${JSON.stringify(q)}, ${max} items`);
    }
  }
});

test('a key must start its line with the query to rank as a prefix, hold it where a word starts to rank as a word prefix, its longest word where a word starts to rank as words and anywhere as a substring, and nothing to rank as letters in order', () => {
  const q = 'web app sec';
  assert.deepEqual(mustHold(q, Match.Exact), { text: '\nweb app sec\n', wordStart: false });
  assert.deepEqual(mustHold(q, Match.Prefix), { text: '\nweb app sec', wordStart: false });
  assert.deepEqual(mustHold(q, Match.WordPrefix), { text: q, wordStart: true });
  assert.deepEqual(mustHold(q, Match.Words), { text: 'web', wordStart: true }); // the first of the longest
  assert.deepEqual(mustHold(q, Match.Substring), { text: 'web', wordStart: false });
  assert.equal(mustHold(q, Match.Subsequence), undefined);
  assert.equal(mustHold('a sentence', Match.Words)?.text, 'sentence');
  // Every key of a rank, in a line of its own, holds what that rank must, and so what every worse rank must.
  const rankOf = matcher(q);
  const keys = ['web app sec', 'web app security', 'the web app sec guide', 'web application security', 'cobweb app sec', 'wide bay apple spec'];
  const ranks = keys.map((k) => rankOf(k));
  assert.deepEqual(ranks, [Match.Exact, Match.Prefix, Match.WordPrefix, Match.Words, Match.Substring, Match.Subsequence]);
  keys.forEach((key, i) => {
    for (let r = ranks[i]; r < Match.Subsequence; r++) {
      const { text, wordStart } = mustHold(q, r as MatchRank)!;
      const line = `\n${key}\n`;
      let at = line.indexOf(text);
      while (at >= 0 && wordStart && !/[\s/(\-:.,'"’]/.test(line[at - 1])) at = line.indexOf(text, at + 1);
      assert.ok(at >= 0, `${key} holds what rank ${r} must`);
    }
  });
  // A list full through some rank wants only better ones: what the rank before must hold.
  assert.deepEqual(needleForFull(q, [[], [1], [1], [], [], []], 2), { text: '\nweb app sec', wordStart: false });
  assert.deepEqual(needleForFull(q, [[], [1], [], [1], [], []], 2), { text: q, wordStart: true });
  assert.deepEqual(needleForFull(q, [[], [], [], [1], [1], []], 2), { text: 'web', wordStart: true });
  assert.equal(needleForFull(q, [[], [1], [], [], [], [1, 1, 1]], 2), undefined);
});

/** A wiki of `n` articles with two headings each, several segments long. */
function manyArticles(n: number): Wiki {
  const wiki = new Wiki(['/w'], defaultSettings());
  for (let i = 0; i < n; i++) wiki.upsert(`/w/Article_${i}.md`, `# Article ${i}\n\n## Harvest ${i}\n\ntext\n\n## Winter **${i % 7}**\n`);
  return wiki;
}

test('after an edit, a query keys the edited article alone and joins one run of articles, and finds what the edit wrote', () => {
  const wiki = manyArticles(3000);
  const search = new HeadingSearch();
  assert.deepEqual(visited(search, wiki, 'harvest 1234'), ['/w/Article_1234.md#1@0']);
  const keyed = search.stats.articlesKeyed;
  const joined = search.stats.segmentsJoined;
  assert.equal(keyed, 3000);
  wiki.upsert('/w/Article_1234.md', '# Article 1234\n\n## Gleaning 1234\n');
  assert.deepEqual(visited(search, wiki, 'harvest 1234'), []);
  assert.deepEqual(visited(search, wiki, 'gleaning 1234'), ['/w/Article_1234.md#1@0']);
  assert.equal(search.stats.articlesKeyed - keyed, 1, 'only the edited article was keyed again');
  assert.equal(search.stats.segmentsJoined - joined, 1, 'only its run of articles was joined again');
  assert.equal(search.stats.walks, 1, 'and the wiki\'s articles were not walked again: the edit replaced one in place');
  // A query with nothing changed does no work at all.
  visited(search, wiki, 'winter');
  assert.equal(search.stats.segmentsJoined - joined, 1);
});

test('edits to several articles in a row are each taken in, and an article added makes the next query walk the wiki again', () => {
  const wiki = manyArticles(1500);
  const search = new HeadingSearch();
  visited(search, wiki, 'winter');
  for (const i of [3, 700, 3, 1499]) wiki.upsert(`/w/Article_${i}.md`, `# Article ${i}\n\n## Gleaning ${i} again\n`);
  assert.deepEqual(visited(search, wiki, 'gleaning').map((x) => x.split('#')[0]), ['/w/Article_3.md', '/w/Article_700.md', '/w/Article_1499.md']);
  assert.equal(search.stats.walks, 1);
  wiki.upsert('/w/Brand_new.md', '# Brand new\n\n## Gleaning here\n');
  assert.deepEqual(visited(search, wiki, 'gleaning').map((x) => x.split('#')[0]), ['/w/Article_3.md', '/w/Article_700.md', '/w/Article_1499.md', '/w/Brand_new.md']);
  assert.equal(search.stats.walks, 2);
});

test('articles removed and added are searched as the wiki now holds them', () => {
  const wiki = manyArticles(1500);
  const search = new HeadingSearch();
  visited(search, wiki, 'winter');
  wiki.remove('/w/Article_7.md');
  wiki.remove('/w/Article_1400.md');
  wiki.upsert('/w/New.md', '# New\n\n## Winter again\n\n# Harvest home\n');
  wiki.upsert('/w/Article_7.md', '## Harvest 7 returns\n');
  for (const q of ['winter', 'harvest 7', 'harvest 1400', 'again', 'home', '']) assert.deepEqual(visited(search, wiki, q), everyHeading(wiki, q), `query ${q}`);
  assert.deepEqual(visited(search, wiki, 'harvest 7 ret'), ['/w/Article_7.md#0@1']);
});

test('the search stops as soon as the visitor says so', () => {
  const wiki = manyArticles(1200);
  let visits = 0;
  new HeadingSearch().search(wiki, 'winter', matcher('winter'), () => ++visits < 5);
  assert.equal(visits, 5);
});

/** A `timeUp` for HeadingSearch.warm that says the time is up at its `n`th question. */
function upAfter(n: number): () => boolean {
  let asked = 0;
  return () => ++asked >= n;
}

test('warming in slices keys each article once, and the query after it keys and joins nothing more', () => {
  const wiki = manyArticles(3000);
  const search = new HeadingSearch();
  let slices = 1;
  while (!search.warm(wiki, upAfter(2))) slices++;
  // 3,000 articles, asked every 64: a slice of 128 articles, about 24 of them.
  assert.ok(slices > 10, `${slices} slices`);
  assert.equal(search.stats.articlesKeyed, 3000);
  const joined = search.stats.segmentsJoined;
  assert.equal(joined, Math.ceil(3000 / 512));
  assert.deepEqual(visited(search, wiki, 'harvest 1234'), ['/w/Article_1234.md#1@0']);
  assert.equal(search.stats.articlesKeyed, 3000);
  assert.equal(search.stats.segmentsJoined, joined);
  assert.equal(search.warm(wiki, upAfter(1)), true, 'nothing is left to do');
});

test('an edit between two slices of warming is seen by the search that follows, and each article is keyed once more at most', () => {
  const wiki = manyArticles(3000);
  const search = new HeadingSearch();
  for (let i = 0; i < 15; i++) assert.equal(search.warm(wiki, upAfter(2)), false);
  const keyed = search.stats.articlesKeyed;
  assert.ok(keyed >= 1500 && keyed < 3000, `${keyed} keyed before the edit`);
  wiki.upsert('/w/Article_10.md', '# Article 10\n\n## Gleaning 10\n');
  wiki.remove('/w/Article_2999.md');
  while (!search.warm(wiki, upAfter(3)));
  for (const q of ['gleaning 10', 'harvest 10', 'harvest 2999', 'winter']) assert.deepEqual(visited(search, wiki, q), everyHeading(wiki, q), `query ${q}`);
  assert.deepEqual(visited(search, wiki, 'gleaning 10'), ['/w/Article_10.md#1@0']);
  // Every article keyed once (the removed one, not reached before it went, never), and the edited one once more.
  assert.equal(search.stats.articlesKeyed, 3000);
});

test('warming ends while articles keep coming between its slices, as while the index is built, and the search sees them all', () => {
  const wiki = manyArticles(3000);
  const search = new HeadingSearch();
  let slices = 1;
  for (; !search.warm(wiki, upAfter(2)); slices++) {
    assert.ok(slices < 200, 'warming never ended');
    wiki.upsert(`/w/Late_${slices}.md`, `# Late ${slices}\n\n## Harvest late ${slices}\n`);
  }
  for (const q of ['harvest late', 'harvest 2999', 'late 1']) assert.deepEqual(visited(search, wiki, q), everyHeading(wiki, q), `query ${q}`);
  assert.ok(everyHeading(wiki, 'harvest late').length >= 20);
});

test("the remembered fragment of an offered heading is headingFragment's, and an edited article's is found anew", () => {
  const wiki = new Wiki(['/w'], defaultSettings());
  wiki.upsert('/w/Notes.md', '# Notes\n\n## History\n\ntext\n\n## Later\n\n## History\n');
  const search = new HeadingSearch();
  const before = wiki.articles.get('/w/Notes.md')!;
  const second = headingsOf(before)[3];
  assert.equal(search.wikiFragment(before, second), headingFragment(before, second, true));
  assert.equal(search.wikiFragment(before, second), 'History_2', 'the second of two alike is numbered');
  // The first "History" renamed: the one that was second is now the only one, and its fragment is its words.
  wiki.upsert('/w/Notes.md', '# Notes\n\n## Origins\n\ntext\n\n## Later\n\n## History\n');
  const after = wiki.articles.get('/w/Notes.md')!;
  assert.notEqual(after, before);
  assert.equal(search.wikiFragment(after, headingsOf(after)[3]), 'History');
});
