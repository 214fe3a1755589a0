// Rename: an article (from a link to it or from its title), a heading, an HTML id, a tag, a footnote or a reference link's label, with every link or reference rewritten in its own syntax; and file moves made in the editor.
import { decodeText, plainHeadingText, slugify } from '../decode';
import { EditBuilder, EditRefused, type ToUri, type WorkspaceEdit } from '../edits';
import { basename, dirname, FILE_PREFIX, headingKey, isImageLink, joinRelative, lastSegment, nameKey, namesAFile, pathKey, stripMarkdownExtension, tagKey, titleFromFileName } from '../names';
import type { Anchor, Heading, Link, Range, Span } from '../types';
import { scanArticle } from '../scan';
import { findAnchor, findHeading, findHeadingExactly, headingFragment, headingPathSteps, linkKeyOf, linksWithKeys, type Article, type Wiki } from '../wiki';
import { referenceLabelAt, referenceUses } from './referenceLinks';
import { anchorAt, footnoteDefLabelAt, footnoteRefAt } from './text';
import { renameTag, tagAt } from './tags';
import { BLOCK_ID_NAME } from '../tagSyntax';
import { referenceKey } from '../referenceIssues';
import { checkArticleName, currentArticle, frontMatterTitleSpan, lineEnding, readArticle, yamlScalar, type DocumentReader } from './editing';
import { preferredLinkStyle, redirectExample, redirectStyle, redirectText, writeLinkToNew } from './mentions';
import { isWikilinkMarked } from '../mediawikiLinks';
import { articleNameConvention, encodeTargetText, relativePath, targetForm, withSeparator, writeArticleSegment, type TargetForm } from './linkForm';

export interface RenameContext {
  read: DocumentReader;
  toUri?: ToUri;
  /** Whether a file exists that the index does not hold as an article (an excluded file, an attachment). */
  exists?: (path: string) => boolean;
  /**
   * Whether renaming an article's file leaves a redirect page at its old name, as MediaWiki does when a page is
   * moved (links from outside the wiki keep working): `auto` when the wiki has redirect pages. Default `never`.
   */
  leaveRedirect?: 'auto' | 'always' | 'never';
}

export type RenameTarget =
  | { kind: 'article'; article: Article; span: Span; placeholder: string }
  | { kind: 'heading'; article: Article; heading: Heading; span: Span; placeholder: string }
  /** A tag (`#anarchism`, a front matter `tags` entry): every use of it in the wiki. */
  | { kind: 'tag'; article: Article; key: string; span: Span; placeholder: string }
  /** An HTML id (`<h2 id="purpose">`, `<span id="TALK_1130">`): its value and the fragment of every link to it. */
  | { kind: 'anchor'; article: Article; anchor: Anchor; span: Span; placeholder: string }
  | { kind: 'footnote'; article: Article; label: string; span: Span; placeholder: string }
  | { kind: 'reference'; article: Article; definition: Link; span: Span; placeholder: string }
  /** A category without a page of its own: its name in every link that puts an article in it or links to it. */
  | { kind: 'category'; article: Article; key: string; span: Span; placeholder: string };

const EXT = /\.(?:md|markdown|mdx)$/i;

