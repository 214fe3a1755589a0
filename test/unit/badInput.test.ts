// Odd files a wiki really contains (binary, broken encodings, odd line endings, huge, deeply nested, unterminated, looping links, vanishing files) and what the core and the CLI make of them.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CLI, ensureCliBuilt, runCli } from './cliRunner';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanArticle } from '../../server/src/core/scan';
import { articleLead, Wiki } from '../../server/src/core/wiki';
import { articleProblems } from '../../server/src/core/diagnostics';
import { buildIndex, buildIndexInSlices } from '../../server/src/core/indexer';
import { defaultSettings, mergeSettings } from '../../server/src/core/settings';
import { WikiService } from '../../server/src/core/service';
import { decodeArticle, InMemoryWorkspace, NodeWorkspace, type FileInfo, type Workspace } from '../../server/src/core/workspace';
import type { ArticleSyntax, Span } from '../../server/src/core/types';

const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

const made: string[] = [];
function tempWiki(files: Record<string, string | Buffer>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-bad-')));
  made.push(root);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}
after(() => {
  for (const m of made) fs.rmSync(m, { recursive: true, force: true });
});

function wikiOf(files: Record<string, string>): { wiki: Wiki; ws: InMemoryWorkspace } {
  const ws = new InMemoryWorkspace(['/w'], files);
  const wiki = new Wiki(ws.folders);
  buildIndex(wiki, ws);
  return { wiki, ws };
}

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

/** Every span the scanner reports, so tests can check that each stays inside the text. */
function allSpans(s: ArticleSyntax): Span[] {
  const out: Span[] = [];
  if (s.frontMatter) out.push(s.frontMatter.span);
  for (const l of s.links) out.push(l.span, l.targetSpan, ...(l.headingSpan ? [l.headingSpan] : []), ...(l.labelSpan ? [l.labelSpan] : []));
  for (const h of s.headings) out.push(h.span, h.textSpan);
  for (const r of s.footnoteRefs) out.push(r.span, r.labelSpan);
  for (const d of s.footnoteDefs) out.push(d.span, d.labelSpan);
  for (const g of s.glossary) out.push(g.span, g.termSpan);
  return out;
}

describe('encodings', () => {
  test('a file with NUL bytes is refused as binary with a message naming it', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
    assert.throws(() => decodeArticle(bytes, '/w/logo.md'), /\/w\/logo\.md looks binary/);
  });

  test('invalid UTF-8 becomes U+FFFD and the links around it are still found', () => {
    const bytes = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9, 0xff, 0xc3]), Buffer.from(' [[Mutual Aid]]\n')]);
    const text = decodeArticle(bytes, '/w/a.md');
    assert.ok(text.includes('\uFFFD'), 'the broken bytes show as replacement characters');
    const links = scanArticle(text).links;
    assert.deepEqual(links.map((l) => l.target), ['Mutual Aid']);
    assert.equal(text.slice(links[0].targetSpan.start, links[0].targetSpan.end), 'Mutual Aid');
  });

  test('a byte order mark is dropped, so the first heading still names the article', () => {
    const root = tempWiki({ 'bom.md': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# Dual Power\n\nSee [[Missing]].\n')]) });
    const ws = new NodeWorkspace([root], defaultSettings());
    const wiki = new Wiki(ws.folders);
    buildIndex(wiki, ws, { workers: 0 });
    const a = wiki.articles.get(root + '/bom.md')!;
    assert.equal(a.title, 'Dual Power');
    assert.deepEqual(articleProblems(wiki, a).map((p) => p.range), [{ start: { line: 2, character: 6 }, end: { line: 2, character: 13 } }]);
  });

  test('an empty file is an article titled by its file name, with nothing in it and no problems', () => {
    const { wiki } = wikiOf({ 'Empty_Page.md': '', 'Links.md': '[[Empty Page]]' });
    const a = wiki.articles.get('/w/Empty_Page.md')!;
    assert.equal(a.title, 'Empty Page');
    assert.equal(articleLead(a, () => ''), '');
    assert.equal(a.lines.lineCount, 1);
    assert.deepEqual(articleProblems(wiki, wiki.articles.get('/w/Links.md')!), []);
  });
});

