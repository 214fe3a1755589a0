// Document symbols (the heading outline and the footnotes) and workspace symbols (titles, aliases, headings, glossary terms).
import { plainHeadingText } from '../decode';
import { headingsOf, type Article, type Wiki } from '../wiki';
import { SymbolKind, type DocumentSymbolShape, type WorkspaceSymbolShape } from './shapes';
import type { GlossaryIndex } from './glossary';
import { plainInline } from './text';
import type { TitleIndex } from './completion';
import { isSubsequence, matchKey, matcher, type MatchRank } from './match';

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
 * Titles, aliases, glossary terms and headings that match the query, best match first (exact, prefix, word prefix,
 * words, substring, subsequence: see match.ts), capped. Within one quality titles and aliases come first, most linked
 * first, then glossary terms, then headings. An empty query lists titles, then terms, then headings.
 */
export function workspaceSymbols(wiki: Wiki, query: string, glossary: GlossaryIndex | undefined, options: WorkspaceSymbolOptions = {}): WorkspaceSymbolShape[] {
  const max = options.maxItems ?? 256;
  const q = matchKey(query);
  const rankOf = matcher(q);
  const top = (a: Article) => (a.titleSpan ? a.lines.range(a.titleSpan) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  const titleSymbol = (a: Article, name: string, alias: boolean): WorkspaceSymbolShape =>
    alias
      ? { name, kind: SymbolKind.Constant, containerName: `alias of ${a.title}`, location: { path: a.path, range: top(a) } }
      : { name, kind: SymbolKind.File, containerName: a.rel, location: { path: a.path, range: top(a) } };
  const buckets: WorkspaceSymbolShape[][] = [[], [], [], [], [], []];
  let total = 0;
  /** False once nothing found later can enter the list: the best bucket is full. */
  const add = (rank: MatchRank, make: () => WorkspaceSymbolShape): boolean => {
    if (rank < 0) return true;
    if (!q) {
      if (total >= max) return false;
      total++;
      buckets[0].push(make());
      return true;
    }
    let better = 0;
    for (let b = 0; b < rank; b++) better += buckets[b].length;
    if (better < max && buckets[rank].length < max) buckets[rank].push(make());
    return buckets[0].length < max;
  };
  let open = true;
  if (options.titles) {
    for (const e of options.titles.get(wiki)) if (!(open = add(rankOf(e.key), () => titleSymbol(e.article, e.name, e.alias)))) break;
  } else {
    outer: for (const a of wiki.allArticles()) {
      if (!(open = add(rankOf(matchKey(a.title)), () => titleSymbol(a, a.title, false)))) break;
      for (const alias of a.aliases) if (alias !== a.title && !(open = add(rankOf(matchKey(alias)), () => titleSymbol(a, alias, true)))) break outer;
    }
  }
  if (glossary && open) {
    outer: for (const [, entries] of glossary.all(wiki)) {
      for (const t of entries) {
        const symbol = () => ({ name: t.term, kind: SymbolKind.Key, containerName: `glossary · ${t.article.title}`, location: { path: t.article.path, range: t.article.lines.range(t.entry.termSpan) } });
        if (!(open = add(rankOf(matchKey(t.term)), symbol))) break outer;
      }
    }
  }
  // Every kind of match needs the typed letters in order: a cheap test on the raw heading spares most plain-text conversions.
  const letters = q.replace(/ /g, '');
  let n = 0;
  outer: for (const a of open ? wiki.allArticles() : []) {
    if ((++n & 1023) === 0 && options.isCancelled?.()) break;
    for (const h of headingsOf(a)) {
      if (a.titleSpan && h.span.start === a.titleSpan.start) continue;
      if (letters && !isSubsequence(h.text.toLowerCase(), letters)) continue;
      const name = plainHeadingText(h.text);
      const symbol = () => ({ name, kind: SymbolKind.String, containerName: a.title, location: { path: a.path, range: a.lines.range(h.span) } });
      if (!add(rankOf(matchKey(name)), symbol)) break outer;
    }
  }
  return buckets.flat().slice(0, max);
}
