// The VS Code client's pure helpers: naming a new article by the wiki's convention, the status bar's text, and nested tags.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileNameFor, nestGroups, prefersUnderscores, statusText, titleFromFileName, type GroupsNode } from '../../client/src/format';

test('a wiki whose multi-word file names use underscores gets underscores', () => {
  assert.equal(prefersUnderscores(['Mutual_Aid.md', 'Karl_Marx.md', 'Anarchism.md', 'Odd one.md']), true);
  assert.equal(prefersUnderscores(['Mutual Aid.md', 'Karl Marx.md', 'Anarchism.md']), false);
  assert.equal(prefersUnderscores(['Anarchism.md', 'Communism.md']), false, 'no evidence: spaces, as typed');
});

test('a new article\'s file name follows the convention and stays a valid file name', () => {
  assert.equal(fileNameFor('Kronstadt Rebellion', true), 'Kronstadt_Rebellion.md');
  assert.equal(fileNameFor('Kronstadt Rebellion', false), 'Kronstadt Rebellion.md');
  assert.equal(fileNameFor('  Workers\' Council ', true), 'Workers\'_Council.md');
  assert.equal(fileNameFor('AC/DC: a "band"?', false), 'AC-DC- a -band--.md');
});

test('a file name reads back as the title the server gives it', () => {
  assert.equal(titleFromFileName('Mutual_Aid.md'), 'Mutual Aid');
  assert.equal(titleFromFileName('Free_Territory_(Ukraine).markdown'), 'Free Territory (Ukraine)');
});

test('the status bar shows indexing progress, then the number of articles, with thousands separators', () => {
  assert.equal(statusText({ state: 'indexing', done: 3214, total: 10000, articles: 0 }), 'Indexing 3,214/10,000');
  assert.equal(statusText({ state: 'ready', done: 1006, total: 1006, articles: 1006 }), '1,006 articles');
  assert.equal(statusText({ state: 'ready', done: 1, total: 1, articles: 1 }), '1 article');
});

test('tags nest at / as Obsidian\'s and Foam\'s tag panes show them, each level most used first, a parent only nested tags use made for them', () => {
  const tree = nestGroups([
    { name: 'history/russia', count: 5 },
    { name: 'politics', count: 4 },
    { name: 'History', count: 2 },
    { name: 'history/spain/catalonia', count: 1 },
  ]);
  const shape = (nodes: GroupsNode[]): unknown[] => nodes.map((n) => (n.kind === 'group' ? [n.group.name, n.group.count, shape(n.nested)] : n.article.title));
  assert.deepEqual(shape(tree), [
    ['History', 2, [['history/russia', 5, []], ['history/spain', 0, [['history/spain/catalonia', 1, []]]]]],
    ['politics', 4, []],
  ]);
});
