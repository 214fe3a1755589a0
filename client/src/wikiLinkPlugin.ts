// A markdown-it plugin that draws `[[…]]` and `![[…]]` in VS Code's markdown preview as links and images, where they lead.
// Pure (no vscode): the preview's engine is VS Code's own markdown-it; where each link leads comes from `resolve`.
// markdown-it's types only: the extension runs in VS Code's engine and bundles none.
import type MarkdownIt from 'markdown-it';
import footnotePlugin from 'markdown-it-footnote';

/** Where one wiki link leads, as the server said; undefined while nobody knows yet. */
export interface Resolved {
  /** The target as the preview opens it: a path relative to the article's folder (with `#fragment`), or none. */
  href?: string;
  /** An image file, drawn by an embed. */
  image?: boolean;
  title: string;
}

/** Finds a link of the document being rendered (`env` is the preview's, which names it) by what its brackets hold. */
export type Resolve = (env: unknown, written: string) => Resolved | undefined;

export const WIKILINK_CLASS = 'linked-articles-wikilink';
export const MISSING_CLASS = 'linked-articles-missing';

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
  wikiLinkPlugin(md, resolve);
  // Its types are written against markdown-it's as another major version declared them.
  if (footnotes && !readsFootnotes(md)) md.use(footnotePlugin as unknown as (md: MarkdownIt) => void);
  return md;
}

function readsFootnotes(md: MarkdownIt): boolean {
  // The rule list is markdown-it's own, not its API; absent, the engine is taken as reading none.
  const rules = (md.inline.ruler as unknown as { __rules__?: { name: string }[] }).__rules__;
  return !!rules?.some((r) => r.name === 'footnote_ref');
}

/** The token a wiki link is parsed into; where it leads is looked up when it is rendered. */
const TOKEN = 'linked_articles_wikilink';

interface WikiLinkMeta {
  written: string;
  label: string;
  embed: boolean;
  /** The label was written after a `|`. */
  labelled: boolean;
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

  md.renderer.rules[TOKEN] = (tokens, idx, options, env, self) => {
    const { written, label, embed, labelled } = tokens[idx].meta as WikiLinkMeta;
    const Token = tokens[idx].constructor as new (type: string, tag: string, nesting: number) => (typeof tokens)[number];
    const found = resolve(env, written);
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
    if (href) {
      const open = new Token('link_open', 'a', 1);
      open.attrs = [['href', href], ['class', WIKILINK_CLASS], ['title', found!.title]];
      return render(open) + md.utils.escapeHtml(label) + render(new Token('link_close', 'a', -1));
    }
    // Missing, or not known yet: the label, marked, and what is missing as its tooltip.
    const title = md.utils.escapeHtml(found?.title ?? written);
    return `<span class="${WIKILINK_CLASS} ${MISSING_CLASS}" title="${title}">${md.utils.escapeHtml(label)}</span>`;
  };
  return md;
}
