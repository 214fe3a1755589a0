// Semantic tokens for editors without the extension's grammar (Neovim 0.9+): wiki links, tags, footnotes and Obsidian comments.
import { commentSpans } from '../comments';
import type { Span } from '../types';
import type { Article } from '../wiki';
import { tagSpan } from './tags';

/**
 * The token types, by index (the legend): standard LSP types, so that every theme colours them. A wiki link or embed is
 * a `property` (as marksman marks them), a tag a `decorator`, a footnote's call or label an `enumMember`, and an
 * Obsidian comment a `comment`. Markdown links, headings and code are left to the editor's own markdown highlighting.
 */
export const TOKEN_TYPES = ['property', 'decorator', 'enumMember', 'comment'] as const;

export interface SemanticToken {
  line: number;
  character: number;
  length: number;
  type: number;
}

/** The tokens of an article, in order, one line each (a token over several lines is cut at each line end). */
export function semanticTokens(article: Article, text: string): SemanticToken[] {
  const spans: { span: Span; type: number }[] = [];
  const syntax = article.syntax;
  for (const l of syntax.links) if (l.syntax === 'wiki' || l.syntax === 'embed') spans.push({ span: l.span, type: 0 });
  for (const t of syntax.tags ?? []) if (!t.front) spans.push({ span: tagSpan(t), type: 1 });
  for (const r of syntax.footnoteRefs) spans.push({ span: r.span, type: 2 });
  for (const d of syntax.footnoteDefs) spans.push({ span: { start: d.span.start, end: d.labelSpan.end + 1 }, type: 2 });
  for (const c of commentSpans(text, syntax.frontMatter?.span.end ?? 0)) spans.push({ span: c, type: 3 });
  spans.sort((a, b) => a.span.start - b.span.start);
  const out: SemanticToken[] = [];
  const lines = article.lines;
  let end = 0;
  for (const { span, type } of spans) {
    // Nested or overlapping (a footnote call in a wiki link's label): the outer one is kept.
    if (span.start < end) continue;
    end = span.end;
    const from = lines.positionAt(span.start);
    const to = lines.positionAt(span.end);
    for (let line = from.line; line <= to.line; line++) {
      const start = line === from.line ? from.character : 0;
      const stop = line === to.line ? to.character : lines.lineEnd(line) - lines.starts[line];
      if (stop > start) out.push({ line, character: start, length: stop - start, type });
    }
  }
  return out;
}
