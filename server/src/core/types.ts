// The data model of the core: what an article says (links, headings, footnotes, glossary) in one representation whatever the syntax.

/** A half-open range of UTF-16 offsets into an article's text. Offsets, not positions, keep the index small; LineIndex turns them into LSP positions. */
export interface Span {
  start: number;
  end: number;
}

/** LSP-compatible position (0-based line, UTF-16 column), defined here so the core needs no LSP package. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** How a link was written; every feature treats them alike, and rename rewrites each in its own syntax. */
export type LinkSyntax =
  | 'wiki' // [[T]], [[T|label]], [[T#H]], [[#H]]
  | 'embed' // ![[T]]
  | 'anchor' // <a href="T.md" class="wikilink">label</a>
  | 'markdown' // [label](T.md), [label](T "wikilink")
  | 'image' // ![alt](img/T.png): a file's path, written as a markdown link's destination
  | 'reference' // [label]: T.md "title", a link reference definition, which `[text][label]` links use
  | 'img'; // <img src="T.png" alt="…">: a file's path in an HTML tag, as pandoc writes MediaWiki's [[File:T.png]]

export interface Link {
  syntax: LinkSyntax;
  /** The whole link as written. */
  span: Span;
  /** The target as written (raw source text of the target part, without `#heading`). Empty for `[[#H]]`. */
  rawTarget: string;
  /** The target part's source span (empty span at the fragment for `[[#H]]`). */
  targetSpan: Span;
  /** The target decoded: entities, percent-escapes and backslash escapes resolved; `#heading` removed. */
  target: string;
  /** The decoded heading fragment, when the link has `#…`. */
  heading?: string;
  /** Source span of the heading fragment (after `#`). */
  headingSpan?: Span;
  /** The label as written, decoded, when the link has one distinct from its target. */
  label?: string;
  labelSpan?: Span;
  /** For markdown links the destination was wrapped in `<…>`; for anchors, the quote used. */
  angle?: boolean;
}

export interface Heading {
  level: number;
  /** Heading text, with inline markup as written (trimmed, closing #s removed). */
  text: string;
  /** GitHub-style slug of the text. */
  slug: string;
  /** The whole heading line(s). */
  span: Span;
  /** The text part only. */
  textSpan: Span;
}

/** An HTML element's `id` (or an `<a>`'s `name`): a place a `#fragment` can name besides a heading. */
export interface Anchor {
  id: string;
  /** The attribute's value. */
  span: Span;
}

/**
 * A tag, as Obsidian and Foam write them: `#anarchism`, `#history/russia` in the text, or an entry of the front
 * matter's `tags` (`tags: [anarchism, history/russia]`). Tags are matched without regard to case.
 */
export interface Tag {
  /** As written, without the `#`. */
  name: string;
  /** The name as written (after the `#` in the text; the value, inside any quotes, in the front matter). */
  span: Span;
  /** Written in the front matter's `tags`, not as `#name` in the text. */
  front?: true;
}

/** An HTML heading element, `<h2 id="purpose">PURPOSE</h2>`. */
export interface HtmlHeading {
  level: number;
  /** Its text: tags left out, entities decoded, white space folded. */
  text: string;
  /** From its open tag through its closing tag. */
  span: Span;
  /** Between the tags. */
  textSpan: Span;
}

export interface FootnoteRef {
  label: string;
  /** `[^label]` as written. */
  span: Span;
  /** The label inside the brackets. */
  labelSpan: Span;
}

export interface FootnoteDef {
  label: string;
  /** `[^label]:` through the end of the definition's last line. */
  span: Span;
  labelSpan: Span;
  /** The definition text (continuation lines joined, indentation removed). */
  text: string;
}

export interface GlossaryEntry {
  term: string;
  definition: string;
  /** Where the term is written in its entry. */
  termSpan: Span;
  /** The whole entry. */
  span: Span;
}

/** Everything the core knows about one article, from its text alone (no other article is consulted). */
export interface ArticleSyntax {
  /** Front matter fields that matter to us; undefined when there is none. */
  frontMatter?: { span: Span; title?: string; aliases: string[]; error?: string };
  headings: Heading[];
  links: Link[];
  footnoteRefs: FootnoteRef[];
  footnoteDefs: FootnoteDef[];
  glossary: GlossaryEntry[];
  /** HTML ids, in the order written (pandoc turns MediaWiki's `<span id>` and `{{anchor}}` into them). */
  anchors: Anchor[];
  /**
   * `<h1>`…`<h6>` elements, in the order written, when the article has any (pandoc keeps MediaWiki's headings inside
   * tables and boxes so). For the outline and folding only: links name their ids (anchors), not their texts.
   */
  htmlHeadings?: HtmlHeading[];
  /** Its tags, in the order written (front matter first), when it has any. */
  tags?: Tag[];
  /** Mistakes in the article's reference links (features/referenceLinks.ts), when it has any: found from its text. */
  referenceIssues?: ReferenceIssue[];
}

/**
 * A reference link's mistake: `undefined`, a use (`[text][label]`, `[label][]`) of a label no definition defines;
 * `unused`, a definition nothing uses; `duplicate`, a definition of a label defined before (the first one counts).
 */
export interface ReferenceIssue {
  kind: 'undefined' | 'unused' | 'duplicate';
  label: string;
  /** The label as written: inside the use's brackets, or the definition's. */
  span: Span;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

export type ProblemCode =
  | 'broken-link'
  | 'missing-file'
  | 'broken-heading'
  | 'ambiguous-link'
  | 'double-redirect'
  | 'undefined-reference'
  | 'unused-link-definition'
  | 'duplicate-link-definition'
  | 'missing-footnote-definition'
  | 'unused-footnote-definition'
  | 'duplicate-footnote-definition';

export interface Problem {
  code: ProblemCode;
  severity: Severity;
  message: string;
  span: Span;
  range: Range;
  /** Extra facts a quick fix needs (e.g. the missing target, the footnote label). */
  data?: Record<string, unknown>;
}
