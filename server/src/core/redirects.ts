// MediaWiki's redirect pages, as exports write them: which link of an article, if any, makes it a redirect.
import { isImageLink } from './names';
import type { ArticleSyntax } from './types';

/**
 * The start of a redirect page: `#REDIRECT [[T]]` as MediaWiki writes it, or pandoc's rendering of that line, an
 * ordered list item `1.  REDIRECT <a href="T" class="wikilink">` (MediaWiki's `#` starts a numbered item), the link
 * on the same line or a later one (owasp-wiki's 27 redirects to category pages have a blank line between). Case does not matter, nor a colon after the word (MediaWiki accepts both). Blank
 * lines may come first; front matter is skipped by the caller.
 */
const REDIRECT_START = /(?:[ \t]*\r?\n)*[ \t]{0,3}(?:#[ \t]*|\d{1,9}[.)][ \t]+)?redirect[ \t]*:?[ \t]*(?:\r?\n[ \t]*)*/iy;

/**
 * The index in `syntax.links` of the link that makes the article a redirect page, or undefined. The link must stand
 * right after the word and end its line: an article that opens with `1. Redirect [stdout](Stdout.md) to a file`
 * is a list, not a redirect. 766 of the corpora's 9,832 pages are redirects: 601 in owasp-wiki, 133 in anarwiki, 32 in libsocwiki.
 */
export function redirectIndex(text: string, syntax: ArticleSyntax): number | undefined {
  const first = syntax.links[0];
  if (!first || isImageLink(first) || first.syntax === 'reference' || first.syntax === 'embed') return undefined;
  const bodyStart = syntax.frontMatter ? syntax.frontMatter.span.end : 0;
  if (first.span.start - bodyStart > 200) return undefined;
  REDIRECT_START.lastIndex = bodyStart;
  const m = REDIRECT_START.exec(text);
  if (!m || bodyStart + m[0].length !== first.span.start) return undefined;
  for (let i = first.span.end; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    if (c !== 32 && c !== 9) return undefined;
  }
  return 0;
}
