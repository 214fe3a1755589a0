// Hover: a preview of a link's target (title, lead, incoming links), a footnote's text, a tag's articles, a glossary term's definition,
// or what a broken link is missing. Everything from the wiki is escaped: hovers are untrusted markdown.
import { blockStart } from './embeds';
import { imageSize } from 'image-size';
import { FILE_PREFIX, IMAGE_FILE, isImageLink, lastSegment, nameKey, namesAFile } from '../names';
import { decodeEntities, plainHeadingText } from '../decode';
import { articleLead, firstProse, headingsOf, linkKeyOf, type Article, type Followed, type Wiki } from '../wiki';
import { tagHeading } from '../scan';
import type { Anchor, ArticleSyntax, Heading, HtmlHeading, Link } from '../types';
import type { HoverShape } from './shapes';
import type { GlossaryIndex } from './glossary';
import { escapeMarkdown, footnoteRefAt, linkOrReferenceAt, plainInline } from './text';
import { tagAt, tagHover, tagSpan } from './tags';

/** Reads an article's current text (the editor's when open); used for section previews, whose text the index does not keep. */
export type TextOf = (path: string) => string | undefined;

/** What a hover shows of an image file: the URI the editor reads it by and the size to draw it at. */
export interface ImagePreview {
  uri: string;
  width: number;
  height?: number;
}
/** The preview of an image file, for editors that draw images in hovers; undefined for others. */
export type ImageOf = (path: string) => ImagePreview | undefined;

/** Images an editor's web view cannot draw. */
const UNDRAWABLE = /\.tiff?$/i;
/** Enough of a file for its dimensions: a JPEG's size may stand after tens of KB of camera data. */
export const IMAGE_HEAD_BYTES = 256 * 1024;
/** The box a preview is fitted into: a glance, not the picture at full size. */
const PREVIEW_WIDTH = 320;
const PREVIEW_HEIGHT = 240;

/**
 * An image's preview, scaled down (never up) to fit the box, its dimensions read by image-size from the file's head;
 * a file whose size cannot be read (a broken or unusual file, an SVG without one) is drawn at the box's width.
 */
export function imagePreview(uri: string, head: () => Uint8Array | undefined): ImagePreview {
  let size: { width: number; height: number } | undefined;
  try {
    const bytes = head();
    const s = bytes && imageSize(bytes);
    // An EXIF orientation of 5–8 turns the picture a quarter: the drawn width is the stored height.
    if (s?.width && s.height) size = s.orientation && s.orientation >= 5 ? { width: s.height, height: s.width } : { width: s.width, height: s.height };
  } catch {
    // Not an image image-size knows, or unreadable now: drawn at the box's width.
  }
  if (!size) return { uri, width: PREVIEW_WIDTH };
  const scale = Math.min(1, PREVIEW_WIDTH / size.width, PREVIEW_HEIGHT / size.height);
  return { uri, width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) };
}

