// "Move this section to a new article": the section under a heading becomes an article of its own, and every link stays right.
import { plainHeadingText } from '../decode';
import { EditBuilder, type ToUri, type WorkspaceEdit } from '../edits';
import { LineIndex } from '../lineIndex';
import { referenceKey } from '../referenceIssues';
import type { Heading, Link, Span } from '../types';
import type { Article, Wiki } from '../wiki';
import { lineEnding, readArticle, wholeLines, type DocumentReader } from './editing';
import { fileNameConvention, targetForm, withSeparator, writeArticleSegment } from './linkForm';
import { preferredLinkStyle, wikiName, writeHref, writeLinkToNew, type LinkStyle } from './mentions';
import { referenceUses } from './referenceLinks';

export interface ExtractContext {
  /** Other articles are read through it, as the editor holds them, to point their links at the new article. */
  read: DocumentReader;
  toUri?: ToUri;
  /** Whether a file exists that the index does not hold as an article. */
  exists?: (path: string) => boolean;
}

/** Where the moved section goes: its file and the names links will use for it. */
interface NewPlace {
  path: string;
  folder: string;
  rel: string;
  /** The heading's plain text: the new article's title and the name wiki links write. */
  title: string;
  /** The file name without `.md`, as markdown links and anchors write it. */
  base: string;
}

interface Replacement {
  span: Span;
  text: string;
}

/** A footnote or link reference definition of the article, and where it is used: in the moved section or outside it. */
interface Definition {
  span: Span;
  inside: boolean;
  usedInside: boolean;
  usedOutside: boolean;
}

/**
 * The edit moving the section under `heading` (the heading, its text and its subsections) to a new article beside
 * this one, named by the heading; undefined when the heading opens the article, or its name is taken or unusable.
 * In the new article the headings move up so the section's heading is its title; the footnote and link reference
 * definitions the section uses go with it (kept here too while something here still uses them); in this article the
 * heading stays, with a link to the new article under it. Links into the section, from anywhere in the wiki and
 * through redirect pages, are pointed at the new article; the section's own `#fragment` links to what stays here
 * are pointed back at this article.
 */
