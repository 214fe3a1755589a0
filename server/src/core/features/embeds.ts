// What an embed of an article (`![[Note]]`, `![[Note#Section]]`, `![[Note#^block]]`) shows of it: its markdown, for the preview to draw in place.
import { headingKey } from '../names';
import type { Anchor, Heading } from '../types';
import type { Article } from '../wiki';

/** The most of an article one embed shows; a longer one is cut at a blank line, and says so. */
export const EMBED_MAX = 20_000;

/**
 * The markdown an embed shows, as Obsidian and Foam draw one: the article past its front matter and its title heading;
 * a section from its heading to the next heading of its level or higher; a block (the paragraph or list item an
 * Obsidian block id ends) without its id. Undefined for an HTML id (no block of markdown to show) and when the text
 * at hand is not the one the index read (a file changed on disk and not yet read again: offsets would be wrong).
 */
export function embeddedMarkdown(a: Article, to: { heading?: Heading; anchor?: Anchor }, textOf: (path: string) => string | undefined): string | undefined {
  const text = textOf(a.path);
  if (text === undefined || text.length !== a.size) return undefined;
  const headings = a.syntax.headings;
  let start = 0;
  let end = text.length;
  if (to.heading) {
    const heading = to.heading;
    // By position, not identity: a closed article's headings are decoded afresh.
    const i = headings.findIndex((h) => h.span.start === heading.span.start);
    start = heading.span.start;
    const next = headings.slice(i + 1).find((h) => h.level <= heading.level);
    if (next) end = next.span.start;
  } else if (to.anchor) {
    if (!to.anchor.id.startsWith('^')) return undefined;
    start = blockStart(text, to.anchor.span.start);
    end = to.anchor.span.start;
  } else {
    start = a.syntax.frontMatter?.span.end ?? 0;
    // The title heading: the one the title comes from, or an opening `# Title` under a front matter title of that name.
    const first = headings[0];
    const blank = (from: number, to: number) => !text.slice(from, to).trim();
    if (first && first.level === 1 && blank(start, first.span.start) && (first.span.start === a.titleSpan?.start || headingKey(first.text) === headingKey(a.title))) start = first.span.end;
  }
  let body = text.slice(start, end).trim();
  if (body.length > EMBED_MAX) {
    const cut = body.lastIndexOf('\n\n', EMBED_MAX);
    body = `${body.slice(0, cut > EMBED_MAX / 2 ? cut : EMBED_MAX).trimEnd()}\n\n…`;
  }
  return body;
}

/**
 * Where the block ends at `at` begins: its list item's line when it is one, else its paragraph, back to the blank line
 * before it (looked for within 20 KB).
 */
export function blockStart(text: string, at: number): number {
  const lineStart = Math.max(text.lastIndexOf('\n', at - 1), text.lastIndexOf('\r', at - 1)) + 1;
  if (/^\s*(?:[-*+]|\d+[.)])\s/.test(text.slice(lineStart, at))) return lineStart;
  const from = Math.max(0, lineStart - 20000);
  let start = from;
  for (const m of text.slice(from, lineStart).matchAll(/(?:\r?\n|\r)[ \t]*(?:\r?\n|\r)/g)) start = from + m.index + m[0].length;
  return start;
}
