// Smart selection (textDocument/selectionRange): from a link's target or label out to the link, its paragraph or list item, its sections and the article.
import type { Nodes, Root } from 'mdast';
import { parseBlocks, parseMarkdown } from '../remarkAnalysis';
import type { Range, Span } from '../types';
import type { Article } from '../wiki';
import { referenceUseAt } from './text';

/** LSP's SelectionRange without the LSP package: each parent strictly holds its child. */
export interface SelectionRangeShape {
  range: Range;
  parent?: SelectionRangeShape;
}

/**
 * The largest stretch of text given to remark-parse for the blocks around a position; a longer section is cut at the
 * blank lines around the position instead. micromark reads prose at about 1.2 MB/s, but dense block syntax at a tenth
 * of that: 13 KB of footnote definitions took 350 ms, 14 KB of `[[[^1]: ` lines 156 ms (with their inline markup
 * too, 0.4–0.5 s); at 8 KB the slowest text we know of takes about 100 ms.
 */
export const MAX_PARSED = 8 * 1024;

/** Block and inline nodes worth a step of their own; plain text is left to the editor's word selection. */
const STEPS = new Set<Nodes['type']>([
  'paragraph',
  'blockquote',
  'list',
  'listItem',
  'code',
  'html',
  'emphasis',
  'strong',
  'delete',
  'inlineCode',
  'link',
  'linkReference',
  'image',
  'imageReference',
  'footnoteDefinition',
  'footnoteReference',
  'definition',
  'yaml',
  'table',
  'tableRow',
  'tableCell',
]);

/**
 * For each offset, its chain of ranges, innermost first. `text` must be the text `article` was analysed from: the
 * index gives links, footnotes, headings and sections; remark-parse, on the section around the offset only, gives
 * the blocks (paragraphs, lists, quotes, code) and inline markup between them.
 */
export function selectionRanges(article: Article, text: string, offsets: number[]): SelectionRangeShape[] {
  return offsets.map((offset) => {
    let at = Math.max(0, Math.min(offset, text.length));
    // A position between the CR and LF of a line ending (a client counting the CR as text) is read as before the CR.
    if (text.charCodeAt(at - 1) === 13 && text.charCodeAt(at) === 10) at--;
    return chain(article, text, at);
  });
}

function chain(article: Article, text: string, offset: number): SelectionRangeShape {
  const spans: Span[] = [{ start: 0, end: text.length }];
  const fm = article.syntax.frontMatter;
  if (fm) spans.push(fm.span);
  const headings = article.syntax.headings;
  // The sections holding the offset (one per heading level above it), and the heading line itself when it is on one.
  let parsedFrom = fm && fm.span.end <= offset ? fm.span.end : 0;
  let parsedTo = text.length;
  for (let i = 0; i < headings.length; i++) {
    const h = headings[i];
    if (h.span.start > offset) {
      parsedTo = Math.min(parsedTo, h.span.start);
      break;
    }
    let end = text.length;
    for (let j = i + 1; j < headings.length; j++) {
      if (headings[j].level <= h.level) {
        end = headings[j].span.start;
        break;
      }
    }
    if (offset <= end) spans.push({ start: h.span.start, end: trimTrailingSpace(text, h.span.start, end) });
    spans.push(h.span, h.textSpan);
    parsedFrom = Math.max(parsedFrom, h.span.end);
  }
  if (parsedFrom <= offset && offset <= parsedTo) blocks(text, parsedFrom, parsedTo, offset, spans);
  for (const l of article.syntax.links) {
    if (l.span.start > offset) break;
    if (offset > l.span.end) continue;
    spans.push(l.span, l.targetSpan);
    if (l.labelSpan) spans.push(l.labelSpan);
    if (l.headingSpan) spans.push(l.headingSpan, { start: l.targetSpan.start, end: l.headingSpan.end });
  }
  const use = referenceUseAt(article, text, offset);
  if (use) spans.push(use.span);
  for (const r of article.syntax.footnoteRefs) if (r.span.start <= offset && offset <= r.span.end) spans.push(r.span, r.labelSpan);
  for (const d of article.syntax.footnoteDefs) if (d.span.start <= offset && offset <= d.span.end) spans.push({ start: d.span.start, end: trimTrailingSpace(text, d.span.start, d.span.end) }, d.labelSpan);
  return nest(article, spans, offset);
}

