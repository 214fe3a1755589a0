// The TextMate injection grammar (syntaxes/) tokenized as VS Code does, with vscode-textmate and the oniguruma wasm.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contribution = pkg.contributes.grammars.find((g: { injectTo?: string[] }) => g.injectTo?.includes('text.html.markdown'));
const injectionPath = join(root, contribution.path);

/**
 * A stand-in for VS Code's markdown grammar with the parts the injection must stay out of: code spans and fenced
 * code. The real grammar is used too when the e2e setup has installed VS Code (see the last test).
 */
const stubMarkdown = {
  scopeName: 'text.html.markdown',
  patterns: [
    { name: 'markup.fenced_code.block.markdown', begin: '^(`{3,})', end: '^(\\1)\\s*$' },
    { name: 'markup.inline.raw.string.markdown', match: '(`+)[^`]*?\\1' },
  ],
};
const realMarkdown = join(root, '.vscode-test', 'e2e', 'node_modules', 'code-server', 'lib', 'vscode', 'extensions',
  'markdown-basics', 'syntaxes', 'markdown.tmLanguage.json');

const onigLib = (async () => {
  await oniguruma.loadWASM(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer);
  return { createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) };
})();

async function markdownGrammar(host: object): Promise<textmate.IGrammar> {
  const registry = new textmate.Registry({
    onigLib,
    loadGrammar: async (scopeName) => {
      if (scopeName === 'text.html.markdown') return textmate.parseRawGrammar(JSON.stringify(host), 'markdown.json');
      if (scopeName === contribution.scopeName) return textmate.parseRawGrammar(readFileSync(injectionPath, 'utf8'), injectionPath);
      return null; // languages embedded in the real grammar's code blocks: not needed here
    },
    getInjections: (scopeName) => (scopeName === 'text.html.markdown' ? [contribution.scopeName] : undefined),
  });
  const grammar = await registry.loadGrammar('text.html.markdown');
  assert.ok(grammar, 'the markdown grammar loads');
  return grammar;
}

interface Token {
  text: string;
  scopes: string[];
}

