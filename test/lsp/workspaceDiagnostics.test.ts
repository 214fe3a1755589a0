// Problems of the articles no editor has open (`diagnostics.scope`: `workspace`): pushed to clients that take pushes, pulled through workspace/diagnostic by those that pull, and kept up to date.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { ALL_CAPABILITIES, TestClient, ensureBuilt, uri, waitFor } from './harness';

const FILES: Record<string, string> = {
  'Home.md': '# Home\n\nSee [[Mutual Aid]] and [[Nowhere]].\n',
  'Mutual_Aid.md': '# Mutual Aid\n\nHelp.\n',
  'Notes.md': '# Notes\n\nA claim.[^1] About [[Mutual Aid#Origins]].\n',
  'Clean.md': '# Clean\n\n[[Home]]\n',
};

function makeWiki(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'la-workspace-diagnostics-')));
  for (const [name, text] of Object.entries(FILES)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const messages = (d: Diagnostic[]) => d.map((x) => `${x.code}: ${x.message}`);

describe('Workspace diagnostics pushed to a client that takes pushes', () => {
  let dir: string;
  let client: TestClient;
  before(async () => {
    ensureBuilt();
    dir = makeWiki();
    client = new TestClient({ folders: [dir], settings: { diagnostics: { scope: 'workspace' } } });
    await client.initialize();
    await client.ready();
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const file = (name: string) => uri(path.join(dir, name));

  test('every article with problems has them published without being opened; a clean one has none sent', async () => {
    assert.deepEqual(messages(await client.diagnostics(file('Home.md'), (d) => d.length > 0)), ["broken-link: No article named 'Nowhere'"]);
    assert.deepEqual(messages(await client.diagnostics(file('Notes.md'), (d) => d.length > 1)), [
      'missing-footnote-definition: Footnote [^1] has no definition',
      "broken-heading: No heading 'Origins' in 'Mutual Aid'",
    ]);
    // Once the server says its pass over the articles is done, nothing came for the clean one.
    await waitFor('the pass over the articles to end', () => client.logs.some((l) => /^Problems of the articles not open: 2 sent/.test(l.message)));
    assert.equal(client.diagnosticsOf(file('Clean.md')), undefined, 'nothing is sent for an article without problems');
  });

  test('a change on disk updates the articles it affects, and a deleted article\'s problems are taken back', async () => {
    fs.writeFileSync(path.join(dir, 'Mutual_Aid.md'), '# Mutual Aid\n\nHelp.\n\n## Origins\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: file('Mutual_Aid.md'), type: 2 }] });
    assert.deepEqual(messages(await client.diagnostics(file('Notes.md'), (d) => d.length === 1)), ['missing-footnote-definition: Footnote [^1] has no definition']);
    fs.rmSync(path.join(dir, 'Home.md'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: file('Home.md'), type: 3 }] });
    await client.diagnostics(file('Home.md'), (d) => d.length === 0);
    assert.deepEqual(messages(await client.diagnostics(file('Clean.md'), (d) => d.length > 0)), ["broken-link: No article named 'Home'"]);
  });

  test('an article opened, edited and closed unsaved is reported as its file on disk says again', async () => {
    const u = client.open(path.join(dir, 'Clean.md'));
    const version = client.change(u, '# Clean\n\nNow fine.\n');
    await client.diagnostics(u, (d) => d.length === 0, version);
    client.close(u);
    assert.deepEqual(messages(await client.diagnostics(u, (d) => d.length > 0)), ["broken-link: No article named 'Home'"]);
  });

  test('the scope set back to open takes back what was published for articles not open', async () => {
    client.settings = { diagnostics: { scope: 'open' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await client.diagnostics(file('Notes.md'), (d) => d.length === 0);
    await client.diagnostics(file('Clean.md'), (d) => d.length === 0);
  });
});

describe('Workspace diagnostics pulled by a client that pulls', () => {
  let dir: string;
  let client: TestClient;
  const partials: { uri: string; resultId: string; items: Diagnostic[] }[][] = [];
  before(async () => {
    ensureBuilt();
    dir = makeWiki();
    client = new TestClient({
      folders: [dir],
      settings: { diagnostics: { scope: 'workspace' } },
      capabilities: { ...ALL_CAPABILITIES, textDocument: { ...ALL_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false } } },
    });
    client.connection.onNotification('$/progress', (p: { token: string; value: { items?: (typeof partials)[number] } }) => {
      if (p.token === 'workspace-pull' && p.value.items) partials.push(p.value.items);
    });
    const { capabilities } = await client.initialize();
    assert.deepEqual(capabilities.diagnosticProvider, { identifier: 'linked-articles', interFileDependencies: true, workspaceDiagnostics: true });
    await client.ready();
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const file = (name: string) => uri(path.join(dir, name));
  type Report = { uri: string; resultId: string; kind: string; items: Diagnostic[] };
  const pull = async (previousResultIds: { uri: string; value: string }[]) => {
    partials.length = 0;
    const result = await client.request<{ items: Report[] }>('workspace/diagnostic', { previousResultIds, partialResultToken: 'workspace-pull' });
    return [...partials.flat(), ...result.items] as Report[];
  };

  test('a first pull reports every article with problems, streamed as partial results, and nothing for a clean one', async () => {
    const reports = await pull([]);
    const byFile = new Map(reports.map((r) => [path.basename(new URL(r.uri).pathname), messages(r.items)]));
    assert.deepEqual(Object.fromEntries(byFile), {
      'Home.md': ["broken-link: No article named 'Nowhere'"],
      'Notes.md': ['missing-footnote-definition: Footnote [^1] has no definition', "broken-heading: No heading 'Origins' in 'Mutual Aid'"],
    });
    assert.ok(partials.length > 0, 'the reports came as partial results');
  });

  test('a pull with the ids it was given waits for a change, then reports only the articles it changed', async () => {
    const first = await pull([]);
    const ids = first.map((r) => ({ uri: r.uri, value: r.resultId }));
    let answered = false;
    const next = pull(ids).then((r) => {
      answered = true;
      return r;
    });
    // Nothing has changed yet: the request waits. A request sent after it is answered first (a pull answered at once,
    // with nothing to tell, would have come back before it).
    await client.request('linkedArticles/status', {});
    await client.request('textDocument/documentSymbol', { textDocument: { uri: file('Home.md') } });
    assert.equal(answered, false, 'the pull waits while nothing changes');
    fs.writeFileSync(path.join(dir, 'Mutual_Aid.md'), '# Mutual Aid\n\nHelp.\n\n## Origins\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: file('Mutual_Aid.md'), type: 2 }] });
    const reports = await next;
    // Home links to the changed article too: it was looked at again, and its problems, the same, are told unchanged.
    assert.deepEqual(
      reports.map((r) => [path.basename(new URL(r.uri).pathname), r.kind, r.kind === 'full' ? messages(r.items) : []]),
      [
        ['Home.md', 'unchanged', []],
        ['Notes.md', 'full', ['missing-footnote-definition: Footnote [^1] has no definition']],
      ],
    );
    await waitFor('the pull to be answered', () => answered);
  });
});
