// Completion after `[[Page#^` over the protocol: a block without an id is linked by a new one, which the item's command adds to that article.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ApplyWorkspaceEditParams, CompletionItem, CompletionList } from 'vscode-languageserver-protocol';
import { applied, editingClient } from './editing';
import { FIXTURE_WIKI, TestClient, ensureBuilt, uri, waitFor } from './harness';

const file = (name: string) => path.join(FIXTURE_WIKI, name);
const read = (name: string) => fs.readFileSync(file(name), 'utf8');

describe('Links to blocks over the protocol', () => {
  let client: TestClient;
  let commands: string[] = [];
  let applyRequests: ApplyWorkspaceEditParams[] = [];
  const warnings: string[] = [];

  before(async () => {
    ensureBuilt();
    ({ client, applyRequests } = editingClient());
    client.connection.onNotification('window/showMessage', (p: { type: number; message: string }) => void warnings.push(p.message));
    const init = await client.initialize();
    commands = (init.capabilities.executeCommandProvider as { commands: string[] }).commands;
    await client.ready();
  });
  after(() => client.stop());

  test('after [[Page#^ the items name its paragraphs, and the chosen one\'s command gives that paragraph the id the link uses', async () => {
    const doc = client.open(file('Scratch.md'), 'See [[Mutual Aid#^]].\n');
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: doc }, position: { line: 0, character: 18 } });
    assert.deepEqual(
      list.items.map((i) => i.label),
      // Cut at 80 characters; the documentation has the rest.
      ['Mutual aid is voluntary, reciprocal exchange of resources and services for mutu…', 'Food banks, tenant unions and strike funds are examples. They rest on autonomy…'],
    );
    const item: CompletionItem = list.items[1];
    assert.match((item.documentation as { value: string }).value, /rather than on authority\.$/);
    const id = (item.textEdit as { newText: string }).newText;
    assert.match(id, /^\^[a-z0-9]{6}$/);
    assert.equal(item.command?.command, 'linkedArticles.addBlockId');

    // What an editor does on choosing it: insert the text, then run the command.
    client.change(doc, `See [[Mutual Aid#${id}]].\n`);
    await client.diagnostics(doc, (d) => d.some((x) => x.message === `No block '${id}' in 'Mutual Aid'`));
    const result = await client.request('workspace/executeCommand', item.command);
    assert.deepEqual(result, { applied: true });
    assert.equal(applyRequests.length, 1);
    const changed = applied(applyRequests[0].edit)['Mutual_Aid.md'];
    assert.equal(changed, read('Mutual_Aid.md').replace('than on [[Glossary#Authority|authority]].', `than on [[Glossary#Authority|authority]]. ${id}`));

    // The client applies it to the open article (as VS Code would): the link is no longer broken.
    const notes = client.open(file('Mutual_Aid.md'), changed);
    await client.diagnostics(doc, (d) => d.length === 0);
    client.close(notes);
    client.close(doc);
  });

  test('the command warns, and changes nothing, when the paragraph was changed in the meantime', async () => {
    const doc = client.open(file('Scratch.md'), 'See [[Mutual Aid#^]].\n');
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: doc }, position: { line: 0, character: 18 } });
    const notes = client.open(file('Mutual_Aid.md'), read('Mutual_Aid.md').replace('Food banks', 'Community fridges'));
    const before = applyRequests.length;
    const result = await client.request('workspace/executeCommand', list.items[1].command);
    assert.deepEqual(result, { applied: false });
    assert.equal(applyRequests.length, before);
    await waitFor('the warning', () => warnings.some((w) => /paragraph was changed or removed in Mutual Aid/.test(w)));
    client.close(notes);
    client.close(doc);
  });

  test('linkToHere gives the link to a heading, and to a paragraph after giving it an id through workspace/applyEdit', async () => {
    const notes = client.open(file('Mutual_Aid.md'));
    const heading = await client.request('linkedArticles/linkToHere', { uri: notes, position: { line: 6, character: 5 } });
    assert.deepEqual(heading, { kind: 'heading', link: '[[Mutual Aid#In practice]]' });
    const before = applyRequests.length;
    const block = await client.request<{ kind: string; link: string }>('linkedArticles/linkToHere', { uri: notes, position: { line: 8, character: 3 } });
    const id = /^\[\[Mutual Aid#(\^[a-z0-9]{6})\]\]$/.exec(block.link)?.[1];
    assert.ok(id, block.link);
    assert.equal(applyRequests.length, before + 1);
    assert.equal(applied(applyRequests[before].edit)['Mutual_Aid.md'], read('Mutual_Aid.md').replace('authority]].', `authority]]. ${id}`));
    client.close(notes);
    assert.equal(await client.request('linkedArticles/linkToHere', { uri: uri('/nowhere/Else.md'), position: { line: 0, character: 0 } }), null);
  });

  test('the server lists the command, and refuses one without its arguments', async () => {
    assert.deepEqual(commands, ['linkedArticles.linkMention', 'linkedArticles.linkFirstMentions', 'linkedArticles.addBlockId']);
    await assert.rejects(client.request('workspace/executeCommand', { command: 'linkedArticles.addBlockId', arguments: [{ uri: uri(file('Mutual_Aid.md')) }] }), /needs one \{ uri, start, key, id \}/);
  });
});
