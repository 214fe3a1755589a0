// Code lenses: above an article's title, how many links of other articles lead to it; above each of its headings and HTML ids that links lead to, how many.
import type { Position, Range, Span } from '../types';
import type { Article, Wiki } from '../wiki';
import { isTitleHeading } from './text';
import { tableOfContentsSpan } from './toc';

export interface CodeLensShape {
  range: Range;
  title: string;
  /** Where Find All References gives the links counted (the title, or the heading)… */
  position: Position;
  /** …but for those in these ranges of this article, which the lens does not count. */
  exclude: Range[];
}

interface Counts {
  /** Links of other articles to it. */
  total: number;
  /** Per heading of the article, by its index, how many links lead to it. */
  byHeading: number[];
  /** Per HTML id of the article, by its index, how many links lead to it. */
  byAnchor: number[];
}

/**
 * The counts of the articles whose lenses were asked for, kept while `Wiki.linkEpoch` says no link anywhere can have
 * changed: an editor asks again after each edit, and a hub's count is a pass over all its backlinks (36,000 at 50,000
 * bench articles: 142 ms a time). Typing plain text keeps the epoch, and with it the article's headings, by index.
 */
export class BacklinkCounts {
  private readonly known = new Map<string, { wiki: Wiki; epoch: number; counts: Counts }>();

  counts(wiki: Wiki, article: Article, toc: Span | undefined, isCancelled: () => boolean): Counts | undefined {
    const known = this.known.get(article.path);
    // The table of contents holds links, so a change to it changes the epoch.
    if (known && known.wiki === wiki && known.epoch === wiki.linkEpoch) return known.counts;
    const epoch = wiki.linkEpoch;
    const counts = countBacklinks(wiki, article, toc);
    if (isCancelled()) return undefined;
    // Only open articles are asked for; a bound all the same, should an editor never say it closed one.
    if (this.known.size >= 256) this.known.clear();
    this.known.set(article.path, { wiki, epoch, counts });
    return counts;
  }

  forget(path: string): void {
    this.known.delete(path);
  }
}

/**
 * One pass over the links that lead to the article (through redirect pages too) gives every count: the title's (the
 * links of other articles, as the Backlinks view lists them: "2 backlinks" was 9 with a table of contents of seven
 * sections) and each heading's (every link, `[[#Exile]]` in the article too, but those of its own table of contents,
 * which would give every section "1 link").
 */
function countBacklinks(wiki: Wiki, article: Article, toc: Span | undefined): Counts {
  let total = 0;
  const toHeading = new Map<number, number>();
  const toAnchor = new Map<number, number>();
  for (const b of wiki.backlinksThrough(article)) {
    const own = b.source.path === article.path;
    if (!own) total++;
    else if (toc && toc.start <= b.link.span.start && b.link.span.end <= toc.end) continue;
    // A link to a redirect page leads to a section when the redirect names one (`#REDIRECT [[T#Section]]`).
    if (b.link.heading === undefined && !b.via) continue;
    const r = wiki.resolveThrough(b.link, b.source);
    if (r.kind !== 'article') continue;
    if (r.heading) toHeading.set(r.heading.span.start, (toHeading.get(r.heading.span.start) ?? 0) + 1);
    else if (r.anchor) toAnchor.set(r.anchor.span.start, (toAnchor.get(r.anchor.span.start) ?? 0) + 1);
  }
  return {
    total,
    byHeading: article.syntax.headings.map((h) => toHeading.get(h.span.start) ?? 0),
    byAnchor: toAnchor.size ? article.syntax.anchors.map((a) => toAnchor.get(a.span.start) ?? 0) : [],
  };
}

/**
 * The lenses of an article. A heading no link leads to gets none, so that an outline of thirty sections is not
 * thirty lines of "0 links"; the title always has one: "No backlinks" is news.
 */
export function codeLenses(wiki: Wiki, article: Article, text?: string, memo = new BacklinkCounts(), isCancelled: () => boolean = () => false): CodeLensShape[] {
  const toc = text === undefined ? undefined : tableOfContentsSpan(text);
  const counts = memo.counts(wiki, article, toc, isCancelled);
  if (!counts) return [];
  // Without a title heading or front matter title, the start of the article stands for it (references.ts agrees).
  const titleRange = article.lines.range(article.titleSpan ?? { start: 0, end: 0 });
  const whole = article.lines.range({ start: 0, end: article.lines.length });
  const exclude = toc ? [article.lines.range(toc)] : [];
  const out: CodeLensShape[] = [{ range: titleRange, title: count(counts.total, 'backlink'), position: titleRange.start, exclude: [whole] }];
  article.syntax.headings.forEach((h, i) => {
    const n = counts.byHeading[i];
    if (!n || isTitleHeading(article, h)) return;
    const range = article.lines.range(h.textSpan);
    out.push({ range, title: count(n, 'link') + ' to this section', position: range.start, exclude });
  });
  // An id on an HTML heading (`<h2 id="purpose">`, as pandoc keeps MediaWiki's headings in tables) stands for a
  // section; any other (`<span id="TALK_1130">`) for a place, named by the id the links use.
  const htmlHeadings = article.syntax.htmlHeadings ?? [];
  article.syntax.anchors.forEach((a, i) => {
    const n = counts.byAnchor[i];
    if (!n) return;
    const range = article.lines.range(a.span);
    const section = htmlHeadings.some((h) => h.span.start < a.span.start && a.span.end <= h.textSpan.start);
    out.push({ range, title: count(n, 'link') + (section ? ' to this section' : ` to #${a.id}`), position: range.start, exclude });
  });
  return out.sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character);
}

function count(n: number, noun: string): string {
  if (n === 0) return `No ${noun}s`;
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
