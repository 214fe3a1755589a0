// Code actions over the protocol on the fixture wiki: quick fixes carry the client's diagnostic, and each edit applies byte for byte.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { FIXTURE_WIKI, TestClient, ensureBuilt, positionOf, uri } from './harness';
import { EDITING_CAPABILITIES, applied, fixtureTexts } from './editing';

const file = (name: string) => path.join(FIXTURE_WIKI, name);
const read = (name: string) => fs.readFileSync(file(name), 'utf8');

describe('Code actions over the protocol', () => {
  let client: TestClient;
  let capabilities: Record<string, unknown>;
  let draft: string;
  let diagnostics: Diagnostic[];

  before(async () => {
    ensureBuilt();
    client = new TestClient({ folders: [FIXTURE_WIKI], capabilities: EDITING_CAPABILITIES });
    capabilities = (await client.initialize()).capabilities;
    await client.ready();
    draft = client.open(file('Draft.md'));
    diagnostics = await client.diagnostics(draft, (d) => d.some((x) => x.code === 'broken-link'));
  });
  after(() => client.stop());

  const actionsFor = (code: string, only?: string[]) => {
    const d = diagnostics.find((x) => x.code === code)!;
    return client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: draft }, range: d.range, context: { diagnostics: [d], only } });
  };

  test('announces quick fixes, rewrites, extractions and source actions, and the commands that link a mention and give a block its id', () => {
    assert.deepEqual(capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'refactor.rewrite', 'refactor.extract', 'source.renumberFootnotes', 'source.tableOfContents'] });
    assert.deepEqual(capabilities.executeCommandProvider, { commands: ['linkedArticles.linkMention', 'linkedArticles.linkFirstMentions', 'linkedArticles.addBlockId'] });
  });

  test('a broken link offers to create the article, a file named by the wiki\'s convention with its title', async () => {
    const actions = await actionsFor('broken-link', ['quickfix']);
    const create = actions.find((a) => a.title.startsWith('Create'))!;
    assert.equal(create.title, "Create the article 'Nonexistent Article' (Nonexistent_Article.md)");
    assert.equal(create.isPreferred, true);
    assert.deepEqual(create.diagnostics, [diagnostics.find((x) => x.code === 'broken-link')], 'the client\'s own diagnostic is attached');
    assert.deepEqual(create.edit!.documentChanges![0], { kind: 'create', uri: uri(file('Nonexistent_Article.md')), options: { overwrite: false, ignoreIfExists: false } });
    const result = applied(create.edit!);
    assert.equal(result['Nonexistent_Article.md'], '# Nonexistent Article\n');
    assert.equal(result['Draft.md'], read('Draft.md'), 'the linking article is left as it is');
  });

  test('a missing footnote definition is added at the end, for the open document\'s version', async () => {
    const actions = await actionsFor('missing-footnote-definition');
    assert.deepEqual(actions.map((a) => a.title), ['Add a definition for footnote [^missing]']);
    const change = actions[0].edit!.documentChanges![0] as { textDocument: { version: number } };
    assert.equal(change.textDocument.version, 1);
    assert.equal(applied(actions[0].edit!, fixtureTexts(), new Map([[draft, 1]]))['Draft.md'], read('Draft.md') + '[^missing]: \n');
  });

  test('a link converts to the other syntaxes as refactorings', async () => {
    const u = client.open(file('Mutual_Aid.md'));
    const position = positionOf(read('Mutual_Aid.md'), '[[Glossary#Authority|authority]]', 0, 3);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: { start: position, end: position }, context: { diagnostics: [], only: ['refactor'] } });
    assert.deepEqual(actions.map((a) => [a.kind, a.title]), [
      ['refactor.rewrite', 'Convert to a markdown link […](…)'],
      ['refactor.rewrite', 'Convert to an HTML anchor <a href>'],
    ]);
    assert.equal(applied(actions[0].edit!)['Mutual_Aid.md'], read('Mutual_Aid.md').replace('[[Glossary#Authority|authority]]', '[authority](Glossary.md#authority)'));
    client.close(u);
  });

  test('a section moves to a new article from its heading, and the links to it from elsewhere follow', async () => {
    const u = client.open(file('Anarchism.md'));
    try {
      const position = positionOf(read('Anarchism.md'), '## Principles', 0, 5);
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: { start: position, end: position }, context: { diagnostics: [], only: ['refactor.extract'] } });
      assert.deepEqual(actions.map((a) => [a.kind, a.title]), [['refactor.extract', "Move the section 'Principles' to a new article (Principles.md)"]]);
      assert.deepEqual(actions[0].edit!.documentChanges![0], { kind: 'create', uri: uri(file('Principles.md')), options: { overwrite: false, ignoreIfExists: false } });
      const result = applied(actions[0].edit!, fixtureTexts(), new Map([[u, 1]]));
      assert.match(result['Principles.md'], /^# Principles\n\n- Autonomy of the individual and of the group\.\n[^]*\[\^2\]: Errico Malatesta, \*Anarchy\*, 1891\.\n$/);
      assert.match(result['Anarchism.md'], /## Principles\n\nMain article: \[\[Principles\]\]\n\n## History/);
      assert.ok(!result['Anarchism.md'].includes('[^2]'), 'the footnote only the section used went with it');
      assert.equal(result['Communism.md'], read('Communism.md').replace('[[Anarchism#Principles]]', '[[Principles]]'));
    } finally {
      client.close(u);
    }
  });

  test('footnotes out of reading order are renumbered by the source action a client asks for by kind', async () => {
    const text = '# Notes\n\nFirst.[^2] Second.[^1]\n\n[^1]: One.\n[^2]: Two.\n';
    const u = client.open(file('Renumber_Me.md'), text);
    try {
      const start = { line: 0, character: 0 };
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: { start, end: start }, context: { diagnostics: [], only: ['source'] } });
      assert.deepEqual(actions.map((a) => [a.kind, a.title]), [['source.renumberFootnotes', 'Renumber footnotes in reading order']]);
      const texts = fixtureTexts();
      texts.set(u, text);
      assert.equal(applied(actions[0].edit!, texts, new Map([[u, 1]]))['Renumber_Me.md'], '# Notes\n\nFirst.[^1] Second.[^2]\n\n[^1]: Two.\n[^2]: One.\n');
    } finally {
      client.close(u);
    }
  });
});

