// Diagnostics over the protocol: pushed and pulled, kept current when linked articles appear or disappear on disk, and settings.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { ALL_CAPABILITIES, TestClient, copyWiki, ensureBuilt, uri, waitFor } from './harness';

const codes = (d: Diagnostic[]) => d.map((x) => x.code).sort();
const brokenTo = (name: string) => (d: Diagnostic[]) => d.some((x) => x.code === 'broken-link' && (typeof x.message === 'string' ? x.message : x.message.value).includes(name));

describe('Pushed diagnostics', () => {
  let client: TestClient;
  let wiki: string;
  let draft: string;

  before(async () => {
    ensureBuilt();
    wiki = copyWiki();
    client = new TestClient({ folders: [wiki] });
    await client.initialize();
    await client.ready();
    draft = client.open(path.join(wiki, 'Draft.md'));
  });
  after(async () => {
    await client.stop();
    fs.rmSync(wiki, { recursive: true, force: true });
  });

  test('are published for an open document with its version', async () => {
    const d = await client.diagnostics(draft, (d) => d.length > 0);
    assert.deepEqual(codes(d), ['broken-heading', 'broken-link', 'broken-link', 'missing-footnote-definition']);
    assert.equal(client.diagnosticsOf(draft)!.version, 1);
    const broken = d.find((x) => x.code === 'broken-link')!;
    assert.deepEqual(broken.range, { start: { line: 2, character: 24 }, end: { line: 2, character: 43 } });
    assert.equal(broken.severity, 2);
    assert.equal(broken.source, 'linked-articles');
  });

  test('follow an edit, for the edited version', async () => {
    const version = client.change(draft, '# Draft\n\nNow only [[Anarchism]] and a note.[^x]\n');
    const d = await client.diagnostics(draft, () => true, version);
    assert.deepEqual(codes(d), ['missing-footnote-definition']);
  });

  test('follow incremental edits applied to the right place', async () => {
    const version = client.change(draft, '[[Nowhere Yet]] ', { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } });
    const d = await client.diagnostics(draft, () => true, version);
    const broken = d.find((x) => x.code === 'broken-link');
    assert.ok(broken, JSON.stringify(d));
    assert.deepEqual(broken.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 13 } });
  });

  test('of a document linking to an article are cleared when the article is created on disk', async () => {
    await client.diagnostics(draft, brokenTo('Nowhere Yet'));
    const created = path.join(wiki, 'Nowhere_Yet.md');
    fs.writeFileSync(created, '# Nowhere Yet\n\nNow it exists.\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(created), type: 1 }] });
    const d = await client.diagnostics(draft, (d) => !brokenTo('Nowhere Yet')(d));
    assert.deepEqual(codes(d), ['missing-footnote-definition']);
  });

  test('of a document linking to an article come back when the article is deleted from disk', async () => {
    const deleted = path.join(wiki, 'Nowhere_Yet.md');
    fs.rmSync(deleted);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(deleted), type: 3 }] });
    await client.diagnostics(draft, brokenTo('Nowhere Yet'));
  });

  test('of a document follow a heading added to a linked article on disk', async () => {
    const version = client.change(draft, '# Draft\n\nSee [[Kronstadt Rebellion#Legacy]].\n');
    await client.diagnostics(draft, (d) => d.some((x) => x.code === 'broken-heading'), version);
    const file = path.join(wiki, 'Kronstadt_Rebellion.md');
    fs.appendFileSync(file, '\n## Legacy\n\nStill debated.\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(file), type: 2 }] });
    await client.diagnostics(draft, (d) => d.length === 0);
  });

  test('of a document follow a branch switch: hundreds of files told changed in one notification', async () => {
    const version = client.change(draft, '# Draft\n\nSee [[Branch Page 249]] and [[Kronstadt Rebellion#Memory]].\n');
    await client.diagnostics(draft, (d) => brokenTo('Branch Page 249')(d) && d.some((x) => x.code === 'broken-heading'), version);
    const files: string[] = [];
    for (let i = 0; i < 250; i++) {
      const file = path.join(wiki, `Branch_Page_${i}.md`);
      fs.writeFileSync(file, `# Branch Page ${i}\n\nOn [[Branch Page ${(i + 1) % 250}]].\n`);
      files.push(file);
    }
    const kronstadt = path.join(wiki, 'Kronstadt_Rebellion.md');
    fs.appendFileSync(kronstadt, '\n## Memory\n\nStill debated.\n');
    files.push(kronstadt);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: files.map((f) => ({ uri: uri(f), type: f === kronstadt ? 2 : 1 })) });
    await client.diagnostics(draft, (d) => d.length === 0);
    const refs = await client.request<unknown[]>('textDocument/references', { textDocument: { uri: uri(files[0]) }, position: { line: 0, character: 3 }, context: { includeDeclaration: false } });
    assert.equal(refs.length, 1, 'Branch Page 0 is linked from Branch Page 249, read in the same batch');
  });

  test('of other open documents are not recomputed by an edit that changes no name or heading', async () => {
    const anarchism = client.open(path.join(wiki, 'Anarchism.md'));
    await client.diagnostics(anarchism);
    const before = client.published.filter((p) => p.uri === anarchism).length;
    const version = client.change(draft, '# Draft\n\nSee [[Anarchism]] twice: [[Anarchism]].\n');
    await client.diagnostics(draft, () => true, version);
    // An edit to a heading of Anarchism's target would be needed to touch Anarchism's diagnostics.
    assert.equal(client.published.filter((p) => p.uri === anarchism).length, before);
  });

  test('of an open document follow a linked open document whose title changes', async () => {
    const scratch = client.open(path.join(wiki, 'Scratch.md'), '# Scratch\n\n[[Temporary Name]]\n');
    await client.diagnostics(scratch, brokenTo('Temporary Name'));
    const other = client.open(path.join(wiki, 'Other.md'), '---\ntitle: Other\n---\nText.\n');
    client.change(other, '---\ntitle: Other\naliases: [Temporary Name]\n---\nText.\n');
    await client.diagnostics(scratch, (d) => d.length === 0);
  });

  test('are cleared when the document is closed', async () => {
    const scratch = client.open(path.join(wiki, 'Closing.md'), '[[Not There]]\n');
    await client.diagnostics(scratch, (d) => d.length === 1);
    client.close(scratch);
    await waitFor('empty diagnostics for the closed document', () => client.diagnosticsOf(scratch)?.diagnostics.length === 0);
  });

  test('never go back to an older version during a burst of edits', async () => {
    const burst = client.open(path.join(wiki, 'Burst.md'), '# Burst\n');
    let last = 1;
    for (let i = 0; i < 30; i++) last = client.change(burst, `# Burst\n\n${'[[Missing]] '.repeat(i)}\n`);
    const d = await client.diagnostics(burst, () => true, last);
    assert.equal(d.length, 29);
    const versions = client.published.filter((p) => p.uri === burst).map((p) => p.version ?? 0);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), `published versions ${versions}`);
    assert.ok(versions.length < 31, 'a burst of edits is coalesced');
  });

  test('follow the severity settings when the configuration changes', async () => {
    const version = client.change(draft, '# Draft\n\n[[Gone Missing]] and [^nowhere]\n');
    await client.diagnostics(draft, (d) => d.length === 2, version);
    client.settings = { diagnostics: { brokenLink: 'error', missingFootnoteDefinition: 'off' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const d = await client.diagnostics(draft, (d) => d.length === 1);
    assert.equal(d[0].code, 'broken-link');
    assert.equal(d[0].severity, 1);
  });

  test('follow a case-mode setting that changes how names match, after reindexing', async () => {
    client.settings = { caseMode: 'exact' };
    const version = client.change(draft, '# Draft\n\n[[anarchism]]\n');
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.diagnostics(draft, brokenTo('anarchism'), version);
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.diagnostics(draft, (d) => d.length === 0);
  });
});