/** Adds the remark nodes holding `offset` in text[from, to), or, when that is too long, in the blank-line block around it. */
function blocks(text: string, from: number, to: number, offset: number, out: Span[]): void {
  if (to - from > MAX_PARSED) {
    // The nearest blank lines (LF or CRLF; spaces on them too, as in markdown), looked for within the limit only.
    const blank = /\n[ \t]*\r?\n/g;
    const window = Math.max(from, offset - MAX_PARSED);
    let before = from;
    for (const m of text.slice(window, offset).matchAll(blank)) before = window + m.index + m[0].length;
    const after = blank.exec(text.slice(offset, offset + MAX_PARSED));
    // The block ends before its line ending, never between the CR and LF of a CRLF.
    const cut = after ? offset + after.index : -1;
    to = Math.min(to, cut < 0 ? offset + MAX_PARSED + 1 : text.charCodeAt(cut - 1) === 13 && cut - 1 >= offset ? cut - 1 : cut);
    from = before;
    // A single paragraph longer than the limit (one huge line) is left to the links and sections.
    if (to - from > MAX_PARSED) return;
  }
  if (blockCount(text, from, to) > MAX_BLOCKS) ({ from, to } = blockAround(text, from, to, offset));
  // micromark spends some 50 µs on each line (8 KB of one-letter lines: 0.2 s); a block of more is left to the index.
  if (lineCount(text, from, to) > MAX_LINES) return;
  // The blocks first, their text unparsed; then the inline markup of the paragraph holding the offset alone.
  let paragraph: Span | undefined;
  parsed(parseBlocks, text, from, to, offset, out, (span) => (paragraph = span));
  if (paragraph && paragraph.end - paragraph.start <= MAX_INLINE) parsed(parseMarkdown, text, paragraph.start, paragraph.end, offset, out);
}

/**
 * The longest paragraph whose inline markup (emphasis, links, code) is parsed for its steps: micromark tries some
 * openers against the rest of the paragraph (15 KB of `**_` took 1.3 s, of `[[<!-- ` 1 s, 4 KB of escaped code
 * fences 196 ms, found by the feature fuzz; 2 KB of them 50 ms). A longer one keeps its links' steps, which come
 * from the index.
 */
export const MAX_INLINE = 2 * 1024;

/** Adds the steps of the nodes of text[from, to), as `parse` reads it, that hold `offset`; `onParagraph` hears of the innermost paragraph. */
function parsed(parse: (text: string) => Root, text: string, from: number, to: number, offset: number, out: Span[], onParagraph?: (span: Span) => void): void {
  let tree: Root;
  try {
    tree = parse(text.slice(from, to));
  } catch {
    // micromark does not throw on any text we know of; a selection must not fail if it ever does.
    return;
  }
  // micromark skips a byte order mark that opens its input and counts offsets from the character after it.
  const base = text.charCodeAt(from) === 0xfeff ? from + 1 : from;
  const visit = (node: Nodes): void => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined || base + start > offset || offset > base + end) return;
    // The paragraph itself is the block pass's step; the inline pass adds what is inside it.
    if (STEPS.has(node.type) && !(node.type === 'paragraph' && !onParagraph)) out.push({ start: base + start, end: base + end });
    if (node.type === 'paragraph') onParagraph?.({ start: base + start, end: base + end });
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(tree);
}