/** What a rename at `offset` would rename, or why it cannot; undefined where there is nothing to rename. */
export function renameTargetAt(wiki: Wiki, article: Article, text: string, offset: number): RenameTarget | { error: string } | undefined {
  const tag = tagAt(article, offset);
  if (tag) return { kind: 'tag', article, key: tagKey(tag.name), span: tag.span, placeholder: tag.name };
  const fm = article.syntax.frontMatter;
  if (fm && offset >= fm.span.start && offset <= fm.span.end) {
    const t = frontMatterTitleSpan(text, article);
    if (!t) return undefined;
    const lineStart = text.lastIndexOf('\n', t.value.start) + 1;
    const lineEnd = text.indexOf('\n', t.value.end);
    if (offset < lineStart || (lineEnd >= 0 && offset > lineEnd)) return undefined;
    return { kind: 'article', article: indexedOr(wiki, article), span: t.inner, placeholder: article.title };
  }
  // A reference link's label, on a use or on its definition: the label is renamed, not what the link leads to.
  const definition = referenceLabelAt(article, text, offset);
  if (definition?.labelSpan) {
    const use = referenceUses(article, text, definition).find((u) => u.span.start <= offset && offset <= u.span.end);
    return { kind: 'reference', article, definition, span: use ? use.labelSpan : definition.labelSpan, placeholder: text.slice(definition.labelSpan.start, definition.labelSpan.end) };
  }
  const link = article.syntax.links.find((l) => l.span.start <= offset && offset <= l.span.end);
  if (link) {
    const onHeading = link.headingSpan && offset >= link.headingSpan.start && offset <= link.headingSpan.end;
    // On the fragment of a link to a redirect page: the heading of the article it redirects to.
    const r = onHeading ? wiki.resolveThrough(link, article) : wiki.resolve(link, article);
    switch (r.kind) {
      case 'article':
        if ((onHeading || !link.target) && r.heading) {
          const part = link.heading && headingPathPartAt(r.article, link.heading, text, link.headingSpan!, r.heading, offset);
          if (part) return { kind: 'heading', article: r.article, heading: part.step, span: part.span, placeholder: part.step.text };
          return { kind: 'heading', article: r.article, heading: r.heading, span: link.headingSpan!, placeholder: r.heading.text };
        }
        if ((onHeading || !link.target) && r.anchor) return { kind: 'anchor', article: r.article, anchor: r.anchor, span: link.headingSpan!, placeholder: r.anchor.id };
        if (!link.target) return { error: `No heading '${link.heading}' in this article to rename` };
        if (onHeading && r.headingMissing) return { error: `No heading '${link.heading}' in '${r.article.title}' to rename` };
        return {
          kind: 'article',
          article: r.article,
          span: offset >= link.targetSpan.start && offset <= link.targetSpan.end ? trimSpan(text, link.targetSpan) : link.span,
          placeholder: r.article.title,
        };
      case 'missing':
        if (namesAFile(link)) return { error: `No file '${link.target}' in the wiki to rename` };
        return { error: `No article named '${r.name}' to rename (create it first)` };
      case 'ambiguous':
        return { error: `'${link.target}' could mean ${r.candidates.map((c) => c.rel).sort().join(' or ')}; make the link say which before renaming` };
      case 'outside':
        return { error: `'${link.target}' is outside the wiki` };
      case 'attachment':
        return { error: `'${link.target}' is a file: rename or move it in the editor's file explorer, and the links to it follow` };
      case 'category': {
        const name = CATEGORY_NAME.exec(text.slice(link.targetSpan.start, link.targetSpan.end));
        if (!name) return { error: `'${link.target}' is not an article of this wiki` };
        const start = link.targetSpan.start + name.index + name[1].length;
        return { kind: 'category', article, key: linkKeyOf(link.target, wiki.settings.caseMode), span: { start, end: start + name[2].length }, placeholder: r.name.replace(/_/g, ' ') };
      }
      default:
        return { error: `'${link.target}' is not an article of this wiki` };
    }
  }
  const note = footnoteRefAt(article, offset) ?? footnoteDefLabelAt(article, offset);
  if (note) return { kind: 'footnote', article, label: note.label, span: note.labelSpan, placeholder: note.label };
  // Before the heading: an id may stand inside one (`### <span id="TALK_1130">…</span>`).
  const anchor = anchorAt(article, offset);
  if (anchor) return { kind: 'anchor', article, anchor, span: anchor.span, placeholder: anchor.id };
  const heading = article.syntax.headings.find((h) => h.span.start <= offset && offset <= h.span.end);
  if (heading) {
    if (isTitleHeading(article, heading)) return { kind: 'article', article: indexedOr(wiki, article), span: heading.textSpan, placeholder: article.title };
    return { kind: 'heading', article, heading, span: heading.textSpan, placeholder: heading.text };
  }
  return undefined;
}

/**
 * `textDocument/prepareRename`: the range to rename and its current name, or the reason it cannot be renamed; `kind`
 * tells an article, whose rename renames its file too, from a heading or a footnote.
 */
export function prepareRename(wiki: Wiki, article: Article, text: string, offset: number): { range: Range; placeholder: string; kind: RenameTarget['kind'] } | { error: string } | undefined {
  article = currentArticle(wiki, article.path, text);
  const t = renameTargetAt(wiki, article, text, offset);
  if (!t || 'error' in t) return t;
  return { range: article.lines.range(t.span), placeholder: t.placeholder, kind: t.kind };
}

/** `textDocument/rename`: throws EditRefused with a message for the writer when the rename cannot be made. */
export function rename(wiki: Wiki, article: Article, text: string, offset: number, newName: string, ctx: RenameContext): WorkspaceEdit {
  article = currentArticle(wiki, article.path, text);
  const t = renameTargetAt(wiki, article, text, offset);
  if (!t) throw new EditRefused('Nothing to rename here: put the cursor on a link, on the article\'s title, on a heading, on an HTML id, on a tag or on a footnote');
  if ('error' in t) throw new EditRefused(t.error);
  if (t.kind === 'footnote') return renameFootnote(wiki, t.article, t.label, newName, ctx);
  if (t.kind === 'reference') return renameReferenceLabel(t.article, text, t.definition, newName, ctx);
  if (t.kind === 'category') return renameCategory(wiki, t.key, newName, ctx);
  if (t.kind === 'anchor') return renameAnchor(wiki, t.article, t.anchor, newName, ctx);
  if (t.kind === 'tag') return renameTag(wiki, t.key, newName, ctx);
  return t.kind === 'article' ? renameArticle(wiki, t.article, newName, ctx) : renameHeading(wiki, t.article, t.heading, newName, ctx);
}

