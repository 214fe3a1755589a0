// The fast path: one hand-written pass that finds links, headings, footnotes and glossary entries.
// remark-parse runs at about 1.2 MB/s here, too slow to index a 500 MB wiki in seconds; this scanner
// knows just enough CommonMark (code, HTML blocks, code spans, escapes) to find the same things,
// and test/unit/scanEquivalence.test.ts proves it agrees with the remark analysis on every corpus file.
import { withoutComments } from './comments';
import { decodeEntities, decodeText, foldWhitespace, plainHeadingText, slugOfPlain } from './decode';
import { parseFrontMatter } from './frontMatter';
import { readBlockId, readTag } from './tagSyntax';
import { LineIndex } from './lineIndex';
import type { Anchor, ArticleSyntax, FootnoteDef, FootnoteRef, GlossaryEntry, Heading, HtmlHeading, Link, Span, Tag } from './types';

export interface ScanOptions {
  /** The whole article is a glossary (its title is Glossary, or a setting names it). */
  wholeGlossary?: boolean;
  /** Glossary entries are not wanted (a check, which reports nothing about them): they are not looked for. */
  noGlossary?: boolean;
  /** Filled with the article's paragraphs, for block ids (features/blocks.ts); the index never asks for them. */
  paragraphs?: Paragraph[];
}

/**
 * A paragraph as the scanner reads one (in a list item or a quote too; not a heading, footnote definition, code or
 * HTML): from its first character to the end of its last line. `listItem`: it opens its list item.
 */
export interface Paragraph {
  start: number;
  end: number;
  listItem: boolean;
}

interface Line {
  start: number;
  /** End of the line's content, before its line ending. */
  end: number;
  /** Offset where content starts after blockquote markers. */
  contentStart: number;
  /** Columns of indentation after blockquote markers (tabs to the next multiple of 4). */
  indent: number;
}

type BlockKind = 'blank' | 'para' | 'code' | 'html' | 'heading' | 'thematic' | 'fnDef';

/** A run of text in which inline syntax (links, code spans, footnote references) is looked for. */
interface Segment {
  start: number;
  end: number;
}

const FENCE_OPEN = /^(`{3,}|~{3,})(.*)$/;
const ATX = /^(#{1,6})(?:[ \t]+|$)/;
const SETEXT = /^(=+|-+)[ \t]*$/;
const THEMATIC = /^(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const LIST_ITEM = /^([-+*]|\d{1,9}[.)])([ \t]+|$)/;
const FOOTNOTE_DEF = /^\[\^([^\]\s]+)\]:/;
const HTML_BLOCK_1 = /^<(?:script|pre|style|textarea)(?:\s|>|$)/i;
const HTML_BLOCK_1_END = /<\/(?:script|pre|style|textarea)>/i;
const HTML_BLOCK_6 =
  /^<\/?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:\s|\/?>|$)/i;
// An unquoted value ends at a `/`, as micromark reads it: `<img src=a/>` is a tag, `<img src=a/b>` none.
const ATTRIBUTE = `(?:\\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\\s*=\\s*(?:[^\\s"'=<>\`/]+|'[^']*'|"[^"]*"))?)`;
const HTML_BLOCK_7 = new RegExp(`^(?:<[A-Za-z][A-Za-z0-9-]*${ATTRIBUTE}*\\s*\\/?>|<\\/[A-Za-z][A-Za-z0-9-]*\\s*>)[ \\t]*$`);
/** A CommonMark open tag; the same grammar remark uses, so both find the same anchors. */
const OPEN_TAG = new RegExp(`<[A-Za-z][A-Za-z0-9-]*${ATTRIBUTE}*\\s*\\/?>`, 'y');
const CLOSE_TAG = /<\/[A-Za-z][A-Za-z0-9-]*\s*>/y;
const ANCHOR_OPEN = new RegExp(`<a(${ATTRIBUTE}*)\\s*\\/?>`, 'iy');
const HREF = /(?:^|\s)href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`/]+))/i;
const ANCHOR_CLOSE = /<\/a\s*>/gi;
const AUTOLINK = /<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>|<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>/y;

/** An ASCII punctuation character: one a backslash escapes. Compared, not tested with a regex per character. */
function isAsciiPunct(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

/**
 * The next of a few characters, each found with indexOf and remembered until the scan passes it. Inline text
 * is mostly prose: a loop testing every character spent 470 ms per pass over the 10,000-article bench wiki,
 * indexOf finds the same characters over ten times faster. A search that goes back (`i` before where the
 * remembered search started) searches afresh, so any order of calls gives the right answer; the scan's
 * calls go forward, so each character is searched for once per text.
 */
class CharFinder {
  private text: string | undefined;
  private readonly from: number[];
  private readonly at: number[];

  constructor(private readonly chars: string[]) {
    this.from = chars.map(() => 0);
    this.at = chars.map(() => -1);
  }

  forget(): void {
    this.text = undefined;
  }

  /** The first offset at or after `i` holding one of the characters, or -1. */
  next(text: string, i: number): number {
    if (this.text !== text) {
      this.text = text;
      for (let k = 0; k < this.chars.length; k++) this.from[k] = Number.MAX_SAFE_INTEGER;
    }
    let best = -1;
    for (let k = 0; k < this.chars.length; k++) {
      let at = this.at[k];
      if (i < this.from[k] || (at >= 0 && at < i)) {
        at = this.at[k] = text.indexOf(this.chars[k], i);
        this.from[k] = i;
      }
      if (at >= 0 && (best < 0 || at < best)) best = at;
    }
    return best;
  }
}

/** What scanInline acts on; a `!` matters only before a `[`, so it is looked at from there. */
const inlineSyntax = new CharFinder(['\\', '`', '<', '[']);
/**
 * The same with the `#` of a tag and the `^` of a block id, for a text that has one of them after white space: stopping
 * at every `#` inside links (`[[Page#Heading]]`) and `^` of footnote calls (`[^1]`) cost the bench wiki's scan 8%.
 */
const inlineSyntaxAndTags = new CharFinder(['\\', '`', '<', '[', '#', '^']);

/**
 * Whether a `#` or `^` follows white space (or opens the text) and is followed by neither another `#` nor white space
 * (a heading's `## `): a tag or block id may be there.
 */
function mayHaveTags(text: string): boolean {
  for (const c of ['#', '^']) {
    for (let i = text.indexOf(c); i >= 0; i = text.indexOf(c, i + 1)) {
      const before = i === 0 ? 32 : text.charCodeAt(i - 1);
      if (before !== 32 && before !== 9 && before !== 10 && before !== 13 && before !== 160) continue;
      const after = text.charCodeAt(i + 1);
      if (after !== 35 && after !== 32 && after !== 9 && after !== 10 && after !== 13 && !Number.isNaN(after)) return true;
    }
  }
  return false;
}
/** What matchBrackets acts on. */
const bracketSyntax = new CharFinder(['\\', '`', '[', ']']);

function isBlankRange(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  const n = text.length;
  // Without CRs a line ends at the next LF, which indexOf finds over ten times faster than a loop over every
  // character (bench wiki of 10,000 articles: 230 ms of the loop's 420 ms per pass were that search).
  const lfOnly = text.indexOf('\r') < 0;
  while (start <= n) {
    let end: number;
    if (lfOnly) {
      end = text.indexOf('\n', start);
      if (end < 0) end = n;
    } else {
      end = start;
      while (end < n) {
        const c = text.charCodeAt(end);
        if (c === 10 || c === 13) break;
        end++;
      }
    }
    lines.push(measureLine(text, start, end));
    if (end >= n) break;
    start = text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
  }
  return lines;
}

function measureLine(text: string, start: number, end: number): Line {
  let p = start;
  // Blockquote markers: `>` after up to three spaces, with one optional space.
  for (;;) {
    let q = p;
    let spaces = 0;
    while (q < end && text.charCodeAt(q) === 32 && spaces < 3) {
      q++;
      spaces++;
    }
    if (q < end && text.charCodeAt(q) === 62) {
      p = q + 1;
      if (p < end && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
    } else break;
  }
  let indent = 0;
  let q = p;
  while (q < end) {
    const c = text.charCodeAt(q);
    if (c === 32) indent++;
    else if (c === 9) indent += 4 - (indent % 4);
    else break;
    q++;
  }
  return { start, end, contentStart: p, indent };
}

/** Skips up to `max` columns of indentation; returns the offset of the first content character. */
function afterIndent(text: string, line: Line): number {
  let q = line.contentStart;
  while (q < line.end && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9)) q++;
  return q;
}

export function scanArticle(text: string, options: ScanOptions = {}): ArticleSyntax {
  return withoutComments(text, scan(text, splitLines(text), options));
}

/**
 * The syntax and the line index of a text, the index made from the lines the scan splits anyway: making it apart
 * searched each text for its line breaks a second time (50 ms of an index worker's 2.5 s at 10,000 articles).
 */
export function scanArticleAndLines(text: string, options: ScanOptions = {}): { syntax: ArticleSyntax; lines: LineIndex } {
  const lines = splitLines(text);
  const starts = new Uint32Array(lines.length);
  const crlf = new Uint8Array((lines.length + 7) >> 3);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    starts[i] = l.start;
    if (text.charCodeAt(l.end) === 13 && text.charCodeAt(l.end + 1) === 10) crlf[i >> 3] |= 1 << (i & 7);
  }
  return { syntax: withoutComments(text, scan(text, lines, options)), lines: new LineIndex(text, { starts, crlf }) };
}

