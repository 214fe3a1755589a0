// A check split across index workers (each resolving its own articles' links against the others' stand-ins), and one in this thread without the server's index, find exactly the problems the one-thread index finds.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { checkWiki } from '../../server/src/core/check';
import { articleProblems } from '../../server/src/core/diagnostics';
import { buildIndex, checkWholeWiki } from '../../server/src/core/indexer';
import { mergeSettings, type CoreSettings } from '../../server/src/core/settings';
import { Wiki } from '../../server/src/core/wiki';
import { NodeWorkspace } from '../../server/src/core/workspace';

const corpora = resolve(__dirname, '../../../shared/corpora');

/** The problems of every article as the one-thread index finds them, in path order. */
function oneThread(dir: string, settings: CoreSettings) {
  const ws = new NodeWorkspace([dir], settings);
  const wiki = new Wiki(ws.folders, settings);
  buildIndex(wiki, ws, { workers: 0, log: () => {} });
  return [...wiki.articles.values()].sort((a, b) => (a.path < b.path ? -1 : 1)).map((a) => ({ path: a.path, problems: articleProblems(wiki, a) }));
}

function inWorkers(dir: string, settings: CoreSettings) {
  const ws = new NodeWorkspace([dir], settings);
  // From the first byte: a wiki this small would otherwise be checked in this thread (CHECK_IN_THREAD_BYTES).
  const result = checkWholeWiki(new Wiki(ws.folders, settings), ws, { workers: 2, checkInThreadBelow: 0, log: () => {} });
  assert.ok(result && result.report.workers! > 0, 'the check ran in workers');
  return result.articles.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** A check in this thread, analysing as the workers do (as a wiki under CHECK_IN_THREAD_BYTES is checked). */
function checkedHere(dir: string, settings: CoreSettings) {
  const ws = new NodeWorkspace([dir], settings);
  const result = checkWholeWiki(new Wiki(ws.folders, settings, { lazyBacklinks: true }), ws, { workers: 2, checkInThreadBelow: Infinity, log: () => {} });
  assert.ok(result && result.report.workers === 0, 'the check ran in this thread');
  return result.articles.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Both ways a check goes find what the index of the language server finds. */
function assertSameProblems(dir: string, settings: CoreSettings): number {
  const want = oneThread(dir, settings);
  for (const [how, got] of [['in the workers', inWorkers(dir, settings)], ['in this thread', checkedHere(dir, settings)]] as const) {
    assert.deepEqual(got.map((a) => a.path), want.map((a) => a.path), `the same articles, ${how}`);
    for (let i = 0; i < want.length; i++) assert.deepEqual(got[i].problems, want[i].problems, `the problems of ${want[i].path}, ${how}`);
  }
  return want.reduce((n, a) => n + a.problems.length, 0);
}

function writeWiki(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'la-parallel-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

test('links that only other workers\' articles can settle are judged as the one-thread index judges them', () => {
  // Enough articles for two workers (each takes batches in turn), and each kind of link whose answer lies in
  // an article the linking one's worker may not have read: titles, aliases, headings, subpages, ambiguity.
  const files: Record<string, string> = {
    'Glossary.md': '# Glossary\n\n**Praxis**: theory put to work.\n',
    'history/Governance.md': '# Governance in history\n\n## Councils\n',
    'Governance.md': '# Governance\n\n## Assemblies\n',
    'Twin.md': '# Twin\n',
    'people/Twin.md': '# Twin too\n',
    'Big.md': '# Big\n\n' + 'x'.repeat(3000) + '\n',
    'logo.png': 'not really a picture',
  };
  for (let i = 0; i < 240; i++) {
    const next = (i + 1) % 240;
    files[`Topic_${i}.md`] = [
      i % 7 === 0 ? `---\ntitle: Topic number ${i}\naliases: [Theme ${i}]\n---\n` : '',
      `# Topic ${i}\n\n## Part ${i}\n\n### Détail\n\n`,
      `[[Topic ${next}]] [[Topic_${next}#Part ${next}]] [[Topic ${next}#No such part]] [[Theme ${(i + 7) % 240}]] `,
      `[next](Topic_${next}.md#part-${next}) <a href="Topic_${next}" class="wikilink">next</a> `,
      `[[Governance]] [[Governance#Councils]] [[Governance#Assemblies]] [[Twin]] [[people/Twin]] [[Missing ${i % 13}]] `,
      `[[Big#Anything]] [[logo.png]] [[Category:Topics]] [[wikipedia:Anarchism]] [[#Détail]] [[#Nowhere]] [[../Outside]]\n\n`,
      `A note.[^a] Another.[^b]\n\n[^a]: Defined.\n[^c]: Unused.\n[^c]: Twice.\n`,
    ].join('');
  }
  files['history/Spain.md'] = '# Spain\n\n[[Governance]] [[Governance#Councils]] [[Topic 3]] [[Twin]]\n';
  // Redirect pages, whose answers lie in the articles they redirect to: a heading through one, a double redirect, a loop.
  for (let i = 0; i < 40; i++) files[`Old_topic_${i}.md`] = `1.  REDIRECT [Topic ${i}](Topic_${i} "wikilink")\n`;
  files['Rule.md'] = '#REDIRECT [[Governance]]\n';
  files['Rules.md'] = '#REDIRECT [[Rule]]\n';
  files['Loop_A.md'] = '#REDIRECT [[Loop B]]\n';
  files['Loop_B.md'] = '#REDIRECT [[Loop A]]\n';
  files['Refs.md'] = '# Refs\n\n[a][nowhere] [b][t] [[foam]]\n\n[t]: Twin.md\n[T]: Twin.md\n[spare]: Twin.md\n[foam]: Twin.md\n';
  files['Via.md'] = '# Via\n\n[[Old topic 5#Part 5]] [[Old topic 6#Part 5]] [[Rule#Assemblies]] [[Rules#Assemblies]] [[Loop A#X]]\n';
  const dir = writeWiki(files);
  try {
    const settings = mergeSettings({ maxFileSize: 2000 });
    const found = assertSameProblems(dir, settings);
    assert.ok(oneThread(dir, settings).some((a) => a.path.endsWith('/Big.md')), 'the oversized article has its placeholder');
    assert.ok(found > 1000, `a check with problems to compare (${found})`);
    const via = oneThread(dir, settings).find((a) => a.path.endsWith('/Via.md'))!.problems.map((p) => p.code);
    assert.deepEqual(via, ['broken-heading'], 'of the links through redirects, only the one to a heading the article lacks is broken');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the command line\'s check lists every article, oversized ones included, in path order', () => {
  const files: Record<string, string> = { 'Big.md': '# Big\n\n' + 'x'.repeat(3000) + '\n' };
  for (let i = 0; i < 200; i++) files[`sub${i % 3}/Page_${i}.md`] = `# Page ${i}\n\n[[Page ${(i + 1) % 200}]] [[Big]]\n`;
  const dir = writeWiki(files);
  try {
    const settings = mergeSettings({ maxFileSize: 2000 });
    for (const [where, below] of [['in the workers', 0], ['in this thread', Infinity]] as const) {
      const { articles, report } = checkWiki([dir], settings, { workers: 2, checkInThreadBelow: below, log: () => {} });
      assert.equal(report.workers! > 0, where === 'in the workers', where);
      const paths = articles.map((a) => a.path);
      assert.equal(paths.length, 201);
      assert.deepEqual(paths, [...paths].sort());
      assert.ok(paths.includes(join(dir, 'Big.md')), 'the oversized article is listed');
      assert.deepEqual(report.skipped.map((s) => s.path), [join(dir, 'Big.md')], 'left out of the index for its size');
      assert.equal(report.articles, 201, where);
      assert.deepEqual(articles.flatMap((a) => a.problems), [], 'every link resolves, the one to the oversized article too');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a binary file among the articles is skipped with its reason, and links to it are broken, as in one thread', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) files[`Page_${i}.md`] = `# Page ${i}\n\n[[Page ${(i + 1) % 200}]] [[Photo]]\n`;
  const dir = writeWiki(files);
  writeFileSync(join(dir, 'Photo.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
  try {
    const settings = mergeSettings({});
    assertSameProblems(dir, settings);
    for (const below of [0, Infinity]) {
      const { articles, report } = checkWiki([dir], settings, { workers: 2, checkInThreadBelow: below, log: () => {} });
      assert.deepEqual(report.skipped.map((s) => [s.path, /looks binary/.test(s.reason)]), [[join(dir, 'Photo.md'), true]]);
      assert.equal(articles.length, 200);
      assert.equal(articles.flatMap((a) => a.problems).filter((p) => p.code === 'broken-link').length, 200);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a small wiki is checked in this thread, without starting workers, and the problems are the one-thread index\'s', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) files[`Page_${i}.md`] = `# Page ${i}\n\n[[Page ${(i + 1) % 200}]] [[Nowhere ${i % 7}]][^n]\n`;
  const dir = writeWiki(files);
  try {
    const settings = mergeSettings({});
    const ws = new NodeWorkspace([dir], settings);
    const result = checkWholeWiki(new Wiki(ws.folders, settings), ws, { workers: 2, log: () => {} });
    assert.ok(result);
    assert.equal(result.report.workers, 0, '200 small articles are far under the bytes that pay for workers');
    const want = oneThread(dir, settings);
    assert.deepEqual(result.articles.sort((a, b) => (a.path < b.path ? -1 : 1)), want);
    assert.ok(want.some((a) => a.problems.length > 0), 'there are problems to compare');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const name of ['anarwiki', 'libsocwiki', 'owasp-wiki']) {
  test(`on ${name}, a check in the workers and one in this thread find the problems the index finds`, (t) => {
    const dir = join(corpora, name);
    if (!existsSync(dir)) return t.skip(`corpus ${dir} is absent`);
    const found = assertSameProblems(dir, mergeSettings({}));
    assert.ok(found > 0, `${name} has problems to compare`);
  });
}

test('links to HTML ids, and to headings with `.md` written after them, are not broken, whichever way the wiki is checked', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) {
    const next = (i + 1) % 200;
    files[`Page_${i}.md`] = [
      `# Page ${i}\n\n## Part ${i}\n\n### <span id="Talk_${i}">A talk</span>\n\n<div id="box-${i}">\n\nBoxed.\n\n</div>\n\n`,
      `[[Page ${next}#Talk ${next}]] [boxed](Page_${next}.md#box-${next}) [part](Page_${next}.md#Part_${next}.md "wikilink") `,
      `[[Page ${next}#No_such_id]]\n`,
    ].join('');
  }
  const dir = writeWiki(files);
  try {
    const settings = mergeSettings({});
    const routes = {
      'the index': oneThread(dir, settings),
      'the workers': inWorkers(dir, settings),
      'this thread': checkedHere(dir, settings),
    };
    for (const [route, articles] of Object.entries(routes)) {
      const problems = articles.flatMap((a) => a.problems);
      assert.equal(problems.length, 200, `${route}: one problem per article`);
      assert.ok(problems.every((p) => p.code === 'broken-heading' && /No heading 'No_such_id'/.test(p.message)), `${route}: only the missing id`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
