// Code lenses: above an article's title, how many links lead to it; above each of its headings that links lead to, how many.
import type { Position, Range } from '../types';
import type { Article, Wiki } from '../wiki';
import { isTitleHeading } from './text';

export interface CodeLensShape {
  range: Range;
  title: string;
  /** Where Find All References gives the links counted (the title, or the heading). */
  position: Position;
}

/**
 * One pass over the article's backlinks gives every count: the title's (every link to the article, as Find All
 * References on the title lists them) and each heading's. A heading no link leads to gets no lens, so that an
 * outline of thirty sections is not thirty lines of "0 links"; the title always has one: "No backlinks" is news.
 */
export function codeLenses(wiki: Wiki, article: Article, isCancelled: () => boolean = () => false): CodeLensShape[] {
  let total = 0;
  const toHeading = new Map<number, number>();
  for (const b of wiki.backlinks(article)) {
    total++;
    if (b.link.heading === undefined) continue;
    const r = wiki.resolve(b.link, b.source);
    if (r.kind === 'article' && r.heading) toHeading.set(r.heading.span.start, (toHeading.get(r.heading.span.start) ?? 0) + 1);
  }
  if (isCancelled()) return [];
  // Without a title heading or front matter title, the start of the article stands for it (references.ts agrees).
  const titleRange = article.lines.range(article.titleSpan ?? { start: 0, end: 0 });
  const out: CodeLensShape[] = [{ range: titleRange, title: count(total, 'backlink'), position: titleRange.start }];
  for (const h of article.syntax.headings) {
    const n = toHeading.get(h.span.start);
    if (!n || isTitleHeading(article, h)) continue;
    const range = article.lines.range(h.textSpan);
    out.push({ range, title: count(n, 'link') + ' to this section', position: range.start });
  }
  return out;
}

function count(n: number, noun: string): string {
  if (n === 0) return `No ${noun}s`;
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
