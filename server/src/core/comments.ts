// Obsidian's comments (`%%hidden%%`, across lines too): nothing inside one is a link, tag, footnote, heading or id.
import { codeSpans, insideAny } from './proseSpans';
import type { ArticleSyntax, Span } from './types';

/**
 * The comments of a text: from a `%%` outside code to the next, as Obsidian reads them (its parser finds no links
 * in them). A `%%` that nothing closes is text here, though Obsidian hides the rest of the note after it: exported
 * wikis write a lone one in prose (owasp-wiki's format strings and ModSecurity rules, five articles), and it would
 * have hidden every link after it. Front matter is not searched. The one reading for the scanner and remark alike,
 * so the two agree by construction; code is told by proseSpans' reading of it, which only decides which `%%` count.
 */
export function commentSpans(text: string, from = 0): Span[] {
  let i = text.indexOf('%%', from);
  // Nearly every article: one native search and nothing else.
  if (i < 0) return [];
  const code: Span[] = [];
  codeSpans(text, code);
  code.sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  let open = -1;
  let c = 0;
  while (i >= 0) {
    while (c < code.length && code[c].end <= i) c++;
    if (open < 0 && c < code.length && code[c].start <= i) {
      i = text.indexOf('%%', code[c].end);
      continue;
    }
    if (open < 0) open = i;
    else {
      out.push({ start: open, end: i + 2 });
      open = -1;
    }
    i = text.indexOf('%%', i + 2);
  }
  return out;
}

/** The syntax of a text without what its comments hold; the same object when it has none. */
export function withoutComments(text: string, syntax: ArticleSyntax): ArticleSyntax {
  const comments = commentSpans(text, syntax.frontMatter?.span.end ?? 0);
  if (!comments.length) return syntax;
  const outside = <T extends { span: Span }>(items: T[]) => items.filter((x) => !insideAny(comments, x.span.start, x.span.start + 1));
  const out: ArticleSyntax = {
    ...syntax,
    headings: outside(syntax.headings),
    links: outside(syntax.links),
    footnoteRefs: outside(syntax.footnoteRefs),
    footnoteDefs: outside(syntax.footnoteDefs),
    glossary: outside(syntax.glossary),
    anchors: outside(syntax.anchors),
  };
  if (syntax.htmlHeadings) out.htmlHeadings = outside(syntax.htmlHeadings);
  // Front matter tags are before any comment.
  if (syntax.tags) out.tags = outside(syntax.tags);
  if (syntax.referenceIssues) out.referenceIssues = outside(syntax.referenceIssues);
  return out;
}