/**
 * Renames a footnote: its references and its definitions (a duplicate too) in the one article that has them. The new
 * label may be typed with its brackets (`[^marx-1867]`). It must read back as that label, in a reference and in a
 * definition, through the scanner itself, so nothing the scanner would read otherwise (a space, a `]`) gets in; and it
 * must not be another footnote's, which would merge two notes.
 */
export function renameFootnote(wiki: Wiki, article: Article, label: string, newLabel: string, ctx: RenameContext): WorkspaceEdit {
  const wanted = newLabel.trim().replace(/^\[?\^/, '').replace(/\]:?$/, '');
  if (!wanted) throw new EditRefused('The new footnote label is empty');
  const probe = scanArticle(`x[^${wanted}]\n\n[^${wanted}]: x\n`);
  if (probe.footnoteRefs.length !== 1 || probe.footnoteRefs[0].label !== wanted || probe.footnoteDefs.length !== 1 || probe.footnoteDefs[0].label !== wanted) {
    throw new EditRefused(`'${wanted}' cannot be a footnote label: it may not contain spaces, [ or ]`);
  }
  const own = readArticle(wiki, ctx.read, article.path);
  const key = label.toLowerCase();
  const newKey = wanted.toLowerCase();
  const { footnoteRefs, footnoteDefs } = own.article.syntax;
  if (newKey !== key && [...footnoteRefs, ...footnoteDefs].some((f) => f.label.toLowerCase() === newKey)) {
    throw new EditRefused(`This article has a footnote [^${wanted}] already`);
  }
  const spans = [...footnoteRefs, ...footnoteDefs].filter((f) => f.label.toLowerCase() === key).map((f) => f.labelSpan);
  if (!spans.length) throw new EditRefused(`The footnote [^${label}] is no longer there`);
  const builder = new EditBuilder(ctx.toUri);
  for (const span of spans) builder.replace(article.path, own.article.lines, own.version, span, wanted);
  return builder.build();
}

/**
 * Renames a link reference definition's label (`[Mutual Aid]: Mutual_Aid.md`) and every use of it in the article
 * (`[text][Mutual Aid]`, `[Mutual Aid][]`, `[Mutual Aid]`), as VS Code's markdown rename does. The new label must read
 * back as one through the scanner, and must not be another definition's, which would join two links into one.
 */
export function renameReferenceLabel(article: Article, text: string, definition: Link, newLabel: string, ctx: RenameContext): WorkspaceEdit {
  const wanted = newLabel.trim().replace(/^\[(.*)\]:?$/, '$1').trim();
  if (!wanted) throw new EditRefused('The new label is empty');
  const probe = scanArticle(`[${wanted}]: x.md\n`).links;
  if (probe.length !== 1 || probe[0].syntax !== 'reference' || probe[0].label !== wanted) throw new EditRefused(`'${wanted}' cannot be a link label: it may not contain unescaped [ or ]`);
  const key = referenceKey(definition.label ?? '');
  const definitions = article.syntax.links.filter((l) => l.syntax === 'reference' && l.labelSpan);
  if (referenceKey(wanted) !== key && definitions.some((d) => referenceKey(d.label ?? '') === referenceKey(wanted))) throw new EditRefused(`This article defines a link [${wanted}] already`);
  const builder = new EditBuilder(ctx.toUri);
  const version = ctx.read(article.path)?.version ?? null;
  for (const d of definitions) if (referenceKey(d.label ?? '') === key) builder.replace(article.path, article.lines, version, d.labelSpan!, wanted);
  for (const u of referenceUses(article, text, definition)) builder.replace(article.path, article.lines, version, u.labelSpan, wanted);
  return builder.build();
}

interface Move {
  /** The article as the index holds it (identity for resolution). */
  article: Article;
  newPath: string;
  newRel: string;
  /** The new name for links written with the file name, words separated by spaces. */
  newName?: string;
  /** The new title, for links written with the front matter title. */
  newTitle?: string;
}

/** A category target as written: `Category:` (any case, after an optional `:`), then the name, then an optional `.md`. */
const CATEGORY_NAME = /^(\s*:?\s*category\s*:\s*)(.*?)(?:\.(?:md|markdown|mdx))?\s*$/i;

/**
 * Renames a category that has no page: the name in every link to it (`[[Category:X]]`, `[[:Category:X|…]]`,
 * `[x](Category:X.md "wikilink")`, `<a href="Category:X">`), each in its own spelling of `Category:`, its `_` or
 * spaces, escapes and `.md`.
 */
