// Decoding of link targets and labels as written (entities, percent-escapes, backslash escapes), and GitHub-style heading slugs.
import { decodeNamedCharacterReference } from 'decode-named-character-reference';

const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));/g;

export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(ENTITY, (m, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (hex || dec) {
      const code = parseInt(hex ?? dec!, hex ? 16 : 10);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
      return String.fromCodePoint(code);
    }
    const decoded = decodeNamedCharacterReference(name!);
    return decoded === false ? m : decoded;
  });
}

const PERCENT_RUN = /(?:%[0-9a-fA-F]{2})+/g;

/** Percent-decodes valid UTF-8 escape runs; leaves malformed ones as written rather than throwing. */
export function decodePercent(s: string): string {
  if (s.indexOf('%') < 0) return s;
  return s.replace(PERCENT_RUN, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

const BACKSLASH_ESCAPE = /\\([!-/:-@[-`{-~])/g;

export function decodeBackslashes(s: string): string {
  return s.indexOf('\\') < 0 ? s : s.replace(BACKSLASH_ESCAPE, '$1');
}

/** A link target or label as a reader means it. */
export function decodeText(s: string): string {
  return decodePercent(decodeEntities(decodeBackslashes(s)));
}

/** Heading text as rendered, without inline markup, for slugs and display. */
export function plainHeadingText(text: string): string {
  // Most headings are plain words: none of the replacements below, nor entity decoding, can change them.
  if (!/[[<\\*`_&]/.test(text)) return text.trim();
  return decodeEntities(
    text
      // No class may run past the next opener of its kind: a heading of 7 KB of `[[x#` took 250 ms, 50 KB 12 s.
      .replace(/!?\[\[([^\][|]*)\|([^\][]*)\]\]/g, '$2')
      .replace(/!?\[\[([^\][]*)\]\]/g, '$1')
      .replace(/!?\[([^\][]*)\]\((?:[^()]|\([^()]*\))*\)/g, '$1')
      .replace(/<[^<>]*>/g, '')
      .replace(/\\([!-/:-@[-`{-~])/g, '$1')
      .replace(/[*`]|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])/g, ''),
  ).trim();
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens. */
export function slugify(text: string): string {
  return slugOfPlain(plainHeadingText(text));
}

/** The slug of heading text already made plain (by plainHeadingText), for a caller that has both. */
export function slugOfPlain(plain: string): string {
  const lower = plain.toLowerCase();
  // Most headings are ASCII words: nothing for the Unicode class to drop (it cost 25 ms per 80,000 headings).
  const kept = SLUG_PLAIN.test(lower) ? lower : lower.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '');
  return kept.indexOf(' ') < 0 ? kept : kept.replace(/ /g, '-');
}

const SLUG_PLAIN = /^[a-z0-9 _-]*$/;

/** Inline markup removed: the text a reader sees. */
export function plainInline(s: string): string {
  // Each replacement runs only when the text has the character its pattern needs, and white space is folded
  // without a match per word (below): 600 characters of each article of the 10,000-article bench wiki took
  // 150 ms, now 85 ms.
  // No class may run past the next opener of its kind: a footnote of 30 KB of `[` took 2.3 s to hover.
  if (s.indexOf('<') >= 0) {
    s = s.replace(/"?<a\s[^<>]*>"?((?:(?!<\/?a[\s>])[\s\S])*?)<\/a\s*>/gi, '$1');
    if (s.indexOf('<') >= 0) s = s.replace(/<[^<>]+>/g, '');
  }
  if (s.indexOf('[[') >= 0) {
    s = s.replace(/!?\[\[([^\][|]*)\|([^\][]*)\]\]/g, (_, t: string, l: string) => l || t);
    // A wikilink to a section reads as the section: `[[Capitalism#Critiques]]` → "Capitalism › Critiques".
    if (s.indexOf('[[') >= 0) s = s.replace(/!?\[\[([^\][]*)\]\]/g, (_, t: string) => t.replace(/^#/, '').replace('#', ' › '));
  }
  if (s.indexOf('[^') >= 0) s = s.replace(/\[\^[^\][\s]+\]/g, '');
  if (s.indexOf('](') >= 0) s = s.replace(/!?\[([^\][]*)\]\((?:[^()]|\([^()]*\))*\)/g, '$1');
  if (s.indexOf('*') >= 0 || s.indexOf('_') >= 0 || s.indexOf('`') >= 0) s = s.replace(/[*_`]{1,3}(?=\S)|(?<=\S)[*_`]{1,3}/g, '');
  return foldWhitespace(s).trim();
}

/**
 * Each run of white space as one space: what `s.replace(/\s+/g, ' ')` gives, but the pattern leaves single spaces
 * alone, since every match costs a call. Prose has a match per word for `\s+`, a match per line here: 600
 * characters of each article of the 10,000-article bench wiki took 47 ms with `\s+`, 16 ms with this.
 */
export function foldWhitespace(s: string): string {
  return s.replace(/\s{2,}|[^\S ]/g, ' ');
}
