// markdown-it plugins for VS Code's markdown preview: `[[…]]` and `![[…]]` drawn as links and images where they lead,
// markdown links and anchors led where the wiki's names lead rather than to a path beside the article, tags, and footnotes.
// Pure (no vscode): where each link leads comes from `resolve`. The engine is VS Code's own markdown-it, so only its
// types are imported; markdown-it-footnote is bundled.
import type MarkdownIt from 'markdown-it';
import footnotePlugin from 'markdown-it-footnote';
import { namesAFile } from '../../server/src/core/names';
import { readBlockId, readTag } from '../../server/src/core/tagSyntax';

/** Where one wiki link leads, as the server said; undefined while nobody knows yet. */
export interface Resolved {
  /** The target as the preview opens it: a path relative to the article's folder (with `#fragment`), or none. */
  href?: string;
  /** An image file, drawn by an embed. */
  image?: boolean;
  /** For an image, the address the preview loads it from (a webview's resource URI), when it differs from `href`. */
  src?: string;
  title: string;
  /**
   * For an embed of an article, what it shows: its markdown, and the document to render it as (the embedded article,
   * so that its own links and pictures are read from where it is).
   */
  embed?: { markdown: string; document: unknown };
}

/**
 * Finds a link of the document being rendered (`env` is the preview's, which names it): a wiki link by what its brackets
 * hold, a markdown link by its `href` as markdown-it made it, an anchor by its `href` as written.
 */
export type Resolve = (env: unknown, key: string, kind: 'wiki' | 'markdown' | 'html') => Resolved | undefined;

export const WIKILINK_CLASS = 'linked-articles-wikilink';
export const MISSING_CLASS = 'linked-articles-missing';
export const TAG_CLASS = 'linked-articles-tag';
export const EMBED_CLASS = 'linked-articles-embed';

/**
 * Set in the env of an embed's own render, to the document the preview shows (whose folder its links are followed
 * from): an embed inside an embed is then a link, so two articles embedding each other end.
 */
export const EMBEDDED_IN = 'linkedArticlesEmbeddedIn';

