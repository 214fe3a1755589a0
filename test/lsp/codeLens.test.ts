// Code lenses over the protocol: backlink counts on the fixture wiki, each with the command that shows its links, and the refresh asked for when links elsewhere change.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeLens, Location, Position, Range } from 'vscode-languageserver-protocol';
import { ALL_CAPABILITIES, FIXTURE_WIKI, TestClient, ensureBuilt, waitFor } from './harness';

const file = (name: string) => path.join(FIXTURE_WIKI, name);
const read = (name: string) => fs.readFileSync(file(name), 'utf8');
const atOrBefore = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);

describe('Code lenses over the protocol', () => {
  let client: TestClient;
  let capabilities: Record<string, unknown>;

  before(async () => {
    ensureBuilt();
    client = new TestClient({ folders: [FIXTURE_WIKI], capabilities: { ...ALL_CAPABILITIES, workspace: { ...ALL_CAPABILITIES.workspace, codeLens: { refreshSupport: true } } } });
    capabilities = (await client.initialize()).capabilities;
    await client.ready();
  });
  after(() => client.stop());

  const lensesOf = async (u: string) => (await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: u } })).map((l) => ({ line: l.range.start.line, title: l.command!.title, command: l.command! }));

  test('announces code lenses, resolved at once', () => {
    assert.deepEqual(capabilities.codeLensProvider, { resolveProvider: false });
  });

  test('the title and each linked heading carry a count, whose command shows the very links that Find All References lists there', async () => {
    // A link of the article to its own section: a link to that section, not a backlink of the article.
    const capitalism = client.open(file('Capitalism.md'), read('Capitalism.md') + '\nSee [[#Critiques]].\n');
    const lenses = await lensesOf(capitalism);
    const critiques = read('Capitalism.md').split('\n').indexOf('## Critiques');
    // Mutual_Aid.md links to the section as [[Capitalism#Critiques]]; nothing links to ## Overview.
    assert.deepEqual(lenses.slice(1).map((l) => [l.line, l.title]), [[critiques, '2 links to this section']]);
    assert.equal(lenses[0].line, 0);
    for (const l of lenses) {
      assert.equal(l.command.command, 'linkedArticles.showReferences');
      const [u, position, exclude] = l.command.arguments as [string, Position, Range[]];
      assert.equal(u, capitalism);
      const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri: u }, position, context: { includeDeclaration: false } });
      const counted = refs.filter((r) => r.uri !== u || !exclude.some((x) => atOrBefore(x.start, r.range.start) && atOrBefore(r.range.end, x.end)));
      assert.equal(counted.length, Number(/^\d+/.exec(l.title)?.[0] ?? 0), `${l.title}: ${counted.length} references`);
    }
    assert.match(lenses[0].title, /^[1-9]\d* backlinks$/);
  });

  test('a link typed in another article asks the client to fetch the lenses again, which then count it', async () => {
    const capitalism = client.open(file('Capitalism.md'));
    const before = await lensesOf(capitalism);
    const refreshes = client.codeLensRefreshes;
    const anarchism = client.open(file('Anarchism.md'));
    client.change(anarchism, read('Anarchism.md') + '\nSee [[Capitalism#Overview]].\n');
    await waitFor('a code lens refresh', () => client.codeLensRefreshes > refreshes);
    const afterEdit = await lensesOf(capitalism);
    const overview = read('Capitalism.md').split('\n').indexOf('## Overview');
    assert.deepEqual(afterEdit.find((l) => l.line === overview)?.title, '1 link to this section');
    assert.equal(Number(/\d+/.exec(afterEdit[0].title)![0]), Number(/\d+/.exec(before[0].title)![0]) + 1);
  });
});
