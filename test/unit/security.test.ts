// Nothing outside the workspace folders is read, previewed or listed, and what the wiki writes into hovers and completion cannot run.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildIndex } from '../../server/src/core/indexer';
import { defaultSettings } from '../../server/src/core/settings';
import { WikiService } from '../../server/src/core/service';
import { NodeWorkspace } from '../../server/src/core/workspace';
import { LineIndex } from '../../server/src/core/lineIndex';
import type { Position } from '../../server/src/core/types';

const SECRET = 'TOP-SECRET-CONTENT-7f3a';
let base: string;
let root: string;
let outside: string;
let svc: WikiService;

/** Every link that tries to leave the wiki, each on its own line of Home.md. */
const ESCAPES = [
  '[[../../etc/passwd]]',
  '<a href="/etc/passwd">passwd</a>',
  '<a href="../outside/Secret.md" class="wikilink">secret</a>',
  '[x](file:///etc/passwd)',
  '[y](file:/etc/passwd)',
  '[z](..%2F..%2F..%2Fetc%2Fpasswd)',
  '[[../outside/Secret]]',
  '[[Leak]]',
  '[w](Leak.md)',
  '[v](linked-folder/Secret.md)',
  '![[leak.png]]',
];

before(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-sec-')));
  root = path.join(base, 'wiki');
  outside = path.join(base, 'outside');
  fs.mkdirSync(root);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'Secret.md'), `# Secret\n\n${SECRET} is what nobody may see.\n`);
  fs.writeFileSync(path.join(outside, 'secret.png'), SECRET);
  // Symbolic links inside the wiki that lead out of it: a file, a folder, an attachment.
  fs.symlinkSync(path.join(outside, 'Secret.md'), path.join(root, 'Leak.md'));
  fs.symlinkSync(outside, path.join(root, 'linked-folder'));
  fs.symlinkSync(path.join(outside, 'secret.png'), path.join(root, 'leak.png'));
  fs.writeFileSync(path.join(root, 'Home.md'), '# Home\n\n' + ESCAPES.join('\n\n') + '\n');
  fs.writeFileSync(
    path.join(root, 'Evil.md'),
    [
      '---',
      'title: "Evil <img src=x onerror=alert(1)>"',
      'aliases: ["[pwn](command:workbench.action.terminal.new)"]',
      '---',
      'Lead with <script>alert(1)</script> and <img src=x onerror="alert(2)"> and [click](command:workbench.action.terminal.new) and [js](javascript:alert(3)) and <command:workbench.action.x> and <b onmouseover="x()">bold</b>.[^1]',
      '',
      '## Part <iframe src="https://evil.example"></iframe>',
      '',
      'Section text <script>steal()</script> [run](command:x).',
      '',
      '[^1]: A note <script>alert(4)</script> [c](command:workbench.action.x)',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(root, 'Glossary.md'), '# Glossary\n\nPOWER: <script>alert(5)</script> [c](command:x) over others\n');
  fs.writeFileSync(path.join(root, 'Reader.md'), 'See [[Evil]], [[Evil#Part]], the alias [[[pwn](command:workbench.action.terminal.new)]] and some power.\n');
  const ws = new NodeWorkspace([root], defaultSettings());
  svc = new WikiService(ws, defaultSettings());
  buildIndex(svc.wiki, ws, { workers: 0 });
  svc.state = 'ready';
});
after(() => fs.rmSync(base, { recursive: true, force: true }));

