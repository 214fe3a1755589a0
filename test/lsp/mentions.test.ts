// linkedArticles/unlinkedMentions, linkedArticles/outgoing and the linkedArticles.linkMention command over the protocol, on the fixture wiki.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ApplyWorkspaceEditParams } from 'vscode-languageserver-protocol';
import type { OutgoingResult, UnlinkedMentionItem } from '../../server/src/lsp/protocol';
import { applied, editingClient, fixtureTexts } from './editing';
import { FIXTURE_WIKI, TestClient, ensureBuilt, uri, waitFor } from './harness';

const file = (name: string) => path.join(FIXTURE_WIKI, name);
const read = (name: string) => fs.readFileSync(file(name), 'utf8');
const where = (items: UnlinkedMentionItem[]) => items.map((m) => `${path.relative(FIXTURE_WIKI, new URL(m.uri).pathname)}:${m.range.start.line + 1}:${m.range.start.character + 1} ${m.text}`);

describe('Unlinked mentions, and the outgoing links and mentions of an article, over the protocol', () => {
  let client: TestClient;
  let applyRequests: ApplyWorkspaceEditParams[] = [];
  const outgoing = (name: string) => client.request<OutgoingResult | null>('linkedArticles/outgoing', { uri: uri(file(name)) });

  before(async () => {
    ensureBuilt();
    ({ client, applyRequests } = editingClient());
    await client.initialize();
    await client.ready();
  });
  after(() => client.stop());

  test('finds the title as plain text in this article and the others, never inside links', async () => {
    const found = await client.request<UnlinkedMentionItem[]>('linkedArticles/unlinkedMentions', { uri: uri(file('Mutual_Aid.md')) });
    assert.deepEqual(where(found), [
      'Mutual_Aid.md:3:3 Mutual aid',
      'Mutual_Aid.md:12:20 Mutual Aid',
      'Anarchism.md:21:25 Mutual Aid',
      'Draft.md:6:1 Mutual aid',
      'Glossary.md:19:3 Mutual aid',
      'Marxism-Leninism.md:428:37 mutual aid',
    ]);
    assert.deepEqual(found[3], {
      uri: uri(file('Draft.md')),
      range: { start: { line: 5, character: 0 }, end: { line: 5, character: 10 } },
      text: 'Mutual aid',
      name: 'Mutual Aid',
      context: 'Mutual aid rests on autonomy, not on authority.',
    });
  });

  test('honours a limit, and streams batches as partial results when given a token', async () => {
    const two = await client.request<UnlinkedMentionItem[]>('linkedArticles/unlinkedMentions', { uri: uri(file('Mutual_Aid.md')), limit: 2 });
    assert.equal(two.length, 2);
    // The harness keeps every $/progress; the batches are the ones under our token.
    const batches = () => client.progress.filter((p) => p.token === 'mentions-1').map((p) => p.value as unknown as UnlinkedMentionItem[]);
    const answer = await client.request<UnlinkedMentionItem[]>('linkedArticles/unlinkedMentions', { uri: uri(file('Kronstadt_Rebellion.md')), partialResultToken: 'mentions-1' });
    assert.deepEqual(answer, []);
    await waitFor('the streamed mentions', () => batches().flat().length === 4);
    assert.deepEqual(where(batches().flat()).map((w) => w.split(':')[0]), ['Kronstadt_Rebellion.md', 'Marxism-Leninism.md', 'Marxism-Leninism.md', 'Marxism-Leninism.md']);
  });

  test('sees an edit made in the editor at once', async () => {
    const u = client.open(file('Capitalism.md'));
    // Messages are handled in order: the change is in the index before the request is answered.
    client.change(u, read('Capitalism.md') + '\nMutual aid again.\n');
    const found = await client.request<UnlinkedMentionItem[]>('linkedArticles/unlinkedMentions', { uri: uri(file('Mutual_Aid.md')) });
    assert.ok(where(found).includes('Capitalism.md:15:1 Mutual aid'), JSON.stringify(where(found)));
    client.close(u);
  });

  test('answers null for a document that is not an article of the wiki', async () => {
    assert.equal(await client.request('linkedArticles/unlinkedMentions', { uri: uri('/nowhere/Else.md') }), null);
  });

  test('the linkMention command asks the client to apply the edit that links the mention', async () => {
    const result = await client.request('workspace/executeCommand', {
      command: 'linkedArticles.linkMention',
      arguments: [{ uri: uri(file('Draft.md')), range: { start: { line: 5, character: 0 }, end: { line: 5, character: 10 } }, target: uri(file('Mutual_Aid.md')) }],
    });
    assert.deepEqual(result, { applied: true });
    assert.equal(applyRequests.length, 1);
    assert.equal(applied(applyRequests[0].edit)['Draft.md'], read('Draft.md').replace('Mutual aid rests', '[[Mutual aid]] rests'));
  });

  // linkedArticles/outgoing: the other way round, the articles an article names.
  test('lists the articles an article links to, missing ones by name, and the articles its text names without a link', async () => {
    const found = await outgoing('Draft.md');
    assert.ok(found);
    assert.deepEqual(
      found.links.map((l) => [l.title, l.uri, l.ranges.map((r) => `${r.start.line + 1}:${r.start.character + 1}`)]),
      [
        ['Nonexistent Article', undefined, ['3:23', '4:55']],
        ['Kronstadt Rebellion', uri(file('Kronstadt_Rebellion.md')), ['3:54']],
      ],
    );
    assert.deepEqual(found.mentions, [
      {
        uri: uri(file('Mutual_Aid.md')),
        title: 'Mutual Aid',
        count: 1,
        places: [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 10 } }, text: 'Mutual aid', context: 'Mutual aid rests on autonomy, not on authority.', target: uri(file('Mutual_Aid.md')) }],
      },
    ]);
    assert.equal(found.complete, true);
  });

  test('a mention linked through the command is a link at the next answer', async () => {
    const u = client.open(file('Draft.md'));
    const place = (await outgoing('Draft.md'))!.mentions[0].places[0];
    const result = await client.request('workspace/executeCommand', { command: 'linkedArticles.linkMention', arguments: [{ uri: u, range: place.range, target: place.target }] });
    assert.deepEqual(result, { applied: true });
    // The editor applies the edit and tells the server, as VS Code does.
    client.change(u, applied(applyRequests.at(-1)!.edit)['Draft.md']);
    const after = (await outgoing('Draft.md'))!;
    assert.deepEqual(after.mentions, []);
    assert.deepEqual(after.links.map((l) => l.title), ['Nonexistent Article', 'Kronstadt Rebellion', 'Mutual Aid']);
    client.close(u);
  });

  test('answers null for a document that is not an article of the wiki', async () => {
    assert.equal(await outgoing('../Else.md'), null);
  });

  test('the linkFirstMentions command links the first mention of each article named, in one edit the client applies', async () => {
    const text = '# First Mentions\n\nOn mutual aid and the Kronstadt rebellion; mutual aid again, and [[Anarchism]] and anarchism.\n';
    const u = client.open(file('First_Mentions.md'), text);
    const before = applyRequests.length;
    const result = await client.request('workspace/executeCommand', { command: 'linkedArticles.linkFirstMentions', arguments: [{ uri: u }] });
    assert.deepEqual(result, { applied: true, linked: 2 });
    assert.equal(applyRequests.length, before + 1);
    assert.equal(applyRequests.at(-1)!.label, 'Link the first mention of 2 articles');
    assert.equal(
      applied(applyRequests.at(-1)!.edit, new Map([...fixtureTexts(), [u, text]]))['First_Mentions.md'],
      '# First Mentions\n\nOn [[mutual aid]] and the [[Kronstadt rebellion]]; mutual aid again, and [[Anarchism]] and anarchism.\n',
    );
    client.close(u);
    await assert.rejects(client.request('workspace/executeCommand', { command: 'linkedArticles.linkFirstMentions', arguments: [{ uri: uri('/nowhere/Else.md') }] }), /no such article/);
    await assert.rejects(client.request('workspace/executeCommand', { command: 'linkedArticles.linkFirstMentions', arguments: [] }), /needs one \{ uri \} argument/);
  });

  test('the search of a long article lets a request sent after it be answered first', async () => {
    const u = client.open(file('Long_Scratch.md'), '# Long Scratch\n\n' + 'On mutual aid and other words besides. '.repeat(30_000));
    const order: string[] = [];
    const searched = outgoing('Long_Scratch.md').then((r) => {
      order.push('outgoing');
      return r;
    });
    const hovered = client.request('textDocument/hover', { textDocument: { uri: uri(file('Draft.md')) }, position: { line: 2, character: 26 } }).then(() => order.push('hover'));
    const [found] = await Promise.all([searched, hovered]);
    assert.deepEqual(order, ['hover', 'outgoing']);
    assert.equal(found?.mentions[0]?.title, 'Mutual Aid');
    client.close(u);
  });

  test('an edit arriving during the search of a long article is what the answer is about', async () => {
    const u = client.open(file('Long_Scratch.md'), '# Long Scratch\n\n' + 'On mutual aid and other words besides. '.repeat(30_000));
    const searched = outgoing('Long_Scratch.md');
    client.change(u, '# Long Scratch\n\nOn the Kronstadt rebellion.\n');
    const found = await searched;
    assert.deepEqual(found?.mentions.map((m) => [m.title, m.places[0].range.start.line]), [['Kronstadt Rebellion', 2]]);
    client.close(u);
  });
});
