// Unit tests of the text helpers every feature shares: decoding targets and stripping markup for previews.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeText, plainInline, slugify } from '../../server/src/core/decode';

test('a target is read with its entities, percent-escapes and backslash escapes decoded', () => {
  assert.equal(decodeText('Workers&#39;_Self-Management'), "Workers'_Self-Management");
  assert.equal(decodeText('Caf%C3%A9%20Society'), 'Café Society');
  assert.equal(decodeText('100%_sure'), '100%_sure');
  assert.equal(decodeText('a\\_b'), 'a_b');
});

test('previews show what a reader sees: labels for links, sections as "Article › Section", no pandoc stray quotes', () => {
  assert.equal(plainInline('see [[A#B]], [[#C]], [[D]], [[E#F|g]] and [x](Y.md)'), 'see A › B, C, D, g and x');
  assert.equal(plainInline('"<a href="Karl_Marx.md" class="wikilink"\ntitle="Karl Marx">"Karl\nMarx</a>[^1] **wrote**'), 'Karl Marx wrote');
});

test('heading slugs follow GitHub: lower case, punctuation dropped, spaces as hyphens', () => {
  assert.equal(slugify("Stalin's Codification"), 'stalins-codification');
  assert.equal(slugify('Mutual *Aid* & [[Cooperation]]'), 'mutual-aid--cooperation');
});
