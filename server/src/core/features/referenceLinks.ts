// Reference links and their labels (`[text][label]` using `[label]: Target.md`): every use of a label, for highlights and rename.
import type { Article } from '../wiki';
import type { Link, Span } from '../types';
import { excludedSpans, insideAny } from '../proseSpans';
import { REFERENCE_USE, referenceKey } from '../referenceIssues';
import { linkAt, referenceUseAt } from './text';

export interface ReferenceUse {
  /** The whole use: `[text][label]`, `[label][]` or `[label]`. */
  span: Span;
  /** The label inside its brackets (the first pair's for `[label][]` and `[label]`). */
  labelSpan: Span;
}

/**
 * The link reference definition whose label is at the offset, on a use of it or on the definition's own `[label]`;
 * undefined elsewhere (on the definition's target, what the link leads to is what is there).
 */
export function referenceLabelAt(article: Article, text: string, offset: number): Link | undefined {
  const link = linkAt(article, offset);
  if (link) return link.syntax === 'reference' && link.labelSpan && offset >= link.labelSpan.start - 1 && offset <= link.labelSpan.end + 1 ? link : undefined;
  return referenceUseAt(article, text, offset)?.definition;
}

/**
 * Every use in the article of the label a definition defines, outside code, other links, headings and definitions
 * (excludedSpans, as for mentions). Found from the text when asked: the index keeps the definitions, not the uses.
 */
export function referenceUses(article: Article, text: string, definition: Link): ReferenceUse[] {
  const key = referenceKey(definition.label ?? '');
  const excluded = excludedSpans(text, article, { headings: false });
  const out: ReferenceUse[] = [];
  for (const m of text.matchAll(REFERENCE_USE)) {
    const start = m.index;
    const end = start + m[0].length;
    // An inline link's `[text](` or a definition's `[label]:` is not a use.
    if (text[end] === '(' || text[end] === ':') continue;
    if (insideAny(excluded, start, end)) continue;
    const second = m[2] !== undefined && m[2] !== '';
    if (referenceKey(second ? m[2] : m[1]) !== key) continue;
    const labelStart = second ? start + 1 + m[1].length + 2 : start + 1;
    out.push({ span: { start, end }, labelSpan: { start: labelStart, end: labelStart + (second ? m[2] : m[1]).length } });
  }
  return out;
}
