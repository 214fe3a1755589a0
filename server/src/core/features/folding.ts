// Folding ranges: heading sections, markdown and HTML (nested by level), multi-line footnote definitions, Obsidian comments and the front matter.
import { commentSpans } from '../comments';
import type { Article } from '../wiki';
import { sectionHeadings } from './symbols';

/** LSP's FoldingRange, without the LSP package. */
export interface FoldingRangeShape {
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'imports' | 'region';
}

/** `text` is the article's text, to leave trailing blank lines out of sections; without it (or if it is stale) they stay in. */
export function foldingRanges(article: Article, text?: string): FoldingRangeShape[] {
  if (text !== undefined && text.length !== article.size) text = undefined;
  const out: FoldingRangeShape[] = [];
  const lines = article.lines;
  const fm = article.syntax.frontMatter;
  if (fm) push(out, lines.positionAt(fm.span.start).line, lastLine(article, fm.span.end), 'region');
  const headings = sectionHeadings(article);
  headings.forEach((h, i) => {
    // A section runs to the next heading of the same or a higher level, as in the outline.
    let end = lines.length;
    for (let j = i + 1; j < headings.length; j++) {
      if (headings[j].level <= h.level) {
        end = headings[j].span.start;
        break;
      }
    }
    push(out, lines.positionAt(h.span.start).line, lastTextLine(article, text, h.span.end, end));
  });
  for (const d of article.syntax.footnoteDefs) push(out, lines.positionAt(d.span.start).line, lastLine(article, d.span.end));
  // Obsidian's comments over several lines fold as comments (an editor's "fold all comments" takes them).
  if (text !== undefined) for (const c of commentSpans(text, fm?.span.end ?? 0)) push(out, lines.positionAt(c.start).line, lastLine(article, c.end), 'comment');
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

function push(out: FoldingRangeShape[], startLine: number, endLine: number, kind?: FoldingRangeShape['kind']): void {
  // A one-line range folds nothing; editors would show a useless marker.
  if (endLine > startLine) out.push(kind ? { startLine, endLine, kind } : { startLine, endLine });
}

/** The line a span's end offset belongs to (an end just after a line break belongs to the line before it). */
function lastLine(article: Article, end: number): number {
  const pos = article.lines.positionAt(end);
  return pos.character === 0 && pos.line > 0 ? pos.line - 1 : pos.line;
}

/**
 * The last line with text in [from, end): a folded section then hides no blank line before the next heading, so the
 * heading stays visually apart from it (what VS Code's own markdown folding does).
 */
function lastTextLine(article: Article, text: string | undefined, from: number, end: number): number {
  const lines = article.lines;
  const first = lines.positionAt(from).line;
  let line = lastLine(article, end);
  if (text === undefined) return line;
  while (line > first && text.slice(lines.starts[line], line + 1 < lines.lineCount ? lines.starts[line + 1] : text.length).trim() === '') line--;
  return line;
}
