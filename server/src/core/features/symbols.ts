// Document symbols (the heading outline and the footnotes) and workspace symbols (titles, aliases, headings, glossary terms).
import { plainHeadingText } from '../decode';
import type { Article, Wiki } from '../wiki';
import { SymbolKind, type DocumentSymbolShape, type WorkspaceSymbolShape } from './shapes';
import type { GlossaryIndex } from './glossary';
import { plainInline } from './text';

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
  if (pos.character === 0 && pos.line > 0) return Math.max(0, offset - 1);
  return offset;
}

export interface WorkspaceSymbolOptions {
  maxItems?: number;
  isCancelled?: () => boolean;
}

/**
 * Titles, aliases, headings and glossary terms whose name contains the query (case-insensitive; the characters of the
 * query in order also match, as editors expect). Capped; titles come before headings.
 */
export function workspaceSymbols(wiki: Wiki, query: string, glossary: GlossaryIndex | undefined, options: WorkspaceSymbolOptions = {}): WorkspaceSymbolShape[] {
  const max = options.maxItems ?? 256;
  const q = query.trim().toLowerCase();
  const matches = (name: string) => !q || fuzzy(name.toLowerCase(), q);
  const titles: WorkspaceSymbolShape[] = [];
  const headings: WorkspaceSymbolShape[] = [];
  const terms: WorkspaceSymbolShape[] = [];
  let n = 0;
  for (const a of wiki.allArticles()) {
    if ((++n & 1023) === 0 && options.isCancelled?.()) break;
    const top = a.titleSpan ? a.lines.range(a.titleSpan) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (titles.length < max && matches(a.title)) titles.push({ name: a.title, kind: SymbolKind.File, containerName: a.rel, location: { path: a.path, range: top } });
    for (const alias of a.aliases) {
      if (titles.length < max && alias !== a.title && matches(alias)) titles.push({ name: alias, kind: SymbolKind.Constant, containerName: `alias of ${a.title}`, location: { path: a.path, range: top } });
    }
    if (titles.length + headings.length >= max) continue;
    for (const h of a.syntax.headings) {
      if (a.titleSpan && h.span.start === a.titleSpan.start) continue;
      if (!matches(h.text)) continue;
      headings.push({ name: plainHeadingText(h.text), kind: SymbolKind.String, containerName: a.title, location: { path: a.path, range: a.lines.range(h.span) } });
      if (titles.length + headings.length >= max) break;
    }
  }
  if (glossary) {
    for (const [, entries] of glossary.all(wiki)) {
      for (const t of entries) if (terms.length < max && matches(t.term)) terms.push({ name: t.term, kind: SymbolKind.Key, containerName: `glossary · ${t.article.title}`, location: { path: t.article.path, range: t.article.lines.range(t.entry.termSpan) } });
    }
  }
  // Exact and prefix matches first within each group, so a short query still finds the article it names.
  const order = (s: WorkspaceSymbolShape) => {
    const name = s.name.toLowerCase();
    return name === q ? 0 : name.startsWith(q) ? 1 : name.includes(q) ? 2 : 3;
  };
  const sorted = (list: WorkspaceSymbolShape[]) => list.map((s, i) => ({ s, i, o: order(s) })).sort((a, b) => a.o - b.o || a.i - b.i).map((x) => x.s);
  return [...sorted(titles), ...sorted(terms), ...sorted(headings)].slice(0, max);
}

function fuzzy(name: string, q: string): boolean {
  if (name.includes(q)) return true;
  let i = 0;
  for (let j = 0; j < name.length && i < q.length; j++) if (name[j] === q[i]) i++;
  return i === q.length;
}
