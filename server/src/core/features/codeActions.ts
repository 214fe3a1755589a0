// Code actions: quick fixes for the problems of diagnostics.ts, linking an unlinked mention, and converting a link between syntaxes.
import { articleProblems } from '../diagnostics';
import { decodeText, slugify } from '../decode';
import { EditBuilder, EditRefused, type ToUri, type WorkspaceEdit } from '../edits';
import { LineIndex } from '../lineIndex';
import { basename, dirname, FILE_PREFIX, headingKey, isImageLink, joinRelative, lastSegment, nameKey, stripMarkdownExtension, titleFromFileName } from '../names';
import { scanArticle } from '../scan';
import type { Anchor, Heading, Link, Problem, Span } from '../types';
import { frontMatterTitleOf, redirectLinkOf, type Article, type Wiki } from '../wiki';
import { currentArticle, EOL, lineEnding, wholeLines, type DocumentReader } from './editing';
import { isWikilinkMarked } from '../mediawikiLinks';
import { encodeTargetText, fileNameConvention, relativePath, targetForm, withSeparator, writeSegment } from './linkForm';
import { renumberFootnotes } from './footnotes';
import { tableOfContents } from './toc';
import { addBlockIdEdit, blockIdsOf, linkableBlocks } from './blocks';
import { extractSection, extractSectionTitle } from './extractSection';
import { outgoingMentions, type OutgoingMention } from './outgoing';
import { excludedSpans } from '../proseSpans';
import { mentionAt, preferredLinkStyle, redirectExample, redirectStyle, redirectText, writeLink, type LinkStyle } from './mentions';

export type CodeActionKind = 'quickfix' | 'refactor.rewrite' | 'refactor.extract' | typeof RENUMBER_FOOTNOTES | typeof TABLE_OF_CONTENTS;

/** A source action (VS Code's Source Action… menu; asked for by kind): footnotes renumbered in reading order. */
export const RENUMBER_FOOTNOTES = 'source.renumberFootnotes';
/** A source action: the article's table of contents added or brought up to date (toc.ts). */
export const TABLE_OF_CONTENTS = 'source.tableOfContents';

export interface CodeActionShape {
  title: string;
  kind: CodeActionKind;
  isPreferred?: boolean;
  /** Absent when the action was offered lazily (`resolve`): resolveCodeAction makes it once the action is chosen. */
  edit?: WorkspaceEdit;
  resolve?: CodeActionResolve;
  /** The problem the action fixes; the adapter attaches the client's matching diagnostic. */
  problem?: Problem;
}

export interface CodeActionContext {
  read?: DocumentReader;
  toUri?: ToUri;
  /** Whether a file exists that the index does not hold as an article. */
  exists?: (path: string) => boolean;
  /** LSP's `context.only`: the kinds asked for (prefixes). */
  only?: string[];
  /** The client asks for an action's edit once it is chosen (codeAction/resolve): edits that read other articles wait till then. */
  lazy?: boolean;
}

/** What an action offered without its edit needs to make it: moving the section under the heading that starts there. */
export interface CodeActionResolve {
  extractSection: { headingStart: number };
}

export interface OpenDocument {
  path: string;
  text: string;
  version: number | null;
}

