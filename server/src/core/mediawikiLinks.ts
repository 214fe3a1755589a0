// How pandoc marks a link written by MediaWiki name (a page, not a file path): read by titles, rename and quick fixes alike.
import type { Link } from './types';

/** A markdown link titled "wikilink" or an anchor of class wikilink: a MediaWiki link by name, not a file path. */
export function isWikilinkMarked(link: Link, text: string): boolean {
  if (link.syntax === 'wiki' || link.syntax === 'embed') return true;
  if (link.syntax === 'img') return false;
  if (link.syntax === 'anchor') return /\sclass\s*=\s*["']?[^"'>]*\bwikilink\b/i.test(text.slice(link.span.start, openTagEnd(text, link)));
  return /^\s*>?\s*["']wikilink["']/i.test(text.slice(link.headingSpan?.end ?? link.targetSpan.end, link.span.end));
}

/** Offset just past the `>` that closes an anchor's open tag (quotes honoured, tags may span lines). */
export function openTagEnd(text: string, link: Link): number {
  let quote = '';
  for (let i = link.span.start + 2; i < link.span.end; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return link.span.end;
}