export function extractSection(wiki: Wiki, article: Article, text: string, version: number | null, heading: Heading, ctx: ExtractContext): { title: string; edit: WorkspaceEdit } | undefined {
  const headings = article.syntax.headings;
  const index = headings.findIndex((h) => h.span.start === heading.span.start);
  if (index < 0 || (article.titleSpan && article.titleSpan.start === heading.span.start)) return undefined;
  let end = text.length;
  for (let j = index + 1; j < headings.length; j++) {
    if (headings[j].level <= heading.level) {
      end = headings[j].span.start;
      break;
    }
  }
  const section: Span = { start: heading.span.start, end };
  const inside = (s: Span) => section.start <= s.start && s.end <= section.end;
  const place = newPlace(wiki, article, heading, ctx);
  if (!place) return undefined;
  const eol = lineEnding(text);
  const style = preferredLinkStyle(wiki, article, text);

  // The new article's text: the section with its own edits, then the definitions it uses from elsewhere.
  const moved: Replacement[] = [];
  const here: Replacement[] = [];
  const shift = heading.level - 1;
  moved.push({ span: heading.span, text: `# ${heading.text}` });
  for (const h of headings.slice(index + 1)) {
    if (!inside(h.span)) break;
    const hashes = /^ {0,3}(#+)/.exec(text.slice(h.span.start, h.textSpan.start));
    // A setext heading (underlined) can only be a subsection of a level-1 section here, which moves up by nothing.
    if (hashes && shift > 0) moved.push({ span: { start: h.span.start + hashes.index + hashes[0].length - hashes[1].length, end: h.span.start + hashes[0].length }, text: '#'.repeat(h.level - shift) });
  }
  // The article's categories stay with it: a paragraph of nothing but category links (a MediaWiki export puts them at
  // the end of the last section) is left here, under the heading's link to the new article.
  const categories: string[] = [];
  for (const block of categoryBlocks(wiki, article, text, { start: heading.span.end, end: section.end })) {
    moved.push({ span: wholeLines(text, block), text: '' });
    categories.push(text.slice(block.start, block.end));
  }
  const appended: string[] = [];
  const reAdded: string[] = [];
  for (const d of definitions(article, text, section)) {
    if (!d.usedInside && !d.usedOutside) continue;
    const lines = text.slice(d.span.start, d.span.end);
    if (d.inside) {
      if (!d.usedInside) moved.push({ span: wholeLines(text, d.span), text: '' });
      if (d.usedOutside) reAdded.push(lines);
    } else {
      appended.push(lines);
      if (!d.usedOutside) here.push({ span: wholeLines(text, d.span), text: '' });
    }
  }

  // Links in this article: into the section from outside it, and out of it to what stays.
  const own = { path: article.path, folder: article.folder, rel: article.rel };
  for (const link of article.syntax.links) {
    if (link.heading === undefined || !link.headingSpan) continue;
    const r = wiki.resolveThrough(link, own);
    if (r.kind !== 'article' || r.article.path !== article.path || !r.heading) continue;
    const toSection = inside(r.heading.span);
    if (inside(link.span)) {
      // A `#fragment` link within the section still finds its heading in the new article; one naming this article is pointed there.
      if (toSection) {
        if (link.target) moved.push(retarget(link, text, place, r.heading.span.start === heading.span.start, style));
      } else if (!link.target) moved.push({ span: { start: link.targetSpan.start, end: link.targetSpan.start }, text: nameOf(wiki, place, article, link, style) });
    } else if (toSection) here.push(retarget(link, text, place, r.heading.span.start === heading.span.start, style));
  }

  const builder = new EditBuilder(ctx.toUri);
  builder.createFile(place.path, { overwrite: false, ignoreIfExists: false });
  const body = applyAll(text.slice(section.start, section.end), merged(moved), section.start).replace(/\s+$/, '');
  const newText = body + eol + (appended.length ? eol + appended.join(eol) + eol : '');
  builder.replace(place.path, new LineIndex(''), null, { start: 0, end: 0 }, newText);

  const main = `Main article: ${writeLinkToNew(article, place, style)}`;
  const headingLine = text.slice(heading.span.start, heading.span.end);
  const atEnd = section.end === text.length;
  const tail = reAdded.length ? eol + reAdded.join(eol) + eol : '';
  const kept = categories.length ? eol + categories.join(eol + eol) + eol : '';
  here.push({ span: section, text: headingLine + eol + eol + main + eol + kept + (atEnd ? tail : eol) });
  if (!atEnd && tail) here.push({ span: { start: text.length, end: text.length }, text: (/(\r\n|\r|\n)$/.test(text) ? '' : eol) + tail });
  for (const e of merged(here)) builder.replace(article.path, article.lines, version, e.span, e.text);

  // Links from other articles (and through redirect pages) to the section's headings.
  const sources = new Set<string>();
  for (const b of wiki.backlinksThrough(wiki.articles.get(article.path) ?? article)) if (b.source.path !== article.path) sources.add(b.source.path);
  for (const path of sources) {
    const src = readArticle(wiki, ctx.read, path);
    for (const link of src.article.syntax.links) {
      if (link.heading === undefined || !link.headingSpan) continue;
      const r = wiki.resolveThrough(link, src.article);
      if (r.kind !== 'article' || r.article.path !== article.path || !r.heading || !inside(r.heading.span)) continue;
      const e = retarget(link, src.text, place, r.heading.span.start === heading.span.start, preferredLinkStyle(wiki, src.article, src.text));
      builder.replace(path, src.article.lines, src.version, e.span, e.text);
    }
  }
  return { title: titleOf(place), edit: builder.build() };
}

const titleOf = (place: NewPlace) => `Move the section '${place.title}' to a new article (${place.rel})`;

/**
 * The move's title when it is offered on this heading, found without reading any other article: an editor asks for
 * the actions at every cursor move, and the edit reads every article linking here (a hub's heading: 0.5–0.6 s at
 * 10,000 articles), so it is made only once the move is chosen (codeAction/resolve).
 */
export function extractSectionTitle(wiki: Wiki, article: Article, heading: Heading, ctx: Pick<ExtractContext, 'exists'>): string | undefined {
  if (article.titleSpan && article.titleSpan.start === heading.span.start) return undefined;
  if (!article.syntax.headings.some((h) => h.span.start === heading.span.start)) return undefined;
  const place = newPlace(wiki, article, heading, ctx);
  return place && titleOf(place);
}

/** The new article's file beside this one, named by the heading in the folder's style; undefined when that name is taken. */
function newPlace(wiki: Wiki, article: Article, heading: Heading, ctx: Pick<ExtractContext, 'exists'>): NewPlace | undefined {
  const title = plainHeadingText(heading.text).replace(/\s+/g, ' ').trim();
  if (!title || /[\\/#|[\]:*?"<>]/.test(title)) return undefined;
  const dir = article.rel.includes('/') ? article.rel.slice(0, article.rel.lastIndexOf('/')) : '';
  const folderPath = dir ? `${article.folder}/${dir}` : article.folder;
  const base = withSeparator(title, 'none', fileNameConvention(wiki, folderPath));
  const rel = (dir ? dir + '/' : '') + base + '.md';
  const path = `${article.folder}/${rel}`;
  // A name some article already answers to (its file, title or alias) would make the new links lead there.
  if (wiki.resolve({ target: title }, article).kind !== 'missing' || wiki.resolve({ target: base }, article).kind !== 'missing') return undefined;
  if (wiki.articles.has(path) || ctx.exists?.(path)) return undefined;
  // Names compared ignoring case (the default) have just found no article of this name in any case; otherwise a
  // file differing only in case would be the same file on a case-insensitive disk.
  if (wiki.settings.caseMode !== 'insensitive') {
    const lower = path.toLowerCase();
    for (const a of wiki.articles.values()) if (a.path.toLowerCase() === lower) return undefined;
  }
  return { path, folder: article.folder, rel, title, base };
}

/** The paragraphs in `span` made of category links alone (`[[Category:X]]`, pandoc's anchors or markdown links to them). */
function categoryBlocks(wiki: Wiki, article: Article, text: string, span: Span): Span[] {
  const out: Span[] = [];
  const links = article.syntax.links.filter((l) => span.start <= l.span.start && l.span.end <= span.end);
  const lineRe = /[^\r\n]*(?:\r\n|\r|\n|$)/g;
  lineRe.lastIndex = span.start;
  let block: Span | undefined;
  const close = () => {
    if (!block) return;
    const inBlock = links.filter((l) => block!.start <= l.span.start && l.span.end <= block!.end);
    let rest = text.slice(block.start, block.end);
    for (const l of [...inBlock].reverse()) rest = rest.slice(0, l.span.start - block.start) + rest.slice(l.span.end - block.start);
    const allCategories = inBlock.length > 0 && inBlock.every((l) => !l.target.startsWith(':') && wiki.resolve(l, article).kind === 'category');
    // pandoc writes `"<a …>` with a stray quote before each anchor of a wrapped line.
    if (allCategories && /^["\s]*$/.test(rest)) out.push(block);
    block = undefined;
  };
  for (let m = lineRe.exec(text); m && m.index < span.end && m[0].length > 0; m = lineRe.exec(text)) {
    const line = m[0].replace(/[\r\n]+$/, '');
    if (line.trim() === '') close();
    else block = { start: block ? block.start : m.index, end: Math.min(span.end, m.index + line.length) };
  }
  close();
  return out;
}

/** The footnote and link reference definitions, with where each is used; a use inside a definition counts where it stands. */
function definitions(article: Article, text: string, section: Span): Definition[] {
  const inside = (s: Span) => section.start <= s.start && s.end <= section.end;
  const out: Definition[] = [];
  const refs = article.syntax.footnoteRefs;
  for (const d of article.syntax.footnoteDefs) {
    const key = d.label.toLowerCase();
    const uses = refs.filter((r) => r.label.toLowerCase() === key);
    out.push({ span: d.span, inside: inside(d.span), usedInside: uses.some((u) => inside(u.span)), usedOutside: uses.some((u) => !inside(u.span)) });
  }
  const seen = new Set<string>();
  for (const d of article.syntax.links) {
    if (d.syntax !== 'reference') continue;
    // A second definition of a label is never used (the first wins): it stays where it is.
    const key = referenceKey(d.label ?? '');
    if (seen.has(key)) continue;
    seen.add(key);
    const uses = referenceUses(article, text, d);
    // A wiki link `[[label]]` counts as a use too (Foam writes definitions for them), as unused-link-definition says.
    const wikiUses = article.syntax.links.filter((l) => l.syntax === 'wiki' && referenceKey(l.rawTarget) === key);
    const spans = [...uses.map((u) => u.span), ...wikiUses.map((l) => l.span)];
    out.push({ span: d.span, inside: inside(d.span), usedInside: spans.some(inside), usedOutside: spans.some((s) => !inside(s)) });
  }
  return out;
}

/** A link to a heading of the section, pointed at the new article: to its title (no fragment) for the section's own heading. */
function retarget(link: Link, text: string, place: NewPlace, toTitle: boolean, style: LinkStyle): Replacement {
  const through = toTitle ? link.headingSpan!.end : link.targetSpan.end;
  if (!link.target) return { span: { start: link.targetSpan.start, end: through }, text: freshName(link, place, style) };
  const form = targetForm(link, text);
  const segment = writeArticleSegment(form, place.title, place.base, true);
  return { span: { start: link.targetSpan.start, end: through }, text: form.lead + form.colon + form.dir + segment + (toTitle ? '' : form.trail) };
}

/** The new article's name for a link of this article that had none (`[[#Heading]]`, `[x](#slug)`), in the link's syntax. */
function freshName(link: Link, place: NewPlace, style: LinkStyle): string {
  if (link.syntax === 'wiki' || link.syntax === 'embed') return place.title;
  // The new article is beside this one: its file name is the whole relative path.
  return writeHref({ rel: place.rel }, place, { ...style, syntax: link.syntax === 'anchor' ? 'anchor' : 'markdown' });
}

/** This article's name, for a `#fragment` link of the moved section to a heading that stays here. */
function nameOf(wiki: Wiki, place: NewPlace, article: Article, link: Link, style: LinkStyle): string {
  if (link.syntax === 'wiki' || link.syntax === 'embed') return wikiName(wiki, place, article);
  return writeHref(place, article, { ...style, syntax: link.syntax === 'anchor' ? 'anchor' : 'markdown' });
}

/**
 * The replacements in order, removals that overlap joined: two definitions removed one after the other each take
 * a blank line around them (wholeLines), the same line when it is the last of the article.
 */
function merged(replacements: Replacement[]): Replacement[] {
  const out: Replacement[] = [];
  for (const r of [...replacements].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end)) {
    const last = out[out.length - 1];
    if (last && r.span.start < last.span.end && !last.text && !r.text) last.span = { start: last.span.start, end: Math.max(last.span.end, r.span.end) };
    else out.push({ span: { ...r.span }, text: r.text });
  }
  return out;
}

/** `text` (which starts at offset `from` of the article) with the replacements made; they must not overlap. */
function applyAll(text: string, replacements: Replacement[], from: number): string {
  let out = '';
  let at = 0;
  for (const r of [...replacements].sort((a, b) => a.span.start - b.span.start)) {
    const start = r.span.start - from;
    if (start < at) continue;
    out += text.slice(at, start) + r.text;
    at = r.span.end - from;
  }
  return out + text.slice(at);
}