/** The code actions for a range of an open document. */
export function codeActions(wiki: Wiki, doc: OpenDocument, span: Span, ctx: CodeActionContext = {}): CodeActionShape[] {
  const article = currentArticle(wiki, doc.path, doc.text);
  const wants = (kind: CodeActionKind) => !ctx.only || ctx.only.some((o) => kind === o || kind.startsWith(o + '.'));
  const actions: CodeActionShape[] = [];
  if (wants('quickfix')) {
    for (const p of articleProblems(wiki, article)) {
      if (p.span.end < span.start || p.span.start > span.end) continue;
      actions.push(...quickFixes(wiki, article, doc, p, ctx));
    }
  }
  if (wants('refactor.rewrite')) {
    actions.push(...mentionActions(wiki, article, doc, span, ctx));
    actions.push(...conversions(wiki, article, doc, span, ctx));
  }
  const onHeading = wants('refactor.extract') && ctx.read ? article.syntax.headings.find((h) => h.span.start <= span.start && span.end <= h.span.end) : undefined;
  const lazyTitle = onHeading && ctx.lazy ? extractSectionTitle(wiki, article, onHeading, ctx) : undefined;
  if (lazyTitle) actions.push({ title: lazyTitle, kind: 'refactor.extract', resolve: { extractSection: { headingStart: onHeading!.span.start } } });
  else if (onHeading && !ctx.lazy) {
    const heading = onHeading;
    let extracted: ReturnType<typeof extractSection>;
    try {
      extracted = extractSection(wiki, article, doc.text, doc.version, heading, { ...ctx, read: ctx.read! });
    } catch (e) {
      // An article linking to the section could not be read (gone from disk meanwhile): not offered, rather than
      // a move that would leave its links behind; the other actions still are.
      if (!(e instanceof EditRefused)) throw e;
    }
    if (extracted) actions.push({ title: extracted.title, kind: 'refactor.extract', edit: extracted.edit });
  }
  // Offered on a footnote as a refactoring (the light bulb), and anywhere when a client asks for source actions.
  const onFootnote = article.syntax.footnoteRefs.some((r) => r.span.start <= span.start && span.end <= r.span.end) ||
    article.syntax.footnoteDefs.some((d) => d.span.start <= span.start && span.end <= d.labelSpan.end + 2);
  const renumberKind = onFootnote && wants('refactor.rewrite') ? 'refactor.rewrite' : ctx.only && wants(RENUMBER_FOOTNOTES) ? RENUMBER_FOOTNOTES : undefined;
  const renumbered = renumberKind && renumberFootnotes(article, doc.text);
  if (renumberKind && renumbered) {
    const b = new EditBuilder(ctx.toUri);
    for (const e of renumbered) b.replace(doc.path, article.lines, doc.version, e.span, e.text);
    actions.push({ title: 'Renumber footnotes in reading order', kind: renumberKind, edit: b.build() });
  }
  // Offered on a heading as a refactoring, and anywhere when a client asks for source actions; an up-to-date table
  // offers nothing.
  const tocKind = onAnyHeading(article, span) && wants('refactor.rewrite') ? 'refactor.rewrite' : ctx.only && wants(TABLE_OF_CONTENTS) ? TABLE_OF_CONTENTS : undefined;
  const toc = tocKind && tableOfContents(article, doc.text);
  if (tocKind && toc && !toc.current) {
    actions.push({ title: toc.exists ? 'Update the table of contents' : 'Add a table of contents', kind: tocKind, edit: single(ctx, doc, article, toc.span, toc.text) });
  }
  return actions;
}

/**
 * A link to a block id the target does not have, that completion offered for one of its paragraphs (an editor that
 * does not run the completion's command inserted the link alone): the fix that gives that paragraph the id.
 */
function blockIdFix(wiki: Wiki, target: Article, id: string, ctx: CodeActionContext): CodeActionShape | undefined {
  if (!id.startsWith('^') || !ctx.read) return undefined;
  const text = ctx.read(target.path)?.text;
  const current = text === undefined ? undefined : currentArticle(wiki, target.path, text);
  const blocks = current && linkableBlocks(text!, current.syntax);
  if (!current || !blocks) return undefined;
  const i = blockIdsOf(blocks, current.syntax.anchors).findIndex((x, k) => x === id && !blocks[k].id);
  if (i < 0) return undefined;
  const b = blocks[i];
  let edit: WorkspaceEdit | undefined;
  try {
    edit = addBlockIdEdit(wiki, ctx.read, { path: target.path, start: b.start, key: b.key, id }, ctx.toUri);
  } catch (e) {
    if (e instanceof EditRefused) return undefined;
    throw e;
  }
  const words = b.text.length > 40 ? `${b.text.slice(0, 39).trimEnd()}…` : b.text;
  return edit && { title: `Add the block id ${id} to '${words}' in ${current.title}`, kind: 'quickfix', isPreferred: true, edit };
}

/** Whether the range is on a heading. */
function onAnyHeading(article: Article, span: Span): boolean {
  return article.syntax.headings.some((h) => h.span.start <= span.start && span.end <= h.span.end);
}

/**
 * The edit of an action offered without one (`resolve`), made now from the document as it is; refused (EditRefused)
 * when the document no longer has what the action was offered on, or an article it must change cannot be read.
 */
export function resolveCodeAction(wiki: Wiki, doc: OpenDocument, resolve: CodeActionResolve, ctx: CodeActionContext & { read: DocumentReader }): WorkspaceEdit {
  const article = currentArticle(wiki, doc.path, doc.text);
  const heading = article.syntax.headings.find((h) => h.span.start === resolve.extractSection.headingStart);
  const moved = heading && extractSection(wiki, article, doc.text, doc.version, heading, ctx);
  if (!moved) throw new EditRefused('The section is no longer there, or its name is now taken: ask for the actions again');
  return moved.edit;
}

