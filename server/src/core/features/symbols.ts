// Document symbols (the heading outline and the footnotes) and workspace symbols (titles, aliases, headings, glossary terms).
import { plainHeadingText } from '../decode';
import type { Article, Wiki } from '../wiki';
import { SymbolKind, type DocumentSymbolShape, type WorkspaceSymbolShape } from './shapes';
import type { GlossaryIndex } from './glossary';
import { plainInline } from './text';
import type { TitleIndex } from './completion';

export function documentSymbols(article: Article): DocumentSymbolShape[] {
  const roots: DocumentSymbolShape[] = [];
  const stack: { level: number; symbol: DocumentSymbolShape }[] = [];
  const headings = article.syntax.headings;
  const end = article.lines.length;
  headings.forEach((h, i) => {
    // A heading's section runs to the next heading of the same or a higher level.
    let sectionEnd = end;
    for (let j = i + 1; j < headings.length; j++) {
      if (headings[j].level <= h.level) {
        sectionEnd = headings[j].span.start;
        break;
      }
    }
    const symbol: DocumentSymbolShape = {
      name: plainHeadingText(h.text) || '(empty heading)',
      kind: SymbolKind.String,
      range: article.lines.range({ start: h.span.start, end: Math.max(h.span.end, trimEnd(article, sectionEnd)) }),
      selectionRange: article.lines.range(h.textSpan),
      children: [],
    };
    while (stack.length && stack[stack.length - 1].level >= h.level) stack.pop();
    if (stack.length) stack[stack.length - 1].symbol.children!.push(symbol);
    else roots.push(symbol);
    stack.push({ level: h.level, symbol });
  });
  for (const d of article.syntax.footnoteDefs) {
    roots.push({
      name: `[^${d.label}]`,
      detail: d.text ? plainInline(d.text).slice(0, 80) : undefined,
      kind: SymbolKind.Key,
      range: article.lines.range(d.span),
      selectionRange: article.lines.range(d.labelSpan),
    });
  }
  return roots;
}

/** A section's end without the blank lines before the next heading, so ranges nest cleanly. */
function trimEnd(article: Article, offset: number): number {
  const pos = article.lines.positionAt(offset);
  // The end of the line before, never between the CR and LF of a CRLF (a position no editor can hold).
  if (pos.character === 0 && pos.line > 0) return article.lines.lineEnd(pos.line - 1);
  return offset;
}

export interface WorkspaceSymbolOptions {
  maxItems?: number;
  isCancelled?: () => boolean;
  /** The cached title list: titles and aliases are then found without visiting every article. */
  titles?: TitleIndex;
}

/**
 * Titles, aliases, headings and glossary terms whose name contains the query (case-insensitive). Capped; titles come
 * first, then glossary terms, then headings. Editors filter and rank the answer further as the user types.
 */
export function workspaceSymbols(wiki: Wiki, query: string, glossary: GlossaryIndex | undefined, options: WorkspaceSymbolOptions = {}): WorkspaceSymbolShape[] {
  const max = options.maxItems ?? 256;
  const q = query.trim().toLowerCase();
  const out: WorkspaceSymbolShape[] = [];
  const top = (a: Article) => (a.titleSpan ? a.lines.range(a.titleSpan) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  const titleSymbol = (a: Article, name: string, alias: boolean): WorkspaceSymbolShape =>
    alias
      ? { name, kind: SymbolKind.Constant, containerName: `alias of ${a.title}`, location: { path: a.path, range: top(a) } }
      : { name, kind: SymbolKind.File, containerName: a.rel, location: { path: a.path, range: top(a) } };
  if (options.titles) {
    for (const e of options.titles.search(wiki, q, max).hits) out.push(titleSymbol(e.article, e.name, e.alias));
  } else {
    for (const a of wiki.allArticles()) {
      if (out.length >= max) break;
      if (a.title.toLowerCase().includes(q)) out.push(titleSymbol(a, a.title, false));
      for (const alias of a.aliases) if (alias !== a.title && out.length < max && alias.toLowerCase().includes(q)) out.push(titleSymbol(a, alias, true));
    }
  }
  if (glossary && out.length < max) {
    for (const [key, entries] of glossary.all(wiki)) {
      if (!key.includes(q)) continue;
      for (const t of entries) {
        if (out.length >= max) break;
        out.push({ name: t.term, kind: SymbolKind.Key, containerName: `glossary · ${t.article.title}`, location: { path: t.article.path, range: t.article.lines.range(t.entry.termSpan) } });
      }
    }
  }
  if (out.length >= max) return out;
  const headings: WorkspaceSymbolShape[] = [];
  let n = 0;
  outer: for (const a of wiki.allArticles()) {
    if ((++n & 1023) === 0 && options.isCancelled?.()) break;
    for (const h of a.syntax.headings) {
      if (a.titleSpan && h.span.start === a.titleSpan.start) continue;
      if (q && !h.text.toLowerCase().includes(q)) continue;
      headings.push({ name: plainHeadingText(h.text), kind: SymbolKind.String, containerName: a.title, location: { path: a.path, range: a.lines.range(h.span) } });
      if (out.length + headings.length >= max) break outer;
    }
  }
  // Headings named exactly as asked come first, so a short query still finds the section it names.
  const exact = headings.filter((h) => h.name.toLowerCase() === q);
  return [...out, ...exact, ...headings.filter((h) => h.name.toLowerCase() !== q)];
}
