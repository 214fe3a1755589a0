// Rename over the protocol: prepareRename, rename and willRenameFiles on the fixture wiki, each edit applied to the real texts byte for byte.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Range, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { EDITING_CAPABILITIES, applied, fixtureTexts } from './editing';
import { applyWorkspaceEdit } from '../../server/src/core/edits';
import { ALL_CAPABILITIES, FIXTURE_WIKI, TestClient, copyWiki, ensureBuilt, positionOf, uri } from './harness';

const file = (name: string) => path.join(FIXTURE_WIKI, name);
const read = (name: string) => fs.readFileSync(file(name), 'utf8');

describe('Rename over the protocol', () => {
  let client: TestClient;
  let capabilities: Record<string, unknown>;
  const docs: Record<string, string> = {};

  before(async () => {
    ensureBuilt();
    client = new TestClient({ folders: [FIXTURE_WIKI], capabilities: EDITING_CAPABILITIES });
    capabilities = (await client.initialize()).capabilities;
    await client.ready();
    for (const name of ['Mutual_Aid.md', 'Capitalism.md', 'Draft.md']) docs[name] = client.open(file(name));
  });
  after(() => client.stop());

  const at = (name: string, marker: string, delta = 0) => ({ textDocument: { uri: docs[name] }, position: positionOf(read(name), marker, 0, delta) });

  test('announces rename with prepareRename and the file renames it wants to hear of', () => {
    assert.deepEqual(capabilities.renameProvider, { prepareProvider: true });
    const filters = (capabilities.workspace as { fileOperations: { willRename: { filters: { pattern: { glob: string; matches: string } }[] } } }).fileOperations.willRename.filters;
    assert.deepEqual(filters.map((f) => [f.pattern.glob, f.pattern.matches]), [['**/*', 'file'], ['**/*', 'folder']]);
  });

  test('prepareRename on a link gives the target\'s range and the article\'s title', async () => {
    const r = await client.request('textDocument/prepareRename', at('Mutual_Aid.md', '[[Capitalism#Critiques]]', 4));
    assert.deepEqual(r, { range: { start: { line: 4, character: 24 }, end: { line: 4, character: 34 } }, placeholder: 'Capitalism' });
  });

  test('prepareRename on plain text answers null, and on a broken link an error that says why', async () => {
    assert.equal(await client.request('textDocument/prepareRename', at('Mutual_Aid.md', 'voluntary', 2)), null);
    await assert.rejects(client.request('textDocument/prepareRename', at('Draft.md', '[[Nonexistent Article]]', 4)), (e: { code: number; message: string }) => {
      return e.code === -32803 && e.message === "No article named 'Nonexistent Article' to rename (create it first)";
    });
  });

  test('renaming from a link renames the file and rewrites every link, each in its own syntax, in one versioned edit', async () => {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at('Mutual_Aid.md', '[[Capitalism#Critiques]]', 4), newName: 'Market Economy' });
    const changes = edit.documentChanges!;
    const versions = Object.fromEntries(changes.filter((c) => 'textDocument' in c).map((c) => [path.basename(new URL((c as { textDocument: { uri: string } }).textDocument.uri).pathname), (c as { textDocument: { version: number | null } }).textDocument.version]));
    // The open Capitalism.md is renamed first; its title edit then addresses the new name, whose version the client owns.
    assert.deepEqual(versions, { 'Mutual_Aid.md': 1, 'Market_Economy.md': null, 'Anarchism.md': null, 'Marxism-Leninism.md': null });
    assert.deepEqual(changes[0], { kind: 'rename', oldUri: docs['Capitalism.md'], newUri: uri(file('Market_Economy.md')), options: {} });
    const result = applied(edit, fixtureTexts(), new Map([[docs['Mutual_Aid.md'], 1], [docs['Capitalism.md'], 1]]));
    assert.equal(result['Mutual_Aid.md'], read('Mutual_Aid.md').replace('[[Capitalism#Critiques]]', '[[Market Economy#Critiques]]'));
    assert.equal(result['Anarchism.md'], read('Anarchism.md').replace('(Capitalism.md)', '(Market_Economy.md)'));
    assert.equal(result['Marxism-Leninism.md'], read('Marxism-Leninism.md').replaceAll('href="Capitalism.md"', 'href="Market_Economy.md"'));
    assert.equal(result['Market_Economy.md'], read('Capitalism.md').replace('# Capitalism', '# Market Economy'));
    assert.equal(result['Capitalism.md'], undefined);
    for (const name of ['Communism.md', 'Draft.md', 'Glossary.md', 'history/Spanish_Revolution.md']) assert.equal(result[name], read(name), `${name} is untouched`);
  });

  test('the editor\'s unsaved text and version are what the edit is made for', async () => {
    const u = client.open(file('Anarchism.md'));
    const edited = 'New first line.\n' + read('Anarchism.md');
    const version = client.change(u, edited);
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at('Mutual_Aid.md', '[[Capitalism#Critiques]]', 4), newName: 'Market Economy' });
    const change = edit.documentChanges!.find((c) => 'textDocument' in c && c.textDocument.uri === u) as { textDocument: { version: number }; edits: { range: { start: { line: number } } }[] };
    assert.equal(change.textDocument.version, version);
    const texts = fixtureTexts();
    texts.set(u, edited);
    assert.equal(applied(edit, texts, new Map([[u, version]]))['Anarchism.md'], edited.replace('(Capitalism.md)', '(Market_Economy.md)'));
    client.close(u);
  });

  test('with rename.leaveRedirect set to always, the renamed article leaves a redirect page at its old name', async () => {
    client.settings = { rename: { leaveRedirect: 'always' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    try {
      let edit: WorkspaceEdit;
      const start = Date.now();
      // The settings are pulled after the notification: asked again until the answer follows them.
      do edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at('Mutual_Aid.md', '[[Capitalism#Critiques]]', 4), newName: 'Market Economy' });
      while (!edit.documentChanges!.some((c) => 'kind' in c && c.kind === 'create') && Date.now() - start < 3000);
      const kinds = edit.documentChanges!.map((c) => ('kind' in c ? `${c.kind} ${path.basename(new URL(c.kind === 'rename' ? c.oldUri : c.uri).pathname)}` : 'text'));
      assert.deepEqual(kinds.slice(0, 2), ['rename Capitalism.md', 'create Capitalism.md']);
      const result = applied(edit, fixtureTexts(), new Map([[docs['Mutual_Aid.md'], 1], [docs['Capitalism.md'], 1]]));
      assert.equal(result['Capitalism.md'], '#REDIRECT [[Market Economy]]\n');
      assert.equal(result['Market_Economy.md'], read('Capitalism.md').replace('# Capitalism', '# Market Economy'));
    } finally {
      client.settings = {};
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    }
  });

  test('renaming a category without a page, from a pandoc anchor to it, rewrites its name there', async () => {
    const u = client.open(file('Marxism-Leninism.md'));
    try {
      const position = { textDocument: { uri: u }, position: positionOf(read('Marxism-Leninism.md'), 'Category:Anarchist_Concepts.md', 0, 'Category:Anar'.length) };
      const prepared = await client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', position);
      assert.equal(prepared.placeholder, 'Anarchist Concepts');
      const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...position, newName: 'Anarchist Ideas' });
      assert.ok(edit.documentChanges!.every((c) => 'textDocument' in c), 'no file is made or renamed');
      assert.equal(applied(edit, fixtureTexts(), new Map([[u, 1]]))['Marxism-Leninism.md'], read('Marxism-Leninism.md').replace('href="Category:Anarchist_Concepts.md"', 'href="Category:Anarchist_Ideas.md"'));
    } finally {
      client.close(u);
    }
  });

  test('renaming a heading rewrites the links to it', async () => {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at('Capitalism.md', '## Critiques', 4), newName: 'Criticism' });
    const result = applied(edit);
    assert.equal(result['Capitalism.md'], read('Capitalism.md').replace('## Critiques', '## Criticism'));
    assert.equal(result['Mutual_Aid.md'], read('Mutual_Aid.md').replace('[[Capitalism#Critiques]]', '[[Capitalism#Criticism]]'));
    assert.ok(edit.documentChanges!.every((c) => 'textDocument' in c), 'no file is renamed');
  });

  test('renaming a footnote rewrites its reference and definition in that article alone, with no file operation', async () => {
    docs['Marxism-Leninism.md'] = client.open(file('Marxism-Leninism.md'));
    const onNote = at('Marxism-Leninism.md', '[^1]', 2);
    assert.equal((await client.request<{ placeholder: string }>('textDocument/prepareRename', onNote)).placeholder, '1');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...onNote, newName: 'walker' });
    assert.ok(edit.documentChanges!.every((c) => 'textDocument' in c && c.textDocument.uri === docs['Marxism-Leninism.md']));
    const result = applied(edit, fixtureTexts(), new Map([[docs['Marxism-Leninism.md'], 1]]));
    assert.equal(result['Marxism-Leninism.md'], read('Marxism-Leninism.md').replaceAll('[^1]', '[^walker]'));
  });

  test('a name that is taken is refused with a message', async () => {
    await assert.rejects(
      client.request('textDocument/rename', { ...at('Mutual_Aid.md', '[[Capitalism#Critiques]]', 4), newName: 'Anarchism' }),
      (e: { code: number; message: string }) => e.code === -32803 && /Anarchism.md already exists/.test(e.message),
    );
  });

  test('moving a file in the editor rewrites relative paths and leaves links by name alone', async () => {
    const edit = await client.request<WorkspaceEdit | null>('workspace/willRenameFiles', { files: [{ oldUri: docs['Capitalism.md'], newUri: uri(file('history/Capitalism.md')) }] });
    assert.ok(edit);
    assert.ok(edit.documentChanges!.every((c) => 'textDocument' in c), 'only text edits: the client moves the file itself');
    const result = applied(edit, fixtureTexts(), new Map([[docs['Capitalism.md'], 1]]));
    assert.equal(result['Anarchism.md'], read('Anarchism.md').replace('(Capitalism.md)', '(history/Capitalism.md)'));
    assert.equal(result['Capitalism.md'], read('Capitalism.md').replace('(Anarchism.md#principles)', '(../Anarchism.md#principles)').replace('(Mutual_Aid.md)', '(../Mutual_Aid.md)'));
    assert.equal(result['Mutual_Aid.md'], read('Mutual_Aid.md'), '[[Capitalism#Critiques]] finds it by name wherever it is');
    assert.equal(result['Marxism-Leninism.md'], read('Marxism-Leninism.md'), 'pandoc\'s wikilink anchors are names too');
  });

  test('the echo of the server\'s own file rename is answered with no edit', async () => {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at('Mutual_Aid.md', '[[Capitalism#Critiques]]', 4), newName: 'Free Market' });
    const op = edit.documentChanges!.find((c) => 'kind' in c && c.kind === 'rename') as { oldUri: string; newUri: string };
    assert.equal(await client.request('workspace/willRenameFiles', { files: [{ oldUri: op.oldUri, newUri: op.newUri }] }), null);
  });
});