function quickFixes(wiki: Wiki, article: Article, doc: OpenDocument, p: Problem, ctx: CodeActionContext): CodeActionShape[] {
  switch (p.code) {
    case 'broken-link': {
      if (p.data?.outside) return [];
      const link = article.syntax.links.find((l) => l.targetSpan.start === p.span.start && l.targetSpan.end === p.span.end);
      if (!link || !link.target) return [];
      // A near-certain typo ("Karl Marks") is best fixed by the replacement; otherwise creating the article is.
      const close = closestArticles(wiki, link.target, 3);
      const keyLength = nameKey(stripMarkdownExtension(lastSegment(link.target)), 'insensitive').length;
      const typo = close.length > 0 && close[0].score <= Math.max(1, Math.floor(keyLength / 5));
      const replacements = close.flatMap((c, i) => {
        const edit = retarget(wiki, article, doc, link, c.article, ctx);
        return edit ? [{ title: `Replace with '${c.article.title}'`, kind: 'quickfix' as const, isPreferred: i === 0 && typo, edit, problem: p }] : [];
      });
      const creations = createArticle(wiki, article, link, p, ctx, lineEnding(doc.text));
      if (creations.length && !typo) creations[0].isPreferred = true;
      // In a wiki that has redirect pages, the name written can become one, to the article it most likely means.
      const redirect = close.length ? createRedirect(wiki, article, doc, link, close[0].article, p, ctx) : [];
      return [...creations, ...replacements, ...redirect];
    }
    case 'missing-file': {
      const link = article.syntax.links.find((l) => l.targetSpan.start === p.span.start && l.targetSpan.end === p.span.end);
      if (!link || !link.target) return [];
      return closestFiles(wiki, article, link.target, 3).flatMap((path, i) => {
        const edit = refile(wiki, article, doc, link, path, ctx);
        return edit ? [{ title: `Replace with '${path.slice(article.folder.length + 1)}'`, kind: 'quickfix' as const, isPreferred: i === 0, edit, problem: p }] : [];
      });
    }
    case 'ambiguous-link': {
      // The writer chooses: one fix per article the name could mean, the link given the path that leads there alone.
      const link = article.syntax.links.find((l) => l.targetSpan.start === p.span.start && l.targetSpan.end === p.span.end);
      const r = link?.target ? wiki.resolve(link, article) : undefined;
      if (!link || r?.kind !== 'ambiguous') return [];
      return [...r.candidates]
        .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
        .flatMap((c) => {
          const edit = retarget(wiki, article, doc, link, c, ctx, true);
          return edit ? [{ title: `Link to ${c.rel}`, kind: 'quickfix' as const, edit, problem: p }] : [];
        });
    }
    case 'double-redirect': {
      // Straight to the article the chain ends at, as MediaWiki's bots fix double redirects; a loop has no end to offer.
      const link = article.syntax.links.find((l) => l.targetSpan.start === p.span.start && l.targetSpan.end === p.span.end);
      const final = typeof p.data?.final === 'string' ? wiki.articles.get(p.data.final) : undefined;
      const edit = link && final && retarget(wiki, article, doc, link, final, ctx);
      return edit ? [{ title: `Redirect straight to '${final.title}'`, kind: 'quickfix', isPreferred: true, edit, problem: p }] : [];
    }
    case 'broken-heading': {
      const link = article.syntax.links.find((l) => l.headingSpan && l.headingSpan.start === p.span.start);
      const target = typeof p.data?.target === 'string' ? wiki.articles.get(p.data.target) : undefined;
      if (!link || !target || link.heading === undefined) return [];
      const given = blockIdFix(wiki, target, link.heading, ctx);
      return [...(given ? [{ ...given, problem: p }] : []), ...closestFragments(target, link.heading, 3).map((c, i) => ({
        title: `Replace with '#${'level' in c ? c.text : c.id}'`,
        kind: 'quickfix' as const,
        isPreferred: i === 0 && !given,
        edit: single(ctx, doc, article, link.headingSpan!, 'level' in c ? writeHeadingLike(doc.text, link, c) : writeIdLike(doc.text, link, c)),
        problem: p,
      }))];
    }
    case 'missing-footnote-definition': {
      const label = String(p.data?.label ?? doc.text.slice(p.span.start, p.span.end));
      return [{ title: `Add a definition for footnote [^${label}]`, kind: 'quickfix', isPreferred: true, edit: addFootnoteDefinition(article, doc, label, ctx), problem: p }];
    }
    case 'undefined-reference': {
      const label = String(p.data?.label ?? doc.text.slice(p.span.start, p.span.end));
      const defs = article.syntax.links.filter((l) => l.syntax === 'reference');
      return [{ title: `Add a link definition for [${label}]`, kind: 'quickfix', isPreferred: true, edit: addDefinition(article, doc, `[${label}]: `, defs.map((d) => d.span), ctx), problem: p }];
    }
    case 'unused-link-definition':
    case 'duplicate-link-definition': {
      const def = article.syntax.links.find((l) => l.syntax === 'reference' && l.labelSpan?.start === p.span.start);
      if (!def) return [];
      const what = p.code === 'unused-link-definition' ? 'unused link definition' : 'duplicate definition of link';
      return [{ title: `Remove the ${what} [${def.label}]`, kind: 'quickfix', isPreferred: true, edit: single(ctx, doc, article, wholeLines(doc.text, def.span), ''), problem: p }];
    }
    case 'unused-footnote-definition':
    case 'duplicate-footnote-definition': {
      const def = article.syntax.footnoteDefs.find((d) => d.labelSpan.start === p.span.start);
      if (!def) return [];
      const what = p.code === 'unused-footnote-definition' ? 'unused footnote' : 'duplicate definition of footnote';
      return [{ title: `Remove the ${what} [^${def.label}]`, kind: 'quickfix', isPreferred: true, edit: single(ctx, doc, article, wholeLines(doc.text, def.span), ''), problem: p }];
    }
    default:
      return [];
  }
}