describe('line endings, tabs and characters outside the BMP', () => {
  const rangeOf = (text: string) => {
    const { wiki } = wikiOf({ 'a.md': text });
    return articleProblems(wiki, wiki.articles.get('/w/a.md')!).map((p) => [p.range.start.line, p.range.start.character, p.range.end.line, p.range.end.character]);
  };

  test('CRLF, lone CR and LF each end one line, and ranges count from the right line', () => {
    assert.deepEqual(rangeOf('one\r\ntwo [[Gone]]\rthree [[Lost]]\nfour [[Away]]'), [
      [1, 6, 1, 10],
      [2, 8, 2, 12],
      [3, 7, 3, 11],
    ]);
  });

  test('a CRLF inside a multi-line anchor keeps the target range on the line where it is written', () => {
    assert.deepEqual(rangeOf('Text <a\r\nhref="Gone" class="wikilink">the\r\nlabel</a> end'), [[1, 6, 1, 10]]);
  });

  test('the outline of a CRLF article ends each section at the end of a line, never between CR and LF', () => {
    const text = '# One\r\n\r\nText\r\n\r\n# Two\r\n\r\nMore\r\n';
    const svc = new WikiService(new InMemoryWorkspace(['/w']), defaultSettings());
    svc.open('/w/a.md', text, 1);
    const symbols = svc.documentSymbols('/w/a.md');
    assert.deepEqual(symbols.map((s) => [s.name, s.range.end]), [
      ['One', { line: 3, character: 0 }],
      ['Two', { line: 6, character: 4 }],
    ]);
  });

  test('a tab counts as one UTF-16 column, as LSP says', () => {
    assert.deepEqual(rangeOf('x\t[[Gone]]\t[[Lost]]'), [
      [0, 4, 0, 8],
      [0, 13, 0, 17],
    ]);
  });

  test('astral-plane characters before a link count two columns each', () => {
    // 𝕏 and 🏴 are surrogate pairs; é is one unit.
    assert.deepEqual(rangeOf('𝕏🏴é [[Gone]] 𝕏 [[Lost]]'), [
      [0, 8, 0, 12],
      [0, 20, 0, 24],
    ]);
  });

  test('a link to a title with astral characters resolves and its range covers the surrogate pairs whole', () => {
    const { wiki } = wikiOf({ '𝔄𝔫𝔞𝔯𝔠𝔥𝔶.md': '# 𝔄𝔫𝔞𝔯𝔠𝔥𝔶', 'b.md': '𝕏 [[𝔄𝔫𝔞𝔯𝔠𝔥𝔶]] [[𝔄𝔫𝔞𝔯𝔠𝔥𝔶 2]]' });
    const b = wiki.articles.get('/w/b.md')!;
    const problems = articleProblems(wiki, b);
    assert.equal(problems.length, 1);
    assert.deepEqual(problems[0].range, { start: { line: 0, character: 24 }, end: { line: 0, character: 40 } });
  });
});