describe('Rename for a client that cannot rename files', () => {
  test('is refused with a message rather than half done', async () => {
    ensureBuilt();
    const client = new TestClient({ folders: [FIXTURE_WIKI], capabilities: { ...ALL_CAPABILITIES, workspace: { ...ALL_CAPABILITIES.workspace, workspaceEdit: { documentChanges: true } } } });
    try {
      await client.initialize();
      await client.ready();
      const u = client.open(file('Mutual_Aid.md'));
      const onLink = { textDocument: { uri: u }, position: positionOf(read('Mutual_Aid.md'), '[[Capitalism', 0, 4) };
      // Said when the rename is prepared, before the writer types a new name.
      await assert.rejects(client.request('textDocument/prepareRename', onLink), (e: { message: string }) => /cannot rename files/.test(e.message));
      await assert.rejects(
        client.request('textDocument/rename', { ...onLink, newName: 'Market Economy' }),
        (e: { message: string }) => /cannot rename files/.test(e.message),
      );
      const onHeading = { textDocument: { uri: u }, position: positionOf(read('Mutual_Aid.md'), '## In practice', 0, 4) };
      assert.equal((await client.request<{ placeholder: string }>('textDocument/prepareRename', onHeading)).placeholder, 'In practice');
      const heading = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: u }, position: positionOf(read('Mutual_Aid.md'), '## In practice', 0, 4), newName: 'Practice' });
      assert.ok(heading.documentChanges!.length > 0, 'a heading rename needs no file operation and still works');
      const ml = client.open(file('Marxism-Leninism.md'));
      const onNote = { textDocument: { uri: ml }, position: positionOf(read('Marxism-Leninism.md'), '[^1]', 0, 2) };
      assert.equal((await client.request<{ placeholder: string }>('textDocument/prepareRename', onNote)).placeholder, '1', 'nor does a footnote rename');
    } finally {
      await client.stop();
    }
  });
});