function single(ctx: CodeActionContext, doc: OpenDocument, article: Article, span: Span, newText: string): WorkspaceEdit {
  const b = new EditBuilder(ctx.toUri);
  b.replace(doc.path, article.lines, doc.version, span, newText);
  return b.build();
}

// ---------------------------------------------------------------- missing articles

/**
 * Creating the missing article: beside the linking article and, when that is in a subfolder, at the wiki's root.
 * Its title line ends as the linking article's lines do (a wiki kept with CRLF stays so). `content`: what to write in
 * it instead of its title (a redirect), and the action's title for that.
 */
function createArticle(
  wiki: Wiki,
  article: Article,
  link: Link,
  p: Problem,
  ctx: CodeActionContext,
  eol: string,
  content?: (at: { path: string; folder: string; rel: string }) => { title: string; text: string },
): CodeActionShape[] {
  const target = link.target.replace(/^:/, '');
  const name = stripMarkdownExtension(lastSegment(target)).trim();
  if (!name || /[\\#|[\]]/.test(name)) return [];
  const dirs: string[] = [];
  if (target.includes('/')) {
    const joined = target.startsWith('/') ? joinRelative('', dirname(target)) : joinRelative(dirname(article.rel), dirname(target));
    if (joined === undefined) return [];
    dirs.push(joined);
  } else {
    dirs.push(dirname(article.rel));
    if (dirname(article.rel)) dirs.push('');
  }
  const actions: CodeActionShape[] = [];
  for (const dir of dirs) {
    const folderPath = dir ? article.folder + '/' + dir : article.folder;
    const base = withSeparator(name, 'none', fileNameConvention(wiki, folderPath)) + '.md';
    const rel = dir ? dir + '/' + base : base;
    const path = article.folder + '/' + rel;
    const taken = [...wiki.articles.values()].some((a) => a.path.toLowerCase() === path.toLowerCase()) || ctx.exists?.(path);
    if (taken) continue;
    const title = titleFromFileName(base);
    const made = content?.({ path, folder: article.folder, rel });
    const b = new EditBuilder(ctx.toUri);
    b.createFile(path, { overwrite: false, ignoreIfExists: false });
    b.replace(path, new LineIndex(''), null, { start: 0, end: 0 }, (made ? made.text : `# ${title}`) + eol);
    actions.push({ title: made ? `${made.title}: '${title}' (${rel})` : `Create the article '${title}' (${rel})`, kind: 'quickfix', edit: b.build(), problem: p });
  }
  return actions;
}

/**
 * Creating the missing article as a redirect page to `to`, written as the wiki's own redirects are (MediaWiki's
 * `#REDIRECT [[T]]`, or pandoc's `1.  REDIRECT [T](T "wikilink")` or `<a href>`); only in a wiki that has some, where
 * a redirect is a way its writers name things (MediaWiki's editors make one for another spelling).
 */
function createRedirect(wiki: Wiki, article: Article, doc: OpenDocument, link: Link, to: Article, p: Problem, ctx: CodeActionContext): CodeActionShape[] {
  if (!redirectExample(wiki)) return [];
  return createArticle(wiki, article, link, p, ctx, lineEnding(doc.text), (at) => {
    const style = redirectStyle(wiki, (path) => ctx.read?.(path)?.text, preferredLinkStyle(wiki, article, doc.text));
    return { title: `Create a redirect to '${to.title}'`, text: redirectText(style, writeLink(wiki, at, to, style.syntax === 'wiki' ? undefined : to.title, style)) };
  });
}

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/** Edit distance, giving up (Infinity) beyond `max`; only the band of cells within `max` of the diagonal is computed. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return Infinity;
  if (b.length + 1 > rowA.length) {
    rowA = new Int32Array(b.length * 2 + 2);
    rowB = new Int32Array(b.length * 2 + 2);
  }
  let prev = rowA;
  let cur = rowB;
  const big = max + 1;
  for (let j = 0; j <= b.length; j++) prev[j] = j <= max ? j : big;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    cur[from - 1] = from === 1 ? (i <= max ? i : big) : big;
    let best = cur[from - 1];
    const ca = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1));
      cur[j] = v > big ? big : v;
      if (v < best) best = v;
    }
    if (to < b.length) cur[to + 1] = big;
    if (best > max) return Infinity;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.length] <= max ? prev[b.length] : Infinity;
}

/** Letter counts in 32 buckets: half their difference is a lower bound of the edit distance, far cheaper to compute. */
function letterCounts(s: string): Uint8Array {
  const h = new Uint8Array(32);
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i) & 31;
    if (h[b] < 255) h[b]++;
  }
  return h;
}

