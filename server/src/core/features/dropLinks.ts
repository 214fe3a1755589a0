// Links to files dropped into an article (VS Code's drop into the editor, from the Explorer): each written as the article writes its links.
import { basename, dirname, IMAGE_FILE } from '../names';
import { scanArticle } from '../scan';
import type { Article, Wiki } from '../wiki';
import { encodeTargetText, relativePath } from './linkForm';
import { preferredLinkStyle, writeLink, type LinkStyle } from './mentions';

/**
 * The links to insert for files dropped at once into `article` (whose text is `text`), separated by spaces: to an
 * article as `[[Title]]`, `[Title](Title.md)` or a pandoc anchor, to an image as an embed, to another file the wiki knows
 * (a PDF) as a link, each in the syntax, `.md` and `_` habit the article (else the wiki) has. Only what leads back to
 * the dropped file is written, so nothing written is a broken link: a file in another workspace folder, outside the
 * folders, or of a kind the wiki does not link to gives nothing, and the editor's own drop takes over. The article
 * itself gives nothing either. Undefined when nothing is left.
 */
export function dropLinks(wiki: Wiki, article: Article, text: string, paths: readonly string[]): string | undefined {
  const folder = wiki.folderOf(article.path);
  if (!folder) return undefined;
  const style = preferredLinkStyle(wiki, article, text);
  const out: string[] = [];
  for (const path of paths) {
    if (path === article.path || wiki.folderOf(path) !== folder) continue;
    const target = wiki.articles.get(path);
    const candidates = target ? [writeLink(wiki, article, target, undefined, style)] : fileLinks(article, path.slice(folder.length + 1), style);
    const written = candidates.find((c) => leadsTo(wiki, article, c, path));
    if (written) out.push(written);
  }
  return out.length ? out.join(' ') : undefined;
}

/** The ways to link to a file, the first that leads to it wins: by its name alone, then by its path. */
function fileLinks(article: Article, rel: string, style: LinkStyle): string[] {
  const image = IMAGE_FILE.test(rel);
  const name = basename(rel);
  const href = relativePath(dirname(article.rel), rel)
    .split('/')
    .map((s) => (s === '..' ? s : encodeTargetText(s, { syntax: 'markdown', percent: true, percentNonAscii: false, angle: false, quote: '"' })))
    .join('/');
  const markdown = image ? `![${escapeLabel(name.replace(/\.[^.]+$/, '').replace(/_/g, ' '))}](${href})` : `[${escapeLabel(name)}](${href})`;
  if (style.syntax !== 'wiki' || /[[\]|#]/.test(rel)) return [markdown];
  const bang = image ? '!' : '';
  return [`${bang}[[${name}]]`, `${bang}[[${relativePath(dirname(article.rel), rel)}]]`, markdown];
}

function escapeLabel(s: string): string {
  return s.replace(/[[\]\\]/g, (c) => '\\' + c);
}

/** Whether a link, read as the scanner reads it, leads from the article to the file at `path`. */
function leadsTo(wiki: Wiki, article: Article, written: string, path: string): boolean {
  const link = scanArticle(written).links[0];
  if (!link) return false;
  const r = wiki.resolve(link, article);
  return (r.kind === 'article' && r.article.path === path && !r.headingMissing) || (r.kind === 'attachment' && r.path === path);
}