function scan(text: string, lines: Line[], options: ScanOptions): ArticleSyntax {
  const out: ArticleSyntax = { headings: [], links: [], footnoteRefs: [], footnoteDefs: [], glossary: [], anchors: [] };
  let first = 0;
  const fm = parseFrontMatter(text);
  if (fm) {
    out.frontMatter = fm.info;
    if (fm.tags) out.tags = fm.tags;
    frontMatterLinks(text, fm.content.start, fm.content.end, out.links);
    while (first < lines.length && lines[first].start < fm.info.span.end) first++;
  }

  const segments: Segment[] = [];
  /** HTML blocks: only anchors are found in them, as remark sees them as raw HTML. */
  const htmlRegions: Segment[] = [];
  let segStart = -1;
  let segEnd = -1;
  const paragraphs = options.paragraphs;
  /** What the open segment is, for `paragraphs`: -1 no paragraph, 0 a paragraph, 1 one that opens a list item. */
  let segParagraph = -1;
  const closeSegment = () => {
    if (segStart >= 0) {
      segments.push({ start: segStart, end: segEnd });
      if (paragraphs && segParagraph >= 0) paragraphs.push({ start: segStart, end: segEnd, listItem: segParagraph === 1 });
    }
    segStart = -1;
    segParagraph = -1;
  };
  const addToSegment = (start: number, end: number) => {
    if (segStart < 0) segStart = start;
    segEnd = end;
  };

  let prev: BlockKind = 'blank';
  /** `container`: the content column of the list item (or footnote) holding the block; a less indented line ends it. */
  let fence: { char: number; len: number; indent: number; container: number } | null = null;
  let html: { kind: 1 | 2 | 3 | 4 | 5 | 6 | 7; start: number; container: number } | null = null;
  /** Content columns of the open list items, innermost last. */
  const listStack: number[] = [];
  /** The innermost item has nothing after its marker yet: a blank line right after it closes it. */
  let emptyItem = false;
  /** Where the open paragraph's text starts, for a setext heading; -1 when none is open. */
  let paraStart = -1;
  /** The line before was a link reference definition: this one may be another, or starts the paragraph's text. */
  let afterDefinition = false;
  /** The open footnote definition, extended while its continuation lines follow. */
  let fnDef: { def: FootnoteDef; textStart: number; lastEnd: number } | null = null;
  const closeFnDef = () => {
    if (fnDef) {
      fnDef.def.span.end = fnDef.lastEnd;
      fnDef.def.text = collapseDefinition(text.slice(fnDef.textStart, fnDef.lastEnd));
      fnDef = null;
    }
  };

  for (let li = first; li < lines.length; li++) {
    const line = lines[li];
    const blank = isBlankRange(text, line.contentStart, line.end);
    // Only the line right after a definition may continue a run of them.
    const definitionBefore = afterDefinition;
    afterDefinition = false;

    if (fence && !blank && line.indent < fence.container) fence = null;
    if (fence) {
      const c = afterIndent(text, line);
      if (line.indent - fence.indent < 4 && line.indent < 4 + fence.indent + 3) {
        let k = c;
        while (k < line.end && text.charCodeAt(k) === fence.char) k++;
        if (k - c >= fence.len && isBlankRange(text, k, line.end)) fence = null;
      }
      if (fnDef && !blank) fnDef.lastEnd = line.end;
      prev = 'code';
      continue;
    }

    if (html && !blank && line.indent < html.container) {
      htmlRegions.push({ start: html.start, end: lines[li - 1].end });
      html = null;
    }
    if (html) {
      if (html.kind >= 6) {
        if (blank) {
          htmlRegions.push({ start: html.start, end: lines[li - 1].end });
          html = null;
          prev = 'blank';
          continue;
        }
      }
      const lineText = text.slice(line.start, line.end);
      const ended =
        (html.kind === 1 && HTML_BLOCK_1_END.test(lineText)) ||
        (html.kind === 2 && lineText.includes('-->')) ||
        (html.kind === 3 && lineText.includes('?>')) ||
        (html.kind === 4 && lineText.includes('>')) ||
        (html.kind === 5 && lineText.includes(']]>'));
      if (ended) {
        htmlRegions.push({ start: html.start, end: line.end });
        html = null;
      }
      prev = 'html';
      continue;
    }

    if (blank) {
      closeSegment();
      paraStart = -1;
      if (emptyItem) listStack.pop();
      emptyItem = false;
      prev = 'blank';
      continue;
    }

    // Footnote definitions continue over lines indented four or more, and over lazy lines right after text.
    if (fnDef) {
      if (line.indent >= 4 || (prev !== 'blank' && prev !== 'code' && !startsBlock(text, line))) {
        // stays in the definition
      } else {
        closeFnDef();
      }
    }

    emptyItem = false;
    // A line less indented than an item's content ends the item, unless it may be a lazy paragraph line.
    const lazy = prev === 'para' || prev === 'fnDef';
    if (!lazy) leaveItems(listStack, line.indent);
    const listIndent = listStack.length > 0 ? listStack[listStack.length - 1] : 0;
    const inListContinuation = listIndent > 0 && line.indent >= listIndent;
    let container = 0;
    for (let k = listStack.length - 1; k >= 0; k--) {
      if (listStack[k] <= line.indent) {
        container = listStack[k];
        break;
      }
    }
    const baseIndent = inListContinuation ? listIndent : fnDef ? 4 : container;
    const relIndent = line.indent - baseIndent;
    const c = afterIndent(text, line);

    // Indented code: cannot interrupt a paragraph.
    if (relIndent >= 4 && prev !== 'para' && prev !== 'fnDef') {
      closeSegment();
      prev = 'code';
      continue;
    }

    let rest = c;
    let opensItem = false;
    // A list item marker opens a container; what follows it is classified like a line of its own.
    if (relIndent < 4 && mayStartListItem(text.charCodeAt(rest))) {
      const m = LIST_ITEM.exec(text.slice(rest, Math.min(line.end, rest + 16)));
      if (m && !THEMATIC.test(text.slice(rest, line.end))) {
        const markerEnd = rest + m[1].length;
        const spaces = m[2].length;
        const col = line.indent + m[1].length + (spaces >= 5 || spaces === 0 ? 1 : spaces);
        // An empty or ordered-not-1 item cannot interrupt a paragraph; it is then paragraph text.
        // A paragraph inside a list item ends where a marker less indented than its content starts a sibling item.
        const canStart = prev !== 'para' || (listIndent > 0 && !inListContinuation) || (m[2].length > 0 && !isBlankRange(text, markerEnd, line.end) && (!/^\d/.test(m[1]) || /^1[.)]/.test(m[1])));
        if (canStart) {
          closeSegment();
          closeFnDef();
          leaveItems(listStack, line.indent);
          listStack.push(col);
          opensItem = true;
          rest = markerEnd + Math.min(spaces, 4);
          while (rest < line.end && (text.charCodeAt(rest) === 32 || text.charCodeAt(rest) === 9)) rest++;
          prev = 'blank';
          paraStart = -1;
          if (rest >= line.end) {
            emptyItem = true;
            continue;
          }
        }
      }
    }

    // Each block test below first checks the one character its syntax must start with: most lines are prose,
    // and running every block regex on every line cost 150 ms per pass over the 10,000-article bench wiki.
    const firstChar = text.charCodeAt(rest);
    const content = firstChar < 128 && BLOCK_START[firstChar] ? text.slice(rest, line.end) : '';
    const fenceMatch = relIndent < 4 && (firstChar === 96 || firstChar === 126) ? FENCE_OPEN.exec(content) : null;
    if (fenceMatch && !(fenceMatch[1][0] === '`' && fenceMatch[2].includes('`'))) {
      closeSegment();
      leaveItems(listStack, line.indent);
      fence = { char: fenceMatch[1].charCodeAt(0), len: fenceMatch[1].length, indent: Math.min(line.indent, baseIndent + 3), container: baseIndent };
      prev = 'code';
      continue;
    }

    const atx = relIndent < 4 && firstChar === 35 /* # */ ? ATX.exec(content) : null;
    if (atx) {
      closeSegment();
      closeFnDef();
      leaveItems(listStack, line.indent);
      const level = atx[1].length;
      let tStart = rest + atx[0].length;
      let tEnd = line.end;
      // Optional closing sequence of #s, preceded by a space.
      let k = tEnd;
      while (k > tStart && (text.charCodeAt(k - 1) === 32 || text.charCodeAt(k - 1) === 9)) k--;
      let h = k;
      while (h > tStart && text.charCodeAt(h - 1) === 35) h--;
      if (h < k && (h === tStart || text.charCodeAt(h - 1) === 32 || text.charCodeAt(h - 1) === 9)) k = h;
      while (k > tStart && (text.charCodeAt(k - 1) === 32 || text.charCodeAt(k - 1) === 9)) k--;
      tEnd = Math.max(k, tStart);
      while (tStart < tEnd && (text.charCodeAt(tStart) === 32 || text.charCodeAt(tStart) === 9)) tStart++;
      pushHeading(out.headings, text, level, { start: rest, end: line.end }, { start: tStart, end: tEnd });
      segments.push({ start: tStart, end: tEnd });
      prev = 'heading';
      continue;
    }

    if (relIndent < 4 && prev === 'para' && paraStart >= 0 && (firstChar === 61 || firstChar === 45) && SETEXT.test(content) && !(listIndent > 0 && line.indent < listIndent)) {
      // The paragraph above becomes a heading.
      const tStart = paraStart;
      let tEnd = lines[li - 1].end;
      while (tEnd > tStart && (text.charCodeAt(tEnd - 1) === 32 || text.charCodeAt(tEnd - 1) === 9)) tEnd--;
      pushHeading(out.headings, text, content.startsWith('=') ? 1 : 2, { start: tStart, end: line.end }, { start: tStart, end: tEnd });
      segParagraph = -1;
      closeSegment();
      paraStart = -1;
      prev = 'heading';
      continue;
    }

    if (relIndent < 4 && mayBeThematic(firstChar) && THEMATIC.test(content)) {
      closeSegment();
      closeFnDef();
      leaveItems(listStack, line.indent);
      prev = 'thematic';
      continue;
    }

    if (relIndent < 4 && firstChar === 60 /* < */) {
      let kind: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 0 = 0;
      if (HTML_BLOCK_1.test(content)) kind = 1;
      else if (content.startsWith('<!--')) kind = 2;
      else if (content.startsWith('<?')) kind = 3;
      else if (/^<![A-Za-z]/.test(content)) kind = 4;
      else if (content.startsWith('<![CDATA[')) kind = 5;
      else if (HTML_BLOCK_6.test(content)) kind = 6;
      else if (prev !== 'para' && HTML_BLOCK_7.test(content)) kind = 7;
      if (kind) {
        closeSegment();
        leaveItems(listStack, line.indent);
        html = { kind, start: rest, container: baseIndent };
        const ended =
          (kind === 1 && HTML_BLOCK_1_END.test(content)) ||
          (kind === 2 && content.indexOf('-->', 4) >= 0) ||
          (kind === 3 && content.indexOf('?>', 2) >= 0) ||
          (kind === 4 && content.includes('>')) ||
          (kind === 5 && content.indexOf(']]>', 9) >= 0);
        if (ended) {
          htmlRegions.push({ start: rest, end: line.end });
          html = null;
        }
        prev = 'html';
        continue;
      }
    }

    if (relIndent < 4 && firstChar === 91 /* [ */ && text.charCodeAt(rest + 1) === 94 /* ^ */) {
      const fm2 = FOOTNOTE_DEF.exec(content);
      // Unlike a link reference definition, a footnote definition interrupts a paragraph (micromark's gfm-footnote
      // does), so a run of definitions needs no blank lines between them even after a multi-line one.
      if (fm2) {
        closeSegment();
        closeFnDef();
        const labelStart = rest + 2;
        const def: FootnoteDef = {
          label: fm2[1],
          span: { start: rest, end: line.end },
          labelSpan: { start: labelStart, end: labelStart + fm2[1].length },
          text: '',
        };
        out.footnoteDefs.push(def);
        const textStart = rest + fm2[0].length;
        fnDef = { def, textStart, lastEnd: line.end };
        addToSegment(textStart, line.end);
        paraStart = -1;
        prev = 'fnDef';
        continue;
      }
    }

    // A link reference definition, `[label]: Page.md "title"`, where a paragraph starts or another definition ended.
    if (relIndent < 4 && firstChar === 91 /* [ */ && (prev !== 'para' || definitionBefore) && prev !== 'fnDef') {
      // At the top level, its destination may stand on the next line and its title on the line after the destination.
      const next = (k: number) => {
        const l = lines[k];
        return l && listStack.length === 0 && line.contentStart === line.start && l.contentStart === l.start && !isBlankRange(text, l.start, l.end) ? l : undefined;
      };
      const def = parseDefinition(text, rest, line.end, next(li + 1), next(li + 2));
      if (def) {
        closeSegment();
        out.links.push(def.link);
        li += def.extraLines;
        paraStart = -1;
        prev = 'para';
        afterDefinition = true;
        continue;
      }
    }

    // Paragraph text (also list item text and footnote continuation).
    if ((prev !== 'para' && prev !== 'fnDef') || definitionBefore) {
      closeSegment();
      paraStart = rest;
      // A paragraph inside a footnote definition is the footnote's, not a block of the article.
      if (paragraphs && !fnDef) segParagraph = opensItem ? 1 : 0;
    }
    if (fnDef) fnDef.lastEnd = line.end;
    addToSegment(rest, line.end);
    prev = 'para';
  }
  closeSegment();
  if (html) htmlRegions.push({ start: html.start, end: lines[lines.length - 1].end });
  closeFnDef();

  const ctx: InlineContext = { text, out, finder: mayHaveTags(text) ? inlineSyntaxAndTags : inlineSyntax };
  forgetSearches();
  for (const seg of segments) scanInline(ctx, seg.start, seg.end);
  for (const region of htmlRegions) scanHtml(ctx, region.start, region.end);
  forgetSearches();
  sortByStart(out.links);
  sortByStart(out.footnoteRefs);
  sortByStart(out.anchors);
  if (out.htmlHeadings) sortByStart(out.htmlHeadings);
  if (out.tags) sortByStart(out.tags);
  if (!options.noGlossary) extractGlossary(text, lines, out, options);
  return out;
}