function countsApart(x: Uint8Array, y: Uint8Array): number {
  let d = 0;
  for (let i = 0; i < 32; i++) d += x[i] > y[i] ? x[i] - y[i] : y[i] - x[i];
  return d;
}

/** An article's names as lookup keys, kept with the article (a changed article is a new object, so they never go stale). */
const keysOf = new WeakMap<Article, { key: string; counts: Uint8Array }[]>();
function suggestionKeys(a: Article): { key: string; counts: Uint8Array }[] {
  let keys = keysOf.get(a);
  if (!keys) {
    const names = new Set([a.title, titleFromFileName(a.path), ...a.aliases].map((n) => nameKey(n, 'insensitive')));
    keysOf.set(a, (keys = [...names].map((key) => ({ key, counts: letterCounts(key) }))));
  }
  return keys;
}

/** The existing articles whose names are closest to a missing one: by edit distance, or sharing a prefix; well-linked first. */
export function closestArticles(wiki: Wiki, missing: string, count: number): { article: Article; score: number }[] {
  const key = nameKey(stripMarkdownExtension(lastSegment(missing)), 'insensitive');
  if (!key) return [];
  const max = Math.max(1, Math.floor(key.length / 3));
  const counts = letterCounts(key);
  const scored: { article: Article; score: number; links: number }[] = [];
  for (const a of wiki.articles.values()) {
    let score = Infinity;
    for (const { key: k, counts: kc } of suggestionKeys(a)) {
      const prefix = Math.min(key.length, k.length) >= 4 && (k.startsWith(key) || key.startsWith(k));
      if (!prefix && (Math.abs(k.length - key.length) > max || countsApart(counts, kc) > 2 * max)) continue;
      let s = editDistance(key, k, max);
      // A normalised prefix ("anarch" for "Anarchism", "Karl Marx" for "Karl Marx (book)") is a likely meaning too.
      if (s === Infinity && prefix) s = max + 0.5;
      if (s < score) score = s;
    }
    if (score < Infinity) scored.push({ article: a, score, links: 0 });
  }
  for (const s of scored) s.links = wiki.incomingCount(s.article);
  scored.sort((x, y) => x.score - y.score || y.links - x.links || x.article.title.localeCompare(y.article.title));
  return scored.slice(0, count).map(({ article, score }) => ({ article, score }));
}

/**
 * The link's target rewritten, in its own style, to lead to `target`; undefined when no such spelling resolves.
 * `byPath`: only as a path, for a name that several articles share (another spelling of it would lead to one of
 * them only by how it is spelled).
 */
function retarget(wiki: Wiki, article: Article, doc: OpenDocument, link: Link, target: Article, ctx: CodeActionContext, byPath = false): WorkspaceEdit | undefined {
  const form = targetForm(link, doc.text);
  const candidates: string[] = [];
  if (!byPath && (link.syntax === 'wiki' || link.syntax === 'embed' || isWikilinkMarked(link, doc.text))) {
    const fileBase = stripMarkdownExtension(basename(target.path));
    const names = [frontMatterTitleOf(target), titleFromFileName(target.path), fileBase].filter((n): n is string => !!n);
    for (const n of names) {
      const style = link.syntax === 'wiki' || link.syntax === 'embed' ? 'space' : fileBase.includes('_') ? 'underscore' : 'space';
      candidates.push(form.lead + form.colon + writeSegment(n, form, style) + form.trail);
    }
  }
  let rel = relativePath(dirname(article.rel), target.rel);
  if (!form.ext) rel = stripMarkdownExtension(rel);
  candidates.push(form.lead + rel.split('/').map((s) => (s === '..' ? s : encodeTargetText(s, form))).join('/') + form.trail);
  for (const raw of candidates) {
    const r = wiki.resolve({ target: decodeText(raw).trim() }, article);
    if (r.kind === 'article' && r.article.path === target.path) return single(ctx, doc, article, link.targetSpan, raw);
  }
  return undefined;
}

/** The files of the wiki (not articles) whose names are closest to a missing one's: a typo, another case, another extension. */
function closestFiles(wiki: Wiki, article: Article, target: string, count: number): string[] {
  const wanted = basename(target.replace(FILE_PREFIX, '')).toLowerCase();
  const stem = (s: string) => s.replace(/\.[^.]*$/, '');
  const max = Math.max(2, Math.floor(wanted.length / 4));
  const scored: { path: string; d: number }[] = [];
  for (const path of wiki.attachmentPaths()) {
    if (wiki.folderOf(path) !== article.folder) continue;
    const name = basename(path).toLowerCase();
    // The same name with another extension (`map.jpg` for `map.png`) counts as one edit.
    const d = Math.min(editDistance(wanted, name, max), stem(wanted) === stem(name) ? 1 : Infinity);
    if (d < Infinity) scored.push({ path, d });
  }
  return scored.sort((a, b) => a.d - b.d || (a.path < b.path ? -1 : 1)).slice(0, count).map((x) => x.path);
}