function tokenize(grammar: textmate.IGrammar, text: string): Token[][] {
  let state = textmate.INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** The scopes of the token that is exactly `text` (fails if `text` is not a token of its own). */
function scopesOf(tokens: Token[], text: string): string[] {
  const token = tokens.find((t) => t.text === text);
  assert.ok(token, `no token ${JSON.stringify(text)} in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return token.scopes;
}

const ours = (tokens: Token[]) => tokens.flatMap((t) => t.scopes).filter((s) => s.endsWith('.linked-articles'));

test('a wikilink with a heading and a label gives each part its own scope', async () => {
  const [line] = tokenize(await markdownGrammar(stubMarkdown), 'See [[Mutual Aid#In practice|mutual aid]] here.');
  const expected: [string, string][] = [
    ['[[', 'punctuation.definition.link.begin.linked-articles'],
    ['Mutual Aid', 'string.other.link.target.linked-articles'],
    ['#', 'punctuation.separator.heading.linked-articles'],
    ['In practice', 'entity.name.section.heading.linked-articles'],
    ['|', 'punctuation.separator.label.linked-articles'],
    ['mutual aid', 'string.other.link.label.linked-articles'],
    [']]', 'punctuation.definition.link.end.linked-articles'],
  ];
  for (const [text, scope] of expected) {
    const scopes = scopesOf(line, text);
    assert.ok(scopes.includes(scope), `${text}: ${scopes.join(' ')}`);
    assert.ok(scopes.includes('meta.link.wiki.linked-articles'), `${text} is inside the link`);
  }
  assert.deepEqual(scopesOf(line, 'See '), ['text.html.markdown'], 'text before the link is plain');
  assert.deepEqual(scopesOf(line, ' here.'), ['text.html.markdown'], 'text after the link is plain');
});

test('a bare wikilink and one to a heading of the same article are links too', async () => {
  const grammar = await markdownGrammar(stubMarkdown);
  const [bare] = tokenize(grammar, '[[Anarchism]]');
  assert.ok(scopesOf(bare, 'Anarchism').includes('string.other.link.target.linked-articles'));
  const [local] = tokenize(grammar, 'see [[#Overview]]');
  assert.ok(scopesOf(local, 'Overview').includes('entity.name.section.heading.linked-articles'));
});

test('an embed is scoped as an embed, with its bang', async () => {
  const [line] = tokenize(await markdownGrammar(stubMarkdown), 'A map: ![[Map of Catalonia.png|the map]]');
  assert.ok(scopesOf(line, '!').includes('punctuation.definition.embed.linked-articles'));
  const target = scopesOf(line, 'Map of Catalonia.png');
  assert.ok(target.includes('meta.embed.wiki.linked-articles') && target.includes('string.other.link.target.linked-articles'), target.join(' '));
  assert.ok(!target.includes('meta.link.wiki.linked-articles'), 'an embed is not also a plain link');
  assert.ok(scopesOf(line, 'the map').includes('string.other.link.label.linked-articles'));
});

test('footnote references and definitions have their own scopes', async () => {
  const [reference, definition, indented] = tokenize(await markdownGrammar(stubMarkdown),
    'It spread in 1840.[^1][^note-2] Then\n[^1]: Karl Marx, *Capital*.\n   [^note-2]: Indented up to three spaces.');
  assert.ok(scopesOf(reference, '1').includes('constant.other.reference.footnote.linked-articles'));
  assert.ok(scopesOf(reference, 'note-2').includes('meta.footnote.reference.linked-articles'));
  assert.ok(scopesOf(reference, '^').includes('punctuation.definition.footnote.caret.linked-articles'));
  assert.ok(scopesOf(definition, '1').includes('entity.name.label.footnote.linked-articles'));
  assert.ok(scopesOf(definition, ':').includes('punctuation.separator.key-value.footnote.linked-articles'));
  assert.ok(!scopesOf(definition, ' Karl Marx, *Capital*.').some((s) => s.includes('footnote')), 'the text of the note is not the label');
  assert.ok(scopesOf(indented, 'note-2').includes('entity.name.label.footnote.linked-articles'));
});

test('a footnote reference in running text is not taken for a definition', async () => {
  const [line] = tokenize(await markdownGrammar(stubMarkdown), 'Text [^1]: not a definition');
  assert.ok(scopesOf(line, '1').includes('constant.other.reference.footnote.linked-articles'));
});

test('nothing inside code spans or fenced code is highlighted', async () => {
  const lines = tokenize(await markdownGrammar(stubMarkdown), 'Write `[[Title]]` and `[^1]`.\n```\n[[Inside a fence]] ![[x]] [^2]\n[^2]: y\n```\nAfter [[Out]]');
  assert.deepEqual(ours(lines[0]), [], JSON.stringify(lines[0]));
  assert.deepEqual(ours(lines[2]), []);
  assert.deepEqual(ours(lines[3]), []);
  assert.ok(scopesOf(lines[5], 'Out').includes('string.other.link.target.linked-articles'), 'links after the fence are highlighted again');
});

test('a tag is scoped as one where the scanner reads one: a # opening a word, not in code, not after a word', async () => {
  const [line, heading, , fenced, , none] = tokenize(await markdownGrammar(stubMarkdown), 'On #anarchism and #history/russia/.\n## Notes #draft\n```\n#include\n```\nC# #1 #REDIRECT page#part');
  assert.ok(scopesOf(line, 'anarchism').includes('entity.name.tag.linked-articles'));
  assert.ok(scopesOf(line, 'history/russia').includes('entity.name.tag.linked-articles'), 'nested, without the trailing /');
  assert.ok(scopesOf(heading, 'draft').includes('entity.name.tag.linked-articles'));
  assert.deepEqual(ours(fenced), []);
  assert.deepEqual(ours(none), []);
});

test('an Obsidian comment is scoped as a comment, on one line or across several, and the links in it are not links', async () => {
  const lines = tokenize(await markdownGrammar(stubMarkdown), 'See [[A]] %%not [[B]]%% and [[C]].\n%%\n[[Hidden]] #tag\n%%\nAfter [[D]]');
  assert.ok(scopesOf(lines[0], 'not [[B]]').includes('comment.block.obsidian.linked-articles'));
  assert.ok(scopesOf(lines[0], 'A').includes('string.other.link.target.linked-articles'));
  assert.ok(scopesOf(lines[0], 'C').includes('string.other.link.target.linked-articles'), 'the comment ends at its second %%');
  assert.deepEqual(ours(lines[2]).filter((s) => !s.startsWith('comment.')), [], JSON.stringify(lines[2]));
  assert.ok(lines[2].every((t) => t.scopes.includes('comment.block.obsidian.linked-articles')));
  assert.ok(scopesOf(lines[4], 'D').includes('string.other.link.target.linked-articles'), 'links after the comment are highlighted again');
});

test('text that only looks like a link is left alone', async () => {
  const [single, unclosed, empty] = tokenize(await markdownGrammar(stubMarkdown), '[not a wikilink] [x](y.md)\n[[unclosed link\n[^]');
  assert.deepEqual(ours(single), []);
  assert.deepEqual(ours(unclosed), []);
  assert.deepEqual(ours(empty), []);
});

test('the injection works inside VS Code\'s own markdown grammar', async (t) => {
  if (!existsSync(realMarkdown)) return t.skip('VS Code\'s markdown grammar is not installed (bash test/e2e/setup.sh installs it)');
  const grammar = await markdownGrammar(JSON.parse(readFileSync(realMarkdown, 'utf8')));
  const lines = tokenize(grammar, '# Title\n\nA [[Link#Part|label]] and a note.[^1] `[[code]]`\n\n```\n[[fenced]]\n```\n\n[^1]: The note.');
  const link = scopesOf(lines[2], 'Link');
  assert.ok(link.includes('string.other.link.target.linked-articles'), link.join(' '));
  assert.ok(scopesOf(lines[2], 'label').includes('string.other.link.label.linked-articles'));
  assert.ok(scopesOf(lines[2], '1').includes('constant.other.reference.footnote.linked-articles'));
  assert.ok(!lines[2].some((t) => t.text.includes('code') && t.scopes.some((s) => s.endsWith('.linked-articles'))), 'code spans stay code');
  assert.deepEqual(ours(lines[5]), [], 'fenced code stays code');
  // A comment opened inside a paragraph is not followed to the next line (the paragraph rule ends it): its closing
  // %% must not open another that hides what follows.
  const comment = tokenize(grammar, 'A paragraph %%with [[a link]]\nin a comment%% and [[After]].\n\n%%\n[[Hidden]]\n%%\nNow %%a%% [[Seen]]');
  assert.ok(scopesOf(comment[1], 'After').includes('string.other.link.target.linked-articles'));
  assert.ok(!comment[1].some((t) => t.scopes.some((s) => s.startsWith('comment.'))), JSON.stringify(comment[1]));
  assert.ok(comment[4].every((t) => t.scopes.includes('comment.block.obsidian.linked-articles')), JSON.stringify(comment[4]));
  assert.ok(scopesOf(comment[6], 'a').includes('comment.block.obsidian.linked-articles'));
  assert.ok(scopesOf(comment[6], 'Seen').includes('string.other.link.target.linked-articles'));
  const definition = scopesOf(lines[8], '1');
  assert.ok(definition.includes('entity.name.label.footnote.linked-articles'), definition.join(' '));
});