describe('Rename for a client that lists file operations but does not say it takes documentChanges (Neovim)', () => {
  test('gets the file rename inside documentChanges, which such a client applies', async () => {
    ensureBuilt();
    // Neovim declares exactly this (0.7, and later versions still), and applies documentChanges with create, rename and delete.
    const client = new TestClient({ folders: [FIXTURE_WIKI], capabilities: { ...ALL_CAPABILITIES, workspace: { ...ALL_CAPABILITIES.workspace, workspaceEdit: { resourceOperations: ['rename', 'create', 'delete'] } }, textDocument: { ...ALL_CAPABILITIES.textDocument, rename: { prepareSupport: true } } } });
    try {
      await client.initialize();
      await client.ready();
      const u = client.open(file('Mutual_Aid.md'));
      const onLink = { textDocument: { uri: u }, position: positionOf(read('Mutual_Aid.md'), '[[Capitalism', 0, 4) };
      assert.equal((await client.request<{ placeholder: string }>('textDocument/prepareRename', onLink)).placeholder, 'Capitalism');
      const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...onLink, newName: 'Market Economy' });
      const ops = edit.documentChanges!.filter((c) => 'kind' in c) as { kind: string; oldUri: string; newUri: string }[];
      assert.deepEqual(ops.map((o) => [o.kind, o.oldUri.split('/').pop(), o.newUri.split('/').pop()]), [['rename', 'Capitalism.md', 'Market_Economy.md']]);
      assert.equal(edit.changes, undefined);
    } finally {
      await client.stop();
    }
  });
});