/**
 * Sorts by offset (stably), unless already sorted: they nearly always are, as only anchors in HTML blocks are found
 * out of order, and the sort's comparisons cost 12 ms per pass over the 10,000-article bench wiki.
 */
function sortByStart(items: { span: Span }[]): void {
  for (let k = 1; k < items.length; k++) {
    if (items[k - 1].span.start > items[k].span.start) {
      items.sort((a, b) => a.span.start - b.span.start);
      return;
    }
  }
}

/** Closes the list items whose content is indented deeper than a line that is not part of them. */
function leaveItems(listStack: number[], indent: number): void {
  while (listStack.length > 0 && listStack[listStack.length - 1] > indent) listStack.pop();
}

/** Whether a line would start a block of its own and so cannot be a lazy continuation. */
function startsBlock(text: string, line: Line): boolean {
  const c = afterIndent(text, line);
  const first = text.charCodeAt(c);
  if (!(first < 128 && BLOCK_START[first]) && !mayStartListItem(first)) return false;
  const content = text.slice(c, Math.min(line.end, c + 16));
  return (
    ATX.test(content) ||
    FENCE_OPEN.test(content) ||
    THEMATIC.test(text.slice(c, line.end)) ||
    LIST_ITEM.test(content) ||
    FOOTNOTE_DEF.test(text.slice(c, Math.min(line.end, c + 1000))) ||
    HTML_BLOCK_6.test(content)
  );
}

