// Small helpers the feature functions share: what sits at an offset, markdown escaping for untrusted text, sentences and phrases.
import type { Article } from '../wiki';
import { decodeEntities, plainInline } from '../decode';
import { REFERENCE_USE, referenceKey } from '../referenceIssues';

export { plainInline };
import type { Anchor, FootnoteDef, FootnoteRef, GlossaryEntry, Heading, Link, Span } from '../types';

/** The link whose source span holds the offset (the end counts, so a cursor just after `]]` still finds it). */
export function linkAt(article: Article, offset: number): Link | undefined {
  const links = article.syntax.links;
  // Links are in source order: a binary search keeps this cheap in an article with thousands of links.
  let lo = 0;
  let hi = links.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const l = links[mid];
    if (l.span.end < offset) lo = mid + 1;
    else if (l.span.start > offset) hi = mid - 1;
    else {
      // Adjacent links share a boundary offset: prefer the one the offset is strictly inside.
      if (offset === l.span.end && mid + 1 < links.length && links[mid + 1].span.start === offset) return links[mid + 1];
      return l;
    }
  }
  return undefined;
}

/**
 * A reference link holding the offset (`[text][label]`, `[label][]`, or `[label]` alone), as the link reference
 * definition of its label, which is where it leads; undefined when the article defines no such label. Found from the
 * line's text when asked: the index keeps the definitions (they are links), not every bracket that might use one.
 */
export function referenceUseAt(article: Article, text: string, offset: number): { definition: Link; span: Span } | undefined {
  const definitions = article.syntax.links.filter((l) => l.syntax === 'reference');
  if (!definitions.length) return undefined;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  const lineEnd = newline < 0 ? text.length : newline;
  if (lineEnd - lineStart > 10_000) return undefined;
  const line = text.slice(lineStart, lineEnd);
  for (const m of line.matchAll(REFERENCE_USE)) {
    const start = lineStart + m.index;
    const end = start + m[0].length;
    if (offset < start || offset > end) continue;
    // An inline link's `[text](` or a definition's own `[label]:` is not a use.
    if (text[end] === '(' || text[end] === ':') return undefined;
    const key = referenceKey(m[2] ? m[2] : m[1]);
    const definition = definitions.find((d) => referenceKey(d.label ?? '') === key);
    return definition && { definition, span: { start, end } };
  }
  return undefined;
}


/** The link at the offset, or the definition a reference link there uses, with the span of what is at the offset. */
export function linkOrReferenceAt(article: Article, text: string | undefined, offset: number): { link: Link; span: Span } | undefined {
  const link = linkAt(article, offset);
  if (link) return { link, span: link.span };
  const use = text === undefined ? undefined : referenceUseAt(article, text, offset);
  return use && { link: use.definition, span: use.span };
}

export function footnoteRefAt(article: Article, offset: number): FootnoteRef | undefined {
  return article.syntax.footnoteRefs.find((r) => r.span.start <= offset && offset <= r.span.end);
}

/** The footnote definition whose label (`[^x]:`) holds the offset. */
export function footnoteDefLabelAt(article: Article, offset: number): FootnoteDef | undefined {
  return article.syntax.footnoteDefs.find((d) => d.span.start <= offset && offset <= d.labelSpan.end + 2);
}

export function headingAt(article: Article, offset: number): Heading | undefined {
  return article.syntax.headings.find((h) => h.span.start <= offset && offset <= h.span.end);
}

/** The HTML id (an element's `id` value, an `<a>`'s `name`) whose value holds the offset, ends included. */
export function anchorAt(article: Article, offset: number): Anchor | undefined {
  return article.syntax.anchors.find((a) => a.span.start <= offset && offset <= a.span.end);
}

/** Whether the offset is inside the article's title (its front matter title or the heading that names it). */
export function inTitle(article: Article, offset: number): boolean {
  return !!article.titleSpan && article.titleSpan.start <= offset && offset <= article.titleSpan.end;
}

export function isTitleHeading(article: Article, heading: Heading): boolean {
  return !!article.titleSpan && article.titleSpan.start === heading.span.start && article.titleSpan.end === heading.span.end;
}

/**
 * Escapes text from the wiki for a markdown hover or completion documentation: raw HTML becomes visible text and
 * brackets cannot form links (so no `command:` link can be smuggled in through an article).
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]~])/g, '\\$1')
    .replace(/^(\s*)([-+#>=]|\d+[.)])/gm, '$1\\$2');
}


/** A line that starts a block of its own (list item, heading, quote, footnote definition), ending the paragraph above it. */
const BLOCK_START = /^[ \t]{0,3}(?:[-*+][ \t]|\d{1,9}[.)][ \t]|#{1,6}(?:[ \t]|$)|>|\[\^[^\]\s]+\]:)/;

/**
 * The sentence a span stands in, as plain text (markup stripped, entities decoded, whitespace collapsed), at most about
 * `max` characters. A sentence never reaches past its paragraph or list item, even when the span (a pandoc anchor)
 * runs over several lines.
 */
