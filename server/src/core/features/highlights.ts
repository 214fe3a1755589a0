// textDocument/documentHighlight: what else in this article is the thing under the cursor: a footnote's references and definition, a reference link's label and its definition, the links to one article or heading, a heading, HTML id or title and the links to it, a tag's uses.
import { headingKey, tagKey } from '../names';
import { tagAt, tagSpan } from './tags';
import type { Anchor, Heading, Link, Range, Span } from '../types';
import type { Article, Resolution, Wiki } from '../wiki';
import { referenceLabelAt, referenceUses } from './referenceLinks';
import { anchorAt, footnoteDefLabelAt, footnoteRefAt, headingAt, inTitle, isTitleHeading, linkAt } from './text';
import { referenceKey } from '../referenceIssues';

/** LSP's DocumentHighlightKind: where the thing is defined is `write`, a use of it `read`. */
export interface HighlightShape {
  range: Range;
  kind: 'read' | 'write';
}

export function documentHighlights(wiki: Wiki, article: Article, offset: number, text?: string): HighlightShape[] {
  const out: { span: Span; kind: 'read' | 'write' }[] = [];
  // On a reference link's label (a use, or its definition's `[label]`): the definition and every use of it.
  const definition = text === undefined ? undefined : referenceLabelAt(article, text, offset);
  if (definition && definition.labelSpan) {
    const key = referenceKey(definition.label ?? '');
    for (const d of article.syntax.links) {
      if (d.syntax === 'reference' && d.labelSpan && referenceKey(d.label ?? '') === key) out.push({ span: { start: d.labelSpan.start - 1, end: d.labelSpan.end + 1 }, kind: 'write' });
    }
    for (const u of referenceUses(article, text!, definition)) out.push({ span: u.span, kind: 'read' });
    return out.sort((a, b) => a.span.start - b.span.start).map((h) => ({ range: article.lines.range(h.span), kind: h.kind }));
  }
  const link = linkAt(article, offset);
  // On a tag: its other uses in the article, whatever their case.
  const tag = link ? undefined : tagAt(article, offset);
  if (tag) {
    const key = tagKey(tag.name);
    return (article.syntax.tags ?? []).filter((t) => tagKey(t.name) === key).map((t) => ({ range: article.lines.range(tagSpan(t)), kind: 'read' }));
  }
  const note = link ? undefined : footnoteRefAt(article, offset) ?? footnoteDefLabelAt(article, offset);
  if (note) {
    const key = note.label.toLowerCase();
    for (const r of article.syntax.footnoteRefs) if (r.label.toLowerCase() === key) out.push({ span: r.span, kind: 'read' });
    // A definition's `[^label]`, without the colon and text after it.
    for (const d of article.syntax.footnoteDefs) if (d.label.toLowerCase() === key) out.push({ span: { start: d.span.start, end: d.labelSpan.end + 1 }, kind: 'write' });
  } else {
    const anchor = link ? undefined : anchorAt(article, offset);
    const heading = link || anchor ? undefined : headingAt(article, offset);
    const same = link
      ? sameAs(wiki, article, link)
      : anchor
        ? ofAnchor(article, anchor)
        : heading
          ? ofHeading(article, heading)
          : inTitle(article, offset)
            ? ofArticle(article)
            : undefined;
    if (same) {
      if (same.own) out.push({ span: same.own, kind: 'write' });
      for (const l of article.syntax.links) if (same.matches(wiki.resolve(l, article), l)) out.push({ span: l.span, kind: 'read' });
    }
  }
  return out.sort((a, b) => a.span.start - b.span.start).map((h) => ({ range: article.lines.range(h.span), kind: h.kind }));
}

/** What a link leads to, as a test of other links, and, when it leads into this article, where that is written. */
interface Sameness {
  own?: Span;
  matches: (r: Resolution, link: Link) => boolean;
}

function sameAs(wiki: Wiki, article: Article, link: Link): Sameness | undefined {
  const r = wiki.resolve(link, article);
  switch (r.kind) {
    case 'article': {
      const toSelf = r.article.path === article.path;
      const path = r.article.path;
      if (r.heading) {
        const start = r.heading.span.start;
        return { own: toSelf ? headingSpanHere(article, r.heading) : undefined, matches: (o) => o.kind === 'article' && o.article.path === path && o.heading?.span.start === start };
      }
      if (r.anchor) {
        const start = r.anchor.span.start;
        return { own: toSelf ? r.anchor.span : undefined, matches: (o) => o.kind === 'article' && o.article.path === path && o.anchor?.span.start === start };
      }
      if (r.headingMissing && link.heading !== undefined) {
        // The links that want the same missing heading.
        const key = headingKey(link.heading);
        return { matches: (o, l) => o.kind === 'article' && o.article.path === path && !!o.headingMissing && l.heading !== undefined && headingKey(l.heading) === key };
      }
      // A link to an article stands with every link to it, a `#heading` part or not.
      return { own: toSelf ? titleHeadingSpan(article) : undefined, matches: (o) => o.kind === 'article' && o.article.path === path };
    }
    case 'missing':
      // Every link that wants the same missing article: where one link is broken, so are they.
      if (r.headingOnly) return undefined;
      return { matches: (o) => o.kind === 'missing' && !o.headingOnly && o.key === r.key };
    case 'attachment':
      return { matches: (o) => o.kind === 'attachment' && o.path === r.path };
    default:
      return { matches: (_o, l) => l.target === link.target };
  }
}

function ofHeading(article: Article, heading: Heading): Sameness {
  if (isTitleHeading(article, heading)) return ofArticle(article);
  const start = heading.span.start;
  return { own: heading.span, matches: (o) => o.kind === 'article' && o.article.path === article.path && o.heading?.span.start === start };
}

function ofAnchor(article: Article, anchor: Anchor): Sameness {
  const start = anchor.span.start;
  return { own: anchor.span, matches: (o) => o.kind === 'article' && o.article.path === article.path && o.anchor?.span.start === start };
}

function ofArticle(article: Article): Sameness {
  return { own: titleHeadingSpan(article), matches: (o) => o.kind === 'article' && o.article.path === article.path };
}

/** The heading that gives the article its title; not a front matter title, whose span is the whole front matter. */
function titleHeadingSpan(article: Article): Span | undefined {
  const h1 = article.syntax.headings[0];
  return h1 && isTitleHeading(article, h1) ? h1.span : undefined;
}

/** A heading of this article as it stands in the text the request is about (the index can hold an older version). */
function headingSpanHere(article: Article, h: Heading): Span | undefined {
  return article.syntax.headings.find((x) => x.span.start === h.span.start)?.span;
}