/** Markdown that draws the image, sized as VS Code reads it (`uri|width=…,height=…`); parentheses and bars escaped. */
function imageMarkdown(image: ImagePreview, alt: string): string {
  const uri = image.uri.replace(/[()|<> ]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
  const size = `width=${image.width}` + (image.height ? `,height=${image.height}` : '');
  return `![${escapeMarkdown(alt)}](${uri}|${size})`;
}

export function hover(wiki: Wiki, article: Article, text: string, offset: number, glossary?: GlossaryIndex, textOf?: TextOf, imageOf?: ImageOf): HoverShape | undefined {
  const at = linkOrReferenceAt(article, text, offset);
  if (at) {
    const markdown = linkHover(wiki, article, at.link, (path) => (path === article.path ? text : textOf?.(path)), imageOf);
    return markdown ? { markdown, range: article.lines.range(at.span) } : undefined;
  }
  const tag = tagAt(article, offset);
  if (tag) return { markdown: tagHover(wiki, tag), range: article.lines.range(tagSpan(tag)) };
  const ref = footnoteRefAt(article, offset);
  if (ref) {
    const key = ref.label.toLowerCase();
    const def = article.syntax.footnoteDefs.find((d) => d.label.toLowerCase() === key);
    let body: string;
    if (!def) body = `*Footnote \\[^${escapeMarkdown(ref.label)}\\] has no definition.*`;
    else {
      // Closed articles keep no footnote text in the index; the text at hand has it.
      const defText = def.text || text.slice(def.labelSpan.end + 2, def.span.end);
      body = escapeMarkdown(plainInline(defText)) || '*(empty footnote)*';
    }
    return { markdown: `**Footnote ${escapeMarkdown(ref.label)}**\n\n${body}`, range: article.lines.range(ref.span) };
  }
  if (glossary) {
    const hit = glossary.termAt(wiki, text, offset);
    if (hit) {
      const parts = hit.value.slice(0, 3).map((t) => {
        const def = plainInline(t.definition).replace(new RegExp(`^${escapeRegExp(t.term)}\\s*[:—–-]\\s*`, 'i'), '');
        return `**${escapeMarkdown(t.term)}**: ${escapeMarkdown(def)}\n\n*from ${escapeMarkdown(t.article.title)} (${escapeMarkdown(t.article.rel)})*`;
      });
      return { markdown: parts.join('\n\n---\n\n'), range: article.lines.range({ start: hit.start, end: hit.end }) };
    }
  }
  return undefined;
}

/** Cut at a word boundary, with an ellipsis, when longer than `max`. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const head = s.slice(0, max);
  const sentence = head.lastIndexOf('. ');
  return (sentence > max / 2 ? head.slice(0, sentence + 1) : head.replace(/\s+\S*$/, '')) + ' …';
}

/**
 * The first paragraph of a heading's section as plain text: its subsections' headings are skipped, so a section that
 * opens with a subheading still shows text. Empty when the text at hand is not the one the index read (a file changed
 * on disk and not yet re-read): offsets would point at the wrong place.
 */
export function sectionText(a: Article, heading: Heading, textOf?: TextOf): string {
  const text = textOf?.(a.path);
  if (text === undefined || text.length !== a.size) return '';
  const headings = a.syntax.headings;
  // By position, not identity: a closed article's headings are decoded afresh when its memo has moved on.
  const i = headings.findIndex((h) => h.span.start === heading.span.start);
  let end = text.length;
  for (let j = i + 1; j < headings.length; j++) {
    if (headings[j].level <= heading.level) {
      end = headings[j].span.start;
      break;
    }
  }
  // Headings inside the section are cut out by their spans (a setext underline is not a paragraph).
  let body = '';
  let from = heading.span.end;
  for (let j = i + 1; j < headings.length && headings[j].span.start < end; j++) {
    body += text.slice(from, headings[j].span.start) + '\n\n';
    from = headings[j].span.end;
  }
  body += text.slice(from, Math.min(end, from + 20000));
  return firstProse(body);
}

/**
 * The HTML heading an id stands on (`<h2 id="purpose">PURPOSE</h2>`, as pandoc keeps a MediaWiki heading in a table)
 * and the first paragraph under it, to the next heading of its level or higher, markdown or HTML; undefined when the
 * id is on another element or the text at hand is not the indexed one.
 */
function htmlSection(a: Article, anchor: Anchor, textOf: TextOf): { heading: HtmlHeading; text: string } | undefined {
  const text = textOf(a.path);
  if (text === undefined || text.length !== a.size) return undefined;
  const open = text.lastIndexOf('<', anchor.span.start);
  const tagEnd = text.indexOf('>', anchor.span.end);
  if (open < 0 || tagEnd < 0 || !/^<h[1-6]\s/i.test(text.slice(open, open + 4))) return undefined;
  const found: ArticleSyntax = { headings: [], links: [], footnoteRefs: [], footnoteDefs: [], glossary: [], anchors: [] };
  tagHeading(text, text.slice(open, tagEnd + 1), open, text.length, found);
  const heading = found.htmlHeadings?.[0];
  if (!heading) return undefined;
  const from = heading.span.end;
  let end = Math.min(text.length, from + 20000);
  const next = headingsOf(a).find((h) => h.span.start >= from && h.level <= heading.level);
  if (next) end = Math.min(end, next.span.start);
  const nextHtml = new RegExp(`<h[1-${heading.level}][\\s>/]`, 'gi');
  nextHtml.lastIndex = from;
  const m = nextHtml.exec(text);
  if (m) end = Math.min(end, m.index);
  return { heading, text: firstProse(text.slice(from, end)) };
}

/**
 * The text of the block an Obsidian block id ends (`A paragraph to quote. ^quote-1`): its paragraph, or its list
 * item when it ends one, without the id. Undefined when the text at hand is not the indexed one.
 */
function blockText(a: Article, anchor: Anchor, textOf: TextOf): string | undefined {
  const text = textOf(a.path);
  if (text === undefined || text.length !== a.size) return undefined;
  return firstProse(text.slice(blockStart(text, anchor.span.start), anchor.span.start));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Longest title and preview text shown: a hover is a glance, and a huge front matter title must not fill the screen. */
const MAX_TITLE = 200;
const MAX_PREVIEW = 500;

/** The hover text of one link; exported for tests and for other features that describe a link. */
export function linkHover(wiki: Wiki, article: Article, link: Link, textOf?: TextOf, imageOf?: ImageOf): string | undefined {
  // Through redirect pages: a reader wants the article arrived at, not a page that says REDIRECT.
  const r = wiki.resolveThrough(link, article);
  const body = hoverOf(wiki, r, link, textOf, imageOf);
  if (!r.via?.length || body === undefined) return body;
  const names = r.via.map((a) => `'${escapeMarkdown(cut(a.title, MAX_TITLE))}'`).join(' → ');
  if (r.loop) return `*${names} → '${escapeMarkdown(cut(r.kind === 'article' ? r.article.title : '', MAX_TITLE))}': a redirect loop.*`;
  if (r.kind !== 'article') return `*${names} redirects to:*\n\n${body}`;
  const [head, ...rest] = body.split('\n\n');
  return [head, `*Redirected from ${names}*`, ...rest].join('\n\n');
}

function hoverOf(wiki: Wiki, r: Followed, link: Link, textOf?: TextOf, imageOf?: ImageOf): string | undefined {
  switch (r.kind) {
    case 'article': {
      const a = r.article;
      const lines: string[] = [];
      const html = !r.heading && r.anchor && textOf ? htmlSection(a, r.anchor, textOf) : undefined;
      const block = !r.heading && r.anchor?.id.startsWith('^') && textOf ? blockText(a, r.anchor, textOf) : undefined;
      let head = `**${escapeMarkdown(cut(a.title, MAX_TITLE))}**`;
      if (r.heading) head += ` › ${escapeMarkdown(cut(plainHeadingText(r.heading.text), MAX_TITLE))}`;
      else if (html) head += ` › ${escapeMarkdown(cut(html.heading.text, MAX_TITLE))}`;
      else if (r.anchor) head += ` › #${escapeMarkdown(cut(r.anchor.id, MAX_TITLE))}`;
      lines.push(`${head}  \n\`${a.rel.replace(/[`\r\n]/g, "'")}\``);
      if (r.headingMissing) lines.push(`*No heading '${escapeMarkdown(cut(link.heading ?? '', MAX_TITLE))}' in this article.*`);
      // A link to a section is about that section: its text, not the article's lead, is what the reader wants to see.
      // An HTML id stands in a section (or in the heading it names): that section is its neighbourhood.
      const section = r.heading ?? (r.anchor && a.syntax.headings.filter((h) => h.span.start <= r.anchor!.span.start).pop());
      const preview = block ?? (html ? html.text : section ? sectionText(a, section, textOf) : textOf ? articleLead(a, textOf) : '');
      if (preview) lines.push(escapeMarkdown(cut(decodeEntities(preview), MAX_PREVIEW)));
      // The picture the article opens with, as an encyclopedia's page preview shows it.
      const lead = !section && imageOf ? leadImage(wiki, a) : undefined;
      const image = lead && imageOf!(lead.path);
      if (lead && image) lines.push(imageMarkdown(image, lead.alt));
      // A category's own page (owasp-wiki has 576): its articles, as MediaWiki shows them under the page's text.
      const members = /^:?category:/i.test(link.target) ? membersLine(wiki, linkKeyOf(link.target, wiki.settings.caseMode)) : undefined;
      if (members) lines.push(members);
      else {
        const n = wiki.incomingCount(a, true);
        lines.push(`*${n === 1 ? '1 article links' : `${n} articles link`} here*`);
      }
      return lines.join('\n\n');
    }
    case 'missing': {
      if (r.headingOnly) return `*No heading '${escapeMarkdown(link.heading ?? '')}' here.*`;
      if (namesAFile(link)) return `**No file '${escapeMarkdown(link.target)}' in the wiki**`;
      const others = wantedBy(wiki, r.key, link);
      return `**No article named '${escapeMarkdown(r.name)}'**\n\n${
        others === 0 ? 'No other link wants it.' : `${plural(others, 'other link wants', 'other links want')} it.`
      }`;
    }
    case 'ambiguous':
      return `**'${escapeMarkdown(link.target)}' could mean:**\n\n${r.candidates.map((c) => `- ${escapeMarkdown(c.title)} (\`${c.rel.replace(/`/g, "'")}\`)`).join('\n')}`;
    case 'outside':
      return `**'${escapeMarkdown(link.target)}' is outside the wiki**; it is not shown.`;
    case 'category':
      return categoryHover(wiki, r.name, link);
    case 'interwiki':
      return `**Interwiki link** (${escapeMarkdown(r.prefix)}): ${escapeMarkdown(link.target)}`;
    case 'special':
      return `**Special page:** ${escapeMarkdown(r.name)}`;
    case 'attachment': {
      const name = r.path.slice(r.path.lastIndexOf('/') + 1);
      const head = `**${IMAGE_FILE.test(name) ? 'Image' : 'Attachment'}** \`${name.replace(/[`\r\n]/g, "'")}\``;
      const image = IMAGE_FILE.test(name) && !UNDRAWABLE.test(name) ? imageOf?.(r.path) : undefined;
      return image ? `${head}\n\n${imageMarkdown(image, link.label || name)}` : head;
    }
  }
}