describe('Code actions for a client that resolves them (VS Code)', () => {
  let client: TestClient;
  let capabilities: Record<string, unknown>;

  before(async () => {
    ensureBuilt();
    const codeAction = { ...EDITING_CAPABILITIES.textDocument!.codeAction, dataSupport: true, resolveSupport: { properties: ['edit'] } };
    client = new TestClient({ folders: [FIXTURE_WIKI], capabilities: { ...EDITING_CAPABILITIES, textDocument: { ...EDITING_CAPABILITIES.textDocument, codeAction } } });
    capabilities = (await client.initialize()).capabilities;
    await client.ready();
  });
  after(() => client.stop());

  test('moving a section is offered without its edit, which codeAction/resolve makes; a changed article gets none', async () => {
    assert.equal((capabilities.codeActionProvider as { resolveProvider?: boolean }).resolveProvider, true);
    const u = client.open(file('Anarchism.md'));
    try {
      const position = positionOf(read('Anarchism.md'), '## Principles', 0, 5);
      const ask = () => client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: { start: position, end: position }, context: { diagnostics: [], only: ['refactor.extract'] } });
      const [offered] = await ask();
      assert.equal(offered.title, "Move the section 'Principles' to a new article (Principles.md)");
      assert.equal(offered.edit, undefined);
      const resolved = await client.request<CodeAction>('codeAction/resolve', offered);
      const result = applied(resolved.edit!, fixtureTexts(), new Map([[u, 1]]));
      assert.match(result['Principles.md'], /^# Principles\n/);
      assert.equal(result['Communism.md'], read('Communism.md').replace('[[Anarchism#Principles]]', '[[Principles]]'));
      client.change(u, 'Typed first.\n' + read('Anarchism.md'));
      await assert.rejects(client.request('codeAction/resolve', offered), /changed since the action was offered/);
    } finally {
      client.close(u);
    }
  });
});

