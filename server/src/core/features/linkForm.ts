// How a link's target was written (path, separators, extension, escapes, quotes) and how to write another target the same way.
import { decodeText } from '../decode';
import { basename, dirname, stripMarkdownExtension } from '../names';
import type { Link, LinkSyntax } from '../types';
import type { Article, Wiki } from '../wiki';

export type Separator = 'underscore' | 'space' | 'none';

export interface TargetForm {
  syntax: LinkSyntax;
  /** White space written around the target inside the brackets (`[[ Foo ]]`). */
  lead: string;
  trail: string;
  /** MediaWiki's leading `:`. */
  colon: string;
  /** The folder part as written, with its trailing `/` (`../history/`), or ''. */
  dir: string;
  /** The last segment as written, extension removed. */
  segment: string;
  /** The extension as written (`.md`, `.MD`) or ''. */
  ext: string;
  /** The segment uses percent-escapes (`Karl%20Marx.md`). */
  percent: boolean;
  /** Non-ASCII letters were escaped too (`Caf%C3%A9`), not written as such. */
  percentNonAscii: boolean;
  separator: Separator;
  /** Markdown destination in `<…>`. */
  angle: boolean;
  /** The quote around an anchor's href or an img's src ('' when unquoted). */
  quote: string;
}

const EXT = /\.(?:md|markdown|mdx)$/i;

export function targetForm(link: Link, text: string): TargetForm {
  const raw = text.slice(link.targetSpan.start, link.targetSpan.end);
  const lead = /^\s*/.exec(raw)![0];
  const trail = raw.length > lead.length ? /\s*$/.exec(raw)![0] : '';
  let body = raw.slice(lead.length, raw.length - trail.length);
  let colon = '';
  // MediaWiki's leading colon (`[[:Category:X]]`, and pandoc's `[x](:Category:X "wikilink")`) stays in front.
  if (body.startsWith(':')) {
    colon = ':';
    body = body.slice(1);
  }
  const slash = body.lastIndexOf('/');
  const dir = body.slice(0, slash + 1);
  const seg = body.slice(slash + 1);
  const ext = EXT.exec(seg)?.[0] ?? '';
  const segment = seg.slice(0, seg.length - ext.length);
  const decoded = decodeText(segment);
  const percent = /%[0-9A-Fa-f]{2}/.test(segment);
  let quote = '';
  if (link.syntax === 'anchor' || link.syntax === 'img') {
    const q = text[link.targetSpan.start - 1];
    if (q === '"' || q === "'") quote = q;
  }
  return {
    syntax: link.syntax,
    lead,
    trail,
    colon,
    dir,
    segment,
    ext,
    percent,
    percentNonAscii: percent && /%[89A-Fa-f][0-9A-Fa-f]/.test(segment),
    separator: decoded.includes(' ') ? 'space' : decoded.includes('_') ? 'underscore' : 'none',
    angle: !!link.angle,
    quote,
  };
}

/** Applies a separator style to a name whose words are separated by spaces or underscores. */
export function withSeparator(name: string, separator: Separator, fallback: 'underscore' | 'space'): string {
  const s = separator === 'none' ? fallback : separator;
  return s === 'underscore' ? name.replace(/ /g, '_') : name.replace(/_/g, ' ');
}