/** The link's target rewritten to name the file at `path`: as a path from the article, or by name where the link names files so. */
function refile(wiki: Wiki, article: Article, doc: OpenDocument, link: Link, path: string, ctx: CodeActionContext): WorkspaceEdit | undefined {
  const form = targetForm(link, doc.text);
  const rel = path.slice(article.folder.length + 1);
  const prefix = FILE_PREFIX.exec(link.target)?.[0];
  const candidates: string[] = [];
  if (prefix !== undefined || ((link.syntax === 'wiki' || link.syntax === 'embed') && !form.dir)) candidates.push((prefix ?? '') + basename(rel));
  candidates.push(relativePath(dirname(article.rel), rel));
  for (const written of candidates) {
    const r = wiki.resolve({ target: written }, article);
    if (r.kind !== 'attachment' || r.path !== path) continue;
    const encoded = written
      .split('/')
      .map((s) => (s === '..' ? s : encodeTargetText(s, form)))
      .join('/');
    return single(ctx, doc, article, link.targetSpan, form.lead + form.colon + encoded + form.trail);
  }
  return undefined;
}

/** The headings, then the HTML ids, closest to a broken fragment; a heading first when one is as close as an id. */
function closestFragments(target: Article, fragment: string, count: number): (Heading | Anchor)[] {
  const key = headingKey(fragment);
  const max = Math.max(2, Math.floor(key.length / 2));
  const near = (text: string) => Math.min(editDistance(key, headingKey(text), max), headingKey(text).includes(key) ? max : Infinity);
  const headings = target.syntax.headings.map((h) => ({ c: h as Heading | Anchor, d: Math.min(near(h.text), editDistance(key, h.slug, max)) }));
  const ids = target.syntax.anchors.map((a) => ({ c: a as Heading | Anchor, d: near(a.id) }));
  return [...headings, ...ids]
    .filter((x) => x.d < Infinity)
    .sort((a, b) => a.d - b.d)
    .slice(0, count)
    .map((x) => x.c);
}

/** An HTML id as a fragment, escaped as the link's syntax needs. */
function writeIdLike(text: string, link: Link, a: Anchor): string {
  const raw = text.slice(link.headingSpan!.start, link.headingSpan!.end);
  return encodeTargetText(a.id, { ...targetForm(link, text), percent: /%[0-9A-Fa-f]{2}/.test(raw), percentNonAscii: false });
}

/** A heading fragment for `h` written the way the link wrote its (broken) one: a slug, or the heading's text. */
function writeHeadingLike(text: string, link: Link, h: Heading): string {
  const raw = text.slice(link.headingSpan!.start, link.headingSpan!.end);
  const slugLike = /^[a-z0-9-]+$/.test(raw) && raw.includes('-') ? true : link.syntax === 'markdown' || link.syntax === 'reference' || link.syntax === 'anchor' ? /^[a-z0-9-]+$/.test(raw) : false;
  const form = { ...targetForm(link, text), percent: /%[0-9A-Fa-f]{2}/.test(raw), percentNonAscii: false };
  if (slugLike) return h.slug;
  const sep = raw.includes('_') && !raw.includes(' ') && !/%20/.test(raw) ? 'underscore' : 'space';
  return encodeTargetText(withSeparator(h.text, sep, sep), form);
}

// ---------------------------------------------------------------- footnotes

/** A line ending, with CRLF taken whole (a lone CR then LF would otherwise read as two line endings). */


/** `[^label]: ` after the last definition when the definitions end the article, else at the end after a blank line. */
function addFootnoteDefinition(article: Article, doc: OpenDocument, label: string, ctx: CodeActionContext): WorkspaceEdit {
  return addDefinition(article, doc, `[^${label}]: `, article.syntax.footnoteDefs.map((d) => d.span), ctx);
}

/** A definition line (`def`) under the last of its kind (`spans`) when they end the article, else at the end after a blank line. */
function addDefinition(article: Article, doc: OpenDocument, def: string, spans: Span[], ctx: CodeActionContext): WorkspaceEdit {
  const text = doc.text;
  const eol = lineEnding(text);
  const last = spans.length ? spans.reduce((a, b) => (b.end > a.end ? b : a)) : undefined;
  if (last && text.slice(last.end).trim() === '') {
    return single(ctx, doc, article, { start: last.end, end: last.end }, eol + def);
  }
  const end = text.length;
  if (text.trim() === '') return single(ctx, doc, article, { start: end, end }, def);
  const endsWithEol = new RegExp(EOL + '$').test(text);
  const blankBefore = new RegExp(`${EOL}[ \\t]*${EOL}$`).test(text);
  const prefix = (endsWithEol ? '' : eol) + (blankBefore ? '' : eol);
  return single(ctx, doc, article, { start: end, end }, prefix + def + (endsWithEol ? eol : ''));
}