/** The characters a line must start with to be anything but paragraph text (besides a list item's digits). */
const BLOCK_START = new Uint8Array(128);
for (const ch of '`~#=-*_<[+') BLOCK_START[ch.charCodeAt(0)] = 1;

/** `*`, `-` or `_`: the characters a thematic break is made of. */
function mayBeThematic(c: number): boolean {
  return c === 42 || c === 45 || c === 95;
}

/** `-`, `+`, `*` or a digit: what a list item marker starts with. */
function mayStartListItem(c: number): boolean {
  return c === 45 || c === 43 || c === 42 || (c >= 48 && c <= 57);
}

function pushHeading(headings: Heading[], text: string, level: number, span: Span, textSpan: Span): void {
  let raw = text.slice(textSpan.start, textSpan.end);
  // Only a setext heading can span lines.
  if (raw.indexOf('\n') >= 0 || raw.indexOf('\r') >= 0) raw = raw.replace(/[ \t]*(\r\n|\r|\n)[ \t]*/g, ' ');
  const plain = plainHeadingText(raw);
  headings.push({ level, text: plain, slug: slugOfPlain(plain), span, textSpan });
}

function collapseDefinition(s: string): string {
  // Most definitions are one line.
  if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s.trim();
  return s
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .join('\n')
    .trim();
}

interface InlineContext {
  text: string;
  out: ArticleSyntax;
  /** Where the inline scan stops: with tags' and block ids' characters only in a text that may have some. */
  finder: CharFinder;
}

/**
 * Where code spans close, for one pass over `[from, end)`: a run of `n` backticks closes at the next run of exactly
 * `n`. Most texts have few lengths without a closer, each searched for once (`unclosed`); a text of many such lengths
 * (runs of ever more backticks) would have the rest of the segment searched for each, so past a few the runs from there
 * on are listed once by length and each answer is a binary search: a 1 MB text of 1,400 lengths took 2.6 s.
 */
class CodeSpanCloser {
  private unclosed: Set<number> | undefined;
  private byLength: Map<number, number[]> | undefined;

  constructor(
    private readonly text: string,
    private readonly end: number,
  ) {}

  /** The offset just past the run that closes the run of `n` backticks ending at `from`, or -1. */
  close(from: number, n: number): number {
    if (this.byLength) {
      const starts = this.byLength.get(n);
      if (!starts) return -1;
      let lo = 0;
      let hi = starts.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid] < from) lo = mid + 1;
        else hi = mid;
      }
      return lo < starts.length ? starts[lo] + n : -1;
    }
    if (this.unclosed?.has(n)) return -1;
    const close = findCodeSpanEnd(this.text, from, this.end, n);
    if (close < 0) {
      (this.unclosed ??= new Set()).add(n);
      if (this.unclosed.size > 8) this.index(from);
    }
    return close;
  }

  /** Lists the runs from `from` by length, each run as findCodeSpanEnd reads one (cut at the end). */
  private index(from: number): void {
    const byLength = (this.byLength = new Map<number, number[]>());
    const { text, end } = this;
    for (let j = text.indexOf('`', from); j >= 0 && j < end; j = text.indexOf('`', j)) {
      let k = j;
      while (k < end && text.charCodeAt(k) === 96) k++;
      const list = byLength.get(k - j);
      if (list) list.push(j);
      else byLength.set(k - j, [j]);
      j = k;
    }
  }
}

/** Finds the offset just past a closing backtick run of exactly `n`, or -1. */
function findCodeSpanEnd(text: string, from: number, end: number, n: number): number {
  let i = from;
  while (i < end) {
    const j = text.indexOf('`', i);
    if (j < 0 || j >= end) return -1;
    let k = j;
    while (k < end && text.charCodeAt(k) === 96) k++;
    if (k - j === n) return k;
    i = k;
  }
  return -1;
}

/**
 * The inline constructs of a segment from `start`. With `label`, the label of a link that ends there: only what
 * CommonMark and GFM read inside a link's label, its images, footnote calls and HTML ids (no link, as the label would
 * not be a link's if one were in it, and no wikilink, as micromark reads `[[` there as brackets). `end` stays the
 * segment's end, so the bracket searches reuse what they found for the segment.
 */
function scanInline(ctx: InlineContext, start: number, end: number, label?: number): void {
  const { text } = ctx;
  const limit = label ?? end;
  // Made at the first backtick: most segments have none.
  let closer: CodeSpanCloser | undefined;
  let i = start;
  while (i < limit) {
    const s = ctx.finder.next(text, i);
    if (s < 0 || s >= limit) break;
    let c = text.charCodeAt(s);
    // The `!` of `![` is met first, as a loop over every character would (unless a construct before took it).
    if (c === 91 && s > i && text.charCodeAt(s - 1) === 33) {
      i = s - 1;
      c = 33;
    } else i = s;
    switch (c) {
      case 92 /* \ */:
        i += i + 1 < limit && isAsciiPunct(text.charCodeAt(i + 1)) ? 2 : 1;
        continue;
      case 96 /* ` */: {
        let k = i;
        while (k < limit && text.charCodeAt(k) === 96) k++;
        const close = (closer ??= new CodeSpanCloser(text, limit)).close(k, k - i);
        i = close >= 0 ? close : k;
        continue;
      }
      case 60 /* < */: {
        i = label === undefined ? scanAngle(ctx, i, end) : Math.min(scanAngle(ctx, i, label, false), label);
        continue;
      }
      case 33 /* ! */:
        if (text.charCodeAt(i + 1) === 91 && text.charCodeAt(i + 2) === 91) {
          if (label !== undefined) {
            i++;
            continue;
          }
          const next = scanWikiLink(ctx, i, i + 1, end, true);
          i = next > i ? next : i + 1;
          continue;
        }
        if (text.charCodeAt(i + 1) === 91) {
          // An image: its destination is a link to a file (syntax 'image'); its alt text is not scanned.
          const next = scanMarkdownLink(ctx, i + 1, end, true);
          // Not an image: the `[` may still open a footnote call or a link (`wow![^4]`).
          i = next > i + 1 ? next : i + 1;
          continue;
        }
        i++;
        continue;
      case 91 /* [ */: {
        if (label === undefined && text.charCodeAt(i + 1) === 91) {
          const next = scanWikiLink(ctx, i, i, end, false);
          if (next > i) {
            i = next;
            continue;
          }
        }
        if (text.charCodeAt(i + 1) === 94 /* ^ */) {
          const next = scanFootnoteRef(ctx, i, limit);
          if (next > i) {
            i = next;
            continue;
          }
        }
        if (label !== undefined) {
          i++;
          continue;
        }
        const next = scanMarkdownLink(ctx, i, end, false);
        i = next > i ? next : i + 1;
        continue;
      }
      case 94 /* ^ */: {
        // A footnote call's `^` is met inside its `[^…]` (case 91); this one may end a block as Obsidian's block id.
        const id = label === undefined ? readBlockId(text, i) : undefined;
        if (id && id.span.end <= end) {
          ctx.out.anchors.push(id);
          i = id.span.end;
        } else i++;
        continue;
      }
      case 35 /* # */: {
        // Not in a link's label: `[see #x](Page)` reads as a link's words.
        const tag = label === undefined ? readTag(text, i, limit) : undefined;
        if (tag) {
          (ctx.out.tags ??= []).push(tag);
          i = tag.span.end;
        } else i++;
        continue;
      }
      default:
        i++;
    }
  }
}

function scanHtml(ctx: InlineContext, start: number, end: number): void {
  const { text } = ctx;
  let i = text.indexOf('<', start);
  while (i >= 0 && i < end) {
    if (text.startsWith('<!--', i)) {
      const close = nextCommentClose(text, i + 4);
      i = close < 0 || close >= end ? end : close + 3;
    } else {
      i = scanAngle(ctx, i, end);
    }
    i = text.indexOf('<', i);
  }
}

/**
 * At a `<`: an HTML comment, an anchor, another tag or an autolink is skipped as a whole; anchors become links, unless
 * `anchors` is false (inside a link's label, where an anchor would be a link in a link and is only a tag).
 */
