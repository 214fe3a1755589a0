// The grammar of a tag (`#anarchism`, `#history/russia`) and of a block id (`^quote-1`), in one place for the scanner, remark, the front matter, completion and the preview.
import type { Anchor, Tag } from './types';

/** A character of a tag's name: letters, marks, digits, `_`, `-` and `/`, as Obsidian and Foam read one (a `u` pattern). */
export const TAG_CHAR = '[\\p{L}\\p{M}\\p{N}_/-]';
const TAG_WORD = new RegExp(`${TAG_CHAR}+`, 'uy');
const LETTER = /\p{L}/u;

/**
 * The tag whose `#` is at `i`, if one starts there: the `#` opens the text or follows white space (so `C#`, a URL's
 * `page#part` and `&#35;` are none), and the name holds a letter (so `#1` and `#2024` are none). MediaWiki's
 * `#REDIRECT` is no tag. A trailing `/` is not part of the name.
 */
export function readTag(text: string, i: number, end = text.length): Tag | undefined {
  if (i > 0) {
    const before = text.charCodeAt(i - 1);
    if (before !== 32 && before !== 9 && before !== 10 && before !== 13 && before !== 160) return undefined;
  }
  TAG_WORD.lastIndex = i + 1;
  const m = TAG_WORD.exec(text);
  if (!m) return undefined;
  let name = m[0].length > end - i - 1 ? m[0].slice(0, Math.max(0, end - i - 1)) : m[0];
  while (name.endsWith('/')) name = name.slice(0, -1);
  if (!LETTER.test(name) || /^redirect$/i.test(name)) return undefined;
  return { name, span: { start: i + 1, end: i + 1 + name.length } };
}

/** A block id's name: letters, digits and `-`, as Obsidian reads one. */
export const BLOCK_ID_NAME = /^[A-Za-z0-9-]+$/;
const BLOCK_ID = /\^([A-Za-z0-9-]+)[ \t]*(?=\r\n|\r|\n|$)/y;

/**
 * The block id whose `^` is at `i`, if one is there: Obsidian's `^quote-1` that ends a paragraph or list item, after
 * white space (or alone on its line), so that `[[Page#^quote-1]]` links to that block. Nothing may follow it on its
 * line; it is an anchor whose id is written with its `^`, as links write it.
 */
export function readBlockId(text: string, i: number): Anchor | undefined {
  if (i > 0) {
    const before = text.charCodeAt(i - 1);
    if (before !== 32 && before !== 9 && before !== 10 && before !== 13) return undefined;
  }
  BLOCK_ID.lastIndex = i;
  const m = BLOCK_ID.exec(text);
  if (!m) return undefined;
  return { id: `^${m[1]}`, span: { start: i, end: i + 1 + m[1].length } };
}

/** Whether `name` is a whole tag name as written after a `#`: what a rename or the front matter may write as one. */
export function isTagName(name: string): boolean {
  return readTag(` #${name}`, 1)?.name === name;
}
