// Tags (`#anarchism`, front matter `tags: [...]`): what sits at an offset, where a tag is used, its hover, and its rename.
import { EditBuilder, EditRefused, type ToUri, type WorkspaceEdit } from '../edits';
import { tagKey } from '../names';
import { isTagName } from '../tagSyntax';
import type { Span, Tag } from '../types';
import type { Article, Wiki } from '../wiki';
import { readArticle, type DocumentReader } from './editing';
import type { CoreLocation } from './shapes';
import { escapeMarkdown } from './text';

/** Where a tag is written, its `#` included (a front matter tag has none). */
export function tagSpan(t: Tag): Span {
  return t.front ? t.span : { start: t.span.start - 1, end: t.span.end };
}

/** The tag written at the offset, its `#` and its end included. */
export function tagAt(article: Article, offset: number): Tag | undefined {
  const tags = article.syntax.tags;
  if (!tags) return undefined;
  return tags.find((t) => {
    const s = tagSpan(t);
    return s.start <= offset && offset <= s.end;
  });
}

/** The articles that use a tag or one nested in it (`#history/russia` in `#history`). */
function articlesUnder(wiki: Wiki, key: string): Set<Article> {
  const articles = new Set(wiki.tagged(key).keys());
  for (const t of wiki.tagUse()) if (t.key.startsWith(`${key}/`)) for (const a of wiki.tagged(t.key).keys()) articles.add(a);
  return articles;
}

/**
 * Every use of a tag in the wiki, by path and then place: the `#tag`s and the front matter entries, and the uses of the
 * tags nested in it, as Obsidian's search for a tag finds them and as rename moves them.
 */
export function tagReferences(wiki: Wiki, key: string): CoreLocation[] {
  const out: CoreLocation[] = [];
  for (const a of articlesUnder(wiki, key)) {
    for (const t of a.syntax.tags ?? []) {
      const k = tagKey(t.name);
      if (k === key || k.startsWith(`${key}/`)) out.push({ path: a.path, range: a.lines.range(tagSpan(t)) });
    }
  }
  return out.sort((x, y) => (x.path !== y.path ? (x.path < y.path ? -1 : 1) : x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character));
}

/** The articles a tag is on, by title: a tag "is" its articles, as a category without a page is. */
export function taggedArticles(wiki: Wiki, key: string): Article[] {
  return [...wiki.tagged(key).keys()].sort((a, b) => a.title.localeCompare(b.title));
}

const SHOWN = 12;

/** The articles a tag is on (by title, the first few), and the tags nested in it (`#history/russia` in `#history`). */
export function tagHover(wiki: Wiki, tag: Tag): string {
  const key = tagKey(tag.name);
  const articles = taggedArticles(wiki, key);
  const head = `**Tag** #${escapeMarkdown(tag.name)}`;
  const shown = articles.slice(0, SHOWN).map((a) => escapeMarkdown(a.title)).join(' · ');
  const more = articles.length > SHOWN ? ` · *and ${(articles.length - SHOWN).toLocaleString('en-US')} more*` : '';
  const lines = [head, `*${articles.length === 1 ? '1 article' : `${articles.length.toLocaleString('en-US')} articles`}:* ${shown}${more}`];
  const nested = wiki.tagUse().filter((t) => t.key.startsWith(`${key}/`));
  if (nested.length) {
    const names = nested.slice(0, SHOWN).map((t) => `#${escapeMarkdown(t.name)} (${t.count.toLocaleString('en-US')})`).join(' · ');
    lines.push(`*Nested:* ${names}${nested.length > SHOWN ? ` · *and ${(nested.length - SHOWN).toLocaleString('en-US')} more*` : ''}`);
  }
  return lines.join('\n\n');
}

/**
 * Renames a tag everywhere it is used: each `#tag` and front matter entry of that tag, whatever its case, is written
 * as the new name, and the tags nested in it move with it (`#history/russia` → `#past/russia`). Renamed to a tag in
 * use, the two become one (as Obsidian's tag rename does). Refused when the new name would not read back as one tag.
 */
export function renameTag(wiki: Wiki, key: string, newName: string, ctx: { read: DocumentReader; toUri?: ToUri }): WorkspaceEdit {
  const name = newName.trim().replace(/^#/, '');
  if (!isTagName(name)) {
    throw new EditRefused(`'${newName}' cannot be a tag: use letters, digits, '_', '-' and '/', with at least one letter`);
  }
  const builder = new EditBuilder(ctx.toUri);
  const depth = key.split('/').length;
  for (const a of articlesUnder(wiki, key)) {
    // The text at hand (an editor's, if open): the index may be a keystroke behind.
    const own = readArticle(wiki, ctx.read, a.path);
    for (const t of own.article.syntax.tags ?? []) {
      const k = tagKey(t.name);
      if (k === key && t.name !== name) builder.replace(a.path, own.article.lines, own.version, t.span, name);
      // A nested tag keeps what follows its parent's name, as written.
      else if (k.startsWith(`${key}/`)) {
        // Its parent's part as written: as many segments as the parent has (case folding may change a length).
        const parent = t.name.split('/').slice(0, depth).join('/');
        builder.replace(a.path, own.article.lines, own.version, { start: t.span.start, end: t.span.start + parent.length }, name);
      }
    }
  }
  return builder.build();
}
