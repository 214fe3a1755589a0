// The server on odd files, pathological documents and protocol misuse, and a bounded fuzz of every position request: it answers, in time, with ranges inside the document, and stays up.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, Diagnostic, DocumentSymbol, Hover, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TestClient, ensureBuilt, uri, waitFor } from './harness';
import { applyWorkspaceEditStrict, rangeProblem, serverFuzz } from './fuzzServer';
import { EDITING_CAPABILITIES } from './editing';

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20240611;

/** Times a request; fails the test when it answers slower than `boundMs`. */
async function within<T>(boundMs: number, what: string, p: Promise<T>): Promise<T> {
  const t0 = performance.now();
  const v = await p;
  const ms = performance.now() - t0;
  assert.ok(ms < boundMs, `${what} took ${ms.toFixed(0)} ms (bound ${boundMs} ms)`);
  return v;
}

describe('the server on a wiki of odd files', () => {
  let root: string;
  let client: TestClient;
  const HUGE_LINE = 'Filler text that links to [[Anarchism]] and [[Nowhere]].\n';
  const HUGE_LINES = Math.ceil((20 * 1024 * 1024) / HUGE_LINE.length);

  before(async () => {
    ensureBuilt();
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-robust-')));
    const w = (rel: string, content: string | Buffer) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), content);
    };
    w('Anarchism.md', '# Anarchism\n\nA political philosophy. See [[Mutual Aid]].\n\n## History\n');
    w('Mutual_Aid.md', '# Mutual Aid\n\nHelp. [[Anarchism#History]]\n');
    w('photo.md', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]));
    w('Broken_UTF8.md', Buffer.concat([Buffer.from('# Caf'), Buffer.from([0xe9, 0xff]), Buffer.from('\n\n[[Anarchism]] [[Gone]]\n')]));
    w('Bom.md', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# Bom\n\n[[Gone]]\n')]));
    w('Crlf.md', '# Crlf\r\n\r\n𝕏🏴 [[Gone]]\rlone CR [[Lost]]\r\n');
    w('Empty.md', '');
    w('Huge.md', '# Huge\n\n' + HUGE_LINE.repeat(HUGE_LINES));
    fs.mkdirSync(path.join(root, 'loop'));
    fs.symlinkSync('..', path.join(root, 'loop', 'up'));
    fs.symlinkSync('x.md', path.join(root, 'y.md'));
    fs.symlinkSync('y.md', path.join(root, 'x.md'));
    fs.symlinkSync(path.join(root, 'nowhere.md'), path.join(root, 'Dangling.md'));
    client = new TestClient({ folders: [root] });
    await client.initialize();
    await client.ready(60_000);
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const logLines = (re: RegExp) => client.logs.map((l) => l.message).filter((m) => re.test(m));

  test('the index is built; the 20 MB article is skipped with one log line naming the setting', () => {
    const huge = logLines(/Huge\.md/);
    assert.equal(huge.length, 1, huge.join('\n'));
    assert.match(huge[0], /20\.\d MB is over the 10\.0 MB limit \(linkedArticles\.maxFileSizeMB\)/);
  });

  test('the binary file, the link loop and the dangling link are each skipped with one clear line', () => {
    assert.equal(logLines(/photo\.md.*looks binary/).length, 1);
    assert.equal(logLines(/[xy]\.md.*(ELOOP|loop)/i).length, 2);
    assert.equal(logLines(/Dangling\.md.*(ENOENT|no such file)/i).length, 1);
  });

  test('an article with a broken encoding is indexed and its links checked', async () => {
    const u = client.open(path.join(root, 'Broken_UTF8.md'), fs.readFileSync(path.join(root, 'Broken_UTF8.md'), 'utf8'));
    const d = await client.diagnostics(u, (x) => x.length === 1);
    assert.equal(d[0].message, "No article named 'Gone'");
    assert.deepEqual(d[0].range, { start: { line: 2, character: 16 }, end: { line: 2, character: 20 } });
  });

  test('CRLF, lone CR and astral characters give diagnostics on the right lines and UTF-16 columns', async () => {
    const u = client.open(path.join(root, 'Crlf.md'));
    const d = await client.diagnostics(u, (x) => x.length === 2);
    assert.deepEqual(
      d.map((x: Diagnostic) => x.range),
      [
        { start: { line: 2, character: 7 }, end: { line: 2, character: 11 } },
        { start: { line: 3, character: 10 }, end: { line: 3, character: 14 } },
      ],
    );
  });

  test('an empty article can be opened, typed into and asked about', async () => {
    const file = path.join(root, 'Empty.md');
    const u = client.open(file, '');
    assert.deepEqual(await client.request('textDocument/documentSymbol', { textDocument: { uri: u } }), []);
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: u }, position: { line: 0, character: 0 } }), null);
    const v = client.change(u, '[[Anarchism]]', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    await client.diagnostics(u, (x) => x.length === 0, v);
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: u }, position: { line: 0, character: 4 } });
    assert.match(JSON.stringify(h.contents), /A political philosophy/);
  });

  test('the 20 MB article still works when opened: diagnostics, hover and outline in bounded time', async () => {
    const file = path.join(root, 'Huge.md');
    const u = client.open(file);
    const d = await client.diagnostics(u, (x) => x.length > 0, 1, 60_000);
    assert.ok(d.every((x) => x.message === "No article named 'Nowhere'"), 'only the real problem is reported');
    const h = await within(5000, 'hover in the 20 MB article', client.request<Hover>('textDocument/hover', { textDocument: { uri: u }, position: { line: 1000, character: 30 } }));
    assert.match(JSON.stringify(h.contents), /Anarchism/);
    const symbols = await within(5000, 'outline of the 20 MB article', client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: u } }));
    assert.equal(symbols[0].name, 'Huge');
    client.close(u);
  });
});