// ---------------------------------------------------------------- unlinked mentions

function mentionActions(wiki: Wiki, article: Article, doc: OpenDocument, span: Span, ctx: CodeActionContext): CodeActionShape[] {
  let hits: { span: Span; target: Article }[];
  if (span.end > span.start) {
    const raw = doc.text.slice(span.start, span.end);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = { start: span.start + lead, end: span.start + lead + raw.trim().length };
    const phrase = raw.trim();
    if (!phrase) return [];
    if (/[\r\n]{2}|[[\]]/.test(phrase) || phrase.length > 200) return selectionMentions(wiki, article, doc, span, ctx);
    const targets = wiki.lookupName(phrase.replace(/\s+/g, ' ')).filter((a) => a.path !== article.path);
    if (targets.length !== 1) return selectionMentions(wiki, article, doc, span, ctx);
    const excluded = excludedSpans(doc.text, article, { mentions: true });
    if (excluded.some((e) => e.start < trimmed.end && trimmed.start < e.end)) return [];
    hits = [{ span: trimmed, target: targets[0] }];
  } else {
    hits = mentionAt(wiki, article, doc.text, span.start).slice(0, 2);
  }
  const style = preferredLinkStyle(wiki, article, doc.text);
  return hits.map((h) => {
    const words = doc.text.slice(h.span.start, h.span.end);
    return {
      title: `Link '${words.replace(/\s+/g, ' ')}' to ${h.target.title}`,
      kind: 'refactor.rewrite' as const,
      edit: single(ctx, doc, article, h.span, writeLink(wiki, article, h.target, words, style)),
    };
  });
}

/** Past this many characters a selection is not searched for names (code actions are asked at each selection change). */
const SELECTION_MENTIONS_MAX = 100_000;

/**
 * In a selection of more than one name: the first words naming each article the article does not link to yet,
 * linked at once, as Wikipedia links a term at its first mention (the Outgoing Links view lists them one by one).
 */
function selectionMentions(wiki: Wiki, article: Article, doc: OpenDocument, span: Span, ctx: CodeActionContext): CodeActionShape[] {
  if (span.end - span.start > SELECTION_MENTIONS_MAX) return [];
  const linked = firstMentionsEdit(wiki, doc, span, { ...ctx, timeBudgetMs: 200 });
  if (!linked) return [];
  const { mentions } = linked;
  const titles = mentions.slice(0, 3).map((m) => m.article.title).join(', ') + (mentions.length > 3 ? ', …' : '');
  const title = mentions.length === 1 ? `Link '${mentions[0].places[0].text.replace(/\s+/g, ' ')}' to ${mentions[0].article.title}` : `Link the first mention of ${mentions.length} articles in the selection (${titles})`;
  return [{ title, kind: 'refactor.rewrite', edit: linked.edit }];
}

/**
 * The edit linking the first mention of each article the text names (within `span`, or anywhere) and the article does
 * not link yet, each in the article's link syntax, to the page its words name; undefined when there is none.
 */
export function firstMentionsEdit(wiki: Wiki, doc: OpenDocument, span: Span | undefined, ctx: CodeActionContext & { timeBudgetMs?: number } = {}): { edit: WorkspaceEdit; mentions: OutgoingMention[] } | undefined {
  const article = currentArticle(wiki, doc.path, doc.text);
  const { mentions } = outgoingMentions(wiki, article, doc.text, { within: span, perTarget: 1, timeBudgetMs: ctx.timeBudgetMs });
  if (mentions.length === 0) return undefined;
  const style = preferredLinkStyle(wiki, article, doc.text);
  const b = new EditBuilder(ctx.toUri);
  for (const m of mentions) {
    const place = m.places[0];
    b.replace(doc.path, article.lines, doc.version, place.span, writeLink(wiki, article, place.target, place.text, style));
  }
  return { edit: b.build(), mentions };
}

/** The edit that turns a mention (say, from `linkedArticles/unlinkedMentions`) into a link to `target`. */
export function linkMentionEdit(wiki: Wiki, doc: OpenDocument, span: Span, target: Article, ctx: CodeActionContext = {}): WorkspaceEdit {
  const article = currentArticle(wiki, doc.path, doc.text);
  const words = doc.text.slice(span.start, span.end);
  return single(ctx, doc, article, span, writeLink(wiki, article, target, words, preferredLinkStyle(wiki, article, doc.text)));
}

// ---------------------------------------------------------------- converting links

