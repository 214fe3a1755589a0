// Go to definition: from a link (any syntax) to its article, heading or HTML anchor (a category without a page: its
// articles), from a tag to the articles it is on, from a footnote reference to its definition, from a glossary term to its entry.
import { linkKeyOf, type Article, type Wiki } from '../wiki';
import type { Range } from '../types';
import type { CoreLocation } from './shapes';
import type { GlossaryIndex } from './glossary';
import { footnoteRefAt, linkOrReferenceAt } from './text';
import { tagAt, taggedArticles } from './tags';
import { tagKey } from '../names';

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
/** The most articles of a category definition answers with (anarwiki's largest category holds 418). */
const MAX_MEMBERS = 1000;

/** Where an article "is": its title, or its top when it has none written. */
export function articleLocation(article: Article): CoreLocation {
  return { path: article.path, range: article.titleSpan ? article.lines.range(article.titleSpan) : START };
}

export function definition(wiki: Wiki, article: Article, text: string, offset: number, glossary?: GlossaryIndex): CoreLocation[] {
  const link = linkOrReferenceAt(article, text, offset)?.link;
  if (link) {
    // Through redirect pages, as a reader following the link arrives (the link's own target is a document link away).
    const r = wiki.resolveThrough(link, article);
    if (r.kind === 'article') {
      if (r.heading) return [{ path: r.article.path, range: r.article.lines.range(r.heading.span) }];
      if (r.anchor) return [{ path: r.article.path, range: r.article.lines.range(r.anchor.span) }];
      return [articleLocation(r.article)];
    }
    if (r.kind === 'ambiguous') return r.candidates.map(articleLocation);
    if (r.kind === 'attachment') return [{ path: r.path, range: START }];
    // A category without a page "is" its articles, as MediaWiki's category page lists them (`[[:Category:X]]` only links to it).
    if (r.kind === 'category') {
      const members = wiki.categoryMembers(linkKeyOf(link.target, wiki.settings.caseMode)).filter((a) => a.path !== article.path);
      return members.slice(0, MAX_MEMBERS).map(articleLocation);
    }
    return [];
  }
  // A tag "is" its articles, as a category without a page is.
  const tag = tagAt(article, offset);
  if (tag) return taggedArticles(wiki, tagKey(tag.name)).filter((a) => a.path !== article.path).slice(0, MAX_MEMBERS).map(articleLocation);
  const ref = footnoteRefAt(article, offset);
  if (ref) {
    const key = ref.label.toLowerCase();
    return article.syntax.footnoteDefs.filter((d) => d.label.toLowerCase() === key).map((d) => ({ path: article.path, range: article.lines.range(d.span) }));
  }
  if (glossary) {
    const hit = glossary.termAt(wiki, text, offset);
    if (hit) return hit.value.map((t) => ({ path: t.article.path, range: t.article.lines.range(t.entry.termSpan) }));
  }
  return [];
}
