// The one normalising name resolver's building blocks: how a title, file name or link target becomes a lookup key.
import type { CaseMode } from './settings';

const MD_EXTENSION = /\.(?:md|markdown|mdx)$/i;

export function stripMarkdownExtension(s: string): string {
  return s.replace(MD_EXTENSION, '');
}

/**
 * The extensions of the files wikis link to besides articles: images, documents, media, archives. A list, not "any
 * extension": titles have dots too (`ASP.NET`, `Version 2.0`).
 */
const FILE_EXTENSION = /\.(?:png|jpe?g|gif|svg|webp|avif|bmp|ico|tiff?|pdf|epub|docx?|xlsx?|pptx?|od[tsp]|rtf|txt|csv|tsv|zip|gz|tgz|7z|rar|mp3|m4a|ogg|oga|wav|flac|mp4|m4v|webm|ogv|mov|avi|mkv)\s*$/i;

/** MediaWiki's prefixes that name an uploaded file (`[[File:Logo.png]]`, `Image:`, `Media:`), with the space after. */
export const FILE_PREFIX = /^\s*(?:file|image|media)\s*:\s*/i;

/** The file names of images: offered after `![`, previewed on hover. */
export const IMAGE_FILE = /\.(?:png|jpe?g|gif|svg|webp|avif|bmp|ico|tiff?)$/i;

/** Whether a link shows a file as an image (`![alt](x.png)`, `<img src="x.png">`): its target is a file's path. */
export function isImageLink(link: { syntax: string }): boolean {
  return link.syntax === 'image' || link.syntax === 'img';
}

/** Whether a link's target names a file rather than an article: an image's, or one with a file's extension. */
export function namesAFile(link: { syntax: string; target: string }): boolean {
  return isImageLink(link) || FILE_EXTENSION.test(link.target);
}

/** A tag as a lookup key: tags are one whatever their case (`#Anarchism` is `#anarchism`), as Obsidian reads them. */
export function tagKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/**
 * A name as a lookup key: `_` and spaces alike, runs of white space folded, Unicode NFC, `.md` dropped,
 * and case folded as the setting says (MediaWiki folds only the first letter).
 */
export function nameKey(name: string, mode: CaseMode): string {
  // Most names are ASCII words with single spaces or `_` between them: trimming and folding change nothing but
  // each `_`, and NFC leaves ASCII as it is. Telling so in one pass made a key 3× cheaper (325,000 link targets
  // of the 10,000-article bench wiki: 160 → 95 ms).
  const form = asciiForm(name);
  let s: string;
  if (form === CLEAN || form === CLEAN_UNDERSCORES) {
    s = form === CLEAN ? name : name.replaceAll('_', ' ');
    const ext = asciiMarkdownExtensionLength(s);
    if (ext > 0) {
      // A clean name has single separators, none at its start: at most one space is left at the end.
      s = s.slice(0, s.charCodeAt(s.length - ext - 1) === 32 ? -ext - 1 : -ext);
    }
  } else {
    s = stripMarkdownExtension(name.trim()).replace(/[_\s]+/g, ' ').trim();
    if (form === OTHER) s = s.normalize('NFC');
  }
  if (mode === 'insensitive') s = s.toLowerCase();
  else if (mode === 'first-letter' && s.length > 0) {
    const first = String.fromCodePoint(s.codePointAt(0)!);
    s = first.toUpperCase() + s.slice(first.length);
  }
  return s;
}

/** ASCII words separated by single spaces: trimming and folding change nothing. */
const CLEAN = 0;
/** As CLEAN, but some of the single separators are `_`. */
const CLEAN_UNDERSCORES = 1;
const ASCII = 2;
const OTHER = 3;

const MARKDOWN = [109, 97, 114, 107, 100, 111, 119, 110]; // markdown

/**
 * The length of the extension MD_EXTENSION would strip from an ASCII string, or 0: compared by character code, as
 * the regex test and replace cost more than the rest of a clean name's key (a third of the bench wiki's targets end in `.md`).
 * `| 32` folds exactly the ASCII capitals onto the lower-case letters compared with.
 */