describe('the server on pathological documents and protocol misuse', () => {
  let root: string;
  let client: TestClient;

  before(async () => {
    ensureBuilt();
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-robust2-')));
    fs.writeFileSync(path.join(root, 'Anarchism.md'), '# Anarchism\n\nA political philosophy.\n');
    fs.writeFileSync(path.join(root, 'Big.md'), '# Big\n\n[[Gone]] ' + 'text '.repeat(4000));
    client = new TestClient({ folders: [root], settings: { maxFileSizeMB: 0.01 } });
    await client.initialize();
    await client.ready(30_000);
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const documents: Record<string, string> = {
    'unclosed brackets': '['.repeat(50_000) + '\n\n[[Gone]]\n',
    'unclosed wiki links': '[[a '.repeat(20_000) + '\n\n[[Gone]]\n',
    'anchors never closed': '<a href="x">y '.repeat(10_000) + '\n\n[[Gone]]\n',
    'comments never closed': '[[<!--'.repeat(10_000) + '\n\n[[Gone]]\n',
    '10,000 nested quotes': '>'.repeat(10_000) + ' [[Gone]]\n',
    '10,000 nested list items': '- '.repeat(10_000) + '[[Gone]]\n',
    'an unterminated fence': '[[Gone]]\n\n```\n' + '[[Inside]]\n'.repeat(5000),
    'a footnote running to the end': 'Claim.[^1] [[Gone]]\n\n[^1]: ' + 'word '.repeat(20_000),
    'NUL and lone surrogates': '\u0000\uD800 [[Gone]] \uDC00\u0000\n',
    // Each length of run without a closer had the rest of the text searched (2.6 s a scan per MB, 6.8 s for comments).
    'code spans of ever more backticks': '%% ' + Array.from({ length: 900 }, (_, k) => '`'.repeat(k + 1) + ' x').join(' ') + '\n\n[[Gone]]\n',
    // Each link was tested against every comment (1.2 s per 500 KB).
    'thousands of comments': '%%[[A]]%% [[B]] '.repeat(20_000) + '\n\n[[Gone]]\n',
  };
  for (const [name, text] of Object.entries(documents)) {
    test(`${name}: diagnostics within 3 s, requests answered within a second, ranges inside`, async () => {
      const file = path.join(root, `${name.replace(/\W+/g, '_')}.md`);
      const u = client.open(file, text);
      const t0 = performance.now();
      const d = await client.diagnostics(u, (x) => x.some((y) => y.message === "No article named 'Gone'"), 1, 10_000);
      assert.ok(performance.now() - t0 < 3000, `diagnostics took ${(performance.now() - t0).toFixed(0)} ms`);
      for (const x of d) assert.equal(rangeProblem(text, x.range, 'diagnostic'), undefined);
      const last = { line: text.split(/\r\n|\r|\n/).length - 1, character: 0 };
      for (const [method, extra] of [
        ['textDocument/documentSymbol', {}],
        ['textDocument/documentLink', {}],
        ['textDocument/foldingRange', {}],
        ['textDocument/hover', { position: last }],
        ['textDocument/completion', { position: { line: 0, character: Math.min(3, text.length) } }],
        ['textDocument/references', { position: { line: 0, character: 1 }, context: { includeDeclaration: true } }],
      ] as const) {
        await within(1000, method, client.request(method, { textDocument: { uri: u }, ...extra }));
      }
      client.close(u);
    });
  }

  test('requests about documents that were never opened and do not exist answer without an internal error', async () => {
    const ghost = uri(path.join(root, 'Ghost.md'));
    const errors: string[] = [];
    for (const [method, extra] of [
      ['textDocument/hover', { position: { line: 0, character: 0 } }],
      ['textDocument/completion', { position: { line: 0, character: 0 } }],
      ['textDocument/definition', { position: { line: 0, character: 0 } }],
      ['textDocument/references', { position: { line: 0, character: 0 }, context: { includeDeclaration: true } }],
      ['textDocument/documentSymbol', {}],
      ['textDocument/documentLink', {}],
      ['textDocument/prepareRename', { position: { line: 0, character: 0 } }],
    ] as const) {
      try {
        await client.request(method, { textDocument: { uri: ghost }, ...extra });
      } catch (e) {
        const err = e as { code: number; message: string };
        if (err.code === -32603) errors.push(`${method}: ${err.message}`);
      }
    }
    assert.deepEqual(errors, []);
  });

  test('positions past the end of the document, of a line, or negative are answered, not failed', async () => {
    const u = client.open(path.join(root, 'Positions.md'), 'See [[Anarchism]].\n');
    const errors: string[] = [];
    for (const position of [{ line: 1_000_000, character: 0 }, { line: 0, character: 1_000_000 }, { line: 0, character: -1 }, { line: -1, character: 5 }]) {
      for (const method of ['textDocument/hover', 'textDocument/completion', 'textDocument/definition']) {
        try {
          await client.request(method, { textDocument: { uri: u }, position });
        } catch (e) {
          const err = e as { code: number; message: string };
          if (err.code === -32603) errors.push(`${method} at ${JSON.stringify(position)}: ${err.message}`);
        }
      }
    }
    assert.deepEqual(errors, []);
    client.close(u);
  });

  test('stray notifications (change or close of unopened documents, odd watched-file events) leave the server working', async () => {
    const stray = uri(path.join(root, 'Stray.md'));
    void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: stray, version: 5 }, contentChanges: [{ text: 'x' }] });
    void client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: stray } });
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: stray, type: 3 },
        { uri: uri('/etc/passwd'), type: 1 },
        { uri: 'untitled:Untitled-1', type: 2 },
        { uri: uri(path.join(root, 'Anarchism.md')), type: 2 },
      ],
    });
    const untitled = 'untitled:Untitled-1';
    void client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: untitled, languageId: 'markdown', version: 1, text: 'See [[Anarchism]] and [[Gone]].' } });
    await client.request('textDocument/hover', { textDocument: { uri: untitled }, position: { line: 0, character: 7 } }).catch((e: { code: number }) => assert.notEqual(e.code, -32603));
    const u = client.open(path.join(root, 'After.md'), 'See [[Anarchism]].');
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: u }, position: { line: 0, character: 7 } });
    assert.match(JSON.stringify(h.contents), /A political philosophy/);
    assert.equal(client.child.exitCode, null, 'the server is still running');
  });

  test('the maxFileSizeMB setting is honoured: an article over it is left out with one log line, and still works when opened', async () => {
    const lines = client.logs.map((l) => l.message).filter((m) => m.includes('Big.md'));
    assert.deepEqual(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /20 KB is over the 10 KB limit \(linkedArticles\.maxFileSizeMB\)/);
    const big = client.open(path.join(root, 'Big.md'));
    const d = await client.diagnostics(big, (x) => x.length === 1);
    assert.equal(d[0].message, "No article named 'Gone'");
    const sym = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: big } });
    assert.equal(sym[0].name, 'Big');
    client.close(big);
  });
});