describe('large and deeply nested articles', () => {
  test('an article over linkedArticles.maxFileSizeMB is left out of the index with one reason that names the setting', () => {
    const big = '# Big\n\n' + 'Filler text with [[Anarchism]] in it.\n'.repeat(600);
    const ws = new InMemoryWorkspace(['/w'], { 'Big.md': big, 'Anarchism.md': '# Anarchism' });
    const wiki = new Wiki(ws.folders, mergeSettings({ maxFileSize: 10_000 }));
    const report = buildIndex(wiki, ws);
    // Only its name is kept, so that links to it are not reported broken.
    assert.equal(wiki.articles.get('/w/Big.md')?.placeholder, true);
    assert.equal(wiki.articles.get('/w/Big.md')?.syntax.links.length, 0);
    assert.equal(report.skipped.length, 1);
    assert.equal(report.skipped[0].path, '/w/Big.md');
    assert.match(report.skipped[0].reason, /over the .* limit \(linkedArticles\.maxFileSizeMB\)/);
    // Opened in an editor it is analysed all the same.
    const opened = wiki.upsert('/w/Big.md', big, { open: true, version: 1 });
    assert.equal(opened.syntax.links.length, 600);
  });

  test('a 20 MB article is scanned in bounded time when it is opened', () => {
    const line = 'Lorem ipsum [[Anarchism|dolor]] sit amet, <a href="Mutual_Aid" class="wikilink">aid</a> [x](Capitalism.md)[^1].\n';
    const big = '# Huge\n\n' + line.repeat(Math.ceil((20 * 1024 * 1024) / line.length)) + '\n[^1]: A note.\n';
    const wiki = new Wiki(['/w']);
    const { value: a, ms } = timed(() => wiki.upsert('/w/Huge.md', big, { open: true, version: 1 }));
    assert.equal(a.syntax.links.length, 3 * Math.ceil((20 * 1024 * 1024) / line.length));
    assert.ok(ms < 20_000, `scanning 20 MB took ${ms.toFixed(0)} ms`);
  });

  const nested: Record<string, string> = {
    '10,000 nested block quotes on one line': '>'.repeat(10_000) + ' [[Anarchism]]\n',
    '10,000 nested list items on one line': '- '.repeat(10_000) + '[[Anarchism]]\n',
    '10,000 alternating quotes and list items': '> - '.repeat(10_000) + '[[Anarchism]]\n',
    'a staircase of 2,000 list levels': Array.from({ length: 2000 }, (_, i) => '  '.repeat(i) + '- [[Anarchism]]').join('\n'),
    'a staircase of 3,000 quote levels': Array.from({ length: 3000 }, (_, i) => '>'.repeat(i) + ' [[Anarchism]]').join('\n'),
    '10,000 nested brackets': '['.repeat(10_000) + '[[Anarchism]]' + ']'.repeat(10_000),
    '10,000 nested emphasis markers': '*_'.repeat(10_000) + '[[Anarchism]]' + '_*'.repeat(10_000),
  };
  for (const [name, text] of Object.entries(nested)) {
    test(`${name}: no stack overflow, bounded time, the link is found`, () => {
      const { value, ms } = timed(() => scanArticle(text));
      assert.ok(value.links.some((l) => l.target === 'Anarchism'), 'the link at the bottom is found');
      assert.ok(ms < 3000, `took ${ms.toFixed(0)} ms`);
    });
  }
});

describe('pathological inline syntax stays linear', () => {
  // Each is 50–200 KB of one construct left open; each used to be (or could be) quadratic in the scanner.
  const N = 50_000;
  const cases: Record<string, string> = {
    'unclosed brackets': '['.repeat(N),
    'unclosed brackets between words': '[a '.repeat(N),
    'unclosed wiki links': '[[a '.repeat(N),
    'unclosed embeds': '![['.repeat(N),
    'unclosed images': '![x]('.repeat(N),
    'unclosed link destinations': '[x]('.repeat(N),
    'entities in unclosed wiki links': '[[&amp;'.repeat(N / 4),
    'anchors never closed': '<a href="x">y '.repeat(N / 4),
    'unclosed HTML comments': '<!--'.repeat(N),
    'unclosed tags': '<b c="'.repeat(N / 4),
    'stray backticks': '`a``b'.repeat(N / 2),
    'angle destinations never closed': '[x](<'.repeat(N / 4),
    'footnote references': '[^a]'.repeat(N),
    'less-than signs': '<'.repeat(N),
    'unclosed comments after wiki-link openers': '[[<!--'.repeat(N / 4),
    'one long heading of wiki-link openers': '# ' + '[[x# '.repeat(N / 4),
  };
  for (const [name, text] of Object.entries(cases)) {
    test(`${name} (${(text.length / 1024).toFixed(0)} KB) are scanned and indexed within a second, spans inside the text`, () => {
      const wiki = new Wiki(['/w']);
      const { value: a, ms } = timed(() => wiki.upsert('/w/a.md', text, { open: true }));
      for (const s of allSpans(a.syntax)) assert.ok(s.start >= 0 && s.start <= s.end && s.end <= text.length, `span ${JSON.stringify(s)}`);
      assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
    });
  }
});