/** A link without a label reads as its target: `Page › Heading`, `Heading` for one of this article, no MediaWiki `:`. */
function shownName(written: string): string {
  const name = written.trim().replace(/^:/, '');
  if (name.startsWith('#')) return name.slice(1).trim() || written;
  return name.replace(/\s*#\s*(?=.)/, ' › ') || written;
}

/**
 * What the extension adds to VS Code's preview engine: wiki links, and footnotes (markdown-it-footnote), which VS Code's
 * preview does not draw (`[^1]` stays text there), unless `footnotes` is false or the engine reads them already (another
 * extension's plugin): twice, each `[^1]` would be read once but the notes listed twice.
 */
export function previewPlugins(md: MarkdownIt, resolve: Resolve, footnotes = true): MarkdownIt {
  commentPlugin(md);
  wikiLinkPlugin(md, resolve);
  tagAndBlockPlugin(md);
  // Its types are written against markdown-it's as another major version declared them.
  if (footnotes && !readsFootnotes(md)) md.use(footnotePlugin as unknown as (md: MarkdownIt) => void);
  return md;
}

function readsFootnotes(md: MarkdownIt): boolean {
  // The rule list is markdown-it's own, not its API; absent, the engine is taken as reading none.
  const rules = (md.inline.ruler as unknown as { __rules__?: { name: string }[] }).__rules__;
  return !!rules?.some((r) => r.name === 'footnote_ref');
}

/**
 * `#anarchism` drawn as a tag, and `^quote-1` kept as the place links land, where the server reads one (tagSyntax.ts: a `#` opening a word, a name with a letter),
 * so the preview shows what the editor's completion, hover and Tags view treat as one.
 */
export function tagAndBlockPlugin(md: MarkdownIt): MarkdownIt {
  md.inline.ruler.before('link', TAG_TOKEN, (state, silent) => {
    if (state.src.charCodeAt(state.pos) !== 0x23 /* # */) return false;
    const tag = readTag(state.src, state.pos, state.posMax);
    if (!tag) return false;
    if (!silent) state.push(TAG_TOKEN, '', 0).content = tag.name;
    state.pos = tag.span.end;
    return true;
  });
  md.renderer.rules[TAG_TOKEN] = (tokens, idx) => `<span class="${TAG_CLASS}">#${md.utils.escapeHtml(tokens[idx].content)}</span>`;
  // An Obsidian block id (`^quote-1` ending a paragraph) is where links land, not words: an empty element with that id.
  md.inline.ruler.before('link', BLOCK_TOKEN, (state, silent) => {
    if (state.src.charCodeAt(state.pos) !== 0x5e /* ^ */) return false;
    const id = readBlockId(state.src, state.pos);
    if (!id || id.span.end > state.posMax) return false;
    if (!silent) state.push(BLOCK_TOKEN, '', 0).content = id.id;
    state.pos = id.span.end;
    return true;
  });
  md.renderer.rules[BLOCK_TOKEN] = (tokens, idx) => `<span id="${md.utils.escapeHtml(tokens[idx].content)}"></span>`;
  return md;
}

/**
 * Obsidian's comments hidden, as its reading view hides them and the server reads them (comments.ts: from a `%%` to the
 * next, a lone one is text): inside a paragraph, and as blocks from a line opening with `%%` to a line closing with one.
 */
export function commentPlugin(md: MarkdownIt): MarkdownIt {
  md.inline.ruler.before('link', COMMENT_TOKEN, (state, silent) => {
    if (state.src.charCodeAt(state.pos) !== 0x25 || state.src.charCodeAt(state.pos + 1) !== 0x25) return false;
    const close = state.src.indexOf('%%', state.pos + 2);
    if (close < 0 || close + 2 > state.posMax) return false;
    if (!silent) state.push(COMMENT_TOKEN, '', 0);
    state.pos = close + 2;
    return true;
  });
  md.renderer.rules[COMMENT_TOKEN] = () => '';
  // After code and fences, which keep their %% as code; before paragraphs, which would read the comment's lines as text.
  md.block.ruler.before('paragraph', COMMENT_TOKEN, (state, startLine, endLine, silent) => {
    const start = state.bMarks[startLine] + state.tShift[startLine];
    if (state.sCount[startLine] - state.blkIndent >= 4 || !state.src.startsWith('%%', start)) return false;
    // The closing %% must end its line: the text after one in the middle of a line would have nowhere to go.
    for (let line = startLine; line < endLine; line++) {
      const from = line === startLine ? start + 2 : state.bMarks[line];
      const text = state.src.slice(from, state.eMarks[line]);
      const at = text.indexOf('%%');
      if (at < 0) continue;
      if (text.slice(at + 2).trim()) return false;
      if (!silent) state.push(COMMENT_TOKEN, '', 0).map = [startLine, line + 1];
      state.line = line + 1;
      return true;
    }
    return false;
  });
  return md;
}

const COMMENT_TOKEN = 'linked_articles_comment';

const BLOCK_TOKEN = 'linked_articles_block_id';

const TAG_TOKEN = 'linked_articles_tag';

/** The token a wiki link is parsed into; where it leads is looked up when it is rendered. */
const TOKEN = 'linked_articles_wikilink';

interface WikiLinkMeta {
  written: string;
  label: string;
  embed: boolean;
  /** The label was written after a `|`. */
  labelled: boolean;
  /** An embed alone in its paragraph, which is then not drawn (hidden): what it shows is a block, not for inside a `<p>`. */
  alone?: boolean;
}

/**
 * Adds the rules; returns `md`, as `extendMarkdownIt` must. A wiki link is parsed into a token of its own and resolved
 * when rendered: VS Code parses a document without naming it (`env.currentDocument` is set for rendering only) and
 * keeps the tokens until its text changes, while where a link leads changes without the text (an article created).
 */
export function wikiLinkPlugin(md: MarkdownIt, resolve: Resolve): MarkdownIt {
  // Before `link` and `image`, which would read `[[a]]` as brackets around a reference and `![[a]]` as an image's alt.
  md.inline.ruler.before('link', TOKEN, (state, silent) => {
    const { src } = state;
    const start = state.pos;
    const embed = src.charCodeAt(start) === 0x21; /* ! */
    const open = embed ? start + 1 : start;
    if (src.charCodeAt(open) !== 0x5b || src.charCodeAt(open + 1) !== 0x5b) return false;
    const close = src.indexOf(']]', open + 2);
    if (close < 0 || close + 2 > state.posMax) return false;
    const inner = src.slice(open + 2, close);
    // What the server reads as a wiki link: no brackets and no line break inside.
    if (!inner.trim() || /[[\]\r\n]/.test(inner)) return false;
    if (!silent) {
      const bar = inner.indexOf('|');
      const written = bar >= 0 ? inner.slice(0, bar) : inner;
      const meta: WikiLinkMeta = { written, label: bar >= 0 ? inner.slice(bar + 1) : shownName(written), embed, labelled: bar >= 0 };
      const token = state.push(TOKEN, '', 0);
      token.meta = meta;
      token.content = meta.label;
    }
    state.pos = close + 2;
    return true;
  });

  // An embed alone in its paragraph shows its article's text as blocks, which may not stand inside a `<p>`.
  md.core.ruler.push(TOKEN, (state) => {
    const tokens = state.tokens;
    for (let i = 1; i + 1 < tokens.length; i++) {
      const inline = tokens[i];
      if (inline.type !== 'inline' || tokens[i - 1].type !== 'paragraph_open' || tokens[i + 1].type !== 'paragraph_close') continue;
      const parts = (inline.children ?? []).filter((t) => !(t.type === 'text' && !t.content.trim()) && t.type !== 'softbreak');
      if (parts.length !== 1 || parts[0].type !== TOKEN || !(parts[0].meta as WikiLinkMeta).embed) continue;
      // A picture or another file is drawn or linked in its paragraph, as before.
      if (namesAFile({ syntax: 'embed', target: (parts[0].meta as WikiLinkMeta).written.split('#')[0] })) continue;
      (parts[0].meta as WikiLinkMeta).alone = true;
      tokens[i - 1].hidden = true;
      tokens[i + 1].hidden = true;
    }
  });

  md.renderer.rules[TOKEN] = (tokens, idx, options, env, self) => {
    const { written, label, embed, labelled, alone } = tokens[idx].meta as WikiLinkMeta;
    const Token = tokens[idx].constructor as new (type: string, tag: string, nesting: number) => (typeof tokens)[number];
    const found = resolve(env, written, 'wiki');
    const href = found?.href !== undefined && md.validateLink(found.href) ? md.normalizeLink(found.href) : undefined;
    // Through the rules VS Code sets for images and links (an image's source made loadable in the preview, `data-href`).
    const render = (token: (typeof tokens)[number]) => (self.rules[token.type] ?? ((t, i, o) => self.renderToken(t, i, o)))([token], 0, options, env, self);
    if (embed && found?.image && href) {
      const image = new Token('image', 'img', 0);
      image.attrs = [['src', href], ['alt', ''], ['title', found.title]];
      const alt = new Token('text', '', 0);
      alt.content = labelled ? label : found.title;
      image.children = [alt];
      image.content = alt.content;
      return render(image);
    }
    if (embed && alone && found?.embed && !(env as Record<string, unknown> | undefined)?.[EMBEDDED_IN]) {
      const title = md.utils.escapeHtml(labelled ? label : found.title);
      let head = title;
      if (href) {
        const open = new Token('link_open', 'a', 1);
        open.attrs = [['href', href], ['class', WIKILINK_CLASS], ['title', found.title]];
        head = render(open) + title + render(new Token('link_close', 'a', -1));
      }
      const shown = (env as { currentDocument?: unknown } | undefined)?.currentDocument ?? true;
      const inner = md.render(found.embed.markdown, { ...(env as object), currentDocument: found.embed.document, [EMBEDDED_IN]: shown });
      return `<div class="${EMBED_CLASS}"><div class="${EMBED_CLASS}-title">${head}</div>${inner}</div>`;
    }
    if (href) {
      const open = new Token('link_open', 'a', 1);
      open.attrs = [['href', href], ['class', WIKILINK_CLASS], ['title', found!.title]];
      return render(open) + md.utils.escapeHtml(label) + render(new Token('link_close', 'a', -1));
    }
    // Missing, or not known yet: the label, marked, and what is missing as its tooltip.
    const title = md.utils.escapeHtml(found?.title ?? written);
    return `<span class="${WIKILINK_CLASS} ${MISSING_CLASS}" title="${title}">${md.utils.escapeHtml(label)}</span>`;
  };

  // A markdown link as the wiki reads its target. VS Code wraps this rule later with its own, which sets `data-href` (what
  // its preview follows on a click) first: both are set here, from the href as parsed, kept in the token's meta since
  // VS Code keeps a document's tokens between renders.
  const linkOpen = md.renderer.rules.link_open;
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const meta = (token.meta ??= {}) as { linkedArticlesHref?: string | null };
    if (meta.linkedArticlesHref === undefined) meta.linkedArticlesHref = token.attrGet('href');
    const written = meta.linkedArticlesHref;
    if (written && isPath(written)) {
      // As parsed when it leads nowhere (now): an earlier render may have rewritten this very token.
      const to = led(resolve(env, written, 'markdown')) ?? written;
      token.attrSet('href', to);
      if (token.attrGet('data-href') !== null) token.attrSet('data-href', to);
    }
    return linkOpen ? linkOpen(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
  };

  // A markdown image (`![map](map.png)`) as the wiki finds its file, by name from a subfolder too (Obsidian writes the
  // shortest path). VS Code wraps this rule later with its own, which runs first: it makes `src` a resource URI of the
  // path as written and keeps that path in `data-src`; this rule then points `src` at the file the wiki means.
  const image = md.renderer.rules.image;
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const meta = (token.meta ??= {}) as { linkedArticlesSrc?: string | null };
    if (meta.linkedArticlesSrc === undefined) meta.linkedArticlesSrc = token.attrGet('data-src') ?? token.attrGet('src');
    const written = meta.linkedArticlesSrc;
    if (written && isPath(written)) {
      const found = resolve(env, written, 'markdown');
      const to = found?.image ? (found.src ?? led(found)) : undefined;
      if (to) token.attrSet('src', to);
    }
    return image ? image(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
  };

  // An anchor (pandoc's `<a href="Page" class="wikilink">`), inline or in an HTML block: its href rewritten in the HTML;
  // an `<img src>` (pandoc's MediaWiki pictures) too, to the file the wiki finds by its name.
  for (const rule of ['html_inline', 'html_block'] as const) {
    const previous = md.renderer.rules[rule];
    md.renderer.rules[rule] = (tokens, idx, options, env, self) => {
      const token = tokens[idx];
      const content = /<(?:a|img)\s/i.test(token.content) ? rewriteAnchors(token.content, env) : token.content;
      if (!previous) return content;
      if (content === token.content) return previous(tokens, idx, options, env, self);
      const copy = Object.assign(Object.create(Object.getPrototypeOf(token) as object) as typeof token, token, { content });
      return previous([copy], 0, options, env, self);
    };
  }

  /** The href a resolved link is given, if it may be one. */
  function led(found: Resolved | undefined): string | undefined {
    return found?.href !== undefined && md.validateLink(found.href) ? md.normalizeLink(found.href) : undefined;
  }

  function rewriteAnchors(html: string, env: unknown): string {
    const rewrite = (image: boolean) => (tag: string, before: string, dq?: string, sq?: string, bare?: string) => {
      const written = dq ?? sq ?? bare ?? '';
      if (!isPath(written)) return tag;
      const found = resolve(env, written, 'html');
      const to = image ? (found?.image ? (found.src ?? led(found)) : undefined) : led(found);
      if (to === undefined) return tag;
      const after = tag.slice(before.length + written.length + (bare === undefined ? 2 : 0));
      return `${before}"${md.utils.escapeHtml(to)}"${after}`;
    };
    return html.replace(ANCHOR_HREF, rewrite(false)).replace(IMG_SRC, rewrite(true));
  }
  return md;
}

/**
 * An open tag's attribute value, as `<a href>` and `<img src>` are read: the tag up to the value, then the value
 * double-quoted, single-quoted or bare, then the rest of the tag.
 */
function tagAttribute(tag: string, attribute: string): RegExp {
  return new RegExp(`(<${tag}\\s(?:[^>"']|"[^"]*"|'[^']*')*?\\b${attribute}\\s*=\\s*)(?:"([^"]*)"|'([^']*)'|([^\\s"'=<>\`]+))(?:[^>"']|"[^"]*"|'[^']*')*>`, 'gi');
}

const ANCHOR_HREF = tagAttribute('a', 'href');
const IMG_SRC = tagAttribute('img', 'src');

/** A path the preview would follow from the article's folder: not a URL, not a `#fragment` of the article itself. */
function isPath(href: string): boolean {
  return !!href && !href.startsWith('#') && !/^[a-z][a-z0-9+.-]*:/i.test(href);
}