const SYNTAX_NAMES: Record<LinkStyle['syntax'], string> = { wiki: 'a wiki link [[…]]', markdown: 'a markdown link […](…)', anchor: 'an HTML anchor <a href>' };
const PLURAL_NAMES: Record<LinkStyle['syntax'], string> = { wiki: 'wiki links [[…]]', markdown: 'markdown links […](…)', anchor: 'HTML anchors <a href>' };

function conversions(wiki: Wiki, article: Article, doc: OpenDocument, span: Span, ctx: CodeActionContext): CodeActionShape[] {
  const link = article.syntax.links.find((l) => l.span.start <= span.start && span.end <= l.span.end);
  const inside = link ? [] : article.syntax.links.filter((l) => span.start <= l.span.start && l.span.end <= span.end);
  // Read from the whole article: only when there is a link to convert (an editor asks on every move of the cursor).
  if (!link && inside.length < 2) return [];
  const base = preferredLinkStyle(wiki, article, doc.text);
  if (link) {
    const actions: CodeActionShape[] = [];
    for (const syntax of ['wiki', 'markdown', 'anchor'] as const) {
      const c = converted(wiki, article, doc.text, link, syntax, base);
      if (c) actions.push({ title: `Convert to ${SYNTAX_NAMES[syntax]}`, kind: 'refactor.rewrite', edit: single(ctx, doc, article, c.span, c.text) });
    }
    return actions;
  }
  // A selection over several links (an exported article migrated to another syntax at once): one edit for them all.
  const actions: CodeActionShape[] = [];
  for (const syntax of ['wiki', 'markdown', 'anchor'] as const) {
    const b = new EditBuilder(ctx.toUri);
    let n = 0;
    let end = -1;
    for (const l of inside) {
      const c = converted(wiki, article, doc.text, l, syntax, base);
      if (!c || c.span.start < end) continue;
      b.replace(doc.path, article.lines, doc.version, c.span, c.text);
      end = c.span.end;
      n++;
    }
    if (n > 0) actions.push({ title: `Convert ${n === 1 ? 'the 1 link' : `${n.toLocaleString('en-US')} links`} in the selection to ${PLURAL_NAMES[syntax]}`, kind: 'refactor.rewrite', edit: b.build() });
  }
  return actions;
}

/**
 * One link written in another syntax: the span it replaces and the new text; undefined when it is that syntax
 * already, or cannot be written so and still lead where it led (an embed, an image, a definition, a broken link).
 */
function converted(wiki: Wiki, article: Article, text: string, link: Link, syntax: LinkStyle['syntax'], base: LinkStyle): { span: Span; text: string } | undefined {
  if (syntax === link.syntax || link.syntax === 'embed' || isImageLink(link) || link.syntax === 'reference') return undefined;
  // A front matter value is a property, which Obsidian reads as a link only written `[[…]]`.
  const fm = article.syntax.frontMatter;
  if (fm && link.span.start < fm.span.end) return undefined;
  const r = wiki.resolve(link, article);
  if (r.kind !== 'article') return undefined;
  const target = r.article;
  const heading = r.heading ? { text: r.heading.text, slug: r.heading.slug } : link.heading ? { text: link.heading, slug: slugify(link.heading) } : undefined;
  let replaced: Span = link.span;
  let label: string | undefined;
  if (link.labelSpan) label = text.slice(link.labelSpan.start, link.labelSpan.end).replace(/\s+/g, ' ').trim();
  if (link.syntax === 'anchor' && text[link.span.start - 1] === '"' && link.labelSpan && text[link.labelSpan.start - 1] === '"') {
    // pandoc's stray quotes around a MediaWiki anchor go with it.
    replaced = { start: link.span.start - 1, end: link.span.end };
  }
  const style: LinkStyle = { ...base, syntax };
  if (link.syntax !== 'wiki') {
    style.extension = /\.(?:md|markdown|mdx)$/i.test(link.rawTarget);
    style.underscores = link.rawTarget.includes('_');
  }
  let shown = label;
  if (shown === undefined && syntax !== 'wiki') shown = (link.target || target.title).replace(/_/g, ' ');
  if (syntax === 'wiki' && shown !== undefined && /[[\]]/.test(shown)) return undefined;
  let written: string;
  if (!link.target) {
    // A link to a heading of this article stays one.
    if (!heading) return undefined;
    const lbl = label ?? heading.text;
    written = syntax === 'wiki' ? `[[#${heading.text}${label ? '|' + label : ''}]]` : syntax === 'markdown' ? `[${lbl}](#${heading.slug})` : `<a href="#${heading.slug}">${lbl}</a>`;
  } else {
    written = writeLink(wiki, article, target, syntax === 'wiki' && label === undefined ? undefined : shown, style, heading);
  }
  // The new link must lead where the old one did: checked by reading it back, never assumed.
  const back = scanArticle(written).links[0];
  const again = back && wiki.resolve(back, article);
  if (!again || again.kind !== 'article' || again.article.path !== target.path) return undefined;
  return { span: replaced, text: written };
}