describe('unterminated constructs', () => {
  const links = (text: string) => scanArticle(text).links.map((l) => l.target);

  test('an unterminated [[ is no link, and the links after it are still found', () => {
    assert.deepEqual(links('See [[Anarchism and more\n\nThen [[Capitalism]].'), ['Capitalism']);
    assert.deepEqual(links('[[Anarchism'), []);
    assert.deepEqual(links('[['), []);
  });

  test('an unterminated <a is no link, and the links after it are still found', () => {
    assert.deepEqual(links('<a href="Anarchism\n\n[[Capitalism]]'), ['Capitalism']);
    assert.deepEqual(links('<a'), []);
    assert.deepEqual(links('text <a href='), []);
  });

  test('an anchor without </a> still links to its target, with no label', () => {
    const l = scanArticle('<a href="Anarchism" class="wikilink">label\n\nmore').links;
    assert.deepEqual(l.map((x) => [x.target, x.label]), [['Anarchism', undefined]]);
  });

  test('an unterminated code fence makes the rest of the article code', () => {
    assert.deepEqual(links('[[Before]]\n\n```js\n[[Inside]]\n\n[[Still inside]]'), ['Before']);
    assert.deepEqual(links('~~~'), []);
  });

  test('unterminated front matter is no front matter, and the article is read as text', () => {
    const s = scanArticle('---\ntitle: Never closed\n[[Anarchism]]\n');
    assert.equal(s.frontMatter, undefined);
    assert.deepEqual(s.links.map((l) => l.target), ['Anarchism']);
  });

  test('invalid YAML in front matter is reported on the front matter, not thrown', () => {
    const s = scanArticle('---\ntitle: [unclosed\n---\n[[Anarchism]]\n');
    assert.ok(s.frontMatter?.error, 'the YAML error is kept');
    assert.deepEqual(s.links.map((l) => l.target), ['Anarchism']);
  });

  test('a footnote definition that runs to the end of the file ends at the end of the text', () => {
    const text = 'Claim.[^1]\n\n[^1]: First line\n    and a continuation';
    const s = scanArticle(text);
    assert.equal(s.footnoteDefs.length, 1);
    assert.equal(s.footnoteDefs[0].span.end, text.length);
    assert.equal(s.footnoteDefs[0].text, 'First line\nand a continuation');
    const { wiki } = wikiOf({ 'a.md': text });
    assert.deepEqual(articleProblems(wiki, wiki.articles.get('/w/a.md')!), []);
  });

  test('a footnote definition with no text at the very end of the file is a definition', () => {
    const text = 'Claim.[^1]\n\n[^1]:';
    const s = scanArticle(text);
    assert.deepEqual(s.footnoteDefs.map((d) => [d.label, d.span.end]), [['1', text.length]]);
  });
});

describe('found by fuzzing', () => {
  test('a glossary term written as a setext heading gets the paragraph under its underline as definition', () => {
    const g = scanArticle('# Glossary\n\nAnarchy\n-------\nNo rulers.\n\nMutual aid\n----------\n\nHelping each other.\n').glossary;
    assert.deepEqual(g.map((e) => [e.term, e.definition]), [
      ['Anarchy', 'No rulers.'],
      ['Mutual aid', 'Helping each other.'],
    ]);
  });

  test('a glossary entry spans its whole heading, even one written over several lines', () => {
    const text = 'Glossary\n\n[[```\n[[===\nTERM: [[\r===\n';
    for (const e of scanArticle(text).glossary) assert.ok(e.termSpan.start >= e.span.start && e.termSpan.end <= e.span.end, JSON.stringify(e));
  });
});