describe('Moving an attachment in the editor', () => {
  test('rewrites the links to it in open and closed articles, the open one at its version', async () => {
    ensureBuilt();
    const root = copyWiki();
    fs.mkdirSync(path.join(root, 'files'));
    fs.writeFileSync(path.join(root, 'files', 'Das Kapital.pdf'), '%PDF-1.4\n');
    fs.writeFileSync(path.join(root, 'Reading.md'), '# Reading\n\n[Capital](files/Das%20Kapital.pdf#page=3) and [[File:Das Kapital.pdf]].\n');
    const client = new TestClient({ folders: [root], capabilities: EDITING_CAPABILITIES });
    try {
      await client.initialize();
      await client.ready();
      const capitalism = client.open(path.join(root, 'Capitalism.md'), read('Capitalism.md') + '\nSee <a href="files/Das Kapital.pdf">the book</a>.\n');
      const edit = await client.request<WorkspaceEdit | null>('workspace/willRenameFiles', {
        files: [{ oldUri: uri(path.join(root, 'files', 'Das Kapital.pdf')), newUri: uri(path.join(root, 'library', 'Capital.pdf')) }],
      });
      assert.ok(edit, 'an edit for the links to the PDF');
      const texts = fixtureTexts(root);
      texts.set(capitalism, read('Capitalism.md') + '\nSee <a href="files/Das Kapital.pdf">the book</a>.\n');
      const result = Object.fromEntries([...applyWorkspaceEdit(texts, edit as never, new Map([[capitalism, 1]]))].map(([u, t]) => [path.basename(new URL(u).pathname), t]));
      assert.equal(result['Reading.md'], '# Reading\n\n[Capital](library/Capital.pdf#page=3) and [[File:Capital.pdf]].\n');
      assert.equal(result['Capitalism.md'], read('Capitalism.md') + '\nSee <a href="library/Capital.pdf">the book</a>.\n');
      assert.equal(result['Anarchism.md'], read('Anarchism.md'), 'articles that do not link to it are untouched');
    } finally {
      await client.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
