// The server's start-up and life over stdio: capabilities, the background index with progress and status, robustness.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALL_CAPABILITIES, FIXTURE_WIKI, TestClient, ensureBuilt, positionOf, uri, waitFor } from './harness';

describe('The server over stdio', () => {
  let client: TestClient;
  let capabilities: Record<string, unknown>;

  before(async () => {
    ensureBuilt();
    client = new TestClient({ folders: [FIXTURE_WIKI] });
    capabilities = (await client.initialize()).capabilities;
    await client.ready();
  });
  after(() => client.stop());

  test('announces incremental sync and every feature it implements', () => {
    assert.deepEqual((capabilities.textDocumentSync as { change: number }).change, 2);
    for (const c of ['completionProvider', 'definitionProvider', 'hoverProvider', 'referencesProvider', 'documentSymbolProvider', 'workspaceSymbolProvider', 'documentLinkProvider']) {
      assert.ok(capabilities[c], `${c} is announced`);
    }
  });

  test('does not announce pull diagnostics to a client that cannot pull', () => {
    assert.equal(capabilities.diagnosticProvider, undefined);
  });

  test('reports indexing as work-done progress that begins, counts the articles and ends', () => {
    const kinds = client.progress.map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds.at(-1), 'end');
    const reports = client.progress.filter((p) => p.value.kind === 'report').map((p) => p.value.message);
    assert.ok(reports.includes('Indexing 9/9 articles'), `reports were ${JSON.stringify(reports)}`);
  });

  test('tells the client the index state through linkedArticles/status', () => {
    assert.equal(client.status[0].state, 'indexing');
    assert.deepEqual(client.status.at(-1), { state: 'ready', done: 9, total: 9, articles: 9 });
  });

  test('registers for watched files and configuration changes when the client allows it', async () => {
    await waitFor('two registrations', () => client.registrations.length >= 2);
    const methods = client.registrations.map((r) => r.method).sort();
    assert.deepEqual(methods, ['workspace/didChangeConfiguration', 'workspace/didChangeWatchedFiles']);
  });

  test('asks for the linkedArticles settings of each workspace folder', () => {
    const items = (client.configurationRequests[0] as { items: { scopeUri?: string; section: string }[] }).items;
    assert.deepEqual(items, [{ scopeUri: uri(FIXTURE_WIKI), section: 'linkedArticles' }]);
  });

  test('answers a request about a document it does not know with null, not an error', async () => {
    const hover = await client.request('textDocument/hover', { textDocument: { uri: uri('/nowhere/Missing.md') }, position: { line: 0, character: 0 } });
    assert.equal(hover, null);
  });

  test('returns an LSP error for a malformed request and keeps serving', async () => {
    await assert.rejects(client.request('linkedArticles/backlinks', {}), (e: { code: number; message: string }) => e.code === -32602 && /needs \{ uri \}/.test(e.message));
    const u = client.open(path.join(FIXTURE_WIKI, 'Anarchism.md'));
    const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
    assert.ok(symbols.length > 0);
  });

  test('survives a position far outside the document', async () => {
    const u = client.open(path.join(FIXTURE_WIKI, 'Communism.md'));
    const result = await client.request('textDocument/definition', { textDocument: { uri: u }, position: { line: 9999, character: 9999 } });
    assert.equal(result, null);
  });
});

describe('A server asked about an open document before its index is complete', () => {
  test('answers hover and completion for the open document at once', async () => {
    ensureBuilt();
    // No progress support and no folders read yet: the document's own facts are enough for its footnotes.
    const client = new TestClient({ folders: [FIXTURE_WIKI], capabilities: { ...ALL_CAPABILITIES, window: {} } });
    try {
      await client.initialize();
      const text = 'A claim.[^1]\n\n[^1]: The source of the claim.\n';
      const u = client.open(path.join(FIXTURE_WIKI, 'Scratch.md'), text);
      const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: u }, position: positionOf(text, '[^1]', 0, 2) });
      assert.match(hover.contents.value, /The source of the claim/);
    } finally {
      await client.stop();
    }
  });
});

describe('A server given a storage folder', () => {
  test('writes its index cache there, and the next start takes every article from it and says so', async () => {
    ensureBuilt();
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'la-lsp-storage-'));
    const messages = (c: TestClient) => c.logs.map((l) => l.message);
    try {
      const first = new TestClient({ folders: [FIXTURE_WIKI], initializationOptions: { storagePath: storage } });
      try {
        await first.initialize();
        await first.ready();
        // Written 5 s after the index is complete, so that the first requests come first.
        await waitFor('the index cache to be written', () => messages(first).some((m) => /^Index cache written \(\d+\.\d MB\)$/.test(m)), 20000, () => messages(first).join('\n'));
      } finally {
        await first.stop();
      }
      assert.ok(fs.readdirSync(storage).length > 0, 'the cache is in the storage folder');
      const second = new TestClient({ folders: [FIXTURE_WIKI], initializationOptions: { storagePath: storage } });
      try {
        await second.initialize();
        await second.ready();
        const indexed = messages(second).find((m) => m.startsWith('Indexed '));
        const m = /^Indexed (\d+) articles \((\d+) of them from the index cache\)/.exec(indexed ?? '');
        assert.ok(m, `the log says how many came from the cache: ${indexed}`);
        assert.equal(m[2], m[1], 'every article came from the cache');
      } finally {
        await second.stop();
      }
    } finally {
      fs.rmSync(storage, { recursive: true, force: true });
    }
  });
});