export function renameCategory(wiki: Wiki, key: string, newName: string, ctx: RenameContext): WorkspaceEdit {
  const problem = checkArticleName(newName);
  if (problem) throw new EditRefused(problem.replace('article', 'category'));
  newName = newName.trim().replace(/\s+/g, ' ');
  const builder = new EditBuilder(ctx.toUri);
  const sources = new Set(wiki.categoryLinks(key).map((m) => m.source.path));
  for (const path of sources) {
    const src = readArticle(wiki, ctx.read, path);
    for (const link of src.article.syntax.links) {
      if (!link.target || linkKeyOf(link.target, wiki.settings.caseMode) !== key || wiki.resolve(link, src.article).kind !== 'category') continue;
      const raw = src.text.slice(link.targetSpan.start, link.targetSpan.end);
      const name = CATEGORY_NAME.exec(raw);
      if (!name) continue;
      const form = targetForm(link, src.text);
      const written = encodeTargetText(withSeparator(newName, form.separator, link.syntax === 'wiki' || link.syntax === 'embed' ? 'space' : 'underscore'), form);
      const start = link.targetSpan.start + name[1].length;
      if (written !== name[2]) builder.replace(path, src.article.lines, src.version, { start, end: start + name[2].length }, written);
    }
  }
  return builder.build();
}

/** Renames an article: its file (in the wiki's naming style), its title, and every link to it. */
export function renameArticle(wiki: Wiki, target: Article, newTitle: string, ctx: RenameContext): WorkspaceEdit {
  const indexed = wiki.articles.get(target.path) ?? target;
  const problem = checkArticleName(newTitle);
  if (problem) throw new EditRefused(problem);
  newTitle = newTitle.trim().replace(/\s+/g, ' ');
  const oldBase = basename(indexed.path);
  const ext = EXT.exec(oldBase)?.[0] ?? '';
  const newBase = withSeparator(newTitle, 'none', articleNameConvention(wiki, indexed)) + ext;
  const newPath = dirname(indexed.path) ? dirname(indexed.path) + '/' + newBase : newBase;
  const newRel = dirname(indexed.rel) ? dirname(indexed.rel) + '/' + newBase : newBase;
  if (newPath !== indexed.path) {
    for (const a of wiki.articles.values()) {
      if (a !== indexed && a.path.toLowerCase() === newPath.toLowerCase()) throw new EditRefused(`An article ${a.rel} already exists`);
    }
    if (newPath.toLowerCase() !== indexed.path.toLowerCase() && ctx.exists?.(newPath)) throw new EditRefused(`A file ${newRel} already exists`);
  }
  const builder = new EditBuilder(ctx.toUri);
  const own = readArticle(wiki, ctx.read, indexed.path);
  // The title as written: front matter first, and an opening heading that says the same.
  const fmTitle = frontMatterTitleSpan(own.text, own.article);
  if (fmTitle) {
    if (fmTitle.block) throw new EditRefused('The front matter title is a block scalar; change it by hand, then rename');
    builder.replace(indexed.path, own.article.lines, own.version, fmTitle.value, yamlScalar(newTitle, fmTitle.quote));
  }
  const h1 = openingHeading(own.article);
  if (h1 && (!fmTitle || headingKey(h1.text) === headingKey(own.article.title))) {
    builder.replace(indexed.path, own.article.lines, own.version, h1.textSpan, newTitle);
  }
  relink(wiki, [{ article: indexed, newPath, newRel, newName: newTitle, newTitle }], ctx, builder);
  if (newPath !== indexed.path) {
    builder.renameFile(indexed.path, newPath);
    const leave = ctx.leaveRedirect === 'always' || (ctx.leaveRedirect === 'auto' && redirectExample(wiki) !== undefined);
    // Not when only the name's case changed: on a case-insensitive disk the two names are one file.
    if (leave && newPath.toLowerCase() !== indexed.path.toLowerCase()) {
      const style = redirectStyle(wiki, (path) => ctx.read(path)?.text, preferredLinkStyle(wiki, own.article, own.text));
      builder.createAfterRename(indexed.path, redirectText(style, writeLinkToNew(indexed, { rel: newRel, title: newTitle }, style)) + lineEnding(own.text));
    }
  }
  return builder.build();
}