function scanAngle(ctx: InlineContext, i: number, end: number, anchors = true): number {
  const { text } = ctx;
  if (text.startsWith('<!--', i)) {
    // CommonMark: `<!-->` and `<!--->` are (empty) comments too.
    if (text.startsWith('<!-->', i)) return i + 5;
    if (text.startsWith('<!--->', i)) return i + 6;
    const close = nextCommentClose(text, i + 4);
    return close < 0 || close + 3 > end ? i + 1 : close + 3;
  }
  const second = text.charCodeAt(i + 1);
  if (anchors && (second === 97 || second === 65) /* a A */) {
    ANCHOR_OPEN.lastIndex = i;
    const m = ANCHOR_OPEN.exec(text);
    if (m && m.index + m[0].length <= end) {
      if (m[1]) tagAnchor(m[0], i, ctx.out.anchors);
      return scanAnchor(ctx, i, m[0].length, m[1], end);
    }
  }
  AUTOLINK.lastIndex = i;
  const auto = AUTOLINK.exec(text);
  if (auto && auto.index + auto[0].length <= end) return i + auto[0].length;
  OPEN_TAG.lastIndex = i;
  const tag = OPEN_TAG.exec(text);
  if (tag && tag.index + tag[0].length <= end) {
    tagAnchor(tag[0], i, ctx.out.anchors);
    if (second === 105 || second === 73 /* i I */) tagImage(tag[0], i, ctx.out.links);
    // In a link's label a heading would be one inside a link: not a section of the article.
    else if (anchors && (second === 104 || second === 72) /* h H */) tagHeading(text, tag[0], i, end, ctx.out);
    return i + tag[0].length;
  }
  CLOSE_TAG.lastIndex = i;
  const close = CLOSE_TAG.exec(text);
  if (close && close.index + close[0].length <= end) return i + close[0].length;
  return i + 1;
}

function scanAnchor(ctx: InlineContext, start: number, openLength: number, attributes: string, end: number): number {
  const { text } = ctx;
  const openEnd = start + openLength;
  const href = anchorHref(attributes, start + 2);
  if (!href) return openEnd;
  const close = nextAnchorClose(text, openEnd);
  const closed = close !== null && close.index < end;
  const link = makeLink('anchor', href.value, href.start, { start, end: closed ? close!.index + close![0].length : openEnd });
  if (link) {
    if (closed) setAnchorLabel(link, text, start, openEnd, close!.index);
    ctx.out.links.push(link);
  }
  return openEnd;
}