export function sentenceAround(text: string, start: number, end: number, max = 300): string {
  // Only a window around the span is looked at, so a huge one-line article with many links costs per link, not per article.
  if (start > 5000 || text.length - end > 5000) {
    const base = Math.max(0, start - 5000);
    return sentenceAround(text.slice(base, Math.min(text.length, end + 5000)), start - base, end - base, max);
  }
  const lineStart = (at: number) => {
    while (at > 0 && text[at - 1] !== '\n' && text[at - 1] !== '\r') at--;
    return at;
  };
  const lineEnd = (at: number) => {
    while (at < text.length && text[at] !== '\n' && text[at] !== '\r') at++;
    return at;
  };
  const nextLine = (at: number) => (text[at] === '\r' && text[at + 1] === '\n' ? at + 2 : at + 1);
  // Paragraph bounds first (blank lines and block starts), then the nearest sentence ends inside it.
  let pStart = lineStart(start);
  while (pStart > 0 && !BLOCK_START.test(text.slice(pStart, lineEnd(pStart)))) {
    const prev = lineStart(pStart - (text[pStart - 1] === '\n' && text[pStart - 2] === '\r' ? 2 : 1));
    if (text.slice(prev, lineEnd(prev)).trim() === '') break;
    pStart = prev;
  }
  let pEnd = lineEnd(Math.max(end, start));
  while (pEnd < text.length) {
    const next = nextLine(pEnd);
    const line = text.slice(next, lineEnd(next));
    if (line.trim() === '' || BLOCK_START.test(line)) break;
    pEnd = lineEnd(next);
  }
  let sStart = pStart;
  const sentenceEnd = /[.!?](?:\[\^[^\]\s]+\])*["')\]]*(?:\[\^[^\]\s]+\])*\s+(?=["'(\[]*[A-Z0-9<"*_[])/g;
  sentenceEnd.lastIndex = pStart;
  let m: RegExpExecArray | null;
  while ((m = sentenceEnd.exec(text)) && m.index + m[0].length <= start) sStart = m.index + m[0].length;
  sentenceEnd.lastIndex = Math.max(end, sStart);
  const after = sentenceEnd.exec(text);
  const sEnd = after && after.index < pEnd ? after.index + 1 : pEnd;
  let sentence = decodeEntities(plainInline(text.slice(sStart, Math.min(sEnd, sStart + 2000)).replace(/^\s*(?:[-*+]|\d+[.)]|#{1,6}|>)\s+/, '')));
  if (sentence.length > max) sentence = sentence.slice(0, max).replace(/\s\S*$/, '') + ' …';
  return sentence;
}

/** A glossary term as a lookup key: case, spacing and a plural ending ignored. */
export function termKey(s: string): string {
  return s.replace(/[_\s]+/g, ' ').trim().normalize('NFC').toLowerCase();
}

function singular(key: string): string[] {
  const out: string[] = [];
  if (key.endsWith('ies')) out.push(key.slice(0, -3) + 'y');
  if (key.endsWith('es')) out.push(key.slice(0, -2));
  if (key.endsWith('s')) out.push(key.slice(0, -1));
  return out;
}

export interface PhraseHit<T> {
  value: T;
  start: number;
  end: number;
}

/**
 * The longest phrase of up to `maxWords` words around the offset that `lookup` knows (trying singular forms too).
 * Only the surrounding line is looked at, so the cost does not grow with the article.
 */
export function phraseAt<T>(text: string, offset: number, maxWords: number, lookup: (key: string) => T | undefined): PhraseHit<T> | undefined {
  let lineStart = offset;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r' && offset - lineStart < 2000) lineStart--;
  let lineEnd = offset;
  while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r' && lineEnd - offset < 2000) lineEnd++;
  const line = text.slice(lineStart, lineEnd);
  const words: { start: number; end: number }[] = [];
  const word = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;
  let m: RegExpExecArray | null;
  let at = -1;
  while ((m = word.exec(line))) {
    const w = { start: lineStart + m.index, end: lineStart + m.index + m[0].length };
    if (w.start <= offset && offset <= w.end && at < 0) at = words.length;
    words.push(w);
  }
  if (at < 0) return undefined;
  let best: PhraseHit<T> | undefined;
  for (let first = Math.max(0, at - maxWords + 1); first <= at; first++) {
    for (let last = at; last < Math.min(words.length, first + maxWords); last++) {
      const start = words[first].start;
      const end = words[last].end;
      // Words of a phrase are separated by spaces only (not by punctuation that ends a clause).
      if (!/^[\p{L}\p{N}'’\s-]*$/u.test(text.slice(start, end))) continue;
      const key = termKey(text.slice(start, end));
      let value = lookup(key);
      if (value === undefined) for (const s of singular(key)) if ((value = lookup(s)) !== undefined) break;
      if (value !== undefined && (!best || end - start > best.end - best.start)) best = { value, start, end };
    }
  }
  return best;
}

export type { GlossaryEntry };