describe('the file system', () => {
  test('a binary file with a .md name is skipped with one clear reason and the rest is indexed', () => {
    const root = tempWiki({ 'photo.md': Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]), 'Anarchism.md': '# Anarchism\n' });
    const ws = new NodeWorkspace([root], defaultSettings());
    const wiki = new Wiki(ws.folders);
    const report = buildIndex(wiki, ws, { workers: 0 });
    assert.deepEqual(report.skipped.map((s) => [path.basename(s.path), /looks binary/.test(s.reason)]), [['photo.md', true]]);
    assert.deepEqual([...wiki.articles.keys()], [root + '/Anarchism.md']);
  });

  test('a folder symbolic-link loop is listed once and the build ends', () => {
    const root = tempWiki({ 'a/Anarchism.md': '# Anarchism\n' });
    fs.symlinkSync('..', path.join(root, 'a', 'up'));
    fs.symlinkSync(path.join(root, 'a'), path.join(root, 'a', 'again'));
    const ws = new NodeWorkspace([root], defaultSettings());
    const wiki = new Wiki(ws.folders);
    buildIndex(wiki, ws, { workers: 0 });
    assert.deepEqual([...wiki.articles.keys()], [root + '/a/Anarchism.md']);
  });

  test('a file symbolic-link loop is skipped with a message that says it is a loop', () => {
    const root = tempWiki({ 'Anarchism.md': '# Anarchism\n' });
    fs.symlinkSync('y.md', path.join(root, 'x.md'));
    fs.symlinkSync('x.md', path.join(root, 'y.md'));
    const ws = new NodeWorkspace([root], defaultSettings());
    const wiki = new Wiki(ws.folders);
    const report = buildIndex(wiki, ws, { workers: 0 });
    assert.deepEqual([...wiki.articles.keys()], [root + '/Anarchism.md']);
    assert.deepEqual(report.skipped.map((s) => path.basename(s.path)).sort(), ['x.md', 'y.md']);
    for (const s of report.skipped) assert.match(s.reason, /ELOOP|loop/i, s.reason);
  });

  test('a dangling symbolic link is skipped with a reason', () => {
    const root = tempWiki({ 'Anarchism.md': '# Anarchism\n' });
    fs.symlinkSync(path.join(root, 'nowhere.md'), path.join(root, 'Dangling.md'));
    const ws = new NodeWorkspace([root], defaultSettings());
    const wiki = new Wiki(ws.folders);
    const report = buildIndex(wiki, ws, { workers: 0 });
    assert.deepEqual([...wiki.articles.keys()], [root + '/Anarchism.md']);
    assert.equal(report.skipped.length, 1);
    assert.match(report.skipped[0].reason, /ENOENT|no such file/i);
  });

  test('a named pipe behind a .md symbolic link is not listed, so reading it cannot block the build', (t) => {
    const root = tempWiki({ 'Anarchism.md': '# Anarchism\n' });
    const made = spawnSync('mkfifo', [path.join(root, 'pipe')]);
    if (made.status !== 0) return t.skip('mkfifo is not available here');
    fs.symlinkSync(path.join(root, 'pipe'), path.join(root, 'Pipe.md'));
    const ws = new NodeWorkspace([root], defaultSettings());
    const skipped: string[] = [];
    const listed = ws.listFiles((p, reason) => skipped.push(`${path.basename(p)}: ${reason}`));
    assert.deepEqual(listed.map((f) => path.basename(f.path)), ['Anarchism.md']);
    assert.deepEqual(skipped.map((s) => s.split(':')[0]), ['Pipe.md']);
    assert.throws(() => ws.readText(path.join(root, 'Pipe.md')), /not a regular file/);
  });

  test('an unreadable file is skipped with the system reason and the rest is indexed', async (t) => {
    const root = tempWiki({ 'Secret.md': '# Secret\n', 'Anarchism.md': '# Anarchism\n' });
    fs.chmodSync(path.join(root, 'Secret.md'), 0o000);
    if (IS_ROOT) {
      // root reads anything: show it through the CLI run as nobody instead.
      fs.chmodSync(root, 0o755);
      const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, 'check', root], { encoding: 'utf8' });
      if (r.error || !fs.existsSync(CLI)) return t.skip('setpriv or dist/cli.js is not available to drop root');
      assert.match(r.stderr, /skipped .*Secret\.md: .*EACCES/);
      assert.match(r.stderr, /1 article checked/);
      return;
    }
    const ws = new NodeWorkspace([root], defaultSettings());
    const wiki = new Wiki(ws.folders);
    const report = buildIndex(wiki, ws, { workers: 0 });
    assert.deepEqual([...wiki.articles.keys()], [root + '/Anarchism.md']);
    assert.match(report.skipped[0].reason, /EACCES/);
  });
});