const TAG_NAME = /^<([A-Za-z][A-Za-z0-9-]*)/;
/** One attribute, from where the last ended: its name, and its value unquoted, in single or in double quotes. */
const ATTRIBUTE_PARTS = /\s+([A-Za-z_:][A-Za-z0-9_.:-]*)(?:\s*=\s*(?:([^\s"'=<>`/]+)|'([^']*)'|"([^"]*)"))?/y;

/** Whether `tag` is one whole open tag as CommonMark writes one (inside an HTML block any `<…>` is text to remark). */
export function isOpenTag(tag: string): boolean {
  OPEN_TAG.lastIndex = 0;
  const m = OPEN_TAG.exec(tag);
  return m !== null && m[0].length === tag.length;
}

/**
 * An `<img>` tag: its `src` is a link to a file (syntax 'img') and its `alt` the label. Pandoc writes MediaWiki's
 * `[[File:Map.png|thumb|caption]]` so (1,775 of them in the corpora, 1,672 in owasp-wiki).
 */
export function tagImage(tag: string, tagStart: number, out: Link[]): void {
  const name = TAG_NAME.exec(tag);
  if (!name || name[1].toLowerCase() !== 'img') return;
  let src: Span | undefined;
  let alt: Span | undefined;
  ATTRIBUTE_PARTS.lastIndex = name[0].length;
  for (let m = ATTRIBUTE_PARTS.exec(tag); m; m = ATTRIBUTE_PARTS.exec(tag)) {
    const attr = m[1].toLowerCase();
    if (attr !== 'src' && attr !== 'alt') continue;
    const value = m[2] ?? m[3] ?? m[4];
    if (value === undefined) continue;
    const start = tagStart + m.index + m[0].length - value.length - (m[2] === undefined ? 1 : 0);
    // The first of an attribute counts, as in a browser.
    if (attr === 'src') src ??= { start, end: start + value.length };
    else alt ??= { start, end: start + value.length };
  }
  if (!src) return;
  const link = makeLink('img', tag.slice(src.start - tagStart, src.end - tagStart), src.start, { start: tagStart, end: tagStart + tag.length });
  if (!link) return;
  if (alt) {
    link.labelSpan = alt;
    link.label = decodeEntities(tag.slice(alt.start - tagStart, alt.end - tagStart));
  }
  out.push(link);
}

/**
 * Adds the anchor an open tag (as written, starting at `tagStart`) makes: its `id`, or an `<a>`'s `name`. Walked
 * attribute by attribute, so that ` id=` inside another attribute's quoted value is not taken for one.
 */
export function tagAnchor(tag: string, tagStart: number, out: Anchor[]): void {
  // Most tags have no id: one search of the tag spares the walk.
  if (!/\s(?:id|name)\s*=/i.test(tag)) return;
  const name = TAG_NAME.exec(tag);
  if (!name) return;
  const isA = name[1].length === 1 && (name[1] === 'a' || name[1] === 'A');
  ATTRIBUTE_PARTS.lastIndex = name[0].length;
  for (let m = ATTRIBUTE_PARTS.exec(tag); m; m = ATTRIBUTE_PARTS.exec(tag)) {
    const attr = m[1].toLowerCase();
    if (attr !== 'id' && !(isA && attr === 'name')) continue;
    const value = m[2] ?? m[3] ?? m[4];
    if (!value) continue;
    const quoted = m[2] === undefined ? 1 : 0;
    const start = tagStart + m.index + m[0].length - value.length - quoted;
    out.push({ id: decodeEntities(value), span: { start, end: start + value.length } });
    return;
  }
}

const HEADING_CLOSE = [1, 2, 3, 4, 5, 6].map((n) => new RegExp(`</h${n}\\s*>`, 'i'));
/** How far a heading's closing tag is looked for: an unclosed `<h2>` in a long block must not cost a search to its end. */
const HEADING_REACH = 2000;

/**
 * Adds the heading an open tag `<h1>`…`<h6>` (as written, starting at `tagStart`) opens, when its closing tag follows
 * before `end` (the HTML block or paragraph holding it) and within HEADING_REACH. Its text is the one between, tags
 * and comments left out.
 */
export function tagHeading(text: string, tag: string, tagStart: number, end: number, out: ArticleSyntax): void {
  const h = tag.charCodeAt(1);
  const level = tag.charCodeAt(2) - 48;
  if ((h !== 104 && h !== 72) /* h H */ || level < 1 || level > 6) return;
  const after = tag.charCodeAt(3);
  // `<h2>`, `<h2 id=…>`, `<h2/>`; not `<h2x>` or `<hr>`.
  if (after !== 62 && after !== 47 && after !== 32 && after !== 9 && after !== 10 && after !== 13 && after !== 12) return;
  const textStart = tagStart + tag.length;
  const inner = text.slice(textStart, Math.min(end, textStart + HEADING_REACH));
  const close = HEADING_CLOSE[level - 1].exec(inner);
  if (!close) return;
  const headingText = foldWhitespace(decodeEntities(inner.slice(0, close.index).replace(/<!--[\s\S]*?-->|<[^>]*>/g, ' '))).trim();
  if (!headingText) return;
  const heading: HtmlHeading = {
    level,
    text: headingText,
    span: { start: tagStart, end: textStart + close.index + close[0].length },
    textSpan: { start: textStart, end: textStart + close.index },
  };
  (out.htmlHeadings ??= []).push(heading);
}

/** The href value of an anchor's attributes (as written) and its offset, given the offset where the attributes start. */
export function anchorHref(attributes: string, attributesStart: number): { value: string; start: number } | undefined {
  const href = HREF.exec(attributes);
  if (!href) return undefined;
  const value = href[1] ?? href[2] ?? href[3] ?? '';
  const quoteOffset = href[1] !== undefined || href[2] !== undefined ? 1 : 0;
  return { value, start: attributesStart + href.index + href[0].length - value.length - quoteOffset };
}

/** Sets an anchor's label from the text between its open tag and `</a>`. */
export function setAnchorLabel(link: Link, text: string, tagStart: number, openEnd: number, closeStart: number): void {
  let lStart = openEnd;
  // pandoc's MediaWiki export leaves a stray `"` before the tag and at the start of the label.
  if (text.charCodeAt(tagStart - 1) === 34 && text.charCodeAt(lStart) === 34 && lStart < closeStart) lStart++;
  link.labelSpan = { start: lStart, end: closeStart };
  const inner = text.slice(lStart, closeStart);
  link.label = foldWhitespace(decodeEntities(inner.indexOf('<') >= 0 ? inner.replace(/<[^>]*>/g, '') : inner)).trim();
}

// `file:` URIs are not external: they are links that leave the wiki, and the resolver reports them so.
const EXTERNAL_SCHEME = /^(?:\/\/|(?!file:)[A-Za-z][A-Za-z0-9+.-]*:\/\/|(?:mailto|tel|data|javascript|vbscript|irc|ircs|news|urn|sms|geo|magnet|xmpp|http|https|ftp|ftps|sftp|ssh|git|svn|callto|skype|bitcoin|ldap|nntp|feed|webcal):)/i;

/** A URL with a scheme, or protocol-relative (`//host/…`), leaves the wiki. */
export function isExternalTarget(raw: string): boolean {
  const t = raw.trim();
  // Every scheme has a colon: most targets, article names, are told apart without the long pattern.
  if (t.indexOf(':') < 0 && !(t.charCodeAt(0) === 47 && t.charCodeAt(1) === 47)) return false;
  return EXTERNAL_SCHEME.test(t);
}

/** The `#` that starts a fragment; the `#` of a character reference such as `&#39;` does not. */
function fragmentStart(raw: string): number {
  const hash = raw.indexOf('#');
  if (hash < 0 || raw.indexOf('&') < 0) return hash;
  const re = /&#[xX]?[0-9a-fA-F]{1,7};|#/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) if (m[0] === '#') return m.index;
  return -1;
}

/** Builds the one link representation from a target as written (`T`, `T#H`, `#H`); external URLs and empty targets give undefined. */
export function makeLink(syntax: Link['syntax'], raw: string, rawStart: number, span: Span): Link | undefined {
  if (raw.trim() === '' || isExternalTarget(decodeEntities(raw))) return undefined;
  const hash = fragmentStart(raw);
  const targetRaw = hash >= 0 ? raw.slice(0, hash) : raw;
  const link: Link = {
    syntax,
    span,
    rawTarget: targetRaw,
    targetSpan: { start: rawStart, end: rawStart + targetRaw.length },
    target: decodeText(targetRaw).trim(),
  };
  if (hash >= 0) {
    const h = raw.slice(hash + 1);
    link.heading = decodeText(h).trim();
    link.headingSpan = { start: rawStart + hash + 1, end: rawStart + raw.length };
  }
  return link;
}

function scanWikiLink(ctx: InlineContext, start: number, open: number, end: number, embed: boolean): number {
  const { text } = ctx;
  const inner = open + 2;
  let k = inner;
  while (k < end) {
    const c = text.charCodeAt(k);
    if (c === 93 /* ] */) break;
    if (c === 91 || c === 10 || c === 13) return -1;
    k++;
  }
  if (k >= end || text.charCodeAt(k + 1) !== 93 || k === inner) return -1;
  const link = makeWikiLink(text, start, inner, k, embed);
  if (link) ctx.out.links.push(link);
  return k + 2;
}

/**
 * The wiki links in the front matter's values (`up: "[[Parent]]"`, a list of `"[[Related]]"`), which Obsidian reads as
 * links of the note (its Properties): followed, checked, found as backlinks and rewritten by rename like any other.
 * Read from the YAML as written, quotes or not; the scanner and remark both call this, on the same span.
 */
export function frontMatterLinks(text: string, from: number, to: number, out: Link[]): void {
  const yaml = text.slice(from, to);
  if (yaml.indexOf('[[') < 0) return;
  const re = /(!?)\[\[([^[\]\r\n]*)\]\]/g;
  for (let m = re.exec(yaml); m; m = re.exec(yaml)) {
    const start = from + m.index;
    const embed = m[1] === '!';
    const inner = start + (embed ? 3 : 2);
    const link = makeWikiLink(text, start, inner, inner + m[2].length, embed);
    if (link) out.push(link);
  }
}

/** The link written `[[body]]` (or `![[body]]` from `start`), the body running from `inner` to `close`; undefined when it names nothing. */
export function makeWikiLink(text: string, start: number, inner: number, close: number, embed: boolean): Link | undefined {
  const body = text.slice(inner, close);
  // `\|` separates the label inside tables, where a bare `|` would end the cell.
  // The first `|`, or the `\` before it: what `body.search(/\\?\|/)` finds, without a regex per link.
  const bar = body.indexOf('|');
  const pipe = bar > 0 && body.charCodeAt(bar - 1) === 92 ? bar - 1 : bar;
  const targetPart = pipe >= 0 ? body.slice(0, pipe) : body;
  if (targetPart.trim() === '' && !targetPart.includes('#')) return undefined;
  const link = makeLink(embed ? 'embed' : 'wiki', targetPart, inner, { start, end: close + 2 });
  if (link && pipe >= 0) {
    const sep = body[pipe] === '\\' ? 2 : 1;
    link.labelSpan = { start: inner + pipe + sep, end: close };
    link.label = decodeEntities(body.slice(pipe + sep)).trim();
  }
  return link;
}

function scanFootnoteRef(ctx: InlineContext, start: number, end: number): number {
  const { text } = ctx;
  let k = start + 2;
  while (k < end) {
    const c = text.charCodeAt(k);
    if (c === 93 || c === 91 || c === 32 || c === 9 || c === 10 || c === 13) break;
    k++;
  }
  // `[^x\]` is no call: the backslash escapes the bracket.
  if (k >= end || text.charCodeAt(k) !== 93 || k === start + 2 || text.charCodeAt(k - 1) === 92) return -1;
  const label = text.slice(start + 2, k);
  const ref: FootnoteRef = { label, span: { start, end: k + 1 }, labelSpan: { start: start + 2, end: k } };
  ctx.out.footnoteRefs.push(ref);
  return k + 1;
}

/**
 * Searches of one scan that later searches reuse. Searching afresh from every opener made unclosed ones
 * quadratic: 50 KB of `[` took 11 s, 170 KB of `<a href>` without `</a>` 2 s. Reset around each scan, so
 * no text outlives it and every search in between sees the same text.
 */
let labelMemo: { text: string; start: number; end: number; ends: Map<number, number> } | undefined;
let innerLinkMemo: { text: string; end: number; from: number; next: number; head: number; starts: number[]; ends: number[] } | undefined;
let anchorCloseMemo: { text: string; from: number; match: RegExpExecArray | null } | undefined;
let commentCloseMemo: { text: string; from: number; at: number } | undefined;

function forgetSearches(): void {
  inlineSyntax.forget();
  inlineSyntaxAndTags.forget();
  bracketSyntax.forget();
  labelMemo = undefined;
  innerLinkMemo = undefined;
  anchorCloseMemo = undefined;
  commentCloseMemo = undefined;
}

/** The first `-->` at or after `from`, reused as nextAnchorClose is (`[[<!--` repeated took 2 s for 72 KB). */
function nextCommentClose(text: string, from: number): number {
  const m = commentCloseMemo;
  if (m && m.text === text && m.from <= from && (m.at < 0 || m.at >= from)) return m.at;
  const at = text.indexOf('-->', from);
  commentCloseMemo = { text, from, at };
  return at;
}

/** The first `</a>` at or after `from`: a search from before an earlier answer finds that answer again. */
function nextAnchorClose(text: string, from: number): RegExpExecArray | null {
  const m = anchorCloseMemo;
  if (m && m.text === text && m.from <= from && (m.match === null || m.match.index >= from)) return m.match;
  ANCHOR_CLOSE.lastIndex = from;
  const match = ANCHOR_CLOSE.exec(text);
  anchorCloseMemo = { text, from, match };
  return match;
}

/**
 * The `]` that closes the bracket at `open`. One pass from the first `[` asked about matches every bracket
 * after it; as it tokenizes exactly as the search below does, a `[` it met as a bracket gets the answer the
 * search would give. Any other position is searched directly.
 */
function findLabelEnd(text: string, open: number, end: number): number {
  let m = labelMemo;
  if (!m || m.text !== text || m.end !== end || open < m.start) m = labelMemo = { text, start: open, end, ends: matchBrackets(text, open, end) };
  return m.ends.get(open) ?? searchLabelEnd(text, open, end);
}

function matchBrackets(text: string, start: number, end: number): Map<number, number> {
  const ends = new Map<number, number>();
  const stack: number[] = [];
  const closer = new CodeSpanCloser(text, end);
  let i = start;
  while (i < end) {
    i = bracketSyntax.next(text, i);
    if (i < 0 || i >= end) break;
    const c = text.charCodeAt(i);
    if (c === 92) {
      i += 2;
      continue;
    }
    if (c === 96) {
      let k = i;
      while (k < end && text.charCodeAt(k) === 96) k++;
      const close = closer.close(k, k - i);
      i = close >= 0 ? close : k;
      continue;
    }
    if (c === 91) {
      ends.set(i, -1);
      stack.push(i);
    } else if (c === 93 && stack.length) ends.set(stack.pop()!, i);
    i++;
  }
  return ends;
}

/** Finds the `]` that closes the bracket at `open`, honouring nesting, escapes and code spans. */
function searchLabelEnd(text: string, open: number, end: number): number {
  let depth = 0;
  let i = open;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      i += 2;
      continue;
    }
    if (c === 96) {
      let k = i;
      while (k < end && text.charCodeAt(k) === 96) k++;
      const close = findCodeSpanEnd(text, k, end, k - i);
      i = close >= 0 ? close : k;
      continue;
    }
    if (c === 91) depth++;
    else if (c === 93) {
      depth--;
      if (depth === 0) return i;
    }
    i++;
  }
  return -1;
}

function skipSpaceAndOneNewline(text: string, i: number, end: number): number {
  let newline = false;
  const from = i;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) i++;
    else if ((c === 10 || c === 13) && !newline) {
      newline = true;
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      // In a block quote the next line of the paragraph starts with its `>` markers, which are not part of the link.
      if (text.charCodeAt(skipSpaces(text, i, end)) === 62 /* > */ && inBlockQuote(text, from)) {
        while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 62)) i++;
      }
    } else break;
  }
  return i;
}

