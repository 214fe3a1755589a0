// Semantic tokens for Neovim: which spans of an article are wiki links, tags, footnotes and comments, one line each.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TOKEN_TYPES } from '../../server/src/core/features/semanticTokens';
import { serviceOf } from './editHelpers';

test('wiki links, embeds, tags, footnote calls and labels and comments are tokens; markdown links and code are not', async () => {
  const s = await serviceOf({ 'Notes.md': '# Notes\n' });
  const text = [
    '# Title #draft',
    'See [[Notes|the notes]] and ![[map.png]], [a](Notes.md), `[[code]]` #tag.[^1]',
    'Text %%a comment',
    'over two lines%% after.',
    '',
    '[^1]: The note.',
  ].join('\n');
  const path = '/wiki/A.md';
  s.open(path, text, 1);
  const lines = text.split('\n');
  const shown = s.semanticTokens(path).map((t) => `${TOKEN_TYPES[t.type]} ${lines[t.line].slice(t.character, t.character + t.length)}`);
  assert.deepEqual(shown, [
    'decorator #draft',
    'property [[Notes|the notes]]',
    'property ![[map.png]]',
    'decorator #tag',
    'enumMember [^1]',
    'comment %%a comment',
    'comment over two lines%%',
    'enumMember [^1]',
  ]);
});
