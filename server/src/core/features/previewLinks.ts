// Where an article's links lead, for a markdown preview: VS Code's draws `[[…]]` as text and follows hrefs by file path.
import { IMAGE_FILE, namesAFile } from '../names';
import { embeddedMarkdown } from './embeds';
import type { Link } from '../types';
import type { Article, Followed, Wiki } from '../wiki';

/**
 * How many embeds of one article get their markdown, and how much of it in all: the preview asks again at each
 * keystroke, and a page of many embeds must not send megabytes each time. Past either, an embed is drawn as a link.
 */
const EMBEDS = 50;
const EMBEDDED_CHARACTERS = 200_000;

/**
 * One link of an article, keyed by how it is written: a `[[…]]` or `![[…]]` by what its brackets hold before any `|`
 * (`wiki`), a markdown link or definition by its destination (`markdown`), an `<a href>` by its `href` (`html`).
 */
export interface PreviewLinkShape {
  kind: 'wiki' | 'markdown' | 'html';
  /** The text between `[[` (or `![[`) and `|` or `]]`, or the destination or `href` with its `#fragment`, as written. */
  written: string;
  /** The article or file it leads to (through redirect pages); none when it leads nowhere in the wiki. */
  path?: string;
  /** The heading's slug or the HTML id it names in that article. */
  fragment?: string;
  /** An image file: an embed draws it. */
  image?: boolean;
  /** Words for a tooltip: the article's title and heading, or what is missing. */
  title: string;
  /** For an embed of an article (`![[Note]]`, `![[Note#Section]]`, `![[Note#^block]]`), the markdown it shows. */
  embed?: string;
}

/**
 * Where the article's links lead. Every wiki link (a preview draws none by itself); a markdown link or anchor only when
 * it leads to an article or file, since a preview follows it relative to the article's folder and a MediaWiki export's
 * names are the wiki's (`[x](Los_Angeles "wikilink")` from a subpage, `<a href="anarchist_communism">`).
 */
export function previewLinks(wiki: Wiki, article: Article, text: string, textOf?: (path: string) => string | undefined): PreviewLinkShape[] {
  const out: PreviewLinkShape[] = [];
  const seen = new Map<string, PreviewLinkShape>();
  let embeds = 0;
  let characters = 0;
  const embedOf = (link: Link, r: Followed & { kind: 'article' }): string | undefined => {
    if (link.syntax !== 'embed' || !textOf || embeds >= EMBEDS || characters >= EMBEDDED_CHARACTERS) return undefined;
    const md = embeddedMarkdown(r.article, r, textOf);
    if (md === undefined || characters + md.length > EMBEDDED_CHARACTERS) return undefined;
    embeds++;
    characters += md.length;
    return md;
  };
  for (const link of article.syntax.links) {
    // An image is keyed as a link of its kind is: a markdown one by its destination, an `<img>` by its `src`, as written.
    const kind = link.syntax === 'wiki' || link.syntax === 'embed' ? 'wiki' : link.syntax === 'markdown' || link.syntax === 'reference' || link.syntax === 'image' ? 'markdown' : link.syntax === 'anchor' || link.syntax === 'img' ? 'html' : undefined;
    if (!kind || (kind !== 'wiki' && !link.target)) continue;
    let written: string;
    if (kind === 'wiki') {
      const from = link.span.start + (link.syntax === 'embed' ? 3 : 2);
      written = text.slice(from, link.labelSpan ? link.labelSpan.start - 1 : link.span.end - 2);
    } else written = text.slice(link.targetSpan.start, Math.max(link.targetSpan.end, link.headingSpan?.end ?? 0));
    const key = kind + '\u0000' + written;
    const before = seen.get(key);
    // `[[Note]]` and `![[Note]]` are one key: the embed's markdown is added to what the link said.
    if (before && (before.embed !== undefined || link.syntax !== 'embed' || !before.path)) continue;
    const r = wiki.resolveThrough(link, article);
    if (before) {
      const embed = r.kind === 'article' ? embedOf(link, r) : undefined;
      if (embed !== undefined) before.embed = embed;
      continue;
    }
    if (r.kind === 'article') {
      const fragment = r.heading?.slug ?? r.anchor?.id;
      const title = r.heading ? `${r.article.title} › ${r.heading.text}` : r.article.title;
      const shape: PreviewLinkShape = { kind, written, path: r.article.path, fragment, title };
      const embed = embedOf(link, r);
      if (embed !== undefined) shape.embed = embed;
      seen.set(key, shape);
      out.push(shape);
    } else if (r.kind === 'attachment') {
      const shape: PreviewLinkShape = { kind, written, path: r.path, image: IMAGE_FILE.test(r.path) || undefined, title: r.path.slice(r.path.lastIndexOf('/') + 1) };
      seen.set(key, shape);
      out.push(shape);
    } else {
      const shape: PreviewLinkShape = { kind, written, title: r.kind === 'missing' ? (r.headingOnly ? `No heading '${link.heading ?? ''}'` : namesAFile(link) ? `No file '${link.target}' in the wiki` : `No article named '${r.name}'`) : '' };
      seen.set(key, shape);
      if (r.kind === 'missing' && kind === 'wiki') out.push(shape);
    }
  }
  return out;
}