describe('Pulled diagnostics', () => {
  let client: TestClient;
  let wiki: string;
  let capabilities: Record<string, unknown>;

  before(async () => {
    ensureBuilt();
    wiki = copyWiki();
    client = new TestClient({
      folders: [wiki],
      capabilities: {
        ...ALL_CAPABILITIES,
        workspace: { ...ALL_CAPABILITIES.workspace, diagnostics: { refreshSupport: true } },
        textDocument: { ...ALL_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } },
      },
    });
    capabilities = (await client.initialize()).capabilities;
    await client.ready();
  });
  after(async () => {
    await client.stop();
    fs.rmSync(wiki, { recursive: true, force: true });
  });

  test('are announced with inter-file dependencies, for the workspace too', () => {
    assert.deepEqual(capabilities.diagnosticProvider, { identifier: 'linked-articles', interFileDependencies: true, workspaceDiagnostics: true });
  });

  test('are answered for an open document and not pushed', async () => {
    const draft = client.open(path.join(wiki, 'Draft.md'));
    const report = await client.request<{ kind: string; resultId: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: draft } });
    assert.equal(report.kind, 'full');
    assert.deepEqual(codes(report.items), ['broken-heading', 'broken-link', 'broken-link', 'missing-footnote-definition']);
    assert.equal(client.published.length, 0);
  });

  test('say "unchanged" when nothing that could change them has happened', async () => {
    const draft = uri(path.join(wiki, 'Draft.md'));
    const first = await client.request<{ resultId: string }>('textDocument/diagnostic', { textDocument: { uri: draft } });
    const second = await client.request<{ kind: string; resultId: string }>('textDocument/diagnostic', { textDocument: { uri: draft }, previousResultId: first.resultId });
    assert.deepEqual(second, { kind: 'unchanged', resultId: first.resultId });
  });

  test('ask the client to pull again when a linked article is created, and then report the change', async () => {
    const draft = uri(path.join(wiki, 'Draft.md'));
    const first = await client.request<{ resultId: string }>('textDocument/diagnostic', { textDocument: { uri: draft } });
    const refreshes = client.refreshes;
    const created = path.join(wiki, 'Nonexistent_Article.md');
    fs.writeFileSync(created, '# Nonexistent Article\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(created), type: 1 }] });
    await waitFor('a diagnostic refresh request', () => client.refreshes > refreshes);
    const next = await client.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: draft }, previousResultId: first.resultId });
    assert.equal(next.kind, 'full');
    assert.deepEqual(codes(next.items), ['broken-heading', 'missing-footnote-definition']);
  });
});