/** Renames a heading and rewrites every link to it, each fragment as it was written (heading text or slug). */
export function renameHeading(wiki: Wiki, target: Article, heading: Heading, newText: string, ctx: RenameContext): WorkspaceEdit {
  if (!newText.trim()) throw new EditRefused('The new heading is empty');
  if (/[\r\n]/.test(newText)) throw new EditRefused('A heading must fit on one line');
  newText = newText.trim();
  const indexed = wiki.articles.get(target.path) ?? target;
  const builder = new EditBuilder(ctx.toUri);
  const own = readArticle(wiki, ctx.read, indexed.path);
  const h = own.article.syntax.headings.find((x) => x.span.start === heading.span.start && x.text === heading.text) ?? findHeading(own.article, heading.text);
  if (!h) throw new EditRefused(`The heading '${heading.text}' is no longer there`);
  builder.replace(indexed.path, own.article.lines, own.version, h.textSpan, newText);
  // Headings of the same name are numbered (`history-1`, `History_2`): renaming one renumbers the others, and the
  // links to those are written again to lead where they led, as looked up in the article as it will be.
  const headings = own.article.syntax.headings;
  const named = (x: Heading, text: string) => headingKey(x.text) === headingKey(text) || x.slug === slugify(text);
  // Those of its old name, and of its new one: a heading renamed to an existing name takes a number among them.
  const sameName = new Set(headings.filter((x) => x.span.start !== h.span.start && (named(x, h.text) || named(x, newText))).map((x) => x.span.start));
  const after = sameName.size ? currentArticle(wiki, indexed.path, own.text.slice(0, h.textSpan.start) + newText + own.text.slice(h.textSpan.end)) : undefined;
  for (const { path, src, link } of fragmentLinksTo(wiki, indexed, own, ctx.read)) {
    const found = findHeading(own.article, link.heading);
    if (!found) continue;
    const raw = src.text.slice(link.headingSpan.start, link.headingSpan.end);
    const steps = headingPathParts(own.article, link.heading, raw, found);
    if (steps) {
      // A heading path (`#Part two#Details`): the parts that name the heading are written anew, the others kept.
      const written = steps.map(({ part, step }) => (step?.span.start === h.span.start ? writeFragment(part, link, src.text, h, newText) : part)).join('#');
      if (written !== raw) builder.replace(path, src.article.lines, src.version, link.headingSpan, written);
    } else if (found.span.start === h.span.start) {
      const written = writeFragment(raw, link, src.text, h, newText);
      if (written !== raw) builder.replace(path, src.article.lines, src.version, link.headingSpan, written);
    } else if (after && sameName.has(found.span.start)) {
      const now = after.syntax.headings[headings.findIndex((x) => x.span.start === found.span.start)];
      if (!now || findHeading(after, link.heading)?.span.start === now.span.start) continue;
      const wikiSyntax = link.syntax === 'wiki' || link.syntax === 'embed';
      const written = headingFragment(after, now, wikiSyntax);
      builder.replace(path, src.article.lines, src.version, link.headingSpan, encodeTargetText(written, targetForm(link, src.text)));
    }
  }
  return builder.build();
}

/**
 * The parts of a fragment that leads to `found` as a heading path (`Part two#Details`), as written, each with the
 * heading it names (none for an empty part); undefined for a fragment that names its heading whole.
 */
function headingPathParts(article: Article, fragment: string, raw: string, found: Heading): { part: string; step?: Heading }[] | undefined {
  if (!fragment.includes('#') || findHeadingExactly(article, fragment)) return undefined;
  const parts = raw.split('#');
  const named = fragment.split('#');
  // A `#` written as `%23` would make the two disagree: such a fragment is left as it is.
  if (parts.length !== named.length) return undefined;
  const used = named.map((n, i) => ({ n: n.trim(), i })).filter((x) => x.n);
  const steps = headingPathSteps(article, used.map((x) => x.n));
  if (!steps || steps.at(-1)!.span.start !== found.span.start) return undefined;
  const out: { part: string; step?: Heading }[] = parts.map((part) => ({ part }));
  used.forEach((x, k) => (out[x.i].step = steps[k]));
  return out;
}

/** In a heading path, the part at `offset` and the heading it names. */
function headingPathPartAt(article: Article, fragment: string, text: string, span: Span, found: Heading, offset: number): { step: Heading; span: Span } | undefined {
  const parts = headingPathParts(article, fragment, text.slice(span.start, span.end), found);
  if (!parts) return undefined;
  let start = span.start;
  for (const { part, step } of parts) {
    const end = start + part.length;
    if (step && offset >= start && offset <= end) return { step, span: trimSpan(text, { start, end }) };
    start = end + 1;
  }
  return undefined;
}

/**
 * Every link with a `#fragment` that leads to `target`, from the article itself and its linkers, through redirect
 * pages too (`[[Redirect#Heading]]`: the fragment of a link to a redirect page is its target's); each linker read as
 * it stands now (`own`, the target's, already read).
 */
function* fragmentLinksTo(
  wiki: Wiki,
  target: Article,
  own: ReturnType<typeof readArticle>,
  read: DocumentReader,
): Generator<{ path: string; src: ReturnType<typeof readArticle>; link: Link & { heading: string; headingSpan: Span } }> {
  const sources = new Set<string>([target.path]);
  for (const b of wiki.backlinksThrough(target)) sources.add(b.source.path);
  for (const path of sources) {
    const src = path === target.path ? own : readArticle(wiki, read, path);
    for (const link of src.article.syntax.links) {
      if (link.heading === undefined || !link.headingSpan) continue;
      const r = wiki.resolveThrough(link, src.article);
      if (r.kind === 'article' && r.article.path === target.path) yield { path, src, link: link as Link & { heading: string; headingSpan: Span } };
    }
  }
}

/** What a new id may hold: what every link syntax can carry in its fragment as written, and HTML allows in an id. */
const ID = /^[\p{L}\p{N}_.:-]+$/u;

/**
 * Renames an HTML id and rewrites the fragment of every link that leads to it (through redirect pages too), so each
 * still arrives there. Refused when another id or a heading of the article already answers to the new name: the
 * links would then lead there instead.
 */
