// Document links: every link (any syntax) that leads to an article or attachment becomes clickable, to the heading's line.
import type { Article, Wiki } from '../wiki';
import type { DocumentLinkShape } from './shapes';

export function documentLinks(wiki: Wiki, article: Article, isCancelled?: () => boolean): DocumentLinkShape[] {
  const out: DocumentLinkShape[] = [];
  let n = 0;
  for (const link of article.syntax.links) {
    if ((++n & 255) === 0 && isCancelled?.()) break;
    const r = wiki.resolve(link, article);
    // The clickable part is what names the target: the target and its `#heading`, not the label.
    const start = link.target ? link.targetSpan.start : (link.headingSpan?.start ?? link.targetSpan.start);
    const end = link.headingSpan ? Math.max(link.headingSpan.end, link.targetSpan.end) : link.targetSpan.end;
    const range = article.lines.range(start < end ? { start, end } : link.span);
    if (r.kind === 'article') {
      const place = r.heading?.span ?? r.anchor?.span;
      const line = place ? r.article.lines.positionAt(place.start).line : undefined;
      const tooltip = r.heading ? `${r.article.title} › ${r.heading.text}` : r.anchor ? `${r.article.title} › #${r.anchor.id}` : r.article.title;
      out.push({ range, path: r.article.path, line, tooltip });
    } else if (r.kind === 'attachment') {
      out.push({ range, path: r.path, tooltip: 'Open attachment' });
    }
  }
  return out;
}
