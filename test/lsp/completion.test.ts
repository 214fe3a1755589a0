// Completion over the protocol, in every link syntax, with text edits that fit the brackets already typed.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CompletionItem, CompletionList } from 'vscode-languageserver-protocol';
import { FIXTURE_WIKI, TestClient, ensureBuilt, positionOf } from './harness';

/** Applies a completion item's text edit to a one-line text, as an editor would. */
function apply(text: string, item: CompletionItem): string {
  const edit = item.textEdit as { range: { start: { character: number }; end: { character: number } }; newText: string };
  return text.slice(0, edit.range.start.character) + edit.newText + text.slice(edit.range.end.character);
}

describe('Completion', () => {
  let client: TestClient;
  let doc: string;

  before(async () => {
    ensureBuilt();
    client = new TestClient({ folders: [FIXTURE_WIKI] });
    await client.initialize();
    await client.ready();
    doc = client.open(path.join(FIXTURE_WIKI, 'Scratch.md'), '# Scratch\n');
  });
  after(() => client.stop());

  /** Sets the document to `text` and completes at `|` (removed from the text). */
  async function complete(textWithCursor: string): Promise<{ list: CompletionList; text: string }> {
    const at = textWithCursor.indexOf('|');
    const text = textWithCursor.slice(0, at) + textWithCursor.slice(at + 1);
    client.change(doc, text);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: doc }, position: { line: 0, character: at } });
    return { list, text };
  }

  test('after [[ offers titles, most linked first, with path, and the lead and backlink count when the item is resolved', async () => {
    const { list } = await complete('See [[|');
    const labels = list.items.map((i) => i.label);
    assert.ok(labels.indexOf('Anarchism') >= 0 && labels.indexOf('Anarchism') < labels.indexOf('Draft'), labels.join(', '));
    const anarchism = list.items.find((i) => i.label === 'Anarchism')!;
    assert.equal(anarchism.detail, 'Anarchism.md');
    const resolved = await client.request<CompletionItem>('completionItem/resolve', anarchism);
    assert.match((resolved.documentation as { value: string }).value, /political philosophy that rejects hierarchy/);
    assert.match((resolved.documentation as { value: string }).value, /\d+ articles? links? here/);
    assert.deepEqual(resolved.textEdit, anarchism.textEdit, 'resolving changes nothing but the documentation');
  });

  test('after [[## offers any article\'s headings the words match, and the text it inserts is a link to that heading', async () => {
    const { list, text } = await complete('See [[##critiq|');
    const critiques = list.items.find((i) => i.label === 'Critiques');
    assert.ok(critiques, list.items.map((i) => i.label).join(', '));
    assert.equal(critiques.detail, '## Critiques · Capitalism');
    assert.equal(apply(text, critiques), 'See [[Capitalism#Critiques]]');
    assert.equal(list.isIncomplete, true, 'asked again as the words change');
  });

  test('after [[ offers aliases, which insert a name that resolves', async () => {
    const { list, text } = await complete('See [[Kronstadt u|');
    const alias = list.items.find((i) => i.label === 'Kronstadt uprising');
    assert.ok(alias, list.items.map((i) => i.label).join(', '));
    assert.equal(apply(text, alias), 'See [[Kronstadt uprising]]');
  });

  test('after [[ finds a title from the first letters of its words', async () => {
    const { list, text } = await complete('See [[kron reb|');
    assert.equal(list.items[0].label, 'Kronstadt Rebellion');
    assert.equal(apply(text, list.items[0]), 'See [[Kronstadt Rebellion]]');
  });

  test('after [[ offers the article being edited only after the others', async () => {
    const { list } = await complete('See [[a|');
    const labels = list.items.map((i) => i.label);
    assert.ok(labels.length > 1 && labels[labels.length - 1] === 'Scratch', labels.join(', '));
  });

  test('closes an unclosed [[ link', async () => {
    const { list, text } = await complete('See [[Kron|');
    assert.equal(apply(text, list.items.find((i) => i.label === 'Kronstadt Rebellion')!), 'See [[Kronstadt Rebellion]]');
  });

  test('keeps the brackets and label already written: [[Kron|]] does not get a second ]]', async () => {
    const { list, text } = await complete('See [[Kron|]] now');
    assert.equal(apply(text, list.items.find((i) => i.label === 'Kronstadt Rebellion')!), 'See [[Kronstadt Rebellion]] now');
  });

  test('replaces the whole target when the cursor is inside it', async () => {
    const { list, text } = await complete('See [[Kr|on|label]]');
    assert.equal(apply(text, list.items.find((i) => i.label === 'Kronstadt Rebellion')!), 'See [[Kronstadt Rebellion|label]]');
  });

  test('after [[Title# offers that article\'s headings', async () => {
    const { list, text } = await complete('See [[Kronstadt Rebellion#|]]');
    assert.deepEqual(list.items.map((i) => i.label), ['Demands', 'Aftermath']);
    assert.equal(apply(text, list.items[0]), 'See [[Kronstadt Rebellion#Demands]]');
  });

  test('after [[# offers this article\'s own headings', async () => {
    client.change(doc, '# Scratch\n\n## First part\n\n## Second part\n');
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: doc }, position: { line: 0, character: 0 } });
    assert.equal(list, null, 'nothing is offered outside a link');
    client.change(doc, '[[#\n\n## First part\n\n## Second part\n');
    const own = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: doc }, position: { line: 0, character: 3 } });
    assert.deepEqual(own.items.map((i) => [i.label, (i.textEdit as { newText: string }).newText]), [['First part', 'First part]]'], ['Second part', 'Second part]]']]);
  });

  test('after [^ offers the next free number first, then the labels in use', async () => {
    client.change(doc, 'One.[^1] Two.[^note] Three.[^\n\n[^1]: First.\n[^note]: A note.\n');
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: doc }, position: { line: 0, character: 29 } });
    assert.deepEqual(list.items.map((i) => i.label), ['2', '1', 'note']);
    assert.equal((list.items[0].textEdit as { newText: string }).newText, '2]');
  });

  test('inside ]( offers file names relative to the article, closing the parenthesis when needed', async () => {
    const { list, text } = await complete('See [the revolution](hist|');
    const item = list.items.find((i) => i.label === 'history/Spanish_Revolution.md');
    assert.ok(item, list.items.map((i) => i.label).join(', '));
    assert.equal(item.detail, 'Spanish Revolution');
    assert.equal(apply(text, item), 'See [the revolution](history/Spanish_Revolution.md)');
  });

  test('inside ](File.md# offers the heading slugs of that file', async () => {
    const { list, text } = await complete('See [x](Kronstadt_Rebellion.md#|)');
    assert.deepEqual(list.items.map((i) => (i.textEdit as { newText: string }).newText), ['demands', 'aftermath']);
    assert.equal(apply(text, list.items[0]), 'See [x](Kronstadt_Rebellion.md#demands)');
  });

  test('inside <a href=" offers file names and keeps the closing quote', async () => {
    const { list, text } = await complete('<a href="Mut|" class="wikilink">x</a>');
    assert.equal(apply(text, list.items.find((i) => i.label === 'Mutual_Aid.md')!), '<a href="Mutual_Aid.md" class="wikilink">x</a>');
  });

  test('after [[Category: offers the categories in use', async () => {
    client.change(doc, '[[Category:Phil\n');
    const other = client.open(path.join(FIXTURE_WIKI, 'Tagged.md'), 'Tagged. [[Category:Political philosophy]]\n');
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: doc }, position: { line: 0, character: 15 } });
    client.close(other);
    assert.deepEqual(list.items.map((i) => i.label), ['Category:Political philosophy']);
    assert.equal((list.items[0].textEdit as { newText: string }).newText, 'Category:Political philosophy]]');
  });

  test('caps the list and marks it incomplete when more titles match', async () => {
    client.settings = { completion: { maxItems: 3 } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    try {
      // The setting arrives asynchronously: wait until a request sees it.
      let list: CompletionList | undefined;
      const start = Date.now();
      do list = (await complete('[[|')).list;
      while (list.items.length !== 3 && Date.now() - start < 3000);
      assert.equal(list.items.length, 3);
      assert.equal(list.isIncomplete, true);
    } finally {
      client.settings = {};
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    }
  });
});
