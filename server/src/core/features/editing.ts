// What every editing feature needs: the current text of a document, its facts checked against that text, and YAML title edits.
import { parse as parseYaml } from 'yaml';
import { EditRefused } from '../edits';
import { hashText, type Article, type Wiki } from '../wiki';
import type { Span } from '../types';

/** A document's current text and version (null for a file no editor holds open). */
export interface DocumentText {
  text: string;
  version: number | null;
}

/** Reads documents as the editor sees them: an open document's text, else the file's; undefined if unreadable. */
export type DocumentReader = (path: string) => DocumentText | undefined;

/**
 * The article's facts for exactly this text. Edits are computed from offsets, so facts from an older text
 * (the index lags the editor by a debounce, or a file changed on disk) would put them in the wrong place.
 */
export function currentArticle(wiki: Wiki, path: string, text: string): Article {
  const indexed = wiki.articles.get(path);
  if (indexed && indexed.size === text.length && indexed.hash === hashText(text)) return indexed;
  const fresh = wiki.analyse(path, text);
  fresh.open = indexed?.open;
  fresh.version = indexed?.version;
  return fresh;
}

/** Reads a document and its facts, refusing (rather than guessing) when it cannot be read. */
export function readArticle(wiki: Wiki, read: DocumentReader, path: string): { article: Article; text: string; version: number | null } {
  const doc = read(path);
  if (!doc) throw new EditRefused(`Cannot read ${path}; nothing was changed`);
  return { article: currentArticle(wiki, path, doc.text), text: doc.text, version: doc.version };
}

/** The `title:` value in an article's front matter: the span of the whole scalar as written and of its text inside quotes. */
export function frontMatterTitleSpan(text: string, article: Article): { value: Span; inner: Span; quote: string; block: boolean } | undefined {
  const fm = article.syntax.frontMatter;
  if (!fm || fm.title === undefined) return undefined;
  const region = text.slice(0, fm.span.end);
  const m = /^title[ \t]*:[ \t]*/m.exec(region);
  if (!m) return undefined;
  const valueStart = m.index + m[0].length;
  let lineEnd = valueStart;
  while (lineEnd < region.length && region[lineEnd] !== '\n' && region[lineEnd] !== '\r') lineEnd++;
  const raw = region.slice(valueStart, lineEnd);
  const q = raw[0];
  if (q === '"' || q === "'") {
    let i = 1;
    for (; i < raw.length; i++) {
      if (q === '"' && raw[i] === '\\') i++;
      else if (raw[i] === q) {
        if (q === "'" && raw[i + 1] === "'") i++;
        else break;
      }
    }
    return { value: { start: valueStart, end: valueStart + Math.min(i + 1, raw.length) }, inner: { start: valueStart + 1, end: valueStart + Math.min(i, raw.length) }, quote: q, block: false };
  }
  const plain = raw.replace(/[ \t]+#.*$/, '').replace(/[ \t]+$/, '');
  const block = /^[|>]/.test(plain);
  return { value: { start: valueStart, end: valueStart + plain.length }, inner: { start: valueStart, end: valueStart + plain.length }, quote: '', block };
}

/** A YAML scalar that reads back as `value`, in the quoting style the writer used where that is possible. */
export function yamlScalar(value: string, quote: string): string {
  const candidates: string[] = [];
  if (quote === "'") candidates.push(`'${value.replace(/'/g, "''")}'`);
  if (quote === '"') candidates.push(JSON.stringify(value));
  if (!quote) candidates.push(value);
  candidates.push(JSON.stringify(value));
  for (const c of candidates) {
    try {
      const back = parseYaml(`title: ${c}`) as { title?: unknown } | null;
      if (back && String(back.title) === value && typeof back.title === 'string') return c;
    } catch {
      // not this spelling; the next one is always valid
    }
  }
  return JSON.stringify(value);
}

/** Characters that cannot stand in an article name: they end or split a link in one syntax or another. */
export function checkArticleName(name: string): string | undefined {
  if (!name.trim()) return 'The new name is empty';
  if (/[\r\n]/.test(name)) return 'A name must fit on one line';
  if (/[\/\\]/.test(name)) return 'A name cannot contain / or \\ (to move an article to another folder, move its file)';
  if (/[\[\]|#]/.test(name)) return 'A name cannot contain [, ], | or # (they would break links to it)';
  if (/[\u0000-\u001f]/.test(name)) return 'A name cannot contain control characters';
  if (/^\.+$/.test(name.trim())) return 'A name cannot be only dots';
  return undefined;
}

/** A line break of any kind, as a regular expression's source (a lone CR too, as in old Mac files). */
export const EOL = '(?:\\r\\n|\\r(?!\\n)|\\n)';

/** The article's own line ending (its first), for text written into it. */
export function lineEnding(text: string): string {
  const m = /\r\n|\r|\n/.exec(text);
  return m ? m[0] : '\n';
}

/** A block's whole lines with their line ending, and one blank line around it when it stood between two. */
export function wholeLines(text: string, span: Span): Span {
  let start = span.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  if (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start = span.start;
  let end = span.end;
  if (text.startsWith('\r\n', end)) end += 2;
  else if (text[end] === '\n' || text[end] === '\r') end += 1;
  const before = text.slice(0, start);
  const blankAbove = start === 0 || new RegExp(`(?:^|${EOL})[ \\t]*${EOL}$`).test(before);
  const blankBelow = new RegExp(`^[ \\t]*${EOL}`).exec(text.slice(end));
  if (blankAbove && blankBelow) end += blankBelow[0].length;
  else if (blankAbove && end === text.length && start > 0) {
    // The last block of the file: drop the blank line above it rather than leave one at the end.
    const m = new RegExp(`${EOL}[ \\t]*${EOL}$`).exec(before);
    if (m) start -= m[0].length - (m[0].startsWith('\r\n') ? 2 : 1);
  }
  return { start, end };
}