function positionOf(file: string, needle: string, delta = 2): Position {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} is in ${file}`);
  return new LineIndex(text).positionAt(at + delta);
}

/** Markdown that can do nothing: no HTML tag, no link or autolink of any scheme a client could act on. */
function assertInert(md: string, where: string): void {
  assert.doesNotMatch(md, /<\/?[A-Za-z!]/, `${where} carries raw HTML: ${md}`);
  assert.doesNotMatch(md, /(?<!\\)\]\(/, `${where} carries a markdown link: ${md}`);
  assert.doesNotMatch(md, /<[a-z][a-z0-9+.-]*:/i, `${where} carries an autolink: ${md}`);
  assert.doesNotMatch(md, /\]\(\s*<?\s*(?:command|javascript|vbscript|file|data):/i, `${where} carries an active link: ${md}`);
}

describe('links that leave the workspace', () => {
  test('the index holds nothing from outside: symbolic links that lead out are not listed', () => {
    for (const p of [...svc.wiki.articles.keys()]) assert.ok(p.startsWith(root + '/') && !p.includes('linked-folder'), p);
    assert.equal(svc.wiki.articles.has(path.join(root, 'Leak.md')), false);
    assert.equal(svc.wiki.lookupName('Secret').length, 0);
  });

  test('each resolves to nothing and is reported as a broken link, the picture as a missing file', () => {
    const home = svc.wiki.articles.get(path.join(root, 'Home.md'))!;
    assert.equal(home.syntax.links.length, ESCAPES.length, 'every escape is read as a link');
    for (const link of home.syntax.links) {
      const r = svc.wiki.resolve(link, home);
      assert.ok(r.kind === 'outside' || r.kind === 'missing', `${link.rawTarget} resolved as ${r.kind}`);
    }
    const problems = svc.problems(path.join(root, 'Home.md'));
    assert.equal(problems.length, ESCAPES.length);
    assert.deepEqual(problems.filter((p) => p.code !== 'broken-link').map((p) => `${p.code} ${p.message}`), ["missing-file No file 'leak.png' in the wiki"]);
  });

  test('hover, definition, references and document links never show or point at what is outside', () => {
    const home = path.join(root, 'Home.md');
    for (const escape of ESCAPES) {
      const pos = positionOf('Home.md', escape, 3);
      // As the VS Code client asks: image previews on.
      const h = svc.hover(home, pos, (p) => 'file://' + p);
      if (h) {
        assert.ok(!h.markdown.includes(SECRET) && !h.markdown.includes('root:'), `hover on ${escape}: ${h.markdown}`);
        assertInert(h.markdown, `hover on ${escape}`);
      }
      assert.deepEqual(svc.definition(home, pos), [], `definition of ${escape}`);
      for (const r of svc.references(home, pos, true)) assert.ok(r.path.startsWith(root + '/'), `reference in ${r.path}`);
    }
    assert.deepEqual(svc.documentLinks(home), []);
  });

  test('completion and workspace symbols list nothing from outside', () => {
    const probe = path.join(root, 'Probe.md');
    for (const typed of ['[[', '[x](', '<a href="', '[[../', '[x](../', '[x](linked-folder/']) {
      svc.open(probe, typed, 1);
      const items = svc.completion(probe, { line: 0, character: typed.length }, 1000)?.items ?? [];
      for (const i of items) {
        assert.ok(!/secret|leak|linked-folder|outside/i.test(`${i.label} ${i.detail ?? ''} ${i.textEdit.newText}`), `completion after ${typed} offers ${i.label}`);
        const doc = svc.resolveCompletion(i).documentation?.value ?? '';
        assert.ok(!doc.includes(SECRET));
      }
      svc.close(probe);
    }
    for (const s of svc.workspaceSymbols('secret', 100)) assert.ok(s.location.path.startsWith(root + '/'), s.location.path);
    assert.deepEqual(svc.workspaceSymbols('secret', 100), []);
  });

  test('the workspace refuses to read a path outside its folders, or through a link that leads out', () => {
    assert.throws(() => svc.workspace.readText(path.join(outside, 'Secret.md')), /outside the workspace folders/);
    assert.throws(() => svc.workspace.readText(path.join(root, 'Leak.md')), /outside the workspace folders/);
    assert.throws(() => svc.workspace.readText(path.join(root, 'linked-folder', 'Secret.md')), /outside the workspace folders/);
    assert.throws(() => svc.workspace.readText('/etc/passwd'), /outside the workspace folders/);
    // The head of a file, read for an image's size, is confined alike.
    assert.throws(() => svc.workspace.readHead!(path.join(root, 'leak.png'), 100), /outside the workspace folders/);
    assert.throws(() => svc.workspace.readHead!(path.join(outside, 'secret.png'), 100), /outside the workspace folders/);
    assert.equal(svc.textOf(path.join(root, 'Leak.md')), undefined);
  });

  test('a missing path outside is refused as outside, without telling whether it exists; a missing file inside is missing', () => {
    assert.throws(() => svc.workspace.readText(path.join(outside, 'No_Such.md')), /outside the workspace folders/);
    assert.throws(() => svc.workspace.readText(path.join(root, '..', 'outside', 'No_Such.md')), /outside the workspace folders/);
    // Through a dangling link inside (read by following it): the file it names is missing, not outside.
    const dangling = path.join(root, 'Dangling_Here.md');
    fs.symlinkSync(path.join(root, 'Never_Written.md'), dangling);
    try {
      assert.throws(() => svc.workspace.readText(dangling), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
    } finally {
      fs.rmSync(dangling);
    }
  });

  test('a document opened from outside the folders is analysed alone: its links reach nothing beside it', () => {
    const stray = path.join(outside, 'Stray.md');
    svc.open(stray, 'See [[Secret]] and [[Home]].\n', 1);
    try {
      assert.deepEqual(svc.definition(stray, { line: 0, character: 7 }), []);
      const h = svc.hover(stray, { line: 0, character: 7 });
      assert.ok(!h || !h.markdown.includes(SECRET));
      assert.equal(svc.wiki.articles.has(stray), false, 'it is not indexed');
    } finally {
      svc.close(stray);
    }
  });
});

describe('markdown from the wiki is untrusted', () => {
  const reader = () => path.join(root, 'Reader.md');

  test('a hover on a link shows the lead with its HTML escaped and its links flattened', () => {
    const h = svc.hover(reader(), positionOf('Reader.md', '[[Evil]]'));
    assert.ok(h, 'there is a hover');
    assertInert(h.markdown, 'the link hover');
    assert.match(h.markdown, /&lt;script&gt;alert\(1\)&lt;\/script&gt;|alert\(1\)/, 'the script is shown as text or dropped, not lost silently');
    assert.match(h.markdown, /Lead with/);
  });

  test('a hover on a link to a heading shows the section escaped', () => {
    const h = svc.hover(reader(), positionOf('Reader.md', '[[Evil#Part]]'));
    assert.ok(h);
    assertInert(h.markdown, 'the section hover');
  });

  test('a hover on a footnote reference shows the footnote escaped', () => {
    const evil = path.join(root, 'Evil.md');
    const h = svc.hover(evil, positionOf('Evil.md', '[^1]', 1));
    assert.ok(h);
    assertInert(h.markdown, 'the footnote hover');
    assert.match(h.markdown, /A note/);
  });

  test('a hover on a glossary term shows the definition escaped', () => {
    const h = svc.hover(reader(), positionOf('Reader.md', 'power', 1));
    assert.ok(h, 'the glossary term has a hover');
    assertInert(h.markdown, 'the glossary hover');
  });

  test('completion documentation and labels carry no active content', () => {
    const probe = path.join(root, 'Probe.md');
    for (const typed of ['[[', '[[Evil#', '[x](', '[^']) {
      svc.open(probe, typed + '\n\n[^1]: <script>x()</script> [c](command:y)\n', 1);
      const items = svc.completion(probe, { line: 0, character: typed.length }, 1000)?.items ?? [];
      if (typed === '[[') assert.ok(items.some((i) => /Evil/.test(i.label)), 'Evil is offered');
      for (const i of items) assertInert(svc.resolveCompletion(i).documentation?.value ?? '', `documentation of ${i.label} after ${typed}`);
      svc.close(probe);
    }
  });

  test('the VS Code client never marks the server markdown as trusted or HTML-capable', () => {
    const dir = path.resolve(__dirname, '../../client/src');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      assert.doesNotMatch(src, /isTrusted\s*:\s*(true|\{)|supportHtml\s*:\s*true/, `${f} trusts server markdown`);
    }
  });
});

describe('nothing from the workspace is executed, nothing goes to the network', () => {
  test('the server and core sources spawn no process, evaluate no code and open no socket', () => {
    const dirs = ['../../server/src'].map((d) => path.resolve(__dirname, d));
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) walk(full);
        else if (/\.ts$/.test(e.name)) {
          const src = fs.readFileSync(full, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
          for (const bad of [/\bchild_process\b/, /\beval\s*\(/, /\bnew Function\s*\(/, /\bnode:(?:net|http|https|dgram|tls)\b/, /\bfetch\s*\(/, /\bvm\.run/])
            if (bad.test(src)) offenders.push(`${path.relative(path.resolve(__dirname, '../..'), full)}: ${bad}`);
        }
      }
    };
    for (const d of dirs) walk(d);
    assert.deepEqual(offenders, []);
  });
});