/** An in-memory workspace whose files change while the indexer reads them. */
class ShiftingWorkspace implements Workspace {
  readonly inner: InMemoryWorkspace;
  reads = 0;
  constructor(
    files: Record<string, string>,
    private readonly onRead: (path: string, ws: ShiftingWorkspace) => void,
  ) {
    this.inner = new InMemoryWorkspace(['/w'], files);
  }
  get folders(): string[] {
    return this.inner.folders;
  }
  listFiles(): FileInfo[] {
    return this.inner.listFiles();
  }
  readText(path: string): string {
    this.reads++;
    this.onRead(path, this);
    return this.inner.readText(path);
  }
}

describe('files that change while the index is built', () => {
  const files = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (let i = 0; i < 40; i++) out[`P${i}.md`] = `# P${i}\n\nSee [[P${(i + 1) % 40}]] and [[Gone]].\n`;
    out['Gone.md'] = '# Gone\n';
    return out;
  };

  test('a file deleted after listing is skipped with a reason, and links to it are broken', () => {
    const ws = new ShiftingWorkspace(files(), (p, w) => {
      if (w.reads === 1) w.inner.files.delete('/w/Gone.md');
    });
    const wiki = new Wiki(ws.folders);
    const report = buildIndex(wiki, ws);
    assert.deepEqual(report.skipped.map((s) => [s.path, /no such file/.test(s.reason)]), [['/w/Gone.md', true]]);
    assert.equal(wiki.articles.has('/w/Gone.md'), false);
    assert.equal(wiki.articles.size, 40);
    assert.deepEqual(articleProblems(wiki, wiki.articles.get('/w/P0.md')!).map((p) => p.code), ['broken-link']);
  });

  test('a file renamed after listing: the old name is skipped, the index holds what was readable', () => {
    const ws = new ShiftingWorkspace(files(), (p, w) => {
      if (p === '/w/P0.md' && w.inner.files.has('/w/P5.md')) {
        w.inner.files.set('/w/P5-renamed.md', w.inner.files.get('/w/P5.md')!);
        w.inner.files.delete('/w/P5.md');
      }
    });
    const wiki = new Wiki(ws.folders);
    const report = buildIndex(wiki, ws);
    assert.deepEqual(report.skipped.map((s) => s.path), ['/w/P5.md']);
    assert.equal(wiki.articles.has('/w/P5.md'), false);
    // The watcher's later "created" event puts the new name in; the index then equals a fresh build.
    wiki.upsert('/w/P5-renamed.md', ws.inner.readText('/w/P5-renamed.md'));
    const fresh = new Wiki(['/w']);
    buildIndex(fresh, ws.inner);
    assert.deepEqual(wiki.snapshot(), fresh.snapshot());
  });

  test('a file truncated mid-build is indexed as read, with ranges inside the shorter text', () => {
    const ws = new ShiftingWorkspace(files(), (p, w) => {
      if (p === '/w/P3.md') w.inner.files.set(p, '# P3\n\nSee [[P');
    });
    const wiki = new Wiki(ws.folders);
    const report = buildIndex(wiki, ws);
    assert.deepEqual(report.skipped, []);
    const a = wiki.articles.get('/w/P3.md')!;
    assert.equal(a.syntax.links.length, 0);
    assert.equal(a.size, '# P3\n\nSee [[P'.length);
  });

  test('a read that throws something other than an Error is reported, not fatal', () => {
    const ws = new ShiftingWorkspace(files(), (p) => {
      if (p === '/w/P7.md') throw 'EIO';
    });
    const wiki = new Wiki(ws.folders);
    const report = buildIndex(wiki, ws);
    assert.deepEqual(report.skipped, [{ path: '/w/P7.md', reason: 'EIO' }]);
    assert.equal(wiki.articles.size, 40);
  });

  test('the sliced build survives files vanishing between its slices', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) many[`A${i}.md`] = `# A${i}\n\n[[A${(i * 7) % 3000}]] ${'text '.repeat(40)}\n`;
    const ws = new ShiftingWorkspace(many, () => undefined);
    const wiki = new Wiki(ws.folders);
    let slices = 0;
    const report = await buildIndexInSlices(wiki, ws, {
      sliceMs: 1,
      onProgress: (done) => {
        slices++;
        // Between slices, a file the build has not reached yet disappears.
        if (done > 0 && done < 2990) ws.inner.files.delete(`/w/A${2999 - slices}.md`);
      },
    });
    assert.ok(slices > 2, `the build ran in ${slices} slices`);
    assert.equal(wiki.articles.size + report.skipped.length, 3000);
    assert.ok(report.skipped.length > 0 && report.skipped.every((s) => /no such file/.test(s.reason)));
    for (const s of report.skipped) assert.equal(wiki.articles.has(s.path), false);
  });
});