describe('the server under fuzzing', () => {
  test('random and mutated documents, opened and edited, with every position request at random places', async () => {
    const r = await serverFuzz({ runs: 150, seed, boundMs: 2000 });
    console.log(`server fuzz (seed ${seed}): ${r.documents} documents, ${r.requests} requests, ${r.expectedErrors} expected refusals, slowest ${r.slowestMs.toFixed(0)} ms (${r.slowest})`);
    assert.equal(r.documents, 150);
    assert.ok(r.requests >= 150 * 8, `${r.requests} requests`);
  });
});

describe('no text is lost: rename and quick fixes on CRLF files, astral characters and unsaved edits', () => {
  let root: string;
  let client: TestClient;
  const files: Record<string, string> = {
    'Target.md': '# Target\r\n\r\nBody 𝕏.\r\n\r\n## Part\r\n',
    'Linker_One.md': '# Linker One\r\n\r\n𝕏🏴 [[Target]] and [[Target#Part|the 🏴 part]] and [t](Target.md)\r\n',
    'Linker_Two.md': '# Linker Two\n\nOn disk: [[Target]]\n',
    'Linker_Three.md': '# Three\rlone CR 𝕏 <a href="Target" class="wikilink">t</a>\r',
    'Bystander.md': '# Bystander\r\n\r\n[[Targetless]] 𝕏 text\r\n',
  };
  const file = (name: string) => path.join(root, name);

  before(async () => {
    ensureBuilt();
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-lost-')));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(file(name), text);
    client = new TestClient({ folders: [root], capabilities: EDITING_CAPABILITIES });
    await client.initialize();
    await client.ready();
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('a rename is one versioned edit that gives, byte for byte, the expected texts, unsaved edits kept', async () => {
    // Linker_Two is open with unsaved text, changed again (version 2); Linker_One is open as on disk (version 1).
    const unsaved = '# Linker Two\n\nUnsaved 𝕏 text: [[Target]] and [[Target]]\n';
    const u2 = client.open(file('Linker_Two.md'), unsaved);
    const v2 = client.change(u2, '🏴', { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } });
    const u1 = client.open(file('Linker_One.md'));
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: u1 }, position: { line: 2, character: 8 }, newName: 'Neue 𝕏 Seite' });
    assert.equal(edit.changes, undefined, 'versioned documentChanges, not unversioned changes');
    const texts = new Map<string, string>(Object.entries(files).map(([n, t]) => [uri(file(n)), t]));
    texts.set(u2, unsaved.replace('Unsaved', '🏴Unsaved'));
    const out = applyWorkspaceEditStrict(texts, edit, new Map([[u1, 1], [u2, v2]]));
    const byName = Object.fromEntries([...out].map(([u, t]) => [decodeURIComponent(path.basename(new URL(u).pathname)), t]));
    assert.deepEqual(byName, {
      'Neue_𝕏_Seite.md': '# Neue 𝕏 Seite\r\n\r\nBody 𝕏.\r\n\r\n## Part\r\n',
      'Linker_One.md': '# Linker One\r\n\r\n𝕏🏴 [[Neue 𝕏 Seite]] and [[Neue 𝕏 Seite#Part|the 🏴 part]] and [t](Neue_𝕏_Seite.md)\r\n',
      'Linker_Two.md': '# Linker Two\n\n🏴Unsaved 𝕏 text: [[Neue 𝕏 Seite]] and [[Neue 𝕏 Seite]]\n',
      'Linker_Three.md': '# Three\rlone CR 𝕏 <a href="Neue_𝕏_Seite" class="wikilink">t</a>\r',
      'Bystander.md': files['Bystander.md'],
    });
    assert.equal(fs.readFileSync(file('Linker_Two.md'), 'utf8'), files['Linker_Two.md'], 'the file on disk is not the server\'s to write');
    client.close(u1);
    client.close(u2);
  });

  test('an edit made for an older version of an open document is refused by the client, never half applied', async () => {
    const u = client.open(file('Linker_One.md'));
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: u }, position: { line: 2, character: 8 }, newName: 'Other Name' });
    const v = client.change(u, 'x', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    const texts = new Map<string, string>(Object.entries(files).map(([n, t]) => [uri(file(n)), t]));
    assert.throws(() => applyWorkspaceEditStrict(texts, edit, new Map([[u, v]])), /is at version 2, the edit is for 1/);
    client.close(u);
  });

  test('quick fixes in an open CRLF document with astral characters and unsaved edits apply byte for byte', async () => {
    const text = '# Doc\r\n\r\n𝕏🏴 [[Targt]] claim.[^n]\r\n\r\n[^old]: unused\r\n';
    const u = client.open(file('Bystander.md'), text);
    const diagnostics = await client.diagnostics(u, (x) => x.length === 3);
    const fixes: Record<string, string> = {};
    for (const d of diagnostics) {
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: d.range, context: { diagnostics: [d] } });
      for (const a of actions) {
        if (!a.edit || !/^(Replace with|Add a definition|Remove the unused)/.test(a.title)) continue;
        const out = applyWorkspaceEditStrict(new Map([[u, text]]), a.edit, new Map([[u, 1]]));
        fixes[a.title] = out.get(u)!;
      }
    }
    assert.deepEqual(fixes, {
      "Replace with 'Target'": '# Doc\r\n\r\n𝕏🏴 [[Target]] claim.[^n]\r\n\r\n[^old]: unused\r\n',
      'Add a definition for footnote [^n]': '# Doc\r\n\r\n𝕏🏴 [[Targt]] claim.[^n]\r\n\r\n[^old]: unused\r\n[^n]: \r\n',
      'Remove the unused footnote [^old]': '# Doc\r\n\r\n𝕏🏴 [[Targt]] claim.[^n]\r\n',
    });
    client.close(u);
  });
});