function skipSpaces(text: string, i: number, end: number): number {
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i;
}

/** Whether the line holding offset `at` is a block quote's (starts with `>` after at most three spaces). */
function inBlockQuote(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const first = skipSpaces(text, lineStart, Math.min(lineStart + 4, text.length));
  return text.charCodeAt(first) === 62;
}

/**
 * A link reference definition, `[label]: dest "title"` (CommonMark 4.7), as a link whose target is the destination
 * and whose label is the definition's label, and how many lines after its first it took; undefined when there is none.
 * Its label is on one line; the destination may be on the next (`line2`), and a title alone on the line after the
 * destination (`line2` or `line3`); a title or label spread over lines is not read, by this scanner nor by the remark
 * analysis (remarkAnalysis.ts).
 */
function parseDefinition(text: string, open: number, lineEnd: number, line2?: Line, line3?: Line): { link: Link; extraLines: number } | undefined {
  let k = open + 1;
  while (k < lineEnd) {
    const c = text.charCodeAt(k);
    if (c === 92 /* \ */) k += 2;
    else if (c === 91 || c === 93) break;
    else k++;
  }
  const close = k;
  if (close >= lineEnd || text.charCodeAt(close) !== 93 || text.charCodeAt(close + 1) !== 58 /* : */) return undefined;
  const label = text.slice(open + 1, close);
  if (!label.trim() || label.length > 999 || text.charCodeAt(open + 1) === 94 /* ^ */) return undefined;
  let destLineEnd = lineEnd;
  let at = skipSpaces(text, close + 2, lineEnd);
  let extraLines = 0;
  if (at === lineEnd) {
    // Nothing after the colon: the destination is on the next line, or there is no definition.
    if (!line2) return undefined;
    destLineEnd = line2.end;
    at = skipSpaces(text, line2.start, destLineEnd);
    extraLines = 1;
  }
  const dest = parseDestination(text, at, destLineEnd);
  // A bare destination cannot be empty, and white space must follow it.
  if (!dest || (!dest.angle && (dest.end === dest.start || (dest.next < destLineEnd && text.charCodeAt(dest.next) > 32)))) return undefined;
  // An optional title after white space, then nothing but white space to the end of the line.
  let i = skipSpaces(text, dest.next, destLineEnd);
  if (i > dest.next && i < destLineEnd) {
    i = titleEnd(text, i, destLineEnd);
    if (i === -1) return undefined;
  }
  if (i < destLineEnd && !isBlankRange(text, i, destLineEnd)) return undefined;
  let end = destLineEnd;
  // A title alone on the line after the destination belongs to the definition; anything else there does not.
  const titleLine = extraLines ? line3 : line2;
  if (i === dest.next || isBlankRange(text, dest.next, destLineEnd)) {
    if (titleLine) {
      const t = skipSpaces(text, titleLine.start, titleLine.end);
      const te = titleEnd(text, t, titleLine.end);
      if (te > t && isBlankRange(text, te, titleLine.end)) {
        end = titleLine.end;
        extraLines++;
      }
    }
  }
  const link = makeLink('reference', text.slice(dest.start, dest.end), dest.start, { start: open, end });
  if (!link) return undefined;
  if (dest.angle) link.angle = true;
  link.labelSpan = { start: open + 1, end: close };
  link.label = foldWhitespace(label).trim();
  return { link, extraLines };
}

/** At a `[`: an inline link `[label](dest "title")`; returns where scanning resumes, or -1 when it is no link. */
function scanMarkdownLink(ctx: InlineContext, open: number, end: number, image: boolean): number {
  const { text } = ctx;
  const parsed = parseInlineLink(text, open, end);
  if (!parsed) return -1;
  const { close, destStart, destEnd, angle, linkEnd } = parsed;
  const innerClose = image ? -1 : text.indexOf('](', open + 1);
  if (innerClose >= 0 && innerClose < close && containsInlineLink(text, open + 1, close, end)) {
    // Links cannot contain links: the inner one wins and this `[` is plain text (CommonMark 6.3).
    return -1;
  }
  const raw = text.slice(destStart, destEnd);
  // An image's span starts at its `!`.
  const link = makeLink(image ? 'image' : 'markdown', raw, destStart, { start: image ? open - 1 : open, end: linkEnd });
  if (link) {
    if (angle) link.angle = true;
    link.labelSpan = { start: open + 1, end: close };
    link.label = plainHeadingText(foldWhitespace(text.slice(open + 1, close)));
    ctx.out.links.push(link);
  }
  // A badge `[![logo](logo.png)](Page)` links to Page and shows logo.png; `[text[^1]](Page)` calls footnote 1.
  if (!image) scanInline(ctx, open + 1, end, close);
  return linkEnd;
}

/**
 * Whether a link (not an image) lies between `from` and `to`. The links found sweep once from left to right:
 * asking each enclosing bracket afresh made `[[[…a](b)a](b)` quadratic.
 */
function containsInlineLink(text: string, from: number, to: number, end: number): boolean {
  let m = innerLinkMemo;
  if (!m || m.text !== text || m.end !== end || from < m.from) m = innerLinkMemo = { text, end, from, next: from, head: 0, starts: [], ends: [] };
  m.from = from;
  if (m.next < from) m.next = from;
  while (m.head < m.starts.length && m.starts[m.head] < from) m.head++;
  for (let k = m.head; ; ) {
    if (k < m.starts.length) {
      if (m.starts[k] >= to) return false;
      if (m.ends[k] <= to) return true;
      k++;
      continue;
    }
    const p = text.indexOf('[', m.next);
    if (p < 0 || p >= to) {
      if (p < 0) m.next = text.length;
      else m.next = p;
      return false;
    }
    m.next = p + 1;
    if (text.charCodeAt(p - 1) === 33 /* ! */) continue;
    const parsed = parseInlineLink(text, p, end);
    if (parsed) {
      m.starts.push(p);
      m.ends.push(parsed.linkEnd);
    }
  }
}

interface InlineLinkParts {
  /** The `]` that ends the label. */
  close: number;
  destStart: number;
  destEnd: number;
  angle: boolean;
  linkEnd: number;
}

/** At a `[`: the parts of an inline link `[label](dest "title")` ending before `end`, or undefined. */
function parseInlineLink(text: string, open: number, end: number): InlineLinkParts | undefined {
  const close = findLabelEnd(text, open, end);
  if (close < 0 || text.charCodeAt(close + 1) !== 40 /* ( */) return undefined;
  const dest = parseDestination(text, skipSpaceAndOneNewline(text, close + 2, end), end);
  if (!dest) return undefined;
  let i = skipSpaceAndOneNewline(text, dest.next, end);
  if (i > dest.next) {
    const after = titleEnd(text, i, end);
    if (after === -1) return undefined;
    if (after > i) i = skipSpaceAndOneNewline(text, after, end);
  }
  if (text.charCodeAt(i) !== 41) return undefined;
  return { close, destStart: dest.start, destEnd: dest.end, angle: dest.angle, linkEnd: i + 1 };
}

