// Renumbering an article's numbered footnotes in reading order, their definitions moved into that order too.
import type { Article } from '../wiki';
import type { FootnoteDef, Span } from '../types';

export interface TextEdit {
  span: Span;
  text: string;
}

const NUMBER = /^\d+$/;

/**
 * The edits that number the article's footnotes 1, 2, 3… in the order their first references are read (a footnote
 * added between [^3] and [^4] was given the next free number, 12), and then those defined but never referenced;
 * footnotes with a name (`[^marx-1867]`) keep it. When the numbered definitions stand together (only blank lines
 * between them, as exports write them at the end), they are put in the new order as well. Undefined when the
 * numbers are in order already.
 */
export function renumberFootnotes(article: Article, text: string): TextEdit[] | undefined {
  const { footnoteRefs: refs, footnoteDefs: defs } = article.syntax;
  const next = new Map<string, string>();
  const give = (label: string) => {
    if (NUMBER.test(label) && !next.has(label)) next.set(label, String(next.size + 1));
  };
  for (const r of refs) give(r.label);
  for (const d of defs) give(d.label);
  if ([...next].every(([from, to]) => from === to)) return undefined;
  const edits: TextEdit[] = refs.filter((r) => next.has(r.label)).map((r) => ({ span: r.labelSpan, text: next.get(r.label)! }));
  const numbered = defs.filter((d) => next.has(d.label));
  let block = numbered.length > 1 && standTogether(defs, numbered, text) ? numbered : [];
  // A reference inside a definition (a note citing another) is an edit of its own: the block is then left in place.
  if (block.length && refs.some((r) => r.span.start >= block[0].span.start && r.span.end <= block[block.length - 1].span.end)) block = [];
  for (const d of defs) if (next.has(d.label) && !block.includes(d)) edits.push({ span: d.labelSpan, text: next.get(d.label)! });
  if (block.length) {
    // The definitions in the new order, each with its new label; the gaps between them stay as they were.
    const written = block.map((d) => ({ to: Number(next.get(d.label)), text: text.slice(d.span.start, d.labelSpan.start) + next.get(d.label) + text.slice(d.labelSpan.end, d.span.end) }));
    const sorted = written.map((w, i) => ({ ...w, i })).sort((a, b) => a.to - b.to || a.i - b.i);
    let out = '';
    for (let i = 0; i < block.length; i++) out += (i ? text.slice(block[i - 1].span.end, block[i].span.start) : '') + sorted[i].text;
    edits.push({ span: { start: block[0].span.start, end: block[block.length - 1].span.end }, text: out });
  }
  return edits.sort((a, b) => a.span.start - b.span.start);
}

/** Whether the numbered definitions follow one another with nothing but white space between, no other definition among them. */
function standTogether(defs: FootnoteDef[], numbered: FootnoteDef[], text: string): boolean {
  const first = defs.indexOf(numbered[0]);
  for (let i = 1; i < numbered.length; i++) {
    if (defs[first + i] !== numbered[i]) return false;
    if (text.slice(numbered[i - 1].span.end, numbered[i].span.start).trim() !== '') return false;
  }
  return true;
}
