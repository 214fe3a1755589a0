// Where an article's text is prose: the spans that are not (code, links, headings, markup), for searches in plain text.
import { commentSpans } from './comments';
import type { ArticleSyntax, Span } from './types';

/**
 * Spans of an article where a plain-text mention cannot be: front matter, headings, links, footnote markers,
 * code (fenced, indented and inline), HTML tags and comments, Obsidian's `%%` comments, and URLs. Sorted by start.
 * `headings: false` leaves headings in: a reference link (`## See [the docs][ref]`) is one there too, though a mention
 * is not linked there.
 */
export function excludedSpans(text: string, article: { syntax: ArticleSyntax }, options: { headings?: boolean; mentions?: boolean } = {}): Span[] {
  const spans: Span[] = [];
  if (options.mentions) notMentions(text, article.syntax, spans);
  const fm = article.syntax.frontMatter;
  if (fm) spans.push(fm.span);
  if (options.headings !== false) for (const h of article.syntax.headings) spans.push(h.span);
  for (const l of article.syntax.links) spans.push(l.span);
  for (const r of article.syntax.footnoteRefs) spans.push(r.span);
  for (const d of article.syntax.footnoteDefs) spans.push({ start: d.span.start, end: d.labelSpan.end + 2 });
  codeSpans(text, spans);
  spans.push(...commentSpans(text, fm?.span.end ?? 0));
  const re = /<!--[\s\S]*?(?:-->|$)|<\/?[A-Za-z][^<>]*>|\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s<>()]*|\bwww\.[^\s<>()]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) spans.push({ start: m.index, end: m.index + m[0].length });
  spans.sort((a, b) => a.start - b.start);
  return spans;
}

/**
 * What a search for mentions leaves out besides (`mentions: true`): tags (`#anarchism` names no article), block ids,
 * reference links (`[Mutual Aid][1]`, and `[label]` when a definition has the label) and link reference definitions,
 * where a link put around the words would break what is there. Not for the search of reference links themselves.
 */
function notMentions(text: string, syntax: ArticleSyntax, spans: Span[]): void {
  for (const t of syntax.tags ?? []) if (text.charCodeAt(t.span.start - 1) === 35 /* # */) spans.push({ start: t.span.start - 1, end: t.span.end });
  for (const a of syntax.anchors) if (a.id.startsWith('^')) spans.push(a.span);
  if (!text.includes('][') && !text.includes(']:')) return;
  const labels = new Set<string>();
  for (const m of text.matchAll(DEFINITION_LINE)) {
    spans.push({ start: m.index, end: m.index + m[0].length });
    labels.add(labelKey(m[1]));
  }
  for (const m of text.matchAll(BRACKETS)) {
    // `[text][^1]` is text and a footnote call.
    const full = m[2] !== undefined && !m[2].startsWith('^');
    if (full || (text[m.index + m[0].length] !== '(' && text[m.index + m[0].length] !== ':' && labels.has(labelKey(m[1])))) spans.push({ start: m.index, end: m.index + m[0].length });
  }
}

/** A link reference definition's line: `[label]: destination`, after at most three spaces; not a footnote's `[^1]:`. */
const DEFINITION_LINE = /^ {0,3}\[(?!\^)((?:[^[\]\\\r\n]|\\.){1,999})\]:[^\r\n]*/gm;
/** `[text][label]`, `[label][]`, or `[label]` alone (the second group undefined). */
const BRACKETS = /\[((?:[^[\]\\\r\n]|\\.)*)\](?:\[((?:[^[\]\\\r\n]|\\.)*)\])?/g;

function labelKey(label: string): string {
  return label.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Fenced and indented code blocks and inline code spans: mentions in code are code, not prose. */
export function codeSpans(text: string, out: Span[]): void {
  const lineRe = /[^\r\n]*(?:\r\n|\r|\n|$)/g;
  let fence: { char: string; len: number; start: number } | null = null;
  let prevBlank = true;
  let inList = false;
  let indented: number | null = null;
  for (let m = lineRe.exec(text); m && m[0].length > 0; m = lineRe.exec(text)) {
    const line = m[0].replace(/[\r\n]+$/, '');
    const start = m.index;
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (close && close[1][0] === fence.char && close[1].length >= fence.len) {
        out.push({ start: fence.start, end: start + line.length });
        fence = null;
      }
      continue;
    }
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open) {
      fence = { char: open[1][0], len: open[1].length, start };
      continue;
    }
    const blank = line.trim() === '';
    const indent = /^(?: {4}|\t)/.test(line);
    if (indent && !blank && (indented !== null || (prevBlank && !inList))) {
      if (indented === null) indented = start;
      out.push({ start, end: start + line.length });
    } else if (!blank) {
      indented = null;
      if (!indent) inList = /^ {0,3}(?:[-+*]|\d{1,9}[.)])[ \t]/.test(line) || (inList && !prevBlank);
    }
    prevBlank = blank;
  }
  if (fence) out.push({ start: fence.start, end: text.length });
  // Inline code: a run of backticks up to the next run of the same length. The runs are listed once and each length's
  // runs are walked forward only: looking ahead through the text for each opener had taken 6.8 s for a 1 MB text of
  // runs of ever more backticks, none closed.
  const starts: number[] = [];
  const lengths: number[] = [];
  const tick = /`+/g;
  for (let m = tick.exec(text); m; m = tick.exec(text)) {
    starts.push(m.index);
    lengths.push(m[0].length);
  }
  const byLength = new Map<number, number[]>();
  for (let i = 0; i < starts.length; i++) {
    const list = byLength.get(lengths[i]);
    if (list) list.push(i);
    else byLength.set(lengths[i], [i]);
  }
  const next = new Map<number, number>();
  for (let i = 0; i < starts.length; ) {
    const same = byLength.get(lengths[i])!;
    let k = next.get(lengths[i]) ?? 0;
    while (k < same.length && same[k] <= i) k++;
    next.set(lengths[i], k);
    if (k >= same.length) {
      i++;
      continue;
    }
    const j = same[k];
    out.push({ start: starts[i], end: starts[j] + lengths[j] });
    i = j + 1;
  }
}

/** Whether a span overlaps any of `spans` (sorted by start, as excludedSpans gives them). */
export function insideAny(spans: Span[], start: number, end: number): boolean {
  // Binary search for the last span starting at or before `start`, then look back over spans that may still cover it.
  let lo = 0;
  let hi = spans.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].start <= start) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let i = at; i >= 0 && i > at - 64; i--) if (spans[i].end > start) return true;
  for (let i = at + 1; i < spans.length && spans[i].start < end; i++) return true;
  return false;
}
