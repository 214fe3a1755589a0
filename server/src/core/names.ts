// The one normalising name resolver's building blocks: how a title, file name or link target becomes a lookup key.
import type { CaseMode } from './settings';

const MD_EXTENSION = /\.(?:md|markdown|mdx)$/i;

export function stripMarkdownExtension(s: string): string {
  return s.replace(MD_EXTENSION, '');
}

/**
 * A name as a lookup key: `_` and spaces alike, runs of white space folded, Unicode NFC, `.md` dropped,
 * and case folded as the setting says (MediaWiki folds only the first letter).
 */
export function nameKey(name: string, mode: CaseMode): string {
  let s = stripMarkdownExtension(name.trim()).replace(/[_\s]+/g, ' ').trim().normalize('NFC');
  if (mode === 'insensitive') s = s.toLowerCase();
  else if (mode === 'first-letter' && s.length > 0) {
    const first = String.fromCodePoint(s.codePointAt(0)!);
    s = first.toUpperCase() + s.slice(first.length);
  }
  return s;
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
  const t = target.replace(/\/+$/, '');
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
  return s.replace(/[_\s]+/g, ' ').trim().normalize('NFC').toLowerCase();
}

/** The title an article gets from its file name: the name without extension, `_` read as spaces. */
export function titleFromFileName(path: string): string {
  return stripMarkdownExtension(basename(path)).replace(/_/g, ' ').trim();
}