function asciiMarkdownExtensionLength(s: string): number {
  const n = s.length;
  if (n >= 3 && s.charCodeAt(n - 3) === 46 && (s.charCodeAt(n - 2) | 32) === 109 && (s.charCodeAt(n - 1) | 32) === 100) return 3; // .md
  if (n >= 4 && s.charCodeAt(n - 4) === 46 && (s.charCodeAt(n - 3) | 32) === 109 && (s.charCodeAt(n - 2) | 32) === 100 && (s.charCodeAt(n - 1) | 32) === 120) return 4; // .mdx
  if (n < 9 || s.charCodeAt(n - 9) !== 46) return 0;
  for (let k = 0; k < 8; k++) if ((s.charCodeAt(n - 8 + k) | 32) !== MARKDOWN[k]) return 0;
  return 9;
}

function asciiForm(s: string): 0 | 1 | 2 | 3 {
  let form: 0 | 1 | 2 | 3 = CLEAN;
  // At the start, as after a separator: a separator here makes the name not clean.
  let afterSeparator = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) return OTHER;
    if (c === 32 || c === 95) {
      if (afterSeparator) form = ASCII;
      else if (c === 95 && form === CLEAN) form = CLEAN_UNDERSCORES;
      afterSeparator = true;
    } else {
      if (c >= 9 && c <= 13) form = ASCII;
      afterSeparator = false;
    }
  }
  if (afterSeparator && s.length > 0) form = ASCII;
  return form;
}

/** A path relative to a workspace folder as a key: each segment keyed as a name, `/` separated. */
export function pathKey(relPath: string, mode: CaseMode): string {
  return relPath
    .split('/')
    .filter((seg) => seg !== '' && seg !== '.')
    .map((seg) => nameKey(seg, mode))
    .join('/');
}

/** The last path segment of a target: the part a bare title or a file name is matched on. */
export function lastSegment(target: string): string {
  const t = target.charCodeAt(target.length - 1) === 47 ? target.replace(/\/+$/, '') : target;
  const i = t.lastIndexOf('/');
  return i >= 0 ? t.slice(i + 1) : t;
}

/** Joins a relative target onto a folder (both `/`-separated, relative to the workspace folder); undefined if it climbs out. */
export function joinRelative(dir: string, target: string): string | undefined {
  const parts = dir ? dir.split('/').filter(Boolean) : [];
  for (const seg of target.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

export function dirname(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i >= 0 ? rel.slice(0, i) : '';
}

export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(i + 1) : path;
}

/** A heading fragment as a key: MediaWiki writes `_` for spaces; case and surrounding space are ignored. */
export function headingKey(s: string): string {
  // Most headings and fragments are ASCII words with single separators: no pattern is needed to fold them (a check
  // of the 10,000-article bench wiki keyed 200,000 headings and fragments).
  const form = asciiForm(s);
  if (form === CLEAN) return s.toLowerCase();
  if (form === CLEAN_UNDERSCORES) return s.replaceAll('_', ' ').toLowerCase();
  const folded = s.replace(/[_\s]+/g, ' ').trim();
  return (asciiForm(folded) === OTHER ? folded.normalize('NFC') : folded).toLowerCase();
}

/** The title an article gets from its file name: the name without extension, `_` read as spaces. */
export function titleFromFileName(path: string): string {
  return stripMarkdownExtension(basename(path)).replace(/_/g, ' ').trim();
}

/**
 * MediaWiki's namespaces other than articles, as an exported wiki names their pages (`File:Logo.png.md`,
 * `Template:Cite`, `User talk:Ann`): the built-in ones and those of the extensions the corpora show (Thread, Message
 * Wall, Blog). A list about articles, as MediaWiki's Special:LonelyPages is, leaves these pages out: in libsocwiki
 * 603 of the 649 pages no other page links to were such pages.
 */
const OTHER_NAMESPACE = /^(?:(?:talk|user|project|file|image|media|mediawiki|template|help|category|module|special|thread|message wall|message wall greeting|board|blog|user blog|widget|gadget|gadget definition|portal|draft)|[^:]*[ _]talk)[ _]*:/i;

/** Whether a title names a page in one of MediaWiki's namespaces other than articles (OTHER_NAMESPACE). */
export function inOtherNamespace(title: string): boolean {
  return title.indexOf(':') > 0 && OTHER_NAMESPACE.test(title);
}