/** How far into an article its opening picture may stand, and how many of its links are looked at for it. */
const LEAD_IMAGE_WITHIN = 4000;
const LEAD_IMAGE_LINKS = 50;

/**
 * The first image an article shows before its first section (a title heading aside) and within its first few KB:
 * pandoc's `<figure><img …>` of an exported MediaWiki page, `![…](…)`, `![[…]]` or `[[File:…]]`, when the file is there.
 */
function leadImage(wiki: Wiki, a: Article): { path: string; alt: string } | undefined {
  const headings = a.syntax.headings;
  const section = headings.find((h, i) => !(i === 0 && h.level === 1));
  const end = Math.min(section?.span.start ?? Infinity, LEAD_IMAGE_WITHIN);
  const links = a.syntax.links;
  for (let i = 0; i < links.length && i < LEAD_IMAGE_LINKS; i++) {
    const l = links[i];
    if (l.span.start >= end || !IMAGE_FILE.test(l.target) || UNDRAWABLE.test(l.target)) continue;
    // Shown in the article, not only linked to (`[plan](plan.png)`, MediaWiki's `[[:File:plan.png]]`).
    const shown = isImageLink(l) || l.syntax === 'embed' || (l.syntax === 'wiki' && FILE_PREFIX.test(l.rawTarget));
    if (!shown) continue;
    const r = wiki.resolve(l, a);
    if (r.kind === 'attachment') return { path: r.path, alt: l.label || r.path.slice(r.path.lastIndexOf('/') + 1) };
  }
  return undefined;
}

