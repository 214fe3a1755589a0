// The link to where the cursor is (Obsidian's "Copy link to heading" and "Copy link to block"): its heading, its paragraph by a block id, or the article.
import { plainHeadingText } from '../decode';
import { scanArticle } from '../scan';
import { headingFragment, type Article, type Wiki } from '../wiki';
import { blockIdsOf, linkableBlocks, type AddBlockIdArgs } from './blocks';
import { preferredLinkStyle, writeLink } from './mentions';
import { isTitleHeading } from './text';

export interface LinkHere {
  /** The link as the wiki writes links, leading from any article of the same folder. */
  link: string;
  /** What it links to: the article, a heading, or a block. */
  kind: 'article' | 'heading' | 'block';
  /** The block has no id yet: the link names the one this adds (the edit made by addBlockIdEdit). */
  addBlockId?: AddBlockIdArgs;
}

/**
 * The link to the place `offset` is in: on a heading (not the title), to that heading (when a link can name it); in a paragraph or list item,
 * to that block by its id, a new one when it has none; elsewhere (the title, front matter, code, a table), to the
 * article. Written in the syntax the article (else the wiki) uses, as from an article beside it, and read back to
 * check that it leads there; undefined when no link written so does (a title no syntax can hold).
 */
export function linkToHere(wiki: Wiki, article: Article, text: string, offset: number): LinkHere | undefined {
  const style = preferredLinkStyle(wiki, article, text);
  const wikiSyntax = style.syntax === 'wiki';
  const heading = article.syntax.headings.find((h) => h.span.start <= offset && offset <= h.span.end);
  if (heading && !isTitleHeading(article, heading)) {
    const fragment = headingFragment(article, heading, wikiSyntax);
    const link = writeLink(wiki, article, article, wikiSyntax ? undefined : plainHeadingText(heading.text), style, { text: fragment, slug: fragment });
    if (leadsTo(wiki, article, link, heading.span.start, true)) return { kind: 'heading', link };
  }
  const blocks = linkableBlocks(text, article.syntax) ?? [];
  // The block on the cursor's line (the cursor may be on a list item's marker, before the item's text).
  const from = lineStart(text, offset);
  const to = lineEnd(text, offset);
  const at = blocks.findIndex((b) => b.start <= to && b.end >= from);
  if (at >= 0) {
    const block = blocks[at];
    const id = blockIdsOf(blocks, article.syntax.anchors)[at];
    const link = writeLink(wiki, article, article, undefined, style, { text: id, slug: id });
    // A new id is not in the article yet: its link leads to the article, and to the block once the id is added.
    if (leadsTo(wiki, article, link, block.id ? blockAnchor(article, block.id) : undefined)) {
      return { kind: 'block', link, ...(block.id ? {} : { addBlockId: { path: article.path, start: block.start, key: block.key, id } }) };
    }
  }
  const link = writeLink(wiki, article, article, undefined, style);
  return leadsTo(wiki, article, link, undefined) ? { kind: 'article', link } : undefined;
}

function blockAnchor(article: Article, id: string): number | undefined {
  return article.syntax.anchors.find((a) => a.id === id)?.span.start;
}

/**
 * Whether the link, read as the scanner reads it, leads to this article: to its heading or id that starts at `at`,
 * or, without `at`, to the article (a fragment not there yet allowed).
 */
function leadsTo(wiki: Wiki, article: Article, written: string, at: number | undefined, heading = false): boolean {
  const links = scanArticle(written).links;
  if (links.length !== 1) return false;
  const r = wiki.resolve(links[0], article);
  if (r.kind !== 'article' || r.article.path !== article.path) return false;
  if (at === undefined) return true;
  return heading ? r.heading?.span.start === at : r.anchor?.span.start === at;
}

function lineStart(text: string, at: number): number {
  return Math.max(text.lastIndexOf('\n', at - 1), text.lastIndexOf('\r', at - 1)) + 1;
}

function lineEnd(text: string, at: number): number {
  const n = text.indexOf('\n', at);
  const r = text.indexOf('\r', at);
  return n < 0 ? (r < 0 ? text.length : r) : r < 0 ? n : Math.min(n, r);
}
