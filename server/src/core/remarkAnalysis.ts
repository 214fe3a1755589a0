// The reference analysis of an article with remark-parse: slow, but CommonMark-exact about code, HTML and links, so it checks the fast scanner.
// Only the decoding of what a link says (target, fragment, label) is shared with scan.ts; where code, HTML blocks,
// links, headings and footnotes are comes from micromark's syntax tree and its token positions.
import type { Handle, Extension as FromMarkdownExtension } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import type { Definition as MdDefinition, FootnoteReference, Heading as MdHeading, Html, Image as MdImage, Link as MdLink, Nodes, Parent, PhrasingContent, Root, RootContent } from 'mdast';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import remarkParse from 'remark-parse';
import { unified, type Processor } from 'unified';
import { withoutComments } from './comments';
import { plainHeadingText, slugify } from './decode';
import { frontMatterFields, OPEN as FRONT_MATTER_OPEN, tagSpans } from './frontMatter';
import { addGlossary, anchorHref, frontMatterLinks, makeLink, makeWikiLink, setAnchorLabel, isOpenTag, tagAnchor, tagHeading, tagImage, type ScanOptions } from './scan';
import { readBlockId, readTag } from './tagSyntax';
import type { ArticleSyntax, Heading, Link, Span } from './types';

/** Where micromark saw a link's destination; from-markdown keeps only the decoded URL, rename needs the source. */
interface DestinationData {
  destStart?: number;
  destEnd?: number;
  angle?: boolean;
}

const recordDestination = (angle: boolean): Handle =>
  function (this, token) {
    const node = this.stack[this.stack.length - 1] as { data?: DestinationData };
    node.data = { ...node.data, destStart: token.start.offset + (angle ? 1 : 0), destEnd: token.end.offset - (angle ? 1 : 0), angle };
  };

const destinationSpans: FromMarkdownExtension = {
  exit: {
    resourceDestinationRaw: recordDestination(false),
    resourceDestinationLiteral: recordDestination(true),
    definitionDestinationRaw: recordDestination(false),
    definitionDestinationLiteral: recordDestination(true),
  },
};

/** Adds GFM footnotes and YAML front matter to remark-parse, the way remark plugins do. */
function articleSyntax(this: Processor): void {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(gfmFootnote(), frontmatter(['yaml']));
  (data.fromMarkdownExtensions ??= []).push(gfmFootnoteFromMarkdown(), frontmatterFromMarkdown(['yaml']), destinationSpans);
}

const processor = unified().use(remarkParse).use(articleSyntax).freeze();

export function parseMarkdown(text: string): Root {
  return processor.parse(text) as Root;
}

/**
 * The constructs of inline text. Blocks never depend on them (CommonMark finds the blocks first), and some of them
 * try every opener against the rest of the paragraph: 15 KB of `**_` took micromark 1.3 s, of `[[<!-- ` 1 s.
 */
const INLINE_CONSTRUCTS = ['attention', 'autolink', 'characterEscape', 'characterReference', 'codeText', 'hardBreakEscape', 'htmlText', 'labelEnd', 'labelStartImage', 'labelStartLink', 'gfmFootnoteCall', 'gfmPotentialFootnoteCall'];

const blockProcessor = unified()
  .use(remarkParse)
  .use(articleSyntax)
  .use(function (this: Processor) {
    (this.data().micromarkExtensions ??= []).push({ disable: { null: INLINE_CONSTRUCTS } });
  })
  .freeze();

/** The blocks of a text (paragraphs, lists, quotes, code, HTML, headings), their inline text left unparsed. */
export function parseBlocks(text: string): Root {
  return blockProcessor.parse(text) as Root;
}