function percentEncodeChar(ch: string): string {
  return encodeURIComponent(ch).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * Escapes a plain name (or folder path) for a link of `form`'s syntax so that the scanner decodes it back to
 * the same text: percent-escapes where the original had them (or where a bare space would end the link),
 * backslashes where markdown needs them, entities inside quoted attributes.
 */
export function encodeTargetText(plain: string, form: Pick<TargetForm, 'syntax' | 'percent' | 'percentNonAscii' | 'angle' | 'quote'>): string {
  const chars = [...plain];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const code = ch.codePointAt(0)!;
    const rest = chars.slice(i + 1, i + 34).join('');
    // A name's characters must stay literal: `&amp;`, `%41` or `\(` in a name would otherwise be decoded.
    if (ch === '&' && /^(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/.test(rest)) {
      out += '&amp;';
      continue;
    }
    if (ch === '%' && /^[0-9a-fA-F]{2}/.test(rest)) {
      out += '%25';
      continue;
    }
    if (ch === '\\' && /^[!-/:-@[-`{-~]/.test(rest)) {
      out += form.percent ? '%5C' : '\\\\';
      continue;
    }
    if (form.percent) {
      const mustEscape =
        /[\s"<>^`{|}#?]/.test(ch) ||
        code < 32 ||
        (form.percentNonAscii && code > 126) ||
        ((form.syntax === 'markdown' || form.syntax === 'image' || form.syntax === 'reference') && !form.angle && (ch === '(' || ch === ')')) ||
        (ch === "'" && form.quote === "'");
      out += mustEscape ? percentEncodeChar(ch) : ch;
      continue;
    }
    switch (form.syntax) {
      case 'markdown':
      case 'image':
      case 'reference':
        if (form.angle) out += ch === '<' || ch === '>' ? '\\' + ch : ch;
        else if (/\s/.test(ch) || code < 32) out += percentEncodeChar(ch);
        else if (ch === '(' || ch === ')' || ch === '<') out += '\\' + ch;
        else out += ch;
        break;
      case 'anchor':
      case 'img':
        if (!form.quote && /[\s>"'=`<]/.test(ch)) out += percentEncodeChar(ch);
        else if (ch === form.quote) out += ch === '"' ? '&quot;' : '&#39;';
        else out += ch;
        break;
      default:
        out += ch;
    }
  }
  return out;
}

/**
 * Writes a new name into the last segment in the style of `form`: its separator (falling back to `fallback`
 * for a one-word name), its extension and its escapes. `name` has words separated by spaces or underscores.
 */
export function writeSegment(name: string, form: TargetForm, fallback: 'underscore' | 'space'): string {
  return encodeTargetText(withSeparator(name, form.separator, fallback), form) + form.ext;
}

/**
 * An article's new name written into a link's last segment as the link wrote the old one: a markdown link, anchor,
 * image or definition that named the file by a one-word name (`Karl_Marx.md`, `Marx.md`) gets the new file name
 * when `byFile`; otherwise `name`, with the link's separator (a one-word old name: spaces in wiki links, the new file
 * name's habit elsewhere), escapes and extension.
 */
export function writeArticleSegment(form: TargetForm, name: string, fileBase: string, byFile: boolean): string {
  const wikiSyntax = form.syntax === 'wiki' || form.syntax === 'embed';
  if (byFile && form.separator === 'none' && !wikiSyntax) return encodeTargetText(fileBase, form) + form.ext;
  return writeSegment(name, form, wikiSyntax ? 'space' : fileBase.includes('_') && !fileBase.includes(' ') ? 'underscore' : 'space');
}

/** A folder-relative path from folder `fromDir` to `toPath` (both relative to the workspace folder). */
export function relativePath(fromDir: string, toPath: string): string {
  const from = fromDir ? fromDir.split('/') : [];
  const to = toPath.split('/');
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => '..'), ...to.slice(i)].join('/');
}

/** Multi-word file names with underscores and with spaces, per folder and in the whole wiki. */
interface NameCensus {
  version: number;
  byDir: Map<string, { under: number; space: number }>;
  under: number;
  space: number;
}

const censusOf = new WeakMap<Wiki, NameCensus>();

/**
 * How names are written in a folder: underscores if most multi-word file names there use them (else the whole wiki's
 * habit). Counted once until an article comes, goes or is renamed: moving a section asks at each cursor move onto a
 * heading, and a count over 50,000 articles each time was most of that.
 */
export function fileNameConvention(wiki: Wiki, dirPath: string): 'underscore' | 'space' {
  let census = censusOf.get(wiki);
  if (!census || census.version !== wiki.namesVersion) {
    census = { version: wiki.namesVersion, byDir: new Map(), under: 0, space: 0 };
    for (const a of wiki.articles.values()) {
      const base = stripMarkdownExtension(basename(a.path));
      const under = base.includes('_') && !base.includes(' ');
      if (!under && !base.includes(' ')) continue;
      const dir = dirname(a.path);
      let c = census.byDir.get(dir);
      if (!c) census.byDir.set(dir, (c = { under: 0, space: 0 }));
      if (under) {
        c.under++;
        census.under++;
      } else {
        c.space++;
        census.space++;
      }
    }
    censusOf.set(wiki, census);
  }
  const here = census.byDir.get(dirPath);
  if (here) return here.under > here.space ? 'underscore' : 'space';
  return census.under > census.space ? 'underscore' : 'space';
}

/** The separator an article's own file name uses, or the folder's habit when its name is one word. */
export function articleNameConvention(wiki: Wiki, article: Pick<Article, 'path'>): 'underscore' | 'space' {
  const base = stripMarkdownExtension(basename(article.path));
  if (base.includes(' ')) return 'space';
  if (base.includes('_')) return 'underscore';
  return fileNameConvention(wiki, dirname(article.path));
}
