// Backlinks: textDocument/references on a link, a title, a heading, an HTML id, a tag or a footnote, and the `linkedArticles/backlinks`
// list with the sentence each link stands in.
import { linkKeyOf, type Article, type Wiki } from '../wiki';
import { tagKey } from '../names';
import { tagAt, tagReferences } from './tags';
import type { Anchor, Heading } from '../types';
import type { CoreLocation } from './shapes';
import { articleLocation } from './definition';
import { anchorAt, footnoteDefLabelAt, footnoteRefAt, headingAt, inTitle, isTitleHeading, linkOrReferenceAt, sentenceAround } from './text';

export interface ReferencesOptions {
  includeDeclaration?: boolean;
  /** The article's text: on a reference link (`[text][label]`), its definition's target is what is looked up. */
  text?: string;
  /** Checked between source articles: a true answer abandons the work. */
  isCancelled?: () => boolean;
}

/** Links that take a reader there: those through redirect pages too (Wiki.backlinksThrough). */
function linksTo(wiki: Wiki, target: Article, heading?: Heading | Anchor): CoreLocation[] {
  return wiki
    .backlinksThrough(target, heading)
    .map((b) => ({ path: b.source.path, range: b.source.lines.range(b.link.span) }))
    .sort(byPlace);
}

export function byPlace(a: CoreLocation, b: CoreLocation): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

export function references(wiki: Wiki, article: Article, offset: number, options: ReferencesOptions = {}): CoreLocation[] {
  const link = linkOrReferenceAt(article, options.text, offset)?.link;
  if (link) {
    // As go to definition goes: through redirect pages to the article a reader arrives at.
    const r = wiki.resolveThrough(link, article);
    // On a category without a page of its own: every link to it, as the page MediaWiki makes for it lists its articles.
    if (r.kind === 'category') {
      return wiki
        .categoryLinks(linkKeyOf(link.target, wiki.settings.caseMode))
        .map((b) => ({ path: b.source.path, range: b.source.lines.range(b.link.span) }))
        .sort(byPlace);
    }
    if (r.kind !== 'article' || r.loop) return [];
    const out = linksTo(wiki, r.article);
    if (options.includeDeclaration) out.unshift(articleLocation(r.article));
    return out;
  }
  const ref = footnoteRefAt(article, offset);
  const def = ref ? undefined : footnoteDefLabelAt(article, offset);
  if (ref || def) {
    const key = (ref ?? def)!.label.toLowerCase();
    const out: CoreLocation[] = article.syntax.footnoteRefs.filter((r) => r.label.toLowerCase() === key).map((r) => ({ path: article.path, range: article.lines.range(r.span) }));
    if (options.includeDeclaration) {
      for (const d of article.syntax.footnoteDefs) if (d.label.toLowerCase() === key) out.push({ path: article.path, range: article.lines.range(d.labelSpan) });
    }
    return out;
  }
  // On a tag: every use of it, in the text and in front matter, across the wiki.
  const tag = tagAt(article, offset);
  if (tag) return tagReferences(wiki, tagKey(tag.name));
  // On an HTML id (`<h2 id="purpose">`, `<span id="TALK_1130">`, perhaps inside a heading): the links to it.
  const anchor = anchorAt(article, offset);
  if (anchor) {
    const out = linksTo(wiki, article, anchor);
    if (options.includeDeclaration) out.unshift({ path: article.path, range: article.lines.range(anchor.span) });
    return out;
  }
  const heading = headingAt(article, offset);
  // An article without a title heading or front matter title has its start stand for it (where its code lens is).
  const atUntitledStart = offset === 0 && !article.titleSpan && !heading;
  if (inTitle(article, offset) || (heading && isTitleHeading(article, heading)) || atUntitledStart) {
    const out = linksTo(wiki, article);
    if (options.includeDeclaration) out.unshift(articleLocation(article));
    return out;
  }
  if (heading) {
    const out = linksTo(wiki, article, heading);
    if (options.includeDeclaration) out.unshift({ path: article.path, range: article.lines.range(heading.span) });
    return out;
  }
  return [];
}

/** A backlinks view shows one line per link: a longer sentence is cut (at a word) to about this many characters. */
const SENTENCE_MAX = 200;

export interface Backlink {
  path: string;
  range: CoreLocation['range'];
  /** The sentence the link stands in, as plain text. */
  sentence: string;
  /** Title of the article the link is in. */
  sourceTitle: string;
  /** The title of the redirect page the link names, when it leads here through one. */
  via?: string;
}

/**
 * Every link to `target`, with its sentence; `textOf` gives an article's current text (the editor's for open ones),
 * read once per source article. Sorted by source path, then position.
 */
export function backlinksWithSentences(wiki: Wiki, target: Article, textOf: (path: string) => string | undefined, options: ReferencesOptions = {}): Backlink[] {
  const bySource = new Map<Article, { start: number; end: number; range: CoreLocation['range']; via?: string }[]>();
  for (const b of wiki.backlinksThrough(target)) {
    let list = bySource.get(b.source);
    if (!list) bySource.set(b.source, (list = []));
    list.push({ start: b.link.span.start, end: b.link.span.end, range: b.source.lines.range(b.link.span), ...(b.via ? { via: b.via.title } : {}) });
  }
  const out: Backlink[] = [];
  for (const [source, links] of bySource) {
    if (options.isCancelled?.()) break;
    let text: string | undefined;
    try {
      text = textOf(source.path);
    } catch {
      text = undefined; // deleted or unreadable since it was indexed: the link is still listed, without its sentence
    }
    // A text that no longer matches what was indexed would give wrong sentences.
    if (text !== undefined && text.length !== source.size) text = undefined;
    for (const l of links) {
      out.push({ path: source.path, range: l.range, sentence: text ? sentenceAround(text, l.start, l.end, SENTENCE_MAX) : '', sourceTitle: source.title, ...(l.via ? { via: l.via } : {}) });
    }
  }
  return out.sort(byPlace);
}