describe("The wiki's own .vscode/settings.json", () => {
  const SETTINGS = '{\n  // as a VS Code workspace keeps them\n  "linkedArticles.diagnostics.brokenLink": "error",\n}\n';

  async function severityOfBrokenLink(settings: Record<string, unknown> | null, capabilities = ALL_CAPABILITIES, initializationOptions?: Record<string, unknown>): Promise<{ severity: number | undefined; logs: string[] }> {
    const wiki = copyWiki();
    fs.mkdirSync(path.join(wiki, '.vscode'));
    fs.writeFileSync(path.join(wiki, '.vscode/settings.json'), SETTINGS);
    const client = new TestClient({ folders: [wiki], settings, capabilities, initializationOptions });
    try {
      await client.initialize();
      await client.ready();
      const draft = client.open(path.join(wiki, 'Draft.md'));
      const d = await client.diagnostics(draft, (d) => d.some((x) => x.code === 'broken-link'));
      return { severity: d.find((x) => x.code === 'broken-link')!.severity, logs: client.logs.map((l) => l.message) };
    } finally {
      await client.stop();
      fs.rmSync(wiki, { recursive: true, force: true });
    }
  }

  test('gives the settings to an editor that gives none (Neovim, Helix), and the log says so', async () => {
    const { severity, logs } = await severityOfBrokenLink(null);
    assert.equal(severity, 1, 'an error, as the file says');
    assert.ok(logs.some((m) => /Settings from .*\.vscode\/settings\.json, as the editor gave none: diagnostics/.test(m)), logs.join('\n'));
  });

  test('is read again when it changes on disk, for an editor that gives no settings', async () => {
    const wiki = copyWiki();
    fs.mkdirSync(path.join(wiki, '.vscode'));
    const file = path.join(wiki, '.vscode/settings.json');
    fs.writeFileSync(file, SETTINGS);
    const client = new TestClient({ folders: [wiki], settings: null });
    try {
      await client.initialize();
      await client.ready();
      const draft = client.open(path.join(wiki, 'Draft.md'));
      const severity = (d: Diagnostic[]) => d.find((x) => x.code === 'broken-link')?.severity;
      await client.diagnostics(draft, (d) => severity(d) === 1);
      fs.writeFileSync(file, '{ "linkedArticles.diagnostics.brokenLink": "hint" }');
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(file), type: 2 }] });
      const d = await client.diagnostics(draft, (d) => severity(d) === 4);
      assert.equal(severity(d), 4);
    } finally {
      await client.stop();
      fs.rmSync(wiki, { recursive: true, force: true });
    }
  });

  test('gives the settings to an editor that gives none, even when its initialization options hold a storage folder', async () => {
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'la-settings-store-'));
    try {
      assert.equal((await severityOfBrokenLink(null, ALL_CAPABILITIES, { storagePath: storage })).severity, 1);
      // Options that are the settings themselves are settings given.
      assert.equal((await severityOfBrokenLink(null, ALL_CAPABILITIES, { caseMode: 'insensitive' })).severity, 2);
    } finally {
      fs.rmSync(storage, { recursive: true, force: true });
    }
  });

  test('gives the settings to an editor that cannot be asked for any (no workspace/configuration)', async () => {
    const { severity } = await severityOfBrokenLink({}, { ...ALL_CAPABILITIES, workspace: { ...ALL_CAPABILITIES.workspace, configuration: false } });
    assert.equal(severity, 1);
  });

  test("is not read when the editor gives its settings, as VS Code does (its own settings are that file's, applied by VS Code)", async () => {
    const { severity, logs } = await severityOfBrokenLink({});
    assert.equal(severity, 2, 'the default warning');
    assert.ok(!logs.some((m) => /Settings from/.test(m)));
  });
});