/**
 * A link destination from `i` (CommonMark 6.3, for inline links and definitions alike): `<…>` on one line, or a run
 * without spaces or control characters whose parentheses balance. `next` is where the text after it starts.
 */
function parseDestination(text: string, i: number, end: number): { start: number; end: number; angle: boolean; next: number } | undefined {
  if (text.charCodeAt(i) === 60 /* < */) {
    let k = i + 1;
    while (k < end) {
      const c = text.charCodeAt(k);
      if (c === 92) {
        k += 2;
        continue;
      }
      if (c === 62 || c === 60 || c === 10 || c === 13) break;
      k++;
    }
    if (text.charCodeAt(k) !== 62) return undefined;
    return { start: i + 1, end: k, angle: true, next: k + 1 };
  }
  let depth = 0;
  let k = i;
  while (k < end) {
    const c = text.charCodeAt(k);
    if (c === 92 && k + 1 < end && isAsciiPunct(text.charCodeAt(k + 1))) {
      k += 2;
      continue;
    }
    if (c <= 32 || c === 127) break;
    if (c === 40) {
      // micromark's limit: a 33rd open parenthesis ends the destination, so `[x](` repeated stays linear.
      if (depth === 32) break;
      depth++;
    } else if (c === 41) {
      if (depth === 0) break;
      depth--;
    }
    k++;
  }
  if (depth !== 0) return undefined;
  return { start: i, end: k, angle: false, next: k };
}

/** Past the closing quote or parenthesis of a link title starting at `i`; `i` itself when none starts there, -1 when it does not close. */
function titleEnd(text: string, i: number, end: number): number {
  const q = text.charCodeAt(i);
  if (q !== 34 && q !== 39 && q !== 40) return i;
  const closer = q === 40 ? 41 : q;
  let k = i + 1;
  while (k < end) {
    const c = text.charCodeAt(k);
    if (c === 92) {
      k += 2;
      continue;
    }
    if (c === closer) return k + 1;
    if (q === 40 && c === 40) return -1;
    k++;
  }
  return -1;
}

// ---------------------------------------------------------------- glossary

/** Fills `out.glossary` from an analysis whose headings are known (the remark analysis shares this line-based part). */
export function addGlossary(text: string, out: ArticleSyntax, options: ScanOptions = {}): void {
  extractGlossary(text, splitLines(text), out, options);
}

const GLOSSARY_HEADING = /glossary/i;
const GLOSSARY_WORD = /glossary/gi;
const TERM_COLON = /^[ \t]*(?:\*\*([^*\n]{1,80}?)(?::\*\*|\*\*[ \t]*:)|(\p{Lu}[\p{Lu}\p{N}'’ -]{0,60}?)[ \t]*:)[ \t]+(\S.*)$/u;
const DEFINITION_LINE = /^[ \t]{0,3}:[ \t]+(\S.*)$/;

/**
 * Glossary entries live in glossary articles and in sections whose heading (or, in plain text, a line
 * of its own) mentions "Glossary"; such a section runs to the next heading of the same or a higher level.
 */
function extractGlossary(text: string, lines: Line[], out: ArticleSyntax, options: ScanOptions): void {
  const regions: Span[] = [];
  if (options.wholeGlossary) regions.push({ start: 0, end: text.length });
  else {
    for (let h = 0; h < out.headings.length; h++) {
      const heading = out.headings[h];
      if (!GLOSSARY_HEADING.test(heading.text)) continue;
      let endOffset = text.length;
      for (let n = h + 1; n < out.headings.length; n++) {
        if (out.headings[n].level <= heading.level) {
          endOffset = out.headings[n].span.start;
          break;
        }
      }
      regions.push({ start: heading.span.end, end: endOffset });
    }
    if (regions.length === 0) {
      // Plain text (a pamphlet pasted in): a short line that names a glossary starts one, to the end. Only the
      // lines where the text has the word are looked at: testing every line cost 140 ms per pass over the
      // 10,000-article bench wiki, one search of each text for the word 60 ms.
      GLOSSARY_WORD.lastIndex = 0;
      let li = 0;
      for (let m = GLOSSARY_WORD.exec(text); m; m = GLOSSARY_WORD.exec(text)) {
        // The word has no line break: its line is the first to end after it.
        while (li < lines.length && lines[li].end < m.index + m[0].length) li++;
        if (li >= lines.length) break;
        const l = text.slice(lines[li].start, lines[li].end).trim();
        if (l.length > 0 && l.length <= 80 && GLOSSARY_HEADING.test(l) && !/[.!?]$/.test(l)) {
          regions.push({ start: lines[li].end, end: text.length });
          break;
        }
        if (GLOSSARY_WORD.lastIndex < lines[li].end) GLOSSARY_WORD.lastIndex = lines[li].end;
        li++;
      }
    }
  }
  if (regions.length === 0) return;
  const headingStarts = new Map(out.headings.map((h) => [h.span.start, h]));
  for (const region of regions) {
    let li = lines.findIndex((l) => l.start >= region.start);
    if (li < 0) continue;
    for (; li < lines.length && lines[li].start < region.end; li++) {
      const line = lines[li];
      const lineText = text.slice(line.start, line.end);
      const heading = headingStarts.get(line.start);
      if (heading && heading.span.start >= region.start) {
        // A heading per term: the paragraph under it is the definition. A setext heading's underline (and the
        // lines of a heading written over several) are the heading's, not the definition's.
        let after = li + 1;
        while (after < lines.length && lines[after].start < heading.span.end) after++;
        const body = paragraphAfter(text, lines, after, region.end);
        if (body && heading.span.start > region.start) {
          out.glossary.push({ term: heading.text, definition: body.text, termSpan: heading.textSpan, span: { start: heading.span.start, end: body.end } });
        }
        li = after - 1;
        continue;
      }
      const m = TERM_COLON.exec(lineText);
      if (m) {
        const term = (m[1] ?? m[2]).trim();
        const termOffset = line.start + lineText.indexOf(term);
        const body = paragraphAfter(text, lines, li, region.end, lineText.indexOf(m[3]));
        out.glossary.push({
          term: plainHeadingText(term),
          definition: body ? body.text : m[3],
          termSpan: { start: termOffset, end: termOffset + term.length },
          span: { start: line.start, end: body ? body.end : line.end },
        });
        continue;
      }
      // Definition list: `Term` then `: definition` on the next line.
      const next = lines[li + 1];
      if (next && !isBlankRange(text, line.start, line.end) && li > 0 && isBlankRange(text, lines[li - 1].start, lines[li - 1].end)) {
        const d = DEFINITION_LINE.exec(text.slice(next.start, next.end));
        if (d) {
          const term = lineText.trim();
          const termOffset = line.start + lineText.indexOf(term);
          const body = paragraphAfter(text, lines, li + 1, region.end, text.slice(next.start, next.end).indexOf(d[1]));
          out.glossary.push({
            term: plainHeadingText(term),
            definition: body ? body.text : d[1],
            termSpan: { start: termOffset, end: termOffset + term.length },
            span: { start: line.start, end: body ? body.end : next.end },
          });
          li++;
        }
      }
    }
  }
}

/** The paragraph that starts at line `li` (optionally from a column on its first line), up to a blank line. */
function paragraphAfter(text: string, lines: Line[], li: number, limit: number, column = 0): { text: string; end: number } | undefined {
  while (li < lines.length && column === 0 && isBlankRange(text, lines[li].start, lines[li].end)) li++;
  if (li >= lines.length || lines[li].start >= limit) return undefined;
  const parts: string[] = [];
  let end = lines[li].end;
  for (let k = li; k < lines.length && lines[k].start < limit; k++) {
    if (isBlankRange(text, lines[k].start, lines[k].end)) break;
    if (k > li && /^ {0,3}#{1,6}\s/.test(text.slice(lines[k].start, lines[k].end))) break;
    if (k > li && TERM_COLON.test(text.slice(lines[k].start, lines[k].end))) break;
    parts.push(text.slice(k === li ? lines[k].start + column : lines[k].start, lines[k].end).trim());
    end = lines[k].end;
  }
  return parts.length ? { text: parts.join(' '), end } : undefined;
}