const ANCHOR_OPEN_TAG = /^<a(\s[^]*?)?\s*\/?>$/i;
const ANCHOR_CLOSE_TAG = /^<\/a\s*>$/i;
/** Tags, comments and the like inside an HTML block; only `<a …>` and `</a>` matter. */
/** Comments (skipped) and every open tag of an HTML block, for their ids. */
const OPEN_TAG_IN_BLOCK = /<!--[^]*?-->|<[A-Za-z][A-Za-z0-9-]*(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*>/g;
const TAG_IN_BLOCK = /<!--[^]*?-->|<a(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*>|<\/a\s*>/gi;
const WIKILINK = /!?\[\[([^[\]\r\n]+)\]\]/g;
const FOOTNOTE_CALL = /\[\^([^[\]\s]+)\]/g;

/** Whether the character at `i` is backslash-escaped (an odd run of backslashes before it). */
function escaped(text: string, i: number): boolean {
  let n = 0;
  while (i - n - 1 >= 0 && text.charCodeAt(i - n - 1) === 92) n++;
  return n % 2 === 1;
}

export function analyseArticle(text: string, options: ScanOptions = {}): ArticleSyntax {
  // micromark skips a byte order mark and counts offsets from the character after it.
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const tree = parseMarkdown(text);
  const out: ArticleSyntax = { headings: [], links: [], footnoteRefs: [], footnoteDefs: [], glossary: [], anchors: [] };
  const start = (n: Nodes) => n.position!.start.offset! + shift;
  const end = (n: Nodes) => n.position!.end.offset! + shift;

  /** An HTML tag of the text: its id, if any, and if it is an `<img>`, the link its `src` makes. */
  const openTag = (tag: string, tagStart: number) => {
    if (!tag.startsWith('<') || tag.startsWith('</') || tag.startsWith('<!')) return;
    tagAnchor(tag, tagStart, out.anchors);
    tagImage(tag, tagStart, out.links);
  };

  const pushAnchor = (tagStart: number, tagEnd: number, closeStart: number | undefined, closeEnd: number | undefined) => {
    const tag = text.slice(tagStart, tagEnd);
    const m = ANCHOR_OPEN_TAG.exec(tag);
    if (!m) return;
    const href = anchorHref(m[1] ?? '', tagStart + 2);
    if (!href) return;
    const link = makeLink('anchor', href.value, href.start, { start: tagStart, end: closeEnd ?? tagEnd });
    if (!link) return;
    if (closeStart !== undefined) setAnchorLabel(link, text, tagStart, tagEnd, closeStart);
    out.links.push(link);
  };

  /** Wikilinks and undefined footnote calls are plain text to remark: look for them in a run of text's source. */
  const scanRun = (from: number, to: number, wikilinks = true) => {
    const source = text.slice(from, to);
    if (source.indexOf('[') < 0 && source.indexOf('#') < 0 && source.indexOf('^') < 0) return;
    const wikiSpans: Span[] = [];
    WIKILINK.lastIndex = 0;
    for (let m = wikilinks ? WIKILINK.exec(source) : null; m; m = WIKILINK.exec(source)) {
      const s = from + m.index;
      const embed = m[0].charCodeAt(0) === 33;
      if (escaped(text, embed ? s + 1 : s)) continue;
      const inner = s + (embed ? 3 : 2);
      wikiSpans.push({ start: s, end: s + m[0].length });
      const link = makeWikiLink(text, s, inner, inner + m[1].length, embed);
      if (link) out.links.push(link);
    }
    // Tags, where the text is a paragraph's or a heading's own (not a link's label, as `wikilinks` says too).
    for (let h = wikilinks ? source.indexOf('#') : -1; h >= 0; h = source.indexOf('#', h + 1)) {
      const s = from + h;
      if (wikiSpans.some((w) => w.start <= s && s < w.end)) continue;
      const tag = readTag(text, s, to);
      if (tag) {
        (out.tags ??= []).push(tag);
        h = tag.span.end - from - 1;
      }
    }
    // Block ids (`^quote-1` ending a paragraph), where tags are looked for.
    for (let c = wikilinks ? source.indexOf('^') : -1; c >= 0; c = source.indexOf('^', c + 1)) {
      const s = from + c;
      if (wikiSpans.some((w) => w.start <= s && s < w.end)) continue;
      const id = readBlockId(text, s);
      if (id && id.span.end <= to) out.anchors.push(id);
    }
    FOOTNOTE_CALL.lastIndex = 0;
    for (let m = FOOTNOTE_CALL.exec(source); m; m = FOOTNOTE_CALL.exec(source)) {
      const s = from + m.index;
      // A `[^x]` inside a wikilink is part of its target, not a call.
      if (wikiSpans.some((w) => w.start <= s && s < w.end) || escaped(text, s) || m[1].endsWith('\\')) continue;
      out.footnoteRefs.push({ label: m[1], span: { start: s, end: s + m[0].length }, labelSpan: { start: s + 2, end: s + 2 + m[1].length } });
    }
  };

  /** Inline content of one paragraph or heading: runs of text, anchors opened and closed by inline HTML, links. */
  const phrasing = (children: PhrasingContent[]) => {
    let runStart = -1;
    let runEnd = -1;
    const flush = () => {
      if (runStart >= 0) scanRun(runStart, runEnd);
      runStart = -1;
    };
    const htmls: Html[] = [];
    const walk = (nodes: PhrasingContent[]) => {
      for (const node of nodes) {
        switch (node.type) {
          case 'text':
            if (runStart < 0) runStart = start(node);
            runEnd = end(node);
            break;
          case 'emphasis':
          case 'strong':
          case 'delete':
          case 'linkReference':
            walk(node.children);
            break;
          case 'link':
            flush();
            pushMarkdownLink(node);
            label(node.children);
            break;
          case 'image':
            flush();
            pushImage(node);
            break;
          case 'footnoteReference':
            flush();
            pushFootnoteReference(node);
            break;
          case 'html':
            flush();
            htmls.push(node);
            break;
          default:
            // Code spans, breaks: nothing in them is a link, and a run of text cannot continue across them.
            flush();
        }
      }
    };
    /** A link's label: its images, footnote calls and HTML ids (a badge `[![logo](logo.png)](Page)`); no wikilinks. */
    const label = (nodes: PhrasingContent[]) => {
      for (const node of nodes) {
        if (node.type === 'text') scanRun(start(node), end(node), false);
        else if (node.type === 'image') pushImage(node);
        else if (node.type === 'footnoteReference') pushFootnoteReference(node);
        else if (node.type === 'html') openTag(node.value, start(node)); else if ('children' in node) label(node.children as PhrasingContent[]);
      }
    };
    walk(children);
    flush();
    for (let i = 0; i < htmls.length; i++) {
      const open = htmls[i];
      openTag(open.value, start(open));
      if (/^<h[1-6]/i.test(open.value)) tagHeading(text, open.value, start(open), end(children[children.length - 1]), out);
      if (!ANCHOR_OPEN_TAG.test(open.value)) continue;
      const close = htmls.slice(i + 1).find((h) => ANCHOR_CLOSE_TAG.test(h.value));
      pushAnchor(start(open), end(open), close && start(close), close && end(close));
    }
  };

  /** The link a node with a destination (a link, an image, a definition) makes, its target where micromark saw it. */
  const destinationLink = (node: MdLink | MdImage | MdDefinition, syntax: Link['syntax']): Link | undefined => {
    const data = node.data as DestinationData | undefined;
    if (data?.destStart === undefined) return undefined;
    const destStart = data.destStart + shift;
    const link = makeLink(syntax, text.slice(destStart, data.destEnd! + shift), destStart, { start: start(node), end: end(node) });
    if (link && data.angle) link.angle = true;
    return link;
  };

  const pushMarkdownLink = (node: MdLink) => {
    const link = destinationLink(node, 'markdown');
    if (!link) return;
    const first = node.children[0];
    const last = node.children[node.children.length - 1];
    const labelStart = first ? start(first) : start(node) + 1;
    link.labelSpan = { start: labelStart, end: last ? end(last) : labelStart };
    link.label = plainHeadingText(text.slice(link.labelSpan.start, link.labelSpan.end).replace(/\s+/g, ' '));
    out.links.push(link);
  };

  const pushFootnoteReference = (node: FootnoteReference) => {
    out.footnoteRefs.push({
      label: text.slice(start(node) + 2, end(node) - 1),
      span: { start: start(node), end: end(node) },
      labelSpan: { start: start(node) + 2, end: end(node) - 1 },
    });
  };

  const pushDefinition = (node: MdDefinition) => {
    const link = destinationLink(node, 'reference');
    if (!link) return;
    const labelEnd = text.indexOf(']:', start(node));
    link.labelSpan = { start: start(node) + 1, end: labelEnd };
    link.label = text.slice(start(node) + 1, labelEnd).replace(/\s+/g, ' ').trim();
    out.links.push(link);
  };

  const pushImage = (node: MdImage) => {
    const link = destinationLink(node, 'image');
    if (!link) return;
    // The alt text runs from after `![` to the `]` that the destination's `(` follows.
    const labelEnd = text.lastIndexOf('](', link.targetSpan.start);
    link.labelSpan = { start: start(node) + 2, end: labelEnd };
    link.label = plainHeadingText(text.slice(link.labelSpan.start, labelEnd).replace(/\s+/g, ' '));
    out.links.push(link);
  };

  const htmlBlock = (from: number, to: number) => {
    const source = text.slice(from, to);
    const tags: { start: number; end: number; open: boolean }[] = [];
    TAG_IN_BLOCK.lastIndex = 0;
    for (let m = TAG_IN_BLOCK.exec(source); m; m = TAG_IN_BLOCK.exec(source)) {
      if (m[0].startsWith('<!--')) continue;
      tags.push({ start: from + m.index, end: from + m.index + m[0].length, open: m[0][1] !== '/' });
    }
    OPEN_TAG_IN_BLOCK.lastIndex = 0;
    for (let m = OPEN_TAG_IN_BLOCK.exec(source); m; m = OPEN_TAG_IN_BLOCK.exec(source)) {
      if (m[0].startsWith('<!--')) continue;
      tagAnchor(m[0], from + m.index, out.anchors);
      // An image or a heading only from a tag the scanner would read as one, not from `<img src=\`x\`>` in a block of examples.
      if (isOpenTag(m[0])) {
        tagImage(m[0], from + m.index, out.links);
        tagHeading(text, m[0], from + m.index, to, out);
      }
    }
    for (let i = 0; i < tags.length; i++) {
      if (!tags[i].open) continue;
      const close = tags.slice(i + 1).find((t) => !t.open);
      pushAnchor(tags[i].start, tags[i].end, close?.start, close?.end);
    }
  };

  const pushHeading = (node: MdHeading) => {
    const first = node.children[0];
    const last = node.children[node.children.length - 1];
    const textSpan: Span = first ? { start: start(first), end: end(last) } : { start: end(node), end: end(node) };
    const raw = text.slice(textSpan.start, textSpan.end).replace(/[ \t]*(\r\n|\r|\n)[ \t]*/g, ' ');
    const heading: Heading = { level: node.depth, text: plainHeadingText(raw), slug: slugify(raw), span: { start: start(node), end: end(node) }, textSpan };
    out.headings.push(heading);
  };

  const block = (node: RootContent, topLevel = false) => {
    switch (node.type) {
      case 'yaml': {
        const { tags, ...fields } = frontMatterFields(node.value);
        out.frontMatter = { span: { start: 0, end: end(node) }, ...fields };
        const contentStart = FRONT_MATTER_OPEN.exec(text)?.[0].length ?? 0;
        if (tags) {
          const found = tagSpans(node.value, tags, contentStart);
          if (found.length) out.tags = [...found, ...(out.tags ?? [])];
        }
        frontMatterLinks(text, contentStart, contentStart + node.value.length, out.links);
        return;
      }
      case 'heading':
        pushHeading(node);
        phrasing(node.children);
        return;
      case 'paragraph':
        phrasing(node.children);
        return;
      case 'html':
        htmlBlock(start(node), end(node));
        return;
      case 'footnoteDefinition': {
        const s = start(node);
        const labelStart = s + 2;
        const labelEnd = text.indexOf(']', labelStart);
        const textStart = labelEnd + 2;
        out.footnoteDefs.push({
          label: text.slice(labelStart, labelEnd),
          span: { start: s, end: end(node) },
          labelSpan: { start: labelStart, end: labelEnd },
          text: text
            .slice(textStart, Math.max(textStart, end(node)))
            .split(/\r\n|\r|\n/)
            .map((l) => l.trim())
            .join('\n')
            .trim(),
        });
        break;
      }
      case 'definition': {
        // Read as the scanner reads them (scan.ts, parseDefinition): the label and any title on one line each, the
        // destination on the label's line or the next, and only at the top level when it takes more than one line.
        const from = start(node);
        const labelEnd = text.indexOf(']:', from);
        const oneLine = node.position!.start.line === node.position!.end.line;
        if (oneLine || (topLevel && !/[\r\n]/.test(text.slice(from, labelEnd)) && !/[\r\n]/.test(node.title ?? '') && node.position!.end.line - node.position!.start.line <= 2)) pushDefinition(node);
        return;
      }
      case 'code':
      case 'thematicBreak':
        return;
    }
    if ('children' in node) for (const child of (node as Parent).children) block(child as RootContent);
  };

  for (const child of tree.children) block(child, true);
  out.links.sort((a, b) => a.span.start - b.span.start);
  out.anchors.sort((a, b) => a.span.start - b.span.start);
  out.htmlHeadings?.sort((a, b) => a.span.start - b.span.start);
  out.tags?.sort((a, b) => a.span.start - b.span.start);
  out.footnoteRefs.sort((a, b) => a.span.start - b.span.start);
  addGlossary(text, out, options);
  return withoutComments(text, out);
}