/**
 * At most this many blocks (a line after a blank one, or a line that opens a list item, a quote or a definition) go to
 * remark-parse: micromark spends 0.1–0.4 ms on each, far more than on prose (a 15 KB list of 300 links: 120 ms; of
 * 3,750 short items: 0.7 s; of nested quotes and lists: 1.5 s; 7 KB of one-letter paragraphs: 0.2–0.4 s). Past it,
 * only the block around the position is parsed: its steps stay, the list's or quote's around it are lost.
 */
export const MAX_BLOCKS = 100;
/** A line that opens a list item, a quote, or a footnote or link definition (which micromark reads as slowly). */
const CONTAINER_LINE = /^[ \t]*(?:>|[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|\[[^\]\n]{1,999}\]:)/;
const LINE = /[^\r\n]*(?:\r\n|\r|\n|$)/y;

/** The lines of text[from, to): start, end of content, whether blank, whether a block starts there. */
function* linesOf(text: string, from: number, to: number): Generator<{ start: number; end: number; blank: boolean; opens: boolean }> {
  let blankBefore = true;
  for (LINE.lastIndex = from; LINE.lastIndex < to; ) {
    const start = LINE.lastIndex;
    const m = LINE.exec(text);
    if (!m || !m[0]) return;
    const end = Math.min(to, start + m[0].replace(/[\r\n]+$/, '').length);
    const blank = !/\S/.test(text.slice(start, end));
    yield { start, end, blank, opens: !blank && (blankBefore || CONTAINER_LINE.test(text.slice(start, Math.min(start + 1024, end)))) };
    blankBefore = blank;
  }
}

/** Past this many lines, the text around a position is not parsed (see blocks()). */
export const MAX_LINES = 1000;

/** How many lines text[from, to) has, counted up to one past MAX_LINES. */
function lineCount(text: string, from: number, to: number): number {
  let n = 1;
  for (let i = from; i < to && n <= MAX_LINES; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

/** How many blocks text[from, to) holds, counted up to one past the limit. */
function blockCount(text: string, from: number, to: number): number {
  let n = 0;
  for (const line of linesOf(text, from, to)) if (line.opens && ++n > MAX_BLOCKS) break;
  return n;
}

/** The block holding `offset`: from the line that opens it to the last line before a blank line or the next block. */
function blockAround(text: string, from: number, to: number, offset: number): { from: number; to: number } {
  let start = -1;
  let end = -1;
  for (const line of linesOf(text, from, to)) {
    if (line.start > offset && (line.blank || line.opens)) break;
    if (line.opens) start = line.start;
    if (line.blank && line.end < offset) start = -1;
    if (start >= 0) end = line.end;
  }
  return start < 0 ? { from: offset, to: offset } : { from: start, to: Math.max(end, offset) };
}

/** The end of [start, end) without the blank lines and spaces that close it, so a section stops at its last word. */
function trimTrailingSpace(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end;
}

/** Sorts the spans holding the offset from the smallest out, keeping each only if it holds the one before and is larger. */
function nest(article: Article, spans: Span[], offset: number): SelectionRangeShape {
  const held = spans.filter((s) => s.start <= offset && offset <= s.end && s.end > s.start).sort((a, b) => a.end - a.start - (b.end - b.start) || b.start - a.start);
  const kept: Span[] = [];
  for (const s of held) {
    const last = kept[kept.length - 1];
    if (!last || (s.start <= last.start && last.end <= s.end && s.end - s.start > last.end - last.start)) kept.push(s);
  }
  // Empty spans (`[[#H]]`'s target, an empty article) select nothing; with none left the answer is the cursor itself.
  if (!kept.length) return { range: article.lines.range({ start: offset, end: offset }) };
  let shape: SelectionRangeShape | undefined;
  for (let i = kept.length - 1; i >= 0; i--) shape = { range: article.lines.range(kept[i]), ...(shape ? { parent: shape } : {}) };
  return shape!;
}