export function renameAnchor(wiki: Wiki, target: Article, anchor: Anchor, newId: string, ctx: RenameContext): WorkspaceEdit {
  newId = newId.trim().replace(/^#/, '');
  // A block id (`^quote-1`) stays one, its `^` typed or not.
  const block = anchor.id.startsWith('^');
  if (block) newId = `^${newId.replace(/^\^/, '')}`;
  if (!newId || newId === '^') throw new EditRefused('The new id is empty');
  if (block ? !BLOCK_ID_NAME.test(newId.slice(1)) : !ID.test(newId)) {
    throw new EditRefused(`'${newId}' cannot be an id every link can name as written: use letters, digits${block ? " and '-'" : ", '_', '.', ':' and '-'"}`);
  }
  const indexed = wiki.articles.get(target.path) ?? target;
  const own = readArticle(wiki, ctx.read, indexed.path);
  const a = own.article.syntax.anchors.find((x) => x.span.start === anchor.span.start && x.id === anchor.id);
  if (!a) throw new EditRefused(`The id '${anchor.id}' is no longer there`);
  const builder = new EditBuilder(ctx.toUri);
  if (newId === a.id) return builder.build();
  const key = headingKey(newId);
  const other = own.article.syntax.anchors.find((x) => x !== a && (x.id === newId || headingKey(x.id) === key));
  if (other) throw new EditRefused(`'${own.article.title}' already has the id '${other.id}'`);
  const heading = findHeading(own.article, newId);
  if (heading) throw new EditRefused(`'${newId}' names the heading '${plainHeadingText(heading.text)}' of '${own.article.title}': links to the id would lead there`);
  builder.replace(indexed.path, own.article.lines, own.version, a.span, newId);
  for (const { path, src, link } of fragmentLinksTo(wiki, indexed, own, ctx.read)) {
    // As the resolver looks: a heading of that name first, then the id, in the text being renamed.
    if (findHeading(own.article, link.heading) || findAnchor(own.article, link.heading)?.span.start !== a.span.start) continue;
    builder.replace(path, src.article.lines, src.version, link.headingSpan, encodeTargetText(newId, targetForm(link, src.text)));
  }
  return builder.build();
}

/**
 * `workspace/willRenameFiles`: the link edits that keep every link working when files or folders are renamed
 * or moved in the editor (the client renames the files itself, after applying these edits).
 */
export function fileRenameEdits(wiki: Wiki, files: { oldPath: string; newPath: string }[], ctx: RenameContext): WorkspaceEdit {
  const moves: Move[] = [];
  const fileMoves = new Map<string, FileMove>();
  const seen = new Set<string>();
  for (const f of files) {
    const oldPath = f.oldPath.replace(/\/+$/, '');
    const newPath = f.newPath.replace(/\/+$/, '');
    const direct = wiki.articles.get(oldPath);
    const articles = direct ? [direct] : [...wiki.articles.values()].filter((a) => a.path.startsWith(oldPath + '/'));
    for (const a of articles) {
      if (seen.has(a.path)) continue;
      seen.add(a.path);
      const to = direct ? newPath : newPath + a.path.slice(oldPath.length);
      const folder = wiki.folderOf(to);
      if (!folder || folder !== a.folder) continue; // moved out of its wiki: links from it cannot follow
      const nameChanged = stripMarkdownExtension(basename(to)) !== stripMarkdownExtension(basename(a.path));
      moves.push({ article: a, newPath: to, newRel: to.slice(folder.length + 1), newName: nameChanged ? titleFromFileName(to) : undefined });
    }
    if (direct) continue;
    for (const p of wiki.attachmentsAt(oldPath)) {
      const to = p === oldPath ? newPath : newPath + p.slice(oldPath.length);
      const folder = wiki.folderOf(to);
      if (!folder || folder !== wiki.folderOf(p)) continue;
      fileMoves.set(p, { newRel: to.slice(folder.length + 1), newFileName: basename(to) !== basename(p) ? basename(to) : undefined });
    }
  }
  const builder = new EditBuilder(ctx.toUri);
  if (moves.length || fileMoves.size) relink(wiki, moves, ctx, builder, fileMoves);
  return builder.build();
}

/** An attachment (image, PDF) moved or renamed in the editor: its new place, and its new file name when that changed. */
interface FileMove {
  newRel: string;
  newFileName?: string;
}

/** Rewrites the links to moved or renamed articles and attachments, and the relative links out of moved articles. */
function relink(wiki: Wiki, moves: Move[], ctx: RenameContext, builder: EditBuilder, fileMoves: ReadonlyMap<string, FileMove> = new Map()): void {
  const byPath = new Map(moves.map((m) => [m.article.path, m]));
  const sources = new Set<string>();
  for (const m of moves) {
    sources.add(m.article.path);
    for (const b of wiki.backlinks(m.article)) sources.add(b.source.path);
  }
  // A link leads to a moved article only if its name key is one of the article's (as Wiki.backlinks relies on): an
  // article that stays put needs just those links resolved, not all of them (a hub's 7,386 linkers: 2.4 s → 0.3 s at 10,000 articles).
  // A link to an attachment is keyed by the file's name (linkKeyOf), with or without MediaWiki's `File:`.
  const fileKeys = [...fileMoves.keys()].map((p) => nameKey(basename(p), wiki.settings.caseMode));
  for (const a of wiki.linkersOfKeys(fileKeys)) sources.add(a.path);
  const movedKeys = [...new Set([...moves.flatMap((m) => m.article.keys), ...fileKeys])];
  for (const path of sources) {
    const src = readArticle(wiki, ctx.read, path);
    const srcMove = byPath.get(path);
    const oldSrcRel = src.article.rel;
    const newSrcRel = srcMove ? srcMove.newRel : oldSrcRel;
    const links = srcMove ? src.article.syntax.links : linksWithKeys(src.article, movedKeys, wiki.settings.caseMode);
    for (const link of links) {
      if (!link.target) continue;
      const r = wiki.resolve(link, src.article);
      let targetOldRel: string;
      let targetNewRel: string;
      let move: Move | undefined;
      let fileMove: FileMove | undefined;
      if (r.kind === 'article') {
        move = byPath.get(r.article.path);
        if (!move && !srcMove) continue;
        targetOldRel = r.article.rel;
        targetNewRel = move ? move.newRel : r.article.rel;
      } else if (r.kind === 'attachment') {
        fileMove = fileMoves.get(r.path);
        const folder = wiki.folderOf(r.path);
        if ((!fileMove && !srcMove) || !folder) continue;
        targetOldRel = r.path.slice(folder.length + 1);
        targetNewRel = fileMove ? fileMove.newRel : targetOldRel;
      } else continue;
      const form = targetForm(link, src.text);
      const raw = src.text.slice(link.targetSpan.start, link.targetSpan.end);
      const places = { oldSrcRel, newSrcRel, targetOldRel, targetNewRel };
      const written = rewriteTarget(wiki, link, src.text, form, places, r.kind === 'article' ? r.article : undefined, move, fileMove?.newFileName);
      if (written === raw) continue;
      const quote = frontMatterQuote(src.article, src.text, link);
      // A quoted YAML value would need its quote or backslash escaped, and the link would then not read as written.
      if (quote && (written.includes(quote) || (quote === '"' && written.includes('\\')))) {
        throw new EditRefused(`'${written}' cannot be written inside the ${quote === '"' ? 'double' : 'single'}-quoted front matter value of ${src.article.rel}: change that link by hand, or choose a name without ${quote === '"' ? "'\"' or '\\'" : `"'"`}`);
      }
      builder.replace(path, src.article.lines, src.version, link.targetSpan, written);
    }
  }
}

/** The quote of the YAML value a front matter link is written in (`up: "[[Parent]]"`), or undefined outside one. */
function frontMatterQuote(article: Article, text: string, link: Link): '"' | "'" | undefined {
  const fm = article.syntax.frontMatter;
  if (!fm || link.span.start >= fm.span.end) return undefined;
  const lineStart = Math.max(text.lastIndexOf('\n', link.span.start - 1), text.lastIndexOf('\r', link.span.start - 1)) + 1;
  const value = /^\s*(?:-\s+|[^:#\s][^:]*:\s*)(["'])/.exec(text.slice(lineStart, link.span.start));
  return value ? (value[1] as '"' | "'") : undefined;
}

interface Places {
  oldSrcRel: string;
  newSrcRel: string;
  targetOldRel: string;
  targetNewRel: string;
}

/** The target of one link, rewritten for the moves in its own style; the text as written when nothing changes. */
function rewriteTarget(wiki: Wiki, link: Link, text: string, form: TargetForm, p: Places, target: Article | undefined, move: Move | undefined, newFileName?: string): string {
  const mode = wiki.settings.caseMode;
  const raw = text.slice(link.targetSpan.start, link.targetSpan.end);
  let segment = form.segment + form.ext;
  // A renamed attachment is named by its file name, as it is on disk, after any `File:` the link names it with.
  if (newFileName !== undefined) segment = (FILE_PREFIX.exec(form.segment)?.[0] ?? '') + encodeTargetText(newFileName, form);
  if (move?.newName && target) {
    const key = nameKey(lastSegment(link.target).replace(/^:/, ''), mode);
    const fmTitle = target.syntax.frontMatter?.title;
    const byFileName = key === target.keys[0];
    const byTitle = !byFileName && fmTitle !== undefined && key === nameKey(fmTitle, mode);
    // A link written with an alias still means the article by that alias: leave it.
    if (byFileName || (byTitle && move.newTitle)) {
      segment = writeArticleSegment(form, byTitle ? move.newTitle! : move.newName, stripMarkdownExtension(basename(move.newPath)), byFileName);
    }
  }
  const srcDirChanged = dirname(p.oldSrcRel) !== dirname(p.newSrcRel);
  const targetDirChanged = dirname(p.targetOldRel) !== dirname(p.targetNewRel);
  let dir = form.dir;
  if ((srcDirChanged || targetDirChanged) && isPathLike(link, text, form, p)) {
    const decodedDir = decodeText(form.dir);
    const rooted = decodedDir.startsWith('/');
    const bareTarget = stripMarkdownExtension(decodeText(form.dir + form.segment));
    const besideSource = !rooted && samePath(wiki, joinRelative(dirname(p.oldSrcRel), bareTarget), p.targetOldRel);
    const fromRoot = !rooted && !besideSource && samePath(wiki, joinRelative('', bareTarget), p.targetOldRel);
    let plainDir: string;
    if (rooted) plainDir = '/' + withSlash(dirname(p.targetNewRel));
    else if (fromRoot) plainDir = withSlash(dirname(p.targetNewRel));
    else {
      plainDir = withSlash(dirname(relativePath(dirname(p.newSrcRel), p.targetNewRel)));
      if (decodedDir.startsWith('./') && !plainDir.startsWith('../')) plainDir = './' + plainDir;
    }
    dir = plainDir
      .split('/')
      .map((s) => (s === '..' || s === '.' || s === '' ? s : encodeTargetText(s, form)))
      .join('/');
  }
  const written = form.lead + form.colon + dir + segment + form.trail;
  return written === form.lead + form.colon + form.dir + form.segment + form.ext + form.trail ? raw : written;
}

/**
 * Whether a target is a file path (recomputed when files move) rather than a name (which finds the article
 * wherever it lives): anything with a folder part, and a markdown link to a file beside its source, unless it
 * is marked as a MediaWiki link by name.
 */
function isPathLike(link: Link, text: string, form: TargetForm, p: Places): boolean {
  if (form.dir || isImageLink(link)) return true;
  if (link.syntax === 'wiki' || link.syntax === 'embed') return false;
  if (isWikilinkMarked(link, text)) return false;
  return dirname(p.oldSrcRel) === dirname(p.targetOldRel);
}

function samePath(wiki: Wiki, a: string | undefined, b: string): boolean {
  const mode = wiki.settings.caseMode;
  return a !== undefined && pathKey(stripMarkdownExtension(a), mode) === pathKey(stripMarkdownExtension(b), mode);
}

function withSlash(dir: string): string {
  return dir ? dir + '/' : '';
}

/** A heading fragment rewritten for the new heading text, in the form it was written: text (with its separators) or slug. */
function writeFragment(raw: string, link: Link, text: string, heading: Heading, newText: string): string {
  const decoded = decodeText(raw).trim();
  // A fragment that names the heading only without the `.md` an export wrote after it (findHeading) keeps its `.md`.
  const ext = /\.(?:md|markdown|mdx)(?=\s*$)/i.exec(raw);
  if (ext && headingKey(decoded) !== headingKey(heading.text) && decoded !== heading.slug && headingKey(decoded) !== headingKey(heading.slug)) {
    const written = writeFragment(raw.slice(0, ext.index) + raw.slice(ext.index + ext[0].length), link, text, heading, newText);
    const trail = /\s*$/.exec(written)![0];
    return written.slice(0, written.length - trail.length) + ext[0] + trail;
  }
  const wikiSyntax = link.syntax === 'wiki' || link.syntax === 'embed';
  const textForm = wikiSyntax ? headingKey(decoded) === headingKey(heading.text) || decoded !== heading.slug : decoded !== heading.slug;
  const lead = /^\s*/.exec(raw)![0];
  const trail = raw.length > lead.length ? /\s*$/.exec(raw)![0] : '';
  const percent = /%[0-9A-Fa-f]{2}/.test(raw);
  const form = { ...targetForm(link, text), percent, percentNonAscii: percent && /%[89A-Fa-f][0-9A-Fa-f]/.test(raw) };
  if (!textForm) return lead + encodeTargetText(slugify(newText), form) + trail;
  const sep = decoded.includes('_') && !decoded.includes(' ') ? 'underscore' : 'space';
  return lead + encodeTargetText(withSeparator(newText, sep, sep), form) + trail;
}

/** The level-1 heading that opens the article (after any front matter). */
function openingHeading(article: Article): Heading | undefined {
  const h = article.syntax.headings[0];
  if (!h || h.level !== 1) return undefined;
  if (article.titleSpan && article.titleSpan.start === h.span.start) return h;
  return article.syntax.frontMatter && headingKey(h.text) === headingKey(article.title) ? h : undefined;
}

function isTitleHeading(article: Article, heading: Heading): boolean {
  return openingHeading(article) === heading;
}

function indexedOr(wiki: Wiki, article: Article): Article {
  return wiki.articles.get(article.path) ?? article;
}

function trimSpan(text: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}
