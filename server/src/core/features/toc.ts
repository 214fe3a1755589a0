// A table of contents written into an article between marksman's markers (`<!--toc:start-->`), made and brought up to date by a code action.
import { plainHeadingText } from '../decode';
import { codeSpans, insideAny } from '../proseSpans';
import type { Span } from '../types';
import { headingFragment, type Article } from '../wiki';
import { lineEnding } from './editing';
import { isTitleHeading } from './text';

/** The markers marksman writes (and markdown renderers hide): a table between them is this one's to update. */
export const TOC_START = '<!--toc:start-->';
export const TOC_END = '<!--toc:end-->';

/** Past this many headings no table of contents is offered. */
export const TOC_MAX_HEADINGS = 1000;

const START_LINE = /^[ \t]*<!--toc:start-->[ \t]*$/gm;
const END_LINE = /^[ \t]*<!--toc:end-->[ \t]*$/gm;

export interface TableOfContents {
  /** What the edit replaces: the table there is, markers included, or an empty span where a new one goes. */
  span: Span;
  text: string;
  /** Whether the article has a table already (between the markers, outside code). */
  exists: boolean;
  /** Whether that table is as it should be. */
  current: boolean;
}

/**
 * The article's table of contents: a list of links to its sections (every markdown heading but the title), nested by
 * level, each `[Heading](#slug)` as GitHub and the preview read it, the second of two alike `#slug-1`, so each leads to
 * its own and is checked and renamed as any link to a heading is. A new one goes before the first section, where
 * MediaWiki draws its contents box; an existing one is replaced where it is. Undefined when there is no section.
 */
export function tableOfContents(article: Article, text: string): TableOfContents | undefined {
  // A list of thousands of sections is no table to read, and numbering headings alike costs a pass over them each.
  if (article.syntax.headings.length > TOC_MAX_HEADINGS) return undefined;
  const headings = article.syntax.headings.filter((h) => !isTitleHeading(article, h) && plainHeadingText(h.text).trim());
  if (!headings.length) return undefined;
  const eol = lineEnding(text);
  const lines: string[] = [];
  // Not Math.min(...levels): a pathological article of 200,000 headings would overflow the call's arguments.
  const top = headings.reduce((m, h) => Math.min(m, h.level), 6);
  let depth = -1;
  for (const h of headings) {
    // A level skipped (## then ####) nests one step, not two: deeper, the item would be indented code.
    depth = Math.min(h.level - top, depth + 1);
    const label = plainHeadingText(h.text).trim().replace(/[\\[\]<]/g, (c) => `\\${c}`);
    lines.push(`${'  '.repeat(depth)}- [${label}](#${headingFragment(article, h, false)})`);
  }
  const table = [TOC_START, ...lines, TOC_END].join(eol);
  const existing = tableOfContentsSpan(text);
  if (existing) return { span: existing, text: table, exists: true, current: text.slice(existing.start, existing.end) === table };
  const at = lineStartOf(text, headings[0].span.start);
  return { span: { start: at, end: at }, text: table + eol + eol, exists: false, current: false };
}

/** The span of the table between the markers, each on a line of its own and outside code. */
export function tableOfContentsSpan(text: string): Span | undefined {
  if (!text.includes(TOC_START)) return undefined;
  const code: Span[] = [];
  codeSpans(text, code);
  code.sort((a, b) => a.start - b.start);
  START_LINE.lastIndex = 0;
  for (let m = START_LINE.exec(text); m; m = START_LINE.exec(text)) {
    if (insideAny(code, m.index, m.index + m[0].length)) continue;
    END_LINE.lastIndex = m.index + m[0].length;
    for (let e = END_LINE.exec(text); e; e = END_LINE.exec(text)) {
      if (!insideAny(code, e.index, e.index + e[0].length)) return { start: m.index, end: e.index + e[0].length };
    }
    return undefined;
  }
  return undefined;
}

function lineStartOf(text: string, at: number): number {
  return Math.max(text.lastIndexOf('\n', at - 1), text.lastIndexOf('\r', at - 1)) + 1;
}
