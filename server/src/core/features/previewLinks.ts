// Where an article's links lead, for a markdown preview: VS Code's draws `[[…]]` as text and follows hrefs by file path.
import { IMAGE_FILE, namesAFile } from '../names';
import type { Article, Wiki } from '../wiki';

/**
 * One link of an article, keyed by how it is written: a `[[…]]` or `![[…]]` by what its brackets hold before any `|`
 * (`wiki`), a markdown link or definition by its destination (`markdown`), an `<a href>` by its `href` (`html`).
 */
export interface PreviewLinkShape {
  kind: 'wiki' | 'markdown' | 'html';
  /** The text between `[[` (or `![[`) and `|` or `]]`, or the destination or `href` with its `#fragment`, as written. */
  written: string;
  /** The article or file it leads to (through redirect pages); none when it leads nowhere in the wiki. */
  path?: string;
  /** The heading's slug or the HTML id it names in that article. */
  fragment?: string;
  /** An image file: an embed draws it. */
  image?: boolean;
  /** Words for a tooltip: the article's title and heading, or what is missing. */
  title: string;
}

/**
 * Where the article's links lead. Every wiki link (a preview draws none by itself); a markdown link or anchor only when
 * it leads to an article or file, since a preview follows it relative to the article's folder and a MediaWiki export's
 * names are the wiki's (`[x](Los_Angeles "wikilink")` from a subpage, `<a href="anarchist_communism">`).
 */
export function previewLinks(wiki: Wiki, article: Article, text: string): PreviewLinkShape[] {
  const out: PreviewLinkShape[] = [];
  const seen = new Set<string>();
  for (const link of article.syntax.links) {
    const kind = link.syntax === 'wiki' || link.syntax === 'embed' ? 'wiki' : link.syntax === 'markdown' || link.syntax === 'reference' ? 'markdown' : link.syntax === 'anchor' ? 'html' : undefined;
    if (!kind || (kind !== 'wiki' && !link.target)) continue;
    let written: string;
    if (kind === 'wiki') {
      const from = link.span.start + (link.syntax === 'embed' ? 3 : 2);
      written = text.slice(from, link.labelSpan ? link.labelSpan.start - 1 : link.span.end - 2);
    } else written = text.slice(link.targetSpan.start, Math.max(link.targetSpan.end, link.headingSpan?.end ?? 0));
    const key = kind + '\u0000' + written;
    if (seen.has(key)) continue;
    seen.add(key);
    const r = wiki.resolveThrough(link, article);
    if (r.kind === 'article') {
      const fragment = r.heading?.slug ?? r.anchor?.id;
      const title = r.heading ? `${r.article.title} › ${r.heading.text}` : r.article.title;
      out.push({ kind, written, path: r.article.path, fragment, title });
    } else if (r.kind === 'attachment') {
      out.push({ kind, written, path: r.path, image: IMAGE_FILE.test(r.path) || undefined, title: r.path.slice(r.path.lastIndexOf('/') + 1) });
    } else if (r.kind === 'missing' && kind === 'wiki') {
      out.push({ kind, written, title: r.headingOnly ? `No heading '${link.heading ?? ''}'` : namesAFile(link) ? `No file '${link.target}' in the wiki` : `No article named '${r.name}'` });
    }
  }
  return out;
}
