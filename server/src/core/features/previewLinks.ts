// Where an article's wiki links and embeds lead, for a markdown preview that draws them (VS Code's renders `[[…]]` as text).
import { IMAGE_FILE, namesAFile } from '../names';
import type { Article, Wiki } from '../wiki';

/** One `[[…]]` or `![[…]]` of an article, keyed by what its brackets hold before any `|`. */
export interface PreviewLinkShape {
  /** The text between `[[` (or `![[`) and `|` or `]]`, as written. */
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

export function previewLinks(wiki: Wiki, article: Article, text: string): PreviewLinkShape[] {
  const out: PreviewLinkShape[] = [];
  const seen = new Set<string>();
  for (const link of article.syntax.links) {
    if (link.syntax !== 'wiki' && link.syntax !== 'embed') continue;
    const from = link.span.start + (link.syntax === 'embed' ? 3 : 2);
    const to = link.labelSpan ? link.labelSpan.start - 1 : link.span.end - 2;
    const written = text.slice(from, to);
    if (seen.has(written)) continue;
    seen.add(written);
    const r = wiki.resolveThrough(link, article);
    if (r.kind === 'article') {
      const fragment = r.heading?.slug ?? r.anchor?.id;
      const title = r.heading ? `${r.article.title} › ${r.heading.text}` : r.article.title;
      out.push({ written, path: r.article.path, fragment, title });
    } else if (r.kind === 'attachment') {
      out.push({ written, path: r.path, image: IMAGE_FILE.test(r.path) || undefined, title: r.path.slice(r.path.lastIndexOf('/') + 1) });
    } else if (r.kind === 'missing') {
      out.push({ written, title: r.headingOnly ? `No heading '${link.heading ?? ''}'` : namesAFile(link) ? `No file '${link.target}' in the wiki` : `No article named '${r.name}'` });
    }
  }
  return out;
}