/** A category without a page of its own: the articles it holds, as MediaWiki's category page would list them. */
function categoryHover(wiki: Wiki, name: string, link: Link): string {
  const head = `**Category:** ${escapeMarkdown(cut(name.replace(/_/g, ' '), MAX_TITLE))}`;
  return `${head}\n\n${membersLine(wiki, linkKeyOf(link.target, wiki.settings.caseMode)) ?? '*No article is in this category.*'}`;
}

/** The articles in a category (by its key), the first dozen by title; undefined when it holds none. */
function membersLine(wiki: Wiki, key: string): string | undefined {
  const titles = wiki.categoryMembers(key).map((a) => a.title);
  if (!titles.length) return undefined;
  const shown = titles.slice(0, 12).map((t) => escapeMarkdown(cut(t, MAX_TITLE))).join(' · ');
  const more = titles.length > 12 ? ` · *and ${(titles.length - 12).toLocaleString('en-US')} more*` : '';
  return `*${plural(titles.length, 'article', 'articles')} in this category:* ${shown}${more}`;
}

/** How many links besides `except` want the missing article with this key: only the articles that use the key are read. */
export function wantedBy(wiki: Wiki, key: string, except?: Link): number {
  let n = 0;
  for (const source of wiki.linkersOfKeys([key])) {
    for (const l of source.syntax.links) {
      if (l === except || !l.target) continue;
      if (nameKey(lastSegment(l.target).replace(/^:/, ''), wiki.settings.caseMode) !== key) continue;
      const r = wiki.resolve(l, source);
      if (r.kind === 'missing' && r.key === key) n++;
    }
  }
  return n;
}
