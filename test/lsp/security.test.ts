// Over the protocol: links and symbolic links that leave the workspace resolve to nothing and are never shown, and hover, completion and backlinks markdown from the wiki is inert.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CompletionItem, CompletionList, Diagnostic, DocumentLink, Hover, Location } from 'vscode-languageserver-protocol';
import { TestClient, ensureBuilt, positionOf, uri } from './harness';

const SECRET = 'TOP-SECRET-CONTENT-91bc';
const ESCAPES = [
  '[[../../etc/passwd]]',
  '<a href="/etc/passwd">passwd</a>',
  '[x](file:///etc/passwd)',
  '[[../outside/Secret]]',
  '[[Leak]]',
  '[v](linked-folder/Secret.md)',
  '![[leak.png]]',
];

/** Markdown that can do nothing: no HTML, no link, no autolink, no command. */
function assertInert(md: string, where: string): void {
  assert.doesNotMatch(md, /<\/?[A-Za-z!]/, `${where} carries raw HTML: ${md}`);
  assert.doesNotMatch(md, /(?<!\\)\]\(/, `${where} carries a markdown link: ${md}`);
  assert.doesNotMatch(md, /command:|javascript:/i, `${where} names a command: ${md}`);
  assert.ok(!md.includes(SECRET), `${where} shows outside content`);
}

describe('security over the protocol', () => {
  let base: string;
  let root: string;
  let client: TestClient;
  let home: string;
  let reader: string;
  const homeText = '# Home\n\n' + ESCAPES.join('\n\n') + '\n';
  const readerText = 'See [[Evil]] and [[Evil#Part]] and some power.\n';

  before(async () => {
    ensureBuilt();
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-lsp-sec-')));
    root = path.join(base, 'wiki');
    const outside = path.join(base, 'outside');
    fs.mkdirSync(root);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'Secret.md'), `# Secret\n\n${SECRET}\n`);
    fs.writeFileSync(path.join(outside, 'secret.png'), SECRET);
    fs.symlinkSync(path.join(outside, 'Secret.md'), path.join(root, 'Leak.md'));
    fs.symlinkSync(outside, path.join(root, 'linked-folder'));
    fs.symlinkSync(path.join(outside, 'secret.png'), path.join(root, 'leak.png'));
    fs.writeFileSync(path.join(root, 'Home.md'), homeText);
    fs.writeFileSync(
      path.join(root, 'Evil.md'),
      '# Evil\n\nLead <script>alert(1)</script> <img src=x onerror="alert(2)"> [click](command:workbench.action.terminal.new) <command:x> [js](javascript:alert(3)).[^1]\n\n## Part\n\nSection <iframe src="https://evil.example"></iframe> [run](command:x).\n\n[^1]: Note <script>alert(4)</script> [c](command:y)\n',
    );
    fs.writeFileSync(path.join(root, 'Glossary.md'), '# Glossary\n\nPOWER: <script>alert(5)</script> [c](command:x) over others\n');
    fs.writeFileSync(path.join(root, 'Reader.md'), readerText);
    client = new TestClient({ folders: [root] });
    await client.initialize();
    await client.ready();
    home = client.open(path.join(root, 'Home.md'));
    reader = client.open(path.join(root, 'Reader.md'));
  });
  after(async () => {
    await client.stop();
    fs.rmSync(base, { recursive: true, force: true });
  });

  test('every link that leaves the workspace is a broken link, the picture a missing file', async () => {
    const d: Diagnostic[] = await client.diagnostics(home, (x) => x.length === ESCAPES.length);
    assert.ok(d.every((x) => x.code === 'broken-link' || (x.code === 'missing-file' && /leak\.png/.test(String(x.message)))), JSON.stringify(d.map((x) => x.message)));
    for (const x of d) assert.ok(!JSON.stringify(x.message).includes(SECRET));
  });

  test('hover, definition, references and document links on them show and point at nothing outside', async () => {
    for (const e of ESCAPES) {
      const position = positionOf(homeText, e, 0, 3);
      const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: home }, position });
      if (h) assertInert(JSON.stringify(h.contents), `hover on ${e}`);
      const defs = await client.request<Location[] | null>('textDocument/definition', { textDocument: { uri: home }, position });
      assert.deepEqual(defs ?? [], [], `definition of ${e}`);
      const refs = (await client.request<Location[] | null>('textDocument/references', { textDocument: { uri: home }, position, context: { includeDeclaration: true } })) ?? [];
      for (const r of refs) assert.ok(r.uri.startsWith(uri(root) + '/'), r.uri);
    }
    const links = (await client.request<DocumentLink[] | null>('textDocument/documentLink', { textDocument: { uri: home } })) ?? [];
    for (const l of links) assert.ok(!l.target || l.target.startsWith(uri(root) + '/'), `document link to ${l.target}`);
    assert.equal(links.length, 0);
  });

  test('completion and workspace symbols offer nothing from outside', async () => {
    const probe = client.open(path.join(root, 'Probe.md'), '[[\n[x](\n<a href="\n[x](linked-folder/\n');
    for (const position of [{ line: 0, character: 2 }, { line: 1, character: 4 }, { line: 2, character: 9 }, { line: 3, character: 18 }]) {
      const c = await client.request<CompletionList | null>('textDocument/completion', { textDocument: { uri: probe }, position });
      for (const i of c?.items ?? []) assert.ok(!/secret|leak|outside/i.test(`${i.label} ${i.detail ?? ''}`), `offered ${i.label}`);
    }
    const symbols = await client.request<unknown[]>('workspace/symbol', { query: 'secret' });
    assert.deepEqual(symbols, []);
    client.close(probe);
  });

  test('hovers on a link, a section link, a footnote and a glossary term are inert markdown', async () => {
    for (const [u, text, marker, delta] of [
      [reader, readerText, '[[Evil]]', 3],
      [reader, readerText, '[[Evil#Part]]', 3],
      [reader, readerText, 'power', 1],
    ] as const) {
      const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: u }, position: positionOf(text, marker, 0, delta) });
      assert.ok(h, `a hover on ${marker}`);
      assert.equal((h.contents as { kind: string }).kind, 'markdown');
      assertInert((h.contents as { value: string }).value, `hover on ${marker}`);
    }
    const evil = client.open(path.join(root, 'Evil.md'));
    const evilText = fs.readFileSync(path.join(root, 'Evil.md'), 'utf8');
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: evil }, position: positionOf(evilText, '[^1]', 0, 1) });
    assertInert((h.contents as { value: string }).value, 'footnote hover');
    client.close(evil);
  });

  test('completion documentation is inert markdown', async () => {
    const probe = client.open(path.join(root, 'Probe2.md'), '[[Ev\n');
    const c = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: probe }, position: { line: 0, character: 4 } });
    const evil = c.items.find((i) => i.label === 'Evil');
    assert.ok(evil, 'Evil is offered');
    for (const listed of c.items) {
      const i = await client.request<CompletionItem>('completionItem/resolve', listed);
      const doc = typeof i.documentation === 'string' ? i.documentation : i.documentation?.value ?? '';
      assertInert(doc, `documentation of ${i.label}`);
    }
    client.close(probe);
  });

  test('a command the server does not own is refused, not run', async () => {
    await assert.rejects(client.request('workspace/executeCommand', { command: 'workbench.action.terminal.new', arguments: [] }), (e: { code: number }) => e.code !== -32603);
  });
});