describe('the command line on bad input', () => {
  before(ensureCliBuilt);

  const run = (args: string[]) => runCli(args);

  test('odd YAML in front matter prints no YAML library warnings, only the summary', async () => {
    const root = tempWiki({ 'A.md': '---\ntitle: x\nfoo: *bar:\n%: y\n---\n# A\n' });
    const r = await run(['check', root]);
    assert.equal(r.stderr, '1 article checked, 0 problems\n');
    assert.equal(r.code, 0);
  });

  test('check reports a 20 MB article in one line naming the limit and checks the rest', async () => {
    const line = 'Filler [[Nowhere]] text.\n';
    const root = tempWiki({
      'Huge.md': line.repeat(Math.ceil((20 * 1024 * 1024) / line.length)),
      'Small.md': 'See [[Missing]]\n',
      'photo.md': Buffer.from([0xff, 0xd8, 0x00, 0x00]),
      'Empty.md': '',
      'crlf.md': 'a\r\nb [[Lost]]\r\n',
    });
    const r = await run(['check', root]);
    const skipLines = r.stderr.split('\n').filter((l) => l.includes('skipped'));
    assert.equal(skipLines.length, 2, r.stderr);
    assert.match(skipLines.find((l) => l.includes('Huge.md'))!, /20\.0 MB is over the 10\.0 MB limit \(linkedArticles\.maxFileSizeMB\)/);
    assert.match(skipLines.find((l) => l.includes('photo.md'))!, /looks binary/);
    assert.equal(r.stdout, 'Small.md:1:7: warning broken-link No article named \'Missing\'\ncrlf.md:2:5: warning broken-link No article named \'Lost\'\n');
    assert.equal(r.code, 1);
  });
});
